import Foundation
import Testing

/// Runs the stand-in server's strict R4 validator (fhir.resources 6.4.0) on JSON bytes.
enum Validator {
    /// This checkout's sync-fixtures directory.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sync-fixtures").path
    static let python = "\(fixtures)/.venv/bin/python"
    static let script = "\(fixtures)/validate.py"

    /// Validates; records an issue (fails) when the venv is missing or the JSON is invalid.
    static func expectValid(_ json: [UInt8], name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "validator venv missing at \(python): run sync-fixtures/setup-venv.sh", sourceLocation: sourceLocation)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("satchel-fhir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("\(name).json")
        try Data(json).write(to: file)
        let (status, output) = try run(python, [script, file.path])
        #expect(status == 0, "validator rejected \(name): \(output)", sourceLocation: sourceLocation)
        #expect(output.hasPrefix("valid"), "unexpected validator output: \(output)", sourceLocation: sourceLocation)
    }

    /// Runs a program, returns (exit status, stdout + stderr).
    static func run(_ program: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
