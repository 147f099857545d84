/* P1 baseline: N transactions, WAL, synchronous=FULL, on the same disk.
 *
 *   sqlite_baseline DB N          one 512-byte row per transaction (1-2 WAL pages)
 *   sqlite_baseline DB N PAGES    the same row, plus one row updated in each of PAGES-1
 *                                 other tables: PAGES pages per commit (a Satchel save's size)
 *
 * Prints one line per commit: its latency in nanoseconds and the WAL frames (pages) it
 * wrote, counted with sqlite3_wal_hook (which then checkpoints at 1000 frames, as
 * SQLite's default hook does).
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

static int wal_frames, last_commit_frames;
static int on_wal(void *arg, sqlite3 *db, const char *name, int frames) {
    (void)arg;
    /* After a checkpoint the next writer starts the WAL again from frame 1. */
    last_commit_frames = frames > wal_frames ? frames - wal_frames : frames;
    wal_frames = frames;
    if (frames >= 1000) {
        sqlite3_wal_checkpoint(db, name);
    }
    return SQLITE_OK;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s DB N [PAGES]\n", argv[0]); return 64; }
    int n = atoi(argv[2]);
    int pages = argc > 3 ? atoi(argv[3]) : 1;
    if (n < 0 || pages < 1 || pages > 1000) { fprintf(stderr, "bad N or PAGES\n"); return 64; }
    sqlite3 *db; check(sqlite3_open(argv[1], &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
        "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v BLOB)", 0, 0, 0), db, "setup");
    /* Each extra page is its own one-row table: its root page is its only page, so an
     * update of that row writes exactly one page. */
    sqlite3_stmt **upd = calloc((size_t)pages, sizeof *upd);
    if (!upd) { return 1; }
    for (int p = 1; p < pages; p++) {
        char sql[160];
        snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS p%d(id INTEGER PRIMARY KEY, v BLOB);"
                 "INSERT OR IGNORE INTO p%d VALUES(1, randomblob(256))", p, p);
        check(sqlite3_exec(db, sql, 0, 0, 0), db, "setup pages");
        snprintf(sql, sizeof sql, "UPDATE p%d SET v = randomblob(256) WHERE id = 1", p);
        check(sqlite3_prepare_v2(db, sql, -1, &upd[p], 0), db, "prepare update");
    }
    /* An empty WAL to count from. */
    check(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", 0, 0, 0), db, "checkpoint");
    sqlite3_wal_hook(db, on_wal, 0);
    sqlite3_stmt *ins;
    check(sqlite3_prepare_v2(db, "INSERT INTO t(v) VALUES(randomblob(512))", -1, &ins, 0), db, "prepare");
    for (int i = 0; i < n; i++) {
        long long t0 = now_ns();
        check(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0), db, "begin");
        check(sqlite3_step(ins), db, "insert"); sqlite3_reset(ins);
        for (int p = 1; p < pages; p++) {
            check(sqlite3_step(upd[p]), db, "update"); sqlite3_reset(upd[p]);
        }
        check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
        printf("%lld %d\n", now_ns() - t0, last_commit_frames);
    }
    for (int p = 1; p < pages; p++) sqlite3_finalize(upd[p]);
    free(upd);
    sqlite3_finalize(ins); sqlite3_close(db);
    return 0;
}
