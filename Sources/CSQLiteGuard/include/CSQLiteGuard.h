#ifndef SATCHEL_CSQLITEGUARD_H
#define SATCHEL_CSQLITEGUARD_H

// sqlite3_db_config is C-variadic, which Swift cannot call: this is its one use. And the
// vault's background WAL checkpoints, which need a thread and a connection of their own.
// The handle is declared, not defined, so Swift sees an OpaquePointer and GRDB's own
// SQLite module stays the only one importing <sqlite3.h>.
struct sqlite3;

/// SQLITE_DBCONFIG_DEFENSIVE on `db`: `on` is 1 to turn it on, 0 to turn it off, -1
/// to leave it as it is. Returns the setting as SQLite reads it back afterwards (1 on,
/// 0 off), or -1 if SQLite refused the call.
int satchel_sqlite_defensive(struct sqlite3 *db, int on);

/// The vault's WAL checkpoints on a thread of their own (checkpointer.c): `db`'s commits
/// that leave `threshold` frames or more in the WAL wake it, and it checkpoints once no
/// commit has come for `quiet_ms`; at `backstop` frames the committing connection
/// checkpoints itself. NULL if the thread could not start (SQLite's own checkpoints stay
/// on then).
struct satchel_checkpointer;
struct satchel_checkpointer *satchel_checkpointer_start(struct sqlite3 *db, const char *path, int threshold, int backstop, int quiet_ms);
/// Gives `db` back SQLite's own checkpoints, then stops and frees the thread (waiting for a
/// checkpoint under way). `db` must still be open.
void satchel_checkpointer_stop(struct satchel_checkpointer *c, struct sqlite3 *db);

#endif
