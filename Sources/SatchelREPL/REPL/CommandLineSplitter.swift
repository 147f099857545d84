/// Splits a REPL line into arguments the way a POSIX shell would for the simple
/// cases a person types: whitespace separates, 'single' and "double" quotes group,
/// a backslash escapes the next character (inside double quotes only \" and \\).
/// A quote left open is a `.usage` failure that says how to fix it.
enum CommandLineSplitter {
    static func split(_ line: String) throws(CommandFailure) -> [String] {
        var args: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for ch in line {
            if escaped {
                if quote == "\"" && ch != "\"" && ch != "\\" { current.append("\\") }
                current.append(ch)
                escaped = false
                continue
            }
            switch (quote, ch) {
            case (nil, "\\"), ("\"", "\\"):
                escaped = true
                inWord = true
            case (nil, "'"), (nil, "\""):
                quote = ch
                inWord = true
            case (let q?, _) where ch == q:
                quote = nil
            case (nil, _) where ch.isWhitespace:
                if inWord { args.append(current) }
                current = ""
                inWord = false
            default:
                current.append(ch)
                inWord = true
            }
        }
        if let q = quote {
            throw CommandFailure(status: .usage, message: "Unbalanced \(q) quote: close it, or escape it with a backslash.")
        }
        if escaped { current.append("\\") }
        if inWord { args.append(current) }
        return args
    }
}
