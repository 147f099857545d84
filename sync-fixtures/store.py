"""SQLite storage: current resources, version history and an arrival log.

Tables
  resources   (type, id, version, json, last_updated)          current versions
  history     (seq, type, id, version, json, last_updated)     every version written
  identifiers (type, id, system, value)                        for conditional create
  arrivals    (seq, received_at, method, path, type, id, outcome, version)
              one row per resource-level write attempt: created / updated /
              noop (identical repeat PUT) / matched (conditional create hit) /
              rejected / failed
  requests    (seq, received_at, method, path, status, fault)  one row per HTTP request
  audit_heads (worker, seq, hash, received_at)                  per Satchel worker id, the
              highest audit sequence number a Bundle reported, and its hash
  rollbacks   (seq, received_at, worker, kind, seen_seq, seen_hash, got_seq, got_hash)
              a report below the highest sequence seen ('rollback'), or at it with
              another hash ('fork'): the worker's vault was put back to an older copy

All access goes through one connection guarded by one re-entrant lock; a
`with store.tx():` block is one SQLite transaction (used for FHIR transactions).
"""

import contextlib
import datetime
import json
import sqlite3
import threading

SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
  type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
  json TEXT NOT NULL, last_updated TEXT NOT NULL, PRIMARY KEY (type, id));
CREATE TABLE IF NOT EXISTS history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, id TEXT NOT NULL,
  version INTEGER NOT NULL, json TEXT NOT NULL, last_updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS identifiers (
  type TEXT NOT NULL, id TEXT NOT NULL, system TEXT, value TEXT);
CREATE INDEX IF NOT EXISTS identifiers_lookup ON identifiers (type, system, value);
CREATE TABLE IF NOT EXISTS arrivals (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, received_at TEXT NOT NULL, method TEXT,
  path TEXT, type TEXT, id TEXT, outcome TEXT NOT NULL, version INTEGER);
CREATE TABLE IF NOT EXISTS requests (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, received_at TEXT NOT NULL, method TEXT,
  path TEXT, status INTEGER, fault TEXT);
