/// Reads the human text out of an OperationOutcome.
public enum OperationOutcomeText {
    /// For a plain 4xx/5xx reply body: the issues' diagnostics (or details.text, or code),
    /// joined with "; " and made `ServerText.displayable` (it is stored and shown); nil when
    /// the body is not an OperationOutcome with issues.
    public static func summary(body: [UInt8]) -> String? {
        guard let value = JSONValue.parse(body) else { return nil }
        return summary(of: value)
    }

    static func summary(of outcome: JSONValue) -> String? {
        guard outcome["resourceType"]?.stringValue == "OperationOutcome",
              let issues = outcome["issue"]?.arrayValue else { return nil }
        let texts = issues.compactMap { issue -> String? in
            issue["diagnostics"]?.stringValue ?? issue["details"]?["text"]?.stringValue ?? issue["code"]?.stringValue
        }
        let text = ServerText.displayable(texts.joined(separator: "; "))
        return text.isEmpty ? nil : text
    }
}
