#!/usr/bin/env python3
"""Writes the golden request/response files in this directory.

Run with the fixture venv so every request is checked with fhir.resources:
    ../.venv/bin/python generate.py

Only fictional people: "Testy McTestface", NHS number 9434765919 (test range,
valid check digit). Response placeholders: "{base}" = server base URL,
"*" = any value (timestamps, generated Bundle ids).
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

PATIENT_ID = "6b5984af-60f6-4573-b59f-daa5b9938b23"
ENCOUNTER_ID = "25a73af1-b205-4e05-bf30-d111fa1209eb"
RISK_ID = "0f50368c-0e49-4625-91e1-25ab13f485fb"
QR_ID = "b37c09a5-f087-4a97-a077-21b9cf19147f"
CONSENT_ID = "913498a7-3060-42c0-849c-c0651ae2769b"
COMM_ID = "bcbe78c8-fc10-49a3-81fb-60b76027d106"
ORG_ID = "57363087-22f6-4402-95f8-35b3eb898e33"
PRACTITIONER_ID = "edd749e2-d77b-46cb-a5e9-6cc6c8e55a22"

PATIENT_REF = {"reference": "Patient/" + PATIENT_ID, "display": "Testy McTestface"}
ENCOUNTER_REF = {"reference": "Encounter/" + ENCOUNTER_ID}
MENTOR_REF = {"reference": "Practitioner/" + PRACTITIONER_ID, "display": "Mentor Example"}

RESOURCES = {
    "patient": {
        "resourceType": "Patient",
        "id": PATIENT_ID,
        "identifier": [
            {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"},
            {"use": "usual", "system": "https://satchel.example/Id/service-user", "value": "SU-TEST-0001"},
        ],
        "active": True,
        "name": [{"use": "official", "family": "McTestface", "given": ["Testy"]}],
        "gender": "unknown",
        "birthDate": "1990-01-01",
    },
    "encounter": {
        "resourceType": "Encounter",
        "id": ENCOUNTER_ID,
        "identifier": [{"system": "https://satchel.example/Id/contact", "value": "CONTACT-TEST-0001"}],
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "FLD",
                  "display": "field"},
        "type": [{"text": "Mentoring contact"}],
        "subject": PATIENT_REF,
        "participant": [{"individual": MENTOR_REF}],
        "period": {"start": "2026-01-05T10:00:00+00:00", "end": "2026-01-05T11:00:00+00:00"},
        "serviceProvider": {"reference": "Organization/" + ORG_ID, "display": "Example Mentoring Service"},
    },
    "riskassessment": {
        "resourceType": "RiskAssessment",
        "id": RISK_ID,
        "identifier": [{"system": "https://satchel.example/Id/risk-assessment", "value": "RISK-TEST-0001"}],
        "status": "final",
        "subject": PATIENT_REF,
        "encounter": ENCOUNTER_REF,
        "occurrenceDateTime": "2026-01-05T10:45:00+00:00",
        "performer": MENTOR_REF,
        "prediction": [{
            "outcome": {"text": "Harm to self"},
            "qualitativeRisk": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/risk-probability",
                "code": "moderate", "display": "Moderate likelihood"}]},
        }],
        "note": [{"text": "Fictional test record. No real person."}],
    },
    "questionnaireresponse": {
        "resourceType": "QuestionnaireResponse",
        "id": QR_ID,
        "identifier": {"system": "https://satchel.example/Id/form-response", "value": "TOP-TEST-0001"},
        "questionnaire": "https://satchel.example/Questionnaire/top-form|1.0",
        "status": "completed",
        "subject": PATIENT_REF,
        "encounter": ENCOUNTER_REF,
        "authored": "2026-01-05T10:50:00+00:00",
        "author": MENTOR_REF,
        "item": [
            {"linkId": "top-1", "text": "Days of alcohol use in the past 28 days",
             "answer": [{"valueInteger": 3}]},
            {"linkId": "top-2", "text": "Housing problem in the past 28 days",
             "answer": [{"valueBoolean": False}]},
            {"linkId": "top-3", "text": "Overall quality of life (0-20)",
             "answer": [{"valueInteger": 14}]},
            {"linkId": "top-4", "text": "Notes", "answer": [{"valueString": "Fictional test answers."}]},
        ],
    },
    "consent": {
        "resourceType": "Consent",
        "id": CONSENT_ID,
        "identifier": [{"system": "https://satchel.example/Id/consent", "value": "CONSENT-TEST-0001"}],
        "status": "active",
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                              "code": "patient-privacy", "display": "Privacy Consent"}]},
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0",
                                  "display": "Patient Consent"}]}],
        "patient": PATIENT_REF,
        "dateTime": "2026-01-05T10:05:00+00:00",
        "performer": [PATIENT_REF],
        "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                                   "code": "OPTIN", "display": "opt-in"}]},
        "provision": {
            "type": "permit",
            "period": {"start": "2026-01-05", "end": "2027-01-05"},
            "actor": [{
                "role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                     "code": "IRCP", "display": "information recipient"}]},
                "reference": {"reference": "Organization/" + ORG_ID, "display": "Example Mentoring Service"},
            }],
            "provision": [{
                "type": "deny",
                "purpose": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                             "code": "HMARKT", "display": "healthcare marketing"}],
            }],
        },
    },
    "communication": {
        "resourceType": "Communication",
        "id": COMM_ID,
        "identifier": [{"system": "https://satchel.example/Id/communication", "value": "COMM-TEST-0001"}],
        "status": "completed",
        "category": [{"text": "Boundary discussion"}],
        "subject": PATIENT_REF,
        "encounter": ENCOUNTER_REF,
        "sent": "2026-01-05T10:55:00+00:00",
        "sender": MENTOR_REF,
        "recipient": [PATIENT_REF],
        "topic": {"text": "Professional boundaries"},
        "payload": [{"contentString": "Discussed contact hours and appropriate channels. Fictional record."}],
    },
}


def put_response(resource, status=201, version="1"):
    body = {"resourceType": resource["resourceType"], "id": resource["id"],
            "meta": {"versionId": version, "lastUpdated": "*"}}
    body.update((k, v) for k, v in resource.items() if k not in ("resourceType", "id", "meta"))
    rt, rid = resource["resourceType"], resource["id"]
    return {
        "status": status,
        "headers": {"Content-Type": "application/fhir+json; charset=utf-8",
                    "Location": "{base}/%s/%s/_history/%s" % (rt, rid, version),
                    "ETag": 'W/"%s"' % version, "Last-Modified": "*"},
        "body": body,
    }


WORKER_ID = "3f6c2a10-7b1e-4d5a-9c8e-2b7d4e1f0a99"


def batch_bundle():
    return {
        "resourceType": "Bundle",
        "id": "4e00f24b-de9f-4146-bd2d-04194408e98b",
        # The sending vault's audit head (docs/fhir-mapping.md): the fixture keeps the
        # highest sequence per worker and flags a lower one, or the same with another hash.
        "meta": {"extension": [{
            "url": "https://satchel.example/StructureDefinition/audit-head",
            "extension": [
                {"url": "worker", "valueIdentifier": {"system": "https://satchel.example/Id/worker",
                                                      "value": WORKER_ID}},
                {"url": "sequence", "valueInteger": 42},
                {"url": "hash", "valueString": "9f2c4e1ab7d05c3e8f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6"},
            ]}]},
        "type": "batch",
        "entry": [{"fullUrl": "urn:uuid:" + r["id"], "resource": r,
                   "request": {"method": "PUT", "url": "%s/%s" % (r["resourceType"], r["id"])}}
                  for r in RESOURCES.values()],
    }


def batch_response():
    return {
        "status": 200,
        "headers": {"Content-Type": "application/fhir+json; charset=utf-8"},
        "body": {"resourceType": "Bundle", "id": "*", "type": "batch-response",
                 "entry": [{"response": {"status": "201 Created",
                                         "location": "%s/%s/_history/1" % (r["resourceType"], r["id"]),
                                         "etag": 'W/"1"', "lastModified": "*"}}
                           for r in RESOURCES.values()]},
    }


def write(name, data):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")


def main():
    sys.path.insert(0, os.path.dirname(HERE))
    import validate
    for kind, res in RESOURCES.items():
        validate.validate_resource(res)
        write(kind + ".request.json", res)
        write(kind + ".response.json", {
            "description": "PUT %s/%s to an empty server (update-as-create). An identical repeat PUT "
                           "returns the same with status 200 and no new version." % (res["resourceType"], res["id"]),
            "request": {"method": "PUT", "url": "%s/%s" % (res["resourceType"], res["id"]),
                        "headers": {"Content-Type": "application/fhir+json"}},
            "repeat_status": 200,
            "response": put_response(res),
        })
    bundle = batch_bundle()
    validate.validate_resource(bundle)
    write("batch-bundle.request.json", bundle)
    write("batch-bundle.response.json", {
        "description": "POST the batch Bundle to the base of an empty server.",
        "request": {"method": "POST", "url": "", "headers": {"Content-Type": "application/fhir+json"}},
        "response": batch_response(),
    })
    print("wrote %d golden pairs" % (len(RESOURCES) + 1))


if __name__ == "__main__":
    main()
