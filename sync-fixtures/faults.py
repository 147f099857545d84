"""Fault rules installed by a test via POST /_control/faults.

Payload:  {"seed": 42, "rules": [RULE, ...]}     (a bare list of rules is also accepted)

RULE = {
  "fault": one of FAULTS below,
  "match": {                       all keys optional, AND-ed; {} matches every request
      "all": true,                 explicit "every request"
      "nth": 3,                    only the 3rd request that satisfies the other keys
      "method": "PUT",             or a list of methods
      "path": "/Patient",          path prefix (query string ignored)
      "id": "uuid",                request touches a resource with this id (URL or bundle entry)
      "resourceType": "Patient"    request touches a resource of this type
  },
  "count": 1,                      times the rule may fire (default 1; null or -1 = unlimited)
  "probability": 1.0,              chance to fire when matched (seeded RNG, reproducible)
  "retry_after": 2,                503/429: Retry-After seconds
  "seconds": 3,                    stall/delay: sleep length
  "status": 422                    reject: status to use (default 422)
}

FAULTS
  503, 429          respond with that status, Retry-After and an OperationOutcome; nothing stored
  reset             read the request, then abort the TCP connection (RST), nothing stored
  commit-then-reset store everything, then abort the connection without a response
  stall             process (store), send headers + half the body, sleep `seconds`,
                    then send the rest ("then": "finish", default) or close ("then": "close")
  truncate          process (store), send headers with the full Content-Length but only
                    half the body, then close the connection
  captive-portal    200 text/html login page instead of FHIR; nothing stored
  expire-token      invalidate the presented bearer token and answer 401 invalid_token;
                    the client must fetch a new token
  delay             sleep `seconds` before processing, then respond normally
  reject            resource-level: each matching resource (by id / resourceType) is refused
                    with `status` (422) + OperationOutcome; in a batch only that entry fails,
                    in a transaction the whole transaction fails, nothing stored
"""

import random
import threading

FAULTS = ("503", "429", "reset", "commit-then-reset", "stall", "truncate",
          "captive-portal", "expire-token", "delay", "reject")


class FaultError(ValueError):
    pass


class Rule:
    def __init__(self, spec, index):
        if not isinstance(spec, dict):
            raise FaultError("rule %d must be an object" % index)
        fault = str(spec.get("fault", spec.get("type", "")))
        if fault not in FAULTS:
            raise FaultError("rule %d: unknown fault %r (known: %s)" % (index, fault, ", ".join(FAULTS)))
        match = spec.get("match") or {}
        if not isinstance(match, dict):
            raise FaultError("rule %d: match must be an object" % index)
        unknown = set(match) - {"all", "nth", "method", "path", "id", "resourceType"}
        if unknown:
            raise FaultError("rule %d: unknown match keys %s" % (index, sorted(unknown)))
        self.index = index
        self.spec = spec
        self.fault = fault
        self.match = match
        count = spec.get("count", 1)
        self.count = None if count is None or count == -1 else int(count)
        self.probability = float(spec.get("probability", 1.0))
        self.seen = 0
        self.fired = 0
        methods = match.get("method")
        self.methods = None if methods is None else (
            {methods.upper()} if isinstance(methods, str) else {m.upper() for m in methods})

    def exhausted(self):
        return self.count is not None and self.fired >= self.count

    def request_matches(self, method, path, refs):
        """refs: list of (resourceType, id) the request touches."""
        m = self.match
        if self.methods and method.upper() not in self.methods:
            return False
        if "path" in m and not path.split("?")[0].startswith(m["path"]):
            return False
        if "id" in m and not any(i == m["id"] for _, i in refs):
            return False
        if "resourceType" in m and not any(t == m["resourceType"] for t, _ in refs):
            return False
        return True

    def resource_matches(self, rtype, rid):
        m = self.match
        if "id" in m and rid != m["id"]:
            return False
        if "resourceType" in m and rtype != m["resourceType"]:
            return False
        return True

    def describe(self):
        d = dict(self.spec)
        d["fired"] = self.fired
        d["seen"] = self.seen
        return d


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []
        self.rng = random.Random(0)
        self.seed = 0

    def install(self, payload):
        if isinstance(payload, list):
            payload = {"rules": payload}
        if not isinstance(payload, dict):
            raise FaultError("expected {\"seed\": N, \"rules\": [...]} or a list of rules")
        rules = [Rule(s, i) for i, s in enumerate(payload.get("rules") or [])]
        with self.lock:
            self.seed = payload.get("seed", 0)
            self.rng = random.Random(self.seed)
            self.rules = rules

    def clear(self):
        self.install({"rules": []})

    def describe(self):
        with self.lock:
            return {"seed": self.seed, "rules": [r.describe() for r in self.rules]}

    def _fires(self, rule):
        if rule.exhausted():
            return False
        if rule.probability < 1.0 and self.rng.random() >= rule.probability:
            return False
        rule.fired += 1
        return True

    def for_request(self, method, path, refs):
        """Pick the request-level fault (first rule that fires) or None.
        `reject` rules are only counted here (for nth) and returned separately."""
        chosen = None
        rejects = []
        with self.lock:
            for rule in self.rules:
                if not rule.request_matches(method, path, refs):
                    continue
                rule.seen += 1
                if "nth" in rule.match and rule.seen != int(rule.match["nth"]):
                    continue
                if rule.fault == "reject":
                    rejects.append(rule)
                    continue
                if chosen is None and self._fires(rule):
                    chosen = rule
        return chosen, RejectCheck(self, rejects)


class RejectCheck:
    """Per-resource check for `reject` rules that matched the request."""

    def __init__(self, faults, rules):
        self.faults = faults
        self.rules = rules

    def check(self, rtype, rid):
        if not self.rules:
            return None
        with self.faults.lock:
            for rule in self.rules:
                if rule.resource_matches(rtype, rid) and self.faults._fires(rule):
                    return rule
        return None
