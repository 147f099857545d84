import Foundation

extension FormSpec {
    /// `top add`: the Treatment Outcomes Profile, every item (docs/top-form.md).
    /// PAVE SOP §8: a TOP is completed "in all circumstances unless there is a justified reason".
    public static let top = FormSpec(
        kind: .top, command: "top add",
        fields: [
            .choice("stage", TOPStage.self, question: "TOP stage", help: "start, review (about every 6 months), exit or post-exit."),
            FormField(
                flag: "interview-date", question: "Interview date", help: "The recall period is the 28 days before it. Not in the future.",
                allowed: "today, yesterday, 23/11/2026 or 2026-11-23", defaultValue: { _ in "today" },
                check: { t, c throws(FieldError) in
                    _ = try FieldDay.notAfterToday(t, field: "interview-date", what: TOPForm.dateWhat, now: c.now, calendar: c.calendar)
                }),
        ] + TOPField.all.map(topItem) + [.currentRisk],
        build: { a, c throws(FieldError) in
            var items: [String: String] = [:]
            for f in TOPField.all { if let v = a[f.flag] { items[f.flag] = v } }
            let answers = try TOPAnswers(parsing: items)
            let form = try answers.form(
                stage: try TOPStage.parse(a["stage"] ?? "", field: "stage"),
                interviewDate: try FieldDay.notAfterToday(a["interview-date"] ?? "today", field: "interview-date", what: TOPForm.dateWhat, now: c.now, calendar: c.calendar),
                currentRisk: try RiskGrade.parse(a["risk"] ?? "", field: "risk"),
                now: c.now, calendar: c.calendar)
            return BuiltRecord(payload: form)
        })

    static func topItem(_ item: TOPField) -> FormField {
        var choices: [String] = ["declined"]
        switch item.kind {
        case .days: choices = (0...7).map(String.init) + choices
        case .yesNo: choices = ["yes", "no"] + choices
        default: break
        }
        return FormField(
            flag: item.flag, question: item.question,
            help: "TOP section \(item.section). \"declined\" records that the client chose not to answer; it is not 0.",
            allowed: item.allowed, choices: choices,
            applies: { answers in
                var parsed = TOPAnswers()
                for f in TOPField.all { if let v = answers[f.flag] { try? parsed.set(f.flag, v) } }
                return parsed.isAsked(item)
            },
            check: { t, _ throws(FieldError) in _ = try item.parse(t) })
    }
}
