import Foundation

extension FormSpec {
    /// One C-U-R-E question (SIM guide §21) and its note.
    private static func capacityQuestion(_ flag: String, _ question: String, _ help: String) -> [FormField] {
        [
            .choice(flag, YesNo.self, question: question, help: help),
            .text("\(flag)-note", question: "What you saw (\(flag))", help: "A short note on what the answer to \"\(question)\" rests on."),
        ]
    }

    /// `capacity add`: the four C-U-R-E questions of SIM guide §21 and the overall
    /// judgement; insufficient suspends mentoring pending review.
    public static let capacity = FormSpec(
        kind: .capacity, command: "capacity add",
        fields: capacityQuestion("communicate", "Can they communicate effectively about the topics discussed", "SIM guide §21: COMMUNICATE effectively about the topics and issues being discussed.")
            + capacityQuestion("understand", "Can they understand what is said to them", "SIM guide §21: UNDERSTAND what is being said to them.")
            + capacityQuestion("retain", "Can they retain the information long enough", "SIM guide §21: RETAIN the information for a sufficient time.")
            + capacityQuestion("employ", "Can they use the information to make sound and safe decisions", "SIM guide §21: EMPLOY (or use) the information to make sound and safe decisions.")
            + [
                .choice(
                    "judgement", CapacityJudgement.self, question: "Overall judgement",
                    help: "sufficient only when all four are yes (SIM guide §21: \"all of the following\"). insufficient suspends the person's mentoring pending review.",
                    default: { _ in nil }),
                .currentRisk,
            ],
        build: { a, _ throws(FieldError) in
            func answer(_ flag: String) throws(FieldError) -> CapacityAssessment.Answer {
                CapacityAssessment.Answer(able: try YesNo.parseBool(a[flag] ?? "", field: flag), note: a["\(flag)-note"] ?? "")
            }
            let assessment = try CapacityAssessment(
                communicate: try answer("communicate"), understand: try answer("understand"), retain: try answer("retain"),
                employ: try answer("employ"), judgement: try CapacityJudgement.parse(a["judgement"] ?? "", field: "judgement"),
                currentRisk: try RiskGrade.parse(a["risk"] ?? "", field: "risk"))
            let note = assessment.suspendsMentoring
                ? "Mentoring is suspended pending review (SIM guide §21): review whether it goes on, is suspended or stops." : nil
            return BuiltRecord(payload: assessment, note: note)
        })

    /// `permission add`: the lead clinician's permission to mentor (SIM guide §20).
    public static let permission = FormSpec(
        kind: .permission, command: "permission add",
        fields: [
            .text("lead-clinician", question: "Lead clinician", help: "SIM guide §20: who gave permission to mentor this person."),
            FormField(
                flag: "given-on", question: "Given on", help: "The day the lead clinician gave permission. Today or earlier.",
                allowed: "23/11/2026 or 2026-11-23", required: true,
                defaultValue: { c in FieldDay.on(c.now, calendar: c.calendar).description },
                check: { t, c throws(FieldError) in _ = try FieldDay.notAfterToday(t, field: "given-on", what: "The day permission was given", now: c.now, calendar: c.calendar) }),
            .text("note", question: "Note", help: "Anything the lead clinician asked to be kept in mind.", required: false),
        ],
        build: { a, c throws(FieldError) in
            let permission = try MentoringPermission(
                leadClinician: a["lead-clinician"] ?? "",
                givenOn: try FieldDay.notAfterToday(a["given-on"] ?? "", field: "given-on", what: "The day permission was given", now: c.now, calendar: c.calendar),
                note: a["note"], now: c.now, calendar: c.calendar)
            return BuiltRecord(payload: permission)
        })
}
