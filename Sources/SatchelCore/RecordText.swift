import Foundation

/// A record rendered for people: every field with its label, in form order — what
/// `export` prints and a reader of the record can check line by line.
///
/// Values are personal data: render them, never log them.
public enum RecordText {
    /// One labelled field.
    public typealias Line = (label: String, value: String)

    /// The heading of a record of this kind, e.g. "Risk assessment".
    public static func title(of kind: RecordKind) -> String {
        switch kind {
        case .serviceUser: "Service user"
        case .contact: "Contact"
        case .risk: "Risk assessment"
        case .top: "Treatment Outcomes Profile (TOP)"
        case .consent: "Consent"
        case .boundary: "Boundary discussion"
        case .capacity: "Capacity assessment"
        case .permission: "Permission to mentor"
        case .death: "Death notification"
        case .disclosure: "Disclosure without consent"
        case .plan: "Response plan"
        case .referral: "Referral"
        case .outcome: "Referral outcome"
        case .review: "Case review"
        case .discharge: "Discharge"
        case .letter: "Letter"
        case .mds: "Minimum data set (month)"
        case .enforcement: "Enforcement outcome"
        }
    }

    /// Every field of the payload with its label. The switch is exhaustive: a new
    /// record kind does not compile until it can be read.
    public static func lines(for payload: any RecordPayload) -> [Line] {
        let kind = type(of: payload).recordKind
        let lines: [Line]? = switch kind {
        case .serviceUser: (payload as? ServiceUser).map(serviceUser)
        case .contact: (payload as? Contact).map(contact)
        case .risk: (payload as? RiskAssessmentEntry).map(risk)
        case .top: (payload as? TOPForm).map(top)
        case .consent: (payload as? Consent).map(consent)
        case .boundary: (payload as? BoundaryDiscussion).map(boundary)
        case .capacity: (payload as? CapacityAssessment).map(capacity)
        case .permission: (payload as? MentoringPermission).map(permission)
        case .death: (payload as? DeathNotification).map(death)
        case .disclosure: (payload as? Disclosure).map(disclosure)
        case .plan: (payload as? ResponsePlan).map(plan)
        case .referral: (payload as? Referral).map(referral)
        case .outcome: (payload as? CaseOutcome).map(outcome)
        case .review: (payload as? CaseReview).map(review)
        case .discharge: (payload as? Discharge).map(discharge)
        case .letter: (payload as? Letter).map(letter)
        case .mds: (payload as? MonthlyFigures).map(mds)
        case .enforcement: (payload as? EnforcementOutcome).map(enforcement)
        }
        return lines ?? [("Summary", payload.summaryLine)]
    }

    /// The labels of a service user's lines that identify the person (removed by `export --redact`).
    public static let identifyingLabels: Set<String> = ["Name", "Alias", "Date of birth", "NHS number", "Address", "Police reference"]

    // MARK: - Kinds

    static func serviceUser(_ u: ServiceUser) -> [Line] {
        var out: [Line] = [("Name", u.name)]
        if let v = u.alias { out.append(("Alias", v)) }
        if let v = u.dob { out.append(("Date of birth", v.description)) }
        if let v = u.nhsNumber { out.append(("NHS number", v.formatted)) }
        if let v = u.address { out.append(("Address", v)) }
        if let v = u.policeRef { out.append(("Police reference", v)) }
        if let v = u.leadClinician { out.append(("Lead clinician", v)) }
        if let v = u.cpa { out.append(("Care Programme Approach", yesNo(v))) }
        if let v = u.paveTier { out.append(("PAVE tier", "\(v.rawValue)")) }
        return out
    }

    static func contact(_ c: Contact) -> [Line] {
        var out: [Line] = [
            ("Kind", c.kind.rawValue), ("When", FieldDate.display(c.at)), ("Where", c.place),
            ("Minutes", "\(c.minutes)"),
        ]
        if !c.present.isEmpty { out.append(("Family or friends present", c.present.joined(separator: ", "))) }
        if !c.professionals.isEmpty {
            out.append(("Professionals present", c.professionals.map { $0.display + ($0.police ? ", police" : "") }.joined(separator: "; ")))
        }
        if let v = c.relative { out.append(("Relative or friend called", v)) }
        return out + [("Summary", c.summary), risk(c.currentRisk)]
    }

