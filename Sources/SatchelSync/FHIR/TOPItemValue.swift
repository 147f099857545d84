import SatchelCore

/// One TOP item's answer as it goes into a QuestionnaireResponse item.
enum TOPItemValue: Equatable, Sendable {
    case integer(Int)
    case decimal(Double)
    case boolean(Bool)
    case string(String)
    case declined

    static func from(_ a: Answer<Int>) -> TOPItemValue { a.value.map { .integer($0) } ?? .declined }
    static func from(_ a: Answer<Double>) -> TOPItemValue { a.value.map { .decimal($0) } ?? .declined }
    static func from(_ a: Answer<Bool>) -> TOPItemValue { a.value.map { .boolean($0) } ?? .declined }
    static func from(_ a: Answer<String>) -> TOPItemValue { a.value.map { .string($0) } ?? .declined }

    /// Every asked item of the form by flag name; items skipped by the form's rules are absent.
    static func answers(of form: TOPForm) -> [String: TOPItemValue] {
        var out: [String: TOPItemValue] = [:]
        func weeks(_ prefix: String, _ days: WeeklyDays) {
            for (n, a) in days.weeks { out["\(prefix)-week-\(n)"] = from(a) }
        }
        for substance in TOPSubstance.allCases {
            weeks(substance.flag, form.substances.days(of: substance))
            if let amount = form.substances.use(of: substance)?.amount {
                out["\(substance.flag)-amount"] = from(amount)
            }
        }
        if let name = form.substances.otherName { out["other-name"] = from(name) }
        weeks("injecting", form.injecting.days)
        if let a = form.injecting.sharedNeedles { out["shared-needles"] = from(a) }
        if let a = form.injecting.sharedParaphernalia { out["shared-paraphernalia"] = from(a) }
        weeks("shoplifting", form.crime.shoplifting)
        weeks("drug-selling", form.crime.drugSelling)
        out["vehicle-theft"] = from(form.crime.vehicleTheft)
        out["property-theft"] = from(form.crime.propertyTheft)
        out["fraud"] = from(form.crime.fraud)
        out["assault"] = from(form.crime.assault)
        out["psych-health"] = from(form.health.psychHealth)
        out["physical-health"] = from(form.health.physicalHealth)
        out["quality-of-life"] = from(form.health.qualityOfLife)
        weeks("paid-work", form.health.paidWork)
        weeks("college", form.health.college)
        out["acute-housing"] = from(form.health.acuteHousing)
        out["eviction-risk"] = from(form.health.evictionRisk)
        return out
    }

    /// Derived 4-week totals by weekly prefix (known totals only).
    static func totals(of form: TOPForm) -> [String: Int] {
        var rows: [(String, WeeklyDays)] = TOPSubstance.allCases.map { ($0.flag, form.substances.days(of: $0)) }
        rows += [("injecting", form.injecting.days), ("shoplifting", form.crime.shoplifting),
                 ("drug-selling", form.crime.drugSelling), ("paid-work", form.health.paidWork),
                 ("college", form.health.college)]
        var out: [String: Int] = [:]
        for (prefix, days) in rows {
            if let total = days.total.value { out[prefix] = total }
        }
        return out
    }
}
