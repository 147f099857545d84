import ArgumentParser
import SatchelCore

/// A command that works on an unlocked vault. From the shell it unlocks, runs and
/// locks; inside the REPL it runs at the REPL's door.
protocol SessionCommand: ParsableCommand {
    var global: GlobalOptions { get }
    func run(in door: Door) throws
}

extension SessionCommand {
    func run() throws {
        try Door.oneShot(global) { try run(in: $0) }
    }
}

/// Options every capture command takes.
struct CaptureOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The service user, by alias or name (default: the one `open` made current).", valueName: "user"))
    var user: String?

    @Flag(help: "Keep the record as a draft instead of finalising it.")
    var draft = false
}

/// A command that fills one form about a service user.
protocol SubjectCaptureCommand: CaptureCommand {
    var capture: CaptureOptions { get }
}

extension SubjectCaptureCommand {
    var userReference: String? { capture.user }
    var draftOnly: Bool { capture.draft }
}

/// A command that fills one kind's form.
protocol CaptureCommand: SessionCommand {
    static var kind: RecordKind { get }
    var userReference: String? { get }
    var draftOnly: Bool { get }
    /// The fields given as flags, by flag name.
    var given: FormAnswers { get }
}

extension CaptureCommand {
    func run(in door: Door) throws {
        try door.capture(Self.kind, given: given, userReference: userReference, draftOnly: draftOnly)
    }
}

/// Help for a flag, from its kind's form field: the question and the allowed values.
func fieldHelp(_ kind: RecordKind, _ flag: String) -> ArgumentHelp {
    guard let f = kind.form.field(flag) else { return ArgumentHelp("") }
    return ArgumentHelp("\(f.question) (\(f.allowed))\(f.required ? "" : "; optional").", valueName: flag)
}

