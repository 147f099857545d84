import Foundation
import SatchelCore
import Testing
@testable import SatchelSync

@Suite("config.toml")
struct ConfigTests {
    @Test("a full destination reads back with every setting")
    func full() throws {
        let c = try SatchelConfig.parse("""
            # the NHS record
            [destination.nhs-epr]
            url = "https://fhir.example.invalid/R4/"
            kinds = ["contact", "risk", "top"]   # and the Patient, always
            agency = ["nhs-epr", "NHS"]
            auth = "oauth2-client-credentials"
            token-url = "https://fhir.example.invalid/token"
            client-id = "satchel"
            ca-file = "/etc/satchel/ca.pem"
            ca-path = "/etc/satchel/ca.d"
            pinned-keys = ["sha256//AAAA"]
            connect-timeout = 10
            low-speed-time = 20
            transfer-timeout = 600
            batch-size = 50
            """)
        let d = try #require(c.destinations.first)
        #expect(d.name == "nhs-epr")
        #expect(d.baseURL == "https://fhir.example.invalid/R4")
        #expect(d.rule.kinds == [.contact, .risk, .top, .serviceUser])
        #expect(d.rule.agencyNames == ["nhs-epr", "NHS"])
        #expect(d.auth == .oauth2(tokenURL: "https://fhir.example.invalid/token", clientID: "satchel"))
        #expect(d.caFile == "/etc/satchel/ca.pem")
        #expect(d.caPath == "/etc/satchel/ca.d")
        #expect(d.pinnedKeys == ["sha256//AAAA"])
        #expect(d.connectTimeout == 10)
        #expect(d.lowSpeedTime == 20)
        #expect(d.transferTimeout == 600)
        #expect(d.transportSettings(keyPassphrase: nil).totalTimeout == 600)
        #expect(d.batchSize == 50)
        #expect(d.secretName(.clientSecret) == "nhs-epr.client-secret")
    }

