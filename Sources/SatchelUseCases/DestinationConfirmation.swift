import SatchelSync

/// Whether a destination is confirmed as config.toml defines it now. Only a confirmed
/// destination is registered, released to, sent to or asked for a token; the rest are
/// named by `sync`, `status` and `destination list` with what to run.
public enum DestinationConfirmation: Sendable, Equatable {
    /// The vault holds the worker's confirmation of exactly this definition.
    case confirmed
    /// In config.toml, never registered in this vault.
    case new
    /// Registered by an older Satchel, which kept no definition to compare with.
    case neverConfirmed
    /// config.toml differs from the confirmed definition (the settings that differ).
    case changed([DestinationChange])
    /// The confirmed definition in the vault does not open: it was changed outside
    /// Satchel. The destination is refused with this message.
    case damaged(String)
    /// Registered in the vault, no longer in config.toml: nothing is sent to it.
    case notConfigured

    public var isConfirmed: Bool { self == .confirmed }

    /// What the worker is told about destination `name`; nil when it is confirmed.
    public func message(for name: String) -> String? {
        let run = "Run `satchel destination confirm \(name)`."
        switch self {
        case .confirmed: return nil
        case .new: return "destination \(name) is new. \(run)"
        case .neverConfirmed: return "destination \(name) was registered by an older Satchel and never confirmed. \(run)"
        case .changed(let changes):
            let what = changes.isEmpty ? "" : " (\(changes.map(\.description).joined(separator: "; ")))"
            return "destination \(name) changed since you confirmed it\(what). \(run)"
        case .damaged(let message): return message
        case .notConfigured: return "\(name) is not in the configuration any more"
        }
    }
}

/// One setting of a destination that differs from the definition the worker confirmed.
public struct DestinationChange: Sendable, Equatable, CustomStringConvertible {
    /// The config.toml key.
    public let key: String
    public let confirmed: String
    public let now: String

    public var description: String { "\(key): \(confirmed) → \(now)" }
}

/// A configured destination as `destination confirm` (or `destination add`) shows it
/// before the worker confirms: what it is now, and what changed.
public struct DestinationReview: Sendable {
    public let name: String
    /// `.confirmed` when there is nothing to confirm.
    public let state: DestinationConfirmation
    /// Every setting that is set, by its config.toml key.
    public let settings: [Setting]
    /// The FHIR server's host and the token URL's host, when they differ.
    public let crossHostTokenURL: CrossHost?
    let definition: DestinationDefinition

    public struct Setting: Sendable, Equatable {
        public let key: String
        public let value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public struct CrossHost: Sendable, Equatable {
        public let fhirHost: String
        public let tokenHost: String

        public init(fhirHost: String, tokenHost: String) {
            self.fhirHost = fhirHost
            self.tokenHost = tokenHost
        }
    }

    init(name: String, state: DestinationConfirmation, definition: DestinationDefinition) {
        self.name = name
        self.state = state
        self.definition = definition
        settings = definition.settings.filter { $0.value != "(not set)" }.map { Setting(key: $0.key, value: $0.value) }
        crossHostTokenURL = definition.crossHostTokenURL.map { CrossHost(fhirHost: $0.fhirHost, tokenHost: $0.tokenHost) }
    }
}
