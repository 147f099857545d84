import Foundation
import SatchelCore

/// Walks a person through a form one field at a time.
///
/// At any prompt: `?` explains the field, `<` goes back one field, Enter takes the
/// default, Ctrl-C leaves the form and keeps it as a draft. Free text may span lines;
/// a line holding a single `.` ends it. Every answered field is handed to `save`
/// at once, so a crash or a flat battery loses at most the field being typed.
struct FormRunner {
    enum Outcome {
        case finalise(FormAnswers, BuiltRecord)
        /// Left as a draft: by choice, by Ctrl-C or by the end of input.
        case keptAsDraft(FormAnswers, interrupted: Bool)
    }

    let spec: FormSpec
    let context: FormContext
    let prompter: any Prompter
    /// Persists the answers so far (sealed, as a draft).
    let save: (FormAnswers) throws -> Void

    func run(starting initial: FormAnswers) throws -> Outcome {
        var answers = FormAnswers()
        // Flags given on the command line are checked first; a bad one is asked again.
        for (flag, value) in initial.values.sorted(by: { $0.key < $1.key }) {
            guard let field = spec.field(flag) else { continue }
            if value.isEmpty && !field.required {
                answers[flag] = value
                continue
            }
            do {
                try field.check(value, context)
                answers[flag] = value
            } catch {
                prompter.say(error.message)
            }
        }
        var asked: [String] = []
        var previous: [String: String] = [:]
        while true {
            guard let field = spec.nextUnanswered(answers) else {
                switch try review(&answers, &previous) {
                case .some(let outcome): return outcome
                case .none: continue
                }
            }
            switch ask(field, previous: previous[field.flag]) {
            case .value(let v):
                answers[field.flag] = v
                asked.append(field.flag)
                try save(answers)
            case .back:
                guard let last = asked.popLast() else {
                    prompter.say("This is the first question; there is nothing to go back to.")
                    continue
                }
                previous[last] = answers[last]
                answers[last] = nil
                try save(answers)
            case .stop(let interrupted):
                if !answers.values.isEmpty { try save(answers) }
                return .keptAsDraft(answers, interrupted: interrupted)
            }
        }
    }

    private enum Step {
        case value(String)
        case back
        case stop(interrupted: Bool)
    }

    private func ask(_ field: FormField, previous: String?) -> Step {
        let suggestion = previous ?? field.defaultValue(context)
        var prompt = "\(field.question) [\(field.allowed)]"
        if let suggestion, !suggestion.isEmpty, !field.multiline {
            prompt += " (\(suggestion))"
        } else if !field.required {
            prompt += " (optional)"
        }
        prompt += field.multiline ? ":\n" : ": "
        while true {
            let reply = prompter.ask(prompt, completions: field.choices)
            guard case .answer(let raw) = reply else { return .stop(interrupted: reply == .interrupted) }
            let text = raw.trimmingCharacters(in: .whitespaces)
            switch text {
            case "?":
                prompter.say("\(field.question) (--\(field.flag)): \(field.help)\nAllowed: \(field.allowed).\(field.required ? "" : " Optional: press Enter to leave it empty.")\nType < to go back one question; Ctrl-C keeps the form as a draft.")
                continue
            case "<":
                return .back
            default:
                break
            }
            var value = text
            if field.multiline && !text.isEmpty {
                guard let rest = continuation(first: raw) else { return .stop(interrupted: true) }
                value = rest
            }
            if value.isEmpty {
                if let suggestion, !suggestion.isEmpty { return .value(suggestion) }
                if !field.required { return .value("") }
                prompter.say("--\(field.flag): an answer is required. Allowed: \(field.allowed). Type ? for help.")
                continue
            }
            do {
                try field.check(value, context)
                return .value(value)
            } catch {
                prompter.say(error.message)
            }
        }
    }

    /// Reads continuation lines after the first line of free text, up to a lone ".".
    private func continuation(first: String) -> String? {
        if first.trimmingCharacters(in: .whitespaces) == "." { return "" }
        var lines = [first]
        while true {
            guard case .answer(let line) = prompter.ask("... ", completions: []) else { return nil }
            if line.trimmingCharacters(in: .whitespaces) == "." { break }
            lines.append(line)
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The summary, then finalise / change a field / keep as draft. Nil: go on asking.
    private func review(_ answers: inout FormAnswers, _ previous: inout [String: String]) throws -> Outcome? {
        let built: BuiltRecord
        do {
            built = try spec.build(answers, context)
        } catch {
            prompter.say(error.message)
            guard spec.field(error.field) != nil else { return .keptAsDraft(answers, interrupted: false) }
            previous[error.field] = answers[error.field]
            answers[error.field] = nil
            return nil
        }
        prompter.say(summary(answers, built))
        while true {
            let reply = prompter.ask("Finalise (f), change a field (c) or keep as draft (d)? [f]: ", completions: ["f", "c", "d"])
            guard case .answer(let raw) = reply else { return .keptAsDraft(answers, interrupted: reply == .interrupted) }
            switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
            case "", "f", "finalise": return .finalise(answers, built)
            case "d", "draft", "keep": return .keptAsDraft(answers, interrupted: false)
            case "c", "change":
                let flags = spec.applicableFields(answers).map(\.flag)
                guard case .answer(let which) = prompter.ask("Which field? [\(flags.joined(separator: ", "))]: ", completions: flags) else {
                    return .keptAsDraft(answers, interrupted: true)
                }
                let flag = which.trimmingCharacters(in: .whitespaces).trimmingPrefix("--")
                guard flags.contains(String(flag)) else {
                    prompter.say("--\(flag) is not a field of this form. Fields: \(flags.joined(separator: ", ")).")
                    continue
                }
                previous[String(flag)] = answers[String(flag)]
                answers[String(flag)] = nil
                return nil
            default:
                prompter.say("Type f to finalise, c to change a field, or d to keep it as a draft.")
            }
        }
    }

    /// The answers as the record will hold them ("now" as the time it resolved to, a prefix
    /// as the record it names), then what no answer states: a risk entry's grade.
    func summary(_ answers: FormAnswers, _ built: BuiltRecord? = nil) -> String {
        let recorded = built?.payload.formAnswers
        var lines = ["", "\(spec.command): summary"]
        for f in spec.applicableFields(answers) {
            lines.append(summaryLine(f.flag, recorded?[f.flag] ?? answers[f.flag] ?? ""))
        }
        if let entry = built?.payload as? RiskAssessmentEntry {
            var grade = "\(entry.grade.label) (\(entry.likelihood) × \(entry.impact)): \(entry.change(from: context.lastRiskByDomain[entry.domain]))"
            if entry.authority == .contributory { grade += "; contributory (SIM guide §43)" }
            lines.append(summaryLine("grade", grade))
        }
        return lines.joined(separator: "\n")
    }

    private func summaryLine(_ label: String, _ value: String) -> String {
        let shown = value.isEmpty ? "—" : value.replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: 32))
        return "  \(label.padding(toLength: 28, withPad: " ", startingAt: 0))  \(shown)"
    }
}
