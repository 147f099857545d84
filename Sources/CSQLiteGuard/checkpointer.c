#include "CSQLiteGuard.h"
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The vault's WAL checkpoints, moved off the commit that crosses the threshold.
 *
 * SQLite's default: the commit that leaves the WAL at 1,000 frames or more copies them
 * into the database file and fsyncs it before it returns, so one save in ~70 pays for
 * the checkpoint. Here that commit's WAL hook only wakes a thread, which waits for a
 * pause in writing (`quiet_ms` without a commit: the time a worker takes to type the next
 * line) and then checkpoints (PASSIVE: it never blocks a writer) on a connection of its
 * own, so neither the commit nor, usually, the next save waits on its writes and fsync.
 * Durability is SQLite's either way: a commit is on disk when its fsync of the WAL
 * returns, and a checkpoint cut short by kill -9 is finished by the next connection.
 *
 * SQLite starts the WAL file again from its first frame only in a write transaction that
 * begins after a checkpoint has copied every frame. Writes back to back with no pause (a
 * long sync, a benchmark) leave the thread no pause, so at `backstop` frames the
 * committing connection checkpoints itself, as SQLite would at 1,000. */
struct satchel_checkpointer {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int wanted;
    int stopping;
    unsigned long commits;
    int threshold;
    int backstop;
    int quiet_ms;
    char *path;
    pthread_t thread;
};

static int on_commit(void *arg, sqlite3 *db, const char *schema, int frames) {
    struct satchel_checkpointer *c = arg;
    if (frames >= c->backstop) {
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, 0, 0);
    } else if (frames >= c->threshold) {
        pthread_mutex_lock(&c->lock);
        c->wanted = 1;
        c->commits++;
        pthread_cond_signal(&c->wake);
        pthread_mutex_unlock(&c->lock);
    }
    return SQLITE_OK;
}

static void *run(void *arg) {
    struct satchel_checkpointer *c = arg;
    sqlite3 *db = 0;
    /* The file exists (the vault's own connection made it): never create one. */
    if (sqlite3_open_v2(c->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, 0) != SQLITE_OK
        || sqlite3_exec(db, "PRAGMA synchronous = FULL", 0, 0, 0) != SQLITE_OK
        || satchel_sqlite_defensive(db, 1) != 1) {
        sqlite3_close(db);
        db = 0;
    } else {
        sqlite3_busy_timeout(db, 10000);
    }
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (!c->wanted && !c->stopping) pthread_cond_wait(&c->wake, &c->lock);
        if (c->stopping) break;
        /* A pause first: `quiet_ms` with no commit. */
        for (;;) {
            unsigned long seen = c->commits;
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_nsec += (long)c->quiet_ms * 1000000L;
            until.tv_sec += until.tv_nsec / 1000000000L;
            until.tv_nsec %= 1000000000L;
            int rc = 0;
            while (!c->stopping && c->commits == seen && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&c->wake, &c->lock, &until);
            if (c->stopping || c->commits == seen) break;
        }
        if (c->stopping) break;
        c->wanted = 0;
        pthread_mutex_unlock(&c->lock);
        /* Without a connection of its own the backstop is the only checkpoint. */
        if (db) sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, 0, 0);
        pthread_mutex_lock(&c->lock);
    }
    pthread_mutex_unlock(&c->lock);
    sqlite3_close(db);
    return 0;
}

struct satchel_checkpointer *satchel_checkpointer_start(struct sqlite3 *db, const char *path, int threshold, int backstop, int quiet_ms) {
    struct satchel_checkpointer *c = calloc(1, sizeof *c);
    if (!c) return 0;
    c->path = strdup(path);
    c->threshold = threshold;
    c->backstop = backstop;
    c->quiet_ms = quiet_ms;
    pthread_condattr_t monotonic;
    if (!c->path || pthread_mutex_init(&c->lock, 0) != 0) {
        free(c->path);
        free(c);
        return 0;
    }
    pthread_condattr_init(&monotonic);
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    pthread_cond_init(&c->wake, &monotonic);
    pthread_condattr_destroy(&monotonic);
    if (pthread_create(&c->thread, 0, run, c) != 0) {
        pthread_cond_destroy(&c->wake);
        pthread_mutex_destroy(&c->lock);
        free(c->path);
        free(c);
        return 0;
    }
    sqlite3_wal_hook(db, on_commit, c);
    return c;
}

void satchel_checkpointer_stop(struct satchel_checkpointer *c, struct sqlite3 *db) {
    if (!c) return;
    /* Back to SQLite's own checkpoints at 1,000 frames before the hook's state goes. */
    sqlite3_wal_autocheckpoint(db, 1000);
    pthread_mutex_lock(&c->lock);
    c->stopping = 1;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, 0);
    pthread_cond_destroy(&c->wake);
    pthread_mutex_destroy(&c->lock);
    free(c->path);
    free(c);
}
