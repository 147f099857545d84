import Foundation
import SatchelCore
import SatchelDocuments
import SatchelStore

/// The minimum data set (SIM guide §57), its charts (§58) and the monthly group's
/// ranking by intensity (§18, §59). Satchel feeds the national platform (§19: no rival
/// to it): `report team --csv` is its column layout (docs/data-set.md).
extension Session {
    /// Contacts that count as "supported" for §57: the person was met or spoken to.
    static let supportedKinds: Set<ContactKind> = [.faceToFace, .phone, .phoneFamily]
    /// §57 applies from the third supported contact.
    static let supportedThreshold = 3
    /// The months `mds due` asks for and `chart` shows by default: the twelve up to last
    /// month, so the demand before mentoring started is there to compare (§58).
    static let window = 12

    /// One person's data-set standing.
    public struct DataSetDue: Sendable, Equatable, Encodable {
        public let user: String
        public let initials: String
        public let supportedContacts: Int
        /// Months (YYYY-MM) with no figures on record, oldest first.
        public let missing: [String]
    }

    /// The people for whom §57's data is required — agreed to mentoring (their latest
    /// engagement decision is given) and supported on three or more occasions (counted
    /// from their contacts) — and the months of the last twelve (to last month) with no
    /// figures. Contact and consent bodies are opened (audited as views).
    public func dataSetDue() throws -> [DataSetDue] {
        let lastMonth = FieldMonth.of(clock()).adding(months: -1)
        let months = (0..<Self.window).map { lastMonth.adding(months: -($0)) }.reversed()
        var out: [DataSetDue] = []
        let users = try serviceUsers()
        for (id, user) in users.sorted(by: { $0.value.initials < $1.value.initials }) {
            let contacts = try supportedContacts(of: id)
            guard contacts.count >= Self.supportedThreshold else { continue }
            switch Engagement(try consents(for: id)) {
            case .engaged, .returned: break
            case .unknown, .disengaged: continue
            }
            let have = Set(try figures(of: id).keys)
            let missing = months.filter { !have.contains($0) }.map(\.description)
            if !missing.isEmpty {
                out.append(DataSetDue(user: RecordRef.short(id), initials: user.initials, supportedContacts: contacts.count, missing: missing))
            }
        }
        return out
    }

    /// When each supported contact took place, oldest first (bodies audited as views).
    func supportedContacts(of subject: UUID) throws -> [Date] {
        let headers = try vault.headers(subject: subject, state: .final, kind: .contact).filter(\.intact)
        guard !headers.isEmpty else { return [] }
        return try vault.read(headers.map(\.id), reason: "data set").compactMap { r in
            (try? RecordCodec.decode(Contact.self, from: r.body)).flatMap { Self.supportedKinds.contains($0.kind) ? $0.at : nil }
        }.sorted()
    }

    /// Each month's figures for a person: the newest record for the month (a correction
    /// replaces what it amends; two records for one month, the later).
    func figures(of subject: UUID) throws -> [FieldMonth: MonthlyFigures] {
        let headers = try vault.headers(subject: subject, state: .final, kind: .mds).filter(\.intact)
        guard !headers.isEmpty else { return [:] }
        var out: [FieldMonth: (Date, MonthlyFigures)] = [:]
        for r in try vault.read(headers.map(\.id), reason: "data set") {
            guard let f = try? RecordCodec.decode(MonthlyFigures.self, from: r.body) else { continue }
            let at = r.header.finalisedOrCreatedAt
            if let seen = out[f.month], seen.0 > at { continue }
            out[f.month] = (at, f)
        }
        return out.mapValues(\.1)
    }

