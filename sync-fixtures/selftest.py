#!/usr/bin/env python3
"""Self-test for the sync fixtures (standard library only; needs .venv for the server).

    python3 sync-fixtures/selftest.py          (run ./setup-venv.sh first)

Starts server.py / faultproxy.py as subprocesses on 127.0.0.1, exercises them
with http.client + ssl (trusting only the generated CA) and prints a last line
"N passed, M failed". Exit status is non-zero if anything failed.
"""

import base64
import glob
import hashlib
import http.client
import json
import os
import select
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
VENV_PY = os.path.join(HERE, ".venv", "bin", "python")
GOLDEN = os.path.join(HERE, "golden")
FHIR = "application/fhir+json"

PASSED, FAILED = [], []


def check(name, cond, detail=""):
    if cond:
        PASSED.append(name)
        print("  ok    %s" % name)
    else:
        FAILED.append(name)
        print("  FAIL  %s %s" % (name, detail))
    return cond


def section(title):
    print("\n== %s" % title)


# -- processes -----------------------------------------------------------------------

class Proc:
    def __init__(self, argv, tmp, name):
        self.errpath = os.path.join(tmp, name + ".stderr")
        self.err = open(self.errpath, "w")
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.err, cwd=HERE)
        self.info = self._ready(30)

    def _ready(self, timeout):
        deadline = time.monotonic() + timeout
        buf = b""
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.p.stdout], [], [], 0.2)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 4096)
                if not chunk:
                    break
                buf += chunk
                if b"\n" in buf:
                    return json.loads(buf.split(b"\n")[0])
            elif self.p.poll() is not None:
                break
        self.stop()
        raise RuntimeError("process did not become ready: %s\n%s" % (buf, open(self.errpath).read()))

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.err.close()


def start_server(tmp, name, *extra):
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    argv = [VENV_PY, os.path.join(HERE, "server.py"), "--port", "0", "--db", os.path.join(d, "db.sqlite"),
            "--state-dir", d, *extra]
    return Proc(argv, tmp, name)


# -- HTTP helpers ------------------------------------------------------------------------

def client_ctx(ca):
    return ssl.create_default_context(cafile=ca)


class Client:
    """Keep-alive HTTPS client (one connection, reused)."""

    def __init__(self, info, host=None, port=None, timeout=10, ctx=None):
        self.info = info
        self.ctx = ctx or client_ctx(info["ca"])
        self.host = host or "127.0.0.1"
        self.port = port or info["port"]
        self.timeout = timeout
        self.conn = None
        self.token = None

    def connect(self):
        self.conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=self.timeout)

    def request(self, method, path, body=None, headers=None, timeout=None):
        if self.conn is None:
            self.connect()
        if timeout is not None:
            self.conn.timeout = timeout
            if self.conn.sock:
                self.conn.sock.settimeout(timeout)
        h = {"Accept": FHIR}
        if body is not None:
            h["Content-Type"] = FHIR
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body)
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        h.update(headers or {})
        try:
            self.conn.request(method, path, body=body, headers=h)
            r = self.conn.getresponse()
            data = r.read()
        except BaseException:
            self.conn.close()
            self.conn = None
            raise
        finally:
            if self.conn is not None and timeout is not None:
                self.conn.timeout = self.timeout
                if self.conn.sock:
                    self.conn.sock.settimeout(self.timeout)
        parsed = None
        if data and "json" in (r.getheader("Content-Type") or ""):
            parsed = json.loads(data)
        return r.status, {k.lower(): v for k, v in r.getheaders()}, parsed, data

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None


