import ArgumentParser
import SatchelCore

/// `top add`: a Treatment Outcomes Profile. Its 71 items are given as
/// `--<item> value` (e.g. `--alcohol-week-1 3 --psych-health declined`); the item
/// names are listed in docs/top-form.md and by `?` at the prompt.
struct TOPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top", abstract: "Record Treatment Outcomes Profiles.", subcommands: [Add.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record a TOP form: substance use, injecting, crime, health and social functioning over the past 4 weeks.",
            discussion: "Each TOP item is an option: " + TOPField.all.map { "--\($0.flag)" }.joined(separator: ", ")
                + ". Days are 0-7, ratings 0-20, yes/no items yes or no; any item may be \"declined\", which is not 0.")
        static let kind = RecordKind.top
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(help: fieldHelp(.top, "stage")) var stage: String?
        @Option(name: .customLong("interview-date"), help: fieldHelp(.top, "interview-date")) var interviewDate: String?
        @Option(help: fieldHelp(.top, "risk")) var risk: String?
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("TOP items as --item value (see docs/top-form.md).", valueName: "--item value"))
        var items: [String] = []

        func validate() throws {
            _ = try Self.parseItems(items)
        }

        var given: FormAnswers {
            var a = FormAnswers(["stage": stage, "interview-date": interviewDate, "risk": risk])
            for (k, v) in (try? Self.parseItems(items)) ?? [:] { a[k] = v }
            return a
        }

        /// `--alcohol-week-1 3` or `--alcohol-week-1=3`, for TOP items only.
        static func parseItems(_ args: [String]) throws -> [String: String] {
            var out: [String: String] = [:]
            var i = 0
            while i < args.count {
                let arg = args[i]
                guard arg.hasPrefix("--") else {
                    throw ValidationError("Unexpected argument \(FieldError.quote(arg)): TOP items are given as --item value.")
                }
                var name = String(arg.dropFirst(2))
                var value: String?
                if let eq = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                guard TOPField.named(name) != nil else {
                    let guess = NearMiss.suggestion(for: name, among: TOPField.all.map(\.flag))
                    throw ValidationError("Unknown option '--\(name)'. It is not a TOP item.\(guess.map { " Did you mean '--\($0)'?" } ?? "")")
                }
                if value == nil {
                    i += 1
                    guard i < args.count else { throw ValidationError("Missing value for '--\(name)'.") }
                    value = args[i]
                }
                out[name] = value
                i += 1
            }
            return out
        }
    }
}
