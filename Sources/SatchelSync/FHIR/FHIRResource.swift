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
    /// Where the server already holds this resource ("Type/id", an earlier version's
    /// receipt): the entry is a PUT there, whatever the write mode.
    public private(set) var updateURL: String?

    public init(type: String, id: String, identifierSystem: String, identifierValue: String, json: [UInt8]) {
        self.type = type
        self.id = id
        self.identifierSystem = identifierSystem
        self.identifierValue = identifierValue
        self.json = json
    }

    /// `identifier=<system>|<value>`, for `If-None-Exist` / `request.ifNoneExist`.
    public var ifNoneExist: String { "identifier=\(identifierSystem)|\(identifierValue)" }

    /// This resource written over the one the server holds at `target` ("Type/id"): the
    /// body's `id` becomes the server's, as a PUT requires. Unchanged when `target` is nil
    /// or not of this type.
    public func updating(_ target: String?) -> FHIRResource {
        guard let target, target.hasPrefix(type + "/"), case .object(var members)? = JSONValue.parse(json) else { return self }
        let serverID = String(target.dropFirst(type.count + 1))
        members["id"] = .string(serverID)
        var r = FHIRResource(type: type, id: serverID, identifierSystem: identifierSystem, identifierValue: identifierValue,
                             json: JSONValue.object(members).encoded())
        r.updateURL = target
        return r
    }
}
