#!/usr/bin/env python3
"""Stand-in central system for Satchel sync tests: a FHIR R4 server over HTTPS.

  .venv/bin/python server.py --port 0 --db /tmp/x.sqlite --state-dir /tmp/x \
      [--tls normal|self-signed|expired|wrong-host|tls1.0|client-cert|client-cert-tls1.2] [--update-create yes|no|yes,Consent=no]
      [--auth none|bearer|oauth2] [--token-ttl SECONDS] ...

Once listening it prints exactly one JSON line to stdout (see README.md) and runs
until SIGTERM/SIGINT. On any start-up failure it prints to stderr and exits 1.
"""

import argparse
import email.utils
import json
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import auth as auth_mod      # noqa: E402
import certs                 # noqa: E402
import faults as faults_mod  # noqa: E402
import fhirapi               # noqa: E402
import store as store_mod    # noqa: E402
from validate import issue, operation_outcome  # noqa: E402

FHIR_JSON = "application/fhir+json; charset=utf-8"
MAX_BODY = 64 * 1024 * 1024

CAPTIVE_PORTAL_HTML = b"""<!DOCTYPE html>
<html><head><title>Guest Wi-Fi - Sign in</title></head>
<body><h1>Welcome to Guest Wi-Fi</h1>
<p>Please accept the terms and conditions to continue.</p>
<form method="post" action="/login"><button type="submit">Accept and connect</button></form>
</body></html>
"""


class Response:
    def __init__(self, status, body=None, headers=None, content_type=FHIR_JSON):
        self.status = status
        self.headers = dict(headers or {})
        self.content_type = content_type
        if body is None:
            self.body = b""
        elif isinstance(body, (bytes, bytearray)):
            self.body = bytes(body)
        else:
            self.body = json.dumps(body, indent=1).encode("utf-8")


def http_date(instant):
    """FHIR instant -> RFC 7231 date for Last-Modified."""
    from datetime import datetime
    t = datetime.fromisoformat(instant)
    return email.utils.format_datetime(t, usegmt=True)


class App:
    """Shared state for both listeners."""

    def __init__(self, args, base, cert_paths):
        self.args = args
        self.base = base
        self.cert_paths = cert_paths
        self.store = store_mod.Store(args.db)
        self.faults = faults_mod.Faults()
        self.auth = auth_mod.Auth(args.auth, args.client_id, args.client_secret, args.token_ttl,
                                  args.static_token)
        default_uc, per_type = parse_update_create(args.update_create)
        self.fhir = fhirapi.Fhir(self.store, per_type, default_uc, args.if_match_status,
                                 args.invalid_status, token_url=base + "/token")
        self.fhir.sink = args.sink
        self.log_requests = args.verbose


def parse_update_create(spec):
    default, per_type = True, {}
    for tok in [t.strip() for t in spec.split(",") if t.strip()]:
        if "=" in tok:
            t, v = tok.split("=", 1)
            per_type[t.strip()] = _yes(v)
        else:
            default = _yes(tok)
    return default, per_type


