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
