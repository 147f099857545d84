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
                flag: "present", question: "Others present",
                help: "Family members or friends who were there, separated by ';'. SIM guide §24 and §47: they may be involved only with the service user's consent, so each needs an involvement consent on record (consent add --scope involve).",
                allowed: "names separated by ;, or empty", required: false,
                check: { t, c throws(FieldError) in
                    for name in presentNames(t) { try c.consents.requireInvolvement(name, asOf: c.now) }
                }),
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
                summary: a["summary"] ?? "",
                currentRisk: try RiskGrade.parse(a["risk"] ?? "", field: "risk"),
                now: c.now, calendar: c.calendar)
            try contact.checkPresent(against: c.consents, asOf: c.now)
            return BuiltRecord(payload: contact)
        })

    /// `Aunt Testy; Uncle Testy` → two names.
    static func presentNames(_ text: String) -> [String] {
        text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