    @Test(
        "mistakes are named with the key and what is allowed",
        arguments: [
            ("[destination.a]\nurl = \"http://fhir.example.invalid\"",
             "destination.a.url: plain http is refused (records would cross the network in clear). Use https; http is allowed only to a loopback address with allow-loopback-http = true, for tests."),
            ("[destination.a]\nurl = \"ftp://x.invalid\"", "destination.a.url: the scheme ftp is not allowed. Use https."),
            ("[destination.a]\nkinds = [\"contact\"]", "destination.a.url: required (the FHIR base URL, https://…), or folder (an absolute path to a folder, for a system without an API)."),
            ("[destination.a]\nurl = \"https://x.invalid\"\nkinds = [\"visit\"]",
             "destination.a.kinds: \"visit\" is not a record kind. Allowed: service-user, contact, risk, top, consent, boundary, capacity, permission, death, disclosure, plan, referral, outcome, review, discharge, letter, mds, enforcement."),
            ("[destination.a]\nurl = \"https://x.invalid\"\nbatch-size = 0", "destination.a.batch-size: 0.0 is out of range. Allowed: 1-500."),
            ("[destination.a]\nurl = \"https://x.invalid\"\ntransfer-timeout = 5",
             "destination.a.transfer-timeout: 5.0 is out of range. Allowed: 10-3,600."),
            ("[destination.a]\nurl = \"https://x.invalid\"\ntransfer-timeout = \"long\"",
             "destination.a.transfer-timeout: must be a number, not a string."),
            ("[destination.a]\nurl = \"https://x.invalid\"\nauth = \"basic\"",
             "destination.a.auth: \"basic\" is not allowed. Allowed: none, bearer, oauth2-client-credentials."),
            ("[destination.a]\nurl = \"https://x.invalid\"\ntimeout = 3",
             "destination.a.timeout: unknown setting. Allowed: agency, allow-loopback-http, auth, batch-size, ca-file, ca-path, caseload, caseload-encounters, caseload-keep-days, client-cert, client-id, client-key, connect-timeout, folder, kinds, low-speed-limit, low-speed-time, no-proxy, pinned-keys, proxy, token-url, transfer-timeout, url."),
            ("[destination.a]\nurl = https://x.invalid", "line 2: a value must be a quoted string, a number, true/false or a [list]"),
            ("[destination.a]\nurl = \"https://x.invalid", "line 2: a string is not closed"),
            ("[destination.a]\nurl = \"https://x.invalid\"\nurl = \"https://y.invalid\"", "line 3: url is set twice"),
            ("[server]\nurl = \"https://x.invalid\"", "[server]: unknown table. Allowed: [destination.NAME], [risk-matrix], [retention]."),
            ("[destination.a]\nurl = \"https://x.invalid\"\npinned-keys = [\"abc\"]",
             "destination.a.pinned-keys: \"abc\" is not a pin. Use sha256//BASE64 (the public key's SHA-256)."),
            ("[destination.a]\nfolder = \"mnt/niche\"",
             "destination.a.folder: must be an absolute path to a folder (starting with /, not / itself), e.g. /mnt/niche/satchel."),
            ("[destination.a]\nfolder = \"/\"",
             "destination.a.folder: must be an absolute path to a folder (starting with /, not / itself), e.g. /mnt/niche/satchel."),
            ("[destination.a]\nfolder = \"/mnt/niche/../etc\"",
             "destination.a.folder: must be a plain absolute path, without . or .. parts, e.g. /mnt/niche/satchel."),
            ("[destination.a]\nfolder = [\"/mnt/niche\"]", "destination.a.folder: must be a quoted string, not a list."),
            ("[destination.a]\nfolder = \"/mnt/niche\"\nurl = \"https://x.invalid\"",
             "destination.a.url: not used by a folder destination (folder = …). Allowed with folder: agency, folder, kinds."),
            ("[destination.a]\nfolder = \"/mnt/niche\"\nauth = \"bearer\"",
             "destination.a.auth: not used by a folder destination (folder = …). Allowed with folder: agency, folder, kinds."),
            ("[destination.a]\nurl = \"https://x.invalid\"\ncaseload = \"Patient/x\"",
             "destination.a.caseload: must name the team's caseload on the server as Group/ID or List/ID, e.g. Group/team-north."),
            ("[destination.a]\nfolder = \"/mnt/niche\"\ncaseload = \"Group/x\"",
             "destination.a.caseload: not used by a folder destination (folder = …). Allowed with folder: agency, folder, kinds."),
        ])
    func mistakes(text: String, message: String) {
        #expect(throws: SyncError.config(message)) { try SatchelConfig.parse(text) }
    }

    @Test("a folder destination: an absolute path, normalised, with the sharing rule as for any destination")
    func folder() throws {
        let c = try SatchelConfig.parse("[destination.police]\nfolder = \"/mnt/niche//satchel/\"\nkinds = [\"contact\"]\nagency = [\"police\"]")
        let d = try #require(c.destinations.first)
        #expect(d.endpoint == .folder(path: "/mnt/niche/satchel"))
        #expect(d.folder == "/mnt/niche/satchel")
        #expect(d.location == "folder /mnt/niche/satchel")
        #expect(d.rule.kinds == [.contact, .serviceUser])
        #expect(d.rule.agencyNames == ["police"])
    }

    @Test("[risk-matrix] is the team's banding; without it, Satchel's own default")
    func riskMatrix() throws {
        #expect(try SatchelConfig.parse("").riskMatrix == .satchel)
        let c = try SatchelConfig.parse("""
            [risk-matrix]
            id = "testshire-rqm"
            version = 2
            medium-from = 4
            high-from = 10
            """)
        #expect(c.riskMatrix == (try RiskMatrix(id: "testshire-rqm", version: 2, mediumFrom: 4, highFrom: 10)))
    }

