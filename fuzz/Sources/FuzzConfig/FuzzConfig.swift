// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: config.toml (SatchelSync TOMLSubset and SatchelConfig). See
// fuzz/README.md.
import Foundation
import SatchelSync
import FuzzSupport

func broken(_ what: String, _ text: String) -> Never {
    fatalError("invariant broken: \(what) for input \(String(reflecting: text))")
}

func parseTOML(_ text: String) -> Result<TOMLSubset.Document, SyncError> {
    Result(catching: { () throws(SyncError) -> TOMLSubset.Document in try TOMLSubset.parse(text) })
}

/// The line a TOMLSubset error names: its message starts "line N: ".
func line(_ error: SyncError) -> Substring { error.message.prefix { $0 != ":" } }

/// The same text with every LF written as CRLF.
func crlf(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for u in text.unicodeScalars {
        if u == "\n" { out.append("\r") }
        out.append(u)
    }
    return String(out)
}

func checkConfig(_ text: String) {
    guard let config = try? SatchelConfig.parse(text) else { return }
    var names: Set<String> = []
    for d in config.destinations {
        guard d.name.range(of: "^[A-Za-z0-9_-]{1,64}$", options: .regularExpression) != nil,
              names.insert(d.name).inserted else { broken("destination name \(String(reflecting: d.name))", text) }
        let url = d.baseURL.lowercased()
        guard url.hasPrefix("https://") || (d.allowLoopbackHTTP && url.hasPrefix("http://")) else {
            broken("base URL \(String(reflecting: d.baseURL)) is neither https nor allowed loopback http", text)
        }
        guard (1...500).contains(d.batchSize), (1...120).contains(d.connectTimeout),
              (1...600).contains(d.lowSpeedTime), (1...1_000_000).contains(d.lowSpeedLimit),
              (10...3600).contains(d.transferTimeout) else {
            broken("a number out of its range in \(d.name)", text)
        }
        guard d.pinnedKeys.allSatisfy({ $0.hasPrefix("sha256//") }) else { broken("a pin without sha256//", text) }
        guard d.rule.kinds.isEmpty || d.rule.kinds.contains(.serviceUser), !d.rule.agencyNames.isEmpty else {
            broken("the sharing rule of \(d.name)", text)
        }
        if case .oauth2(let tokenURL, _) = d.auth,
           !(tokenURL.lowercased().hasPrefix("https://") || (d.allowLoopbackHTTP && tokenURL.lowercased().hasPrefix("http://"))) {
            broken("token URL \(String(reflecting: tokenURL))", text)
        }
    }
}

func checkTOML(_ text: String) {
    // A file saved with CRLF line ends reads the same as with LF (the cursor skips \r).
    if !text.unicodeScalars.contains("\r") {
        switch (parseTOML(text), parseTOML(crlf(text))) {
        case (.success(let a), .success(let b)):
            if a != b { broken("CRLF line ends give another document", text) }
        case (.failure(let a), .failure(let b)):
            if line(a) != line(b) { broken("CRLF line ends move the error from \(line(a)) to \(line(b))", text) }
        case (.success, .failure(let e)):
            broken("CRLF line ends make a valid file fail (\(e))", text)
        case (.failure(let e), .success):
            broken("CRLF line ends make an invalid file (\(e)) valid", text)
        }
    }
    // `destination add` writes values with TOMLSubset.quote: every string reads back.
    guard case .success(let value) = parseTOML("k = \(TOMLSubset.quote(text))"),
          value == [[]: ["k": .string(text)]] else {
        broken("TOMLSubset.quote does not read back as a value", text)
    }
    guard case .success(let table) = parseTOML("[destination.\(TOMLSubset.quote(text))]"),
          table == [[]: [:], ["destination", text]: [:]] else {
        broken("TOMLSubset.quote does not read back as a table name", text)
    }
}

func check(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    checkConfig(text)
    checkTOML(text)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    check(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

#if FUZZING
@_cdecl("FuzzConfig_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzSupport.runDriver(argc, argv, fuzzOne)
}
#else
/// Corpus replayer for a normal build: `FuzzConfig FILE|DIR...` (FuzzSupport.replay).
@main
struct Replayer {
    static func main() {
        exit(FuzzSupport.replay(Array(CommandLine.arguments.dropFirst()), entry: fuzzOne))
    }
}
#endif