    static func risk(_ e: RiskAssessmentEntry) -> [Line] {
        [
            ("Domain", e.domain.rawValue), ("Authority", e.authority.rawValue),
            ("Progress", e.progress), ("Mental state", e.mentalState), ("Risk", e.risk), ("Plan", e.plan),
            ("Likelihood × impact", "\(e.likelihood) × \(e.impact) = \(e.likelihood * e.impact)"),
            ("Grade", e.grade.label),
            ("Risk matrix", "\(e.matrix.code) (\(e.matrix.bands))"),
        ] + (e.endorses.map { d in
            [("Endorses", "the contributory grade \(d.key)\(d.version.map { " (version \($0))" } ?? "")\(d.gradedBy.map { " by \($0)" } ?? ""), assessed \(FieldDate.display(d.assessedAt))")]
        } ?? [])
    }

    static func top(_ f: TOPForm) -> [Line] {
        var out: [Line] = [("Stage", f.stage.rawValue), ("Interview date", f.interviewDate.description)]
        let answers = f.itemAnswers
        let totals = f.weeklyTotals
        let weekNote = " (\(TOPField.weekNote))"
        for field in TOPField.all {
            let question = field.question.replacingOccurrences(of: weekNote, with: "")
            if let value = answers[field.flag] { out.append((question, text(value, field.kind))) }
            if field.flag.hasSuffix("-week-1") {
                let prefix = String(field.flag.dropLast("-week-1".count))
                let stem = question.components(separatedBy: " in week ").first ?? question
                out.append(("\(stem) in the past 4 weeks (total)", totals[prefix].map { "\($0)" } ?? "not known (a week was declined)"))
            }
        }
        return out + [risk(f.currentRisk)]
    }

    static func consent(_ c: Consent) -> [Line] {
        var out: [Line] = [("Scope", c.scope.rawValue), ("With", c.with), ("Decision", c.decision.rawValue), ("Method", c.method.rawValue)]
        if let v = c.coversFrom { out.append(("Covers records from", v.description)) }
        if let v = c.reviewDate { out.append(("Review date", v.description)) }
        if let v = c.reason { out.append(("Reason", v)) }
        return out + [risk(c.currentRisk)]
    }

    static func boundary(_ b: BoundaryDiscussion) -> [Line] {
        [
            ("Behaviour", b.behaviour), ("Boundary", b.boundary), ("Consequence", b.consequence),
            ("Legal position explained", yesNo(b.legalExplained)), ("Response", b.response),
            ("Authority", b.authority.rawValue), risk(b.currentRisk),
        ]
    }

    static func capacity(_ a: CapacityAssessment) -> [Line] {
        let questions: [(String, CapacityAssessment.Answer)] = [
            ("Communicate", a.communicate), ("Understand", a.understand), ("Retain", a.retain), ("Employ", a.employ),
        ]
        return questions.map { ($0.0, "\(yesNo($0.1.able)): \($0.1.note)") }
            + [("Judgement", a.judgement.rawValue), risk(a.currentRisk)]
    }

    static func permission(_ p: MentoringPermission) -> [Line] {
        var out: [Line] = [("Lead clinician", p.leadClinician), ("Given on", p.givenOn.description)]
        if let v = p.note { out.append(("Note", v)) }
        return out
    }

    static func death(_ d: DeathNotification) -> [Line] {
        var out: [Line] = [("Died", FieldDate.display(d.diedAt)), ("Source", d.source)]
        if let v = d.note { out.append(("Note", v)) }
        out.append(("IOPC referral required", yesNo(d.referralRequired)))
        if let v = d.policeContactAt { out.append(("Contact with a police mentor", FieldDate.display(v))) }
        return out
    }

