import Foundation

/// Programs the tests run beside Satchel: the stand-in server's strict FHIR R4 validator,
/// poppler's `pdftotext`, `scripts/install` and `man`.
public enum ExternalTool {
    /// This checkout's sync-fixtures directory.
    public static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sync-fixtures").path
    /// The validator's Python (sync-fixtures/setup-venv.sh makes it).
    public static let python = "\(fixtures)/.venv/bin/python"
    /// The strict R4 validator (fhir.resources 6.4.0).
    public static let validator = "\(fixtures)/validate.py"
    /// poppler-utils' `pdftotext` (scripts/bootstrap installs it).
    public static let pdftotext = "/usr/bin/pdftotext"

    /// Runs a program with the test's environment plus `environment`, returns (exit status, stdout + stderr).
    public static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
