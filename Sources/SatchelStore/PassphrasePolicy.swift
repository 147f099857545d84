/// What a new passphrase must not be, besides shorter than `Vault.minimumPassphraseLength`:
/// a common password, a repeated or sequential pattern, little but digits and punctuation,
/// or the worker's own name. Asked by `Vault.checkPassphrase` (`init`, `passwd`, and every
/// generated passphrase before it is shown).
///
/// A passphrase is compared in two forms, both made in protected memory and wiped before
/// the check returns (the passphrase never becomes a Swift string):
/// - *kept*: lower case, `@` and `$` read as `a` and `s`, only letters and digits kept
///   (bytes of non-ASCII characters are kept as they are);
/// - *core*: the kept form with, when any letter is left, the digits at either end dropped
///   and look-alike digits read as letters (0 o, 1 i, 3 e, 4 a, 5 s, 7 t).
///
/// So "P@ssw0rd 2024!" has the core "password". The common-password list is stored in core
/// form (`scripts/make-passphrase-lists`).
enum PassphrasePolicy {
    /// A passphrase whose core has fewer characters than this is mostly digits and
    /// punctuation; the name rule asks for this many letters besides the name.
    static let minimumCore = 4

    private static let advice = "Use a few unrelated words; `--generate-passphrase` makes one."

    static func check(_ passphrase: SecretBytes, workerName: String?) throws(VaultError) {
        let kept = try kept(passphrase)
        defer { kept.wipe() }
        let core = try core(of: kept)
        defer { core.wipe() }
        if isCommon(core) {
            throw refusal("found in a list of common passwords")
        }
        if core.count < minimumCore {
            throw refusal("fewer than \(minimumCore) letters besides digits and punctuation")
        }
        if isRepeated(kept) || isRepeated(core) || isSequence(kept) {
            throw refusal("a repeated or sequential pattern (like abcabc…, qwerty…, 1q2w3e…)")
        }
        if let workerName, try isBuilt(onName: workerName, kept) {
            throw refusal("made from your own name")
        }
    }

    private static func refusal(_ what: String) -> VaultError {
        VaultError(.invalidInput, "passphrase: \(what). \(advice)")
    }

    // MARK: - The two forms

