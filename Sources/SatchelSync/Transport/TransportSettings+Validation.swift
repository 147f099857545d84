// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

extension TransportSettings {
    /// Refuses a configuration that would be unsafe or could never work, before
    /// any handle or connection exists.
    func validate() throws(SyncError) {
        for (label, value) in [("CA file", caFile), ("CA directory", caPath), ("client certificate", clientCertificate), ("client key", clientKey),
                               ("client key passphrase", clientKeyPassphrase), ("proxy", proxy), ("no-proxy list", noProxy)] {
            if let value, value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw SyncError(.other, "The \(label) setting contains control characters. Re-enter it in the sync settings.")
            }
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw SyncError(.tls, "The trusted certificate file \(caFile) cannot be read. Check the path in the sync settings or reinstall the server's CA file.")
        }
        if caFile == nil, let caPath, !FileManager.default.isReadableDirectory(atPath: caPath) {
            throw SyncError(.tls, "The trusted certificate directory \(caPath) cannot be read. Check the path in the sync settings.")
        }
        for pin in pinnedPublicKeys {
            let b64 = pin.hasPrefix("sha256//") ? String(pin.dropFirst(8)) : ""
            guard let digest = Data(base64Encoded: b64), digest.count == 32 else {
                throw SyncError(.tls, "A pinned public key is not in the form sha256//<base64 of 32 bytes>. Copy the pin again from the administrator.")
            }
        }
        if let cert = clientCertificate, !FileManager.default.isReadableFile(atPath: cert) {
            throw SyncError(.tls, "The client certificate file \(cert) cannot be read. Check the path in the sync settings.")
        }
        if let key = clientKey {
            guard clientCertificate != nil else {
                throw SyncError(.tls, "A client key is set without a client certificate. Set both, or neither, in the sync settings.")
            }
            guard FileManager.default.isReadableFile(atPath: key) else {
                throw SyncError(.tls, "The client key file \(key) cannot be read. Check the path in the sync settings.")
            }
        }
        guard connectTimeout.isFinite, connectTimeout > 0 else {
            throw SyncError(.other, "The connect timeout must be a positive number of seconds. Fix it in the sync settings.")
        }
        guard lowSpeedLimit >= 1, lowSpeedTime >= 1 else {
            throw SyncError(.other, "Stall detection needs a low-speed limit of at least 1 byte/s over at least 1 second. Fix it in the sync settings.")
        }
        if let totalTimeout, !(totalTimeout.isFinite && totalTimeout > 0) {
            throw SyncError(.other, "The total timeout must be a positive number of seconds, or unset. Fix it in the sync settings.")
        }
    }
}

extension FileManager {
    fileprivate func isReadableDirectory(atPath path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue && isReadableFile(atPath: path)
    }
}
