// SPDX-License-Identifier: GPL-3.0-or-later

/// How `CurlEasy` connects. The defaults are the safe ones: HTTPS only, the
/// system trust store, libcurl's own proxy environment handling.
public struct TransportSettings: Sendable {
    /// The destination's name in config.toml, for a message that names what to change there.
    public var destination: String?
    /// PEM bundle to trust instead of the system store: the only CAs trusted, libcurl's
    /// default CA directory (Debian: /etc/ssl/certs) included.
    public var caFile: String?
    /// A hashed CA directory (`openssl rehash`) to trust instead of the system store,
    /// used only when `caFile` is nil. nil: libcurl's defaults.
    public var caPath: String?
    /// `sha256//base64` pins (CURLOPT_PINNEDPUBLICKEY, joined with ";").
    public var pinnedPublicKeys: [String] = []
    public var clientCertificate: String?
    public var clientKey: String?
    public var clientKeyPassphrase: String?
    /// nil: libcurl reads https_proxy / no_proxy itself. "": no proxy at all.
    public var proxy: String?
    public var noProxy: String?
    /// Seconds.
    public var connectTimeout: Double = 15
    /// Bytes per second ...
    public var lowSpeedLimit: Int = 1
    /// ... for this many seconds aborts a stalled transfer.
    public var lowSpeedTime: Int = 30
    /// Seconds for one whole request, connecting included (CURLOPT_TIMEOUT_MS; config
    /// `transfer-timeout`): a server trickling bytes fast enough to pass the low-speed
    /// limit cannot hold a sync open for ever. nil means no overall limit.
    public var totalTimeout: Double? = 300
    /// Plain http is allowed only to 127.0.0.0/8, ::1 and localhost, and only when true.
    public var allowLoopbackHTTP: Bool = false

    public init() {}
}
