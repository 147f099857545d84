/* P2: times the unlock KDF alone: the same libsodium call and limits Satchel's
 * vault uses (Argon2id13, OPSLIMIT_MODERATE, MEMLIMIT_MODERATE; see
 * Sources/SatchelStore/KDFParameters.swift). Prints one line per run in ns.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 5;
    if (sodium_init() < 0) return 1;
    unsigned char key[32], salt[crypto_pwhash_SALTBYTES];
    const char *pw = "bench-passphrase-not-secret";
    randombytes_buf(salt, sizeof salt);
    for (int i = 0; i < runs; i++) {
        struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
        if (crypto_pwhash(key, sizeof key, pw, strlen(pw), salt, crypto_pwhash_OPSLIMIT_MODERATE,
                          crypto_pwhash_MEMLIMIT_MODERATE, crypto_pwhash_ALG_ARGON2ID13) != 0) return 1;
        clock_gettime(CLOCK_MONOTONIC, &b);
        printf("%lld\n", (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec));
    }
    return 0;
}
