"""Strict FHIR R4 (4.0.1) validation using fhir.resources 6.4.0 (pydantic 1).

fhir.resources checks structure, cardinality of required elements, data types,
primitive formats (id, date, instant...) and rejects unknown elements. It does
NOT check codes against required value sets, so a small table of the required
bindings that matter for Satchel's record kinds is checked here too.

Also usable as a script:  .venv/bin/python validate.py FILE.json...
"""

import json
import sys

from fhir.resources import get_fhir_model_class
from fhir.resources.resource import Resource
from pydantic import ValidationError

# (resourceType, dotted path) -> allowed codes, for required bindings in R4.
_EVENT_STATUS = {"preparation", "in-progress", "not-done", "on-hold", "stopped",
                 "completed", "entered-in-error", "unknown"}
_IDENTIFIER_USE = {"usual", "official", "temp", "secondary", "old"}
REQUIRED_CODES = {
    ("Patient", "gender"): {"male", "female", "other", "unknown"},
    ("Patient", "identifier.use"): _IDENTIFIER_USE,
    ("Patient", "name.use"): {"usual", "official", "temp", "nickname", "anonymous", "old", "maiden"},
    ("Patient", "telecom.system"): {"phone", "fax", "email", "pager", "url", "sms", "other"},
    ("Encounter", "status"): {"planned", "arrived", "triaged", "in-progress", "onleave",
                              "finished", "cancelled", "entered-in-error", "unknown"},
    ("Encounter", "identifier.use"): _IDENTIFIER_USE,
    ("RiskAssessment", "status"): {"registered", "preliminary", "final", "amended", "corrected",
                                   "cancelled", "entered-in-error", "unknown"},
    ("QuestionnaireResponse", "status"): {"in-progress", "completed", "amended",
                                          "entered-in-error", "stopped"},
    ("Consent", "status"): {"draft", "proposed", "active", "rejected", "inactive", "entered-in-error"},
    ("Consent", "provision.type"): {"deny", "permit"},
    ("Consent", "provision.provision.type"): {"deny", "permit"},
    ("Communication", "status"): _EVENT_STATUS,
    ("Communication", "priority"): {"routine", "urgent", "asap", "stat"},
    ("Observation", "status"): {"registered", "preliminary", "final", "amended", "corrected",
                                "cancelled", "entered-in-error", "unknown"},
    ("CarePlan", "status"): {"draft", "active", "on-hold", "revoked", "completed",
                             "entered-in-error", "unknown"},
    ("CarePlan", "intent"): {"proposal", "plan", "order", "option"},
    ("EpisodeOfCare", "status"): {"planned", "waitlist", "active", "onhold", "finished",
                                  "cancelled", "entered-in-error"},
    ("EpisodeOfCare", "statusHistory.status"): {"planned", "waitlist", "active", "onhold",
                                                "finished", "cancelled", "entered-in-error"},
    ("DocumentReference", "status"): {"current", "superseded", "entered-in-error"},
    ("DocumentReference", "docStatus"): {"preliminary", "final", "amended", "entered-in-error"},
    ("Bundle", "type"): {"document", "message", "transaction", "transaction-response", "batch",
                         "batch-response", "history", "searchset", "collection"},
    ("Bundle", "entry.request.method"): {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"},
}


class Invalid(Exception):
    """Raised with a list of OperationOutcome issues."""

    def __init__(self, issues, status=None):
        super().__init__("; ".join(i.get("diagnostics", "") for i in issues))
        self.issues = issues
        self.status = status


def issue(diagnostics, code="invalid", severity="error", expression=None):
    i = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        i["expression"] = [expression]
    return i


def operation_outcome(issues):
    if isinstance(issues, dict):
        issues = [issues]
    return {"resourceType": "OperationOutcome", "issue": list(issues)}


def _walk(value, parts):
    if isinstance(value, list):
        for v in value:
            yield from _walk(v, parts)
        return
    if not parts:
        yield value
        return
    if isinstance(value, dict) and parts[0] in value:
        yield from _walk(value[parts[0]], parts[1:])


def _check_codes(rtype, data):
    issues = []
    for (t, path), allowed in REQUIRED_CODES.items():
        if t != rtype:
            continue
        for v in _walk(data, path.split(".")):
            if v not in allowed:
                issues.append(issue("%s.%s: code %r is not in the required value set (%s)"
                                    % (rtype, path, v, ", ".join(sorted(allowed))),
                                    code="code-invalid", expression="%s.%s" % (rtype, path)))
    return issues


def _pydantic_issues(rtype, err):
    out = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"] if p != "__root__")
        expr = rtype + ("." + loc if loc else "")
        code = "structure"
        if e["type"] == "value_error.missing":
            code = "required"
        elif e["type"] == "value_error.extra":
            code = "structure"
        out.append(issue("%s: %s" % (expr, e["msg"]), code=code, expression=expr))
    return out


def validate_resource(data, expected_type=None):
    """Validate one resource dict. Returns the fhir.resources model; raises Invalid."""
    if not isinstance(data, dict):
        raise Invalid([issue("resource must be a JSON object", code="structure")])
    rtype = data.get("resourceType")
    if not isinstance(rtype, str) or not rtype:
        raise Invalid([issue("missing resourceType", code="required", expression="resourceType")])
    if expected_type and rtype != expected_type:
        raise Invalid([issue("resourceType %r does not match the URL type %r" % (rtype, expected_type),
                             code="invalid")], status=400)
    try:
        klass = get_fhir_model_class(rtype)
    except KeyError:
        raise Invalid([issue("unknown resourceType %r" % rtype, code="not-supported")], status=400)
    if not issubclass(klass, Resource) or rtype in ("Resource", "DomainResource"):
        raise Invalid([issue("%r is not a concrete resource type" % rtype, code="not-supported")], status=400)
    try:
        model = klass.parse_obj(data)
    except ValidationError as e:
        raise Invalid(_pydantic_issues(rtype, e))
    issues = _check_codes(rtype, data)
    if rtype == "Bundle":
        for n, entry in enumerate(data.get("entry") or []):
            res = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(res, dict) and isinstance(res.get("resourceType"), str):
                for i in _check_codes(res["resourceType"], res):
                    i["diagnostics"] = "Bundle.entry[%d].resource: %s" % (n, i["diagnostics"])
                    issues.append(i)
    if issues:
        raise Invalid(issues)
    return model


def validate_bundle_skeleton(data):
    """Validate a batch/transaction Bundle without its entry resources (each is
    validated separately so one bad entry in a batch fails only that entry)."""
    if not isinstance(data, dict) or not isinstance(data.get("entry", []), list):
        raise Invalid([issue("Bundle.entry must be a list", code="structure")])
    skeleton = dict(data)
    skeleton["entry"] = []
    for e in data.get("entry") or []:
        if not isinstance(e, dict):
            raise Invalid([issue("Bundle.entry items must be objects", code="structure")])
        skeleton["entry"].append({k: v for k, v in e.items() if k != "resource"})
    validate_resource(skeleton, "Bundle")


def main(argv):
    bad = 0
    for path in argv:
        with open(path) as f:
            data = json.load(f)
        try:
            validate_resource(data)
            print("valid   %s (%s)" % (path, data.get("resourceType")))
        except Invalid as e:
            bad += 1
            print("INVALID %s: %s" % (path, e))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
