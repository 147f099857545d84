// SPDX-License-Identifier: GPL-3.0-or-later

/// A final (non-interim) HTTP response.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Lowercased header names; when a header repeats, the last value wins.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var contentType: String? { headers["content-type"] }
}
