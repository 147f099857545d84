import Foundation

extension FormSpec {
    /// `contact add`: one of the seven record-keeping triggers of SIM guide §25.
    public static let contact = FormSpec(
        kind: .contact, command: "contact add",
        fields: [
            .choice(
                "kind", ContactKind.self, question: "Kind of contact",
                help: "SIM guide §25, when a record is made: "
                    + ContactKind.allCases.map { "\($0.rawValue) = \($0.summary)" }.joined(separator: "; ") + "."),
            FormField(
                flag: "at", question: "When", help: "When the contact happened. Never in the future.",
                allowed: "now, today 14:30, yesterday 09:00, 23/11/2026 14:30 or 2026-11-23T14:30",
                defaultValue: { _ in "now" },
                check: { t, c throws(FieldError) in _ = try FieldDate.contactTime(t, now: c.now, calendar: c.calendar) }),
            .text("where", question: "Where", help: "Where it took place: home, phone, the café on the corner, the custody suite."),
            FormField(
                flag: "minutes", question: "Minutes", help: "How long the contact lasted, in minutes (0 for a missed appointment).",
                allowed: "0-1440",
                check: { t, _ throws(FieldError) in _ = try Contact.parseMinutes(t) }),
            FormField(
                flag: "relative", question: "Relative or friend called",
                help: "A phone-family contact is a call with a member of the family or a friend. SIM guide §24: \"the service user must at all times give consent for each individual family member or friend to be involved in their care\", so the person called needs an involvement consent on record (consent add --scope involve).",
                allowed: "a name; phone-family contacts only",
                applies: { a in (try? ContactKind.parse(a["kind"] ?? "", field: "kind")) == .phoneFamily },
                check: { t, c throws(FieldError) in
                    _ = try FieldText.required(t, field: "relative", label: "the relative or friend called")
                    try c.consents.requireInvolvement(t, field: "relative", asOf: c.now)
                }),
            FormField(
                flag: "present", question: "Family or friends present",
                help: "Family members or friends who were there, separated by ';'. SIM guide §24 and §47: they may be involved only with the service user's consent, so each needs an involvement consent on record (consent add --scope involve). Professionals go under --professional.",
                allowed: "names separated by ;, or empty", required: false,
                check: { t, c throws(FieldError) in
                    for name in presentNames(t) { try c.consents.requireInvolvement(name, asOf: c.now) }
                }),
            professionals("professional", question: "Professionals present",
                          help: "Other professionals who were there, each with their organisation, separated by ';'. SIM guide §55: staff of other public services may be invited into mentoring meetings; they need no involvement consent of their own (a police mentor or officer goes under --police-present)."),
            professionals("police-present", question: "Police mentors or officers present",
                          help: "Police mentors or officers who were there, each with their force, separated by ';'. SIM guide §63: a death within 48 hours of a contact that involved a police mentor needs a referral to the police complaints body, whoever wrote the contact."),
            .text("summary", question: "Summary", help: "What happened, what was decided, and why.", multiline: true),
            .currentRisk,
        ],
        build: { a, c throws(FieldError) in
            let contact = try Contact(
                kind: try ContactKind.parse(a["kind"] ?? "", field: "kind"),
                at: try FieldDate.contactTime(a["at"] ?? "now", now: c.now, calendar: c.calendar),
                place: a["where"] ?? "",
                minutes: try Contact.parseMinutes(a["minutes"] ?? ""),
                present: presentNames(a["present"] ?? ""),
                professionals: try Professional.parseList(a["professional"] ?? "", field: "professional", police: false)
                    + Professional.parseList(a["police-present"] ?? "", field: "police-present", police: true),
                relative: a["relative"],
                summary: a["summary"] ?? "",
                currentRisk: try RiskGrade.parse(a["risk"] ?? "", field: "risk"),
                now: c.now, calendar: c.calendar)
            try contact.checkPresent(against: c.consents, asOf: c.now)
            return BuiltRecord(payload: contact)
        })

    /// An optional `;`-separated list of `NAME (ORGANISATION)`.
    static func professionals(_ flag: String, question: String, help: String) -> FormField {
        FormField(
            flag: flag, question: question, help: help, allowed: Professional.allowed, required: false,
            check: { t, _ throws(FieldError) in _ = try Professional.parseList(t, field: flag, police: flag == "police-present") })
    }

    /// `Aunt Testy; Uncle Testy` → two names.
    static func presentNames(_ text: String) -> [String] {
        text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
