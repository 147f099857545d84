// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: what a FHIR server sends back (SatchelSync BundleResponseParser,
// CapabilityParser, OperationOutcomeText, classify/Retry-After, JSONValue). See
// fuzz/README.md.
//
// An input is either a bare body (taken as a 200 with Content-Type
// application/fhir+json), or a whole reply: "HTTP/1.1 429 ...", header lines, an empty
// line, the body.
import Foundation
import SatchelSync
import FuzzSupport

let now = Date(timeIntervalSince1970: 1_795_444_200)  // 2026-11-23 14:30 GMT

func broken(_ what: String, _ bytes: [UInt8]) -> Never {
    fatalError("invariant broken: \(what) for input \(String(reflecting: String(decoding: bytes.prefix(512), as: UTF8.self)))")
}

/// Splits "HTTP/1.1 NNN reason\r\nName: value\r\n\r\nbody" the way ResponseCollector
/// keeps it: lowercased names, trimmed values, the last of a repeated header wins.
func reply(_ bytes: [UInt8]) -> HTTPResponse {
    let standard = ["content-type": "application/fhir+json; charset=utf-8"]
    guard bytes.starts(with: Array("HTTP/".utf8)) else { return HTTPResponse(status: 200, headers: standard, body: bytes) }
    var lines: [String] = []
    var start = 0
    var bodyStart = bytes.count
    while start < bytes.count {
        let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        var line = bytes[start..<end]
        if line.last == 0x0D { line = line.dropLast() }
        start = end + 1
        if line.isEmpty {
            bodyStart = min(start, bytes.count)
            break
        }
        lines.append(String(decoding: line, as: UTF8.self))
    }
    let statusWords = lines.first?.split(separator: " ") ?? []
    let status = statusWords.count > 1 ? Int(statusWords[1]) ?? 0 : 0
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        let name = line[..<colon].lowercased()
        guard !name.isEmpty, !name.contains(" "), !name.contains("\t") else { continue }
        headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
    }
    return HTTPResponse(status: status, headers: headers, body: Array(bytes[bodyStart...]))
}

func parseBundle(_ r: HTTPResponse, expected: Int) -> Result<[EntryOutcome], SyncError> {
    Result(catching: { () throws(SyncError) -> [EntryOutcome] in
        try BundleResponseParser.parse(body: r.body, contentType: r.contentType, expectedEntries: expected)
    })
}

func checkBundle(_ r: HTTPResponse, _ input: [UInt8]) {
    // Ask for no entries first; a mismatch says how many there are, then parse for real.
    var expected = 0
    var result = parseBundle(r, expected: 0)
    if case .failure(let error) = result, case .entryCountMismatch(let asked, let got)? = error.problem {
        guard asked == 0, got > 0 else { broken("entryCountMismatch(\(asked), \(got))", input) }
        expected = got
        result = parseBundle(r, expected: got)
    }
    guard case .success(let outcomes) = result else { return }
    guard outcomes.count == expected else { broken("\(outcomes.count) outcomes for \(expected) entries", input) }
    for o in outcomes {
        guard (100...599).contains(o.status) else { broken("HTTP status \(o.status) accepted", input) }
        if let id = o.serverID {
            let parts = id.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0 != "_history" }) else {
                broken("server id \(String(reflecting: id))", input)
            }
        }
        if let v = o.version, v.isEmpty { broken("an empty version", input) }
        if let d = o.diagnostics, d.isEmpty { broken("empty diagnostics", input) }
        _ = o.isSuccess
    }
    // A missing Content-Type is let through to the JSON: the same body then parses the same.
    var bare = r
    bare.headers["content-type"] = nil
    guard case .success(let again) = parseBundle(bare, expected: expected), again == outcomes else {
        broken("the same body without a Content-Type parses otherwise", input)
    }
}

func checkOthers(_ r: HTTPResponse, _ input: [UInt8]) {
    if let caps = try? CapabilityParser.parse(r.body) {
        guard caps.fhirVersion.hasPrefix("4.0") else { broken("FHIR version \(caps.fhirVersion) accepted", input) }
        for type in caps.updateCreate.keys { _ = caps.writeMode(for: type) }
    }
    if let text = OperationOutcomeText.summary(body: r.body), text.isEmpty { broken("an empty summary", input) }
    if case .throttled(let after?) = classify(r, now: now) {
        guard after >= 0, after.isFinite else { broken("Retry-After of \(after) s", input) }
    }
    // JSONValue is how Satchel reads and writes FHIR: what it writes reads back the same.
    if let value = JSONValue.parse(r.body) {
        guard let again = JSONValue.parse(value.encoded()), same(again, value) else {
            broken("JSONValue does not survive encode/parse (\(String(decoding: value.encoded(), as: UTF8.self).prefix(200)))", input)
        }
    }
}

/// Equal JSON, numbers compared as numbers: a Double written as `9.223372036854776e+17`
/// reads back as the Int 922337203685477600 (JSONValue tries Int first), the same number.
func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
    case (.object(let x), .object(let y)):
        return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
    default: return a == b
    }
}

func check(_ bytes: [UInt8]) {
    let r = reply(bytes)
    checkBundle(r, bytes)
    checkOthers(r, bytes)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    check(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

#if FUZZING
@_cdecl("FuzzFHIRResponse_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzSupport.runDriver(argc, argv, fuzzOne)
}
#else
/// Corpus replayer for a normal build: `FuzzFHIRResponse FILE|DIR...` (FuzzSupport.replay).
@main
struct Replayer {
    static func main() {
        exit(FuzzSupport.replay(Array(CommandLine.arguments.dropFirst()), entry: fuzzOne))
    }
}
#endif
