import Foundation
import SatchelCore
import SatchelStore

/// SIM guide §53: "The ICO recommends that whenever personal data is shared between
/// organisations, that the service user is informed by being issued with a Personal
/// Notice." `queue` and `sync` name each person whose records are queued for, or were
/// delivered to, a destination while no privacy notice is on record for them (their
/// latest `consent --scope privacy-notice` decision, with anyone, is not `given`).
extension Session {
    /// One person whose records are shared with no privacy notice on record.
    public struct PrivacyNoticeGap: Sendable, Equatable, Encodable {
        /// The short id (the first 8 characters), as `status` names people.
        public let person: String
        public let initials: String
        /// The destinations their records are queued for or were delivered to, sorted.
        public let destinations: [String]

        /// The warning, with what to run; initials and short id only.
        public var warning: String {
            "No privacy notice is on record for \(initials) (\(person)), whose records are queued for or delivered to \(destinations.joined(separator: ", ")) (SIM guide §53: \"whenever personal data is shared between organisations … the service user is informed by being issued with a Personal Notice\"). Once it is served, record it: consent add --user \(person) --scope privacy-notice --with SERVICE --decision given"
        }
    }

    /// The people whose records are pending, in flight or delivered for a destination (all,
    /// or those named) with no privacy notice on record, sorted by short id. Rows and
    /// records that fail their integrity check are left out (`queue` names them). Their
    /// consents are opened, audited as a view ("privacy notice check").
    public func privacyNoticeGaps(destinations names: [String]? = nil) throws -> [PrivacyNoticeGap] {
        // One pass over the outbox, a row at a time (the check runs after every sync,
        // whatever the queue's length), checking a row and its record per (person, destination).
        let shared = try vault.sharedPeople(states: [.pending, .inFlight, .delivered], destinations: names)
        guard !shared.isEmpty else { return [] }
        let ledgers = try consentLedgers(of: Set(shared.keys), reason: "privacy notice check")
        let users = try serviceUsers()
        return shared.compactMap { subject, destinations -> PrivacyNoticeGap? in
            let notice = ledgers[subject]?.entries.last { $0.consent.scope == .privacyNotice }
            guard notice?.consent.decision != .given else { return nil }
            return PrivacyNoticeGap(person: Self.short(subject), initials: users[subject]?.initials ?? "?", destinations: destinations.sorted())
        }.sorted { $0.person < $1.person }
    }
}

extension [Session.PrivacyNoticeGap] {
    /// The short ids of the people without a privacy notice whose records go to
    /// `destination`; nil when none (so `--json` output is unchanged then).
    public func people(for destination: String) -> [String]? {
        let people = filter { $0.destinations.contains(destination) }.map(\.person)
        return people.isEmpty ? nil : people
    }
}
