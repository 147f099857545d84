/// TOP section 4: health and social functioning.
/// JSON keys: `psychHealth`, `physicalHealth`, `qualityOfLife`, `paidWork`,
/// `college`, `acuteHousing`, `evictionRisk`.
public struct TOPHealth: Equatable, Sendable, Codable {
    /// Ratings are 0 (poor) to 20 (good).
    public let psychHealth: Answer<Int>
    public let physicalHealth: Answer<Int>
    public let qualityOfLife: Answer<Int>
    public let paidWork: WeeklyDays
    /// College or school.
    public let college: WeeklyDays
    public let acuteHousing: Answer<Bool>
    public let evictionRisk: Answer<Bool>

    public static let ratingRange = 0...20

    public init(psychHealth: Answer<Int>, physicalHealth: Answer<Int>, qualityOfLife: Answer<Int>,
                paidWork: WeeklyDays, college: WeeklyDays, acuteHousing: Answer<Bool>,
                evictionRisk: Answer<Bool>) throws(FieldError) {
        self.psychHealth = psychHealth
        self.physicalHealth = physicalHealth
        self.qualityOfLife = qualityOfLife
        self.paidWork = paidWork
        self.college = college
        self.acuteHousing = acuteHousing
        self.evictionRisk = evictionRisk
        try validate()
    }

    public func validate() throws(FieldError) {
        for (flag, rating) in [("psych-health", psychHealth), ("physical-health", physicalHealth),
                               ("quality-of-life", qualityOfLife)] {
            if case .value(let score) = rating, !Self.ratingRange.contains(score) {
                throw FieldError.on(flag, "\(score) is out of range. \(TOPValue.ratingRule)")
            }
        }
        try paidWork.validate(flag: "paid-work")
        try college.validate(flag: "college")
    }
}
