import Foundation

extension FormField {
    /// A day a step happened: today or earlier, today offered.
    static func stepDay(_ flag: String, question: String, help: String, what: String) -> FormField {
        FormField(
            flag: flag, question: question, help: help, allowed: "today, yesterday, 23/11/2026 or 2026-11-23", required: true,
            defaultValue: { c in FieldDay.on(c.now, calendar: c.calendar).description },
            check: { t, c throws(FieldError) in _ = try FieldDay.notAfterToday(t, field: flag, what: what, now: c.now, calendar: c.calendar) })
    }
}

extension FormContext {
    /// The case a step continues; the form cannot be built without one.
    func requireCase(_ command: String) throws(FieldError) -> CaseSoFar {
        guard let caseSoFar else { throw FieldError.on("user", "there is no case for this person to record \(command) on. Start one with `referral add`.") }
        return caseSoFar
    }
}

extension FormSpec {
    /// `referral add`: PAVE SOP §7, the referral that opens a case.
    public static let referral = FormSpec(
        kind: .referral, command: "referral add",
        fields: [
            .text("referrer", question: "Who referred", help: "PAVE SOP §7: the referrer and their team, e.g. \"PC Example (Neighbourhood Team North)\". The outcome letter is addressed to them."),
            .stepDay("received-on", question: "Received on", help: "The day the referral came in.", what: "The day the referral was received"),
            .text("demand", question: "The demand on services", help: "PAVE SOP §7: \"how the individual is presenting … and what the demand is\".", multiline: true),
            .text("tried", question: "What was already tried", help: "PAVE SOP §7: \"what interventions have already taken place\".", multiline: true),
        ],
        build: { a, c throws(FieldError) in
            let day = try FieldDay.notAfterToday(a["received-on"] ?? "", field: "received-on", what: "The day the referral was received", now: c.now, calendar: c.calendar)
            return BuiltRecord(
                payload: try Referral(referrer: a["referrer"] ?? "", receivedOn: day, demand: a["demand"] ?? "", tried: a["tried"] ?? "", now: c.now, calendar: c.calendar),
                note: "Case opened: referred. Record the MDT outcome with `outcome add`.")
        })

    /// `outcome add`: PAVE SOP §7, the MDT outcome; writes the outcome letter to the referrer.
    public static let outcome = FormSpec(
        kind: .outcome, command: "outcome add",
        fields: [
            .choice("decision", CaseDecision.self, question: "MDT outcome", help: "PAVE SOP §7: accepted and placed at a tier, or declined."),
            .stepDay("decided-on", question: "Decided on", help: "The day of the MDT meeting.", what: "The day of the MDT outcome"),
            FormField(
                flag: "tier", question: "Tier", help: "PAVE SOP §7: 1 full tri-partnership, case-managed by the team; 2 a problem-solving plan owned by the neighbourhood team; 3 advice and guidance.",
                allowed: PaveTier.allowedList, choices: PaveTier.allCases.map(\.choiceName),
                applies: { $0["decision"]?.lowercased() == "accepted" },
                check: { t, _ throws(FieldError) in _ = try PaveTier.parse(t, field: "tier") }),
            FormField(
                flag: "named-worker", question: "Named worker", help: "PAVE SOP §7: \"At point of acceptance a named worker will be allocated from the lead agency.\" You are offered.",
                allowed: "free text", defaultValue: { $0.workerName.isEmpty ? nil : $0.workerName },
                applies: { $0["decision"]?.lowercased() == "accepted" }),
            .text("rationale", question: "Rationale", help: "PAVE SOP §7: the rationale is recorded and sent back to the referrer in the outcome letter.", multiline: true),
            FormField(
                flag: "advice", question: "Advice for the referrer", help: "PAVE SOP §7: for a declined referral, \"advice about how they could possibly resolve the issue without PAVE's involvement\".",
                allowed: "free text; end with a line holding a single .", required: false, multiline: true,
                applies: { $0["decision"]?.lowercased() == "declined" }),
        ],
        build: { a, c throws(FieldError) in
            let before = try c.requireCase("an outcome")
            let decision = try CaseDecision.parse(a["decision"] ?? "", field: "decision")
            let outcome = try CaseOutcome(
                decision: decision,
                decidedOn: try FieldDay.notAfterToday(a["decided-on"] ?? "", field: "decided-on", what: "The day of the MDT outcome", now: c.now, calendar: c.calendar),
                tier: decision == .accepted ? try PaveTier.parse(a["tier"] ?? "", field: "tier") : nil,
                namedWorker: a["named-worker"], rationale: a["rationale"] ?? "", advice: a["advice"],
                before: before, now: c.now, calendar: c.calendar)
            return BuiltRecord(payload: outcome, note: "Case \(outcome.episode.status.rawValue). The outcome letter to the referrer is written with it.")
        })