CREATE TABLE IF NOT EXISTS audit_heads (
  worker TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rollbacks (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, received_at TEXT NOT NULL, worker TEXT NOT NULL,
  kind TEXT NOT NULL, seen_seq INTEGER, seen_hash TEXT, got_seq INTEGER, got_hash TEXT);
"""


def now_instant():
    t = datetime.datetime.now(datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (t.microsecond // 1000) + "+00:00"


def canonical(resource):
    """Resource content without server-managed meta, for no-op detection."""
    r = json.loads(json.dumps(resource))
    r.pop("id", None)
    meta = r.get("meta")
    if isinstance(meta, dict):
        meta.pop("versionId", None)
        meta.pop("lastUpdated", None)
        if not meta:
            r.pop("meta")
    return json.dumps(r, sort_keys=True, separators=(",", ":"))


class Store:
    def __init__(self, path):
        self.lock = threading.RLock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self._depth = 0

    # -- transactions -------------------------------------------------------
    @contextlib.contextmanager
    def tx(self):
        with self.lock:
            outer = self._depth == 0
            if outer:
                self.db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self.db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self.db.execute("COMMIT")

    # -- reads --------------------------------------------------------------
    def get(self, rtype, rid):
        with self.lock:
            row = self.db.execute("SELECT version, json, last_updated FROM resources "
                                  "WHERE type=? AND id=?", (rtype, rid)).fetchone()
        if not row:
            return None
        return {"version": row[0], "resource": json.loads(row[1]), "last_updated": row[2]}

    def get_version(self, rtype, rid, version):
        with self.lock:
            row = self.db.execute("SELECT json, last_updated FROM history WHERE type=? AND id=? "
                                  "AND version=? ORDER BY seq DESC LIMIT 1",
                                  (rtype, rid, version)).fetchone()
        if not row:
            return None
        return {"version": version, "resource": json.loads(row[0]), "last_updated": row[1]}

    def find_by_identifier(self, rtype, system, value):
        with self.lock:
            if system is None:
                rows = self.db.execute("SELECT DISTINCT id FROM identifiers WHERE type=? AND value=?",
                                       (rtype, value)).fetchall()
            elif system == "":
                rows = self.db.execute("SELECT DISTINCT id FROM identifiers WHERE type=? AND value=? "
                                       "AND (system IS NULL OR system='')", (rtype, value)).fetchall()
            else:
                rows = self.db.execute("SELECT DISTINCT id FROM identifiers WHERE type=? AND system=? "
                                       "AND value=?", (rtype, system, value)).fetchall()
        return [r[0] for r in rows]

    def list(self, rtype=None):
        with self.lock:
            if rtype:
                rows = self.db.execute("SELECT json FROM resources WHERE type=? ORDER BY rowid",
                                       (rtype,)).fetchall()
            else:
                rows = self.db.execute("SELECT json FROM resources ORDER BY rowid").fetchall()
        return [json.loads(r[0]) for r in rows]

    def list_current(self, rtype):
        """Current resources of a type with their last_updated, in storage order."""
        with self.lock:
            rows = self.db.execute("SELECT json, last_updated FROM resources WHERE type=? ORDER BY rowid",
                                   (rtype,)).fetchall()
        return [{"resource": json.loads(r[0]), "last_updated": r[1]} for r in rows]

    # -- writes -------------------------------------------------------------
    def put(self, rtype, rid, resource):
        """Store `resource` as the next version. Returns (outcome, version, last_updated, stored)
        where outcome is 'created', 'updated' or 'noop' (identical content, nothing written)."""
        with self.tx():
            cur = self.get(rtype, rid)
            if cur and canonical(cur["resource"]) == canonical(resource):
                return "noop", cur["version"], cur["last_updated"], cur["resource"]
            version = cur["version"] + 1 if cur else 1
            last_updated = now_instant()
            meta = dict(resource.get("meta") or {})
            meta["versionId"] = str(version)
            meta["lastUpdated"] = last_updated
            stored = {"resourceType": resource["resourceType"], "id": rid, "meta": meta}
            stored.update((k, v) for k, v in json.loads(json.dumps(resource)).items()
                          if k not in ("resourceType", "id", "meta"))
            text = json.dumps(stored, separators=(",", ":"))
            self.db.execute("INSERT OR REPLACE INTO resources (type, id, version, json, last_updated) "
                            "VALUES (?,?,?,?,?)", (rtype, rid, version, text, last_updated))
            self.db.execute("INSERT INTO history (type, id, version, json, last_updated) "
                            "VALUES (?,?,?,?,?)", (rtype, rid, version, text, last_updated))
            self.db.execute("DELETE FROM identifiers WHERE type=? AND id=?", (rtype, rid))
            idents = stored.get("identifier") or []
            for ident in [idents] if isinstance(idents, dict) else idents:
                if isinstance(ident, dict) and "value" in ident:
                    self.db.execute("INSERT INTO identifiers (type, id, system, value) VALUES (?,?,?,?)",
                                    (rtype, rid, ident.get("system"), ident["value"]))
            return ("updated" if cur else "created"), version, last_updated, stored

    def log_arrival(self, method, path, rtype, rid, outcome, version=None):
        with self.lock:
            self.db.execute("INSERT INTO arrivals (received_at, method, path, type, id, outcome, version) "
                            "VALUES (?,?,?,?,?,?,?)",
                            (now_instant(), method, path, rtype, rid, outcome, version))

    def log_request(self, method, path, status, fault=None):
        with self.lock:
            self.db.execute("INSERT INTO requests (received_at, method, path, status, fault) "
                            "VALUES (?,?,?,?,?)", (now_instant(), method, path, status, fault))

    def note_audit_head(self, worker, seq, hash_):
        """Records a worker's reported audit head. Returns 'first', 'advanced' or 'same', or
        'rollback' / 'fork' (also logged in `rollbacks`): a sequence lower than the highest
        already seen, or the same sequence with another hash. The highest is never lowered."""
        with self.tx():
            row = self.db.execute("SELECT seq, hash FROM audit_heads WHERE worker=?", (worker,)).fetchone()
            if row is None or seq > row[0]:
                self.db.execute("INSERT OR REPLACE INTO audit_heads (worker, seq, hash, received_at) "
                                "VALUES (?,?,?,?)", (worker, seq, hash_, now_instant()))
                return "first" if row is None else "advanced"
            if seq == row[0] and hash_ == row[1]:
                return "same"
            kind = "fork" if seq == row[0] else "rollback"
            self.db.execute("INSERT INTO rollbacks (received_at, worker, kind, seen_seq, seen_hash, got_seq, got_hash) "
                            "VALUES (?,?,?,?,?,?,?)", (now_instant(), worker, kind, row[0], row[1], seq, hash_))
            return kind

    def audit_heads(self):
        """{"workers": {id: {"seq", "hash", "received_at", "rollbacks"}}, "rollbacks": [...]}"""
        with self.lock:
            heads = self.db.execute("SELECT worker, seq, hash, received_at FROM audit_heads "
                                    "ORDER BY worker").fetchall()
            rows = self.db.execute("SELECT seq, received_at, worker, kind, seen_seq, seen_hash, got_seq, got_hash "
                                   "FROM rollbacks ORDER BY seq").fetchall()
        keys = ("seq", "received_at", "worker", "kind", "seen_seq", "seen_hash", "got_seq", "got_hash")
        rollbacks = [dict(zip(keys, r)) for r in rows]
        workers = {w: {"seq": q, "hash": h, "received_at": t,
                       "rollbacks": sum(1 for r in rollbacks if r["worker"] == w)}
                   for w, q, h, t in heads}
        return {"workers": workers, "rollbacks": rollbacks}

    def reset(self):
        with self.tx():
            for t in ("resources", "history", "identifiers", "arrivals", "requests", "audit_heads", "rollbacks"):
                self.db.execute("DELETE FROM " + t)

    # -- control ------------------------------------------------------------
    def stats(self):
        with self.lock:
            q = self.db.execute
            by_type = dict(q("SELECT type, COUNT(*) FROM resources GROUP BY type").fetchall())
            total = q("SELECT COUNT(*) FROM resources").fetchone()[0]
            versions = q("SELECT COUNT(*) FROM history").fetchone()[0]
            outcomes = dict(q("SELECT outcome, COUNT(*) FROM arrivals GROUP BY outcome").fetchall())
            dup_rows = q("SELECT COUNT(DISTINCT id) - 1 FROM identifiers WHERE value IS NOT NULL "
                         "GROUP BY type, system, value HAVING COUNT(DISTINCT id) > 1").fetchall()
            methods = dict(q("SELECT method, COUNT(*) FROM requests GROUP BY method").fetchall())
            writes = q("SELECT COUNT(*) FROM requests WHERE method IN ('PUT','POST','PATCH','DELETE') "
                       "AND path NOT LIKE '/token%'").fetchone()[0]
            faults = dict(q("SELECT fault, COUNT(*) FROM requests WHERE fault IS NOT NULL "
                            "GROUP BY fault").fetchall())
            requests = q("SELECT COUNT(*) FROM requests").fetchone()[0]
            rollbacks = q("SELECT COUNT(*) FROM rollbacks").fetchone()[0]
        return {
            "total": total,
            "by_type": by_type,
            "versions_written": versions,
            "arrivals": outcomes,
            "duplicates": sum(r[0] for r in dup_rows),
            "write_requests": writes,
            "requests": requests,
            "requests_by_method": methods,
            "faults_fired": faults,
            "rollbacks": rollbacks,
        }

    def arrivals(self):
        with self.lock:
            rows = self.db.execute("SELECT seq, received_at, method, path, type, id, outcome, version "
                                   "FROM arrivals ORDER BY seq").fetchall()
        keys = ("seq", "received_at", "method", "path", "type", "id", "outcome", "version")
        return [dict(zip(keys, r)) for r in rows]

    def close(self):
        with self.lock:
            self.db.close()
