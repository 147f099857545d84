import SatchelCore

/// mds → Observation (local code `sim-minimum-data-set`), SIM guide §57: the month as the
/// effective period, one component per figure: `valueInteger`, or `dataAbsentReason`
/// `unknown` for "not known" (never 0). enforcement → Observation (local code
/// `enforcement-outcome`) with the outcome as the value. docs/fhir-mapping.md.
enum DataSetMapping {
    static let absent = MappingContext.concept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown", "Unknown")

    static func observation(_ f: MonthlyFigures, _ c: MappingContext) -> JSONValue {
        var notes: [JSONValue] = []
        if let note = f.note { notes.append(["text": .string(note)]) }
        return c.resource("Observation", extensions: c.commonExtensions(currentRisk: nil, authority: nil), [
            "status": "final",
            "code": MappingContext.concept(CapacityMapping.observationCodes, "sim-minimum-data-set", "Minimum data set, one month (SIM guide §57)"),
            "subject": c.patientReference,
            "effectivePeriod": ["start": .string(f.month.firstDay.iso), "end": .string(f.month.lastDay.iso)],
            "issued": c.finalisedAt,
            "performer": [c.authorReference],
            "note": MappingContext.nonEmpty(notes),
            "component": .array(MDSMeasure.allCases.map { m in
                let code = MappingContext.concept(MappingContext.codeSystem("minimum-data-set"), m.rawValue, m.title)
                switch f.figure(m) {
                case .known(let n): return ["code": code, "valueInteger": .int(n)]
                case .notKnown: return ["code": code, "dataAbsentReason": absent]
                }
            }),
        ])
    }

    static func observation(_ e: EnforcementOutcome, _ c: MappingContext) -> JSONValue {
        c.resource("Observation", extensions: c.commonExtensions(currentRisk: e.currentRisk, authority: nil), [
            "status": "final",
            "code": MappingContext.concept(CapacityMapping.observationCodes, "enforcement-outcome", "Enforcement outcome"),
            "subject": c.patientReference,
            "effectiveDateTime": .string(e.on.iso),
            "issued": c.finalisedAt,
            "performer": [c.authorReference],
            "valueCodeableConcept": MappingContext.concept(MappingContext.codeSystem("enforcement-outcome"), e.outcome.rawValue, e.outcome.title),
            "note": MappingContext.nonEmpty(e.note.map { [["text": .string($0)]] } ?? []),
        ])
    }
}
