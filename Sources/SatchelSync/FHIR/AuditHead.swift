/// The vault's audit head as each sync reports it to the central system, in every
/// Bundle's `meta.extension`: the worker's id, the number of the audit log's last entry
/// and that entry's hash. A vault file put back to an older copy shows there: the number
/// goes down, or one number arrives with two hashes. docs/fhir-mapping.md, docs/sync.md.
public struct AuditHead: Sendable, Equatable {
    public let workerID: String
    public let sequence: Int64
    /// The SHA-256 chain hash of that entry, hex.
    public let hash: String

    public init(workerID: String, sequence: Int64, hash: String) {
        self.workerID = workerID
        self.sequence = sequence
        self.hash = hash
    }

    /// `https://satchel.example/StructureDefinition/audit-head`.
    public static let extensionURL = MappingContext.ext("audit-head")

    /// `Bundle.meta`: the complex extension with `worker` (an Identifier in Satchel's worker
    /// system), `sequence` (an R4 integer) and `hash` (a string). nil for a sequence past
    /// what an R4 integer holds (2,147,483,647 entries: not reached by any vault).
    var meta: JSONValue? {
        guard let sequence = Int32(exactly: sequence) else { return nil }
        return ["extension": [[
            "url": .string(Self.extensionURL),
            "extension": [
                ["url": "worker", "valueIdentifier": ["system": .string(FHIRMapper.workerSystem), "value": .string(workerID)]],
                ["url": "sequence", "valueInteger": .int(Int(sequence))],
                ["url": "hash", "valueString": .string(hash)],
            ],
        ]]]
    }
}
