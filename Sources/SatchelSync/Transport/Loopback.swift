// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// The addresses that never leave this device: the only hosts plain http may be allowed
/// to (`allow-loopback-http`, for tests). One rule for the config file and the transport.
enum Loopback {
    /// True for `localhost`, an IPv4 address in 127.0.0.0/8 and the IPv6 address ::1,
    /// bare or in a URL's brackets. Addresses must be literal (`inet_pton`), so a name
    /// such as `127.example.com`, which anyone can register, is not loopback.
    static func contains(host: String) -> Bool {
        let h = host.lowercased()
        if h == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, h, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        let bare = h.hasPrefix("[") && h.hasSuffix("]") ? String(h.dropFirst().dropLast()) : h
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, bare, &v6) == 1 else { return false }
        return withUnsafeBytes(of: &v6) { Array($0) } == [UInt8](repeating: 0, count: 15) + [1]
    }
}
