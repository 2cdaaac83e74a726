/* trust.c — decides whether a stick may change this board (open, key or
 * signed trust), reading only noticeboard.key, MANIFEST and MANIFEST.minisig,
 * each through openat(O_NOFOLLOW) on the bundle folder, before anything else. */
#include "sync/trust.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"

#define KEY_FILE "noticeboard.key"
#define KEY_MAX 4096                /* a key file is one short line */
#define MANIFEST_MAX (1u << 20)
#define MINISIG_MAX 4096
#define MANIFEST_PATH_MAX 1024

enum read_result { READ_OK, READ_ABSENT, READ_BAD, READ_IO };

/* Reads name inside dirfd without following symlinks and only if it is a
 * regular file of at most max bytes.  *data is NUL-terminated, malloc'd. */
static enum read_result read_trust_file(int dirfd, const char *name, size_t max,
                                        char **data, size_t *len)
{
    /* O_NONBLOCK: opening a FIFO planted on the stick must not hang us;
     * it is refused by the S_ISREG check right after. */
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return READ_ABSENT;
        if (errno == ELOOP || errno == ENXIO || errno == EACCES) {
            log_warn("trust: %s: refused: %s", name, strerror(errno));
            return READ_BAD;
        }
        log_errno("trust: open %s", name);
        return READ_IO;
    }
    struct stat sb;
    if (fstat(fd, &sb) < 0) {
        log_errno("trust: stat %s", name);
        close(fd);
        return READ_IO;
    }
    if (!S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > max) {
        log_warn("trust: %s: not a regular file or larger than %zu bytes", name, max);
        close(fd);
        return READ_BAD;
    }
    size_t cap = (size_t)sb.st_size, n = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            /* The file may grow under us; read one byte more to notice. */
            char extra;
            ssize_t r = read(fd, &extra, 1);
            if (r == 0)
                break;
            if (r < 0 && errno == EINTR)
                continue;
            if (r > 0)
                log_warn("trust: %s changed while being read", name);
            else
                log_errno("trust: read %s", name);
            free(buf);
            close(fd);
            return r > 0 ? READ_BAD : READ_IO;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            log_errno("trust: read %s", name);
            free(buf);
            close(fd);
            return READ_IO;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return READ_OK;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trims spaces (and a UTF-8 BOM in front) from s[0..*n) in place; returns
 * the new start. */
static const char *trim(const char *s, size_t *n)
{
    if (*n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        *n -= 3;
    }
    while (*n && is_space(*s)) {
        s++;
        (*n)--;
    }
    while (*n && is_space(s[*n - 1]))
        (*n)--;
    return s;
}

static bool hex_decode(const char *s, size_t n, uint8_t *out, size_t outlen)
{
    size_t got = 0;
    const char *end = NULL;
    return n == outlen * 2 &&
           sodium_hex2bin(out, outlen, s, n, NULL, &got, &end) == 0 &&
           got == outlen && end == s + n;
}

struct line {
    const char *s;
    size_t n;
};

/* Splits text into at most max lines (CR/LF stripped); returns the count,
 * or max + 1 if there are more non-empty lines than that. */
static size_t split_lines(const char *text, size_t len, struct line *out, size_t max)
{
    size_t k = 0, i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        size_t n = j - i;
        while (n && text[i + n - 1] == '\r')
            n--;
        if (n) {
            if (k == max)
                return max + 1;
            out[k].s = text + i;
            out[k].n = n;
            k++;
        }
        i = j + 1;
    }
    return k;
}

/* ---------------------------------------------------------------- key trust */

/* The key text as staff's stick carries it: the first line, trimmed, ASCII
 * letters lowered (an editor that "fixed" the case must not lock anyone out). */
