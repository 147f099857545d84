import Foundation
import SatchelCore
import SatchelDocuments

/// plan → CarePlan (SIM guide §26): one per person, every `plan update` a new version of
/// it; the eight items as notes in §26's order, co-production and the review date as
/// extensions. docs/fhir-mapping.md, "Response plan".
enum CarePlanMapping {
    static func carePlan(_ p: ResponsePlan, _ c: MappingContext) -> JSONValue {
        var extensions = c.commonExtensions(currentRisk: p.currentRisk, authority: nil)
        extensions.append(["url": .string(MappingContext.ext("co-produced")), "valueBoolean": .bool(p.coProduced)])
        extensions.append(["url": .string(MappingContext.ext("plan-review-date")), "valueDate": .string(p.reviewOn.iso)])
        return c.resource("CarePlan", extensions: extensions, [
            "status": "active",
            "intent": "plan",
            "category": [MappingContext.concept(MappingContext.codeSystem("care-plan"), "sim-response-plan", "Response plan (SIM guide §26)")],
            "title": "Response plan",
            "description": .string("How emergency, health and community responders should assist the person in crisis. It advises; it never requires a set response (SIM guide §26)."),
            "subject": c.patientReference,
            "period": ["start": c.finalisedAt],
            "created": c.capturedAt,
            "author": c.authorReference,
            "note": .array(p.items.map { ["text": .string("\($0.label): \($0.value)")] }),
        ])
    }
}

/// referral, outcome, review, discharge → EpisodeOfCare (PAVE SOP §7-10): the case is
/// one resource whose id is the referral's; each step is its next version, carrying the
/// status, the whole status history, the tier, the named worker and the step's own words.
/// docs/fhir-mapping.md, "The case".
enum CaseMapping {
    static func status(_ s: CaseStatus) -> String {
        switch s {
        case .referred: "waitlist"
        case .accepted, .engaged: "active"
        case .declined: "cancelled"
        case .discharged: "finished"
        }
    }

    static func episode(_ record: any CaseRecord, step: String, words: String, _ c: MappingContext) -> JSONValue {
        let e = record.episode
        var extensions = c.commonExtensions(currentRisk: record.statedRisk, authority: nil)
        extensions += [
            ["url": .string(MappingContext.ext("case-status")), "valueCode": .string(e.status.rawValue)],
            ["url": .string(MappingContext.ext("case-step")), "valueCode": .string(step)],
            ["url": .string(MappingContext.ext("case-step-text")), "valueString": .string(words)],
            ["url": .string(MappingContext.ext("referrer")), "valueString": .string(e.referrer)],
        ]
        // Each status lasts until the next one starts; the current one has no end.
        let history: [JSONValue] = e.history.enumerated().map { i, change in
            let end = i + 1 < e.history.count ? e.history[i + 1].on.iso : nil
            return ["status": .string(status(change.status)),
                    "period": .members(["start": .string(change.on.iso), "end": end.map { .string($0) }])]
        }
        let ended = e.status.isOpen ? nil : e.since.iso
        return c.resource("EpisodeOfCare", extensions: extensions, [
            "status": .string(status(e.status)),
            "statusHistory": .array(history),
            "type": .array([MappingContext.concept(MappingContext.codeSystem("case-type"), "pave", "PAVE case (referral to discharge)")]
                + (e.tier.map { [MappingContext.concept(MappingContext.codeSystem("pave-tier"), "\($0.rawValue)", $0.words)] } ?? [])),
            "patient": c.patientReference,
            "period": .members(["start": .string(e.referredOn.iso), "end": ended.map { .string($0) }]),
            "careManager": e.namedWorker.map { ["display": .string($0)] },
        ])
    }

    static func episode(_ r: Referral, _ c: MappingContext) -> JSONValue {
        episode(r, step: "referral", words: "Referral from \(r.referrer), received \(r.receivedOn). Demand on services: \(r.demand) Already tried: \(r.tried)", c)
    }

    static func episode(_ o: CaseOutcome, _ c: MappingContext) -> JSONValue {
        episode(o, step: "outcome", words: "MDT outcome on \(o.decidedOn): \(o.decision.rawValue). Rationale: \(o.rationale)\(o.advice.map { " Advice: \($0)" } ?? "")", c)
    }

    static func episode(_ r: CaseReview, _ c: MappingContext) -> JSONValue {
        episode(r, step: "review", words: "Review on \(r.reviewedOn): engagement \(r.engagement.rawValue), \(r.decision.rawValue). \(r.note)", c)
    }

    static func episode(_ d: Discharge, _ c: MappingContext) -> JSONValue {
        episode(d, step: "discharge", words: "Discharged on \(d.dischargedOn). Services told: \(d.servicesTold)", c)
    }
}

/// letter → DocumentReference: the letter as a PDF (made from the record, dated with its
/// finalisation, so every delivery of one version is the same bytes), its purpose as the
/// type. docs/fhir-mapping.md, "Letters".
enum LetterMapping {
    static func documentReference(_ l: Letter, _ c: MappingContext) throws(SyncError) -> JSONValue {
        let pdf: [UInt8]
        do {
            pdf = try CaseDocuments.pdf(CaseDocuments.letter(l, writtenOn: c.record.finalisedAt), size: l.purpose == .contactsSheet ? .large : .standard,
                                        dated: c.record.finalisedAt)
        } catch {
            throw SyncError(.unreadableRecord, "The letter \(c.record.id.uuidString.lowercased()) could not be made into a PDF: \(error.message)")
        }
        return c.resource("DocumentReference", extensions: c.commonExtensions(currentRisk: nil, authority: nil), [
            "status": "current",
            "docStatus": "final",
            "type": MappingContext.concept(MappingContext.codeSystem("letter"), l.purpose.rawValue, l.purpose.title),
            "subject": c.patientReference,
            "date": c.finalisedAt,
            "author": [c.authorReference],
            "description": .string("\(l.purpose.title), to \(l.to)"),
            "content": [[
                "attachment": [
                    "contentType": "application/pdf",
                    "language": "en-GB",
                    "data": .string(Data(pdf).base64EncodedString()),
                    "title": .string(l.purpose.title),
                    "creation": c.finalisedAt,
                ],
            ]],
        ])
    }
}
