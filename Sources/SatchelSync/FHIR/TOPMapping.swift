import SatchelCore

/// TOP form → QuestionnaireResponse against `https://satchel.example/Questionnaire/top|<formVersion>`.
enum TOPMapping {
    static let questionnaire = "https://satchel.example/Questionnaire/top"
    static let dataAbsentReason = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
    static let sectionTitles = [1: "Section 1: Substance use", 2: "Section 2: Injecting risk behaviour",
                                3: "Section 3: Crime", 4: "Section 4: Health and social functioning"]

    static func questionnaireResponse(_ form: TOPForm, _ c: MappingContext) -> JSONValue {
        let answers = TOPItemValue.answers(of: form)
        let totals = TOPItemValue.totals(of: form)
        var groups: [JSONValue] = []
        for section in 1...4 {
            var items: [JSONValue] = []
            for field in TOPField.all where field.section == section {
                if let value = answers[field.flag] {
                    items.append(item(field.flag, field.question, value))
                }
                if field.flag.hasSuffix("-week-1") {
                    let prefix = String(field.flag.dropLast("-week-1".count))
                    if let total = totals[prefix] {
                        items.append(item("\(prefix)-total", totalText(field.question), .integer(total)))
                    }
                }
                if field.flag == "shared-paraphernalia", let sharing = form.injecting.sharing {
                    items.append(item("injecting-sharing",
                                      "Injecting: shared needles, syringes or paraphernalia in the past 4 weeks (derived)",
                                      .boolean(sharing)))
                }
            }
            if !items.isEmpty {
                groups.append(["linkId": .string("section-\(section)"),
                               "text": .string(sectionTitles[section] ?? "Section \(section)"),
                               "item": .array(items)])
            }
        }
        let header: [JSONValue] = [
            ["linkId": "stage", "text": "TOP stage",
             "answer": [["valueCoding": MappingContext.coding(MappingContext.codeSystem("top-stage"),
                                                              form.stage.rawValue, stageDisplay(form.stage))]]],
            ["linkId": "interview-date", "text": "Interview date",
             "answer": [["valueDate": .string(form.interviewDate.iso)]]],
        ]
        return .members([
            "resourceType": "QuestionnaireResponse",
            "id": .string(c.recordID),
            "meta": c.meta(),
            "extension": MappingContext.nonEmpty(c.commonExtensions(currentRisk: form.currentRisk, authority: nil)),
            "identifier": MappingContext.localIdentifier(c.recordID),
            "questionnaire": .string("\(questionnaire)|\(form.formVersion)"),
            "status": "completed",
            "subject": c.patientReference,
            "authored": c.finalisedAt,
            "author": c.authorReference,
            "item": .array(header + groups),
        ])
    }

    /// A declined item carries no answer, only data-absent-reason `asked-declined`.
    static func item(_ linkId: String, _ text: String, _ value: TOPItemValue) -> JSONValue {
        let answer: JSONValue?
        switch value {
        case .integer(let v): answer = ["valueInteger": .int(v)]
        case .decimal(let v): answer = ["valueDecimal": .double(v)]
        case .boolean(let v): answer = ["valueBoolean": .bool(v)]
        case .string(let v): answer = ["valueString": .string(v)]
        case .declined: answer = nil
        }
        return .members([
            "linkId": .string(linkId),
            "text": .string(text),
            "answer": answer.map { [$0] },
            "extension": answer == nil ? [["url": .string(dataAbsentReason), "valueCode": "asked-declined"]] : nil,
        ])
    }

    /// "Alcohol: days used in week 1 (...)" → "Alcohol: days used in the past 4 weeks (total of weeks 1-4, derived)".
    static func totalText(_ weekQuestion: String) -> String {
        let stem = weekQuestion.components(separatedBy: " in week ").first ?? weekQuestion
        return "\(stem) in the past 4 weeks (total of weeks 1-4, derived)"
    }

    static func stageDisplay(_ stage: TOPStage) -> String {
        switch stage {
        case .start: "Treatment start"
        case .review: "Review"
        case .exit: "Treatment exit"
        case .postExit: "Post-exit"
        }
    }
}
