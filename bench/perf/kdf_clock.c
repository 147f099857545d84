/* P2: how long the unlock's key derivation takes inside `satchel status`, so the row can
 * give start-up without the KDF as (whole command) - (this), both from the same run,
 * instead of subtracting a separately measured KDF whose run-to-run noise is larger than
 * the figure. Loaded with LD_PRELOAD by bench/run only: it wraps libsodium's
 * crypto_pwhash, calls the real one, and appends its duration in nanoseconds to the file
 * named by SATCHEL_BENCH_KDF_LOG.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef int (*pwhash_fn)(unsigned char *const, unsigned long long, const char *const, unsigned long long,
                         const unsigned char *const, unsigned long long, size_t, int);

static long long now_ns(void) {
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int crypto_pwhash(unsigned char *const out, unsigned long long outlen, const char *const passwd,
                  unsigned long long passwdlen, const unsigned char *const salt, unsigned long long opslimit,
                  size_t memlimit, int alg) {
    pwhash_fn real = (pwhash_fn)dlsym(RTLD_NEXT, "crypto_pwhash");
    if (!real) return -1;
    long long t0 = now_ns();
    int rc = real(out, outlen, passwd, passwdlen, salt, opslimit, memlimit, alg);
    long long dt = now_ns() - t0;
    const char *path = getenv("SATCHEL_BENCH_KDF_LOG");
    FILE *f = path ? fopen(path, "a") : 0;
    if (f) { fprintf(f, "%lld\n", dt); fclose(f); }
    return rc;
}
