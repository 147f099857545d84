import SatchelStore

extension RoutePlan {
    /// Queue everywhere: for tests of the vault alone, where no sharing policy exists.
    public static let queueEverywhere = RoutePlan(otherwise: .queue)
}
