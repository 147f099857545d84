"""FHIR R4 interactions: capabilities, read, update (PUT), create / conditional
create (POST), identifier search, and batch / transaction Bundles.

Everything here is transport-free: methods return `Result`s or raise `FhirError`;
server.py turns them into HTTP.
"""

import datetime
import http
import json
import re
import urllib.parse
import uuid

import validate
from validate import Invalid, issue, operation_outcome

SATCHEL_TYPES = ("Patient", "Encounter", "RiskAssessment", "QuestionnaireResponse",
                 "Consent", "Communication", "Observation", "CarePlan", "EpisodeOfCare",
                 "DocumentReference", "Flag", "Group", "List")
ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
SOFTWARE_NAME = "Satchel Sync Fixture Server"
AUDIT_HEAD_URL = "https://satchel.example/StructureDefinition/audit-head"
WORKER_SYSTEM = "https://satchel.example/Id/worker"
SOFTWARE_VERSION = "1.0.0"


def status_line(code):
    return "%d %s" % (code, http.HTTPStatus(code).phrase)


class FhirError(Exception):
    def __init__(self, status, issues):
        if isinstance(issues, (str,)):
            issues = [issue(issues)]
        elif isinstance(issues, dict):
            issues = [issues]
        super().__init__("%d: %s" % (status, "; ".join(i.get("diagnostics", "") for i in issues)))
        self.status = status
        self.issues = issues

    def outcome(self):
        return operation_outcome(self.issues)


class Result:
    """Outcome of one interaction (one request, or one Bundle entry)."""

    def __init__(self, status, rtype=None, rid=None, version=None, last_updated=None,
                 resource=None, outcome=None):
        self.status = status
        self.rtype, self.rid, self.version = rtype, rid, version
        self.last_updated = last_updated
        self.resource = resource
        self.outcome = outcome

    @property
    def location(self):
        if self.rtype and self.rid and self.version is not None:
            return "%s/%s/_history/%s" % (self.rtype, self.rid, self.version)
        return None

    @property
    def etag(self):
        return None if self.version is None else 'W/"%s"' % self.version

    def entry_response(self):
        resp = {"status": status_line(self.status)}
        if self.location:
            resp["location"] = self.location
        if self.etag:
            resp["etag"] = self.etag
        if self.last_updated:
            resp["lastModified"] = self.last_updated
        if self.outcome:
            resp["outcome"] = self.outcome
        return resp


def parse_etag(value):
    """'W/"3"' or '"3"' or '3' -> '3'."""
    v = value.strip()
    if v.startswith("W/"):
        v = v[2:]
    return v.strip('"')


def split_url(url):
    """'Patient/x', '/Patient/x', 'https://host/base/Patient/x?q' -> (parts, query)."""
    parsed = urllib.parse.urlsplit(url)
    path = parsed.path if parsed.scheme else url.split("?")[0]
    query = parsed.query if parsed.scheme else (url.split("?", 1)[1] if "?" in url else "")
    parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/") if p]
    return parts, query


