// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
internal import CCurl

/// One libcurl easy handle, reused for every request so connections stay alive.
/// Created in init, released in deinit, used from one thread at a time: not Sendable.
public final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    let settings: TransportSettings
    /// CURLOPT_ERRORBUFFER: libcurl borrows it for the handle's whole life.
    let errorBuffer: UnsafeMutablePointer<CChar>
    let collector: ResponseCollector

    /// The chain presented in the last TLS handshake, leaf first (CURLOPT_CERTINFO).
    /// A reused connection has no new handshake, so it keeps the previous value.
    public private(set) var lastCertificateChain: [CertificateSummary] = []
    /// CURLINFO_NUM_CONNECTS summed over every transfer: new connections opened.
    public private(set) var connectionsOpened: Int = 0

    /// Largest response body accepted (bytes); bigger answers abort with `.other`.
    public static let defaultMaxResponseBytes = 64 * 1024 * 1024

    public init(settings: TransportSettings, maxResponseBytes: Int = CurlEasy.defaultMaxResponseBytes) throws(SyncError) {
        try settings.validate()
        let runtime = CurlRuntime.version
        guard runtime.supportsHTTPS, runtime.number >= 0x075500 else {
            throw SyncError(
                .other, "This device's libcurl (\(runtime.text), \(runtime.tlsBackend)) cannot do safe HTTPS; version 7.85 or later with TLS is needed. Update the system packages.")
        }
        guard let handle = curl_easy_init() else {
            throw SyncError(.other, "Could not set up the network transfer (out of memory). Restart the app and try again.")
        }
        self.handle = handle
        self.settings = settings
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        collector = ResponseCollector(maxBodyBytes: maxResponseBytes, stallSeconds: settings.lowSpeedTime)
        try applyHandleOptions()
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Sends one request and waits for the whole response. Any HTTP status is a
    /// response; only transport failures throw.
    public func perform(_ request: HTTPRequest) throws(SyncError) -> HTTPResponse {
        let url = try CurlURL(request.url)
        try url.validate(allowLoopbackHTTP: settings.allowLoopbackHTTP)
        let method = request.method.uppercased()
        guard ["GET", "POST", "PUT"].contains(method) else {
            throw SyncError(.other, "The \(request.method) method is not supported by the sync transport (only GET, POST and PUT).")
        }
        let headerList = try CurlHeaderList(request.headers)

        // The body is copied once and lives until curl_easy_perform returns.
        let bodyCount = request.body.count
        let bodyBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bodyCount, 1))
        defer { bodyBuffer.deallocate() }
        request.body.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { bodyBuffer.initialize(from: base, count: bodyCount) }
        }

        collector.reset()
        errorBuffer[0] = 0
        defer { clearRequestOptions() }
        try set(CURLOPT_CURLU, UnsafeRawPointer(url.handle))
        try set(CURLOPT_HTTPHEADER, UnsafeRawPointer(headerList.head))
        switch method {
        case "GET":
            try set(CURLOPT_CUSTOMREQUEST, nil as String?)
            try set(CURLOPT_HTTPGET, 1)
        default:
            try set(CURLOPT_POSTFIELDSIZE_LARGE, off: curl_off_t(bodyCount))
            try set(CURLOPT_POSTFIELDS, UnsafeRawPointer(bodyBuffer))
            try set(CURLOPT_CUSTOMREQUEST, method == "PUT" ? "PUT" : nil as String?)
        }

        let code = withExtendedLifetime((url, headerList)) { curl_easy_perform(handle) }
        recordConnectionInfo()
        guard code == CURLE_OK else {
            let askedForCertificate = collector.certificateRequested && settings.clientCertificate == nil && !collector.responseStarted
            throw CurlFailure.error(
                code, errorBuffer: String(cString: errorBuffer), origin: url.origin, destination: settings.destination,
                certificateRequestedWithoutOne: askedForCertificate, responseTooLarge: collector.overflowed, stalled: collector.stalled)
        }
        var status = 0
        _ = satchel_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: collector.headers, body: collector.body)
    }

    private func recordConnectionInfo() {
        var opened = 0
        if satchel_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &opened) == CURLE_OK {
            connectionsOpened += opened
        }
        let chain = CertificateChainReader.read(handle)
        if !chain.isEmpty { lastCertificateChain = chain }
    }

    /// Drops every pointer libcurl borrowed for the last transfer.
    private func clearRequestOptions() {
        _ = satchel_curl_setopt_ptr(handle, CURLOPT_HTTPHEADER, nil)
        _ = satchel_curl_setopt_ptr(handle, CURLOPT_POSTFIELDS, nil)
        _ = satchel_curl_setopt_ptr(handle, CURLOPT_CURLU, nil)
    }
}

@available(*, unavailable) extension CurlEasy: Sendable {}
