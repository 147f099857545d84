import ArgumentParser

/// A capture command whose options are all text (`--flag value`, some repeatable) besides
/// the shared `--user` and `--draft`: the REPL builds it from a plain line without asking
/// ArgumentParser, which spends more instructions re-reading the command's definition on
/// every line than the rest of the save (docs/performance.md, P1). ArgumentParser stays
/// the source of truth: anything but a plain line — help, an unknown or repeated flag,
/// `--flag=value`, a value starting with `-`, a global option — goes to it, so every
/// message is still the shell's; CommandLineTests checks both give the same command.
protocol PlainCaptureCommand: SubjectCaptureCommand {
    /// Each single-valued text option by its flag (without `--`), and how to set it.
    /// (A setter, not a key path: writing through a key path reads the wrapped value
    /// first, which ArgumentParser refuses before it is set.)
    static var textOptions: [String: (inout Self, String?) -> Void] { get }
    /// Each repeatable text option by its flag, and how to set it.
    static var listOptions: [String: (inout Self, [String]) -> Void] { get }
    init()
    var global: GlobalOptions { get set }
    var capture: CaptureOptions { get set }
}

extension PlainCaptureCommand {
    static var listOptions: [String: (inout Self, [String]) -> Void] { [:] }

    /// The command these words (after the command's own name) make, or nil when they are
    /// not a plain line and ArgumentParser must read them.
    static func plain(_ words: ArraySlice<String>) -> Self? {
        var text: [String: String] = [:]
        var lists: [String: [String]] = [:]
        var draft = false
        var i = words.startIndex
        while i < words.endIndex {
            let word = words[i]
            guard word.hasPrefix("--"), !word.contains("=") else { return nil }
            let flag = String(word.dropFirst(2))
            if flag == "draft" {
                guard !draft else { return nil }
                draft = true
                i += 1
                continue
            }
            let isList = listOptions[flag] != nil
            guard isList || flag == "user" || textOptions[flag] != nil,
                  i + 1 < words.endIndex, !words[i + 1].hasPrefix("-")
            else { return nil }
            let value = words[i + 1]
            if isList {
                lists[flag, default: []].append(value)
            } else {
                guard text[flag] == nil else { return nil }
                text[flag] = value
            }
            i += 2
        }
        var command = Self()
        command.global = .none
        var capture = CaptureOptions()
        capture.user = text["user"]
        capture.draft = draft
        command.capture = capture
        for (flag, set) in textOptions { set(&command, text[flag]) }
        for (flag, set) in listOptions { set(&command, lists[flag] ?? []) }
        // What ArgumentParser checks after decoding; a failure is left to it to report.
        guard (try? command.global.validate()) != nil, (try? command.validate()) != nil else { return nil }
        return command
    }
}

extension GlobalOptions {
    /// No global option given (a plain REPL line).
    static var none: GlobalOptions {
        var g = GlobalOptions()
        g.home = nil
        g.passphraseFd = nil
        g.config = nil
        g.idleLockMinutes = nil
        return g
    }
}

extension ContactCommand.Add: PlainCaptureCommand {
    static var textOptions: [String: (inout Self, String?) -> Void] {
        ["kind": { $0.kind = $1 }, "at": { $0.at = $1 }, "where": { $0.place = $1 }, "minutes": { $0.minutes = $1 },
         "relative": { $0.relative = $1 }, "summary": { $0.summary = $1 }, "risk": { $0.risk = $1 }]
    }
    static var listOptions: [String: (inout Self, [String]) -> Void] {
        ["present": { $0.present = $1 }, "professional": { $0.professional = $1 }, "police-present": { $0.policePresent = $1 }]
    }
}

extension RiskCommand.Add: PlainCaptureCommand {
    static var textOptions: [String: (inout Self, String?) -> Void] {
        ["progress": { $0.progress = $1 }, "mental-state": { $0.mentalState = $1 }, "risk": { $0.risk = $1 }, "plan": { $0.plan = $1 },
         "likelihood": { $0.likelihood = $1 }, "impact": { $0.impact = $1 }, "domain": { $0.domain = $1 }]
    }
}