static char *key_text(const char *data, size_t len)
{
    const char *s = trim(data, &len);
    size_t n = 0;
    while (n < len && s[n] != '\n' && s[n] != '\r')
        n++;
    while (n && is_space(s[n - 1]))
        n--;
    char *k = xstrndup(s, n);
    for (char *p = k; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return k;
}

/* The keys this device accepts, as key.sha256 holds them: one line per
 * key, "SHA256HEX LABEL" (LABEL: the day init made it, may be absent in a
 * file from before several keys), oldest first. */
struct keyset {
    size_t n;
    uint8_t digest[TRUST_KEYS_MAX][32];
    char label[TRUST_KEYS_MAX][16];
};

/* Reads STORE_DEVICE_KEY into ks; false when absent.  A malformed line is
 * logged and skipped (the other keys still work); beyond TRUST_KEYS_MAX
 * lines the oldest are skipped. */
static bool keyset_read(const struct store *st, struct keyset *ks)
{
    memset(ks, 0, sizeof *ks);
    char *h = store_state_read(st, STORE_DEVICE_KEY);
    if (!h)
        return false;
    struct line l[TRUST_KEYS_MAX * 4];
    size_t k = split_lines(h, strlen(h), l, ARRAY_LEN(l) - 1);
    if (k > ARRAY_LEN(l) - 1)
        k = ARRAY_LEN(l) - 1;
    for (size_t i = 0; i < k; i++) {
        size_t n = l[i].n;
        const char *s = trim(l[i].s, &n);
        if (n == 0)
            continue;
        const char *sp = memchr(s, ' ', n);
        size_t hn = sp ? (size_t)(sp - s) : n;
        uint8_t d[32];
        if (!hex_decode(s, hn, d, 32)) {
            log_error("trust: %s/%s line %zu is not a SHA-256 hex digest; that key is ignored",
                      st->state, store_file_name(STORE_DEVICE_KEY), i + 1);
            continue;
        }
        if (ks->n == TRUST_KEYS_MAX) {
            memmove(ks->digest, ks->digest + 1, sizeof ks->digest[0] * (TRUST_KEYS_MAX - 1));
            memmove(ks->label, ks->label + 1, sizeof ks->label[0] * (TRUST_KEYS_MAX - 1));
            ks->n--;
        }
        memcpy(ks->digest[ks->n], d, 32);
        ks->label[ks->n][0] = '\0';
        if (sp) {
            size_t ln = n - hn;
            const char *lab = trim(sp, &ln);
            if (ln >= sizeof ks->label[0])
                ln = sizeof ks->label[0] - 1;
            memcpy(ks->label[ks->n], lab, ln);
            ks->label[ks->n][ln] = '\0';
        }
        ks->n++;
    }
    free(h);
    return ks->n > 0;
}

static bool keyset_write(const struct store *st, const struct keyset *ks)
{
    struct sbuf b = {0};
    for (size_t i = 0; i < ks->n; i++) {
        char hex[65];
        sodium_bin2hex(hex, sizeof hex, ks->digest[i], 32);
        sbuf_addf(&b, "%s%s%s\n", hex, ks->label[i][0] ? " " : "", ks->label[i]);
    }
    bool ok = store_state_write(st, STORE_DEVICE_KEY, b.s ? b.s : "");
    sbuf_free(&b);
    return ok;
}

static enum trust_result check_key(const struct store *st, int bundle_fd, char **why)
{
    char *data = NULL;
    size_t len = 0;
    switch (read_trust_file(bundle_fd, KEY_FILE, KEY_MAX, &data, &len)) {
    case READ_OK:
        break;
    case READ_ABSENT:
        log_warn("trust: no %s on the stick", KEY_FILE);
        *why = xstrdup("U盘中没有本设备的钥匙文件 noticeboard.key，请使用本设备生成的U盘模板");
        return TRUST_DENIED;
    case READ_BAD:
        *why = xstrdup("钥匙文件 noticeboard.key 不是普通文件或过大，请使用本设备生成的U盘模板");
        return TRUST_DENIED;
    case READ_IO:
        *why = xstrdup("读取U盘上的钥匙文件时出错，请检查U盘是否插好");
        return TRUST_IO;
    }
    struct keyset ks;
    if (!keyset_read(st, &ks)) {
        free(data);
        log_error("trust: key trust configured but %s/%s is missing; run 'noticeboard-sync init' on this device",
                  st->state, store_file_name(STORE_DEVICE_KEY));
        *why = xstrdup("本设备还没有钥匙，请先在本设备上运行 noticeboard-sync init 生成U盘模板");
        return TRUST_DENIED;
    }
    char *key = key_text(data, len);
    free(data);
    uint8_t got[32];
    crypto_hash_sha256(got, (const unsigned char *)key, strlen(key));
    sodium_memzero(key, strlen(key));
    free(key);
    /* Every key is compared, each in constant time, so the time taken does
     * not tell which one came close. */
    bool match = false;
    for (size_t i = 0; i < ks.n; i++)
        match |= sodium_memcmp(got, ks.digest[i], sizeof got) == 0;
    if (!match) {
        log_warn("trust: %s matches none of this device's %zu keys", KEY_FILE, ks.n);
        *why = xstrdup("钥匙文件与本设备不匹配");
        return TRUST_DENIED;
    }
    return TRUST_OK;
}

size_t trust_key_count(const struct store *st)
{
    struct keyset ks;
    keyset_read(st, &ks);
    return ks.n;
}

char *trust_key_make(void)
{
    if (sodium_init() < 0) {
        log_error("trust: libsodium failed to initialise");
        return NULL;
    }
    /* 32 random bytes as lowercase hex: plain ASCII survives any editor or
     * file system a stick meets. */
    uint8_t raw[32];
    randombytes_buf(raw, sizeof raw);
    char key[65];
    sodium_bin2hex(key, sizeof key, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    char *k = xstrdup(key);
    sodium_memzero(key, sizeof key);
    return k;
}

bool trust_key_add(const struct store *st, const char *key, bool forget_others,
                   const char *label, struct trust_key_added *out)
{
    memset(out, 0, sizeof *out);
    if (sodium_init() < 0) {
        log_error("trust: libsodium failed to initialise");
        return false;
    }
    struct keyset ks;
    keyset_read(st, &ks);
    out->forgotten = forget_others ? ks.n : 0;
    if (forget_others) {
        ks.n = 0;
    } else if (ks.n == TRUST_KEYS_MAX) {
        /* Full: the oldest key makes room. */
        snprintf(out->dropped, sizeof out->dropped, "%s", ks.label[0][0] ? ks.label[0] : "?");
        memmove(ks.digest, ks.digest + 1, sizeof ks.digest[0] * (TRUST_KEYS_MAX - 1));
        memmove(ks.label, ks.label + 1, sizeof ks.label[0] * (TRUST_KEYS_MAX - 1));
        ks.n--;
    }
    /* The key as check_key will read it back from the stick. */
    char *k = key_text(key, strlen(key));
    crypto_hash_sha256(ks.digest[ks.n], (const unsigned char *)k, strlen(k));
    sodium_memzero(k, strlen(k));
    free(k);
    snprintf(ks.label[ks.n], sizeof ks.label[0], "%s", label ? label : "");
    for (char *p = ks.label[ks.n]; *p; p++)
        if ((unsigned char)*p <= ' ')
            *p = '_';
    ks.n++;
    if (!keyset_write(st, &ks)) {
        log_error("trust: cannot write %s/%s", st->state, store_file_name(STORE_DEVICE_KEY));
        memset(out, 0, sizeof *out);
        return false;
    }
    out->count = ks.n;
    if (forget_others)
        log_warn("trust: new device key; the %zu keys before it are forgotten", out->forgotten);
    else if (out->dropped[0])
        log_warn("trust: device key added; the oldest key (%s) was forgotten to stay at %d",
                 out->dropped, TRUST_KEYS_MAX);
    else
        log_info("trust: device key added (%zu keys now)", ks.n);
    return true;
}

/* ---------------------------------------------------------------- minisign */

static bool b64_decode(const char *s, size_t n, uint8_t *out, size_t outlen)
{
    size_t got = 0;
    const char *end = NULL;
    return sodium_base642bin(out, outlen, s, n, NULL, &got, &end,
                             sodium_base64_VARIANT_ORIGINAL) == 0 &&
           got == outlen && end == s + n;
}

static bool starts(const struct line *l, const char *prefix)
{
    size_t n = strlen(prefix);
    return l->n >= n && memcmp(l->s, prefix, n) == 0;
}

bool minisign_verify(const char *pubkey_b64, const char *sig_text, size_t sig_len,
                     const void *data, size_t len, char **why)
{
    if (sodium_init() < 0) {
        log_error("trust: libsodium failed to initialise");
        *why = xstrdup("本设备的签名校验组件无法启动");
        return false;
    }
    /* The public key: the base64 line, or a whole minisign .pub file pasted
     * in (its last line is the key). */
    uint8_t pk[42];
    {
        size_t n = pubkey_b64 ? strlen(pubkey_b64) : 0;
        struct line l[4];
        size_t k = split_lines(pubkey_b64 ? pubkey_b64 : "", n, l, 3);
        bool ok = k >= 1 && k <= 3;
        if (ok) {
            size_t kn = l[k - 1].n;
            const char *ks = trim(l[k - 1].s, &kn);
            ok = b64_decode(ks, kn, pk, sizeof pk) && memcmp(pk, "Ed", 2) == 0;
        }
        if (!ok) {
            log_error("trust: [sync] public_key is not a minisign public key");
            *why = xstrdup("本设备配置的签名公钥格式不对，请联系安装人员");
            return false;
        }
    }
    struct line l[4];
    size_t k = split_lines(sig_text, sig_len, l, 4);
    uint8_t sig[74], global[64];
    if (k != 4 || !starts(&l[0], "untrusted comment:") ||
        !b64_decode(l[1].s, l[1].n, sig, sizeof sig) ||
        !starts(&l[2], "trusted comment: ") ||
        !b64_decode(l[3].s, l[3].n, global, sizeof global)) {
        log_warn("trust: MANIFEST.minisig is not a minisign signature");
        *why = xstrdup("签名文件 MANIFEST.minisig 格式不对，请重新签名");
        return false;
    }
    bool prehashed;
    if (memcmp(sig, "Ed", 2) == 0) {
        prehashed = false;
    } else if (memcmp(sig, "ED", 2) == 0) {
        prehashed = true;
    } else {
        log_warn("trust: unknown minisign algorithm %02x%02x", sig[0], sig[1]);
        *why = xstrdup("签名文件 MANIFEST.minisig 使用了不支持的签名算法");
        return false;
    }
    if (memcmp(sig + 2, pk + 2, 8) != 0) {
        log_warn("trust: signature key id differs from the configured public key");
        *why = xstrdup("签名所用的密钥与本设备配置的公钥不一致");
        return false;
    }
    const uint8_t *key = pk + 10, *s = sig + 10;
    int bad;
    if (prehashed) {
        /* "ED": the signed message is BLAKE2b-512 of the file. */
        uint8_t h[crypto_generichash_BYTES_MAX];
        crypto_generichash(h, sizeof h, data, len, NULL, 0);
        bad = crypto_sign_verify_detached(s, h, sizeof h, key);
    } else {
        bad = crypto_sign_verify_detached(s, data, len, key);
    }
    if (bad) {
        log_warn("trust: MANIFEST signature does not verify");
        *why = xstrdup("签名清单 MANIFEST 与签名不符（文件被改动过或签名不对），请重新打包签名");
        return false;
    }
    /* The trusted comment is covered by the global signature over
     * signature || comment; a forged comment means a tampered file. */
    size_t clen = l[2].n - strlen("trusted comment: ");
    uint8_t *msg = xmalloc(64 + clen);
    memcpy(msg, s, 64);
    memcpy(msg + 64, l[2].s + strlen("trusted comment: "), clen);
    bad = crypto_sign_verify_detached(global, msg, 64 + clen, key);
    free(msg);
    if (bad) {
        log_warn("trust: MANIFEST.minisig trusted comment does not verify");
        *why = xstrdup("签名文件 MANIFEST.minisig 的可信注释被改动过，请重新签名");
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- manifest */

void manifest_destroy(struct manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nentries; i++)
        free(m->entries[i].path);
    free(m->entries);
    free(m);
}

/* A path relative to noticeboard/: no absolute path, no empty, "." or ".."
 * component, no backslash or control character, valid UTF-8. */
static bool path_ok(const char *p, size_t n)
{
    if (n == 0 || n > MANIFEST_PATH_MAX || p[0] == '/' || !utf8_valid(p, n, NULL))
        return false;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && ((unsigned char)p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\'))
            return false;
        if (i == n || p[i] == '/') {
            size_t c = i - start;
            if (c == 0 || (c == 1 && p[start] == '.') ||
                (c == 2 && p[start] == '.' && p[start + 1] == '.'))
                return false;
            start = i + 1;
        }
    }
    return true;
}

static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    if (n == 0 || n > 20)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct manifest_entry *)a)->path,
                  ((const struct manifest_entry *)b)->path);
}