def _yes(v):
    v = v.strip().lower()
    if v in ("yes", "true", "1", "on"):
        return True
    if v in ("no", "false", "0", "off"):
        return False
    raise ValueError("expected yes or no, got %r" % v)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SatchelSyncFixture/1.0"
    timeout = 120            # idle keep-alive connections are closed after this
    control_only = False     # True on the plain-HTTP control listener

    @property
    def app(self):
        return self.server.app

    def log_message(self, fmt, *args):
        if self.app.log_requests:
            sys.stderr.write("[fixture] %s %s\n" % (self.address_string(), fmt % args))

    # Every method goes through dispatch().
    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    # -- request body -------------------------------------------------------------
    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            total = 0
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += size
                if total > MAX_BODY:
                    raise ValueError("body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        n = int(length)
        if n < 0 or n > MAX_BODY:
            raise ValueError("bad Content-Length")
        data = self.rfile.read(n)
        if len(data) != n:
            raise ValueError("body shorter than Content-Length")
        return data

    # -- sending ------------------------------------------------------------------------
    def send(self, resp, fault=None):
        """Send `resp`; fault is None, or a stall / truncate Rule."""
        self.send_response(resp.status)
        body = b"" if self.command == "HEAD" else resp.body
        if resp.body or resp.status not in (204, 304):
            self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        for k, v in resp.headers.items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if fault is None or not body:
            self.wfile.write(body)
            return
        half = max(1, len(body) // 2)
        self.wfile.write(body[:half])
        if fault.fault == "truncate":
            self.close_connection = True
            self._hard_close(rst=False)
            return
        # stall
        time.sleep(float(fault.spec.get("seconds", 5)))
        if fault.spec.get("then", "finish") == "close":
            self.close_connection = True
            self._hard_close(rst=False)
        else:
            self.wfile.write(body[half:])

    def _hard_close(self, rst=True):
        """Drop the connection without a response (RST) or with a bare FIN."""
        self.close_connection = True
        conn = self.connection
        try:
            if rst:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            conn.close()
        except OSError:
            pass

    def outcome(self, status, diagnostics, code="exception", headers=None):
        return Response(status, operation_outcome(issue(diagnostics, code=code)), headers)

    # -- dispatch ---------------------------------------------------------------------------
    def dispatch(self):
        app = self.app
        split = urllib.parse.urlsplit(self.path)
        path, query = split.path, split.query
        try:
            body = self.read_body()
        except (ValueError, OSError) as e:
            self.close_connection = True
            self.send(self.outcome(400, "could not read request body: %s" % e, "structure"))
            return

        if path.startswith("/_control"):
            self.send(self.control(path, query, body))
            return
        if self.control_only:
            self.send(self.outcome(404, "the control listener only serves /_control/*", "not-found"))
            return

        parsed, parse_error = None, None
        if body and (self.headers.get("Content-Type") or "").split(";")[0].strip().lower() in (
                "application/fhir+json", "application/json", ""):
            try:
                parsed = json.loads(body)
            except ValueError as e:
                parse_error = "body is not valid JSON: %s" % e
        refs = request_refs(path, parsed)
        rule, rejects = app.faults.for_request(self.command, path, refs)
        fault_name = rule.fault if rule else None

        # Faults that replace processing.
        if rule is not None:
            f = rule.fault
            if f in ("503", "429"):
                resp = self.outcome(int(f), "Injected %s" % f, "transient",
                                    {"Retry-After": str(rule.spec.get("retry_after", 1))})
                app.store.log_request(self.command, path, resp.status, f)
                self.send(resp)
                return
            if f == "reset":
                app.store.log_request(self.command, path, None, f)
                self._hard_close(rst=True)
                return
            if f == "captive-portal":
                app.store.log_request(self.command, path, 200, f)
                self.send(Response(200, CAPTIVE_PORTAL_HTML, content_type="text/html; charset=utf-8"))
                return
            if f == "expire-token":
                challenge = app.auth.expire(self.headers.get("Authorization"))
                app.store.log_request(self.command, path, 401, f)
                self.send(self.outcome(401, "The access token expired", "login",
                                       {"WWW-Authenticate": challenge}))
                return
            if f == "delay":
                time.sleep(float(rule.spec.get("seconds", 1)))

        try:
            if parse_error:
                resp = self.outcome(400, parse_error, "structure")
            else:
                resp = self.route(path, query, body, parsed, rejects)
        except fhirapi.FhirError as e:
            resp = Response(e.status, e.outcome())
            if self.command in ("PUT", "POST") and isinstance(parsed, dict) and path != "/":
                app.store.log_arrival(self.command, path, parsed.get("resourceType"), parsed.get("id"),
                                      "rejected")
        except Exception as e:  # a bug in the fixture: still answer like a server would
            sys.stderr.write("[fixture] internal error on %s %s: %r\n" % (self.command, path, e))
            resp = self.outcome(500, "internal fixture error: %r" % e)

        app.store.log_request(self.command, path, resp.status, fault_name)
        if rule is not None and rule.fault == "commit-then-reset":
            self._hard_close(rst=True)
            return
        if rule is not None and rule.fault in ("stall", "truncate"):
            self.send(resp, rule)
            return
        self.send(resp)

    # -- FHIR routes -------------------------------------------------------------------------
    def route(self, path, query, body, parsed, rejects):
        app = self.app
        method = self.command
        parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/") if p]

        if parts == ["metadata"] and method in ("GET", "HEAD"):
            return Response(200, app.fhir.capability_statement(app.base))
        if parts == ["token"]:
            if method != "POST":
                return Response(405, {"error": "invalid_request"}, {"Allow": "POST"}, "application/json")
            status, payload, headers = app.auth.token_request(body, self.headers)
            return Response(status, payload, headers, "application/json")

        denied = app.auth.check(self.headers.get("Authorization"))
        if denied:
            return self.outcome(401, "Unauthorized: %s" % denied[1], "login",
                                {"WWW-Authenticate": denied[2]})

        if method in ("PUT", "POST") and parsed is None:
            ctype = self.headers.get("Content-Type") or ""
            if body:
                return self.outcome(415, "unsupported Content-Type %r (use application/fhir+json)" % ctype,
                                    "not-supported")
            return self.outcome(400, "request body is empty", "required")

        if not parts and method == "POST":
            if app.fhir.sink:
                return Response(200, fhirapi.sink_response(parsed))
            return Response(200, app.fhir.bundle(parsed, rejects, path))
        if len(parts) == 1 and method == "POST":
            r = app.fhir.create(parts[0], parsed, self.headers.get("If-None-Exist"), rejects, "POST", path)
            return self.result_response(r)
        if len(parts) == 2 and method == "PUT":
            r = app.fhir.update(parts[0], parts[1], parsed, self.headers.get("If-Match"), rejects, "PUT", path)
            return self.result_response(r)
        if len(parts) == 2 and method in ("GET", "HEAD"):
            return self.result_response(app.fhir.read(parts[0], parts[1]), read=True)
        if len(parts) == 4 and parts[2] == "_history" and method in ("GET", "HEAD"):
            return self.result_response(app.fhir.read(parts[0], parts[1], parts[3]), read=True)
        if len(parts) == 1 and method in ("GET", "HEAD"):
            return Response(200, app.fhir.search(parts[0], query, app.base))
        return self.outcome(405, "%s %s is not supported by this fixture" % (method, path), "not-supported")

    def result_response(self, r, read=False):
        headers = {"ETag": r.etag, "Last-Modified": http_date(r.last_updated)}
        if not read:
            headers["Location"] = "%s/%s" % (self.app.base, r.location)
        prefer = (self.headers.get("Prefer") or "").replace(" ", "").lower()
        if not read and "return=minimal" in prefer:
            return Response(r.status, None, headers)
        if not read and "return=operationoutcome" in prefer:
            return Response(r.status, operation_outcome(issue(
                "%s %s" % (fhirapi.status_line(r.status), r.location), severity="information",
                code="informational")), headers)
        return Response(r.status, r.resource, headers)

    # -- control API ----------------------------------------------------------------------------
    def control(self, path, query, body):
        app = self.app
        method = self.command
        try:
            payload = json.loads(body) if body else {}
        except ValueError as e:
            return Response(400, {"error": "body is not JSON: %s" % e}, content_type="application/json")
        name = path[len("/_control"):].strip("/")
        j = "application/json"
        if name == "stats" and method == "GET":
            return Response(200, app.store.stats(), content_type=j)
        if name == "faults" and method == "GET":
            return Response(200, app.faults.describe(), content_type=j)
        if name == "faults" and method == "POST":
            try:
                app.faults.install(payload)
            except (faults_mod.FaultError, ValueError, TypeError) as e:
                return Response(400, {"error": str(e)}, content_type=j)
            return Response(200, app.faults.describe(), content_type=j)
        if name == "reset" and method == "POST":
            what = payload if isinstance(payload, dict) and payload else {"data": True, "faults": True}
            if what.get("faults"):
                app.faults.clear()
            if what.get("data"):
                app.store.reset()
            if what.get("tokens"):
                app.auth.expire_all()
            return Response(200, {"reset": True, "stats": app.store.stats()}, content_type=j)
        if name == "expire-tokens" and method == "POST":
            app.auth.expire_all()
            return Response(200, {"expired": True}, content_type=j)
        if name == "audit-heads" and method == "GET":
            return Response(200, app.store.audit_heads(), content_type=j)
        if name == "arrivals" and method == "GET":
            return Response(200, {"arrivals": app.store.arrivals()}, content_type=j)
        if name == "resources" and method == "GET":
            q = dict(urllib.parse.parse_qsl(query))
            return Response(200, {"resources": app.store.list(q.get("type"))}, content_type=j)
        if name == "caseload" and method == "POST":
            try:
                kind = payload.get("kind", "Group")
                resource = fhirapi.caseload_resource(kind, payload["id"], payload.get("members") or [],
                                                     payload.get("title"))
                r = app.fhir.update(kind, resource["id"], resource, method="CONTROL", path=path)
            except (KeyError, ValueError, TypeError, AttributeError) as e:
                return Response(400, {"error": "caseload needs {kind, id, members}: %s" % e}, content_type=j)
            except fhirapi.FhirError as e:
                return Response(e.status, e.outcome(), content_type=j)
            return Response(200, {"resource": r.resource}, content_type=j)
        if name == "seed" and method == "POST":
            stored = []
            try:
                for res in payload.get("resources") or []:
                    r = app.fhir.update(res["resourceType"], res["id"], res, method="CONTROL", path=path)
                    stored.append({"type": r.rtype, "id": r.rid, "version": r.version,
                                   "last_updated": r.last_updated})
            except (KeyError, TypeError, AttributeError) as e:
                return Response(400, {"error": "seed needs {resources: [...]} with ids: %s" % e}, content_type=j)
            except fhirapi.FhirError as e:
                return Response(e.status, e.outcome(), content_type=j)
            return Response(200, {"stored": stored}, content_type=j)
        if name == "config" and method == "GET":
            return Response(200, self.config(), content_type=j)
        if name == "config" and method == "POST":
            uc = payload.get("update_create")
            if isinstance(uc, str):
                app.fhir.default_update_create, app.fhir.update_create = parse_update_create(uc)
            if "token_ttl" in payload:
                app.auth.ttl = float(payload["token_ttl"])
            if "sink" in payload:
                app.fhir.sink = bool(payload["sink"])
            return Response(200, self.config(), content_type=j)
        return Response(404, {"error": "unknown control endpoint %s %s" % (method, path)}, content_type=j)

    def config(self):
        app = self.app
        return {"update_create_default": app.fhir.default_update_create,
                "update_create": app.fhir.update_create, "auth": app.auth.describe(),
                "tls": app.args.tls, "base": app.base, "sink": app.fhir.sink}


def request_refs(path, parsed):
    """(resourceType, id) pairs a request touches, for fault matching."""
    refs = []
    parts = [p for p in path.strip("/").split("/") if p]
    if parts and parts[0] not in ("metadata", "token"):
        refs.append((parts[0], parts[1] if len(parts) > 1 else None))
    if isinstance(parsed, dict):
        if parsed.get("resourceType") == "Bundle":
            for e in parsed.get("entry") or []:
                if not isinstance(e, dict):
                    continue
                res = e.get("resource") if isinstance(e.get("resource"), dict) else {}
                url_parts = fhirapi.split_url(str((e.get("request") or {}).get("url", "")))[0]
                rtype = res.get("resourceType") or (url_parts[0] if url_parts else None)
                rid = res.get("id") or (url_parts[1] if len(url_parts) > 1 else None)
                refs.append((rtype, rid))
        else:
            refs.append((parsed.get("resourceType"), parsed.get("id")))
    return refs


class FixtureHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ssl.SSLError, ConnectionError, TimeoutError, OSError)):
            if self.app.log_requests:
                sys.stderr.write("[fixture] connection from %s ended: %r\n" % (client_address, exc))
            return
        super().handle_error(request, client_address)


