import Foundation
import SatchelTestSupport
import Testing

/// Runs the stand-in server's strict R4 validator (fhir.resources 6.4.0) on JSON bytes.
enum Validator {
    static let python = ExternalTool.python
    static let script = ExternalTool.validator

    /// Validates; records an issue (fails) when the venv is missing or the JSON is invalid.
    static func expectValid(_ json: [UInt8], name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "validator venv missing at \(python): run sync-fixtures/setup-venv.sh", sourceLocation: sourceLocation)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("satchel-fhir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("\(name).json")
        try Data(json).write(to: file)
        let (status, output) = try ExternalTool.run(python, [script, file.path])
        #expect(status == 0, "validator rejected \(name): \(output)", sourceLocation: sourceLocation)
        #expect(output.hasPrefix("valid"), "unexpected validator output: \(output)", sourceLocation: sourceLocation)
    }
}
