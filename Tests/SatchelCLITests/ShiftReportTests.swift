import Foundation
import SatchelTestSupport
import Testing

/// The end of a shift (issue 15 item 3) through the real binary against the stand-in: a
/// shift with one rejection, one held record and one open draft; the report names each
/// with its reason and fix, on screen, as JSON and as a PDF; `sync` names the draft.
@Suite("The shift report, through the binary", .serialized)
struct ShiftReportTests {
    @Test("one rejected, one held, one draft: each named with its reason and fix; sync names the draft")
    func shiftWithLooseEnds() throws {
        let desk = try CentralSystemDesk(role: "clinician", destination: "fixture")
        try desk.ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "fixture", "--decision", "given", "--risk", "medium"])
        let delivered = try desk.add(["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5",
                                      "--summary", "A call that arrives.", "--risk", "medium"])
        let rejected = try desk.add(["risk", "add", "--user", "testy", "--domain", "clinical", "--progress", "p", "--mental-state", "m",
                                     "--risk", "r", "--plan", "p", "--likelihood", "2", "--impact", "2"])
        // A second person with no consent: their record is held.
        try desk.ok(["user", "add", "--name", "Fictional Otherperson", "--alias", "other"])
        let held = try desk.add(["contact", "add", "--user", "other", "--kind", "phone", "--where", "phone", "--minutes", "5",
                                 "--summary", "A call that waits for consent.", "--risk", "low"])
        let draft = try desk.ok(["contact", "add", "--user", "testy", "--kind", "phone", "--draft"]).stdout
        let draftID = try #require(draft.range(of: #"drafts --resume ([0-9a-f]{8})"#, options: .regularExpression).map { String(draft[$0].suffix(8)) })
        try desk.server.setFaults(#"{"rules": [{"fault": "reject", "diagnostics": "RiskAssessment.prediction is not accepted here", "match": {"resourceType": "RiskAssessment"}, "count": 1}]}"#)

        let sync = try desk.run(["sync"])
        #expect(sync.stdout.contains("Not finalised, so not delivered: 1 draft"), "\(sync.stdout)")
        #expect(sync.stdout.contains("draft contact \(draftID) (T.M.)") && sync.stdout.contains("drafts --resume \(draftID)"), "\(sync.stdout)")

        let report = try desk.ok(["shift", "report"]).stdout
        #expect(report.contains("Not everything is delivered"))
        #expect(report.contains("contact \(delivered): T.M.; receipt Encounter/"), "the delivered record with its receipt: \(report)")
        #expect(report.contains("rejected risk \(rejected): T.M.: ") && report.contains("RiskAssessment.prediction is not accepted here")
                && report.contains("fix: amend \(rejected)"), "the rejection, its reason and its fix: \(report)")
        #expect(report.contains("held contact \(held): F.O.: ") && report.contains("consent add"), "the held record, why, and what releases it: \(report)")
        #expect(report.contains("contact \(draftID): T.M., started") && report.contains("drafts --resume \(draftID)"), "the draft and its fix: \(report)")
        #expect(report.contains("Audit log"))

        let json = try desk.ok(["shift", "report", "--json"]).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["drafts"] as? [[String: Any]])?.first?["record"] as? String == draftID)
        let fixture = (object["destinations"] as? [[String: Any]])?.first { $0["name"] as? String == "fixture" }
        let outstanding = (fixture?["outstanding"] as? [[String: Any]]) ?? []
        #expect(Set(outstanding.compactMap { $0["state"] as? String }) == ["rejected", "held"], "\(outstanding)")

        let pdf = desk.dir.appendingPathComponent("shift.pdf").path
        try desk.ok(["shift", "report", "--out", pdf])
        try #require(FileManager.default.isExecutableFile(atPath: ExternalTool.pdftotext), "pdftotext missing: run scripts/bootstrap")
        let (status, text) = try ExternalTool.run(ExternalTool.pdftotext, [pdf, "-"])
        #expect(status == 0)
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")  // the PDF wraps lines
        for item in [delivered, rejected, held, draftID, "RiskAssessment.prediction is not accepted here"] {
            #expect(words.contains(item), "the PDF names \(item)")
        }
        let since = try desk.ok(["shift", "report", "--since", "tomorrow"]).stdout
        #expect(since.contains("Captured (0)"), "nothing captured from tomorrow: \(since)")
        let bad = try desk.run(["shift", "report", "--since", "last tuesday"])
        #expect(bad.status == 65 && bad.stderr.contains("--since:"))
    }
}
