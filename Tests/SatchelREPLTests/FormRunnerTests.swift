import Foundation
import SatchelCore
import SatchelTestSupport
import Testing
@testable import SatchelREPL

@Suite("Guided forms")
struct FormRunnerTests {
    let now = Date(timeIntervalSince1970: 1_795_430_000)  // 23/11/2026, 05:13 London

    func runner(_ spec: FormSpec, _ prompter: ScriptedPrompter, saves: Saves, lastRisk: RiskGrade? = .medium) -> FormRunner {
        var c = FormContext(now: now, role: .clinician)
        c.lastRisk = lastRisk
        return FormRunner(spec: spec, context: c, prompter: prompter) { saves.all.append($0) }
    }

    final class Saves { var all: [FormAnswers] = [] }

    @Test("a contact typed field by field, with a default, multi-line text and the summary, is finalised")
    func wholeContact() throws {
        let p = ScriptedPrompter(lines: [
            "face-to-face", "", "home", "45", "", "", "", "Calm and engaged.", "Agreed a weekly plan.", ".", "", "f",
        ])
        let saves = Saves()
        guard case .finalise(let answers, let built) = try runner(.contact, p, saves: saves).run(starting: FormAnswers()) else {
            Issue.record("not finalised")
            return
        }
        #expect(answers["at"] == "now")
        #expect(answers["summary"] == "Calm and engaged.\nAgreed a weekly plan.")
        #expect(answers["risk"] == "medium")  // the last grade, offered as the default
        #expect(answers["present"] == "")
        #expect(saves.all.count == 9)  // a sealed draft save after every answered field
        let contact = try #require(built.payload as? Contact)
        #expect(contact.kind == .faceToFace)
        #expect(contact.minutes == 45)
        #expect(p.prompts[0] == "Kind of contact [face-to-face, phone, phone-family, did-not-attend, attempted, offence, significant-event]: ")
        #expect(p.prompts[1].hasSuffix("(now): "))
        #expect(p.prompts.last == "Finalise (f), change a field (c) or keep as draft (d)? [f]: ")
    }

    @Test("the summary shows what will be recorded: the time \"now\" resolved to, and a risk entry's grade with its change")
    func summaryShowsResolvedValues() throws {
        let contact = ScriptedPrompter(lines: ["phone", "", "phone", "5", "", "", "", "Short call.", ".", "", "f"])
        _ = try runner(.contact, contact, saves: Saves()).run(starting: FormAnswers())
        let contactSummary = try #require(contact.said.first { $0.contains("contact add: summary") })
        #expect(contactSummary.contains("  at                            23/11/2026 10:33\n"))
        #expect(!contactSummary.contains("now"))

        var c = FormContext(now: now, role: .police)
        c.lastRiskByDomain = [.clinical: .medium]
        let risk = ScriptedPrompter(lines: ["Settled.", ".", "Calm.", ".", "Low to others.", ".", "Weekly visits.", ".", "4", "4", "clinical", "f"])
        _ = try FormRunner(spec: .risk, context: c, prompter: risk) { _ in }.run(starting: FormAnswers())
        let riskSummary = try #require(risk.said.first { $0.contains("risk add: summary") })
        #expect(riskSummary.hasSuffix("\n  grade                         High (4 × 4): Risk raised from Medium to High; contributory (SIM guide §43)"))
    }

    @Test("? explains the field, < goes back one field, a bad value is refused with its message and asked again")
    func helpBackAndRetry() throws {
        let p = ScriptedPrompter(lines: ["?", "visit", "phone", "now", "<", "yesterday 09:00", "phone", "many", "10"])
        let saves = Saves()
        let outcome = try runner(.contact, p, saves: saves).run(starting: FormAnswers())
        guard case .keptAsDraft(let answers, let interrupted) = outcome else {
            Issue.record("expected the end of the script to keep a draft")
            return
        }
        #expect(interrupted == false)
        #expect(p.said[0].hasPrefix("Kind of contact (--kind): SIM guide §25"))
        #expect(p.said[1] == "--kind: \"visit\" is not a contact kind. Allowed: face-to-face, phone, phone-family, did-not-attend, attempted, offence, significant-event.")
        #expect(p.said[2] == "--minutes: \"many\" is not a number of minutes. Minutes are 0-1440 (a contact cannot last more than a day).")
        #expect(answers.values == ["kind": "phone", "at": "yesterday 09:00", "where": "phone", "minutes": "10"])
        #expect(saves.all.last == answers)
    }

