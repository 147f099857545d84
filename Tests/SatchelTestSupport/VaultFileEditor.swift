import Foundation
import GRDB

/// Edits a vault file the way someone with the file and the sqlite3 shell, but not the
/// passphrase, could: every trigger is lifted, the SQL runs, and the triggers are put
/// back exactly as they were (their text from the schema), so the schema still matches.
public enum VaultFileEditor {
    public static func edit(_ databasePath: String, _ sql: String, _ arguments: StatementArguments = []) throws {
        let db = try DatabaseQueue(path: databasePath)
        try db.write { db in
            let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            for r in triggers { try db.execute(sql: "DROP TRIGGER \(r["name"] as String)") }
            try db.execute(sql: sql, arguments: arguments)
            for r in triggers { try db.execute(sql: r["sql"] as String) }
        }
        try db.close()
    }

    /// The first column of each row `sql` returns, read-only (the audit log's clear columns, say).
    public static func strings(_ databasePath: String, _ sql: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        let db = try DatabaseQueue(path: databasePath, configuration: configuration)
        defer { try? db.close() }
        return try db.read { try String.fetchAll($0, sql: sql) }
    }
}
