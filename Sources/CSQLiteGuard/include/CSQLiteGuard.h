#ifndef SATCHEL_CSQLITEGUARD_H
#define SATCHEL_CSQLITEGUARD_H

// sqlite3_db_config is C-variadic, which Swift cannot call: this is its one use.
// The handle is declared, not defined, so Swift sees an OpaquePointer and GRDB's own
// SQLite module stays the only one importing <sqlite3.h>.
struct sqlite3;

/// SQLITE_DBCONFIG_DEFENSIVE on `db`: `on` is 1 to turn it on, 0 to turn it off, -1
/// to leave it as it is. Returns the setting as SQLite reads it back afterwards (1 on,
/// 0 off), or -1 if SQLite refused the call.
int satchel_sqlite_defensive(struct sqlite3 *db, int on);

#endif
