/// Removes terminal control noise so test expectations can match what a person would read.
public enum TerminalText {
    /// Strips ANSI/VT escape sequences (CSI, OSC, DCS/PM/APC strings, two- and
    /// three-byte ESC sequences) and every C0 control character except `\n` and `\t`
    /// (so `\r`, BEL and backspace go). An incomplete sequence at the end is dropped,
    /// which keeps the cleaned form of a growing buffer stable as bytes arrive.
    public static func clean(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x1B {
                index = skipEscape(bytes, from: index + 1)
                continue
            }
            if byte < 0x20 && byte != 0x0A && byte != 0x09 || byte == 0x7F {
                index += 1
                continue
            }
            output.append(byte)
            index += 1
        }
        return output
    }

    /// String convenience for ``clean(_:)``.
    public static func clean(_ text: String) -> String {
        String(decoding: clean(Array(text.utf8)), as: UTF8.self)
    }

    /// Returns the index just past the escape sequence whose introducer follows ESC at `start`.
    private static func skipEscape(_ bytes: [UInt8], from start: Int) -> Int {
        guard start < bytes.count else { return start }
        var index = start + 1
        switch bytes[start] {
        case UInt8(ascii: "["):
            // CSI: parameter and intermediate bytes 0x20...0x3F, then one final byte 0x40...0x7E.
            while index < bytes.count, (0x20...0x3F).contains(bytes[index]) { index += 1 }
            return min(index + 1, bytes.count)
        case UInt8(ascii: "]"), UInt8(ascii: "P"), UInt8(ascii: "X"), UInt8(ascii: "^"), UInt8(ascii: "_"):
            // String sequences end with BEL or ST (ESC \).
            while index < bytes.count {
                if bytes[index] == 0x07 { return index + 1 }
                if bytes[index] == 0x1B, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\") {
                    return index + 2
                }
                index += 1
            }
            return index
        case 0x20...0x2F:
            // nF sequences such as ESC ( B: intermediates then one final byte.
            while index < bytes.count, (0x20...0x2F).contains(bytes[index]) { index += 1 }
            return min(index + 1, bytes.count)
        default:
            // Two-byte sequences: ESC =, ESC >, ESC 7, ESC M, ...
            return index
        }
    }
}
