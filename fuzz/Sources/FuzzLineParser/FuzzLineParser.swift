// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: a REPL line or script (SatchelREPL LineParsing: the line splitter,
// command-word expansion, the dispatcher's parse and the ArgumentParser command tree;
// nothing is run). See fuzz/README.md.
import Foundation
import SatchelREPL
import FuzzSupport

func broken(_ what: String, _ line: String) -> Never {
    fatalError("invariant broken: \(what) for line \(String(reflecting: line))")
}

/// The words written back as a line, each in single quotes ('\'' for a quote), as
/// Characters; nil when joining them would fuse two Characters into one grapheme (a
/// word that starts with a combining mark), which no quoting can keep apart.
func requoted(_ words: [String]) -> String? {
    var chars: [Character] = []
    for (i, word) in words.enumerated() {
        if i > 0 { chars.append(" ") }
        chars.append("'")
        for ch in word {
            if ch == "'" { chars += ["'", "\\", "'", "'"] } else { chars.append(ch) }
        }
        chars.append("'")
    }
    let line = String(chars)
    return Array(line) == chars ? line : nil
}

func checkLine(_ line: String, parse: Bool) {
    guard let words = LineParsing.words(line) else { return }
    // Quoting every word and splitting again gives the same words.
    if let again = requoted(words), LineParsing.words(again) != words {
        broken("re-quoted words split into \(String(reflecting: LineParsing.words(again))), not \(words)", line)
    }
    // Without quotes or backslashes, splitting is splitting at whitespace.
    if !line.contains(where: { $0 == "'" || $0 == "\"" || $0 == "\\" }),
       words != line.split(whereSeparator: { $0.isWhitespace }).map(String.init) {
        broken("an unquoted line split otherwise than at whitespace", line)
    }
    // What the REPL would then do with it (parse only; nothing runs).
    guard parse else { return }
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty || trimmed.hasPrefix("#") { return }
    // The dispatcher's leaf fast path must give what parsing from the root gives.
    if let typed = LineParsing.words(trimmed), let mismatch = LineParsing.parse(typed).mismatch {
        broken("the fast path and the root parser disagree:\n\(mismatch)\n", line)
    }
}

/// An input is a script: one REPL line per line, as `satchel < visit.txt` reads them.
/// Every line is split; only the first four go on to the command tree, the costly step
/// (ArgumentParser checks its whole tree on each parse in a debug build).
func check(_ bytes: [UInt8]) {
    for (n, raw) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(32).enumerated() {
        let line = raw.last == 0x0D ? raw.dropLast() : raw
        checkLine(String(decoding: line, as: UTF8.self), parse: n < 4)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    check(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

#if FUZZING
@_cdecl("FuzzLineParser_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzSupport.runDriver(argc, argv, fuzzOne)
}
#else
/// Corpus replayer for a normal build: `FuzzLineParser FILE|DIR...` (FuzzSupport.replay).
@main
struct Replayer {
    static func main() {
        exit(FuzzSupport.replay(Array(CommandLine.arguments.dropFirst()), entry: fuzzOne))
    }
}
#endif
