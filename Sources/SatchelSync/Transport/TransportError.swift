// SPDX-License-Identifier: GPL-3.0-or-later

/// Why a transfer failed. `message` is for people and says what to do; `curlCode`
/// and `detail` (curl_easy_strerror + the error buffer) are the cause, for logs.
/// Neither ever contains a request or response body, nor a URL path or query
/// (they can carry identifiers); at most the scheme, host and port.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
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
    }

    public let kind: Kind
    public let message: String
    public let curlCode: Int32?
    public let detail: String?

    public init(kind: Kind, message: String, curlCode: Int32? = nil, detail: String? = nil) {
        self.kind = kind
        self.message = message
        self.curlCode = curlCode
        self.detail = detail
    }

    public var description: String {
        var text = "\(kind.rawValue): \(message)"
        if let curlCode { text += " [curl \(curlCode)]" }
        if let detail, !detail.isEmpty { text += " (\(detail))" }
        return text
    }
}