    /// A person's charts: one per figure by month over `months` months to this month (its
    /// figures usually come next month), the month mentoring started (their first
    /// supported contact) marked.
    public func charts(user reference: String?, months: Int) throws -> ChartSheet {
        guard (1...60).contains(months) else { throw UseCaseError(.badInput, "--months: give a number of months from 1 to 60.") }
        let (id, user) = try resolveUser(reference)
        let thisMonth = FieldMonth.of(clock())
        let window = (0..<months).map { thisMonth.adding(months: -$0) }.reversed()
        let byMonth = try figures(of: id)
        let started = try supportedContacts(of: id).first.map { FieldMonth.of($0) }
        let mark = started.flatMap { s in window.firstIndex(of: s).map { window.distance(from: window.startIndex, to: $0) } }
        let charts = MDSMeasure.allCases.map { m in
            BarChart(title: m.title, bars: window.map { month in
                .init(label: month.label, value: byMonth[month]?.figure(m).value)
            }, markAt: mark)
        }
        let known = window.filter { byMonth[$0] != nil }.count
        return ChartSheet(
            title: "Demand on services: \(user.initials)",
            subtitle: "\(window.first?.label ?? "") to \(window.last?.label ?? ""); figures for \(known) of \(months) months (SIM guide §57-58). ? = not known\(started.map { "; mentoring started \($0.label)" } ?? "").",
            charts: charts)
    }

    /// The chart sheet written to `path` as PNG, SVG or PDF (by its extension; mode 0600).
    public func writeCharts(_ sheet: ChartSheet, to path: String, force: Bool) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        guard let format = ChartWriter.Format(rawValue: ext) else {
            throw UseCaseError(.badInput, "--out: give a file name ending in .png, .svg or .pdf.")
        }
        try ExportFile.checkWritable(path, force: force)
        let bytes: [UInt8]
        do { bytes = try ChartWriter(format).render(sheet) } catch { throw UseCaseError(.refused, "--out: \(error.message)") }
        try ExportFile.write(bytes, to: path, force: force)
    }
}

