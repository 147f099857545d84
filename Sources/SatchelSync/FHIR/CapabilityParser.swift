/// Parses `GET [base]/metadata`.
public enum CapabilityParser {
    public static func parse(_ body: [UInt8]) throws(SyncError) -> ServerCapabilities {
        guard let root = JSONValue.parse(body) else { throw .response(.unparseable) }
        guard root["resourceType"]?.stringValue == "CapabilityStatement" else { throw .response(.notACapabilityStatement) }
        let version = ServerText.displayable(root["fhirVersion"]?.stringValue ?? "")
        guard version.hasPrefix("4.0.") || version == "4.0" else { throw .response(.unsupportedFHIRVersion(version)) }
        var batch = false, transaction = false
        var updateCreate: [String: Bool] = [:], conditionalCreate: [String: Bool] = [:]
        let servers = (root["rest"]?.arrayValue ?? []).filter { $0["mode"]?.stringValue == "server" }
        for rest in servers {
            for interaction in rest["interaction"]?.arrayValue ?? [] {
                switch interaction["code"]?.stringValue {
                case "batch": batch = true
                case "transaction": transaction = true
                default: break
                }
            }
            for resource in rest["resource"]?.arrayValue ?? [] {
                guard let type = resource["type"]?.stringValue else { continue }
                updateCreate[type] = resource["updateCreate"]?.boolValue ?? false
                conditionalCreate[type] = resource["conditionalCreate"]?.boolValue ?? false
            }
        }
        return ServerCapabilities(fhirVersion: version, software: root["software"]?["name"]?.stringValue.map(ServerText.displayable),
                                  batch: batch, transaction: transaction,
                                  updateCreate: updateCreate, conditionalCreate: conditionalCreate)
    }
}
