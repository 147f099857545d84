import Testing
@testable import SatchelSync

@Suite("libcurl as Satchel needs it")
struct LinkTests {
    @Test("the linked libcurl speaks HTTPS with TLS 1.2+ and is new enough for the options we set")
    func libcurlFeatures() throws {
        let v = CurlRuntime.version
        #expect(v.supportsHTTPS)
        #expect(v.number >= 0x075500)  // 7.85.0: CURLOPT_PROTOCOLS_STR
    }
}
