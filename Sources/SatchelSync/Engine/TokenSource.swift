import Foundation
import SatchelStore

/// The Authorization header for a destination: none, a bearer token sealed in the
/// vault, or an OAuth2 client-credentials token fetched with the sealed client secret
/// and cached until shortly before it expires. On a 401 the engine asks for a fresh one
/// once; a second refusal stops the sync.
public final class TokenSource {
    let destination: Destination
    let vault: Vault
    let transport: any HTTPTransport
    let clock: any SyncClock
    private var cached: (token: String, expires: Date)?

    public init(destination: Destination, vault: Vault, transport: any HTTPTransport, clock: any SyncClock) {
        self.destination = destination
        self.vault = vault
        self.transport = transport
        self.clock = clock
    }

    public func header() throws(SyncError) -> String? {
        switch destination.auth {
        case .none:
            return nil
        case .bearer:
            return "Bearer \(try sealed(.token))"
        case .oauth2(let tokenURL, let clientID):
            if let c = cached, c.expires > clock.now() { return "Bearer \(c.token)" }
            return "Bearer \(try fetch(tokenURL: tokenURL, clientID: clientID))"
        }
    }

    /// Forgets the cached token; true when a new one can be fetched (OAuth2 only).
    public func invalidate() -> Bool {
        cached = nil
        if case .oauth2 = destination.auth { return true }
        return false
    }

    private func sealed(_ kind: Destination.SecretKind) throws(SyncError) -> String {
        let secret: SecretBytes?
        do { secret = try vault.secret(destination.secretName(kind)) } catch { throw .vault(error) }
        guard let secret else {
            throw .auth("No \(kind.rawValue) for \(destination.name) is sealed in the vault. Run: satchel destination secret \(destination.name)")
        }
        defer { secret.wipe() }
        return secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    private func fetch(tokenURL: String, clientID: String) throws(SyncError) -> String {
        let secret = try sealed(.clientSecret)
        let form = [("grant_type", "client_credentials"), ("client_id", clientID), ("client_secret", secret)]
            .map { "\($0)=\(Self.formEncode($1))" }.joined(separator: "&")
        let request = HTTPRequest(
            method: "POST", url: tokenURL,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Array(form.utf8))
        let response = try transport.perform(request)
        guard response.status == 200,
              let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let token = json["access_token"] as? String, !token.isEmpty
        else {
            throw .auth("\(destination.name) refused the client credentials (HTTP \(response.status) from the token endpoint). Check the client id in config.toml and the sealed client secret.")
        }
        let lifetime = (json["expires_in"] as? Double) ?? (json["expires_in"] as? Int).map(Double.init) ?? 300
        cached = (token, clock.now().addingTimeInterval(max(0, lifetime - 30)))
        return token
    }

    static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
