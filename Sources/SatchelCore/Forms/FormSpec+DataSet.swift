import Foundation

extension FormSpec {
    /// `mds add`: a person's minimum data set for one month (SIM guide §57).
    public static let mds = FormSpec(
        kind: .mds, command: "mds add",
        fields: [
            FormField(
                flag: "month", question: "Month", help: "SIM guide §57: the figures are gathered by month. Last month is offered.",
                allowed: "YYYY-MM, this month or earlier", required: true,
                defaultValue: { c in FieldMonth.of(c.now, calendar: c.calendar).adding(months: -1).description },
                check: { t, c throws(FieldError) in _ = try FieldMonth.parse(t, field: "month", now: c.now, calendar: c.calendar) }),
        ] + MDSMeasure.allCases.map { m in
            FormField(
                flag: m.rawValue, question: m.title,
                help: "SIM guide §57: \(m.title.lowercased()) in the month. \"not known\" when it could not be found out: it is never counted as 0.",
                allowed: Figure.allowed, choices: [Figure.notKnownWord], required: true,
                check: { t, _ throws(FieldError) in _ = try Figure.parse(t, field: m.rawValue) })
        } + [
            .text("note", question: "Note", help: "Where the figures came from, or why one is not known.", required: false),
        ],
        build: { a, c throws(FieldError) in
            var figures: [MDSMeasure: Figure] = [:]
            for m in MDSMeasure.allCases { figures[m] = try Figure.parse(a[m.rawValue] ?? "", field: m.rawValue) }
            return BuiltRecord(payload: try MonthlyFigures(
                month: try FieldMonth.parse(a["month"] ?? "", field: "month", now: c.now, calendar: c.calendar), figures: figures, note: a["note"]))
        })

    /// `enforcement add`: an arrest, caution, prosecution or behaviour order (PAVE SOP §8).
    public static let enforcement = FormSpec(
        kind: .enforcement, command: "enforcement add",
        fields: [
            .choice("outcome", EnforcementKind.self, question: "Outcome", help: "What the police or the courts did: counted in `report team`."),
            .stepDay("on", question: "On", help: "The day of the outcome.", what: "The day of the outcome"),
            .text("note", question: "Note", help: "The offence it followed, in a few words.", required: false),
            .currentRisk,
        ],
        build: { a, c throws(FieldError) in
            BuiltRecord(payload: try EnforcementOutcome(
                outcome: try EnforcementKind.parse(a["outcome"] ?? "", field: "outcome"),
                on: try FieldDay.notAfterToday(a["on"] ?? "", field: "on", what: "The day of the outcome", now: c.now, calendar: c.calendar),
                note: a["note"], currentRisk: try RiskGrade.parse(a["risk"] ?? "", field: "risk"), now: c.now, calendar: c.calendar))
        })
}

extension MonthlyFigures {
    public var formAnswers: FormAnswers? {
        var a = FormAnswers(["month": month.description, "note": note])
        for m in MDSMeasure.allCases { a[m.rawValue] = figure(m).description }
        return a
    }
}

extension EnforcementOutcome {
    public var formAnswers: FormAnswers? {
        FormAnswers(["outcome": outcome.rawValue, "on": on.iso, "note": note, "risk": currentRisk.rawValue])
    }
}