static bool manifest_fail(struct manifest *m, char **why, size_t line, const char *what)
{
    manifest_destroy(m);
    if (line)
        *why = xasprintf("签名清单 MANIFEST 第 %zu 行%s", line, what);
    else
        *why = xasprintf("签名清单 MANIFEST %s", what);
    log_warn("trust: MANIFEST line %zu refused", line);
    return false;
}

bool manifest_parse(const char *text, size_t len, struct manifest **out, char **why)
{
    *out = NULL;
    if (memchr(text, '\0', len))
        return manifest_fail(NULL, why, 0, "含有无效字符");
    struct manifest *m = xcalloc(1, sizeof *m);
    size_t cap = 0, lineno = 0, i = 0;
    bool have_version = false;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        const char *s = text + i;
        size_t n = j - i;
        i = j + 1;
        lineno++;
        while (n && s[n - 1] == '\r')
            n--;
        if (n == 0)
            continue;
        if (n > 8 && memcmp(s, "version:", 8) == 0) {
            size_t vn = n - 8;
            const char *v = trim(s + 8, &vn);
            uint64_t ver;
            if (have_version)
                return manifest_fail(m, why, lineno, "重复给出了版本号");
            if (!parse_u64(v, vn, &ver) || ver == 0 || ver > INT64_MAX)
                return manifest_fail(m, why, lineno, "的版本号不是正整数");
            m->version = (int64_t)ver;
            have_version = true;
            continue;
        }
        /* SHA256HEX SIZE PATH; the path is the rest of the line and may
         * hold spaces. */
        const char *sp1 = memchr(s, ' ', n);
        const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - s)) : NULL;
        uint8_t digest[32];
        uint64_t size;
        if (!sp2 || !hex_decode(s, (size_t)(sp1 - s), digest, 32) ||
            !parse_u64(sp1 + 1, (size_t)(sp2 - sp1 - 1), &size))
            return manifest_fail(m, why, lineno, "格式不对（应为：SHA256 大小 路径）");
        const char *p = sp2 + 1;
        size_t pn = n - (size_t)(p - s);
        if (!path_ok(p, pn))
            return manifest_fail(m, why, lineno, "的文件路径不允许（不能是绝对路径或含有 ..）");
        xgrow(&m->entries, &cap, m->nentries + 1, sizeof *m->entries);
        struct manifest_entry *e = &m->entries[m->nentries++];
        e->path = xstrndup(p, pn);
        e->size = size;
        memcpy(e->sha256, digest, 32);
    }
    if (!have_version)
        return manifest_fail(m, why, 0, "缺少 version: 行");
    if (m->nentries > 1)
        qsort(m->entries, m->nentries, sizeof *m->entries, entry_cmp);
    for (size_t k = 1; k < m->nentries; k++)
        if (strcmp(m->entries[k - 1].path, m->entries[k].path) == 0) {
            char *what = xasprintf("中文件 %s 重复出现", m->entries[k].path);
            manifest_fail(m, why, 0, what);
            free(what);
            return false;
        }
    *out = m;
    return true;
}

