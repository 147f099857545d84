// SPDX-License-Identifier: GPL-3.0-or-later
internal import CCurl

/// Reads CURLINFO_CERTINFO: for each certificate a curl_slist of "Name:value" lines
/// (Subject, Issuer, Start date, Expire date, Cert = the PEM text, ...).
enum CertificateChainReader {
    static func read(_ handle: UnsafeMutableRawPointer) -> [CertificateSummary] {
        var info: UnsafeMutablePointer<curl_certinfo>? = nil
        guard satchel_curl_getinfo_certinfo(handle, &info) == CURLE_OK,
            let info, info.pointee.num_of_certs > 0, let lists = info.pointee.certinfo
        else { return [] }
        var chain: [CertificateSummary] = []
        for index in 0..<Int(info.pointee.num_of_certs) {
            var fields: [String: String] = [:]
            var node = lists[index]
            while let current = node {
                if let data = current.pointee.data {
                    let line = String(cString: data)
                    if let colon = line.firstIndex(of: ":") {
                        fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
                    }
                }
                node = current.pointee.next
            }
            chain.append(CertificateSummary(
                subject: fields["Subject"] ?? "",
                issuer: fields["Issuer"] ?? "",
                notBefore: fields["Start date"] ?? "",
                notAfter: fields["Expire date"] ?? "",
                publicKeyPin: fields["Cert"].flatMap(PublicKeyPin.fromPEM)))
        }
        return chain
    }
}
