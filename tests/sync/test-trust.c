/* test-trust.c — key trust, minisign verification (vectors made with the
 * real minisign, tests/fixtures/trust/), MANIFEST parsing and replay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/store.h"
#include "core/util.h"
#include "sync/trust.h"

#define FIX "tests/fixtures/trust"

struct env {
    char dir[64];
    struct store st;
    struct config cfg;
    int bundle;             /* fd of dir/noticeboard */
    char *pub;              /* the test public key line */
};

static char *pubkey_line(const char *file)
{
    char *t = read_file(file, 4096, NULL);
    assert_non_null(t);
    char *nl = strrchr(t, '\n');
    if (nl && nl[1] == '\0')
        *nl = '\0';
    char *last = strrchr(t, '\n');
    char *k = xstrdup(last ? last + 1 : t);
    free(t);
    return k;
}

static int setup(void **state)
{
    struct env *e = xcalloc(1, sizeof *e);
    strcpy(e->dir, "/tmp/nb-test-trust.XXXXXX");
    assert_non_null(mkdtemp(e->dir));
    e->st.dir = xstrdup(e->dir);
    e->st.state = xasprintf("%s/state", e->dir);
    assert_int_equal(mkdir(e->st.state, 0700), 0);
    char *b = xasprintf("%s/noticeboard", e->dir);
    assert_int_equal(mkdir(b, 0700), 0);
    e->bundle = open(b, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(e->bundle >= 0);
    free(b);
    e->pub = pubkey_line(FIX "/test.pub");
    e->cfg.trust = TRUST_KEY;
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;
    close(e->bundle);
    char *cmd = xasprintf("rm -rf '%s'", e->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(e->st.dir);
    free(e->st.state);
    free(e->pub);
    free(e);
    return 0;
}

static void put(struct env *e, const char *name, const char *data, size_t len)
{
    char *p = xasprintf("%s/noticeboard/%s", e->dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    free(p);
}

static enum trust_result check(struct env *e, struct manifest **m, char **why)
{
    return trust_check(&e->cfg, &e->st, e->bundle, m, why);
}

/* Runs trust_check on a fixture bundle with signed trust. */
static enum trust_result check_fixture(struct env *e, const char *name, struct manifest **m,
                                       char **why)
{
    char *p = xasprintf(FIX "/%s/noticeboard", name);
    int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(fd >= 0);
    free(p);
    e->cfg.trust = TRUST_SIGNED;
    e->cfg.public_key = e->pub;
    enum trust_result r = trust_check(&e->cfg, &e->st, fd, m, why);
    close(fd);
    return r;
}

/* trust-1.1: open trust lets anything in and reads nothing. */
static void trust_1_1(void **state)
{
    struct env *e = *state;
    e->cfg.trust = TRUST_OPEN;
    struct manifest *m = (void *)1;
    char *why = (void *)1;
    assert_int_equal(check(e, &m, &why), TRUST_OK);
    assert_null(m);
    assert_null(why);
}

/* A new key added to the device's keys, as init does; caller frees. */
static char *add_key(struct env *e, bool forget_others)
{
    char *key = trust_key_make();
    assert_non_null(key);
    struct trust_key_added added;
    assert_true(trust_key_add(&e->st, key, forget_others, "2026-12-03", &added));
    assert_true(added.count >= 1);
    return key;
}

/* trust-2.1: key trust without noticeboard.key: denied with the exact
 * sentence docs/bundle.md gives staff. */
static void trust_2_1(void **state)
{
    struct env *e = *state;
    char *key = add_key(e, false);
    assert_non_null(key);
    struct manifest *m;
    char *why;
    assert_int_equal(check(e, &m, &why), TRUST_DENIED);
    assert_string_equal(why, "U盘中没有本设备的钥匙文件 noticeboard.key，请使用本设备生成的U盘模板");
    free(why);
    free(key);
}

/* trust-2.2: the right key passes, also with BOM, CRLF, spaces, upper case
 * and a second line; the device keeps only a SHA-256, never the key. */
static void trust_2_2(void **state)
{
    struct env *e = *state;
    char *key = add_key(e, false);
    assert_non_null(key);
    assert_int_equal(strlen(key), 64);
    char *stored = store_state_read(&e->st, STORE_DEVICE_KEY);
    assert_non_null(stored);
    assert_null(strstr(stored, key));
    free(stored);

    struct manifest *m;
    char *why;
    put(e, "noticeboard.key", key, strlen(key));
    assert_int_equal(check(e, &m, &why), TRUST_OK);
    assert_null(why);

    char upper[65];
    for (int i = 0; i < 64; i++)
        upper[i] = (char)((key[i] >= 'a' && key[i] <= 'f') ? key[i] - 32 : key[i]);
    upper[64] = '\0';
    char *dressed = xasprintf("\xEF\xBB\xBF  %s \r\n本文件是本设备的钥匙\r\n", upper);
    put(e, "noticeboard.key", dressed, strlen(dressed));
    assert_int_equal(check(e, &m, &why), TRUST_OK);
    free(dressed);
    free(key);
}

/* trust-2.3: a wrong key (one character off) is denied. */
static void trust_2_3(void **state)
{
    struct env *e = *state;
    char *key = add_key(e, false);
    key[10] = key[10] == '0' ? '1' : '0';
    put(e, "noticeboard.key", key, strlen(key));
    struct manifest *m;
    char *why;
    assert_int_equal(check(e, &m, &why), TRUST_DENIED);
    assert_string_equal(why, "钥匙文件与本设备不匹配");
    free(why);
    free(key);
}

/* trust-2.4: several sticks: each key init adds keeps the ones before
 * working, up to TRUST_KEYS_MAX; one more forgets the oldest; forget_others
 * (a lost stick) leaves only the new one.  A digest file from before
 * several keys (one bare line) still works, and a malformed line costs
 * only itself. */
static void trust_2_4(void **state)
{
    struct env *e = *state;
    struct manifest *m;
    char *why;
    char *k[TRUST_KEYS_MAX + 1];
    for (int i = 0; i <= TRUST_KEYS_MAX; i++) {
        k[i] = add_key(e, false);
        assert_int_equal(trust_key_count(&e->st), i < TRUST_KEYS_MAX ? i + 1 : TRUST_KEYS_MAX);
    }
    put(e, "noticeboard.key", k[0], strlen(k[0]));
    assert_int_equal(check(e, &m, &why), TRUST_DENIED);
    free(why);
    for (int i = 1; i <= TRUST_KEYS_MAX; i++) {
        put(e, "noticeboard.key", k[i], strlen(k[i]));
        assert_int_equal(check(e, &m, &why), TRUST_OK);
    }
    char *lost = add_key(e, true);
    assert_int_equal(trust_key_count(&e->st), 1);
    put(e, "noticeboard.key", k[1], strlen(k[1]));
    assert_int_equal(check(e, &m, &why), TRUST_DENIED);
    free(why);
    put(e, "noticeboard.key", lost, strlen(lost));
    assert_int_equal(check(e, &m, &why), TRUST_OK);

    /* The old one-line format, with a broken line before it. */
    unsigned char d[32];
    char hex[65];
    crypto_hash_sha256(d, (const unsigned char *)k[3], 64);
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    char *text = xasprintf("not-a-digest\n%s\n", hex);
    assert_true(store_state_write(&e->st, STORE_DEVICE_KEY, text));
    free(text);
    assert_int_equal(trust_key_count(&e->st), 1);
    put(e, "noticeboard.key", k[3], strlen(k[3]));
    assert_int_equal(check(e, &m, &why), TRUST_OK);
    for (int i = 0; i <= TRUST_KEYS_MAX; i++)
        free(k[i]);
    free(lost);
}

/* trust-2.5: a symlink, a directory or a FIFO named noticeboard.key is
 * refused without following or blocking. */
static void trust_2_5(void **state)
{
    struct env *e = *state;
    char *key = add_key(e, false);
    char *real = xasprintf("%s/real.key", e->dir);
    FILE *f = fopen(real, "w");
    fputs(key, f);
    fclose(f);
    char *p = xasprintf("%s/noticeboard/noticeboard.key", e->dir);
    struct manifest *m;
    char *why;

    assert_int_equal(symlink(real, p), 0);
    assert_int_equal(check(e, &m, &why), TRUST_DENIED);
    free(why);
    unlink(p);

    assert_int_equal(mkdir(p, 0700), 0);
    assert_int_equal(check(e, &m, &why), TRUST_DENIED);
    free(why);
    rmdir(p);

    assert_int_equal(mkfifo(p, 0600), 0);
    assert_int_equal(check(e, &m, &why), TRUST_DENIED);
    free(why);
    unlink(p);

    free(p);
    free(real);
    free(key);
}

/* trust-2.6: key trust on a device that never made a key is denied. */
static void trust_2_6(void **state)
{
    struct env *e = *state;
    put(e, "noticeboard.key", "abc\n", 4);
    struct manifest *m;
    char *why;
    assert_int_equal(check(e, &m, &why), TRUST_DENIED);
    assert_non_null(strstr(why, "init"));
    free(why);
}

/* trust-3.1: a prehashed (ED) signature by the configured key verifies and
 * the manifest lists the real digests of the files. */
static void trust_3_1(void **state)
{
    struct env *e = *state;
    struct manifest *m;
    char *why;
    assert_int_equal(check_fixture(e, "good", &m, &why), TRUST_OK);
    assert_non_null(m);
    assert_int_equal(m->version, 1900000000);
    assert_int_equal(m->nentries, 2);
    assert_string_equal(m->entries[0].path, "announcements.csv");
    assert_string_equal(m->entries[1].path, "ticker.csv");
    size_t len;
    char *data = read_file(FIX "/good/noticeboard/announcements.csv", 1 << 20, &len);
    assert_non_null(data);
    assert_int_equal(m->entries[0].size, len);
    uint8_t d[32];
    crypto_hash_sha256(d, (unsigned char *)data, len);
    assert_memory_equal(d, m->entries[0].sha256, 32);
    free(data);
    manifest_destroy(m);
}

/* trust-3.2: a legacy (Ed) signature verifies too. */
static void trust_3_2(void **state)
{
    struct env *e = *state;
    struct manifest *m;
    char *why;
    assert_int_equal(check_fixture(e, "legacy", &m, &why), TRUST_OK);
    manifest_destroy(m);
}

/* trust-3.3: a MANIFEST edited after signing, a forged trusted comment and
 * a signature by another key are all denied. */
static void trust_3_3(void **state)
{
    struct env *e = *state;
    static const char *const bad[] = {"tampered-manifest", "tampered-comment", "wrong-key"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct manifest *m;
        char *why = NULL;
        assert_int_equal(check_fixture(e, bad[i], &m, &why), TRUST_DENIED);
        assert_null(m);
        assert_non_null(why);
        free(why);
    }
}

/* trust-3.4: a file changed after signing: the signature still verifies,
 * but its digest differs from the manifest's (the stager refuses it). */
static void trust_3_4(void **state)
{
    struct env *e = *state;
    struct manifest *m;
    char *why;
    assert_int_equal(check_fixture(e, "tampered-file", &m, &why), TRUST_OK);
    size_t len;
    char *data = read_file(FIX "/tampered-file/noticeboard/announcements.csv", 1 << 20, &len);
    uint8_t d[32];
    crypto_hash_sha256(d, (unsigned char *)data, len);
    assert_memory_not_equal(d, m->entries[0].sha256, 32);
    free(data);
    manifest_destroy(m);
}

/* trust-3.5: replay: after accepting version 1900000000 the same bundle and
 * an older one are refused; an older one is fine on a fresh device. */
static void trust_3_5(void **state)
{
    struct env *e = *state;
    struct manifest *m;
    char *why;
    assert_int_equal(check_fixture(e, "old", &m, &why), TRUST_OK);
    manifest_destroy(m);
    assert_int_equal(check_fixture(e, "good", &m, &why), TRUST_OK);
    assert_true(trust_accept(&e->st, m));
    manifest_destroy(m);
    assert_int_equal(check_fixture(e, "good", &m, &why), TRUST_DENIED);
    assert_non_null(strstr(why, "1900000000"));
    free(why);
    assert_int_equal(check_fixture(e, "old", &m, &why), TRUST_DENIED);
    free(why);
}

/* trust-3.6: signed trust without MANIFEST.minisig, or with no public key
 * configured, is denied. */
static void trust_3_6(void **state)
{
    struct env *e = *state;
    e->cfg.trust = TRUST_SIGNED;
    e->cfg.public_key = e->pub;
    put(e, "MANIFEST", "version: 3\n", 11);
    struct manifest *m;
    char *why;
    assert_int_equal(check(e, &m, &why), TRUST_DENIED);
    free(why);
    e->cfg.public_key = NULL;
    assert_int_equal(check(e, &m, &why), TRUST_DENIED);
    assert_non_null(strstr(why, "公钥"));
    free(why);
}

static char *fixture(const char *name, size_t *len)
{
    char *p = xasprintf(FIX "/%s", name);
    char *t = read_file(p, 1 << 20, len);
    assert_non_null(t);
    free(p);
    return t;
}

/* trust-4.1: minisign_verify directly: the whole .pub file is accepted as
 * key; a malformed key or signature text is refused; one flipped data byte
 * fails. */
static void trust_4_1(void **state)
{
    (void)state;
    size_t ml, sl;
    char *man = fixture("good/noticeboard/MANIFEST", &ml);
    char *sig = fixture("good/noticeboard/MANIFEST.minisig", &sl);
    char *pubfile = fixture("test.pub", NULL);
    char *why = NULL;
    assert_true(minisign_verify(pubfile, sig, sl, man, ml, &why));
    assert_false(minisign_verify("RWQ", sig, sl, man, ml, &why));
    free(why);
    assert_false(minisign_verify(pubfile, "untrusted comment: x\nAAAA\n", 26, man, ml, &why));
    free(why);
    man[0] ^= 1;
    assert_false(minisign_verify(pubfile, sig, sl, man, ml, &why));
    free(why);
    char *other = fixture("other.pub", NULL);
    man[0] ^= 1;
    assert_false(minisign_verify(other, sig, sl, man, ml, &why));
    assert_string_equal(why, "签名所用的密钥与本设备配置的公钥不一致");
    free(why);
    free(other);
    free(man);
    free(sig);
    free(pubfile);
}

#define H64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static bool parses(const char *text)
{
    struct manifest *m;
    char *why = NULL;
    bool ok = manifest_parse(text, strlen(text), &m, &why);
    if (ok)
        manifest_destroy(m);
    else
        free(why);
    return ok;
}

/* trust-5.1: manifest grammar: version line, `sha256 size path`, CRLF and
 * paths with spaces; sorted output. */
static void trust_5_1(void **state)
{
    (void)state;
    const char *t = "version: 42\r\n" H64 " 10 media/活动 照片.jpg\r\n" H64 " 0 a.csv\r\n";
    struct manifest *m;
    char *why;
    assert_true(manifest_parse(t, strlen(t), &m, &why));
    assert_int_equal(m->version, 42);
    assert_int_equal(m->nentries, 2);
    assert_string_equal(m->entries[0].path, "a.csv");
    assert_string_equal(m->entries[1].path, "media/活动 照片.jpg");
    assert_int_equal(m->entries[1].size, 10);
    assert_int_equal(m->entries[1].sha256[0], 0x01);
    manifest_destroy(m);
}

/* trust-5.2: refused: no version, version 0, two versions, absolute path,
 * "..", ".", empty component, backslash, duplicate path, short hash, bad
 * size, NUL byte. */
static void trust_5_2(void **state)
{
    (void)state;
    assert_false(parses(H64 " 1 a.csv\n"));
    assert_false(parses("version: 0\n"));
    assert_false(parses("version: 1\nversion: 2\n"));
    assert_false(parses("version: 1\n" H64 " 1 /etc/passwd\n"));
    assert_false(parses("version: 1\n" H64 " 1 ../x.csv\n"));
    assert_false(parses("version: 1\n" H64 " 1 media/../../x\n"));
    assert_false(parses("version: 1\n" H64 " 1 ./a.csv\n"));
    assert_false(parses("version: 1\n" H64 " 1 media//a.jpg\n"));
    assert_false(parses("version: 1\n" H64 " 1 media\\a.jpg\n"));
    assert_false(parses("version: 1\n" H64 " 1 a.csv\n" H64 " 2 a.csv\n"));
    assert_false(parses("version: 1\n0123 1 a.csv\n"));
    assert_false(parses("version: 1\n" H64 " 1x a.csv\n"));
    assert_false(parses("version: 1\n" H64 " 99999999999999999999999 a.csv\n"));
    assert_true(parses("version: 1\n" H64 " 1 a.csv\n"));
    struct manifest *m;
    char *why;
    assert_false(manifest_parse("version: 1\n\0", 12, &m, &why));
    free(why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(trust_1_1, setup, teardown),
        cmocka_unit_test_setup_teardown(trust_2_1, setup, teardown),
        cmocka_unit_test_setup_teardown(trust_2_2, setup, teardown),
        cmocka_unit_test_setup_teardown(trust_2_3, setup, teardown),
        cmocka_unit_test_setup_teardown(trust_2_4, setup, teardown),
        cmocka_unit_test_setup_teardown(trust_2_5, setup, teardown),
        cmocka_unit_test_setup_teardown(trust_2_6, setup, teardown),
        cmocka_unit_test_setup_teardown(trust_3_1, setup, teardown),
        cmocka_unit_test_setup_teardown(trust_3_2, setup, teardown),
        cmocka_unit_test_setup_teardown(trust_3_3, setup, teardown),
        cmocka_unit_test_setup_teardown(trust_3_4, setup, teardown),
        cmocka_unit_test_setup_teardown(trust_3_5, setup, teardown),
        cmocka_unit_test_setup_teardown(trust_3_6, setup, teardown),
        cmocka_unit_test(trust_4_1),
        cmocka_unit_test(trust_5_1),
        cmocka_unit_test(trust_5_2),
    };
    return cmocka_run_group_tests_name("trust", tests, NULL, NULL);
}