    @Test("[retention] purge-after-days: off without it, a number of days with it")
    func retention() throws {
        #expect(try SatchelConfig.parse("").purgeAfterDays == nil)
        #expect(try SatchelConfig.parse("[retention]\npurge-after-days = 30").purgeAfterDays == 30)
        #expect(try SatchelConfig.parse("[retention]\npurge-after-days = 0").purgeAfterDays == 0)
    }

    static let days = "a whole number of days from 0 to 3650, counted from a record's last delivery"

    @Test(arguments: [
        ("[retention]\npurge-after-days = -1", "retention.purge-after-days: -1 is out of range. Allowed: \(days)."),
        ("[retention]\npurge-after-days = 5000", "retention.purge-after-days: 5000 is out of range. Allowed: \(days)."),
        ("[retention]\npurge-after-days = \"a month\"", "retention.purge-after-days: must be a whole number, not a string."),
        ("[retention]\npurge-after-days = 1.5", "retention.purge-after-days: 1.5 is not a whole number."),
        ("[retention]\nkeep-days = 3", "retention.keep-days: unknown setting. Allowed: purge-after-days."),
        ("[retention]", "retention.purge-after-days: required (\(days)); leave out [retention] to purge only with `satchel purge`."),
    ])
    func retentionMistakes(text: String, message: String) {
        #expect(throws: SyncError.config(message)) { try SatchelConfig.parse(text) }
    }

    static let matrix = "[risk-matrix]\nid = \"testshire-rqm\"\nversion = 2\n"

    @Test(arguments: [
        (matrix + "medium-from = 4", "risk-matrix.high-from: required (the lowest score graded High; 2 ≤ medium-from < high-from ≤ 25 (scores are likelihood × impact, 1-25))."),
        (matrix + "medium-from = 12\nhigh-from = 9", "risk-matrix.high-from: 9 is out of range. Allowed: 2 ≤ medium-from < high-from ≤ 25 (scores are likelihood × impact, 1-25)."),
        (matrix + "medium-from = 1\nhigh-from = 9", "risk-matrix.medium-from: 1 is out of range. Allowed: 2 ≤ medium-from < high-from ≤ 25 (scores are likelihood × impact, 1-25)."),
        (matrix + "medium-from = 4.5\nhigh-from = 9", "risk-matrix.medium-from: 4.5 is not a whole number."),
        (matrix + "medium-from = 4\nhigh-from = 9\nextreme-from = 20", "risk-matrix.extreme-from: unknown setting. Allowed: high-from, id, medium-from, version."),
        ("[risk-matrix]\nversion = 2\nmedium-from = 4\nhigh-from = 9", "risk-matrix.id: required (the matrix's name: 1-40 lower-case letters, digits or -, starting with a letter)."),
        ("[risk-matrix]\nid = \"testshire-rqm\"\nversion = 0\nmedium-from = 4\nhigh-from = 9", "risk-matrix.version: 0 is not a version. Allowed: a whole number from 1; raise it whenever the bands change."),
        ("[risk-matrix]\nid = \"satchel-5x5\"\nversion = 2\nmedium-from = 4\nhigh-from = 9", "risk-matrix.id: \"satchel-5x5\" is Satchel's own default matrix. Name your team's matrix, e.g. \"testshire-rqm\"."),
    ])
    func riskMatrixMistakes(text: String, message: String) {
        #expect(throws: SyncError.config(message)) { try SatchelConfig.parse(text) }
    }

    @Test("http to a loopback address only when allowed, for tests")
    func loopback() throws {
        let c = try SatchelConfig.parse("[destination.t]\nurl = \"http://127.0.0.1:8080/fhir\"\nallow-loopback-http = true")
        #expect(c.destinations.first?.baseURL == "http://127.0.0.1:8080/fhir")
        #expect(c.destinations.first?.transferTimeout == 300)
    }

