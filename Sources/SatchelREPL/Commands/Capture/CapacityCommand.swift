import ArgumentParser
import SatchelCore

/// `capacity add`: a C-U-R-E capacity assessment (SIM guide §21).
struct CapacityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity", abstract: "Record mental capacity assessments (SIM guide §21).", subcommands: [Add.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record the four C-U-R-E questions and the overall judgement; insufficient suspends mentoring.")
        static let kind = RecordKind.capacity
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(help: fieldHelp(.capacity, "communicate")) var communicate: String?
        @Option(name: .customLong("communicate-note"), help: fieldHelp(.capacity, "communicate-note")) var communicateNote: String?
        @Option(help: fieldHelp(.capacity, "understand")) var understand: String?
        @Option(name: .customLong("understand-note"), help: fieldHelp(.capacity, "understand-note")) var understandNote: String?
        @Option(help: fieldHelp(.capacity, "retain")) var retain: String?
        @Option(name: .customLong("retain-note"), help: fieldHelp(.capacity, "retain-note")) var retainNote: String?
        @Option(help: fieldHelp(.capacity, "employ")) var employ: String?
        @Option(name: .customLong("employ-note"), help: fieldHelp(.capacity, "employ-note")) var employNote: String?
        @Option(help: fieldHelp(.capacity, "judgement")) var judgement: String?
        @Option(help: fieldHelp(.capacity, "risk")) var risk: String?

        var given: FormAnswers {
            FormAnswers([
                "communicate": communicate, "communicate-note": communicateNote, "understand": understand,
                "understand-note": understandNote, "retain": retain, "retain-note": retainNote, "employ": employ,
                "employ-note": employNote, "judgement": judgement, "risk": risk,
            ])
        }
    }
}

/// `permission add`: the lead clinician's permission to mentor (SIM guide §20).
struct PermissionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permission", abstract: "Record the lead clinician's permission to mentor (SIM guide §20).", subcommands: [Add.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record who gave permission to mentor this person, and when.")
        static let kind = RecordKind.permission
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(name: .customLong("lead-clinician"), help: fieldHelp(.permission, "lead-clinician")) var leadClinician: String?
        @Option(name: .customLong("given-on"), help: fieldHelp(.permission, "given-on")) var givenOn: String?
        @Option(help: fieldHelp(.permission, "note")) var note: String?

        var given: FormAnswers {
            FormAnswers(["lead-clinician": leadClinician, "given-on": givenOn, "note": note])
        }
    }
}

/// `death add`: a service user's death (SIM guide §63).
struct DeathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "death", abstract: "Record a service user's death (SIM guide §63).", subcommands: [Add.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record a death; flags the referral to the police complaints body when a police mentor's contact was in the 48 hours before.")
        static let kind = RecordKind.death
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(name: .customLong("died-at"), help: fieldHelp(.death, "died-at")) var diedAt: String?
        @Option(help: fieldHelp(.death, "source")) var source: String?
        @Option(help: fieldHelp(.death, "note")) var note: String?

        var given: FormAnswers {
            FormAnswers(["died-at": diedAt, "source": source, "note": note])
        }
    }
}
