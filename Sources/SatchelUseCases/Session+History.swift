import Foundation
import SatchelCore
import SatchelStore

/// Which records `history` lists: of one kind, made since a moment, by one author.
public struct HistoryFilter: Sendable, Equatable {
    public var kind: RecordKind?
    public var since: Date?
    /// The author's worker id.
    public var authorID: String?

    public init(kind: RecordKind? = nil, since: Date? = nil, authorID: String? = nil) {
        self.kind = kind
        self.since = since
        self.authorID = authorID
    }

    func admits(_ h: RecordHeader) -> Bool {
        (kind.map { h.kind == $0 } ?? true) && (since.map { h.createdAt >= $0 } ?? true) && (authorID.map { h.authorID == $0 } ?? true)
    }
}

/// One line of `history --all`: a record, and the initials of the person it is about.
public struct TeamHistoryEntry: Sendable {
    public let initials: String
    public let entry: HistoryEntry
}

extension Session {
    /// The filter from what was typed after `--kind`, `--since` and `--author`; a value
    /// that is not allowed is refused with the flag and what it allows.
    public func historyFilter(kind: String?, since: String?, author: String?) throws -> HistoryFilter {
        var filter = HistoryFilter()
        if let kind {
            guard let k = RecordKind(rawValue: kind.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw UseCaseError(
                    .badInput, "--kind: \(FieldError.quote(kind)) is not a kind of record. Allowed: \(RecordKind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            filter.kind = k
        }
        if let since { filter.since = try Self.moment(since, now: clock()) }
        if let author { filter.authorID = try authorID(matching: author) }
        return filter
    }

    /// The first minute of a day, London time.
    static func start(of day: FieldDay) -> Date? {
        Calendar.london.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
    }

    /// A day (from its first minute, London time) or a date and time.
    static func moment(_ text: String, now: Date) throws -> Date {
        if let day = try? FieldDay.parse(text, field: "since", now: now), let start = start(of: day) {
            return start
        }
        do { return try FieldDate.parse(text, field: "since", now: now) } catch {
            throw UseCaseError(
                .badInput,
                "--since: \(FieldError.quote(text)) is not a date. Allowed: a day (today, yesterday, 23/11/2026 or 2026-11-23) or a date and time (23/11/2026 14:30).")
        }
    }

    /// The worker id of an author of records in this vault, by name (this vault's worker)
    /// or by id (its first four characters or more).
    func authorID(matching text: String) throws -> String {
        let typed = text.trimmingCharacters(in: .whitespaces)
        var authors = Set(try vault.headers().map(\.authorID))
        authors.insert(vault.workerID)
        if !typed.isEmpty, FieldText.matchKey(typed) == FieldText.matchKey(vault.workerName) { return vault.workerID }
        let hits = typed.count >= 4 ? authors.filter { $0.lowercased().hasPrefix(typed.lowercased()) } : []
        guard hits.count == 1, let hit = hits.first else {
            let ids = authors.sorted().map { String($0.prefix(8)) }.joined(separator: ", ")
            throw UseCaseError(
                .badInput,
                "--author: \(FieldError.quote(text)) is no author of records in this vault. Allowed: the author's name, or at least 4 characters of their id (\(ids)).")
        }
        return hit
    }

    /// Every service user's records, newest first, each with the person's initials (a
    /// team lead's view). Audited as views, like `history` of one person.
    public func teamHistory(filter: HistoryFilter = HistoryFilter()) throws -> [TeamHistoryEntry] {
        let users = try serviceUsers()
        let headers = try vault.headers().filter { !($0.kind == .serviceUser && $0.id == $0.subjectID) && filter.admits($0) }
        return try historyEntries(headers).map { TeamHistoryEntry(initials: initials(of: $0.header, in: users), entry: $0) }
    }
}
