import GRDB
import Synchronization

/// Compares a vault file's schema with the one Satchel's migrations make, before
/// anything writes to it.
///
/// A trigger, view or index planted in the file runs with the vault's own connection:
/// a trigger on `record` could copy every sealed body elsewhere, or quietly undo the
/// audit log's append-only rule. So every table, index, trigger and view the file holds
/// (`sqlite_master`, but for SQLite's automatic indexes, `sqlite_sequence` and GRDB's
/// `grdb_migrations` table) must be exactly what `VaultSchema.migrator` makes up to the
/// migrations the file records as applied: same kind, same table, same SQL text. A new,
/// empty file holds nothing and passes.
enum SchemaCheck {
    /// One schema object as `sqlite_master` lists it.
    struct Object: Equatable, Sendable {
        let type: String
        let name: String
        let table: String
        let sql: String?
    }

    /// Schema objects by name (SQLite names are unique across tables, indexes,
    /// triggers and views).
    typealias Schema = [String: Object]

    /// Refuses a file whose schema is not Satchel's at the level it records.
    static func verify(_ queue: DatabaseQueue) throws(VaultError) {
        let found: Schema
        let applied: [String]
        do {
            (found, applied) = try queue.vaultRead { db in
                let schema = try read(db)
                let applied = try db.tableExists("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
                return (schema, applied)
            }
        } catch {
            throw VaultError(.storage, "Couldn't read the vault's schema to check it.", cause: "\(error)")
        }
        let level = try level(of: applied)
        // A vault already at this version's level whose schema hashes to this version's
        // digest is Satchel's: no need to build the expected schema to compare.
        if level == VaultSchema.migrator.migrations.count, digest(found) == currentDigest { return }
        let problems = differences(found: found, expected: try expected(level: level))
        guard problems.isEmpty else {
            let shown = problems.prefix(5).joined(separator: "; ")
            let more = problems.count > 5 ? "; and \(problems.count - 5) more" : ""
            throw VaultError(
                .integrity,
                "The vault's schema was changed outside Satchel: \(shown)\(more). Keep this vault as it is and tell your team lead.")
        }
    }

    /// The tables, indexes, triggers and views of `db`, but for those SQLite makes on
    /// its own and GRDB's record of applied migrations.
    static func read(_ db: Database) throws -> Schema {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT type, name, tbl_name, sql FROM sqlite_master
                WHERE type IN ('table', 'index', 'trigger', 'view')
                  AND substr(name, 1, 17) <> 'sqlite_autoindex_'
                  AND name <> 'sqlite_sequence'
                  AND NOT (type = 'table' AND name = 'grdb_migrations')
                """)
        var schema: Schema = [:]
        for row in rows {
            let o = Object(type: row["type"], name: row["name"], table: row["tbl_name"], sql: row["sql"])
            schema[o.name] = o
        }
        return schema
    }

    /// How many of `VaultSchema.migrator`'s migrations the file has had: they must be
    /// the first ones, in full, and none this version does not know.
    static func level(of applied: [String]) throws(VaultError) -> Int {
        let known = VaultSchema.migrator.migrations
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw VaultError(
                .storage,
                "The vault records migration \(displayable(unknown)), which this version of Satchel does not know: "
                    + "a newer Satchel has opened it. Open it with that version or a later one; this one leaves it untouched.")
        }
        let level = applied.compactMap { known.firstIndex(of: $0) }.max().map { $0 + 1 } ?? 0
        if let missing = known.prefix(level).first(where: { !applied.contains($0) }) {
            throw VaultError(
                .integrity,
                "The vault's schema was changed outside Satchel: migration \(displayable(missing)) is not recorded although later ones are. "
                    + "Keep this vault as it is and tell your team lead.")
        }
        return level
    }

    /// SHA-256 (hex) of the schema all of `VaultSchema.migrator`'s migrations make, as
    /// `digest` computes it. Building that schema migrates an in-memory database: ~36 M
    /// instructions, a third of a command's start-up besides the KDF (docs/performance.md,
    /// P2); every command opening a vault of this version compares this digest instead, and
    /// builds the schema only for an older vault or one that differs (to name the
    /// difference). A change to any migration must change it: `SchemaCheckTests` fails,
    /// printing the new value, until it does.
    static let currentDigest = "60ce7b4fd817c2551a2f765daeb76b4c5de6337d0f05ea7448cac4212def882e"

    /// SHA-256 of a schema: every object in name order, with its type, name, table and
    /// SQL text, each length-prefixed (`Canonical`).
    static func digest(_ schema: Schema) -> String {
        let fields: [String?] = schema.values.sorted { $0.name < $1.name }.flatMap { o -> [String?] in [o.type, o.name, o.table, o.sql] }
        return Sodium.sha256(Canonical.encode("satchel-schema-v1", fields)).hex
    }

    /// Expected schemas by migration level, each made once per process by migrating a
    /// fresh in-memory database.
    private static let cache = Mutex<[Int: Schema]>([:])

    /// The schema `VaultSchema.migrator` makes with its first `level` migrations.
    static func expected(level: Int) throws(VaultError) -> Schema {
        do {
            return try cache.withLock { cache in
                if let known = cache[level] { return known }
                let schema: Schema
                if level == 0 {
                    schema = [:]
                } else {
                    let memory = try DatabaseQueue()
                    let migrator = VaultSchema.migrator
                    try migrator.migrate(memory, upTo: migrator.migrations[level - 1])
                    schema = try memory.read(read)
                }
                cache[level] = schema
                return schema
            }
        } catch {
            throw VaultError(.storage, "Couldn't build Satchel's own schema to check the vault against.", cause: "\(error)")
        }
    }

    /// What is wrong with `found`, one phrase per object, in name order: "trigger x is
    /// not part of it", "index y is missing", "table z is not as Satchel defines it".
    static func differences(found: Schema, expected: Schema) -> [String] {
        var out: [String] = []
        for name in Set(found.keys).union(expected.keys).sorted() {
            switch (found[name], expected[name]) {
            case (let f?, nil):
                out.append("\(f.type) \(displayable(name)) is not part of it")
            case (nil, let e?):
                out.append("\(e.type) \(displayable(name)) is missing")
            case (let f?, let e?) where f.type != e.type:
                out.append("\(displayable(name)) is a \(f.type), not a \(e.type)")
            case (let f?, let e?) where f != e:
                out.append("\(e.type) \(displayable(name)) is not as Satchel defines it")
            default:
                break
            }
        }
        return out
    }

    /// A name read from the file, safe to print: printable ASCII only (anything else
    /// becomes "?", so a planted name cannot drive the terminal), at most 64 characters.
    static func displayable(_ name: String) -> String {
        let safe = String(name.unicodeScalars.prefix(64).map { $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
        return name.unicodeScalars.count > 64 ? safe + "…" : safe
    }
}
