import Foundation

/// Parses the reply to a `batch` Bundle.
public enum BundleResponseParser {
    static let fhirMediaTypes: Set<String> = ["application/fhir+json", "application/json", "application/json+fhir"]

    /// Must be a JSON `Bundle` of type `batch-response` with exactly `expectedEntries` entries.
    public static func parse(body: [UInt8], contentType: String?,
                             expectedEntries: Int) throws(SyncError) -> [EntryOutcome] {
        try checkMediaType(contentType)
        guard let root = JSONValue.parse(body) else { throw .response(.unparseable) }
        guard root.isObject, root["resourceType"]?.stringValue == "Bundle" else { throw .response(.notABundle) }
        let type = root["type"]?.stringValue ?? ""
        guard type == "batch-response" else { throw .response(.wrongBundleType(ServerText.displayable(type))) }
        let entries: [JSONValue]
        switch root["entry"] {
        case nil: entries = []
        case .array(let a)?: entries = a
        default: throw .response(.unparseable)
        }
        guard entries.count == expectedEntries else {
            throw .response(.entryCountMismatch(expected: expectedEntries, got: entries.count))
        }
        var outcomes: [EntryOutcome] = []
        for entry in entries {
            guard let response = entry["response"], let line = response["status"]?.stringValue,
                  let status = statusCode(line) else { throw .response(.unparseable) }
            outcomes.append(EntryOutcome(
                status: status,
                location: response["location"]?.stringValue,
                etag: response["etag"]?.stringValue,
                lastModified: response["lastModified"]?.stringValue,
                diagnostics: response["outcome"].flatMap { OperationOutcomeText.summary(of: $0) }))
        }
        return outcomes
    }

    /// Throws `.response(.notFHIR)` unless the media type is FHIR/JSON. A missing Content-Type is let
    /// through to JSON parsing.
    static func checkMediaType(_ contentType: String?) throws(SyncError) {
        guard let contentType else { return }
        let media = contentType.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        guard fhirMediaTypes.contains(media) else { throw .response(.notFHIR(contentType: ServerText.displayable(contentType))) }
    }

    /// `"201 Created"` → 201; `"201"` → 201. Nil unless an HTTP status (100-599).
    static func statusCode(_ line: String) -> Int? {
        let digits = line.trimmingCharacters(in: .whitespaces).prefix(while: { $0.isNumber })
        guard digits.count == 3, let code = Int(digits), (100...599).contains(code) else { return nil }
        return code
    }
}
