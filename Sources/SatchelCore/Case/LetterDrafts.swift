import Foundation

/// The letters a case step writes (PAVE SOP §7 and §10), in plain words.
extension Letter {
    /// To the referrer: the MDT outcome, its rationale, and advice when declined.
    public static func outcome(_ o: CaseOutcome, about person: ServiceUser, from worker: String) throws(FieldError) -> Letter {
        var body = ["Dear \(o.episode.referrer),",
                    "Thank you for your referral of \(person.name)\(person.dob.map { " (date of birth \($0))" } ?? ""), received on \(o.episode.referredOn). The team discussed it at its meeting on \(o.decidedOn)."]
        if o.decision == .accepted {
            body += ["Outcome:", "The referral is accepted at tier \(o.tier?.rawValue ?? 0) (\(o.tier?.words ?? PaveTier.three.words)). The named worker is \(o.namedWorker ?? "")."]
        } else {
            body += ["Outcome:", "The referral is declined."]
        }
        body += ["Rationale:", o.rationale]
        if let advice = o.advice { body += ["Advice:", advice] }
        body += ["You may refer again if things change.", "Yours sincerely,\n\(worker)"]
        return try Letter(purpose: .outcomeLetter, to: o.episode.referrer, body: body.joined(separator: "\n\n"))
    }

    /// To the GP at discharge: an overview of the work and a management plan.
    public static func gp(_ d: Discharge, about person: ServiceUser, from worker: String) throws(FieldError) -> Letter {
        var who = person.name
        if let dob = person.dob { who += ", date of birth \(dob)" }
        if let nhs = person.nhsNumber { who += ", NHS number \(nhs.formatted)" }
        if let address = person.address { who += ", of \(address)" }
        let body = [
            "Dear \(d.gp),",
            "\(who), was discharged from the team on \(d.dischargedOn). They were referred by \(d.episode.referrer) on \(d.episode.referredOn)\(d.episode.tier.map { " and worked with at tier \($0.rawValue)" } ?? "").",
            "Overview of the work:", d.overview,
            "Management plan:", d.managementPlan,
            "Services told of the discharge:", d.servicesTold,
            "Yours sincerely,\n\(worker)",
        ]
        return try Letter(purpose: .gpLetter, to: d.gp, body: body.joined(separator: "\n\n"))
    }

    /// For the person: their contacts and contingency plan.
    public static func contacts(_ d: Discharge, about person: ServiceUser, from worker: String) throws(FieldError) -> Letter {
        let body = [
            "For \(person.name), from \(worker), on \(d.dischargedOn).",
            "Who to contact:", d.contacts,
            "What to do when you need support:", d.contingency,
            "The person who referred you (\(d.episode.referrer)) can refer you to the team again.",
        ]
        return try Letter(purpose: .contactsSheet, to: person.name, body: body.joined(separator: "\n\n"))
    }
}
