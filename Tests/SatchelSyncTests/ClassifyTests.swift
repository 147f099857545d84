// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelStore
@testable import SatchelSync
import Testing

@Suite("Reply classification")
struct ClassifyTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT

    func reply(_ status: Int, _ headers: [String: String] = [:]) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers)
    }

    @Test func statuses() {
        #expect(classify(reply(200), now: now) == .success)
        #expect(classify(reply(201), now: now) == .success)
        #expect(classify(reply(401), now: now) == .auth)
        #expect(classify(reply(403), now: now) == .auth)
        #expect(classify(reply(500), now: now) == .server)
        #expect(classify(reply(502), now: now) == .server)
        for status in [400, 404, 405, 409, 412, 422] {
            #expect(classify(reply(status), now: now) == .rejected)
        }
        #expect(classify(reply(302), now: now) == .unexpected)
        #expect(classify(reply(415), now: now) == .unexpected)
        #expect(classify(reply(503), now: now) == .throttled(retryAfter: nil))
    }

    @Test func retryAfterForms() {
        #expect(classify(reply(429, ["retry-after": "120"]), now: now) == .throttled(retryAfter: 120))
        #expect(classify(reply(503, ["retry-after": "Tue, 14 Nov 2023 22:14:50 GMT"]), now: now) == .throttled(retryAfter: 90))
        #expect(classify(reply(503, ["retry-after": "Tuesday, 14-Nov-23 22:13:30 GMT"]), now: now) == .throttled(retryAfter: 10))
        #expect(classify(reply(503, ["retry-after": "Tue Nov 14 22:13:25 2023"]), now: now) == .throttled(retryAfter: 5))
        // A date in the past means "now", not a negative wait.
        #expect(classify(reply(503, ["retry-after": "Mon, 13 Nov 2023 00:00:00 GMT"]), now: now) == .throttled(retryAfter: 0))
        #expect(classify(reply(503, ["retry-after": "soon"]), now: now) == .throttled(retryAfter: nil))
        #expect(classify(reply(503, ["retry-after": "-5"]), now: now) == .throttled(retryAfter: nil))
    }

    @Test func sha256KnownVector() {
        // SHA-256("abc") from FIPS 180-4.
        let hex = Sodium.sha256(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