    /// Lower case, `@` as `a`, `$` as `s`; ASCII letters and digits and non-ASCII bytes kept.
    static func kept(_ text: SecretBytes) throws(VaultError) -> SecretBytes {
        let out = try SecretBytes(capacity: max(text.count, 1))
        text.withUnsafeBytes { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): _ = out.append(byte + 32)
                case UInt8(ascii: "@"): _ = out.append(UInt8(ascii: "a"))
                case UInt8(ascii: "$"): _ = out.append(UInt8(ascii: "s"))
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), 0x80...: _ = out.append(byte)
                default: break
                }
            }
        }
        return out
    }

    /// The kept form with, when it holds anything but digits, the digits at either end
    /// dropped and the rest read through `unLeet`.
    static func core(of kept: SecretBytes) throws(VaultError) -> SecretBytes {
        let p = kept.bytes
        var lo = 0
        var hi = kept.count
        let hasLetters = (0..<hi).contains { !isDigit(p[$0]) }
        if hasLetters {
            while lo < hi && isDigit(p[lo]) { lo += 1 }
            while hi > lo && isDigit(p[hi - 1]) { hi -= 1 }
        }
        let out = try SecretBytes(capacity: max(hi - lo, 1))
        for i in lo..<hi { _ = out.append(hasLetters ? unLeet(p[i]) : p[i]) }
        return out
    }

    /// The normal form of a whole text (kept, then core): what the list stores.
    static func normalised(_ text: SecretBytes) throws(VaultError) -> SecretBytes {
        let k = try kept(text)
        defer { k.wipe() }
        return try core(of: k)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    private static func isLetter(_ b: UInt8) -> Bool { b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") }

    private static func unLeet(_ b: UInt8) -> UInt8 {
        switch b {
        case UInt8(ascii: "0"): UInt8(ascii: "o")
        case UInt8(ascii: "1"): UInt8(ascii: "i")
        case UInt8(ascii: "3"): UInt8(ascii: "e")
        case UInt8(ascii: "4"): UInt8(ascii: "a")
        case UInt8(ascii: "5"): UInt8(ascii: "s")
        case UInt8(ascii: "7"): UInt8(ascii: "t")
        default: b
        }
    }

    // MARK: - Common passwords

    static func isCommon(_ core: SecretBytes) -> Bool {
        core.withUnsafeBytes { key in
            CommonPasswords.sorted.utf8.withContiguousStorageIfAvailable { lines(UnsafeRawBufferPointer($0), contain: key) }
                ?? Array(CommonPasswords.sorted.utf8).withUnsafeBytes { lines($0, contain: key) }
        }
    }

    /// Whether `key` is a whole line of `text`, whose lines are sorted byte by byte: a
    /// binary search that jumps to the middle byte and reads the line around it.
    static func lines(_ text: UnsafeRawBufferPointer, contain key: UnsafeRawBufferPointer) -> Bool {
        let newline = UInt8(ascii: "\n")
        var lo = 0  // always the start of a line
        var hi = text.count  // always the start of a line, or the end
        while lo < hi {
            var start = (lo + hi) / 2
            while start > lo && text[start - 1] != newline { start -= 1 }
            var end = start
            while end < hi && text[end] != newline { end += 1 }
            let line = UnsafeRawBufferPointer(rebasing: text[start..<end])
            switch compare(line, key) {
            case 0: return true
            case ..<0: lo = end + 1
            default: hi = start
            }
        }
        return false
    }

    private static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count - b.count
    }

    // MARK: - Patterns

    /// The whole form is one unit said again (`aaaa…`, `abcabc…`, `passwordpassword`).
    static func isRepeated(_ form: SecretBytes) -> Bool {
        let n = form.count
        let p = form.bytes
        guard n >= 2 else { return false }
        return (1...(n / 2)).contains { period in (period..<n).allSatisfy { p[$0] == p[$0 - period] } }
    }

    /// Most characters belong to keyboard, alphabet or number runs: at most a third of
    /// them (and fewer than `minimumCore`) stand outside a run of 3 or more keys that keep
    /// one direction — along a keyboard row (`qwerty`, `poiu`), down a column (`1qaz`), up
    /// or down the alphabet or the digits (`abcd`, `9876`), or the same key (`aaa`). The
    /// characters are also read as two interleaved halves, for `1q2w3e4r…`.
    static func isSequence(_ kept: SecretBytes) -> Bool {
        let n = kept.count
        let p = UnsafeRawBufferPointer(start: kept.bytes, count: n)
        let outside = min(
            outsideRuns(p, from: 0, step: 1),
            outsideRuns(p, from: 0, step: 2) + outsideRuns(p, from: 1, step: 2))
        return outside < max(minimumCore, (n + 2) / 3)
    }

    /// How many of `p[from]`, `p[from + step]`, … are in no run of 3 or more.
    private static func outsideRuns(_ p: UnsafeRawBufferPointer, from: Int, step: Int) -> Int {
        let chars = Array(stride(from: from, to: p.count, by: step)).map { p[$0] }
        var inRun = [Bool](repeating: false, count: chars.count)
        var i = 0
        while i + 1 < chars.count {
            var j = i
            var direction = Move.all
            while j + 1 < chars.count {
                let next = direction.intersection(Move.between(chars[j], chars[j + 1]))
                if next.isEmpty { break }
                direction = next
                j += 1
            }
            if j - i >= 2 { for k in i...j { inRun[k] = true } }
            i = j > i ? j : i + 1
        }
        return inRun.count { !$0 }
    }

    /// The ways one key leads to the next.
    private struct Move: OptionSet {
        let rawValue: UInt8
        static let same = Move(rawValue: 1)
        static let alphabetUp = Move(rawValue: 2)
        static let alphabetDown = Move(rawValue: 4)
        static let rowRight = Move(rawValue: 8)
        static let rowLeft = Move(rawValue: 16)
        static let columnDown = Move(rawValue: 32)
        static let columnUp = Move(rawValue: 64)
        static let all = Move(rawValue: 127)

        /// Only between ASCII letters and digits (of the kept form).
        static func between(_ a: UInt8, _ b: UInt8) -> Move {
            guard a < 0x80, b < 0x80 else { return [] }
            var m: Move = []
            if a == b { m.insert(.same) }
            if (isLetter(a) && isLetter(b)) || (isDigit(a) && isDigit(b)) {
                if b == a &+ 1 { m.insert(.alphabetUp) }
                if a == b &+ 1 { m.insert(.alphabetDown) }
            }
            if let x = keyPosition(a), let y = keyPosition(b) {
                if x.row == y.row && y.column == x.column + 1 { m.insert(.rowRight) }
                if x.row == y.row && y.column == x.column - 1 { m.insert(.rowLeft) }
                if x.column == y.column && y.row == x.row + 1 { m.insert(.columnDown) }
                if x.column == y.column && y.row == x.row - 1 { m.insert(.columnUp) }
            }
            return m
        }
    }

    /// The rows of a QWERTY keyboard, letters and digits only: column `i` of each row
    /// sits under column `i` of the row above (`1qaz`, `2wsx`).
    private static let keyboardRows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"].map { Array($0.utf8) }

    private static func keyPosition(_ key: UInt8) -> (row: Int, column: Int)? {
        for (row, keys) in keyboardRows.enumerated() {
            if let column = keys.firstIndex(of: key) { return (row, column) }
        }
        return nil
    }

    // MARK: - The worker's name

    /// The kept form is made of parts of the name (found even when written with look-alike
    /// digits, "4lex"), and what is left has fewer than `minimumCore` letters or is a
    /// common password ("alexrivers2024", "riversalex", "alexpassword").
    static func isBuilt(onName name: String, _ kept: SecretBytes) throws(VaultError) -> Bool {
        var parts: [SecretBytes] = []
        defer { for part in parts { part.wipe() } }
        let nameBytes = Array(name.utf8)
        let pieces = nameBytes.split { $0 < 0x80 && !(isLetter($0 | 0x20) || isDigit($0)) }.map(Array.init) + [nameBytes]
        for piece in pieces {
            let part = try SecretBytes(copying: piece)
            defer { part.wipe() }
            let normal = try normalised(part)
            if normal.count >= 2 { parts.append(normal) } else { normal.wipe() }
        }
        let n = kept.count
        let p = kept.bytes
        var removed = [Bool](repeating: false, count: n)
        for part in parts.sorted(by: { $0.count > $1.count }) {
            let m = part.count
            var i = 0
            while i + m <= n {
                if (0..<m).allSatisfy({ !removed[i + $0] && unLeet(p[i + $0]) == part.bytes[$0] }) {
                    for k in i..<(i + m) { removed[k] = true }
                    i += m
                } else {
                    i += 1
                }
            }
        }
        guard removed.contains(true) else { return false }
        let rest = try SecretBytes(capacity: max(n, 1))
        defer { rest.wipe() }
        for i in 0..<n where !removed[i] { _ = rest.append(p[i]) }
        let restCore = try core(of: rest)
        defer { restCore.wipe() }
        let letters = restCore.withUnsafeBytes { $0.count { !isDigit($0) } }
        return letters < minimumCore || isCommon(restCore)
    }
}
