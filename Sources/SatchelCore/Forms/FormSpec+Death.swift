import Foundation

extension FormSpec {
    /// `death add`: a service user's death (SIM guide §63). Whether the referral to the
    /// police complaints body is required is decided from the person's contacts that
    /// involved a police mentor, in the 48 hours before.
    public static let death = FormSpec(
        kind: .death, command: "death add",
        fields: [
            FormField(
                flag: "died-at", question: "When did they die", help: "The date and time of death, as known. Never in the future.",
                allowed: "today 14:30, yesterday 09:00, 23/11/2026 14:30 or 2026-11-23T14:30",
                check: { t, c throws(FieldError) in
                    _ = try FieldDate.notInFuture(t, field: "died-at", rule: DeathNotification.timeRule, now: c.now, calendar: c.calendar)
                }),
            .text("source", question: "How did the team learn of it", help: "Who told the team, or where it was learnt (e.g. the ward, the coroner's officer)."),
            .text("note", question: "Note", help: "Anything else the team needs to know.", required: false, multiline: true),
        ],
        build: { a, c throws(FieldError) in
            let death = try DeathNotification(
                diedAt: try FieldDate.notInFuture(a["died-at"] ?? "", field: "died-at", rule: DeathNotification.timeRule, now: c.now, calendar: c.calendar),
                source: a["source"] ?? "", note: a["note"], policeContacts: c.policeContacts, now: c.now, calendar: c.calendar)
            var note = "Inform your Professional Standards team (SIM guide §63)."
            if death.referralRequired { note = DeathNotification.referralText + " " + note }
            return BuiltRecord(payload: death, note: note)
        })
}
