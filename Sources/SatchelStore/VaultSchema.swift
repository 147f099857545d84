import GRDB
import SatchelCore

/// The vault's tables, as versioned migrations from the very first one. A migration
/// once shipped never changes; new needs get a new migration.
///
/// Only what the app must index is in clear: ids, kinds, roles, timestamps, sync
/// state. Every body — and the worker's name — is sealed.
enum VaultSchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1 vault, records, outbox, audit") { db in
            try db.execute(sql: v1)
        }
        m.registerMigration("v2 held records and sealed secrets") { db in
            try db.execute(sql: v2)
        }
        m.registerMigration("v3 tallies kept by triggers") { db in
            try db.execute(sql: v3)
        }
        m.registerMigration("v4 authenticated facts and confirmed destinations") { db in
            try db.execute(sql: v4)
        }
        m.registerMigration("v5 disclosures on a lawful basis, recall on withdrawal") { db in
            try db.execute(sql: v5)
        }
        m.registerMigration("v6 the write mode a record was first sent with") { db in
            try db.execute(sql: v6)
        }
        m.registerMigration("v7 purge: the body of a delivered record may go") { db in
            try db.execute(sql: v7)
        }
        m.registerMigration("v8 caseload: pulled reference records and the pull cursor") { db in
            try db.execute(sql: v8)
        }
        m.registerMigration("v9 a person's records by kind") { db in
            try db.execute(sql: v9)
        }
        m.registerMigration("v10 the queue in order") { db in
            try db.execute(sql: v10)
        }
        return m
    }

    /// The kinds a record may have are `RecordKind`'s cases: a kind added to the code
    /// is added to `record_kind` when a vault is opened (checked by a read; written
    /// only when one is missing), so a new kind needs no migration of its own.
    static func learnRecordKinds(_ queue: DatabaseQueue) throws {
        let known = Set(try queue.vaultRead { try String.fetchAll($0, sql: "SELECT name FROM record_kind") })
        let missing = RecordKind.allCases.map(\.rawValue).filter { !known.contains($0) }
        guard !missing.isEmpty else { return }
        try queue.write { db in
            for name in missing { try db.execute(sql: "INSERT INTO record_kind (name) VALUES (?)", arguments: [name]) }
        }
    }

    static let v1 = """
        CREATE TABLE vault (
            singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
            format         INTEGER NOT NULL,
            worker_id      TEXT NOT NULL,
            role           TEXT NOT NULL CHECK (role IN ('clinician', 'police', 'substance-misuse')),
            kdf_algorithm  TEXT NOT NULL,
            kdf_opslimit   INTEGER NOT NULL,
            kdf_memlimit   INTEGER NOT NULL,
            kdf_salt       BLOB NOT NULL,
            key_version    INTEGER NOT NULL,
            wrapped_key    BLOB NOT NULL,
            profile        BLOB NOT NULL,          -- sealed: the worker's name
            failed_unlocks INTEGER NOT NULL DEFAULT 0,
            anchor_seq     INTEGER NOT NULL DEFAULT 0,
            anchor_mac     BLOB,                   -- keyed MAC over the audit head
            created_at     TEXT NOT NULL
        );

        CREATE TABLE record_kind (name TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
        INSERT INTO record_kind (name) VALUES
            ('service-user'), ('contact'), ('risk'), ('top'), ('consent'), ('boundary');

        CREATE TABLE record (
            id            TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
            kind          TEXT NOT NULL REFERENCES record_kind(name),
            subject_id    TEXT NOT NULL REFERENCES record(id),
            author_id     TEXT NOT NULL,
            author_role   TEXT NOT NULL CHECK (author_role IN ('clinician', 'police', 'substance-misuse')),
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            state         TEXT NOT NULL CHECK (state IN ('draft', 'final')),
            finalised_at  TEXT,
            form_version  INTEGER NOT NULL CHECK (form_version >= 1),
            amends_id     TEXT REFERENCES record(id),
            key_version   INTEGER NOT NULL,
            body          BLOB NOT NULL,
            CHECK ((state = 'final') = (finalised_at IS NOT NULL)),
            CHECK (amends_id IS NULL OR amends_id <> id)
        );
        CREATE INDEX record_by_subject ON record(subject_id, created_at);
        CREATE INDEX record_by_kind_state ON record(kind, state);

        -- A final record never changes and is never deleted: a correction is a new
        -- record that amends it. Enforced here, so no code path can forget it.
        CREATE TRIGGER record_final_is_immutable BEFORE UPDATE ON record
        WHEN OLD.state = 'final'
        BEGIN SELECT RAISE(ABORT, 'a final record cannot be changed; record an amendment'); END;

        CREATE TRIGGER record_final_is_kept BEFORE DELETE ON record
        WHEN OLD.state = 'final'
        BEGIN SELECT RAISE(ABORT, 'a final record cannot be deleted'); END;

        CREATE TRIGGER record_identity_is_fixed BEFORE UPDATE ON record
        WHEN NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.subject_id IS NOT OLD.subject_id
          OR NEW.author_id IS NOT OLD.author_id OR NEW.author_role IS NOT OLD.author_role
          OR NEW.created_at IS NOT OLD.created_at OR NEW.amends_id IS NOT OLD.amends_id
        BEGIN SELECT RAISE(ABORT, 'a record keeps its id, kind, subject, author and creation time'); END;

        CREATE TRIGGER record_amends_a_final_record BEFORE INSERT ON record
        WHEN NEW.amends_id IS NOT NULL
          AND (SELECT state FROM record WHERE id = NEW.amends_id) IS NOT 'final'
        BEGIN SELECT RAISE(ABORT, 'only a final record can be amended'); END;

        CREATE TABLE destination (
            name      TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
            added_at  TEXT NOT NULL
        ) WITHOUT ROWID;

        -- One row per (record, destination), written in the transaction that
        -- finalises the record. A row leaves only once delivered.
        CREATE TABLE outbox (
            record_id       TEXT NOT NULL REFERENCES record(id),
            destination     TEXT NOT NULL REFERENCES destination(name),
            state           TEXT NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'in-flight', 'delivered', 'rejected')),
            queued_at       TEXT NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error      TEXT,
            server_id       TEXT,
            server_version  TEXT,
            delivered_at    TEXT,
            PRIMARY KEY (record_id, destination)
        ) WITHOUT ROWID;
        CREATE INDEX outbox_by_state ON outbox(destination, state);

        CREATE TRIGGER outbox_only_final_records BEFORE INSERT ON outbox
        WHEN (SELECT state FROM record WHERE id = NEW.record_id) IS NOT 'final'
        BEGIN SELECT RAISE(ABORT, 'only a final record can be queued'); END;

        CREATE TRIGGER outbox_rows_leave_when_delivered BEFORE DELETE ON outbox
        WHEN OLD.state <> 'delivered'
        BEGIN SELECT RAISE(ABORT, 'an outbox row leaves only once delivered'); END;

        CREATE TRIGGER outbox_state_moves_forward BEFORE UPDATE OF state ON outbox
        WHEN NOT (OLD.state = NEW.state
               OR (OLD.state = 'pending'   AND NEW.state = 'in-flight')
               OR (OLD.state = 'in-flight' AND NEW.state IN ('pending', 'delivered', 'rejected')))
        BEGIN SELECT RAISE(ABORT, 'outbox state may only go pending -> in-flight -> delivered | rejected'); END;

        CREATE TRIGGER outbox_keeps_its_key BEFORE UPDATE ON outbox
        WHEN NEW.record_id IS NOT OLD.record_id OR NEW.destination IS NOT OLD.destination
        BEGIN SELECT RAISE(ABORT, 'an outbox row keeps its record and destination'); END;

        -- Append-only and hash-chained: identifiers only, never record bodies.
        CREATE TABLE audit (
            seq        INTEGER PRIMARY KEY,
            at         TEXT NOT NULL,
            action     TEXT NOT NULL,
            actor_id   TEXT,
            record_id  TEXT,
            detail     TEXT NOT NULL DEFAULT '',
            prev_hash  BLOB NOT NULL,
            hash       BLOB NOT NULL
        );

        CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

        CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """

    /// A final record is, for each destination, either queued (an outbox row) or held
    /// back by the sharing policy (a held row with the reason) — never both. Secrets
    /// for destinations (tokens, client secrets, key passphrases) are sealed here.
    static let v2 = """
        CREATE TABLE held (
            record_id    TEXT NOT NULL REFERENCES record(id),
            destination  TEXT NOT NULL REFERENCES destination(name),
            reason       TEXT NOT NULL,
            held_at      TEXT NOT NULL,
            PRIMARY KEY (record_id, destination)
        ) WITHOUT ROWID;

        CREATE TRIGGER held_only_final_records BEFORE INSERT ON held
        WHEN (SELECT state FROM record WHERE id = NEW.record_id) IS NOT 'final'
        BEGIN SELECT RAISE(ABORT, 'only a final record can be held'); END;

        CREATE TRIGGER held_or_queued_not_both BEFORE INSERT ON held
        WHEN EXISTS (SELECT 1 FROM outbox WHERE record_id = NEW.record_id AND destination = NEW.destination)
        BEGIN SELECT RAISE(ABORT, 'a queued record cannot also be held'); END;

        CREATE TRIGGER queued_or_held_not_both BEFORE INSERT ON outbox
        WHEN EXISTS (SELECT 1 FROM held WHERE record_id = NEW.record_id AND destination = NEW.destination)
        BEGIN SELECT RAISE(ABORT, 'release a held record before queueing it'); END;

        CREATE TABLE secret (
            name    TEXT PRIMARY KEY NOT NULL,
            sealed  BLOB NOT NULL,
            set_at  TEXT NOT NULL
        ) WITHOUT ROWID;
        """

    /// Counts per (kind, state), (destination, state) and held destination, kept by
    /// triggers in the same transaction as the change they count, so `status` reads a
    /// few rows instead of scanning every record and outbox row (docs/performance.md, P2).
    static let v3 = """
        CREATE TABLE tally (
            what  TEXT NOT NULL CHECK (what IN ('record', 'outbox', 'held')),
            a     TEXT NOT NULL,           -- the record's kind, or the destination
            b     TEXT NOT NULL,           -- the state ('' for held)
            n     INTEGER NOT NULL CHECK (n >= 0),
            PRIMARY KEY (what, a, b)
        ) WITHOUT ROWID;

        INSERT INTO tally (what, a, b, n) SELECT 'record', kind, state, count(*) FROM record GROUP BY kind, state;
        INSERT INTO tally (what, a, b, n) SELECT 'outbox', destination, state, count(*) FROM outbox GROUP BY destination, state;
        INSERT INTO tally (what, a, b, n) SELECT 'held', destination, '', count(*) FROM held GROUP BY destination;

        CREATE TRIGGER tally_record_insert AFTER INSERT ON record BEGIN
            INSERT INTO tally (what, a, b, n) VALUES ('record', NEW.kind, NEW.state, 1)
                ON CONFLICT (what, a, b) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER tally_record_state AFTER UPDATE OF state ON record WHEN OLD.state IS NOT NEW.state BEGIN
            UPDATE tally SET n = n - 1 WHERE what = 'record' AND a = OLD.kind AND b = OLD.state;
            INSERT INTO tally (what, a, b, n) VALUES ('record', NEW.kind, NEW.state, 1)
                ON CONFLICT (what, a, b) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER tally_record_delete AFTER DELETE ON record BEGIN
            UPDATE tally SET n = n - 1 WHERE what = 'record' AND a = OLD.kind AND b = OLD.state;
        END;

        CREATE TRIGGER tally_outbox_insert AFTER INSERT ON outbox BEGIN
            INSERT INTO tally (what, a, b, n) VALUES ('outbox', NEW.destination, NEW.state, 1)
                ON CONFLICT (what, a, b) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER tally_outbox_state AFTER UPDATE OF state ON outbox WHEN OLD.state IS NOT NEW.state BEGIN
            UPDATE tally SET n = n - 1 WHERE what = 'outbox' AND a = OLD.destination AND b = OLD.state;
            INSERT INTO tally (what, a, b, n) VALUES ('outbox', NEW.destination, NEW.state, 1)
                ON CONFLICT (what, a, b) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER tally_outbox_delete AFTER DELETE ON outbox BEGIN
            UPDATE tally SET n = n - 1 WHERE what = 'outbox' AND a = OLD.destination AND b = OLD.state;
        END;

        CREATE TRIGGER tally_held_insert AFTER INSERT ON held BEGIN
            INSERT INTO tally (what, a, b, n) VALUES ('held', NEW.destination, '', 1)
                ON CONFLICT (what, a, b) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER tally_held_delete AFTER DELETE ON held BEGIN
            UPDATE tally SET n = n - 1 WHERE what = 'held' AND a = OLD.destination;
        END;
        """

    /// What decides a record's meaning and route is authenticated with keys derived
    /// from the data key (`VaultKeys`); the MACs live beside the facts they cover. A
    /// vault made before this migration gets its MACs at its next unlock (`Vault+Upgrade`).
    static let v4 = """
        ALTER TABLE vault ADD COLUMN header_mac BLOB;        -- worker, role, format, key settings, sealed profile
        ALTER TABLE record ADD COLUMN mac BLOB;              -- every clear column and the sealed body's nonce and tag
        ALTER TABLE outbox ADD COLUMN mac BLOB;              -- record, destination, state, queued time, receipt
        ALTER TABLE held ADD COLUMN mac BLOB;                -- record, destination, sealed reason, held time
        ALTER TABLE destination ADD COLUMN definition BLOB;  -- sealed: the definition the worker confirmed
        """

    /// A record may go to a destination on a disclosure (SIM guide §48-52) rather than
    /// consent: its outbox row names the disclosure record. A withdrawal moves rows not
    /// yet sent back to held, so a pending row may now leave the outbox — only in the
    /// transaction that holds it again (`Vault.recall`), and audited.
    static let v5 = """
        ALTER TABLE outbox ADD COLUMN disclosure_id TEXT REFERENCES record(id);

        DROP TRIGGER outbox_rows_leave_when_delivered;
        CREATE TRIGGER outbox_rows_leave_when_delivered_or_recalled BEFORE DELETE ON outbox
        WHEN OLD.state NOT IN ('delivered', 'pending')
        BEGIN SELECT RAISE(ABORT, 'an outbox row leaves only once delivered, or recalled while pending'); END;
        """

    /// The write mode (`put` or `conditional-create`) a record was first sent with to a
    /// destination, set at its first attempt and never changed: a record first sent by
    /// conditional create is sent that way on every retry (docs/sync.md, "Write modes").
    static let v6 = """
        ALTER TABLE outbox ADD COLUMN write_mode TEXT CHECK (write_mode IN ('put', 'conditional-create'));

        CREATE TRIGGER outbox_keeps_its_write_mode BEFORE UPDATE OF write_mode ON outbox
        WHEN OLD.write_mode IS NOT NULL AND NEW.write_mode IS NOT OLD.write_mode
        BEGIN SELECT RAISE(ABORT, 'an outbox row keeps the write mode it was first sent with'); END;
        """

    /// Retention (`purge`): a final record's body may be emptied, once, with `purged_at`
    /// set, when every outbox row it has is delivered (at least one) and it is held from
    /// no destination. Nothing else about it may change, it cannot be un-purged, its
    /// receipts stay, and it is never queued, held or amended again (its body is gone).
    /// The new MAC over the facts and `purged_at` is the code's part (`Vault+Purge`).
    static let v7 = """
        ALTER TABLE record ADD COLUMN purged_at TEXT;

        DROP TRIGGER record_final_is_immutable;
        CREATE TRIGGER record_final_is_immutable BEFORE UPDATE ON record
        WHEN OLD.state = 'final' AND NOT (OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, 'a final record cannot be changed; record an amendment'); END;

        CREATE TRIGGER record_purge_takes_the_body_only BEFORE UPDATE ON record
        WHEN NEW.purged_at IS NOT OLD.purged_at
          AND (OLD.state IS NOT 'final' OR OLD.purged_at IS NOT NULL OR length(NEW.body) <> 0
            OR NEW.state IS NOT OLD.state OR NEW.updated_at IS NOT OLD.updated_at
            OR NEW.finalised_at IS NOT OLD.finalised_at OR NEW.form_version IS NOT OLD.form_version
            OR NEW.key_version IS NOT OLD.key_version)
        BEGIN SELECT RAISE(ABORT, 'a purge empties a final record''s body, once, and changes nothing else'); END;

        CREATE TRIGGER record_purged_only_when_delivered BEFORE UPDATE OF purged_at ON record
        WHEN NEW.purged_at IS NOT NULL
          AND (NOT EXISTS (SELECT 1 FROM outbox WHERE record_id = OLD.id AND state = 'delivered')
            OR EXISTS (SELECT 1 FROM outbox WHERE record_id = OLD.id AND state <> 'delivered')
            OR EXISTS (SELECT 1 FROM held WHERE record_id = OLD.id))
        BEGIN SELECT RAISE(ABORT, 'only a record delivered to every destination, and held from none, can be purged'); END;

        CREATE TRIGGER record_is_written_whole BEFORE INSERT ON record
        WHEN NEW.purged_at IS NOT NULL
          OR (NEW.amends_id IS NOT NULL AND (SELECT purged_at FROM record WHERE id = NEW.amends_id) IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, 'a record is written whole, and a purged record cannot be amended'); END;

        CREATE TRIGGER outbox_keeps_the_receipts_of_purged_records BEFORE DELETE ON outbox
        WHEN (SELECT purged_at FROM record WHERE id = OLD.record_id) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'the receipts of a purged record stay'); END;

        CREATE TRIGGER outbox_never_queues_a_purged_record BEFORE INSERT ON outbox
        WHEN (SELECT purged_at FROM record WHERE id = NEW.record_id) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a purged record cannot be queued: its body is gone'); END;

        CREATE TRIGGER held_never_holds_a_purged_record BEFORE INSERT ON held
        WHEN (SELECT purged_at FROM record WHERE id = NEW.record_id) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a purged record cannot be held: its body is gone'); END;
        """

    /// Reference records: what `caseload pull` fetched from a destination's central
    /// system (a colleague's records), sealed, one row per server resource, replaced by a
    /// newer version, never in the outbox (no foreign key could put it there: it is not a
    /// `record`), never amendable. The pull cursor keeps a pull resumable after a cut.
    static let v8 = """
        CREATE TABLE reference (
            destination    TEXT NOT NULL,
            resource_type  TEXT NOT NULL,
            resource_id    TEXT NOT NULL,
            subject_id     TEXT NOT NULL,          -- the Patient's id on that server
            version_id     TEXT,
            last_updated   TEXT,
            pulled_at      TEXT NOT NULL,
            key_version    INTEGER NOT NULL,
            body           BLOB NOT NULL,          -- sealed: the FHIR resource as pulled
            mac            BLOB NOT NULL,
            PRIMARY KEY (destination, resource_type, resource_id)
        ) WITHOUT ROWID;
        CREATE INDEX reference_by_subject ON reference (destination, subject_id);

        CREATE TABLE pull_cursor (
            destination    TEXT PRIMARY KEY NOT NULL,
            since          TEXT,                   -- server time the last complete pull covers
            pending_since  TEXT,                   -- the pull under way: what it will cover
            next_member    INTEGER NOT NULL DEFAULT 0 CHECK (next_member >= 0),
            started_at     TEXT,
            completed_at   TEXT,
            mac            BLOB NOT NULL
        ) WITHOUT ROWID;
        """

    /// A form's context reads a person's records of a few kinds (their consents, risk
    /// entries, permission, latest capacity assessment): by subject and kind, newest first,
    /// so a save reads those rows and not the person's whole history (contacts, TOPs).
    static let v9 = """
        CREATE INDEX record_by_subject_kind ON record(subject_id, kind, created_at);
        """

    /// `sync` reads a destination's queue a page at a time, oldest queued first: in index
    /// order, so each page costs its own rows, not a sort of the whole queue.
    static let v10 = """
        CREATE INDEX outbox_in_order ON outbox(destination, state, queued_at, record_id);
        """
}
