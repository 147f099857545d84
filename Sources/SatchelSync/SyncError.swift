// SPDX-License-Identifier: GPL-3.0-or-later
import SatchelStore

/// Everything SatchelSync can refuse, as data: a code, a `message` for people that says
/// what to do, and the cause for the log (`curlCode` and `detail`, curl_easy_strerror +
/// the error buffer for a transfer; `problem` for a server reply that could not be used).
///
/// Neither the message nor the cause ever contains a request or response body, a record's
/// values, nor a URL path or query (they can carry identifiers): at most the scheme, host
/// and port, a record's id and kind, a configuration key or line.
public struct SyncError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        // A transfer failed (libcurl, or any `HTTPTransport`).
        /// Nothing reached the server: no route, no DNS, connection refused.
        case offline
        /// The connection or the transfer took too long, or stalled.
        case timeout
        /// The server's identity could not be verified, or TLS could not be agreed.
        case tls
        /// The connection broke after the request may have been sent: the server
        /// may or may not have committed it. Retry idempotently.
        case connectionLost
        /// The URL was refused before any connection was made.
        case refusedURL
        case other

        /// config.toml is wrong: the message names the key (or the line) and what is allowed.
        case config
        /// A record cannot be expressed as FHIR: the message names the record, never its values.
        case unreadableRecord
        /// A server reply could not be used; `problem` says why.
        case response
        /// The destination refused Satchel's credentials, or none are sealed.
        case auth
        /// The destination's sync stopped: it does not answer like a FHIR R4 server (a Wi-Fi
        /// login page, a wrong URL), or kept failing past what a sync waits out.
        case notFHIR
        /// The vault failed while reading a sealed secret.
        case vault

        /// A failed transfer: the codes an `HTTPTransport` throws.
        public var isTransport: Bool {
            switch self {
            case .offline, .timeout, .tls, .connectionLost, .refusedURL, .other: true
            case .config, .unreadableRecord, .response, .auth, .notFHIR, .vault: false
            }
        }
    }

    public let code: Code
    /// For people; for `.response`, the problem's name, which the engine words for people.
    public let message: String
    public let curlCode: Int32?
    public let detail: String?
    /// Set for `.response`.
    public let problem: ResponseProblem?

    public init(_ code: Code, _ message: String, curlCode: Int32? = nil, detail: String? = nil, problem: ResponseProblem? = nil) {
        self.code = code
        self.message = message
        self.curlCode = curlCode
        self.detail = detail
        self.problem = problem
    }

    /// A transfer reads "tls: message [curl 60] (detail)"; anything else is its message.
    public var description: String {
        guard code.isTransport else { return message }
        var text = "\(code.rawValue): \(message)"
        if let curlCode { text += " [curl \(curlCode)]" }
        if let detail, !detail.isEmpty { text += " (\(detail))" }
        return text
    }

    public static func config(_ message: String) -> SyncError { SyncError(.config, message) }

    /// A config.toml syntax error: "line 3: url is set twice".
    public static func config(line: Int, _ message: String) -> SyncError { SyncError(.config, "line \(line): \(message)") }

    public static func response(_ problem: ResponseProblem) -> SyncError {
        SyncError(.response, String(describing: problem), problem: problem)
    }

    public static func auth(_ message: String) -> SyncError { SyncError(.auth, message) }

    public static func notFHIR(_ message: String) -> SyncError { SyncError(.notFHIR, message) }

    public static func vault(_ error: VaultError) -> SyncError { SyncError(.vault, error.message, detail: error.cause) }
}
