internal import CSodium

/// The data key and the keys derived from it, one per purpose (libsodium `crypto_kdf`,
/// context "satchel1"): a MAC key is never the key that seals, and no two purposes
/// share a key, so a MAC made for one kind of fact can never stand for another.
///
/// Held only while the vault is unlocked; `wipe()` zeroes every one of them.
final class VaultKeys {
    enum Purpose: UInt64, CaseIterable {
        /// A record row's facts and its sealed body (`Vault+Seal.swift`).
        case record = 1
        /// Outbox and held rows: the route decided for a record and a destination.
        case route = 2
        /// The vault row: worker, role, format, key settings and the sealed profile.
        case header = 3
        /// The audit anchor: the entry the log is known to reach.
        case anchor = 4
    }

    /// Seals bodies, secrets, reasons and destination definitions.
    let data: SecretBytes
    private let derived: [Purpose: SecretBytes]

    init(data: SecretBytes) throws(VaultError) {
        guard data.count == Int(crypto_kdf_KEYBYTES) else { throw VaultError(.integrity, "The data key has the wrong length.") }
        self.data = data
        var derived: [Purpose: SecretBytes] = [:]
        let context = Array("satchel1".utf8).map { CChar(bitPattern: $0) }
        for p in Purpose.allCases {
            let sub = try SecretBytes(capacity: 32)
            guard crypto_kdf_derive_from_key(sub.bytes, 32, p.rawValue, context, data.bytes) == 0 else {
                throw VaultError(.storage, "Couldn't derive the vault's keys.")
            }
            sub.fill()
            derived[p] = sub
        }
        self.derived = derived
    }

    /// A keyed BLAKE2b over `fields`, length-prefixed under `label` (`Canonical`).
    func mac(_ purpose: Purpose, _ label: String, _ fields: [String?]) -> [UInt8] {
        mac(purpose, Canonical.encode(label, fields))
    }

    func mac(_ purpose: Purpose, _ bytes: [UInt8]) -> [UInt8] {
        guard let key = derived[purpose] else { return [] }
        return Sodium.mac(bytes, key: key)
    }

    /// True when `stored` is the MAC of `fields`, compared in constant time.
    func verify(_ purpose: Purpose, _ label: String, _ fields: [String?], against stored: [UInt8]?) -> Bool {
        guard let stored else { return false }
        return Sodium.constantTimeEqual(mac(purpose, label, fields), stored)
    }

    var isWiped: Bool { data.isWiped }

    func wipe() {
        data.wipe()
        for k in derived.values { k.wipe() }
    }
}

/// The bytes a hash or MAC covers: a label, then every field length-prefixed and
/// terminated, an absent field as a lone NUL — so no two different lists of fields
/// share an encoding.
enum Canonical {
    /// `label` then, per field, `<UTF-8 length>:<bytes>;` (nil as one NUL byte). Built in
    /// one buffer: every MAC check of a row encodes its fields (a sync checks several per record).
    static func encode(_ label: String, _ fields: [String?]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(label.utf8.count + fields.reduce(0) { $0 + ($1?.utf8.count ?? 1) + 8 })
        out.append(contentsOf: label.utf8)
        for field in fields {
            let text = field ?? "\u{0}"
            out.append(contentsOf: String(text.utf8.count).utf8)
            out.append(0x3A)
            out.append(contentsOf: text.utf8)
            out.append(0x3B)
        }
        return out
    }
}
