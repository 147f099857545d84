/// Builds `batch` Bundles. Entries are independent; one response entry comes back per
/// request entry, in order.
public enum BundleBuilder {
    /// A `batch` Bundle (compact JSON, sorted keys). The resources' JSON is spliced in
    /// byte for byte, so the Bundle carries exactly what the mapper produced. No resources:
    /// no `entry` (FHIR forbids empty arrays). With `auditHead`, `meta.extension` reports
    /// the vault's audit head (`AuditHead`).
    public static func batch(_ resources: [FHIRResource], mode: WriteMode, auditHead: AuditHead? = nil) -> [UInt8] {
        let meta = auditHead?.meta.map { Array(#""meta":"#.utf8) + $0.encoded() } ?? []
        guard !resources.isEmpty else {
            return Array("{".utf8) + meta + (meta.isEmpty ? [] : Array(",".utf8)) + Array(#""resourceType":"Bundle","type":"batch"}"#.utf8)
        }
        var out = Array(#"{"entry":["#.utf8)
        for (n, resource) in resources.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(#"{"fullUrl":"#.utf8)
            out += JSONValue.string("urn:uuid:\(resource.id)").encoded()
            out += Array(#","request":"#.utf8)
            out += request(for: resource, mode: mode).encoded()
            out += Array(#","resource":"#.utf8)
            out += resource.json
            out.append(UInt8(ascii: "}"))
        }
        out += Array("],".utf8)
        if !meta.isEmpty { out += meta + Array(",".utf8) }
        out += Array(#""resourceType":"Bundle","type":"batch"}"#.utf8)
        return out
    }

    /// The entry's `request` element.
    public static func request(for resource: FHIRResource, mode: WriteMode) -> JSONValue {
        if let url = resource.updateURL { return ["method": "PUT", "url": .string(url)] }
        switch mode {
        case .putWithClientIDs:
            return ["method": "PUT", "url": .string("\(resource.type)/\(resource.id)")]
        case .conditionalCreate:
            return ["method": "POST", "url": .string(resource.type), "ifNoneExist": .string(resource.ifNoneExist)]
        }
    }
}
