/// TOP section 3: crime in the past 4 weeks.
/// JSON keys: `shoplifting`, `drugSelling`, `vehicleTheft`, `propertyTheft`, `fraud`, `assault`.
public struct TOPCrime: Equatable, Sendable, Codable {
    public let shoplifting: WeeklyDays
    public let drugSelling: WeeklyDays
    /// Theft from or of a vehicle.
    public let vehicleTheft: Answer<Bool>
    /// Other property theft or burglary.
    public let propertyTheft: Answer<Bool>
    /// Fraud, forgery or handling stolen goods.
    public let fraud: Answer<Bool>
    /// Assault or violence.
    public let assault: Answer<Bool>

    public init(shoplifting: WeeklyDays, drugSelling: WeeklyDays, vehicleTheft: Answer<Bool>,
                propertyTheft: Answer<Bool>, fraud: Answer<Bool>, assault: Answer<Bool>) throws(FieldError) {
        self.shoplifting = shoplifting
        self.drugSelling = drugSelling
        self.vehicleTheft = vehicleTheft
        self.propertyTheft = propertyTheft
        self.fraud = fraud
        self.assault = assault
        try validate()
    }

    public func validate() throws(FieldError) {
        try shoplifting.validate(flag: "shoplifting")
        try drugSelling.validate(flag: "drug-selling")
    }
}
