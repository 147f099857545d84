import Foundation

/// What one `caseload pull` of a destination did, for the door to show.
public struct CaseloadPullSummary: Sendable, Equatable, Encodable {
    public var destination: String
    /// People in the caseload.
    public var people = 0
    /// Resources fetched and stored by this run (a resource fetched twice counts twice).
    public var stored = 0
    /// HTTP requests this run made.
    public var requests = 0
    /// The run carried on a pull that was cut before (`kill -9`, lost signal).
    public var resumed = false
    /// Incremental: only what changed since the last complete pull was asked for.
    public var incremental = false
    public var complete = false
    /// Why the pull stopped, for people; nil when complete.
    public var why: String?

    public init(destination: String) { self.destination = destination }
}
