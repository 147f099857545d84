// SPDX-License-Identifier: GPL-3.0-or-later
internal import CCurl

/// The request headers as the curl_slist libcurl borrows for one transfer.
/// Always sends an empty `Expect:` so libcurl never waits for 100-continue.
final class CurlHeaderList {
    private(set) var head: UnsafeMutablePointer<curl_slist>?

    init(_ headers: [(name: String, value: String)]) throws(SyncError) {
        var sawExpect = false
        for (name, value) in headers {
            // Throwing here is safe: every property is set, so deinit frees the list.
            guard CurlHeaderList.isToken(name), CurlHeaderList.isFieldValue(value) else {
                throw SyncError(
                    .other, "A request header named \"\(CurlHeaderList.printable(name))\" is malformed (line breaks or invalid characters); the request was not sent. This is a bug in the app.")
            }
            if name.lowercased() == "expect" { sawExpect = true }
            // "Name;" is libcurl's way to send a header with an empty value.
            try append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        if !sawExpect { try append("Expect:") }
    }

    deinit { curl_slist_free_all(head) }

    private func append(_ line: String) throws(SyncError) {
        // On failure curl_slist_append leaves the list intact; deinit frees it.
        guard let next = curl_slist_append(head, line) else {
            throw SyncError(.other, "Out of memory while preparing the request headers. Restart the app and try again.")
        }
        head = next
    }

    static func isToken(_ name: String) -> Bool {
        let allowed = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        return !name.isEmpty && name.utf8.allSatisfy { allowed.contains($0) }
    }

    static func isFieldValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }

    private static func printable(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.prefix(40))
    }
}

@available(*, unavailable) extension CurlHeaderList: Sendable {}
