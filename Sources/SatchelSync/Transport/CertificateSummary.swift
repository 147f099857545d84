// SPDX-License-Identifier: GPL-3.0-or-later

/// One certificate of the chain the server presented (CURLOPT_CERTINFO), leaf first.
public struct CertificateSummary: Sendable, Equatable {
    public var subject: String
    public var issuer: String
    public var notBefore: String
    public var notAfter: String
    /// `sha256//base64` of the DER SubjectPublicKeyInfo, in CURLOPT_PINNEDPUBLICKEY
    /// format; nil when the certificate could not be parsed.
    public var publicKeyPin: String?

    public init(subject: String, issuer: String, notBefore: String, notAfter: String, publicKeyPin: String?) {
        self.subject = subject
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.publicKeyPin = publicKeyPin
    }
}
