import Foundation

extension TOMLSubset {
    /// Reads one line of TOML.
    struct Cursor {
        let chars: [Unicode.Scalar]
        let line: Int
        var i = 0
        /// How many lists are open: each one is a recursion, so a line of `[[[[…` is cut
        /// off with an error long before it can overflow the stack.
        var depth = 0
        static let maxDepth = 32

        init(_ chars: [Unicode.Scalar], line: Int) {
            self.chars = chars
            self.line = line
        }

        var atEnd: Bool { i >= chars.count }
        var peek: Unicode.Scalar? { atEnd ? nil : chars[i] }
        mutating func advance() { i += 1 }
        mutating func skipSpace() { while let c = peek, c == " " || c == "\t" || c == "\r" { advance() } }

        func fail(_ message: String) -> TOMLError { TOMLError(line: line, message: message) }

        mutating func expectLineEnd() throws(TOMLError) {
            skipSpace()
            if let c = peek, c != "#" { throw fail("unexpected \"\(c)\" after the value") }
        }

        /// `a.b."c d"` up to `terminator`.
        mutating func keyPath(until terminator: Unicode.Scalar) throws(TOMLError) -> [String] {
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

        mutating func value() throws(TOMLError) -> TOMLValue {
            guard let c = peek else { throw fail("a value is missing after =") }
            switch c {
            case "\"", "'": return .string(try string())
            case "[": return try array()
            case "t", "f": return try boolean()
            default: return try number()
            }
        }

        mutating func string() throws(TOMLError) -> String {
            guard let quote = peek else { throw fail("a string is expected") }
            advance()
            var out = ""
            while let c = peek {
                advance()
                if c == quote { return out }
                if c == "\\" && quote == "\"" {
                    guard let e = peek else { break }
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

        mutating func array() throws(TOMLError) -> TOMLValue {
            advance()
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw fail("lists nest more than \(Self.maxDepth) deep") }
            var items: [TOMLValue] = []
            while true {
                skipSpace()
                if peek == "]" { advance(); return .array(items) }
                items.append(try value())
                skipSpace()
                if peek == "," { advance(); continue }
                if peek == "]" { advance(); return .array(items) }
                throw fail("expected \",\" or \"]\" in the list (lists must fit on one line)")
            }
        }

        mutating func boolean() throws(TOMLError) -> TOMLValue {
            let rest = String(String.UnicodeScalarView(chars[i...]))
            if rest.hasPrefix("true") { i += 4; return .bool(true) }
            if rest.hasPrefix("false") { i += 5; return .bool(false) }
            throw fail("expected true or false")
        }

        mutating func number() throws(TOMLError) -> TOMLValue {
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
