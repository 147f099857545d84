// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelStore

/// The CURLOPT_PINNEDPUBLICKEY form of a certificate's key:
/// `sha256//` + base64(SHA-256(DER SubjectPublicKeyInfo)).
enum PublicKeyPin {
    static func fromPEM(_ pem: String) -> String? {
        let body = pem.split(whereSeparator: \.isNewline)
            .filter { !$0.hasPrefix("-----") }
            .joined()
        guard let der = Data(base64Encoded: body) else { return nil }
        return fromDER([UInt8](der))
    }

    static func fromDER(_ der: [UInt8]) -> String? {
        guard let spki = subjectPublicKeyInfo(der) else { return nil }
        return "sha256//" + Data(Sodium.sha256(spki)).base64EncodedString()
    }

    /// Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL,
    /// serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, ... } ... }
    static func subjectPublicKeyInfo(_ der: [UInt8]) -> [UInt8]? {
        guard let certificate = element(der, at: 0), certificate.tag == 0x30,
            let tbs = element(der, at: certificate.contentStart), tbs.tag == 0x30
        else { return nil }
        var offset = tbs.contentStart
        if let first = element(der, at: offset), first.tag == 0xA0 { offset = first.end }
        // serialNumber, signature, issuer, validity, subject
        for _ in 0..<5 {
            guard let skipped = element(der, at: offset), skipped.end <= tbs.end else { return nil }
            offset = skipped.end
        }
        guard let spki = element(der, at: offset), spki.tag == 0x30, spki.end <= tbs.end else { return nil }
        return Array(der[offset..<spki.end])
    }

    /// One DER TLV at `offset`: its tag, where its content starts and where it ends.
    private static func element(_ der: [UInt8], at offset: Int) -> (tag: UInt8, contentStart: Int, end: Int)? {
        guard offset + 2 <= der.count else { return nil }
        let tag = der[offset]
        let first = Int(der[offset + 1])
        var length = 0
        var start = offset + 2
        if first < 0x80 {
            length = first
        } else {
            let count = first & 0x7F
            guard count >= 1, count <= 4, start + count <= der.count else { return nil }
            for byte in der[start..<(start + count)] { length = length << 8 | Int(byte) }
            start += count
        }
        guard start + length <= der.count else { return nil }
        return (tag, start, start + length)
    }
}
