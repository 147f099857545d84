// SPDX-License-Identifier: GPL-3.0-or-later
import SatchelSync
import Testing

@Suite("Server text reaches the vault and the terminal without control characters")
struct ServerTextTests {
    @Test(
        "control characters are dropped, line breaks become spaces",
        arguments: [
            ("\u{1B}[31mEncounter.class\u{1B}[0m is required", "Encounter.class is required"),
            ("\u{1B}[2J\u{1B}[1;1Hscreen cleared", "screen cleared"),
            ("title \u{1B}]0;owned\u{07}set", "title ]0;ownedset"),
            ("bell\u{07} here", "bell here"),
            ("nul\u{00} byte", "nul byte"),
            ("del\u{7F}ete", "delete"),
            ("line one\nline two\r\nline three\rend", "line one line two line three end"),
            ("tab\there, form\u{0C}feed, vertical\u{0B}tab", "tab here, form feed, vertical tab"),
            ("C1 CSI \u{9B}31mred", "C1 CSI red"),
            ("C1 next line\u{85}and \u{90}device control", "C1 next line and device control"),
            ("  two  spaces  kept  ", "two  spaces  kept"),
            ("\n\t \r\n", ""),
            ("Ünïcödé — “quoted” ✓", "Ünïcödé — “quoted” ✓"),
            ("", ""),
        ])
    func cleaned(raw: String, shown: String) {
        #expect(ServerText.displayable(raw) == shown)
    }

    @Test("the length is capped at 500 with an ellipsis", arguments: [(499, 499), (500, 500), (501, 500), (100_000, 500)])
    func capped(length: Int, kept: Int) {
        let text = ServerText.displayable(String(repeating: "a", count: length))
        #expect(text.unicodeScalars.count == kept)
        #expect(text.hasSuffix("…") == (length > 500))
    }

    @Test("nothing a server sends leaves a C0, DEL or C1 control in the text")
    func noControlSurvives() {
        let every = String(String.UnicodeScalarView((0...0xFF).compactMap(Unicode.Scalar.init)))
        let text = ServerText.displayable(every + "x" + every)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(text.contains("x"))
    }

    @Test("OperationOutcome text is cleaned, from a plain reply and from a batch-response entry")
    func operationOutcome() throws {
        let outcome = #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"\u001b[31mbad\u001b[0m\nvalue\u0007"},{"severity":"error","code":"invalid"}]}"#
        #expect(OperationOutcomeText.summary(body: Array(outcome.utf8)) == "bad value; invalid")
        let bundle = #"{"resourceType":"Bundle","type":"batch-response","entry":[{"response":{"status":"422","outcome":\#(outcome)}}]}"#
        let entries = try BundleResponseParser.parse(body: Array(bundle.utf8), contentType: "application/fhir+json", expectedEntries: 1)
        #expect(entries.first?.diagnostics == "bad value; invalid")
    }

    @Test("a content type or Bundle type that is not FHIR is named without its control characters")
    func responseProblems() {
        let page = #expect(throws: SyncError.self) {
            try BundleResponseParser.parse(body: [], contentType: "text/html\u{1B}[8m", expectedEntries: 1)
        }
        #expect(page?.problem == .notFHIR(contentType: "text/html"))
        let bundle = #"{"resourceType":"Bundle","type":"\u001b[5mtransaction-response"}"#
        let wrong = #expect(throws: SyncError.self) {
            try BundleResponseParser.parse(body: Array(bundle.utf8), contentType: nil, expectedEntries: 1)
        }
        #expect(wrong?.problem == .wrongBundleType("transaction-response"))
    }
}
