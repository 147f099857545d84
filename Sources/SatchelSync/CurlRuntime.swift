internal import CCurl

/// The process-wide libcurl: initialised once, before any handle exists, and asked
/// what it can do. The transport refuses to run on a libcurl that cannot do TLS.
public enum CurlRuntime {
    public struct Version: Sendable {
        /// 0xXXYYZZ: major, minor, patch.
        public let number: UInt32
        public let text: String
        public let tlsBackend: String
        public let supportsHTTPS: Bool
        public let supportsCompression: Bool
    }

    private static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    public static var version: Version {
        _ = initialised
        guard let info = satchel_curl_version_info() else {
            return Version(number: 0, text: "unknown", tlsBackend: "none", supportsHTTPS: false, supportsCompression: false)
        }
        let i = info.pointee
        var https = false
        if var p = i.protocols {
            while let s = p.pointee {
                if String(cString: s) == "https" { https = true }
                p += 1
            }
        }
        let features = Int32(i.features)
        return Version(
            number: i.version_num,
            text: i.version.map { String(cString: $0) } ?? "unknown",
            tlsBackend: i.ssl_version.map { String(cString: $0) } ?? "none",
            supportsHTTPS: https && features & CURL_VERSION_SSL != 0,
            supportsCompression: features & CURL_VERSION_LIBZ != 0)
    }
}
