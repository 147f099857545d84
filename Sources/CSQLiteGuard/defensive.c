#include "CSQLiteGuard.h"
#include <sqlite3.h>

int satchel_sqlite_defensive(struct sqlite3 *db, int on) {
    int now = -1;
    if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, &now) != SQLITE_OK) return -1;
    return now;
}
