import Foundation
import Testing
@testable import SatchelSync

/// What the worker confirms of a destination: the settings that decide where records
/// and secrets go, in one canonical encoding.
@Suite("Destination definitions")
struct DestinationDefinitionTests {
    static let full = """
        [destination.nhs-epr]
        url = "https://fhir.example.invalid/R4/"
        kinds = ["contact", "risk"]
        agency = ["NHS", "nhs-epr"]
        auth = "oauth2-client-credentials"
        token-url = "https://login.example.invalid/oauth2/token"
        client-id = "satchel"
        ca-file = "/etc/satchel/nhs-ca.pem"
        pinned-keys = ["sha256//BBBB", "sha256//AAAA"]
        batch-size = 10
        transfer-timeout = 60
        """

    func definition(_ toml: String) throws -> DestinationDefinition {
        let d = try #require(try SatchelConfig.parse(toml).destinations.first)
        return DestinationDefinition(d)
    }

    @Test("the canonical encoding: sorted keys as in config.toml, sorted lists, effective values, unset settings absent")
    func canonical() throws {
        let bytes = try definition(Self.full).encoded()
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"agency":["NHS","nhs-epr"],"allow-loopback-http":false,"auth":"oauth2-client-credentials","ca-file":"/etc/satchel/nhs-ca.pem","client-id":"satchel","kinds":["contact","risk","service-user"],"pinned-keys":["sha256//AAAA","sha256//BBBB"],"token-url":"https://login.example.invalid/oauth2/token","url":"https://fhir.example.invalid/R4"}"#)
        #expect(DestinationDefinition.decode(bytes) == (try definition(Self.full)))
        #expect(DestinationDefinition.decode(Array("not json".utf8)) == nil)
    }

    @Test("two spellings of one destination are one definition; timeouts and the batch size are not part of it")
    func sameDestination() throws {
        let other = """
            [destination.nhs-epr]
            url = "https://fhir.example.invalid/R4"
            kinds = ["risk", "service-user", "contact"]
            agency = ["nhs-epr", "NHS"]
            auth = "oauth2-client-credentials"
            token-url = "https://login.example.invalid/oauth2/token"
            client-id = "satchel"
            ca-file = "/etc/satchel/nhs-ca.pem"
            pinned-keys = ["sha256//AAAA", "sha256//BBBB"]
            """
        #expect(try definition(other).encoded() == definition(Self.full).encoded())
        // The agency defaults to the destination's name.
        #expect(try definition("[destination.p]\nurl = \"https://p.invalid\"\nagency = [\"p\"]")
            == definition("[destination.p]\nurl = \"https://p.invalid\""))
    }

    @Test("every setting that decides where data and secrets go is in the definition", arguments: [
        ("url", #"url = "https://elsewhere.invalid/R4""#),
        ("token-url", #"token-url = "https://login.example.invalid/other""#),
        ("client-id", #"client-id = "someone-else""#),
        ("ca-file", #"ca-file = "/tmp/other-ca.pem""#),
        ("ca-path", #"ca-path = "/tmp/ca.d""#),
        ("pinned-keys", #"pinned-keys = ["sha256//CCCC"]"#),
        ("client-cert", #"client-cert = "/tmp/client.pem""#),
        ("client-key", #"client-key = "/tmp/client.key""#),
        ("proxy", #"proxy = "http://proxy.invalid:3128""#),
        ("no-proxy", #"no-proxy = "example.invalid""#),
        ("agency", #"agency = ["police"]"#),
        ("kinds", #"kinds = ["contact", "risk", "top"]"#),
    ])
    func everySetting(key: String, line: String) throws {
        let lines = Self.full.split(separator: "\n").map(String.init)
        let changed = (lines.filter { !$0.hasPrefix("\(key) =") } + [line]).joined(separator: "\n")
        let changes = try definition(changed).changes(since: definition(Self.full))
        #expect(changes.map(\.key) == [key])
        #expect(try definition(changed) != definition(Self.full))
    }

    @Test("auth and allow-loopback-http are in it too; the changes read old → new in the file's order")
    func changes() throws {
        let before = try definition("[destination.t]\nurl = \"https://127.0.0.1:8443/R4\"\nauth = \"bearer\"")
        let after = try definition("[destination.t]\nurl = \"http://127.0.0.1:8080/R4\"\nallow-loopback-http = true")
        let changes = after.changes(since: before)
        #expect(changes.map(\.key) == ["url", "auth", "allow-loopback-http"])
        #expect(changes.first?.confirmed == "https://127.0.0.1:8443/R4")
        #expect(changes.first?.now == "http://127.0.0.1:8080/R4")
        #expect(changes.last.map { "\($0.confirmed) → \($0.now)" } == "false → true")
    }

    @Test("a token URL on another host than the FHIR URL is named; the same host with another port is not")
    func crossHost() throws {
        let cross = try #require(try definition(Self.full).crossHostTokenURL)
        #expect(cross.fhirHost == "fhir.example.invalid")
        #expect(cross.tokenHost == "login.example.invalid")
        let same = """
            [destination.t]
            url = "https://FHIR.example.invalid/R4"
            auth = "oauth2-client-credentials"
            token-url = "https://fhir.example.invalid:8443/token"
            client-id = "satchel"
            """
        #expect(try definition(same).crossHostTokenURL == nil)
        #expect(try definition("[destination.t]\nurl = \"https://x.invalid\"\nauth = \"bearer\"").crossHostTokenURL == nil)
    }

    @Test("a folder destination's definition is its folder, agency and kinds; moving it, or making it a server, is a change to confirm")
    func folder() throws {
        let d = try definition("[destination.police]\nfolder = \"/mnt/niche/satchel\"\nkinds = [\"contact\"]")
        #expect(String(decoding: d.encoded(), as: UTF8.self) == #"{"agency":["police"],"allow-loopback-http":false,"auth":"none","folder":"/mnt/niche/satchel","kinds":["contact","service-user"],"pinned-keys":[]}"#)
        #expect(d.settings.map(\.key) == ["folder", "agency", "kinds"])
        let moved = try definition("[destination.police]\nfolder = \"/mnt/other\"\nkinds = [\"contact\"]")
        #expect(moved.changes(since: d).map { "\($0.key): \($0.confirmed) → \($0.now)" } == ["folder: /mnt/niche/satchel → /mnt/other"])
        let server = try definition("[destination.police]\nurl = \"https://x.invalid\"\nkinds = [\"contact\"]")
        #expect(server.changes(since: d).map(\.key) == ["url", "folder"])
        #expect(d.crossHostTokenURL == nil)
    }
}
