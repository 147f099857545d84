/// Why a server reply could not be used: the `problem` of a `SyncError` of code
/// `.response`, for the engine to switch on (a captive portal's page is not a bad batch).
public enum ResponseProblem: Sendable, Equatable {
    /// Not FHIR JSON at all, e.g. a captive portal's `text/html` 200.
    case notFHIR(contentType: String?)
    /// JSON, but not a Bundle.
    case notABundle
    /// A Bundle of another type (e.g. `transaction-response` to a batch).
    case wrongBundleType(String)
    /// The batch-response does not have one entry per request entry.
    case entryCountMismatch(expected: Int, got: Int)
    /// Not parseable JSON, or a required element is missing or malformed.
    case unparseable
    /// `/metadata` did not return a CapabilityStatement.
    case notACapabilityStatement
    /// The server speaks another FHIR version (only 4.0.x is accepted).
    case unsupportedFHIRVersion(String)
}
