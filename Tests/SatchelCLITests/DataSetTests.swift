import Foundation
import SatchelTestSupport
import Testing

/// The minimum data set (SIM guide §57), its charts (§58) and the monthly group's report
/// (§18, §59) through the real binary: who is due, "not known" kept apart from 0 in the
/// store, the chart and FHIR, charts as PNG, SVG and PDF, the CSV read back by Python.
@Suite("The minimum data set, through the binary", .serialized)
struct DataSetTests {
    static var lastMonth: String {
        let c = Calendar(identifier: .gregorian)
        let d = c.date(byAdding: .month, value: -1, to: Date()) ?? Date()
        let parts = c.dateComponents(in: TimeZone(identifier: "Europe/London") ?? .current, from: d)
        return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
    }

    static func contacts(_ desk: CentralSystemDesk, _ user: String, _ n: Int) throws {
        for i in 0..<n {
            try desk.ok(["contact", "add", "--user", user, "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", "Call \(i).", "--risk", "medium"])
        }
    }

    @Test("mds due, not known, charts in three formats, the team report and its CSV, and the figures in FHIR")
    func dataSet() throws {
        let desk = try CentralSystemDesk(role: "clinician", destination: "fixture")
        try desk.ok(["user", "add", "--name", "Fictional Otherperson", "--alias", "other"])
        for user in ["testy", "other"] {
            try desk.ok(["consent", "add", "--user", user, "--scope", "engagement", "--with", "the mentoring team", "--decision", "given", "--risk", "medium"])
        }
        try desk.ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "fixture", "--decision", "given", "--risk", "medium"])
        try Self.contacts(desk, "testy", 3)
        try Self.contacts(desk, "other", 2)

        let due = try desk.ok(["mds", "due"]).stdout
        #expect(due.contains("T.M.") && due.contains(Self.lastMonth), "three contacts, no figures for last month: \(due)")
        #expect(!due.contains("F.O."), "two contacts are not enough: \(due)")

        let bad = try desk.run(["mds", "add", "--user", "testy", "--month", Self.lastMonth, "--police-incidents", "lots", "--ambulance", "0",
                                "--ed", "0", "--bed-days", "0", "--s136", "0", "--mha-assessments", "0"])
        #expect(bad.status == 65 && bad.stderr.contains("--police-incidents:") && bad.stderr.contains("not known"), "\(bad.stderr)")
        let mds = try desk.add(["mds", "add", "--user", "testy", "--month", Self.lastMonth, "--police-incidents", "4", "--ambulance", "not known",
                                "--ed", "0", "--bed-days", "12", "--s136", "1", "--mha-assessments", "0"])
        #expect(!(try desk.ok(["mds", "due"]).stdout.contains("\(Self.lastMonth),")), "last month is no longer missing")
        let shown = try desk.ok(["show", mds, "--json"]).stdout
        let fields = try #require((try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any])?["fields"] as? [[String: String]])
        #expect(fields.first { $0["label"] == "Ambulance deployments" }?["value"] == "not known", "not known is kept as itself")
        #expect(fields.first { $0["label"] == "Emergency department attendances needing treatment" }?["value"] == "0", "0 is 0")

        try desk.ok(["enforcement", "add", "--user", "testy", "--outcome", "caution", "--on", "today", "--risk", "medium"])
        let chart = try desk.ok(["chart", "testy"]).stdout
        #expect(chart.contains("Ambulance deployments") && chart.contains("? not known"), "\(chart)")
        #expect(chart.contains("mentoring started"), "\(chart)")
        #expect(chart.contains("█"), "bars drawn with blocks")

        let dir = desk.dir.path
        try desk.ok(["chart", "testy", "--out", "\(dir)/chart.png"])
        let png = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/chart.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG")
        let size = png.count >= 24 ? png[16..<24].map { Int($0) } : []
        #expect(size.count == 8 && (size[0] << 24 | size[1] << 16 | size[2] << 8 | size[3]) == 1200 && (size[4] << 24 | size[5] << 16 | size[6] << 8 | size[7]) == 900, "1200 × 900")
        try desk.ok(["chart", "testy", "--out", "\(dir)/chart.svg"])
        let svg = try String(contentsOfFile: "\(dir)/chart.svg", encoding: .utf8)
        #expect(svg.contains("<svg"), "an SVG: \(svg.prefix(300))")
        let parsed = try ExternalTool.run(ExternalTool.python, ["-c", "import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); print(r.tag, r.get('width'), r.get('height'))", "\(dir)/chart.svg"])
        #expect(parsed.0 == 0 && parsed.1.contains("svg 1200pt 900pt"), "the SVG is well-formed XML of the right size: \(parsed.1)")
        try desk.ok(["chart", "testy", "--out", "\(dir)/chart.pdf"])
        let (status, text) = try ExternalTool.run(ExternalTool.pdftotext, ["\(dir)/chart.pdf", "-"])
        #expect(status == 0 && text.contains("T.M.") && text.contains("Ambulance deployments"), "\(text.prefix(400))")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let month = months[(Int(Self.lastMonth.suffix(2)) ?? 1) - 1]
        #expect(text.contains(month), "the months are on the chart")

        let csv = try desk.ok(["report", "team", "--month", Self.lastMonth, "--csv"]).stdout
        let script = """
            import csv, sys
            rows = list(csv.reader(open(sys.argv[1], newline="")))
            assert rows[0][:4] == ["month", "rank", "person", "initials"], rows[0]
            body = [r for r in rows[1:] if r]
            assert len(body) == 1, body
            row = dict(zip(rows[0], body[0]))
            assert row["police_incidents"] == "4" and row["ambulance"] == "not known" and row["ed"] == "0", row
            print("ok", row["initials"], row["intensity"])
            """
        try csv.write(toFile: "\(dir)/team.csv", atomically: true, encoding: .utf8)
        let (pyStatus, pyOut) = try ExternalTool.run(ExternalTool.python, ["-c", script, "\(dir)/team.csv"])
        #expect(pyStatus == 0 && pyOut.contains("ok T.M."), "the CSV round-trips through Python's csv module: \(pyOut)")
        let report = try desk.ok(["report", "team", "--month", Self.lastMonth]).stdout
        #expect(report.contains("1. T.M."), "\(report)")
        try desk.ok(["report", "team", "--pdf", "\(dir)/team.pdf"])
        let (teamStatus, teamText) = try ExternalTool.run(ExternalTool.pdftotext, ["\(dir)/team.pdf", "-"])
        #expect(teamStatus == 0 && teamText.contains("High intensity user group") && teamText.contains("Demand on services: T.M."))

        _ = try desk.ok(["sync"])
        let observations = try desk.stored("Observation")
        let figures = try #require(observations.first { o in
            ((o["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String == "sim-minimum-data-set"
        }, "the month's figures are delivered")
        let components = (figures["component"] as? [[String: Any]]) ?? []
        func component(_ code: String) -> [String: Any]? {
            components.first { (($0["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String == code }
        }
        #expect(component("ambulance")?["valueInteger"] == nil && component("ambulance")?["dataAbsentReason"] != nil, "not known is absent with a reason, never 0")
        #expect(component("ed")?["valueInteger"] as? Int == 0)
        #expect(component("police-incidents")?["valueInteger"] as? Int == 4)
    }
}
