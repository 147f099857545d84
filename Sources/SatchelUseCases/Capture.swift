import Foundation
import SatchelCore
import SatchelStore

/// One record being captured: which form, the record's id and subject, and what the
/// form knows of the person. The door fills the answers (prompting or from flags);
/// the session saves them.
public struct Capture {
    public let form: FormSpec
    public let id: UUID
    public let subject: UUID
    public internal(set) var context: FormContext
    /// The record this one amends (`amend`, `user update`); nil for a new record.
    public internal(set) var amends: UUID?
    /// Audit entries of the bodies opened for `context`, written with the first save.
    var reads: [ReadNote]

    public var kind: RecordKind { form.kind }
}

/// What finalising a record came to, for the door to report.
public struct CaptureReceipt: Sendable {
    public let header: RecordHeader
    /// The service user's alias (a service-user record) or the subject's initials.
    public let alias: String?
    public let initials: String?
    /// Destinations the record is queued for (none when no destination is configured).
    public let queuedFor: Int
    /// Destinations the sharing policy held the record back from.
    public let heldFrom: Int
    /// Held records a consent or disclosure released to the outbox.
    public let released: Int
    /// Queued records not yet sent that a withdrawal or refusal held back again.
    public var recalled = 0
    /// The policy could not be asked again after a consent or disclosure; the next sync asks it.
    public var reevaluationWarning: String?
    /// The letters written with it (an outcome's, a discharge's).
    public var letters: [WrittenLetter] = []
    /// What the form has to say (e.g. "Risk raised from Medium to High").
    public let note: String?
    /// A configuration problem that held the record everywhere.
    public let configWarning: String?
    /// Where the person's mentoring stands, for a mentoring record (SIM guide §20, §21):
    /// the record is kept either way, and the worker is told.
    public var standing: [String] = []
}

/// A letter a case step wrote: its id, which letter, and the letter it is a new version of
/// (the step corrected an earlier one).
public struct WrittenLetter: Sendable, Equatable {
    public let id: UUID
    public let purpose: LetterPurpose
    public let replaces: UUID?
}
