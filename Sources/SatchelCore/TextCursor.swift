/// A tiny forward-only reader used by the date parsers (no Regex, so the package
/// has no minimum-OS requirement).
struct TextCursor {
    private let chars: [Character]
    private var index = 0

    init(_ text: String) { chars = Array(text) }

    var atEnd: Bool { index == chars.count }

    /// Reads between `min` and `max` ASCII digits as a number.
    mutating func number(min: Int, max: Int) -> Int? {
        var value = 0
        var count = 0
        while index < chars.count, count < max, chars[index].isASCII,
              let digit = chars[index].wholeNumberValue {
            value = value * 10 + digit
            count += 1
            index += 1
        }
        return count >= min ? value : nil
    }

    /// Consumes `char` if it is next.
    mutating func take(_ char: Character) -> Bool {
        guard index < chars.count, chars[index] == char else { return false }
        index += 1
        return true
    }

    /// Consumes and returns the next character if it is one of `set`.
    mutating func take(oneOf set: Set<Character>) -> Character? {
        guard index < chars.count, set.contains(chars[index]) else { return nil }
        defer { index += 1 }
        return chars[index]
    }

    /// Consumes a word (exact, already lowercased input) if it is next.
    mutating func take(word: String) -> Bool {
        let wordChars = Array(word)
        guard index + wordChars.count <= chars.count,
              Array(chars[index..<index + wordChars.count]) == wordChars else { return false }
        index += wordChars.count
        return true
    }

    /// Reads `H:MM` or `HH:MM` and returns (hour, minute) without range checks.
    mutating func clock() -> (hour: Int, minute: Int)? {
        guard let hour = number(min: 1, max: 2), take(":"), let minute = number(min: 2, max: 2) else { return nil }
        return (hour, minute)
    }
}
