/// The part of TOML that Satchel's config uses: `[table]` and `[dotted.table]` headers,
/// `key = value` with bare or quoted keys, basic and literal strings, integers,
/// floats, booleans, and arrays of those (on one line or several, with comments and a
/// trailing comma inside); `#` comments; LF or CRLF line ends. Anything else is an
/// error that names the line. Values are kept by table path, then key.
public enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([TOMLValue])

    var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number"
        case .bool: "true or false"
        case .array: "a list"
        }
    }
}

public enum TOMLSubset {
    /// Table path (e.g. ["destination", "nhs-epr"]) → key → value. The root table is [].
    public typealias Document = [[String]: [String: TOMLValue]]

    public static func parse(_ text: String) throws(SyncError) -> Document {
        var doc: Document = [[]: [:]]
        var table: [String] = []
        var cursor = Cursor(Array(text.unicodeScalars))
        while true {
            cursor.skipSpace()
            guard let c = cursor.peek else { return doc }
            if c == "\n" || c == "#" {
                try cursor.expectLineEnd()
                continue
            }
            let n = cursor.line
            if c == "[" {
                cursor.advance()
                if cursor.peek == "[" { throw .config(line: n, "arrays of tables ([[...]]) are not supported") }
                table = try cursor.keyPath(until: "]")
                cursor.advance()
                try cursor.expectLineEnd()
                if doc[table] != nil { throw .config(line: n, "table [\(table.joined(separator: "."))] is defined twice") }
                doc[table] = [:]
                continue
            }
            let path = try cursor.keyPath(until: "=")
            cursor.advance()
            cursor.skipSpace()
            let value = try cursor.value()
            try cursor.expectLineEnd()
            let full = table + path.dropLast()
            guard let key = path.last else { throw .config(line: n, "a key is missing before =") }
            if doc[full]?[key] != nil { throw .config(line: n, "\(key) is set twice") }
            doc[full, default: [:]][key] = value
        }
    }

    /// A string as a TOML basic string, escaped.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x7F: out += String(format: "\\u%04X", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
