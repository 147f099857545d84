import ArgumentParser
import Foundation
import SatchelCore
import SatchelUseCases

/// `mds add | due`: the minimum data set (SIM guide §57).
struct MDSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mds", abstract: "Record a person's minimum data set for a month, and list what is due (SIM guide §57).",
        subcommands: [Add.self, Due.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record one month's figures; \"not known\" is its own answer, never 0.")
        static let kind = RecordKind.mds
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(help: fieldHelp(.mds, "month")) var month: String?
        @Option(name: .customLong("police-incidents"), help: fieldHelp(.mds, "police-incidents")) var policeIncidents: String?
        @Option(help: fieldHelp(.mds, "ambulance")) var ambulance: String?
        @Option(help: fieldHelp(.mds, "ed")) var ed: String?
        @Option(name: .customLong("bed-days"), help: fieldHelp(.mds, "bed-days")) var bedDays: String?
        @Option(help: fieldHelp(.mds, "s136")) var s136: String?
        @Option(name: .customLong("mha-assessments"), help: fieldHelp(.mds, "mha-assessments")) var mhaAssessments: String?
        @Option(help: fieldHelp(.mds, "note")) var note: String?

        var given: FormAnswers {
            FormAnswers([
                "month": month, "police-incidents": policeIncidents, "ambulance": ambulance, "ed": ed, "bed-days": bedDays,
                "s136": s136, "mha-assessments": mhaAssessments, "note": note,
            ])
        }
    }

    struct Due: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "due",
            abstract: "List the people whose figures are required (agreed to mentoring, supported three or more times) and the months still missing.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON instead of text.") var json = false

        func run(in door: Door) throws {
            let due = try door.session.dataSetDue()
            if json { return try door.sayJSON(due) }
            if due.isEmpty { return door.say("No figures due: everyone the data set covers has the last twelve months recorded.") }
            for d in due {
                door.say("\(d.initials) (\(d.user)), \(d.supportedContacts) contacts: \(d.missing.count) month\(d.missing.count == 1 ? "" : "s") missing: \(d.missing.joined(separator: ", "))")
            }
        }
    }
}

/// `enforcement add`: an arrest, caution, prosecution or behaviour order (PAVE SOP §8).
struct EnforcementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enforcement", abstract: "Record an enforcement outcome, so it can be counted (PAVE SOP §8).", subcommands: [Add.self])

    struct Add: SubjectCaptureCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Record an arrest, caution, prosecution, or a behaviour order or contract.")
        static let kind = RecordKind.enforcement
        @OptionGroup var global: GlobalOptions
        @OptionGroup var capture: CaptureOptions
        @Option(help: fieldHelp(.enforcement, "outcome")) var outcome: String?
        @Option(help: fieldHelp(.enforcement, "on")) var on: String?
        @Option(help: fieldHelp(.enforcement, "note")) var note: String?
        @Option(help: fieldHelp(.enforcement, "risk")) var risk: String?

        var given: FormAnswers { FormAnswers(["outcome": outcome, "on": on, "note": note, "risk": risk]) }
    }
}

/// `chart [USER]`: a person's figures by month (SIM guide §58).
struct ChartCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart", abstract: "Show a person's data-set figures by month as bar charts, the start of mentoring marked (SIM §58).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The service user (default: the open one).", valueName: "user")) var user: String?
    @Option(help: ArgumentHelp("How many months, up to this month (1-60).", valueName: "n")) var months = 12
    @Option(help: ArgumentHelp("Write the charts to a file instead: .png, .svg or .pdf (mode 0600).", valueName: "file")) var out: String?
    @Flag(help: "Replace the file if one is already there.") var force = false

    func run(in door: Door) throws {
        let sheet = try door.session.charts(user: user, months: months)
        if let out {
            try door.session.writeCharts(sheet, to: out, force: force)
            return door.say("Wrote the charts to \(out) (mode 0600).")
        }
        let colour = isatty(STDOUT_FILENO) == 1
        door.say(([sheet.title, sheet.subtitle, ""] + sheet.charts.flatMap { $0.terminalLines(colour: colour) + [""] }).joined(separator: "\n"))
    }
}

/// `report team`: the monthly group's figures and ranking (SIM guide §18, §57-59).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports for the team.", subcommands: [Team.self])

    struct Team: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "team",
            abstract: "Every person's figures for a month, totals, and the ranking by intensity (frequency × risk) for the monthly group.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The month, YYYY-MM (default: last month).", valueName: "month")) var month: String?
        @Flag(help: "Print CSV in the national data set's column layout (docs/data-set.md).") var csv = false
        @Flag(help: "Print JSON instead of text.") var json = false
        @Option(help: ArgumentHelp("Also write the report with each person's charts as a PDF (mode 0600).", valueName: "file.pdf")) var pdf: String?
        @Flag(help: "Replace the PDF if one is already there.") var force = false

        func run(in door: Door) throws {
            let report = try door.session.teamReport(month: month)
            if csv {
                FileHandle.standardOutput.write(Data(report.csv.utf8))
            } else if json {
                try door.sayJSON(report)
            } else {
                door.say("High intensity user group, \(report.month): \(report.rows.count) people, ranked by intensity (frequency × risk).")
                for r in report.rows {
                    let figures = r.figures.map { f in MDSMeasure.allCases.map { "\($0.short) \(f[$0.rawValue] ?? "")" }.joined(separator: ", ") } ?? "no figures recorded"
                    door.say("  \(r.rank). \(r.initials) (\(r.user))  intensity \(r.intensity)  risk \(r.risk ?? "-")  contacts \(r.contacts)  enforcement \(r.enforcement)  \(figures)")
                }
                door.say("Totals: " + MDSMeasure.allCases.map { "\($0.short) \(report.totals[$0.rawValue] ?? 0)" }.joined(separator: ", ")
                         + "; \(report.notKnown) figures not known; \(report.missing) people with no figures for the month.")
            }
            if let pdf {
                try door.session.writeTeamReport(report, to: pdf, force: force)
                Console.error("Wrote the team report to \(pdf) (PDF, mode 0600).")
            }
        }
    }
}