    /// `review add`: PAVE SOP §10, the fortnightly review.
    public static let review = FormSpec(
        kind: .review, command: "review add",
        fields: [
            .stepDay("reviewed-on", question: "Reviewed on", help: "The day of the review (PAVE SOP §10: every two weeks).", what: "The day of the review"),
            .choice("engagement", EngagementLevel.self, question: "Engagement since the last review", help: "PAVE SOP §10: \"consider levels of engagement\". engaged or partly moves the case to engaged."),
            .choice("decision", ReviewDecision.self, question: "Decision", help: "continue, or discharge (then record it with `discharge add`)."),
            .text("note", question: "What the review found", help: "The discussion and the rationale, above all for a discharge (PAVE SOP §10).", multiline: true),
            .currentRisk,
        ],
        build: { a, c throws(FieldError) in
            let review = try CaseReview(
                reviewedOn: try FieldDay.notAfterToday(a["reviewed-on"] ?? "", field: "reviewed-on", what: "The day of the review", now: c.now, calendar: c.calendar),
                engagement: try EngagementLevel.parse(a["engagement"] ?? "", field: "engagement"),
                decision: try ReviewDecision.parse(a["decision"] ?? "", field: "decision"), note: a["note"] ?? "",
                currentRisk: try RiskGrade.parse(a["risk"] ?? "", field: "risk"), before: try c.requireCase("a review"), now: c.now, calendar: c.calendar)
            let next = FieldDay.on(c.now, calendar: c.calendar).adding(days: CaseReview.interval, calendar: c.calendar)
            return BuiltRecord(payload: review, note: review.decision == .discharge
                ? "Discharge agreed: record it with `discharge add` (it writes the GP letter and the person's contacts sheet)."
                : "Next review due by \(next).")
        })

    /// `discharge add`: PAVE SOP §10; writes the GP letter and the person's contacts-and-contingency sheet.
    public static let discharge = FormSpec(
        kind: .discharge, command: "discharge add",
        fields: [
            .stepDay("discharged-on", question: "Discharged on", help: "The day of discharge.", what: "The day of discharge"),
            .text("gp", question: "GP (name and practice)", help: "PAVE SOP §10: the letter goes to the GP."),
            .text("overview", question: "Overview of the work", help: "PAVE SOP §10: \"an overview of the work carried out\", for the GP letter.", multiline: true),
            .text("management-plan", question: "Management plan", help: "PAVE SOP §10: the management plan, for the GP letter.", multiline: true),
            .text("contacts", question: "The person's contacts", help: "PAVE SOP §10: \"an individualised list of contacts\" for the person, one per line.", multiline: true),
            .text("contingency", question: "Contingency plan", help: "PAVE SOP §10: what the person can do \"when they feel that they need support\".", multiline: true),
            .text("services-told", question: "Services told", help: "PAVE SOP §10: \"All other services will also be informed of the discharge\": which, and how."),
        ],
        build: { a, c throws(FieldError) in
            let discharge = try Discharge(
                dischargedOn: try FieldDay.notAfterToday(a["discharged-on"] ?? "", field: "discharged-on", what: "The day of discharge", now: c.now, calendar: c.calendar),
                gp: a["gp"] ?? "", overview: a["overview"] ?? "", managementPlan: a["management-plan"] ?? "", contacts: a["contacts"] ?? "",
                contingency: a["contingency"] ?? "", servicesTold: a["services-told"] ?? "", before: try c.requireCase("a discharge"), now: c.now, calendar: c.calendar)
            return BuiltRecord(payload: discharge, note: "Case discharged. The GP letter and the person's contacts-and-contingency sheet are written with it (`letter print`).")
        })

