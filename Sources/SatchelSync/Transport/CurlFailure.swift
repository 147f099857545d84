// SPDX-License-Identifier: GPL-3.0-or-later
internal import CCurl

/// Turns a failed CURLcode into a `SyncError` whose message says what to do.
/// The cause (code, curl_easy_strerror, CURLOPT_ERRORBUFFER) rides along in `detail`.
enum CurlFailure {
    static func error(
        _ code: CURLcode, errorBuffer: String, origin: String, destination: String? = nil, certificateRequestedWithoutOne: Bool = false,
        responseTooLarge: Bool = false, stalled: Bool = false
    ) -> SyncError {
        let strerror = curl_easy_strerror(code).map { String(cString: $0) } ?? "unknown error"
        var detail = errorBuffer.isEmpty ? strerror : "\(strerror): \(errorBuffer)"
        if stalled { detail += " (no data moved for the low-speed time)" }
        if wantsClientCertificate(code, errorBuffer: errorBuffer, requestedWithoutOne: certificateRequestedWithoutOne) {
            return SyncError(.auth, clientCertificateMessage(origin, destination: destination), curlCode: Int32(code.rawValue), detail: detail)
        }
        let kind: SyncError.Code = stalled ? .timeout : Self.kind(of: code)
        let message: String
        switch kind {
        case .offline:
            message = "Could not reach \(origin). Check that the device is online (or the proxy settings); the records stay queued and will be sent later."
        case .timeout:
            message = "\(origin) took too long to answer or the transfer stalled. The records stay queued; try again on a better connection."
        case .tls:
            message = "The secure connection to \(origin) could not be verified, so nothing was sent. Check the device's date and time; if it is right, do not sync on this network and tell the administrator (certificate, pin or TLS version problem)."
        case .connectionLost:
            message = "The connection to \(origin) broke during the transfer. The server may or may not have stored the records; they will be sent again safely on the next sync."
        case .refusedURL:
            message = "Refused to connect to \(origin): only https:// server addresses can be used. Check the server address in the sync settings."
        default:  // .other: `kind(of:)` gives only the codes of a failed transfer
            if responseTooLarge {
                message = "The answer from \(origin) was larger than allowed and was dropped. Tell the administrator."
            } else {
                message = "The transfer to \(origin) failed. Try again; if it keeps failing, tell the administrator and quote the technical detail."
            }
        }
        return SyncError(kind, message, curlCode: Int32(code.rawValue), detail: detail)
    }

    // MARK: - Mutual TLS

    /// The server ended the connection because no client certificate was offered (mutual
    /// TLS). With TLS 1.3 the server says so after the client thinks the handshake is done:
    /// OpenSSL reports the `certificate_required` alert (116) at the first read ("tlsv13
    /// alert certificate required"), or, when the server closes first, the request fails
    /// while being sent. With TLS 1.2 it is a `handshake_failure` alert. Either way the
    /// handshake showed the server's request for a certificate (`requestedWithoutOne`: none
    /// configured, no byte of a response received). Without this it would read as a broken
    /// connection and be retried like an outage, for ever. Nothing reached the server.
    static func wantsClientCertificate(_ code: CURLcode, errorBuffer: String, requestedWithoutOne: Bool) -> Bool {
        if errorBuffer.lowercased().contains("alert certificate required") { return true }
        guard requestedWithoutOne else { return false }
        switch code {
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_SSL_CONNECT_ERROR: return true
        default: return false
        }
    }

    /// A refusal only a change of settings fixes, naming the config.toml keys that fix it.
    static func clientCertificateMessage(_ origin: String, destination: String?) -> String {
        let table = destination.map { "[destination.\($0)]" } ?? "this destination's table"
        let name = destination ?? "NAME"
        return "\(origin) requires a client certificate (mutual TLS) and ended the connection because none was offered, so nothing was sent. "
            + "Set client-cert and client-key in \(table) in config.toml to the certificate and key files your administrator gave you "
            + "(a passphrase for the key: `satchel destination secret \(name) --which key-passphrase`), then run `satchel destination confirm \(name)`. "
            + "The records stay queued; syncing again before then changes nothing."
    }

    // MARK: - Transfer failures

    static func kind(of code: CURLcode) -> SyncError.Code {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            return .offline
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_ISSUER_ERROR, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return .tls
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING,
            CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_SSL_SHUTDOWN_FAILED:
            return .connectionLost
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .refusedURL
        default:
            return .other
        }
    }
}
