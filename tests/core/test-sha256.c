/* test-sha256.c — FIPS 180-4 test vectors for the core SHA-256. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"

/* sha256_1_1: the one-block vector "abc". */
static void sha256_1_1(void **st)
{
    char hex[65];
    sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* sha256_1_2: the empty message. */
static void sha256_1_2(void **st)
{
    char hex[65];
    sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* sha256_1_3: the two-block vector (56 bytes: padding spills to a second block). */
static void sha256_1_3(void **st)
{
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[65];
    sha256_hex(m, strlen(m), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* sha256_1_4: one million 'a', fed in uneven pieces to exercise buffering. */
static void sha256_1_4(void **st)
{
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    struct sha256 s;
    uint8_t d[32];
    char hex[65];
    sha256_init(&s);
    size_t off = 0, step = 1;
    while (off < 1000000) {
        size_t k = step < 1000000 - off ? step : 1000000 - off;
        sha256_update(&s, a + off, k);
        off += k;
        step = step * 3 % 1001 + 1;
    }
    sha256_final(&s, d);
    sha256_hex_digest(d, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_1_1), cmocka_unit_test(sha256_1_2),
        cmocka_unit_test(sha256_1_3), cmocka_unit_test(sha256_1_4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
