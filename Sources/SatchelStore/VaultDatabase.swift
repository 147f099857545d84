internal import CSQLiteGuard
import Foundation
import GRDB
import SatchelCore

/// Opens the vault's SQLite file with the settings durability and secrecy depend
/// on, reads each one back, and refuses to go on if SQLite did not take it.
enum VaultDatabase {
    /// A setting, the statement that sets it and the value it must read back as.
    struct Requirement: Sendable {
        let name: String
        let set: String
        let expected: String
    }

    static let requirements: [Requirement] = [
        // WAL + FULL: a commit is on disk before the call returns, even across power loss.
        Requirement(name: "journal_mode", set: "PRAGMA journal_mode = WAL", expected: "wal"),
        Requirement(name: "synchronous", set: "PRAGMA synchronous = FULL", expected: "2"),
        Requirement(name: "foreign_keys", set: "PRAGMA foreign_keys = ON", expected: "1"),
        // No temp files on disk: sorting and temp tables stay in memory.
        Requirement(name: "temp_store", set: "PRAGMA temp_store = MEMORY", expected: "2"),
        // Deleted content is overwritten with zeros, not left in free pages.
        Requirement(name: "secure_delete", set: "PRAGMA secure_delete = ON", expected: "1"),
        // SQL functions with side effects never run from the schema (a trigger or a view
        // in the file), only from Satchel's own statements.
        Requirement(name: "trusted_schema", set: "PRAGMA trusted_schema = OFF", expected: "0"),
    ]

    /// The directory and file modes are checked first (`FileModes`); the file is then
    /// opened and its schema checked (`SchemaCheck`) before the migrator writes.
    static func open(_ url: URL) throws(VaultError) -> DatabaseQueue {
        try FileModes.requirePrivate(database: url)
        return try open(path: url.path)
    }

    /// `path` as SQLite takes it (tests pass ":memory:" to see a refusal).
    static func open(path: String) throws(VaultError) -> DatabaseQueue {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.label = "satchel.vault"
        config.prepareDatabase { db in
            for r in requirements {
                try db.execute(sql: r.set)
                let actual = try String.fetchOne(db, sql: "PRAGMA \(r.name)")
                guard actual?.lowercased() == r.expected else {
                    throw VaultError(
                        .storage,
                        "SQLite would not set \(r.name) to \(r.expected) (it reads back \(actual ?? "nothing")); "
                            + "Satchel refuses to open a vault it cannot keep durable and clean.")
                }
            }
            // A page cache of 1 MiB, not SQLite's 2: a long sync reads each queued page once,
            // so the smaller cache cost it no measurable time and saves 1 MiB of its resident
            // memory (docs/performance.md, P5).
            try db.execute(sql: "PRAGMA cache_size = -1024")
            // Defensive mode: no writable_schema, no direct edits of the file's pages or
            // shadow tables through this connection, whatever SQL runs on it.
            let defensive = satchel_sqlite_defensive(db.sqliteConnection, 1)
            guard defensive == 1 else {
                throw VaultError(
                    .storage,
                    "SQLite would not turn on its defensive mode (it reads back \(defensive)); "
                        + "Satchel refuses to open a vault it cannot keep durable and clean.")
            }
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try SchemaCheck.verify(queue)
            try VaultSchema.migrator.migrate(queue)
            try VaultSchema.learnRecordKinds(queue)
            return queue
        } catch let e as VaultError {
            throw e
        } catch {
            throw VaultError(.storage, "Couldn't open the vault database at \(path).", cause: "\(error)")
        }
    }

    /// Reads back every requirement, and the defensive mode, on an open connection.
    static func readBack(_ db: Database) throws -> [String: String] {
        var out: [String: String] = [:]
        for r in requirements {
            out[r.name] = try String.fetchOne(db, sql: "PRAGMA \(r.name)") ?? ""
        }
        out["defensive"] = String(satchel_sqlite_defensive(db.sqliteConnection, -1))
        return out
    }
}

/// Timestamps in the vault: ISO 8601, UTC, milliseconds — sortable as text.
/// The vault's timestamps: ISO 8601 in UTC with milliseconds, written and read here only.
enum Timestamp {
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// nil for text that is not a vault timestamp (the caller treats the row as damaged).
    static func date(_ text: String) -> Date? {
        try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}

extension Error {
    /// Wraps a database failure as a vault error, keeping the storage code and message.
    func asVaultError(_ what: String) -> VaultError {
        if let v = self as? VaultError { return v }
        if let d = self as? DatabaseError {
            if d.resultCode == .SQLITE_FULL {
                return VaultError(.storage, "The disk is full: \(what) did not happen. Free some space; nothing already saved is lost.", cause: "\(d)")
            }
            if d.resultCode == .SQLITE_CONSTRAINT {
                return VaultError(.refused, "\(what) was refused: \(d.message ?? "a rule of the vault").", cause: "\(d)")
            }
        }
        return VaultError(.storage, "Couldn't complete \(what) in the vault.", cause: "\(self)")
    }
}

extension DatabaseQueue {
    /// Runs `body` in one deferred transaction, like GRDB's `read`, but without its
    /// `PRAGMA query_only` on and off around every read: a flag pragma expires every
    /// prepared statement, so each read made all cached statements recompile on their
    /// next use (28 recompilations per saved contact under callgrind, most of a save's
    /// SQLite time). The vault's read paths run only SELECTs.
    func vaultRead<T>(_ body: (Database) throws -> T) throws -> T {
        try unsafeRead { db in
            var result: T?
            try db.inTransaction(.deferred) {
                result = try body(db)
                return .commit
            }
            guard let result else { throw VaultError(.storage, "A read of the vault returned nothing.") }
            return result
        }
    }
}

extension Row {
    /// Each row of `statement` handed to `transform` as SQLite steps to it, never copied;
    /// nil results are left out. `Row.fetchAll` and `fetchOne` copy every row, and a copied
    /// row finds a column by name by lowercasing each column's name in turn: most of what a
    /// sync spent reading its queue (docs/performance.md, P3). `transform` must not keep the row.
    static func mapEach<T>(
        _ statement: Statement, arguments: StatementArguments = StatementArguments(), _ transform: (Row) throws -> T?
    ) throws -> [T] {
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        var out: [T] = []
        while let row = try cursor.next() {
            if let value = try transform(row) { out.append(value) }
        }
        return out
    }
}
