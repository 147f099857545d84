// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
internal import CCurl

/// A URL parsed by libcurl's own parser (CURLU), so the host we check is exactly
/// the host libcurl connects to: the same handle is given to the transfer with
/// CURLOPT_CURLU. Owned by one transfer, never shared.
final class CurlURL {
    let handle: OpaquePointer
    let scheme: String
    let host: String
    let port: String

    /// `scheme://host:port`, safe to show: no path or query (they can carry identifiers).
    var origin: String { "\(scheme)://\(host):\(port)" }

    init(_ text: String) throws(SyncError) {
        guard let handle = curl_url() else {
            throw SyncError(.other, "Out of memory while preparing the request. Restart the app and try again.")
        }
        self.handle = handle
        let rc = curl_url_set(handle, CURLUPART_URL, text, 0)
        guard rc == CURLUE_OK else {
            curl_url_cleanup(handle)
            let why = curl_url_strerror(rc).map { String(cString: $0) } ?? "unknown"
            throw SyncError(
                .refusedURL, "The server address is not a valid https URL. Check the server address in the sync settings.",
                detail: "CURLUcode \(rc.rawValue): \(why)")
        }
        scheme = CurlURL.part(handle, CURLUPART_SCHEME, 0)?.lowercased() ?? ""
        host = CurlURL.part(handle, CURLUPART_HOST, 0) ?? ""
        port = CurlURL.part(handle, CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT)) ?? ""
    }

    deinit { curl_url_cleanup(handle) }

    /// Refuses anything but https, except plain http to a loopback host when allowed.
    func validate(allowLoopbackHTTP: Bool) throws(SyncError) {
        if host.isEmpty {
            throw SyncError(.refusedURL, "The server address has no host name. Check the server address in the sync settings.")
        }
        switch scheme {
        case "https":
            return
        case "http":
            if !allowLoopbackHTTP {
                throw SyncError(
                    .refusedURL, "Refused to send over unencrypted http to \(origin). Use an https:// server address.")
            }
            if !Loopback.contains(host: host) {
                throw SyncError(
                    .refusedURL, "Refused to send over unencrypted http to \(origin): plain http is only allowed to this device itself. Use an https:// server address.")
            }
        default:
            throw SyncError(
                .refusedURL, "Refused the \(scheme): address \(origin). Only https:// server addresses can be used.")
        }
    }

    private static func part(_ handle: OpaquePointer, _ which: CURLUPart, _ flags: UInt32) -> String? {
        var out: UnsafeMutablePointer<CChar>? = nil
        guard curl_url_get(handle, which, &out, flags) == CURLUE_OK, let out else { return nil }
        defer { curl_free(out) }
        return String(cString: out)
    }
}

@available(*, unavailable) extension CurlURL: Sendable {}
