import ArgumentParser
import SatchelCore
import SatchelUseCases

/// `plan add | update | print`: the response plan (SIM guide §26).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Write, update and print a person's response plan (SIM guide §26).",
        subcommands: [Add.self, Update.self, Print.self])

    /// The plan's fields as flags (the same for a first plan and an update).
    struct Fields: ParsableArguments {
        @Option(name: .customLong("name-address"), help: fieldHelp(.plan, "name-address")) var nameAddress: String?
        @Option(help: fieldHelp(.plan, "diagnosis")) var diagnosis: String?
        @Option(name: .customLong("diagnosis-explained"), help: fieldHelp(.plan, "diagnosis-explained")) var diagnosisExplained: String?
        @Option(help: fieldHelp(.plan, "capacity")) var capacity: String?
        @Option(name: .customLong("crisis-behaviours"), help: fieldHelp(.plan, "crisis-behaviours")) var crisisBehaviours: String?
        @Option(name: .customLong("crisis-locations"), help: fieldHelp(.plan, "crisis-locations")) var crisisLocations: String?
        @Option(help: fieldHelp(.plan, "boundaries")) var boundaries: String?
        @Option(name: .customLong("places-of-safety"), help: fieldHelp(.plan, "places-of-safety")) var placesOfSafety: String?
        @Option(help: fieldHelp(.plan, "nominated")) var nominated: String?
        @Option(help: fieldHelp(.plan, "mentors")) var mentors: String?
        @Option(name: .customLong("co-produced"), help: fieldHelp(.plan, "co-produced")) var coProduced: String?
        @Option(name: .customLong("review-date"), help: fieldHelp(.plan, "review-date")) var reviewDate: String?
        @Option(help: fieldHelp(.plan, "risk")) var risk: String?

        var given: FormAnswers {
            FormAnswers([
                "name-address": nameAddress, "diagnosis": diagnosis, "diagnosis-explained": diagnosisExplained, "capacity": capacity,
                "crisis-behaviours": crisisBehaviours, "crisis-locations": crisisLocations, "boundaries": boundaries,
                "places-of-safety": placesOfSafety, "nominated": nominated, "mentors": mentors, "co-produced": coProduced,
                "review-date": reviewDate, "risk": risk,
            ])
        }
    }

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Write the person's response plan: the eight items of SIM §26, what is on record offered; nominated people need an involvement consent.")
        static let kind = RecordKind.plan
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @OptionGroup var fields: Fields

        var given: FormAnswers { fields.given }
    }

    struct Update: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Write the next version of the person's response plan: the form opens with the current one; it replaces it everywhere it was sent.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The service user (default: the open one).", valueName: "user")) var user: String?
        @Flag(help: "Keep the update as a draft instead of finalising it.") var draft = false
        @OptionGroup var fields: Fields

        func run(in door: Door) throws {
            try door.amend(try door.session.startPlanUpdate(user), changes: fields.given, draftOnly: draft)
        }
    }

    struct Print: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: "Write the current response plan as a PDF in large type for the person to hold (SIM §54; audited as an export).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The service user (default: the open one).", valueName: "user")) var user: String?
        @Option(help: ArgumentHelp("The PDF to write (mode 0600).", valueName: "file.pdf")) var out: String
        @Flag(help: "Remove the person's name, NHS number, address, date of birth and police reference (the email summary of SIM §54).")
        var redact = false
        @Flag(help: "Replace the file if one is already there.") var force = false

        func run(in door: Door) throws {
            try door.session.printPlan(user: user, to: out, redact: redact, force: force)
            door.say("Wrote the response plan to \(out) (PDF, mode 0600\(redact ? "; identifying details removed" : "")).")
        }
    }
}

/// `referral add`: a referral opens a case (PAVE SOP §7).
struct ReferralCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referral", abstract: "Record a referral to the team: it opens the person's case (PAVE SOP §7).", subcommands: [Add.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Record who referred, when, the demand on services and what was already tried.")
        static let kind = RecordKind.referral
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(help: fieldHelp(.referral, "referrer")) var referrer: String?
        @Option(name: .customLong("received-on"), help: fieldHelp(.referral, "received-on")) var receivedOn: String?
        @Option(help: fieldHelp(.referral, "demand")) var demand: String?
        @Option(help: fieldHelp(.referral, "tried")) var tried: String?

        var given: FormAnswers { FormAnswers(["referrer": referrer, "received-on": receivedOn, "demand": demand, "tried": tried]) }
    }
}

