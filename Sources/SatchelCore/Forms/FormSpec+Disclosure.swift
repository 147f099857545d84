import Foundation

extension FormSpec {
    /// `disclose`: information shared without consent, on a lawful basis (SIM guide
    /// §48-52 between agencies, §56 to family). It names exactly what it releases —
    /// records by id, or everything about the person written from a date up to now.
    public static let disclosure = FormSpec(
        kind: .disclosure, command: "disclose",
        fields: [
            FormField(
                flag: "to", question: "To which destination (empty to tell a person instead)",
                help: "A destination in config.toml: the named records are released to it, carrying the basis. Leave empty and give --to-person for a relative or friend (§56).",
                allowed: "a destination in config.toml, or empty", required: false,
                check: { t, c throws(FieldError) in _ = try disclosureDestination(t, c) }),
            FormField(
                flag: "to-person", question: "To which person", help: "The person told, e.g. a relative (SIM guide §56). Nothing is sent to them by Satchel; the disclosure is recorded.",
                allowed: "free text", required: true, applies: { $0.given("to") == nil }),
            FormField(
                flag: "records", question: "Which records (ids from history, comma-separated; empty for a date)",
                help: "Exactly what is disclosed: record ids or their first 8 characters, as `history` and `queue` show them.",
                allowed: "record ids separated by commas, or empty", required: false,
                check: { t, c throws(FieldError) in _ = try disclosedRecords(t, c) }),
            FormField(
                flag: "from", question: "Everything about the person written from",
                help: "Discloses every record about the person written from this day up to now (not later ones).",
                allowed: "23/11/2026 or 2026-11-23, today or earlier", required: true, applies: { $0.given("records") == nil },
                check: { t, c throws(FieldError) in
                    _ = try FieldDay.notAfterToday(t, field: "from", what: "The first day disclosed", now: c.now, calendar: c.calendar)
                }),
            .choice(
                "basis", LawfulBasis.self, question: "Lawful basis",
                help: "vital-interests (§48), prevent-detect-crime (§49, §56), prevent-serious-harm (§50, §56; scored with the risk matrix), dynamic-incident (§52, a sincerely held belief), locate-absconded (§56, Mental Health Act 1983). To family only the §56 ones."),
            .text("reason", question: "Why it is shared without consent", help: "What makes the basis apply: what is feared or being prevented.", multiline: true),
            FormField(
                flag: "likelihood", question: "Likelihood (1 rare … 5 almost certain)", help: "SIM guide §50 recommends the risk matrix: how likely the harm is.",
                allowed: "1-5", required: true, applies: { $0["basis"]?.lowercased() == LawfulBasis.preventSeriousHarm.rawValue },
                check: { t, _ throws(FieldError) in _ = try RiskMatrix.check(try RiskMatrix.parseScore(t, field: "likelihood"), field: "likelihood") }),
            FormField(
                flag: "impact", question: "Impact (1 negligible … 5 catastrophic)", help: "SIM guide §50: the predicted impact should the harm occur.",
                allowed: "1-5", required: true, applies: { $0["basis"]?.lowercased() == LawfulBasis.preventSeriousHarm.rawValue },
                check: { t, _ throws(FieldError) in _ = try RiskMatrix.check(try RiskMatrix.parseScore(t, field: "impact"), field: "impact") }),
            FormField(
                flag: "decided-by", question: "Who decided", help: "Who made the decision to share (you, or e.g. the duty senior).",
                allowed: "free text", defaultValue: { $0.workerName.isEmpty ? nil : $0.workerName },
                check: { t, _ throws(FieldError) in _ = try FieldText.required(t, field: "decided-by", label: "who decided") }),
            .currentRisk,
        ],
        build: { a, c throws(FieldError) in
            let destination = try a.given("to").map { t throws(FieldError) in try disclosureDestination(t, c) }
            let ids: [UUID]
            var from: FieldDay?
            if let list = a.given("records") {
                ids = try disclosedRecords(list, c)
            } else {
                let day = try FieldDay.notAfterToday(a["from"] ?? "", field: "from", what: "The first day disclosed", now: c.now, calendar: c.calendar)
                from = day
                ids = c.records.filter { !(FieldDay.on($0.writtenAt, calendar: c.calendar) < day) && $0.kind != .disclosure }.map(\.id)
                if ids.isEmpty { throw FieldError.on("from", "nothing about this person was written from \(day). Give an earlier day, or --records.") }
            }
            let basis = try LawfulBasis.parse(a["basis"] ?? "", field: "basis")
            let scored = basis == .preventSeriousHarm
            let disclosure = try Disclosure(
                to: destination ?? (a["to-person"] ?? ""), recipient: destination == nil ? .person : .destination,
                records: ids, from: from, basis: basis, reason: a["reason"] ?? "",
                likelihood: scored ? try RiskMatrix.parseScore(a["likelihood"] ?? "", field: "likelihood") : nil,
                impact: scored ? try RiskMatrix.parseScore(a["impact"] ?? "", field: "impact") : nil, matrix: c.riskMatrix,
                decidedBy: a["decided-by"] ?? c.workerName, currentRisk: try RiskGrade.parse(a["risk"] ?? "", field: "risk"))
            var note = "Disclosed on \(basis.label) (SIM guide \(basis.section)): \(ids.count) record(s)"
            note += disclosure.recipient == .destination ? " released to \(disclosure.to), with the basis on each." : " told to \(disclosure.to); recorded, nothing is sent to them."
            if let grade = disclosure.matrixGrade { note += " Matrix: \(grade.label)." }
            return BuiltRecord(payload: disclosure, note: note)
        })

    /// A destination name from config.toml, matched exactly.
    static func disclosureDestination(_ text: String, _ c: FormContext) throws(FieldError) -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard c.destinations.contains(name) else {
            let list = c.destinations.isEmpty ? "none is configured" : "configured: " + c.destinations.joined(separator: ", ")
            throw FieldError.on("to", "\(FieldError.quote(text)) is not a destination (\(list)). To tell a person, give --to-person NAME instead.")
        }
        return name
    }

    /// Record ids (or unique prefixes of at least 4 characters) of this person's final records.
    static func disclosedRecords(_ text: String, _ c: FormContext) throws(FieldError) -> [UUID] {
        var ids: [UUID] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !part.isEmpty {
            guard part.count >= 4 else { throw FieldError.on("records", "\(FieldError.quote(part)) is too short: give at least 4 characters of a record id.") }
            let hits = c.records.filter { $0.id.uuidString.lowercased().hasPrefix(part) }
            guard let hit = hits.first else {
                throw FieldError.on("records", "\(FieldError.quote(part)) is not a final record about this person. See `history`.")
            }
            guard hits.count == 1 else { throw FieldError.on("records", "\(FieldError.quote(part)) matches \(hits.count) records. Give more of the id.") }
            if !ids.contains(hit.id) { ids.append(hit.id) }
        }
        if ids.isEmpty { throw FieldError.on("records", "give at least one record id, or --from DATE.") }
        return ids
    }
}
