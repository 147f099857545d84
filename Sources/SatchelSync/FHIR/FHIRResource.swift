/// One mapped FHIR resource, ready to PUT or conditionally create.
public struct FHIRResource: Sendable, Equatable {
    /// The FHIR resource type, e.g. `Patient`.
    public let type: String
    /// The resource id: the record UUID, lowercase (for Patient: the service user's subject UUID).
    public let id: String
    /// `FHIRMapper.identifierSystem`.
    public let identifierSystem: String
    /// The value of the local identifier (same UUID as `id`).
    public let identifierValue: String
    /// The resource JSON, compact with sorted keys.
    public let json: [UInt8]

    public init(type: String, id: String, identifierSystem: String, identifierValue: String, json: [UInt8]) {
        self.type = type
        self.id = id
        self.identifierSystem = identifierSystem
        self.identifierValue = identifierValue
        self.json = json
    }

    /// `identifier=<system>|<value>`, for `If-None-Exist` / `request.ifNoneExist`.
    public var ifNoneExist: String { "identifier=\(identifierSystem)|\(identifierValue)" }
}
