import Foundation

/// Where a record goes when it is finalised: queued for a destination, or held back
/// with the reason (the sharing policy said no, or has not been asked yet).
public enum Route: Sendable, Equatable {
    case queue
    /// Queued under a disclosure on a lawful basis: the outbox row carries the
    /// disclosure record's id, and the record is sent with its basis.
    case disclose(UUID)
    case hold(String)
}

/// A route for each destination, decided before the finalising transaction begins
/// (the decision needs consents opened from the vault, which a transaction cannot do).
public struct RoutePlan: Sendable, Equatable {
    public var routes: [String: Route]
    /// For a destination the plan does not name.
    public var otherwise: Route

    public init(_ routes: [String: Route] = [:], otherwise: Route) {
        self.routes = routes
        self.otherwise = otherwise
    }

    /// Hold everywhere until the policy has been asked.
    public static let notYetChecked = RoutePlan(otherwise: .hold(Route.notYetChecked))

    public func route(for destination: String) -> Route { routes[destination] ?? otherwise }
}

extension Route {
    public static let notYetChecked = "not yet checked against the sharing policy"
}