/// `outcome add`: the MDT outcome of a referral (PAVE SOP §7); writes the outcome letter.
struct OutcomeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcome", abstract: "Record the MDT outcome of a referral: accepted at a tier, or declined (PAVE SOP §7).", subcommands: [Add.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record the outcome, the rationale and the named worker; the outcome letter to the referrer is written with it.")
        static let kind = RecordKind.outcome
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(help: fieldHelp(.outcome, "decision")) var decision: String?
        @Option(name: .customLong("decided-on"), help: fieldHelp(.outcome, "decided-on")) var decidedOn: String?
        @Option(help: fieldHelp(.outcome, "tier")) var tier: String?
        @Option(name: .customLong("named-worker"), help: fieldHelp(.outcome, "named-worker")) var namedWorker: String?
        @Option(help: fieldHelp(.outcome, "rationale")) var rationale: String?
        @Option(help: fieldHelp(.outcome, "advice")) var advice: String?

        var given: FormAnswers {
            FormAnswers([
                "decision": decision, "decided-on": decidedOn, "tier": tier, "named-worker": namedWorker,
                "rationale": rationale, "advice": advice,
            ])
        }
    }
}

/// `review add`: the fortnightly review of a case (PAVE SOP §10).
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Record the fortnightly case review (PAVE SOP §10).", subcommands: [Add.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Record the engagement since the last review and whether to continue or discharge.")
        static let kind = RecordKind.review
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(name: .customLong("reviewed-on"), help: fieldHelp(.review, "reviewed-on")) var reviewedOn: String?
        @Option(help: fieldHelp(.review, "engagement")) var engagement: String?
        @Option(help: fieldHelp(.review, "decision")) var decision: String?
        @Option(help: fieldHelp(.review, "note")) var note: String?
        @Option(help: fieldHelp(.review, "risk")) var risk: String?

        var given: FormAnswers {
            FormAnswers(["reviewed-on": reviewedOn, "engagement": engagement, "decision": decision, "note": note, "risk": risk])
        }
    }
}

/// `discharge add`: the end of a case (PAVE SOP §10); writes the GP letter and the contacts sheet.
struct DischargeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discharge", abstract: "Record a discharge (PAVE SOP §10).", subcommands: [Add.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record the discharge; the GP letter and the person's contacts-and-contingency sheet are written with it.")
        static let kind = RecordKind.discharge
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(name: .customLong("discharged-on"), help: fieldHelp(.discharge, "discharged-on")) var dischargedOn: String?
        @Option(help: fieldHelp(.discharge, "gp")) var gp: String?
        @Option(help: fieldHelp(.discharge, "overview")) var overview: String?
        @Option(name: .customLong("management-plan"), help: fieldHelp(.discharge, "management-plan")) var managementPlan: String?
        @Option(help: fieldHelp(.discharge, "contacts")) var contacts: String?
        @Option(help: fieldHelp(.discharge, "contingency")) var contingency: String?
        @Option(name: .customLong("services-told"), help: fieldHelp(.discharge, "services-told")) var servicesTold: String?

        var given: FormAnswers {
            FormAnswers([
                "discharged-on": dischargedOn, "gp": gp, "overview": overview, "management-plan": managementPlan,
                "contacts": contacts, "contingency": contingency, "services-told": servicesTold,
            ])
        }
    }
}

/// `letter print | write`: the letters a case step writes (PAVE SOP §7, §10).
struct LetterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letter", abstract: "Print the letters an outcome or a discharge wrote, or write them if they are missing.",
        subcommands: [Print.self, Write.self])

    struct Print: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "print", abstract: "Write a letter (its newest version) as a PDF (audited as an export).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The letter: the first characters of its id, as `history --kind letter` shows them.", valueName: "letter"))
        var letter: String
        @Option(help: ArgumentHelp("The PDF to write (mode 0600).", valueName: "file.pdf")) var out: String
        @Flag(help: "Replace the file if one is already there.") var force = false

        func run(in door: Door) throws {
            try door.session.printLetter(letter, to: out, force: force)
            door.say("Wrote the letter to \(out) (PDF, mode 0600).")
        }
    }

    struct Write: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "write", abstract: "Write the letters of an outcome or a discharge that has none (`status` names it).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The outcome or discharge: the first characters of its id.", valueName: "record"))
        var record: String

        func run(in door: Door) throws {
            door.sayWritten(try door.session.writeMissingLetters(record))
        }
    }
}
