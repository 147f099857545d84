/// How a resource is written to the central system.
public enum WriteMode: Sendable, Equatable {
    /// `PUT [type]/[id]` with the client's id (needs `updateCreate`).
    case putWithClientIDs
    /// `POST [type]` with `ifNoneExist: identifier=<system>|<value>`.
    case conditionalCreate
}
