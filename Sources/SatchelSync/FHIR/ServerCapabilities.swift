/// What the central system's CapabilityStatement says, as far as the sync engine cares.
public struct ServerCapabilities: Sendable, Equatable {
    public let fhirVersion: String
    public let software: String?
    /// Server supports `batch` Bundles.
    public let batch: Bool
    /// Server supports `transaction` Bundles.
    public let transaction: Bool
    /// Per resource type: PUT to an unknown id creates it.
    public let updateCreate: [String: Bool]
    /// Per resource type: `If-None-Exist` is honoured.
    public let conditionalCreate: [String: Bool]

    public init(fhirVersion: String, software: String?, batch: Bool, transaction: Bool,
                updateCreate: [String: Bool], conditionalCreate: [String: Bool]) {
        self.fhirVersion = fhirVersion
        self.software = software
        self.batch = batch
        self.transaction = transaction
        self.updateCreate = updateCreate
        self.conditionalCreate = conditionalCreate
    }

    /// PUT with client ids when `updateCreate` is true for `type`, else conditional create.
    public func writeMode(for type: String) -> WriteMode {
        updateCreate[type] == true ? .putWithClientIDs : .conditionalCreate
    }
}
