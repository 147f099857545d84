import Foundation

extension TOMLSubset {
    /// Reads a TOML document scalar by scalar. Lines end at the `\n` scalar (as
    /// Characters, "\r\n" is one grapheme); a `\r` before it is white space.
    struct Cursor {
        let chars: [Unicode.Scalar]
        /// The line `peek` is on, from 1.
        private(set) var line = 1
        var i = 0
        /// How many lists are open: each one is a recursion, so a line of `[[[[…` is cut
        /// off with an error long before it can overflow the stack.
        var depth = 0
        static let maxDepth = 32

        init(_ chars: [Unicode.Scalar]) {
            self.chars = chars
        }

        var atEnd: Bool { i >= chars.count }
        var peek: Unicode.Scalar? { atEnd ? nil : chars[i] }
        mutating func advance() {
            if peek == "\n" { line += 1 }
            i += 1
        }
        /// Spaces and tabs (and a CRLF's `\r`), within the line.
        mutating func skipSpace() { while let c = peek, c == " " || c == "\t" || c == "\r" { advance() } }

        /// A `#` comment, up to the end of its line.
        mutating func skipComment() { if peek == "#" { while let c = peek, c != "\n" { advance() } } }

        /// What may stand between the items of a list: white space, line ends and comments.
        mutating func skipBlank() {
            while true {
                skipSpace()
                skipComment()
                guard peek == "\n" else { return }
                advance()
            }
        }

        func fail(_ message: String) -> SyncError { .config(line: line, message) }

        /// Nothing but white space and a comment up to the end of the line, which is passed.
        mutating func expectLineEnd() throws(SyncError) {
            skipSpace()
            skipComment()
            guard let c = peek else { return }
            guard c == "\n" else { throw fail("unexpected \"\(c)\" after the value") }
            advance()
        }

        /// `a.b."c d"` up to `terminator`.
        mutating func keyPath(until terminator: Unicode.Scalar) throws(SyncError) -> [String] {
            var parts: [String] = []
            while true {
                skipSpace()
                if peek == "\"" || peek == "'" {
                    parts.append(try string())
                } else {
                    var key = ""
                    while let c = peek, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_" {
                        key.unicodeScalars.append(c)
                        advance()
                    }
                    if key.isEmpty { throw fail("a key is expected here (letters, digits, - and _, or a quoted key)") }
                    parts.append(key)
                }
                skipSpace()
                if peek == "." { advance(); continue }
                if peek == terminator { return parts }
                throw fail("expected \"\(terminator)\"")
            }
        }

        mutating func value() throws(SyncError) -> TOMLValue {
            guard let c = peek, c != "\n" else { throw fail("a value is missing after =") }
            switch c {
            case "\"", "'": return .string(try string())
            case "[": return try array()
            case "t", "f": return try boolean()
            default: return try number()
            }
        }

        mutating func string() throws(SyncError) -> String {
            guard let quote = peek else { throw fail("a string is expected") }
            advance()
            var out = ""
            while let c = peek, c != "\n" {
                advance()
                if c == quote { return out }
                if c == "\\" && quote == "\"" {
                    guard let e = peek, e != "\n" else { break }
                    advance()
                    switch e {
                    case "n": out += "\n"
                    case "t": out += "\t"
                    case "r": out += "\r"
                    case "\"": out += "\""
                    case "\\": out += "\\"
                    case "u":
                        let hex = String(String.UnicodeScalarView(chars[min(i, chars.count)..<min(i + 4, chars.count)]))
                        guard hex.count == 4, let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else { throw fail("bad \\u escape") }
                        out.unicodeScalars.append(s)
                        i += 4
                    default: throw fail("unknown escape \\\(e)")
                    }
                } else {
                    out.unicodeScalars.append(c)
                }
            }
            throw fail("a string is not closed")
        }

        /// `[a, b]`, over as many lines as it takes, with comments and a trailing comma.
        mutating func array() throws(SyncError) -> TOMLValue {
            let opened = line
            advance()
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw fail("lists nest more than \(Self.maxDepth) deep") }
            var items: [TOMLValue] = []
            while true {
                skipBlank()
                if peek == "]" { advance(); return .array(items) }
                if atEnd { throw .config(line: opened, "a list is not closed (\"]\" is missing)") }
                items.append(try value())
                skipBlank()
                if peek == "," { advance(); continue }
                if peek == "]" { advance(); return .array(items) }
                if atEnd { throw .config(line: opened, "a list is not closed (\"]\" is missing)") }
                throw fail("expected \",\" or \"]\" in the list")
            }
        }

        mutating func boolean() throws(SyncError) -> TOMLValue {
            if chars[i...].starts(with: "true".unicodeScalars) { i += 4; return .bool(true) }
            if chars[i...].starts(with: "false".unicodeScalars) { i += 5; return .bool(false) }
            throw fail("expected true or false")
        }

        mutating func number() throws(SyncError) -> TOMLValue {
            var text = ""
            while let c = peek, ("0"..."9").contains(c) || c == "-" || c == "+" || c == "." || c == "_" || c == "e" || c == "E" {
                if c != "_" { text.unicodeScalars.append(c) }
                advance()
            }
            if let n = Int(text) { return .integer(n) }
            if let d = Double(text), d.isFinite { return .float(d) }
            throw fail("a value must be a quoted string, a number, true/false or a [list]")
        }
    }
}
