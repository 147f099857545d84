// SPDX-License-Identifier: GPL-3.0-or-later
internal import CCurl

/// The options every transfer on a `CurlEasy` shares. Debian's libcurl defaults are
/// not safe for us (any protocol, redirects off but any scheme allowed...), so
/// everything that matters is set explicitly, and a failed setopt is fatal.
extension CurlEasy {
    func applyHandleOptions() throws(SyncError) {
        let s = settings
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_ERRORBUFFER, UnsafeRawPointer(errorBuffer))
        try set(CURLOPT_WRITEFUNCTION, callback: ResponseCollector.write)
        try set(CURLOPT_WRITEDATA, UnsafeRawPointer(collector.userdata))
        try set(CURLOPT_HEADERFUNCTION, callback: ResponseCollector.header)
        try set(CURLOPT_HEADERDATA, UnsafeRawPointer(collector.userdata))
        try check(satchel_curl_setopt_xferinfo(handle, CURLOPT_XFERINFOFUNCTION, ResponseCollector.progress), CURLOPT_XFERINFOFUNCTION)
        try set(CURLOPT_XFERINFODATA, UnsafeRawPointer(collector.userdata))
        try set(CURLOPT_NOPROGRESS, 0)
        // Verbose only into the debug callback (never stderr), which notes a server's
        // request for a client certificate: see `CurlFailure.wantsClientCertificate`.
        try check(satchel_curl_setopt_debug(handle, ResponseCollector.debug), CURLOPT_DEBUGFUNCTION)
        try set(CURLOPT_DEBUGDATA, UnsafeRawPointer(collector.userdata))
        try set(CURLOPT_VERBOSE, 1)

        let protocols = s.allowLoopbackHTTP ? "https,http" : "https"
        try set(CURLOPT_PROTOCOLS_STR, protocols)
        try set(CURLOPT_REDIR_PROTOCOLS_STR, protocols)
        try set(CURLOPT_FOLLOWLOCATION, 0)

        try set(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        try set(CURLOPT_CERTINFO, 1)
        // Debian's libcurl also trusts CURLOPT_CAPATH=/etc/ssl/certs next to CAINFO:
        // a destination's own CAs replace the system store, so the other one is cleared.
        if let caFile = s.caFile {
            try set(CURLOPT_CAINFO, caFile)
            try set(CURLOPT_CAPATH, nil as String?)
        } else if let caPath = s.caPath {
            try set(CURLOPT_CAINFO, nil as String?)
            try set(CURLOPT_CAPATH, caPath)
        }
        if !s.pinnedPublicKeys.isEmpty {
            try set(CURLOPT_PINNEDPUBLICKEY, s.pinnedPublicKeys.joined(separator: ";"))
        }
        if let cert = s.clientCertificate { try set(CURLOPT_SSLCERT, cert) }
        if let key = s.clientKey { try set(CURLOPT_SSLKEY, key) }
        if let pass = s.clientKeyPassphrase { try set(CURLOPT_KEYPASSWD, pass) }

        if let proxy = s.proxy { try set(CURLOPT_PROXY, proxy) }
        if let noProxy = s.noProxy { try set(CURLOPT_NOPROXY, noProxy) }
        try set(CURLOPT_PROXY_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        try set(CURLOPT_PROXY_SSL_VERIFYPEER, 1)
        try set(CURLOPT_PROXY_SSL_VERIFYHOST, 2)

        try set(CURLOPT_CONNECTTIMEOUT_MS, CurlEasy.milliseconds(s.connectTimeout))
        try set(CURLOPT_LOW_SPEED_LIMIT, s.lowSpeedLimit)
        try set(CURLOPT_LOW_SPEED_TIME, s.lowSpeedTime)
        if let total = s.totalTimeout { try set(CURLOPT_TIMEOUT_MS, CurlEasy.milliseconds(total)) }
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try set(CURLOPT_ACCEPT_ENCODING, "")
    }

    static func milliseconds(_ seconds: Double) -> Int {
        Int((seconds * 1000).rounded(.up).clamped(to: 1...Double(Int32.max)))
    }

    // MARK: typed setopt, each failure reported with the option's number

    func set(_ option: CURLoption, _ value: Int) throws(SyncError) {
        try check(satchel_curl_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, off value: curl_off_t) throws(SyncError) {
        try check(satchel_curl_setopt_off(handle, option, value), option)
    }

    /// libcurl copies string options, so the Swift string may go away after the call.
    func set(_ option: CURLoption, _ value: String?) throws(SyncError) {
        let rc: CURLcode
        if let value {
            rc = value.withCString { satchel_curl_setopt_ptr(handle, option, $0) }
        } else {
            rc = satchel_curl_setopt_ptr(handle, option, nil)
        }
        try check(rc, option)
    }

    /// For borrowed memory: the caller keeps it alive for as long as libcurl may use it.
    func set(_ option: CURLoption, _ pointer: UnsafeRawPointer?) throws(SyncError) {
        try check(satchel_curl_setopt_ptr(handle, option, pointer), option)
    }

    func set(_ option: CURLoption, callback: curl_write_callback) throws(SyncError) {
        try check(satchel_curl_setopt_write(handle, option, callback), option)
    }

    func check(_ rc: CURLcode, _ option: CURLoption) throws(SyncError) {
        guard rc != CURLE_OK else { return }
        let why = curl_easy_strerror(rc).map { String(cString: $0) } ?? "unknown"
        throw SyncError(
            .other, "This device's libcurl refused a required security setting, so nothing was sent. Update the system packages or tell the administrator.",
            curlCode: Int32(rc.rawValue),
            detail: "curl_easy_setopt(\(option.rawValue)): \(why)")
    }
}

extension Double {
    fileprivate func clamped(to range: ClosedRange<Double>) -> Double {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