/// The monthly group's report (`report team`): each person's figures for the month,
/// totals, enforcement outcomes, and the ranking by intensity (SIM guide §18, §59).
public struct TeamReport: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public let rank: Int
        public let user: String
        public let initials: String
        /// Measure → the figure ("not known" stays itself); absent when no figures were recorded for the month.
        public let figures: [String: String]?
        public let contacts: Int
        public let enforcement: Int
        public let risk: String?
        /// Frequency × risk: (the month's known figures + its contacts) × the risk weight (Low 1, Medium 2, High 3).
        public let intensity: Int
    }

    public let month: String
    public let rows: [Row]
    /// Measure → the sum of the known figures; `notKnown` → how many figures are not known.
    public let totals: [String: Int]
    public let notKnown: Int
    public let missing: Int

    /// The CSV columns, in order (docs/data-set.md).
    public static let columns = ["month", "rank", "person", "initials"] + MDSMeasure.allCases.map { $0.rawValue.replacingOccurrences(of: "-", with: "_") }
        + ["contacts", "enforcement_outcomes", "risk", "intensity"]

    /// RFC 4180 CSV: a header, a row per person; a figure not known is the text `not known`, a month with no figures leaves them empty.
    public var csv: String {
        func field(_ s: String) -> String { s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"\(s.replacingOccurrences(of: "\"", with: "\"\""))\"" : s }
        var lines = [Self.columns.joined(separator: ",")]
        for r in rows {
            let figures = MDSMeasure.allCases.map { r.figures?[$0.rawValue] ?? "" }
            lines.append(([month, "\(r.rank)", r.user, r.initials] + figures + ["\(r.contacts)", "\(r.enforcement)", r.risk ?? "", "\(r.intensity)"]).map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

extension Session {
    public func teamReport(month text: String?) throws -> TeamReport {
        let now = clock()
        var month = FieldMonth.of(now).adding(months: -1)
        if let text {
            do { month = try FieldMonth.parse(text, field: "month", now: now) } catch { throw UseCaseError(.badInput, error.message) }
        }
        var rows: [DataSetRow] = []
        for (id, user) in try serviceUsers() {
            let figures = try figures(of: id)[month]
            let contacts = try supportedContacts(of: id).filter { FieldMonth.of($0) == month }.count
            let enforcement = try vault.headers(subject: id, state: .final, kind: .enforcement).filter(\.intact)
            let outcomes = try vault.read(enforcement.map(\.id), reason: "data set").compactMap { try? RecordCodec.decode(EnforcementOutcome.self, from: $0.body) }
                .filter { FieldMonth.of($0.on) == month }.count
            guard figures != nil || contacts > 0 || outcomes > 0 else { continue }
            let risk = try latestRisk(of: id)
            let weight = risk.map { $0 == .high ? 3 : $0 == .medium ? 2 : 1 } ?? 1
            rows.append(.init(id: id, user: user, figures: figures, contacts: contacts, enforcement: outcomes, risk: risk,
                              intensity: ((figures?.knownTotal ?? 0) + contacts) * weight))
        }
        rows.sort { ($0.intensity, $1.user.initials) > ($1.intensity, $0.user.initials) }
        var totals: [String: Int] = [:]
        for m in MDSMeasure.allCases { totals[m.rawValue] = rows.compactMap { $0.figures?.figure(m).value }.reduce(0, +) }
        return TeamReport(
            month: month.description,
            rows: rows.enumerated().map { i, r in
                .init(rank: i + 1, user: RecordRef.short(r.id), initials: r.user.initials,
                      figures: r.figures.map { f in Dictionary(uniqueKeysWithValues: MDSMeasure.allCases.map { ($0.rawValue, f.figure($0).description) }) },
                      contacts: r.contacts, enforcement: r.enforcement, risk: r.risk?.rawValue, intensity: r.intensity)
            },
            totals: totals, notKnown: rows.compactMap { $0.figures?.notKnownCount }.reduce(0, +), missing: rows.filter { $0.figures == nil }.count)
    }

    struct DataSetRow {
        let id: UUID
        let user: ServiceUser
        let figures: MonthlyFigures?
        let contacts: Int
        let enforcement: Int
        let risk: RiskGrade?
        let intensity: Int
    }

    /// The grade stated on the person's latest record that states one (audited as a view).
    func latestRisk(of subject: UUID) throws -> RiskGrade? {
        guard let h = try vault.headers(subject: subject, state: .final, kinds: RecordKind.allCases.filter(\.statesRisk), limit: 1).first, h.intact else { return nil }
        return try vault.read([h.id], reason: "data set").first.flatMap { RecordCodec.statedRisk($0.body) }
    }

    /// The team report as a PDF: the table as text, then each person's charts.
    public func writeTeamReport(_ report: TeamReport, to path: String, force: Bool) throws {
        let lines = report.rows.map { r in
            ReadableDocument.Line(
                label: "\(r.rank). \(r.initials) (\(r.user))",
                value: "intensity \(r.intensity) (risk \(r.risk ?? "not stated"), \(r.contacts) contacts, \(r.enforcement) enforcement outcomes); "
                    + (r.figures.map { f in MDSMeasure.allCases.map { "\($0.short) \(f[$0.rawValue] ?? "")" }.joined(separator: ", ") } ?? "no figures recorded for the month"))
        }
        let totals = MDSMeasure.allCases.map { ReadableDocument.Line(label: $0.short, value: "\(report.totals[$0.rawValue] ?? 0)") }
            + [.init(label: "Figures not known", value: "\(report.notKnown)"), .init(label: "People with no figures for the month", value: "\(report.missing)")]
        let document = ReadableDocument(
            title: "High intensity user group: \(report.month)",
            preamble: ["Made by Satchel on \(FieldDate.display(clock())) by \(vault.workerName) (\(vault.role.rawValue)).",
                       "Ranked by intensity: frequency (the month's known figures and contacts) × risk (Low 1, Medium 2, High 3). SIM guide §18, §57-59."],
            sections: [.init(heading: "Ranking", lines: lines.isEmpty ? [.init(label: "", value: "Nobody this month.")] : lines),
                       .init(heading: "Totals", lines: totals)])
        var sheets: [ChartSheet] = []
        for r in report.rows { sheets.append(try charts(user: r.user, months: Self.window)) }
        guard path.lowercased().hasSuffix(".pdf") else { throw UseCaseError(.badInput, "--pdf: give a file name ending in .pdf.") }
        try ExportFile.checkWritable(path, force: force)
        let bytes: [UInt8]
        do { bytes = try PDFWriter(typeSize: .standard).render(document, charts: sheets) } catch { throw UseCaseError(.refused, "--pdf: \(error.message)") }
        try ExportFile.write(bytes, to: path, force: force)
    }
}
