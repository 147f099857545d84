"""OAuth2 client-credentials token endpoint and bearer-token checking.

Modes (--auth):
  none    nothing is checked (POST /token still answers, tokens are ignored)
  bearer  FHIR requests need `Authorization: Bearer <static token>` (printed in the
          ready line as "token") or a token issued by POST /token
  oauth2  FHIR requests need a token issued by POST /token

GET /metadata and POST /token never need a token.
"""

import base64
import secrets
import threading
import time
import urllib.parse

REALM = "satchel-sync-fixture"


class Auth:
    def __init__(self, mode="none", client_id="satchel-test-client",
                 client_secret="fixture-secret", ttl=3600.0, static_token=None):
        if mode not in ("none", "bearer", "oauth2"):
            raise ValueError("auth mode must be none, bearer or oauth2")
        self.mode = mode
        self.client_id = client_id
        self.client_secret = client_secret
        self.ttl = float(ttl)
        self.static_token = static_token or ("static-" + secrets.token_urlsafe(24))
        self.lock = threading.Lock()
        self.tokens = {}          # token -> expiry (time.monotonic())
        self.issued = 0

    # -- POST /token ----------------------------------------------------------
    def token_request(self, body, headers):
        """Returns (status, json_body, extra_headers)."""
        ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/x-www-form-urlencoded":
            return 400, {"error": "invalid_request",
                         "error_description": "body must be application/x-www-form-urlencoded"}, {}
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        cid, secret = form.get("client_id"), form.get("client_secret")
        authz = headers.get("Authorization") or ""
        if authz.lower().startswith("basic "):
            try:
                raw = base64.b64decode(authz[6:].strip()).decode()
                cid, secret = [urllib.parse.unquote_plus(p) for p in raw.split(":", 1)]
            except Exception:
                return 401, {"error": "invalid_client"}, {"WWW-Authenticate": 'Basic realm="%s"' % REALM}
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type",
                         "error_description": "only grant_type=client_credentials"}, {}
        if cid != self.client_id or secret != self.client_secret:
            return 401, {"error": "invalid_client", "error_description": "unknown client or bad secret"}, \
                {"WWW-Authenticate": 'Basic realm="%s"' % REALM}
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.ttl
            self.issued += 1
        ttl = int(self.ttl) if self.ttl == int(self.ttl) else self.ttl
        body = {"access_token": token, "token_type": "Bearer", "expires_in": ttl}
        if form.get("scope"):
            body["scope"] = form["scope"]
        return 200, body, {"Cache-Control": "no-store", "Pragma": "no-cache"}

    # -- bearer checking --------------------------------------------------------
    def check(self, authorization):
        """None when allowed, else (error, description, www_authenticate)."""
        if self.mode == "none":
            return None
        if not authorization or not authorization.lower().startswith("bearer "):
            return ("missing", "no bearer token", 'Bearer realm="%s"' % REALM)
        token = authorization[7:].strip()
        if self.mode == "bearer" and token == self.static_token:
            return None
        with self.lock:
            expiry = self.tokens.get(token)
        if expiry is None:
            return ("invalid_token", "unknown token", self._challenge("invalid_token", "The access token is not recognised"))
        if time.monotonic() >= expiry:
            return ("invalid_token", "token expired", self._challenge("invalid_token", "The access token expired"))
        return None

    @staticmethod
    def _challenge(error, description):
        return 'Bearer realm="%s", error="%s", error_description="%s"' % (REALM, error, description)

    def expire(self, authorization):
        """Expire the token in this Authorization header (expire-token fault)."""
        if authorization and authorization.lower().startswith("bearer "):
            token = authorization[7:].strip()
            with self.lock:
                if token in self.tokens:
                    self.tokens[token] = 0.0
        return self._challenge("invalid_token", "The access token expired")

    def expire_all(self):
        with self.lock:
            for t in self.tokens:
                self.tokens[t] = 0.0

    def describe(self):
        with self.lock:
            live = sum(1 for e in self.tokens.values() if e > time.monotonic())
            return {"mode": self.mode, "ttl": self.ttl, "issued": self.issued, "live": live}
