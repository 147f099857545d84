import Foundation

extension UUID {
    /// The id as Satchel writes it everywhere (vault keys, MACs, FHIR ids): lowercase,
    /// `8-4-4-4-12`. The same text as `uuidString.lowercased()`, without Foundation's
    /// `snprintf` per id and the lowercasing copy (a sync formats several per record).
    public var lowercased: String {
        withUnsafeBytes(of: uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                let digits: StaticString = "0123456789abcdef"
                var n = 0
                for (i, byte) in raw.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 {
                        out[n] = UInt8(ascii: "-")
                        n += 1
                    }
                    out[n] = digits.utf8Start[Int(byte >> 4)]
                    out[n + 1] = digits.utf8Start[Int(byte & 0x0F)]
                    n += 2
                }
                return n
            }
        }
    }
}

extension UUID {
    /// Parses `8-4-4-4-12` hex (either case), as `UUID(uuidString:)` does, without
    /// Foundation's `sscanf` per id: a sync parses several ids per record it reads.
    public init?(text: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var high: UInt8?
        var position = 0
        for c in text.utf8 {
            defer { position += 1 }
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard c == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard position == 36, bytes.count == 16 else { return nil }
        self.init(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                         bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
