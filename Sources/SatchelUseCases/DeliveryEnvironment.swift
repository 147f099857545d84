import Foundation
import SatchelStore
import SatchelSync

/// What a sync needs from the world: a connection to each destination, a clock for
/// backoff and Retry-After, and the jitter's randomness. `live` is libcurl and the
/// system clock; tests hand the session a fake server and a fake clock instead.
public struct DeliveryEnvironment {
    public var transport: (Destination) throws -> any HTTPTransport
    public var clock: any SyncClock
    public var random: () -> Double

    public init(
        transport: @escaping (Destination) throws -> any HTTPTransport, clock: any SyncClock,
        random: @escaping () -> Double = { Double.random(in: 0...1) }
    ) {
        self.transport = transport
        self.clock = clock
        self.random = random
    }
}

extension DeliveryEnvironment {
    /// libcurl with each destination's TLS settings (the client key's passphrase from
    /// `secret`), the system clock, real jitter.
    static func live(secret: @escaping (String) throws -> SecretBytes?) -> DeliveryEnvironment {
        DeliveryEnvironment(transport: { try curl($0, secret: secret) }, clock: SystemClock())
    }

    /// A libcurl handle set up for one destination.
    static func curl(_ d: Destination, secret: (String) throws -> SecretBytes?) throws -> CurlEasy {
        try CurlEasy(settings: d.transportSettings(keyPassphrase: try secret(d.secretName(.keyPassphrase))))
    }
}