    /// The same text with CRLF line ends.
    static func crlf(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\r\n") }

    @Test(
        "lists written by hand: over several lines, with comments and a trailing comma, LF or CRLF",
        arguments: [
            ("k = [\n  \"contact\",   # visits\n  \"risk\",\n  # \"top\" once agreed\n  \"consent\",\n]",
             TOMLValue.array([.string("contact"), .string("risk"), .string("consent")])),
            ("k = [\"a\",\n     \"b\"]  # closed on the last item's line", .array([.string("a"), .string("b")])),
            ("k = [\n]", .array([])),
            ("k = [ # nothing yet\n  # still nothing\n]", .array([])),
            ("k = [1, 2,]", .array([.integer(1), .integer(2)])),
            ("k = [\n  [1, 2],\n  [3,\n   4],\n]", .array([.array([.integer(1), .integer(2)]), .array([.integer(3), .integer(4)])])),
            ("k = [\n\n  true,\n\n  'literal # not a comment',\n\n]", .array([.bool(true), .string("literal # not a comment")])),
        ])
    func multiLineLists(text: String, value: TOMLValue) throws {
        for variant in [text, Self.crlf(text)] {
            let doc = try TOMLSubset.parse(variant + "\nafter = 1")
            #expect(doc == [[]: ["k": value, "after": .integer(1)]], "\(String(reflecting: variant))")
        }
    }

    @Test(
        "mistakes in a list name the line, with LF or CRLF",
        arguments: [
            ("k = [\n  \"a\"\n  \"b\"\n]", "line 3: expected \",\" or \"]\" in the list"),
            ("x = 1\nk = [\n  \"a\",\n", "line 2: a list is not closed (\"]\" is missing)"),
            ("k = [\n  \"a\",\n  \"b\n]", "line 3: a string is not closed"),
            ("k = [\n  ,\n]", "line 2: a value must be a quoted string, a number, true/false or a [list]"),
            ("k = [\n  1,\n] x", "line 3: unexpected \"x\" after the value"),
            ("k = [\n  1,\n]\nk = 2", "line 4: k is set twice"),
            ("k =\nv = 1", "line 1: a value is missing after ="),
        ])
    func listMistakes(text: String, message: String) {
        for variant in [text, Self.crlf(text)] {
            let error = #expect(throws: SyncError.self, "\(String(reflecting: variant))") { try TOMLSubset.parse(variant) }
            #expect(error?.code == .config, "\(String(reflecting: variant))")
            #expect(error?.description == message, "\(String(reflecting: variant))")
        }
    }

    @Test("a destination written with multi-line lists reads like one written on one line; its mistakes still name the key")
    func multiLineDestination() throws {
        let c = try SatchelConfig.parse(Self.crlf("""
            [destination.nhs-epr]
            url = "https://fhir.example.invalid/R4"
            kinds = [
                "contact",
                "risk",  # and the Patient, always
            ]
            agency = [
                "nhs-epr",
                "NHS",
            ]
            batch-size = 50
            """))
        let d = try #require(c.destinations.first)
        #expect(d.rule.kinds == [.contact, .risk, .serviceUser])
        #expect(d.rule.agencyNames == ["nhs-epr", "NHS"])
        #expect(d.batchSize == 50)
        #expect(throws: SyncError.config("destination.a.kinds: \"visit\" is not a record kind. Allowed: service-user, contact, risk, top, consent, boundary, capacity, permission, death, disclosure, plan, referral, outcome, review, discharge, letter, mds, enforcement.")) {
            try SatchelConfig.parse("[destination.a]\nurl = \"https://x.invalid\"\nkinds = [\n  \"contact\",\n  \"visit\",\n]")
        }
    }

    @Test("strings round-trip through quote and parse, escapes included")
    func quoting() throws {
        for s in ["plain", "with \"quotes\" and \\ backslash", "tab\tand\nnewline", "ünïcödé"] {
            let doc = try TOMLSubset.parse("k = \(TOMLSubset.quote(s))")
            #expect(doc[[]]?["k"] == .string(s))
        }
    }
}
