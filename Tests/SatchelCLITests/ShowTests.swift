import Foundation
import SatchelTestSupport
import Testing

/// `show` through the real binary: every kind rendered whole, found by the id `history` prints.
@Suite("show, every kind")
struct ShowTests {
    @Test("history prints each record's id; show renders every kind with its fields, author and state")
    func everyKind() throws {
        let f = try ExportTests.Fixture()
        try f.run(["consent", "add", "--user", "testy-m", "--scope", "share", "--with", "police", "--decision", "refused", "--risk", "low"])
        try f.run(["boundary", "add", "--user", "testy-m", "--behaviour", "Calls 999 nightly.", "--boundary", "Call the team line first.",
                   "--consequence", "Positive arrest policy.", "--legal-explained", "yes", "--response", "Agreed.", "--risk", "medium"])
        try f.run(["capacity", "add", "--user", "testy-m", "--communicate", "yes", "--communicate-note", "Clear.", "--understand", "yes",
                   "--understand-note", "Repeated it.", "--retain", "yes", "--retain-note", "Remembered.", "--employ", "yes",
                   "--employ-note", "Weighed it.", "--judgement", "sufficient", "--risk", "low"])
        try f.run(["disclose", "--user", "testy-m", "--to-person", "Aunt Testy", "--from", "today", "--basis", "prevent-serious-harm",
                   "--reason", "Threatened harm at the visit.", "--likelihood", "4", "--impact", "4", "--risk", "high"])
        try f.run(["death", "add", "--user", "testy-m", "--died-at", "today 00:01", "--source", "The ward rang the team."])
        let history = try f.run(["history", "testy-m"]).stdout
        // Every kind, with the value that only its own rendering shows.
        let expected: [(kind: String, shows: String)] = [
            ("permission", "Dr Fictional Leadperson"), ("consent", "police"),
            ("contact", "Example Cafe"), ("risk", "Weekly walk to the allotment."), ("top", "4.5"), ("boundary", "Positive arrest policy."),
            ("capacity", "Weighed it."), ("disclosure", "Threatened harm at the visit."), ("death", "The ward rang the team."),
        ]
        for (kind, shows) in expected {
            let line = try #require(history.split(separator: "\n").first { $0.contains(" \(kind) ") && $0.contains("final") }, "no \(kind) in history: \(history)")
            let id = try #require(line.range(of: #"  [0-9a-f]{8}  "#, options: .regularExpression).map { line[$0].trimmingCharacters(in: .whitespaces) })
            let shown = try f.run(["show", id]).stdout
            #expect(shown.contains(shows), "show \(kind): \(shown)")
            #expect(shown.contains("written by Test Mentor (clinician)"), "show \(kind)")
            #expect(shown.contains(" — final"), "show \(kind)")
        }
        // The person's own record is not in their history: `user list` gives its id.
        let users = try JSONSerialization.jsonObject(with: Data(try f.run(["user", "list", "--json"]).stdout.utf8)) as? [[String: Any]]
        let person = try #require(users?.first?["id"] as? String)
        let shownPerson = try f.run(["show", String(person.prefix(8))]).stdout
        #expect(shownPerson.contains("Dr Fictional Leadperson"), "\(shownPerson)")
        let bad = try f.run(["show", "zz"], expecting: 65)
        #expect(bad.stderr.contains("record: give at least 4 characters of a record id"))
    }
}
