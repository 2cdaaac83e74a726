/* trust.h — who may change this board.  Reads only the trust files of a
 * bundle (noticeboard.key, MANIFEST, MANIFEST.minisig) and decides, before
 * anything else on the stick is parsed.
 *   open:   anyone (demos only)
 *   key:    noticeboard.key must match one of the device keys (up to
 *           TRUST_KEYS_MAX); the device stores only their SHA-256
 *           (STORE_DEVICE_KEY, store.h); compared in constant time
 *   signed: MANIFEST (`version: N` + `sha256 size path` lines) with a minisign
 *           signature (legacy Ed or prehashed ED) by [sync] public_key, and a
 *           version above the last accepted one (STORE_MANIFEST_VERSION) */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "core/config.h"
#include "core/store.h"

struct manifest_entry {
    char *path;             /* relative to noticeboard/, e.g. "media/a.jpg" */
    uint64_t size;
    uint8_t sha256[32];
};

struct manifest {
    int64_t version;
    struct manifest_entry *entries;
    size_t nentries;
};

enum trust_result {
    TRUST_OK,
    TRUST_DENIED,   /* exit status 3; *why says why, in Chinese */
    TRUST_IO,       /* exit status 4 */
};

/* bundle_fd is an O_DIRECTORY|O_PATH-or-O_RDONLY descriptor of the stick's
 * noticeboard/ folder.  On TRUST_OK with signed trust, *manifest (caller
 * frees with manifest_destroy) lists every file the stager must find with
 * that size and digest; it is NULL for open and key trust.  *why is a
 * malloc'd Chinese sentence for the report on anything but TRUST_OK. */
enum trust_result trust_check(const struct config *cfg, const struct store *st,
                              int bundle_fd, struct manifest **manifest, char **why);
/* After a successful activation under signed trust: remember the version. */
bool trust_accept(const struct store *st, const struct manifest *m);
void manifest_destroy(struct manifest *m);

/* Parsers, exposed for tests and fuzzing.  Return false with *why set. */
bool manifest_parse(const char *text, size_t len, struct manifest **out, char **why);
/* Verifies a minisign signature file (text) over data with a base64 public
 * key line.  Handles "Ed" (legacy) and "ED" (BLAKE2b-prehashed), and the
 * trusted-comment global signature. */
bool minisign_verify(const char *pubkey_b64, const char *sig_text, size_t sig_len,
                     const void *data, size_t len, char **why);

/* The device keys (key trust).  The device accepts up to TRUST_KEYS_MAX
 * keys, one per stick prepared with init (a copied stick shares its key);
 * it keeps only their SHA-256 with the day each was made, in
 * STORE_DEVICE_KEY, oldest first. */
#define TRUST_KEYS_MAX 8

struct trust_key_added {
    size_t count;           /* keys the device accepts now, the new one included */
    size_t forgotten;       /* with forget_others: how many keys were forgotten */
    char dropped[16];       /* the label of the oldest key, forgotten to make
                             * room, or "" when none was ("?" without label) */
};

/* A new random key as the stick carries it (64 lowercase hex digits),
 * malloc'd: the caller wipes and frees it.  NULL when libsodium fails. */
char *trust_key_make(void);
/* Adds key's SHA-256 to the device's keys under label (the day it was
 * made, e.g. "2026-12-03").  The other keys keep working, except the
 * oldest when TRUST_KEYS_MAX are already kept, or all of them with
 * forget_others (a stick was lost).  false (logged) when the keys cannot
 * be written: nothing changed then.  *out (OUT) says what happened. */
bool trust_key_add(const struct store *st, const char *key, bool forget_others,
                   const char *label, struct trust_key_added *out);
/* How many keys the device accepts (0: none yet, or STORE_DEVICE_KEY unreadable). */
size_t trust_key_count(const struct store *st);
