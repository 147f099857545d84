/* P1 baseline: N single-row transactions, WAL, synchronous=FULL, on the same disk.
 * Prints one line per commit: the latency in nanoseconds.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void) {
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}
static void check(int rc, sqlite3 *db, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db)); exit(1);
    }
}
int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s DB N\n", argv[0]); return 64; }
    int n = atoi(argv[2]);
    sqlite3 *db; check(sqlite3_open(argv[1], &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
        "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v BLOB)", 0, 0, 0), db, "setup");
    sqlite3_stmt *ins;
    check(sqlite3_prepare_v2(db, "INSERT INTO t(v) VALUES(randomblob(512))", -1, &ins, 0), db, "prepare");
    for (int i = 0; i < n; i++) {
        long long t0 = now_ns();
        check(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0), db, "begin");
        check(sqlite3_step(ins), db, "insert"); sqlite3_reset(ins);
        check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
        printf("%lld\n", now_ns() - t0);
    }
    sqlite3_finalize(ins); sqlite3_close(db);
    return 0;
}
