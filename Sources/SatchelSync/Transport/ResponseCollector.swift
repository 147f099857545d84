// SPDX-License-Identifier: GPL-3.0-or-later
internal import CCurl

/// Where libcurl's write and header callbacks put one response. Owned by a
/// `CurlEasy` for the handle's whole life; the callbacks find it through
/// `Unmanaged.fromOpaque(userdata)`, capture nothing and never throw.
final class ResponseCollector {
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    /// The write callback aborts (returns 0) past this many body bytes.
    let maxBodyBytes: Int
    private(set) var overflowed = false
    /// The progress callback aborts when no byte moved either way for this long.
    let stallLimit: Duration
    private(set) var stalled = false
    /// The server asked for a client certificate in this transfer's TLS handshake.
    private(set) var certificateRequested = false
    /// Whether any of a response (its status line or body bytes) arrived.
    var responseStarted: Bool { sawStatusLine || !body.isEmpty }
    private var sawStatusLine = false
    private var lastProgress = ContinuousClock.now
    private var lastTotal: Int64 = -1

    init(maxBodyBytes: Int, stallSeconds: Int) {
        self.maxBodyBytes = maxBodyBytes
        stallLimit = .seconds(stallSeconds)
    }

    func reset() {
        headers = [:]
        body = []
        overflowed = false
        stalled = false
        certificateRequested = false
        sawStatusLine = false
        lastProgress = ContinuousClock.now
        lastTotal = -1
    }

    /// CURLOPT_XFERINFOFUNCTION: libcurl calls it at least about once a second.
    /// CURLOPT_LOW_SPEED_* averages over a window of several seconds, so a stall
    /// right after a burst of bytes is noticed late; this catches "nothing moved
    /// for lowSpeedTime seconds" on time. Non-zero aborts (CURLE_ABORTED_BY_CALLBACK).
    static let progress: curl_xferinfo_callback = { userdata, _, downloaded, _, uploaded in
        guard let userdata else { return 1 }
        let me = Unmanaged<ResponseCollector>.fromOpaque(userdata).takeUnretainedValue()
        let total = Int64(downloaded) + Int64(uploaded)
        let now = ContinuousClock.now
        if total != me.lastTotal {
            me.lastTotal = total
            me.lastProgress = now
            return 0
        }
        if now - me.lastProgress >= me.stallLimit {
            me.stalled = true
            return 1
        }
        return 0
    }

    var userdata: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// CURLOPT_WRITEFUNCTION: returns size * nmemb, or 0 to abort the transfer.
    static let write: curl_write_callback = { data, size, count, userdata in
        guard let userdata else { return 0 }
        let me = Unmanaged<ResponseCollector>.fromOpaque(userdata).takeUnretainedValue()
        let total = size * count
        guard total > 0, let data else { return total }
        if me.body.count + total > me.maxBodyBytes {
            me.overflowed = true
            return 0
        }
        me.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: total))
        return total
    }

    /// CURLOPT_HEADERFUNCTION: one header line per call, CRLF included. A status
    /// line starts a new response (interim 1xx, proxy CONNECT), so headers reset.
    static let header: curl_write_callback = { data, size, count, userdata in
        guard let userdata else { return 0 }
        let me = Unmanaged<ResponseCollector>.fromOpaque(userdata).takeUnretainedValue()
        let total = size * count
        guard total > 0, let data else { return total }
        let bytes = UnsafeRawBufferPointer(start: data, count: total)
        me.takeHeaderLine(String(decoding: bytes, as: UTF8.self))
        return total
    }

    /// CURLOPT_DEBUGFUNCTION (with CURLOPT_VERBOSE): reads only libcurl's informational
    /// text, for the handshake line "TLSv1.3 (IN), TLS handshake, Request CERT (13):";
    /// headers and data passed here are neither read nor kept. Always returns 0.
    static let debug: curl_debug_callback = { _, type, data, size, userdata in
        guard type == CURLINFO_TEXT, let userdata, let data, size > 0 else { return 0 }
        let me = Unmanaged<ResponseCollector>.fromOpaque(userdata).takeUnretainedValue()
        if !me.certificateRequested {
            let text = UnsafeRawBufferPointer(start: data, count: size)
            me.certificateRequested = String(decoding: text, as: UTF8.self).contains("(IN), TLS handshake, Request CERT")
        }
        return 0
    }

    private func takeHeaderLine(_ raw: String) {
        let line = raw.trimmed([" ", "\t", "\r", "\n", "\r\n"])
        if line.hasPrefix("HTTP/") {
            sawStatusLine = true
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        guard !name.isEmpty, !name.contains(" "), !name.contains("\t") else { return }
        headers[name] = String(line[line.index(after: colon)...]).trimmed([" ", "\t"])
    }
}

@available(*, unavailable) extension ResponseCollector: Sendable {}

extension String {
    fileprivate func trimmed(_ chars: Set<Character>) -> String {
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