class Fhir:
    def __init__(self, store, update_create, default_update_create=True,
                 if_match_status=412, invalid_status=422, token_url=None):
        self.store = store
        self.update_create = dict(update_create)      # type -> bool
        self.default_update_create = default_update_create
        self.if_match_status = if_match_status
        self.invalid_status = invalid_status
        self.token_url = token_url
        # A zero-cost central system: batch entries answered 201, nothing validated or kept.
        self.sink = False

    def allows_update_create(self, rtype):
        return self.update_create.get(rtype, self.default_update_create)

    # -- capabilities ---------------------------------------------------------
    def capability_statement(self, base):
        types = list(SATCHEL_TYPES) + [t for t in self.update_create if t not in SATCHEL_TYPES]
        resources = []
        for t in types:
            resources.append({
                "type": t,
                "interaction": [{"code": "read"}, {"code": "update"}, {"code": "create"},
                                {"code": "search-type"}],
                "versioning": "versioned-update",
                "readHistory": False,
                "updateCreate": self.allows_update_create(t),
                "conditionalCreate": True,
                "conditionalUpdate": False,
                "conditionalDelete": "not-supported",
                "searchParam": [{"name": n, "type": t} for n, t in (
                    ("identifier", "token"), ("_id", "token"), ("subject", "reference"),
                    ("patient", "reference"), ("status", "token"), ("_lastUpdated", "date"))],
            })
        rest = {"mode": "server", "resource": resources,
                "interaction": [{"code": "batch"}, {"code": "transaction"}]}
        if self.token_url:
            rest["security"] = {
                "extension": [{
                    "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                    "extension": [{"url": "token", "valueUri": self.token_url}]}],
                "service": [{"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                    "code": "OAuth", "display": "OAuth"}]}],
                "description": "OAuth2 client-credentials; bearer tokens from the token URL",
            }
        return {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-01-01",
            "publisher": "Satchel test fixtures",
            "kind": "instance",
            "software": {"name": SOFTWARE_NAME, "version": SOFTWARE_VERSION},
            "implementation": {"description": "Stand-in central system for Satchel sync tests",
                               "url": base},
            "fhirVersion": "4.0.1",
            "format": ["application/fhir+json", "json"],
            "rest": [rest],
        }

    # -- helpers -----------------------------------------------------------------
    def _validate(self, resource, rtype):
        try:
            validate.validate_resource(resource, rtype)
        except Invalid as e:
            raise FhirError(e.status or self.invalid_status, e.issues)

    def _known_type(self, rtype):
        try:
            klass = validate.get_fhir_model_class(rtype)
        except KeyError:
            klass = None
        if klass is None or not issubclass(klass, validate.Resource) or \
                rtype in ("Resource", "DomainResource", "Bundle"):
            raise FhirError(404, issue("resource type %r is not supported" % rtype, code="not-supported"))

    def _check_reject(self, rejects, rtype, rid):
        rule = rejects.check(rtype, rid) if rejects else None
        if rule:
            status = int(rule.spec.get("status", 422))
            raise FhirError(status, issue(rule.spec.get("diagnostics",
                                                        "Injected rejection of %s/%s" % (rtype, rid)),
                                          code="business-rule"))

    # -- read / search ------------------------------------------------------------
    def read(self, rtype, rid, vid=None):
        self._known_type(rtype)
        cur = self.store.get_version(rtype, rid, int(vid)) if vid and vid.isdigit() \
            else (None if vid else self.store.get(rtype, rid))
        if not cur:
            raise FhirError(404, issue("%s/%s%s not found" % (rtype, rid, "/_history/" + vid if vid else ""),
                                       code="not-found"))
        return Result(200, rtype, rid, cur["version"], cur["last_updated"], cur["resource"])

    def search(self, rtype, query, base):
        """A searchset Bundle, one page at a time. Parameters: identifier, _id, subject,
        patient, status (comma = OR), _lastUpdated (gt/ge/lt/le/eq prefixes, repeatable),
        _sort (date, -date, _lastUpdated, -_lastUpdated), _count (page size, default 50)
        and _offset (used by the next links this server makes)."""
        self._known_type(rtype)
        params = urllib.parse.parse_qsl(query, keep_blank_values=True)
        if not params:
            raise FhirError(400, issue("a search needs parameters (identifier, _id, subject, patient, "
                                       "status, _lastUpdated)", code="not-supported"))
        count, offset, sort, filters = 50, 0, None, []
        for name, value in params:
            if name in ("_format", "_summary"):
                continue
            if name == "_count":
                count = _non_negative(name, value)
            elif name == "_offset":
                offset = _non_negative(name, value)
            elif name == "_sort":
                if value not in ("date", "-date", "_lastUpdated", "-_lastUpdated"):
                    raise FhirError(400, issue("unsupported _sort %r" % value, code="not-supported"))
                sort = value
            elif name in SEARCH_PARAMS:
                filters.append((name, value))
            else:
                raise FhirError(400, issue("unsupported search parameter %r" % name, code="not-supported"))
        rows = [r for r in self.store.list_current(rtype) if all(self._matches(rtype, r, n, v) for n, v in filters)]
        if sort:
            key = (lambda r: r["last_updated"]) if sort.endswith("_lastUpdated") else \
                (lambda r: date_of(r["resource"]) or "")
            rows.sort(key=key, reverse=sort.startswith("-"))
        page = rows[offset:offset + count]
        entries = [{"fullUrl": "%s/%s/%s" % (base, rtype, r["resource"]["id"]), "resource": r["resource"],
                    "search": {"mode": "match"}} for r in page]
        kept = [(n, v) for n, v in params if n != "_offset"]
        links = [{"relation": "self", "url": _page_url(base, rtype, kept, offset)}]
        if offset + count < len(rows) and count > 0:
            links.append({"relation": "next", "url": _page_url(base, rtype, kept, offset + count)})
        return {"resourceType": "Bundle", "id": str(uuid.uuid4()), "type": "searchset",
                "total": len(rows), "link": links, "entry": entries}

    def _matches(self, rtype, row, name, value):
        resource = row["resource"]
        if name == "identifier":
            return resource["id"] in self._identifier_query(rtype, "identifier=" + urllib.parse.quote(value))
        if name == "_lastUpdated":
            return _compare_instant(row["last_updated"], value)
        wanted = value.split(",")
        if name == "_id":
            return resource.get("id") in wanted
        if name == "status":
            return resource.get("status") in wanted
        if name == "patient" and "patient" not in resource:
            name = "subject"     # FHIR R4: `patient` searches Flag.subject, Encounter.subject, …
        ref = (resource.get(name) or {}) if isinstance(resource.get(name), dict) else {}
        target = ref.get("reference") or ""
        return any(target == w or target == "Patient/" + w or target.endswith("/" + w) for w in wanted)

    def _identifier_query(self, rtype, query):
        params = urllib.parse.parse_qsl(query, keep_blank_values=True)
        if not params:
            raise FhirError(400, issue("a search needs identifier=system|value", code="not-supported"))
        result = None
        for name, value in params:
            if name in ("_format", "_summary", "_count"):
                continue
            if name != "identifier":
                raise FhirError(400, issue("unsupported search parameter %r (only identifier)" % name,
                                           code="not-supported"))
            if "|" in value:
                system, val = value.split("|", 1)
            else:
                system, val = None, value
            ids = set(self.store.find_by_identifier(rtype, system, val))
            result = ids if result is None else result & ids
        return sorted(result or [])

    # -- writes ---------------------------------------------------------------------
    def update(self, rtype, rid, resource, if_match=None, rejects=None, method="PUT", path=None):
        self._known_type(rtype)
        if not ID_RE.match(rid or ""):
            raise FhirError(400, issue("invalid id %r" % rid, code="invalid"))
        if not isinstance(resource, dict):
            raise FhirError(400, issue("body must be a FHIR resource JSON object", code="structure"))
        if resource.get("resourceType") != rtype:
            raise FhirError(400, issue("resourceType %r does not match URL type %r"
                                       % (resource.get("resourceType"), rtype)))
        if resource.get("id") != rid:
            raise FhirError(400, issue("resource id %r must match the URL id %r" % (resource.get("id"), rid),
                                       code="invalid", expression=rtype + ".id"))
        self._validate(resource, rtype)
        self._check_reject(rejects, rtype, rid)
        with self.store.tx():
            cur = self.store.get(rtype, rid)
            if if_match is not None:
                want = parse_etag(if_match)
                if not cur:
                    raise FhirError(self.if_match_status, issue(
                        "If-Match %s but %s/%s does not exist" % (if_match, rtype, rid), code="conflict"))
                if want != str(cur["version"]):
                    raise FhirError(self.if_match_status, issue(
                        "Version conflict: If-Match %s but current version is %s" % (if_match, cur["version"]),
                        code="conflict"))
            if not cur and not self.allows_update_create(rtype) and method != "CONTROL":
                raise FhirError(405, issue("%s/%s does not exist and this server does not allow "
                                           "update-as-create (client-assigned ids) for %s" % (rtype, rid, rtype),
                                           code="not-supported"))
            outcome, version, last_updated, stored = self.store.put(rtype, rid, resource)
            self.store.log_arrival(method, path, rtype, rid, outcome, version)
        return Result(201 if outcome == "created" else 200, rtype, rid, version, last_updated, stored)

    def create(self, rtype, resource, if_none_exist=None, rejects=None, method="POST", path=None,
               assigned_id=None):
        self._known_type(rtype)
        if not isinstance(resource, dict):
            raise FhirError(400, issue("body must be a FHIR resource JSON object", code="structure"))
        if resource.get("resourceType") != rtype:
            raise FhirError(400, issue("resourceType %r does not match URL type %r"
                                       % (resource.get("resourceType"), rtype)))
        self._validate(resource, rtype)
        with self.store.tx():
            if if_none_exist:
                ids = self._identifier_query(rtype, if_none_exist)
                if len(ids) > 1:
                    raise FhirError(412, issue("If-None-Exist %s matched %d resources (%s)"
                                               % (if_none_exist, len(ids), ", ".join(ids)), code="duplicate"))
                if len(ids) == 1:
                    cur = self.store.get(rtype, ids[0])
                    self.store.log_arrival(method, path, rtype, ids[0], "matched", cur["version"])
                    return Result(200, rtype, ids[0], cur["version"], cur["last_updated"], cur["resource"])
            rid = assigned_id or str(uuid.uuid4())
            self._check_reject(rejects, rtype, resource.get("id") or rid)
            resource = dict(resource)
            resource["id"] = rid
            outcome, version, last_updated, stored = self.store.put(rtype, rid, resource)
            self.store.log_arrival(method, path, rtype, rid, "created", version)
        return Result(201, rtype, rid, version, last_updated, stored)

    # -- bundles ----------------------------------------------------------------------
    def bundle(self, body, rejects=None, path="/"):
        if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
            raise FhirError(400, issue("POST to the base needs a Bundle", code="invalid"))
        btype = body.get("type")
        if btype not in ("batch", "transaction"):
            raise FhirError(400, issue("Bundle.type must be batch or transaction, got %r" % btype,
                                       code="not-supported"))
        try:
            validate.validate_bundle_skeleton(body)
        except Invalid as e:
            raise FhirError(e.status or self.invalid_status, e.issues)
        head = audit_head(body)
        if head:
            self.store.note_audit_head(*head)
        entries = body.get("entry") or []
        for n, e in enumerate(entries):
            req = e.get("request")
            if not isinstance(req, dict) or not req.get("method") or not req.get("url"):
                raise FhirError(400, issue("Bundle.entry[%d].request with method and url is required" % n,
                                           code="required"))
        if btype == "batch":
            results = [self._batch_entry(e, rejects, path) for e in entries]
        else:
            results = self._transaction(entries, rejects, path)
        return {"resourceType": "Bundle", "id": str(uuid.uuid4()), "type": btype + "-response",
                "entry": [{"response": r.entry_response()} for r in results]}

    def _entry(self, entry, rejects, path, assigned_id=None):
        req = entry["request"]
        method = req["method"].upper()
        parts, query = split_url(req["url"])
        resource = entry.get("resource")
        if method == "PUT":
            if len(parts) != 2:
                raise FhirError(400, issue("PUT url must be Type/id (conditional update is not supported): %r"
                                           % req["url"], code="not-supported"))
            return self.update(parts[0], parts[1], resource, req.get("ifMatch"), rejects, "PUT", path)
        if method == "POST":
            if len(parts) != 1:
                raise FhirError(400, issue("POST url must be a resource type: %r" % req["url"]))
            return self.create(parts[0], resource, req.get("ifNoneExist"), rejects, "POST", path,
                               assigned_id)
        if method == "GET" and len(parts) in (2, 4):
            return self.read(parts[0], parts[1], parts[3] if len(parts) == 4 else None)
        raise FhirError(405, issue("%s %s is not supported in a Bundle" % (method, req["url"]),
                                   code="not-supported"))

    def _batch_entry(self, entry, rejects, path):
        try:
            return self._entry(entry, rejects, path)
        except FhirError as e:
            res = entry.get("resource") if isinstance(entry.get("resource"), dict) else {}
            self.store.log_arrival(entry["request"]["method"].upper(), path, res.get("resourceType"),
                                   res.get("id"), "rejected")
            return Result(e.status, outcome=e.outcome())

    def _transaction(self, entries, rejects, path):
        # Server ids for POSTs, so urn:uuid fullUrls can be rewritten to Type/id.
        refmap, assigned = {}, {}
        for n, e in enumerate(entries):
            method = e["request"]["method"].upper()
            parts, _ = split_url(e["request"]["url"])
            target = None
            if method == "POST" and len(parts) == 1:
                assigned[n] = str(uuid.uuid4())
                target = "%s/%s" % (parts[0], assigned[n])
            elif method == "PUT" and len(parts) == 2:
                target = "%s/%s" % (parts[0], parts[1])
            if target and e.get("fullUrl"):
                refmap[e["fullUrl"]] = target
        entries = [dict(e, resource=_rewrite_refs(e["resource"], refmap)) if "resource" in e else e
                   for e in entries]
        order = {"DELETE": 0, "POST": 1, "PUT": 2, "PATCH": 2, "GET": 3, "HEAD": 3}
        results = [None] * len(entries)
        try:
            with self.store.tx():
                for n in sorted(range(len(entries)),
                                key=lambda i: (order.get(entries[i]["request"]["method"].upper(), 9), i)):
                    try:
                        results[n] = self._entry(entries[n], rejects, path, assigned.get(n))
                    except FhirError as err:
                        err.issues = [dict(i, diagnostics="Bundle.entry[%d]: %s" % (n, i.get("diagnostics", "")))
                                      for i in err.issues]
                        raise
        except FhirError:
            self.store.log_arrival("POST", path, "Bundle", None, "failed")
            raise
        return results


SEARCH_PARAMS = ("identifier", "_id", "subject", "patient", "status", "_lastUpdated")


def sink_response(body):
    """A batch-response of 201 for every entry, nothing validated or stored: what a central
    system that cost nothing would answer (bench/run P3 (d), Satchel's own ceiling)."""
    entries = body.get("entry") if isinstance(body, dict) else None
    n = len(entries) if isinstance(entries, list) else 0
    return {"resourceType": "Bundle", "type": "batch-response",
            "entry": [{"response": {"status": "201 Created"}}] * n}


def date_of(resource):
    """The clinical date a `_sort=date` orders by, per resource type."""
    for path in (("occurrenceDateTime",), ("dateTime",), ("period", "start"), ("created",), ("date",)):
        v = resource
        for k in path:
            v = v.get(k) if isinstance(v, dict) else None
        if isinstance(v, str):
            return v
    return None


def _non_negative(name, value):
    if not value.isdigit():
        raise FhirError(400, issue("%s must be a whole number, got %r" % (name, value), code="invalid"))
    return int(value)


def _compare_instant(stored, value):
    prefix, instant = (value[:2], value[2:]) if value[:2] in ("gt", "ge", "lt", "le", "eq") else ("eq", value)
    a, b = _instant_key(stored), _instant_key(instant)
    if b is None:
        raise FhirError(400, issue("_lastUpdated needs an instant, got %r" % value, code="invalid"))
    return {"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b, "eq": a == b}[prefix]


def _instant_key(text):
    try:
        t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return t.astimezone(datetime.timezone.utc)


def _page_url(base, rtype, params, offset):
    return "%s/%s?%s" % (base, rtype, urllib.parse.urlencode(list(params) + [("_offset", str(offset))]))


def caseload_resource(kind, rid, members, title=None):
    """A team's caseload as a Group (member.entity) or a List (entry.item) of Patients."""
    refs = [m if "/" in m else "Patient/" + m for m in members]
    if kind == "Group":
        return {"resourceType": "Group", "id": rid, "type": "person", "actual": True,
                "name": title or rid, "member": [{"entity": {"reference": r}} for r in refs]}
    if kind == "List":
        return {"resourceType": "List", "id": rid, "status": "current", "mode": "working",
                "title": title or rid, "entry": [{"item": {"reference": r}} for r in refs]}
    raise ValueError("kind must be Group or List")


def audit_head(bundle):
    """(worker id, sequence, hash) from the Bundle's meta.extension audit-head, or None."""
    meta = bundle.get("meta")
    for ext in (meta.get("extension") or []) if isinstance(meta, dict) else []:
        if not isinstance(ext, dict) or ext.get("url") != AUDIT_HEAD_URL:
            continue
        parts = {e.get("url"): e for e in ext.get("extension") or [] if isinstance(e, dict)}
        ident = (parts.get("worker") or {}).get("valueIdentifier") or {}
        seq = (parts.get("sequence") or {}).get("valueInteger")
        hash_ = (parts.get("hash") or {}).get("valueString")
        if ident.get("system") == WORKER_SYSTEM and isinstance(ident.get("value"), str) \
                and isinstance(seq, int) and not isinstance(seq, bool) and isinstance(hash_, str):
            return ident["value"], seq, hash_
    return None


def _rewrite_refs(value, refmap):
    if not refmap:
        return value
    if isinstance(value, list):
        return [_rewrite_refs(v, refmap) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "reference" and isinstance(v, str) and v in refmap:
                out[k] = refmap[v]
            else:
                out[k] = _rewrite_refs(v, refmap)
        return out
    return value
