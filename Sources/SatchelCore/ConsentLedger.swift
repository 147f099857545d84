import Foundation

/// Answers "is this consented right now?" from the consents on record.
///
/// The latest decision for a (scope, with) pair wins, so a withdrawal or refusal
/// takes effect for everything recorded after it, and a later `given` restores it.
/// Latest means the greatest `recordedAt`; on equal times the later entry in the
/// list wins. Names and agencies match case-insensitively with whitespace trimmed
/// and inner runs of spaces collapsed.
///
/// Review dates do not expire a consent; they are reminders only.
public struct ConsentLedger: Sendable, Equatable {
    /// A consent with the time it was recorded.
    public struct Entry: Sendable, Equatable {
        public let consent: Consent
        public let recordedAt: Date

        public init(consent: Consent, recordedAt: Date) {
            self.consent = consent
            self.recordedAt = recordedAt
        }
    }

    public let entries: [Entry]
    /// True when a consent record for this person failed its integrity check: the
    /// ledger cannot be trusted, so nothing is shared on it (`SharingPolicy`).
    public let damaged: Bool

    public init(_ entries: [Entry], damaged: Bool = false) {
        self.entries = entries
        self.damaged = damaged
    }

    /// The latest decision for `scope` with `who`, considering only entries recorded
    /// at or before `asOf` (all entries when nil). Nil when nothing is on record.
    public func decision(scope: ConsentScope, with who: String, asOf: Date? = nil) -> ConsentDecision? {
        latest(scope: scope, with: who, asOf: asOf)?.decision
    }

    /// The latest consent record for `scope` with `who`.
    public func latest(scope: ConsentScope, with who: String, asOf: Date? = nil) -> Consent? {
        latestEntry(scope: scope, withAnyOf: [who], asOf: asOf)?.consent
    }

    /// The latest entry for `scope` with any of `names` (one party known by several
    /// names), recorded at or before `asOf`; on a tie, the later in the list wins.
    public func latestEntry(scope: ConsentScope, withAnyOf names: [String], asOf: Date? = nil) -> Entry? {
        let keys = Set(names.map(FieldText.matchKey))
        var best: Entry?
        for entry in entries where entry.consent.scope == scope && keys.contains(FieldText.matchKey(entry.consent.with)) {
            if let asOf, entry.recordedAt > asOf { continue }
            if let current = best, entry.recordedAt < current.recordedAt { continue }
            best = entry
        }
        return best
    }

    /// Whether the person's share decisions about an agency (known by any of `names`)
    /// cover a record written at `recordAt`: the latest decision must be given, and a
    /// consent covers what is written from the moment it is given — or from the start
    /// of its `coversFrom` day. Consents given one after another without a refusal or
    /// withdrawal between them (a renewal at review) keep covering what the first one
    /// did. A refusal or withdrawal is never overridden by a consent that does not say it
    /// covers the time it applied to.
    public func shareCoverage(withAnyOf names: [String], recordAt: Date, calendar: Calendar = .london) -> ShareCoverage {
        let keys = Set(names.map(FieldText.matchKey))
        // Oldest first; on equal times the later in the list is the later decision.
        let decisions = entries.enumerated()
            .filter { $0.element.consent.scope == .share && keys.contains(FieldText.matchKey($0.element.consent.with)) }
            .sorted { ($0.element.recordedAt, $0.offset) < ($1.element.recordedAt, $1.offset) }
            .map(\.element)
        guard let latest = decisions.last else { return .none }
        switch latest.consent.decision {
        case .refused: return .refused(on: latest.recordedAt)
        case .withdrawn: return .withdrawn(on: latest.recordedAt)
        case .given: break
        }
        let run = decisions.reversed().prefix { $0.consent.decision == .given }
        let day = FieldDay.on(recordAt, calendar: calendar)
        for entry in run {
            if let from = entry.consent.coversFrom, !(day < from) { return .covered }
            if recordAt >= entry.recordedAt { return .covered }
        }
        let first = run.last ?? latest
        return .notYet(givenOn: first.recordedAt, coversFrom: run.compactMap(\.consent.coversFrom).min())
    }

    /// What the share decisions say about one record (`shareCoverage`).
    public enum ShareCoverage: Sendable, Equatable {
        case covered
        /// Nothing on record about sharing with this agency.
        case none
        case refused(on: Date)
        case withdrawn(on: Date)
        /// Given, but after the record was written (and not said to cover it).
        case notYet(givenOn: Date, coversFrom: FieldDay?)
    }

    /// True when the latest `involve` decision for `person` is `given`.
    public func isInvolvementConsented(_ person: String, asOf: Date? = nil) -> Bool {
        decision(scope: .involve, with: person, asOf: asOf) == .given
    }

    /// True when the latest `share` decision for `agency` is `given`.
    public func isSharingConsented(with agency: String, asOf: Date? = nil) -> Bool {
        decision(scope: .share, with: agency, asOf: asOf) == .given
    }

    /// Throws a `--present` error unless `person` has a current involvement consent.
    ///
    /// - nothing on record: `--present: no involvement consent on record for "Aunt Testy". Record it first: consent add --scope involve --with "Aunt Testy" --decision given`
    /// - latest is withdrawn/refused: `--present: involvement consent for "Aunt Testy" was withdrawn. Only record them as present once they consent again: consent add --scope involve --with "Aunt Testy" --decision given`
    public func requireInvolvement(_ person: String, field: String = "present", asOf: Date? = nil) throws(FieldError) {
        let name = person.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        let command = "consent add --scope involve --with \"\(name)\" --decision given"
        switch decision(scope: .involve, with: person, asOf: asOf) {
        case .given:
            return
        case nil:
            throw FieldError.on(field, "no involvement consent on record for \"\(name)\". Record it first: \(command)")
        case .some(let other):
            throw FieldError.on(field, "involvement consent for \"\(name)\" was \(other.rawValue). Only record them as present once they consent again: \(command)")
        }
    }
}