def control(info, method, name, payload=None):
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(info["control"] + "/" + name, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def stats(info):
    return control(info, "GET", "stats")


def faults(info, *rules, seed=0):
    return control(info, "POST", "faults", {"seed": seed, "rules": list(rules)})


def is_oo(body):
    return isinstance(body, dict) and body.get("resourceType") == "OperationOutcome" and bool(body.get("issue"))


def matches(expected, actual, base):
    if expected == "*":
        return True
    if isinstance(expected, str):
        return actual == expected.replace("{base}", base)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and set(expected) == set(actual) and \
            all(matches(v, actual[k], base) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and \
            all(matches(e, a, base) for e, a in zip(expected, actual))
    return expected == actual


def golden(kind):
    with open(os.path.join(GOLDEN, kind + ".request.json")) as f:
        req = json.load(f)
    with open(os.path.join(GOLDEN, kind + ".response.json")) as f:
        resp = json.load(f)
    return req, resp


def patient(pid=None, ident=None, **extra):
    pid = pid or str(uuid.uuid4())
    r = {"resourceType": "Patient", "id": pid, "name": [{"family": "McTestface", "given": ["Testy"]}],
         "identifier": [{"system": "https://satchel.example/Id/service-user", "value": ident or "SU-" + pid[:8]}]}
    r.update(extra)
    return r


def spki_pin_from_der(der):
    def tlv(buf, pos):
        length = buf[pos + 1]
        hdr = 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(buf[pos + 2:pos + 2 + n], "big")
            hdr += n
        return pos + hdr, pos + hdr + length

    def children(buf, start, end):
        out, pos = [], start
        while pos < end:
            cstart, cend = tlv(buf, pos)
            out.append((buf[pos], pos, cend))
            pos = cend
        return out

    cstart, cend = tlv(der, 0)
    tbs = children(der, cstart, cend)[0]
    ts, te = tlv(der, tbs[1])
    fields = children(der, ts, te)
    spki = fields[6] if fields[0][0] == 0xA0 else fields[5]
    return "sha256//" + base64.b64encode(hashlib.sha256(der[spki[1]:spki[2]]).digest()).decode()


def raises(fn, *types):
    try:
        fn()
    except types as e:
        return e
    except Exception as e:  # wrong kind of failure
        return AssertionError("unexpected %r" % e)
    return None


# -- test groups -----------------------------------------------------------------------------

def test_golden_files():
    section("golden files validate with fhir.resources 6.4.0")
    files = sorted(glob.glob(os.path.join(GOLDEN, "*.request.json")))
    r = subprocess.run([VENV_PY, os.path.join(HERE, "validate.py"), *files], capture_output=True, text=True)
    check("all %d golden requests are valid R4" % len(files), r.returncode == 0 and len(files) == 7,
          r.stdout + r.stderr)


def test_core(tmp):
    srv = start_server(tmp, "core")
    info = srv.info
    base = info["base"]
    try:
        section("ready line")
        check("ready line fields", info.get("ready") is True and info["base"] == "https://127.0.0.1:%d" % info["port"]
              and os.path.exists(info["ca"]) and info["pin"].startswith("sha256//"), info)

        c = Client(info)
        section("metadata + keep-alive")
        st, h, cs, _ = c.request("GET", "/metadata")
        sock0 = c.conn.sock
        res = {r["type"]: r for r in cs["rest"][0]["resource"]} if st == 200 else {}
        check("GET /metadata 200 CapabilityStatement 4.0.1",
              st == 200 and cs["resourceType"] == "CapabilityStatement" and cs["fhirVersion"] == "4.0.1"
              and cs["software"]["name"])
        check("metadata: updateCreate/conditionalCreate/interactions",
              res.get("Patient", {}).get("updateCreate") is True and res["Patient"]["conditionalCreate"] is True
              and {"read", "update", "create"} <= {i["code"] for i in res["Patient"]["interaction"]})

        section("golden PUTs, repeat PUT is a no-op")
        kinds = ["patient", "encounter", "riskassessment", "questionnaireresponse", "consent", "communication"]
        for kind in kinds:
            req, exp = golden(kind)
            st, h, body, _ = c.request("PUT", "/" + exp["request"]["url"], req)
            hdr_ok = all(matches(v, h.get(k.lower()), base) for k, v in exp["response"]["headers"].items())
            check("PUT %s matches golden response" % kind,
                  st == exp["response"]["status"] and hdr_ok and matches(exp["response"]["body"], body, base),
                  (st, h, body))
            st2, h2, body2, _ = c.request("PUT", "/" + exp["request"]["url"], req)
            check("repeat PUT %s -> 200, same version" % kind,
                  st2 == exp["repeat_status"] and h2.get("etag") == 'W/"1"' and body2 == body)
        check("keep-alive: all requests on one connection", c.conn.sock is sock0)
        s = stats(info)
        check("stats: 6 stored, 6 versions, 6 no-ops, 0 duplicates",
              s["total"] == 6 and s["versions_written"] == 6 and s["arrivals"].get("noop") == 6
              and s["duplicates"] == 0 and s["write_requests"] == 12, s)

        section("update, If-Match, read, search")
        preq, _ = golden("patient")
        pid = preq["id"]
        changed = dict(preq, birthDate="1990-01-02")
        st, h, body, _ = c.request("PUT", "/Patient/" + pid, changed)
        check("changed PUT -> 200 W/\"2\"", st == 200 and h.get("etag") == 'W/"2"', (st, h))
        st, h, body, _ = c.request("PUT", "/Patient/" + pid, dict(changed, gender="female"),
                                   {"If-Match": 'W/"1"'})
        check("stale If-Match -> 412 + OperationOutcome", st == 412 and is_oo(body), (st, body))
        st, h, body, _ = c.request("PUT", "/Patient/" + pid, dict(changed, gender="female"),
                                   {"If-Match": 'W/"2"'})
        check("matching If-Match -> 200 W/\"3\"", st == 200 and h.get("etag") == 'W/"3"', (st, h))
        st, h, body, _ = c.request("GET", "/Patient/" + pid)
        check("GET Patient -> 200, ETag W/\"3\", meta.versionId 3",
              st == 200 and h.get("etag") == 'W/"3"' and body["meta"]["versionId"] == "3")
        st, h, body, _ = c.request("GET", "/Patient/" + str(uuid.uuid4()))
        check("GET unknown -> 404 + OperationOutcome", st == 404 and is_oo(body))
        st, h, body, _ = c.request("GET", "/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919")
        check("search by identifier -> searchset with 1", st == 200 and body["type"] == "searchset"
              and body["total"] == 1)
        st, h, body, raw = c.request("PUT", "/Patient/" + pid, dict(changed, gender="male"),
                                     {"Prefer": "return=minimal"})
        check("Prefer return=minimal -> empty body + Location", st == 200 and raw == b"" and "location" in h)

        section("conditional create (If-None-Exist)")
        cond = "identifier=https://satchel.example/Id/service-user|SU-COND-1"
        p1 = patient(ident="SU-COND-1")
        del p1["id"]
        st, h, body, _ = c.request("POST", "/Patient", p1, {"If-None-Exist": cond})
        created_id = body.get("id") if body else None
        check("no match -> 201 Created", st == 201 and created_id and h["location"].endswith("/_history/1"))
        before = stats(info)
        st, h, body, _ = c.request("POST", "/Patient", p1, {"If-None-Exist": cond})
        after = stats(info)
        check("one match -> 200, nothing written", st == 200 and body["id"] == created_id
              and after["versions_written"] == before["versions_written"])
        c.request("PUT", "/Patient/dup-1", patient("dup-1", ident="SU-COND-1"))
        st, h, body, _ = c.request("POST", "/Patient", p1, {"If-None-Exist": cond})
        check("several matches -> 412", st == 412 and is_oo(body), st)
        check("stats count the deliberate duplicate", stats(info)["duplicates"] == 1)

        section("invalid resources")
        for name, res, want in [
            ("unknown element", patient("bad-1", favouriteColour="blue"), (422,)),
            ("bad gender code", patient("bad-2", gender="bogus"), (422,)),
            ("bad birthDate", patient("bad-3", birthDate="1990-13-45"), (422,)),
            ("Encounter.class as list", {"resourceType": "Encounter", "id": "bad-4", "status": "finished",
                                         "class": [{"code": "FLD"}]}, (422,)),
            ("missing required status", {"resourceType": "Encounter", "id": "bad-5",
                                         "class": {"code": "FLD"}}, (422,)),
        ]:
            rtype = res["resourceType"]
            st, h, body, _ = c.request("PUT", "/%s/%s" % (rtype, res["id"]), res)
            check("invalid (%s) -> %s + OperationOutcome" % (name, want), st in want and is_oo(body), (st, body))
        st, h, body, _ = c.request("PUT", "/Patient/bad-6", b"{not json")
        check("malformed JSON -> 400 + OperationOutcome", st == 400 and is_oo(body))
        st, h, body, _ = c.request("PUT", "/Patient/other-id", patient("bad-7"))
        check("id mismatch with URL -> 400", st == 400 and is_oo(body))
        check("nothing invalid was stored", all(c.request("GET", "/Patient/bad-%d" % i)[0] == 404
                                                for i in range(1, 8)))

        section("batch and transaction bundles")
        control(info, "POST", "reset")
        breq, bexp = golden("batch-bundle")
        st, h, body, _ = c.request("POST", "/", breq)
        check("golden batch -> matches golden batch-response",
              st == bexp["response"]["status"] and matches(bexp["response"]["body"], body, base), (st, body))
        s = stats(info)
        check("stats after batch: 6 resources of 6 types", s["total"] == 6 and len(s["by_type"]) == 6, s)
        st, h, body, _ = c.request("POST", "/", breq)
        check("repeat batch -> all 200 OK, no new versions",
              st == 200 and all(e["response"]["status"] == "200 OK" for e in body["entry"])
              and stats(info)["versions_written"] == 6)
        bad_bundle = {"resourceType": "Bundle", "type": "batch", "entry": [
            {"resource": patient("b-ok-1"), "request": {"method": "PUT", "url": "Patient/b-ok-1"}},
            {"resource": patient("b-bad", gender="nope"), "request": {"method": "PUT", "url": "Patient/b-bad"}},
            {"resource": patient("b-ok-2"), "request": {"method": "PUT", "url": "Patient/b-ok-2"}}]}
        st, h, body, _ = c.request("POST", "/", bad_bundle)
        codes = [e["response"]["status"] for e in body["entry"]] if st == 200 else []
        check("batch with one invalid entry: 201/422/201 in order, outcome on failure",
              codes == ["201 Created", "422 Unprocessable Entity", "201 Created"]
              and is_oo(body["entry"][1]["response"].get("outcome")), codes)
        cond_entry = {"resource": dict(patient(ident="SU-BATCH-COND")), "request": {
            "method": "POST", "url": "Patient",
            "ifNoneExist": "identifier=https://satchel.example/Id/service-user|SU-BATCH-COND"}}
        cond_entry["resource"].pop("id")
        b = {"resourceType": "Bundle", "type": "batch", "entry": [cond_entry]}
        s1 = c.request("POST", "/", b)[2]["entry"][0]["response"]["status"]
        s2 = c.request("POST", "/", b)[2]["entry"][0]["response"]["status"]
        check("batch request.ifNoneExist: 201 then 200", (s1, s2) == ("201 Created", "200 OK"), (s1, s2))
        pu = "urn:uuid:" + str(uuid.uuid4())
        tp = patient()
        del tp["id"]
        tx = {"resourceType": "Bundle", "type": "transaction", "entry": [
            {"fullUrl": "urn:uuid:" + str(uuid.uuid4()),
             "resource": {"resourceType": "Encounter", "status": "finished", "class": {"code": "FLD"},
                          "subject": {"reference": pu}},
             "request": {"method": "POST", "url": "Encounter"}},
            {"fullUrl": pu, "resource": tp, "request": {"method": "POST", "url": "Patient"}}]}
        st, h, body, _ = c.request("POST", "/", tx)
        ok = st == 200 and body["type"] == "transaction-response" and len(body["entry"]) == 2
        if ok:
            enc_loc = body["entry"][0]["response"]["location"]
            pat_loc = body["entry"][1]["response"]["location"]
            enc = c.request("GET", "/" + enc_loc.split("/_history")[0])[2]
            ok = enc["subject"]["reference"] == pat_loc.split("/_history")[0]
        check("transaction: in-order response, urn:uuid reference rewritten", ok, body)
        before = stats(info)["total"]
        tx_bad = {"resourceType": "Bundle", "type": "transaction", "entry": [
            {"resource": patient("t-ok"), "request": {"method": "PUT", "url": "Patient/t-ok"}},
            {"resource": patient("t-bad", gender="nope"), "request": {"method": "PUT", "url": "Patient/t-bad"}}]}
        st, h, body, _ = c.request("POST", "/", tx_bad)
        check("transaction with invalid entry -> 422, nothing stored",
              st == 422 and is_oo(body) and stats(info)["total"] == before, (st, body))

        audit_head_tests(info, c)
        fault_tests(info, c)
        c.close()
        return srv
    except BaseException:
        srv.stop()
        raise


def head_bundle(worker, seq, hash_):
    """A batch Bundle with no entries that reports a vault's audit head."""
    return {"resourceType": "Bundle", "type": "batch", "meta": {"extension": [{
        "url": "https://satchel.example/StructureDefinition/audit-head",
        "extension": [
            {"url": "worker", "valueIdentifier": {"system": "https://satchel.example/Id/worker", "value": worker}},
            {"url": "sequence", "valueInteger": seq},
            {"url": "hash", "valueString": hash_}]}]}}


def audit_head_tests(info, c):
    section("audit heads: rollback of a vault")
    control(info, "POST", "reset")
    a, b = "a" * 64, "b" * 64
    for seq, h in ((5, a), (9, b), (9, b)):
        st, _, body, _ = c.request("POST", "/", head_bundle("worker-one", seq, h))
    check("an empty batch with a head -> 200 batch-response", st == 200 and body.get("type") == "batch-response", (st, body))
    heads = control(info, "GET", "audit-heads")
    check("the highest sequence and its hash are kept per worker",
          heads["workers"].get("worker-one", {}).get("seq") == 9 and heads["workers"]["worker-one"]["hash"] == b
          and heads["rollbacks"] == [] and stats(info)["rollbacks"] == 0, heads)
    c.request("POST", "/", head_bundle("worker-one", 7, a))
    c.request("POST", "/", head_bundle("worker-one", 9, a))
    c.request("POST", "/", head_bundle("worker-two", 1, a))
    heads = control(info, "GET", "audit-heads")
    kinds = [(r["kind"], r["got_seq"], r["seen_seq"]) for r in heads["rollbacks"]]
    check("a lower sequence is a rollback, the same with another hash a fork; the highest stays",
          kinds == [("rollback", 7, 9), ("fork", 9, 9)] and heads["workers"]["worker-one"]["seq"] == 9
          and heads["workers"]["worker-one"]["rollbacks"] == 2 and heads["workers"]["worker-two"]["rollbacks"] == 0
          and stats(info)["rollbacks"] == 2, heads)
    control(info, "POST", "reset")
    check("reset forgets heads and rollbacks", control(info, "GET", "audit-heads") == {"workers": {}, "rollbacks": []})


def fault_tests(info, c):
    section("fault injection")
    conn_errors = (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead, ssl.SSLError,
                   OSError)

    faults(info, {"fault": "503", "retry_after": 7})
    st, h, body, _ = c.request("PUT", "/Patient/f-503", patient("f-503"))
    st2 = c.request("PUT", "/Patient/f-503", patient("f-503"))[0]
    check("503 with Retry-After, then normal", st == 503 and h.get("retry-after") == "7" and is_oo(body)
          and st2 == 201, (st, h, st2))

    faults(info, {"fault": "429", "retry_after": 2, "match": {"method": "PUT"}})
    st, h, body, _ = c.request("PUT", "/Patient/f-429", patient("f-429"))
    check("429 with Retry-After", st == 429 and h.get("retry-after") == "2", (st, h))

    faults(info, {"fault": "503", "match": {"nth": 2}})
    seq = [c.request("GET", "/metadata")[0] for _ in range(3)]
    check("nth=2 rule hits only the 2nd request", seq == [200, 503, 200], seq)

    faults(info, {"fault": "reset"})
    e = raises(lambda: c.request("PUT", "/Patient/f-reset", patient("f-reset")), *conn_errors)
    check("reset: connection dropped, nothing stored",
          isinstance(e, conn_errors) and c.request("GET", "/Patient/f-reset")[0] == 404, repr(e))

    faults(info, {"fault": "commit-then-reset", "match": {"id": "f-commit"}})
    before = stats(info)
    e = raises(lambda: c.request("PUT", "/Patient/f-commit", patient("f-commit")), *conn_errors)
    st = c.request("GET", "/Patient/f-commit")[0]
    check("commit-then-reset: client sees a dropped connection but the record is stored",
          isinstance(e, conn_errors) and st == 200 and stats(info)["total"] == before["total"] + 1, repr(e))
    st = c.request("PUT", "/Patient/f-commit", patient("f-commit"))[0]
    check("retry after commit-then-reset is a no-op 200", st == 200 and stats(info)["duplicates"] == 0)

    faults(info, {"fault": "stall", "seconds": 1.5, "count": 2})
    e = raises(lambda: c.request("GET", "/metadata", timeout=0.5), socket.timeout, TimeoutError)
    check("stall: client read timeout fires mid-body", isinstance(e, (socket.timeout, TimeoutError)), repr(e))
    t0 = time.monotonic()
    st, h, body, _ = c.request("GET", "/metadata", timeout=5)
    check("stall: patient client gets the full body after the stall",
          st == 200 and body["resourceType"] == "CapabilityStatement" and time.monotonic() - t0 >= 1.4)

    faults(info, {"fault": "truncate", "match": {"resourceType": "Patient"}})
    e = raises(lambda: c.request("PUT", "/Patient/f-trunc", patient("f-trunc")), *conn_errors)
    check("truncate: short body detected (IncompleteRead)", isinstance(e, http.client.IncompleteRead), repr(e))

    faults(info, {"fault": "captive-portal"})
    st, h, body, raw = c.request("PUT", "/Patient/f-portal", patient("f-portal"))
    check("captive portal: 200 text/html, nothing stored",
          st == 200 and h["content-type"].startswith("text/html") and b"<html" in raw
          and c.request("GET", "/Patient/f-portal")[0] == 404)

    faults(info, {"fault": "reject", "match": {"id": "f-rej-2"}})
    b = {"resourceType": "Bundle", "type": "batch", "entry": [
        {"resource": patient(i), "request": {"method": "PUT", "url": "Patient/" + i}}
        for i in ("f-rej-1", "f-rej-2", "f-rej-3")]}
    st, h, body, _ = c.request("POST", "/", b)
    codes = [e["response"]["status"] for e in body["entry"]]
    check("reject: only the chosen id gets 422 + OperationOutcome",
          codes == ["201 Created", "422 Unprocessable Entity", "201 Created"]
          and is_oo(body["entry"][1]["response"]["outcome"]), codes)
    st, h, body, _ = c.request("POST", "/", b)
    check("reject fires once (count 1), retry succeeds", body["entry"][1]["response"]["status"] == "201 Created")

    faults(info, {"fault": "delay", "seconds": 0.5})
    t0 = time.monotonic()
    st = c.request("GET", "/metadata")[0]
    check("delay: answered after the delay", st == 200 and time.monotonic() - t0 >= 0.45)

    def pattern(seed):
        faults(info, {"fault": "503", "probability": 0.5, "count": None}, seed=seed)
        return [c.request("GET", "/metadata")[0] for _ in range(12)]
    p1, p2 = pattern(7), pattern(7)
    check("probability rules are reproducible with a seed", p1 == p2 and 503 in p1 and 200 in p1, (p1, p2))
    desc = control(info, "GET", "faults")
    check("GET /_control/faults reports fired counts", desc["rules"][0]["fired"] == p1.count(503), desc)
    control(info, "POST", "reset", {"faults": True})
    check("faults cleared", c.request("GET", "/metadata")[0] == 200)
    s = stats(info)
    check("stats count fired faults", s["faults_fired"].get("503", 0) >= 2 and "reset" in s["faults_fired"], s)


def test_update_create_no(tmp):
    section("--update-create yes,Consent=no")
    srv = start_server(tmp, "ucno", "--update-create", "yes,Consent=no")
    try:
        c = Client(srv.info)
        cs = c.request("GET", "/metadata")[2]
        res = {r["type"]: r["updateCreate"] for r in cs["rest"][0]["resource"]}
        check("metadata shows updateCreate per type", res["Consent"] is False and res["Patient"] is True, res)
        req, _ = golden("consent")
        st, h, body, _ = c.request("PUT", "/Consent/" + req["id"], req)
        check("PUT new Consent with client id -> 405 + OperationOutcome", st == 405 and is_oo(body), st)
        r2 = dict(req)
        del r2["id"]
        st, h, body, _ = c.request("POST", "/Consent", r2)
        check("POST Consent (server id) -> 201", st == 201)
        st, h, body, _ = c.request("PUT", "/Patient/" + str(uuid.uuid4()), b"")
        check("PUT with empty body -> 400 + OperationOutcome", st == 400 and is_oo(body), st)
        p = patient()
        st = c.request("PUT", "/Patient/" + p["id"], p)[0]
        check("PUT new Patient still allowed -> 201", st == 201)
        c.close()
    finally:
        srv.stop()

    srv = start_server(tmp, "ucno2", "--update-create", "no")
    try:
        c = Client(srv.info)
        cs = c.request("GET", "/metadata")[2]
        check("--update-create no: all types false",
              all(r["updateCreate"] is False for r in cs["rest"][0]["resource"]))
        c.close()
    finally:
        srv.stop()


def test_auth(tmp):
    section("--auth oauth2 (token TTL 1s)")
    srv = start_server(tmp, "oauth", "--auth", "oauth2", "--token-ttl", "1")
    info = srv.info
    try:
        c = Client(info)
        p = patient()
        st, h, body, _ = c.request("PUT", "/Patient/" + p["id"], p)
        check("no token -> 401 + WWW-Authenticate Bearer", st == 401 and h.get("www-authenticate", "")
              .startswith("Bearer") and is_oo(body), (st, h))
        check("metadata needs no token", c.request("GET", "/metadata")[0] == 200)

        def token(secret="fixture-secret"):
            form = "grant_type=client_credentials&client_id=satchel-test-client&client_secret=" + secret
            st, h, body, _ = c.request("POST", "/token", form.encode(),
                                       {"Content-Type": "application/x-www-form-urlencoded"})
            return st, body

        st, body = token("wrong")
        check("bad client secret -> 401 invalid_client", st == 401 and body.get("error") == "invalid_client")
        st, body = token()
        check("token endpoint -> access_token + expires_in", st == 200 and body.get("access_token")
              and body.get("expires_in") == 1 and body.get("token_type") == "Bearer", body)
        c.token = body["access_token"]
        check("PUT with token -> 201", c.request("PUT", "/Patient/" + p["id"], p)[0] == 201)
        time.sleep(1.1)
        st, h, body, _ = c.request("PUT", "/Patient/" + p["id"], p)
        check("expired token -> 401 invalid_token", st == 401 and 'error="invalid_token"' in h.get(
            "www-authenticate", ""), (st, h))
        control(info, "POST", "config", {"token_ttl": 300})
        c.token = token()[1]["access_token"]
        faults(info, {"fault": "expire-token"})
        st, h, body, _ = c.request("PUT", "/Patient/" + p["id"], p)
        st2 = c.request("PUT", "/Patient/" + p["id"], p)[0]
        check("expire-token fault: 401 now and for the same token afterwards",
              st == 401 and "expired" in h.get("www-authenticate", "") and st2 == 401, (st, st2))
        c.token = token()[1]["access_token"]
        check("fresh token works again", c.request("PUT", "/Patient/" + p["id"], p)[0] == 200)
        c.close()
    finally:
        srv.stop()

    section("--auth bearer (static token)")
    srv = start_server(tmp, "bearer", "--auth", "bearer", "--static-token", "fixture-static-token")
    try:
        c = Client(srv.info)
        check("ready line carries the static token", srv.info.get("token") == "fixture-static-token")
        c.token = "wrong"
        st, h, _, _ = c.request("GET", "/Patient/x")
        check("wrong token -> 401", st == 401 and "invalid_token" in h.get("www-authenticate", ""))
        c.token = "fixture-static-token"
        check("static token -> 404 for unknown id (authorised)", c.request("GET", "/Patient/x")[0] == 404)
        c.close()
    finally:
        srv.stop()


def test_tls(tmp, core_info):
    section("TLS")
    with socket.create_connection(("127.0.0.1", core_info["port"])) as raw:
        with client_ctx(core_info["ca"]).wrap_socket(raw, server_hostname="127.0.0.1") as s:
            der = s.getpeercert(binary_form=True)
            version = s.version()
    check("normal: verified with the CA, TLS >= 1.2", version in ("TLSv1.2", "TLSv1.3"), version)
    check("printed pin equals the SPKI SHA-256 of the served cert", spki_pin_from_der(der) == core_info["pin"])

    insecure = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    for variant in ("self-signed", "expired", "wrong-host"):
        srv = start_server(tmp, "tls-" + variant, "--tls", variant)
        try:
            e = raises(lambda: Client(srv.info).request("GET", "/metadata"), ssl.SSLCertVerificationError)
            check("%s: verifying client refuses (%s)" % (variant, getattr(e, "verify_message", e)),
                  isinstance(e, ssl.SSLCertVerificationError), repr(e))
            st = Client(srv.info, ctx=insecure).request("GET", "/metadata")[0]
            check("%s: server itself is up (non-verifying client gets 200)" % variant, st == 200)
        finally:
            srv.stop()

    srv = start_server(tmp, "tls-old", "--tls", "tls1.0")
    try:
        e = raises(lambda: Client(srv.info).request("GET", "/metadata"), ssl.SSLError)
        check("tls1.0: a default (TLS >= 1.2) client refuses", isinstance(e, ssl.SSLError), repr(e))
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.load_verify_locations(srv.info["ca"])
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            old.set_ciphers("DEFAULT:@SECLEVEL=0")
            old.minimum_version = ssl.TLSVersion.TLSv1
        with socket.create_connection(("127.0.0.1", srv.info["port"])) as raw:
            with old.wrap_socket(raw, server_hostname="127.0.0.1") as s:
                v = s.version()
        check("tls1.0: server really speaks only TLS 1.0/1.1 (got %s)" % v, v in ("TLSv1", "TLSv1.1"))
    finally:
        srv.stop()


def test_proxy(tmp, core_info):
    section("fault proxy")
    argv = [sys.executable, os.path.join(HERE, "faultproxy.py"), "--target-port", str(core_info["port"]),
            "--seed", "3"]
    px = Proc(argv, tmp, "proxy")
    pinfo = px.info
    pc = pinfo["control"]

    def pcontrol(path, payload=None):
        req = urllib.request.Request(pc + path, data=None if payload is None else json.dumps(payload).encode(),
                                     method="GET" if payload is None else "POST")
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.loads(r.read())

    def fresh_get(timeout=10):
        c = Client(core_info, port=pinfo["port"], timeout=timeout)
        try:
            return c.request("GET", "/metadata")
        finally:
            c.close()

    try:
        check("proxy ready line", pinfo.get("ready") is True and pinfo["port"] > 0)
        t0 = time.monotonic()
        st = fresh_get()[0]
        base_t = time.monotonic() - t0
        check("pass-through: TLS verified end to end via the proxy", st == 200)

        pcontrol("/config", {"latency_ms": 150, "jitter_ms": 20})
        t0 = time.monotonic()
        st = fresh_get()[0]
        dt = time.monotonic() - t0
        check("latency 150ms/direction: fresh HTTPS request takes >= 0.5s (took %.2fs, direct %.2fs)"
              % (dt, base_t), st == 200 and dt >= 0.5)

        pcontrol("/config", {"latency_ms": 0, "jitter_ms": 0, "bandwidth": 8000})
        t0 = time.monotonic()
        st, h, _, raw = fresh_get()
        dt = time.monotonic() - t0
        check("bandwidth 8000 B/s: %d-byte body took %.2fs" % (len(raw), dt),
              st == 200 and dt >= len(raw) / 8000.0 * 0.8)

        pcontrol("/config", {"bandwidth": 0, "reset_probability": 1.0, "reset_after_bytes": 0})
        e = raises(fresh_get, ConnectionError, ssl.SSLError, OSError, http.client.HTTPException)
        check("reset probability 1: connection reset", isinstance(e, (ConnectionError, ssl.SSLError, OSError,
                                                                       http.client.HTTPException)), repr(e))

        def reset_pattern():
            pcontrol("/config", {"reset_probability": 0.5, "reset_after_bytes": 0, "seed": 11})
            out = []
            for _ in range(8):
                out.append("ok" if raises(fresh_get, Exception) is None else "reset")
            return out
        a, b = reset_pattern(), reset_pattern()
        check("seeded resets are reproducible", a == b and "ok" in a and "reset" in a, (a, b))

        pcontrol("/config", {"reset_probability": 0})
        pcontrol("/hang", {"seconds": 2})
        e = raises(lambda: fresh_get(timeout=0.7), socket.timeout, TimeoutError, ssl.SSLError, OSError)
        check("hang: client times out", isinstance(e, (socket.timeout, TimeoutError)), repr(e))
        pcontrol("/unhang", {})
        check("unhang: traffic flows again", fresh_get()[0] == 200)
        check("proxy counters", pcontrol("/config")["stats"]["resets"] >= 1)
    finally:
        px.stop()


def test_reads(tmp):
    """Reads and search for `caseload pull`: Group/List, reference searches, _sort, _count,
    _lastUpdated, next links, seeding through the control API, faults on reads."""
    srv = start_server(tmp, "reads", "--update-create", "no")
    info = srv.info
    try:
        c = Client(info)
        section("caseload reads and search")
        r = control(info, "POST", "caseload", {"kind": "Group", "id": "team-north",
                                               "members": ["read-p1", "Patient/read-p2"]})
        st, _, g, _ = c.request("GET", "/Group/team-north")
        check("control caseload seeds a Group, readable", st == 200 and
              [m["entity"]["reference"] for m in g["member"]] == ["Patient/read-p1", "Patient/read-p2"], g)
        control(info, "POST", "caseload", {"kind": "List", "id": "team-south", "members": ["read-p1"]})
        st, _, lst, _ = c.request("GET", "/List/team-south")
        check("control caseload seeds a List", st == 200 and lst["entry"][0]["item"]["reference"] == "Patient/read-p1")

        def risk(rid, who, date):
            return {"resourceType": "RiskAssessment", "id": rid, "status": "final",
                    "subject": {"reference": "Patient/" + who}, "occurrenceDateTime": date}
        seeded = control(info, "POST", "seed", {"resources": [
            patient("read-p1"), patient("read-p2"),
            risk("read-r1", "read-p1", "2026-11-01T10:00:00Z"), risk("read-r2", "read-p1", "2026-11-03T10:00:00Z"),
            risk("read-r3", "read-p1", "2026-11-02T10:00:00Z"), risk("read-r4", "read-p2", "2026-11-02T10:00:00Z")]})
        check("control seed stores resources even with update-create off", len(seeded["stored"]) == 6, seeded)

        st, _, b, _ = c.request("GET", "/RiskAssessment?subject=Patient/read-p1&_sort=-date")
        check("search by subject, _sort=-date", st == 200 and b["type"] == "searchset" and b["total"] == 3 and
              [e["resource"]["id"] for e in b["entry"]] == ["read-r2", "read-r3", "read-r1"], b)
        st, _, b, _ = c.request("GET", "/RiskAssessment?subject=read-p1,read-p2&_sort=date&_count=2")
        nxt = [l["url"] for l in b.get("link", []) if l["relation"] == "next"]
        check("_count pages with a next link", st == 200 and b["total"] == 4 and len(b["entry"]) == 2 and
              len(nxt) == 1 and nxt[0].startswith(info["base"] + "/RiskAssessment?"), b)
        ids = [e["resource"]["id"] for e in b["entry"]]
        while nxt:
            st, _, b, _ = c.request("GET", nxt[0][len(info["base"]):])
            ids += [e["resource"]["id"] for e in b["entry"]]
            nxt = [l["url"] for l in b.get("link", []) if l["relation"] == "next"]
        check("following next links gives every match once", sorted(ids) == ["read-r1", "read-r2", "read-r3", "read-r4"]
              and len(ids) == 4, ids)
        cut = control(info, "GET", "resources?type=RiskAssessment")["resources"][-1]["meta"]["lastUpdated"]
        time.sleep(0.01)
        control(info, "POST", "seed", {"resources": [risk("read-r5", "read-p2", "2026-11-04T10:00:00Z")]})
        st, _, b, _ = c.request("GET", "/RiskAssessment?subject=Patient/read-p2&_lastUpdated=gt" +
                                urllib.parse.quote(cut))
        check("_lastUpdated=gt gives only what changed", st == 200 and
              [e["resource"]["id"] for e in b["entry"]] == ["read-r5"], b)
        st, _, b, _ = c.request("GET", "/Patient?_id=read-p2")
        check("search by _id", st == 200 and b["total"] == 1)
        control(info, "POST", "seed", {"resources": [
            {"resourceType": "CarePlan", "id": "read-cp1", "status": "active", "intent": "plan",
             "subject": {"reference": "Patient/read-p1"}},
            {"resourceType": "CarePlan", "id": "read-cp2", "status": "revoked", "intent": "plan",
             "subject": {"reference": "Patient/read-p1"}},
            {"resourceType": "Consent", "id": "read-c1", "status": "active",
             "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                                   "code": "patient-privacy"}]},
             "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
             "patient": {"reference": "Patient/read-p1"}, "policyRule": {"text": "fixture"}}]})
        st, _, b, _ = c.request("GET", "/CarePlan?subject=Patient/read-p1&status=active")
        check("status filter", st == 200 and [e["resource"]["id"] for e in b["entry"]] == ["read-cp1"], b)
        st, _, b, _ = c.request("GET", "/Consent?patient=Patient/read-p1")
        check("Consent?patient=", st == 200 and b["total"] == 1, b)
        st, _, b, _ = c.request("GET", "/Encounter?subject=Patient/read-p1&_count=3")
        check("empty searchset has no next link", st == 200 and b["total"] == 0 and
              [l["relation"] for l in b["link"]] == ["self"], b)
        st, _, b, _ = c.request("GET", "/RiskAssessment?colour=blue")
        check("unknown search parameter: 400", st == 400 and is_oo(b))
        st, _, b, _ = c.request("GET", "/RiskAssessment?_lastUpdated=gtyesterday")
        check("_lastUpdated that is not an instant: 400", st == 400 and is_oo(b))

        section("faults on reads")
        faults(info, {"fault": "503", "match": {"method": "GET", "resourceType": "RiskAssessment"}})
        st = c.request("GET", "/RiskAssessment?subject=Patient/read-p1")[0]
        st2 = c.request("GET", "/RiskAssessment?subject=Patient/read-p1")[0]
        check("503 on a search, then normal", (st, st2) == (503, 200), (st, st2))
        faults(info, {"fault": "reset", "match": {"method": "GET", "path": "/Group"}})
        e = raises(lambda: c.request("GET", "/Group/team-north"), ConnectionError, http.client.RemoteDisconnected,
                   ssl.SSLError, OSError)
        check("reset on a Group read", isinstance(e, (ConnectionError, OSError, ssl.SSLError)), repr(e))
        faults(info, {"fault": "truncate", "match": {"method": "GET"}})
        e = raises(lambda: c.request("GET", "/RiskAssessment?subject=Patient/read-p1"), http.client.IncompleteRead,
                   ConnectionError, OSError)
        check("truncate on a search", isinstance(e, (http.client.IncompleteRead, ConnectionError, OSError)), repr(e))
        c.close()
    finally:
        srv.stop()


def main():
    t_start = time.monotonic()
    if not os.path.exists(VENV_PY):
        print("selftest: %s missing - run ./setup-venv.sh first" % VENV_PY, file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    tmp = tempfile.mkdtemp(prefix="sync-fixtures-selftest-")
    core = None
    try:
        test_golden_files()
        core = test_core(tmp)
        test_tls(tmp, core.info)
        test_proxy(tmp, core.info)
        test_update_create_no(tmp)
        test_auth(tmp)
        test_reads(tmp)
    except Exception as e:
        import traceback
        traceback.print_exc()
        check("selftest ran to completion", False, repr(e))
    finally:
        if core:
            core.stop()
        if not FAILED:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("logs kept in", tmp)
    print("\nselftest took %.1fs" % (time.monotonic() - t_start))
    print("%d passed, %d failed" % (len(PASSED), len(FAILED)))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