    static func disclosure(_ d: Disclosure) -> [Line] {
        var out: [Line] = [
            ("To", "\(d.to) (\(d.recipient.rawValue))"),
            ("Lawful basis", "\(d.basis.label) (SIM \(d.basis.section))"),
            ("Reason", d.reason),
            ("Records released", d.records.isEmpty ? "none" : d.records.map { String($0.uuidString.lowercased().prefix(8)) }.joined(separator: ", ")),
        ]
        if let v = d.from { out.append(("Records from", v.description)) }
        if let l = d.likelihood, let i = d.impact {
            out.append(("Likelihood × impact", "\(l) × \(i) = \(l * i)"))
            if let g = d.matrixGrade { out.append(("Grade", g.label)) }
            out.append(("Risk matrix", (d.matrix ?? .satchel).code))
        }
        return out + [("Decided by", d.decidedBy), risk(d.currentRisk)]
    }

    // MARK: - Values

    static func plan(_ p: ResponsePlan) -> [Line] {
        p.items.map { ($0.label, $0.value) } + [
            ("Written with the person", yesNo(p.coProduced)), ("Review by", p.reviewOn.description), risk(p.currentRisk),
        ]
    }

    static func referral(_ r: Referral) -> [Line] {
        [("Referred by", r.referrer), ("Received on", r.receivedOn.description), ("Demand on services", r.demand), ("Already tried", r.tried)]
    }

    static func outcome(_ o: CaseOutcome) -> [Line] {
        var out: [Line] = [("Outcome", o.decision.rawValue), ("Decided on", o.decidedOn.description)]
        if let tier = o.tier { out.append(("Tier", "\(tier.rawValue)")) }
        if let worker = o.namedWorker { out.append(("Named worker", worker)) }
        out.append(("Rationale", o.rationale))
        if let advice = o.advice { out.append(("Advice for the referrer", advice)) }
        return out + [caseLine(o.episode)]
    }

    static func review(_ r: CaseReview) -> [Line] {
        [("Reviewed on", r.reviewedOn.description), ("Engagement", r.engagement.rawValue), ("Decision", r.decision.rawValue),
         ("What the review found", r.note), risk(r.currentRisk), caseLine(r.episode)]
    }

    static func discharge(_ d: Discharge) -> [Line] {
        [("Discharged on", d.dischargedOn.description), ("GP", d.gp), ("Overview of the work", d.overview),
         ("Management plan", d.managementPlan), ("Contacts", d.contacts), ("Contingency plan", d.contingency),
         ("Services told", d.servicesTold), caseLine(d.episode)]
    }

    static func letter(_ l: Letter) -> [Line] {
        [("Letter", l.purpose.title), ("To", l.to), ("Text", l.body)]
    }

    static func mds(_ f: MonthlyFigures) -> [Line] {
        [("Month", f.month.label)] + MDSMeasure.allCases.map { ($0.title, f.figure($0).description) } + (f.note.map { [("Note", $0)] } ?? [])
    }

    static func enforcement(_ e: EnforcementOutcome) -> [Line] {
        [("Outcome", e.outcome.title), ("On", e.on.description)] + (e.note.map { [("Note", $0)] } ?? []) + [risk(e.currentRisk)]
    }

    static func caseLine(_ c: CaseSoFar) -> Line { ("Case", c.summary) }

    static func risk(_ grade: RiskGrade) -> Line { ("Current risk", grade.label) }

    static func yesNo(_ value: Bool) -> String { YesNo.word(value) }

    static func text(_ value: TOPValue, _ kind: TOPField.Kind) -> String {
        func shown<T>(_ a: Answer<T>, _ show: (T) -> String) -> String { a.value.map(show) ?? "declined" }
        switch value {
        case .days(let a): return shown(a) { "\($0)" }
        case .rating(let a): return shown(a) { "\($0) of 20" }
        case .yesNo(let a): return shown(a, yesNo)
        case .name(let a): return shown(a) { $0 }
        case .amount(let a):
            guard case .amount(let substance) = kind, let unit = substance.unit else { return shown(a) { "\($0)" } }
            return shown(a) { "\($0) \(unit)" }
        }
    }
}
