import Foundation

extension FormSpec {
    /// `user add`: the person the team works with.
    public static let serviceUser = FormSpec(
        kind: .serviceUser, command: "user add",
        fields: [
            .text("name", question: "Full name", help: "The service user's full name as the agencies' systems hold it."),
            FormField(
                flag: "alias", question: "Alias", help: "A short handle to type at the prompt instead of the name (open testy-m). Lowercase letters, digits and hyphens.",
                allowed: "2-24 of a-z, 0-9, -", required: false,
                check: { t, _ throws(FieldError) in _ = try ServiceUser.parseAlias(t) }),
            FormField(
                flag: "dob", question: "Date of birth", help: "Not in the future, within the last 120 years.",
                allowed: "23/11/1980 or 1980-11-23", required: false,
                check: { t, c throws(FieldError) in _ = try FieldDay.dateOfBirth(t, now: c.now, calendar: c.calendar) }),
            FormField(
                flag: "nhs-number", question: "NHS number", help: "Ten digits; the last is a modulus-11 check digit, so a typo is caught. Many police-referred people have none: leave it empty.",
                allowed: "10 digits, spaces allowed", required: false,
                check: { t, _ throws(FieldError) in _ = try NHSNumber(parsing: t) }),
            .text("address", question: "Address", help: "Where visits happen.", required: false),
            .text("police-ref", question: "Police reference", help: "The police system's reference for this person, if any.", required: false),
            .text("lead-clinician", question: "Lead clinician", help: "SIM guide §20: mentoring needs the lead clinician's permission.", required: false),
            FormField(
                flag: "cpa", question: "Under CPA", help: "PAVE SOP §9: whether the person is subject to the Care Programme Approach.",
                allowed: YesNo.allowedList, choices: YesNo.allCases.map(\.choiceName), required: false,
                check: { t, _ throws(FieldError) in _ = try YesNo.parseBool(t, field: "cpa") }),
            FormField(
                flag: "care-coordinator", question: "Care co-ordinator", help: "PAVE SOP §9: under CPA, the care co-ordinator's name.",
                allowed: "free text", required: false, applies: { $0["cpa"].map { (try? YesNo.parseBool($0, field: "cpa")) == true } ?? false }),
            .choice("pave-tier", PaveTier.self, question: "PAVE tier", help: "PAVE SOP §7: the tier agreed at the team meeting (1, 2 or 3).", required: false),
        ],
        build: { a, c throws(FieldError) in
            let user = try ServiceUser(
                name: a["name"] ?? "",
                alias: a.given("alias"),
                dob: try a.given("dob").map { t throws(FieldError) in try FieldDay.dateOfBirth(t, now: c.now, calendar: c.calendar) },
                nhsNumber: try a.given("nhs-number").map { t throws(FieldError) in try NHSNumber(parsing: t) },
                address: a.given("address"), policeRef: a.given("police-ref"), leadClinician: a.given("lead-clinician"),
                cpa: try a.given("cpa").map { t throws(FieldError) in try YesNo.parseBool(t, field: "cpa") },
                careCoordinator: a.given("care-coordinator"),
                paveTier: try a.given("pave-tier").map { t throws(FieldError) in try PaveTier.parse(t, field: "pave-tier") },
                now: c.now, calendar: c.calendar)
            return BuiltRecord(payload: user)
        })
}