    @Test("Ctrl-C abandons the form but keeps what was answered as a draft")
    func interruptKeepsDraft() throws {
        let p = ScriptedPrompter([.answer("attempted"), .answer("now"), .interrupted])
        let saves = Saves()
        guard case .keptAsDraft(let answers, true) = try runner(.contact, p, saves: saves).run(starting: FormAnswers()) else {
            Issue.record("expected an interrupted draft")
            return
        }
        #expect(answers.values == ["kind": "attempted", "at": "now"])
        #expect(saves.all.last == answers)
    }

    @Test("resuming starts at the first unanswered field and keeps every answer")
    func resume() throws {
        let p = ScriptedPrompter(lines: ["phone", "5", "", "", "", "Quick check-in.", ".", "low", "f"])
        let start = FormAnswers(values: ["kind": "phone", "at": "now"])
        guard case .finalise(let answers, _) = try runner(.contact, p, saves: Saves()).run(starting: start) else {
            Issue.record("not finalised")
            return
        }
        #expect(p.prompts[0].hasPrefix("Where"))
        #expect(answers["kind"] == "phone")
        #expect(answers["risk"] == "low")
    }

    @Test("a phone-family call asks for the relative called, whose consent is checked; a professional is NAME (ORGANISATION)")
    func phoneFamilyAndProfessional() throws {
        var c = FormContext(now: now, role: .clinician)
        c.consents = ConsentLedger([.init(
            consent: try Consent(scope: .involve, with: "Aunt Testy", decision: .given, method: .verbal, currentRisk: .low, now: now),
            recordedAt: now.addingTimeInterval(-60))])
        let p = ScriptedPrompter(lines: [
            "phone-family", "", "phone", "10", "Uncle Testy", "Aunt Testy", "", "Dr Fictional", "Dr Fictional (Testshire ED)", "",
            "A fictional call.", ".", "low", "f",
        ])
        guard case .finalise(_, let built) = try FormRunner(spec: .contact, context: c, prompter: p) { _ in }.run(starting: FormAnswers()) else {
            Issue.record("not finalised")
            return
        }
        #expect(p.prompts[4].hasPrefix("Relative or friend called"))
        #expect(p.said.contains("--relative: no involvement consent on record for \"Uncle Testy\". Record it first: consent add --scope involve --with \"Uncle Testy\" --decision given"))
        #expect(p.said.contains { $0.hasPrefix("--professional: one of the entries has no organisation in brackets.") })
        let contact = try #require(built.payload as? Contact)
        #expect(contact.relative == "Aunt Testy")
        #expect(contact.professionals == [Professional(name: "Dr Fictional", organisation: "Testshire ED")])
    }

    @Test("at the summary a field can be changed, then the record finalised")
    func changeAField() throws {
        let p = ScriptedPrompter(lines: ["involve", "Aunt Testy", "given", "", "", "", "c", "method", "written", "f"])
        guard case .finalise(let answers, let built) = try runner(.consent, p, saves: Saves()).run(starting: FormAnswers()) else {
            Issue.record("not finalised")
            return
        }
        #expect(answers["method"] == "written")
        #expect((built.payload as? Consent)?.method == .written)
        #expect(p.said.contains { $0.contains("consent add: summary") })
    }

    @Test("a cross-field rule found at the summary sends the person back to that field")
    func crossFieldRule() throws {
        // disclose-family consent given verbally breaks SIM §56; the method is asked again.
        let p = ScriptedPrompter(lines: ["disclose-family", "Aunt Testy", "given", "verbal", "", "", "written", "f"])
        guard case .finalise(let answers, _) = try runner(.consent, p, saves: Saves()).run(starting: FormAnswers()) else {
            Issue.record("not finalised")
            return
        }
        #expect(p.said.first?.hasPrefix("--method: disclose-family consent must be written") == true)
        #expect(answers["method"] == "written")
    }

    @Test("the TOP form skips the injecting questions when no injecting was recorded")
    func topSkipsInjecting() throws {
        var given = FormAnswers(values: ["stage": "exit", "interview-date": "today", "risk": "low"])
        for f in TOPField.all { given[f.flag] = "declined" }
        for n in 1...4 { given["injecting-week-\(n)"] = "0" }
        given["shared-needles"] = nil
        given["shared-paraphernalia"] = nil
        #expect(FormSpec.top.nextUnanswered(given) == nil)
        let built = try FormSpec.top.build(given, FormContext(now: now, role: .substanceMisuse))
        #expect(built.formVersion == TOPForm.currentFormVersion)
    }
}
