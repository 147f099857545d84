/// A TOP form read item by item, by flag name (`TOPField`): what the FHIR mapping
/// sends and what `RecordText` prints.
extension TOPForm {
    /// Every asked item of the form by flag name; items skipped by the form's rules are absent.
    public var itemAnswers: [String: TOPValue] {
        var out: [String: TOPValue] = [:]
        func weeks(_ prefix: String, _ days: WeeklyDays) {
            for (n, a) in days.weeks { out["\(prefix)-week-\(n)"] = .days(a) }
        }
        for substance in TOPSubstance.allCases {
            weeks(substance.flag, substances.days(of: substance))
            if let amount = substances.use(of: substance)?.amount {
                out["\(substance.flag)-amount"] = .amount(amount)
            }
        }
        if let name = substances.otherName { out["other-name"] = .name(name) }
        weeks("injecting", injecting.days)
        if let a = injecting.sharedNeedles { out["shared-needles"] = .yesNo(a) }
        if let a = injecting.sharedParaphernalia { out["shared-paraphernalia"] = .yesNo(a) }
        weeks("shoplifting", crime.shoplifting)
        weeks("drug-selling", crime.drugSelling)
        out["vehicle-theft"] = .yesNo(crime.vehicleTheft)
        out["property-theft"] = .yesNo(crime.propertyTheft)
        out["fraud"] = .yesNo(crime.fraud)
        out["assault"] = .yesNo(crime.assault)
        out["psych-health"] = .rating(health.psychHealth)
        out["physical-health"] = .rating(health.physicalHealth)
        out["quality-of-life"] = .rating(health.qualityOfLife)
        weeks("paid-work", health.paidWork)
        weeks("college", health.college)
        out["acute-housing"] = .yesNo(health.acuteHousing)
        out["eviction-risk"] = .yesNo(health.evictionRisk)
        return out
    }

    /// Derived 4-week totals by weekly prefix (known totals only).
    public var weeklyTotals: [String: Int] {
        var rows: [(String, WeeklyDays)] = TOPSubstance.allCases.map { ($0.flag, substances.days(of: $0)) }
        rows += [("injecting", injecting.days), ("shoplifting", crime.shoplifting),
                 ("drug-selling", crime.drugSelling), ("paid-work", health.paidWork),
                 ("college", health.college)]
        var out: [String: Int] = [:]
        for (prefix, days) in rows {
            if let total = days.total.value { out[prefix] = total }
        }
        return out
    }
}