def build_arg_parser():
    p = argparse.ArgumentParser(description="Satchel sync fixture FHIR R4 server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 = ephemeral port")
    p.add_argument("--control-port", type=int, default=0,
                   help="plain-HTTP control listener port (0 = ephemeral)")
    p.add_argument("--db", required=True, help="SQLite file (created if missing)")
    p.add_argument("--state-dir", required=True, help="directory for certificates etc.")
    p.add_argument("--tls", default="normal", choices=certs.VARIANTS)
    p.add_argument("--update-create", default="yes",
                   help="yes | no | default plus per-type overrides, e.g. 'yes,Consent=no'")
    p.add_argument("--auth", default="none", choices=("none", "bearer", "oauth2"))
    p.add_argument("--client-id", default="satchel-test-client")
    p.add_argument("--client-secret", default="fixture-secret")
    p.add_argument("--token-ttl", type=float, default=3600.0, help="access token lifetime, seconds")
    p.add_argument("--static-token", default=None, help="--auth bearer: the accepted static token")
    p.add_argument("--if-match-status", type=int, default=412, choices=(409, 412))
    p.add_argument("--invalid-status", type=int, default=422, choices=(400, 422),
                   help="status for resources that fail R4 validation")
    p.add_argument("--faults", default=None, help="JSON file of fault rules to install at start")
    p.add_argument("--verbose", action="store_true", help="log requests to stderr")
    p.add_argument("--sink", action="store_true",
                   help="answer every batch entry 201 without validating or storing it (a zero-cost "
                        "central system: the benchmark of Satchel's own sync ceiling, P3 (d))")
    return p


