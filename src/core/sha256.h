/* sha256.h — SHA-256 (FIPS 180-4) for the core, which does not link
 * libsodium: feed digests and media hashes of feeds. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t len;           /* bytes hashed so far */
    uint8_t buf[64];
    size_t nbuf;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Writes the 32-byte digest; s must be re-initialised before reuse. */
void sha256_final(struct sha256 *s, uint8_t out[static 32]);
/* Lower-case hex of a finished digest into out (65 bytes, NUL-terminated). */
void sha256_hex_digest(const uint8_t d[static 32], char out[static 65]);
/* One-shot: hex digest of data[0..len).  Always true (bool for symmetry
 * with the other hashing helpers). */
bool sha256_hex(const void *data, size_t len, char out[static 65]);
