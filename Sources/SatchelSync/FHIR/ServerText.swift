// SPDX-License-Identifier: GPL-3.0-or-later

/// Text a server wrote — an OperationOutcome's diagnostics, a content type, a software
/// name — made safe to store and to show on a terminal. A server must not be able to
/// move the cursor, retitle the window, ring the bell or hide a line of Satchel's output.
public enum ServerText {
    /// The longest text kept, in Unicode scalars, "…" included.
    public static let maxLength = 500

    /// Drops every C0 control, DEL and C1 control (ESC, BEL, NUL, 0x9B …) and the
    /// parameters of an ANSI control sequence (`ESC [ 31 m`, `0x9B 2 J`); turns tabs and
    /// line breaks (CR LF counting as one) into a space; keeps ordinary spaces; trims the
    /// ends; caps the length at `maxLength` with "…".
    public static func displayable(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var previous: Unicode.Scalar?
        while let scalar = scalars.next() {
            defer { previous = scalar }
            switch scalar.value {
            case 0x0A where previous == "\r":
                continue
            case 0x09...0x0D, 0x85, 0x2028, 0x2029:
                out.append(" ")
            case 0x1B where scalars.peek() == "[":
                _ = scalars.next()
                skipControlSequence(&scalars)
            case 0x9B:
                skipControlSequence(&scalars)
            case 0x00...0x1F, 0x7F...0x9F:
                continue
            default:
                out.append(scalar)
            }
        }
        let trimmed = Substring(String(out)).trimmingSpaces()
        guard trimmed.unicodeScalars.count > maxLength else { return String(trimmed) }
        return String(String.UnicodeScalarView(trimmed.unicodeScalars.prefix(maxLength - 1))) + "…"
    }

    /// ECMA-48 CSI: parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, one final byte
    /// 0x40-0x7E. Anything else ends the sequence without being consumed.
    private static func skipControlSequence(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let next = scalars.peek(), (0x20...0x3F).contains(next.value) { _ = scalars.next() }
        if let final = scalars.peek(), (0x40...0x7E).contains(final.value) { _ = scalars.next() }
    }
}

extension String.UnicodeScalarView.Iterator {
    /// The next scalar, without consuming it.
    fileprivate func peek() -> Unicode.Scalar? {
        var copy = self
        return copy.next()
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