def main(argv=None):
    args = build_arg_parser().parse_args(argv)
    try:
        parse_update_create(args.update_create)
        os.makedirs(args.state_dir, exist_ok=True)
        db_dir = os.path.dirname(os.path.abspath(args.db))
        os.makedirs(db_dir, exist_ok=True)
        cert_paths = certs.generate(args.state_dir, args.tls)
        ctx = certs.server_context(cert_paths, args.tls)

        httpd = FixtureHTTPServer((args.host, args.port), Handler)
        port = httpd.server_address[1]
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
        base = "https://%s:%d" % (args.host, port)

        control_handler = type("ControlHandler", (Handler,), {"control_only": True})
        controld = FixtureHTTPServer((args.host, args.control_port), control_handler)
        control = "http://%s:%d/_control" % (args.host, controld.server_address[1])

        app = App(args, base, cert_paths)
        httpd.app = controld.app = app
        if args.faults:
            with open(args.faults) as f:
                app.faults.install(json.load(f))
    except Exception as e:
        sys.stderr.write("sync-fixture server: failed to start: %s: %s\n" % (type(e).__name__, e))
        return 1

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
               for s in (httpd, controld)]
    for t in threads:
        t.start()

    ready = {"ready": True, "port": port, "base": base, "ca": cert_paths["ca"], "pin": cert_paths["pin"],
             "control": control, "control_on_tls_port": base + "/_control", "token_url": base + "/token",
             "tls": args.tls, "auth": args.auth, "client_id": args.client_id,
             "client_secret": args.client_secret, "db": os.path.abspath(args.db), "pid": os.getpid(),
             "cert": cert_paths["cert"]}
    if args.auth == "bearer":
        ready["token"] = app.auth.static_token
    if "client_cert" in cert_paths:
        ready["client_cert"], ready["client_key"] = cert_paths["client_cert"], cert_paths["client_key"]
    sys.stdout.write(json.dumps(ready) + "\n")
    sys.stdout.flush()

    while not stop.wait(0.5):
        pass
    httpd.shutdown()
    controld.shutdown()
    httpd.server_close()
    controld.server_close()
    app.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