/* ---------------------------------------------------------------- signed */

static enum trust_result check_signed(const struct config *cfg, const struct store *st,
                                      int bundle_fd, struct manifest **out, char **why)
{
    if (!cfg->public_key || !*cfg->public_key) {
        log_error("trust: trust = signed but [sync] public_key is empty");
        *why = xstrdup("本设备要求签名，但没有配置签名公钥，请联系安装人员");
        return TRUST_DENIED;
    }
    char *man = NULL, *sig = NULL;
    size_t mlen = 0, slen = 0;
    enum read_result r = read_trust_file(bundle_fd, "MANIFEST", MANIFEST_MAX, &man, &mlen);
    enum read_result rs = READ_ABSENT;
    if (r == READ_OK)
        rs = read_trust_file(bundle_fd, "MANIFEST.minisig", MINISIG_MAX, &sig, &slen);
    enum trust_result res = TRUST_DENIED;
    if (r == READ_IO || rs == READ_IO) {
        *why = xstrdup("读取U盘上的签名文件时出错，请检查U盘是否插好");
        res = TRUST_IO;
        goto out;
    }
    if (r != READ_OK || rs != READ_OK) {
        log_warn("trust: MANIFEST or MANIFEST.minisig missing or unreadable");
        *why = xstrdup("U盘中没有有效的签名清单 MANIFEST 和签名文件 MANIFEST.minisig，"
                       "请用 noticeboard-sync pack 打包并用 minisign 签名");
        goto out;
    }
    if (!minisign_verify(cfg->public_key, sig, slen, man, mlen, why))
        goto out;
    struct manifest *m;
    if (!manifest_parse(man, mlen, &m, why))
        goto out;
    int64_t last = 0;
    char *lv = store_state_read(st, STORE_MANIFEST_VERSION);
    if (lv) {
        char *end;
        errno = 0;
        long long v = strtoll(lv, &end, 10);
        if (errno || end == lv) {
            log_error("trust: %s/%s is malformed; refusing signed bundles", st->state,
                      store_file_name(STORE_MANIFEST_VERSION));
            free(lv);
            manifest_destroy(m);
            *why = xstrdup("本设备记录的签名版本已损坏，请联系安装人员");
            goto out;
        }
        last = v;
        free(lv);
    }
    if (m->version <= last) {
        log_warn("trust: MANIFEST version %" PRId64 " not above last accepted %" PRId64,
                 m->version, last);
        *why = xasprintf("签名清单的版本 %" PRId64 " 不高于本设备已接受的版本 %" PRId64
                         "，这可能是旧的U盘内容，请重新打包签名",
                         m->version, last);
        manifest_destroy(m);
        goto out;
    }
    *out = m;
    res = TRUST_OK;
out:
    free(man);
    free(sig);
    return res;
}

enum trust_result trust_check(const struct config *cfg, const struct store *st,
                              int bundle_fd, struct manifest **manifest, char **why)
{
    *manifest = NULL;
    *why = NULL;
    if (sodium_init() < 0) {
        log_error("trust: libsodium failed to initialise");
        *why = xstrdup("本设备的校验组件无法启动");
        return TRUST_IO;
    }
    switch (cfg->trust) {
    case TRUST_OPEN:
        return TRUST_OK;
    case TRUST_KEY:
        return check_key(st, bundle_fd, why);
    case TRUST_SIGNED:
        return check_signed(cfg, st, bundle_fd, manifest, why);
    }
    log_error("trust: unknown trust mode %d", (int)cfg->trust);
    *why = xstrdup("本设备的信任设置无效，请联系安装人员");
    return TRUST_DENIED;
}

bool trust_accept(const struct store *st, const struct manifest *m)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64 "\n", m->version);
    if (!store_state_write(st, STORE_MANIFEST_VERSION, buf)) {
        log_error("trust: cannot record manifest version %" PRId64, m->version);
        return false;
    }
    return true;
}