    /// `plan add` / `plan update`: SIM guide §26, the response plan.
    public static let plan = FormSpec(
        kind: .plan, command: "plan add",
        fields: [
            FormField(flag: "name-address", question: "Name and address", help: "SIM guide §26: \"The name and address of the patient\". Offered from their record.",
                      allowed: "free text", defaultValue: { $0.planOffers.nameAndAddress }),
            .text("diagnosis", question: "Current diagnosis", help: "SIM guide §26: \"Their current mental health diagnosis\"."),
            .text("diagnosis-explained", question: "The diagnosis in plain words", help: "SIM guide §26: \"a simple explanation of that diagnosis\", for a responder who is not a clinician.", multiline: true),
            FormField(flag: "capacity", question: "Current assessment of mental capacity", help: "SIM guide §26 and §21. Offered from the latest `capacity add`.",
                      allowed: "free text", defaultValue: { $0.planOffers.capacity }),
            .text("crisis-behaviours", question: "Common crisis behaviours", help: "SIM guide §26: \"Their common crisis behaviours\".", multiline: true),
            .text("crisis-locations", question: "Where crises happen", help: "SIM guide §26: \"… and locations\"."),
            FormField(flag: "boundaries", question: "Agreed boundaries, and what to do if they are breached",
                      help: "SIM guide §26: \"The agreed behavioural boundaries and what to do if those boundaries are breached\". Offered from the boundary discussions on record; plans \"must never require a set response\" (§26).",
                      allowed: "free text", defaultValue: { $0.planOffers.boundaries }),
            .text("places-of-safety", question: "Chosen places of safety", help: "SIM guide §26: \"Chosen places of safety when in crisis\"."),
            FormField(
                flag: "nominated", question: "Nominated people to be taken to in crisis",
                help: "SIM guide §26, separated by ';'. Each needs an involvement consent on record (§24: consent add --scope involve --with NAME --decision given). Leave empty when there is nobody.",
                allowed: "names separated by ;", required: false,
                check: { t, c throws(FieldError) in
                    for name in FormSpec.presentNames(t) { try c.consents.requireInvolvement(name, field: "nominated", asOf: c.now) }
                }),
            FormField(flag: "mentors", question: "Names of their mentors", help: "SIM guide §26: \"Names of their mentors\". You and the case's named worker are offered.",
                      allowed: "free text", defaultValue: { $0.planOffers.mentors }),
            .choice("co-produced", YesNo.self, question: "Written with the person", help: "SIM guide §26: plans are written \"ideally with the full participation and consent of the patient\"."),
            FormField(
                flag: "review-date", question: "Review by", help: "When the plan is next reviewed (§26: \"must be up to date\"). Three months on is offered; `status` warns once it passes.",
                allowed: "today, tomorrow, 23/11/2026 or 2026-11-23 (today or later)", required: true,
                defaultValue: { c in FieldDay.on(c.now, calendar: c.calendar).adding(days: ResponsePlan.reviewAfterDays, calendar: c.calendar).description },
                check: { t, c throws(FieldError) in _ = try FieldDay.reviewDate(t, now: c.now, calendar: c.calendar) }),
            .currentRisk,
        ],
        build: { a, c throws(FieldError) in
            var items = ResponsePlan.Items()
            items.nameAndAddress = a["name-address"] ?? ""
            items.diagnosis = a["diagnosis"] ?? ""
            items.diagnosisExplained = a["diagnosis-explained"] ?? ""
            items.capacity = a["capacity"] ?? ""
            items.crisisBehaviours = a["crisis-behaviours"] ?? ""
            items.crisisLocations = a["crisis-locations"] ?? ""
            items.boundaries = a["boundaries"] ?? ""
            items.placesOfSafety = a["places-of-safety"] ?? ""
            items.nominated = FormSpec.presentNames(a["nominated"] ?? "")
            for name in items.nominated { try c.consents.requireInvolvement(name, field: "nominated", asOf: c.now) }
            items.mentors = a["mentors"] ?? ""
            let plan = try ResponsePlan(
                items, coProduced: try YesNo.parseBool(a["co-produced"] ?? "", field: "co-produced"),
                reviewOn: try FieldDay.reviewDate(a["review-date"] ?? "", now: c.now, calendar: c.calendar),
                currentRisk: try RiskGrade.parse(a["risk"] ?? "", field: "risk"))
            return BuiltRecord(payload: plan, note: "Give the person a paper copy (SIM guide §54): plan print --out FILE.pdf")
        })

    /// The form `amend` opens on a letter (letters are written by `outcome add` and `discharge add`).
    public static let letter = FormSpec(
        kind: .letter, command: "amend (letter)",
        fields: [
            .choice("purpose", LetterPurpose.self, question: "Which letter", help: "The outcome letter to the referrer, the GP letter, or the person's contacts-and-contingency sheet."),
            .text("to", question: "To", help: "Who the letter is for."),
            .text("body", question: "Text", help: "Paragraphs separated by blank lines; a line of its own ending in ':' is a heading.", multiline: true),
        ],
        build: { a, _ throws(FieldError) in
            BuiltRecord(payload: try Letter(purpose: try LetterPurpose.parse(a["purpose"] ?? "", field: "purpose"), to: a["to"] ?? "", body: a["body"] ?? ""))
        })
}
