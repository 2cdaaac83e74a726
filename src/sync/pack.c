/* pack.c — `noticeboard-sync pack SOURCE`: writes noticeboard/MANIFEST for
 * signed trust (a version line and `sha256 size path` per file) and prints
 * the minisign command that signs it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/now.h"
#include "core/util.h"
#include "sync/commands.h"
#include "sync/stickw.h"

struct pack_file {
    char *path;             /* relative to noticeboard/ */
    uint64_t size;
    char hex[65];
};

struct pack_list {
    struct pack_file *v;
    size_t n, cap;
};

/* Top-level names the device writes or that carry the trust itself; the
 * manifest cannot list its own signature, and reports/playlog change on
 * every import. */
static bool excluded(const char *rel)
{
    static const char *const names[] = {"MANIFEST", "MANIFEST.minisig", "noticeboard.key",
                                        "reports", "playlog"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (strcmp(rel, names[i]) == 0)
            return true;
    return false;
}

static bool hash_file(const char *path, uint64_t *size, char hex[65])
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        log_errno("pack: open %s", path);
        return false;
    }
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[1 << 16];
    uint64_t total = 0;
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            log_errno("pack: read %s", path);
            close(fd);
            return false;
        }
        if (r == 0)
            break;
        crypto_hash_sha256_update(&st, buf, (size_t)r);
        total += (uint64_t)r;
    }
    close(fd);
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, d);
    sodium_bin2hex(hex, 65, d, sizeof d);
    *size = total;
    return true;
}

/* Adds every regular file under root/rel (rel "" for the top) to list. */
static bool walk(const char *root, const char *rel, struct pack_list *list)
{
    char *dir = *rel ? xasprintf("%s/%s", root, rel) : xstrdup(root);
    DIR *d = opendir(dir);
    if (!d) {
        log_errno("pack: opendir %s", dir);
        free(dir);
        return false;
    }
    bool ok = true;
    struct dirent *de;
    errno = 0;
    while (ok && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *r = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
        char *full = xasprintf("%s/%s", root, r);
        struct stat sb;
        if (!*rel && excluded(r)) {
            /* skipped on purpose */
        } else if (lstat(full, &sb) < 0) {
            log_errno("pack: stat %s", full);
            ok = false;
        } else if (S_ISDIR(sb.st_mode)) {
            ok = walk(root, r, list);
        } else if (S_ISREG(sb.st_mode)) {
            xgrow(&list->v, &list->cap, list->n + 1, sizeof *list->v);
            struct pack_file *f = &list->v[list->n];
            if (hash_file(full, &f->size, f->hex)) {
                f->path = r;
                r = NULL;
                list->n++;
            } else {
                ok = false;
            }
        } else {
            /* The device refuses links and special files; say so now
             * rather than at the board. */
            log_warn("pack: %s is not a regular file; left out of the manifest", full);
        }
        free(r);
        free(full);
        errno = 0;
    }
    if (ok && errno) {
        log_errno("pack: readdir %s", dir);
        ok = false;
    }
    closedir(d);
    free(dir);
    return ok;
}

static int file_cmp(const void *a, const void *b)
{
    return strcmp(((const struct pack_file *)a)->path, ((const struct pack_file *)b)->path);
}

/* The path as a shell word, quoted only when it needs to be, so the
 * printed command can be pasted as it is. */
static char *shell_word(const char *s)
{
    bool plain = *s != '\0';
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:,@", *p))
            plain = false;
    if (plain)
        return xstrdup(s);
    struct sbuf b = {0};
    sbuf_addc(&b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            sbuf_adds(&b, "'\\''");
        else
            sbuf_addc(&b, *p);
    }
    sbuf_addc(&b, '\'');
    return sbuf_take(&b);
}

static void usage(FILE *to)
{
    fprintf(to, "usage: noticeboard-sync pack SOURCE\n"
                "Writes SOURCE/noticeboard/MANIFEST for signed trust: `version: N` and one\n"
                "`sha256 size path` line per file (MANIFEST*, noticeboard.key, reports/ and\n"
                "playlog/ excepted).  N is the current Unix time, so each pack is newer\n"
                "than the last and a board refuses older packs; keep the signing PC's\n"
                "clock right.  Then sign it: minisign -Sm SOURCE/noticeboard/MANIFEST\n");
}

int pack_main(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-') {
        usage(stderr);
        return 2;
    }
    if (sodium_init() < 0) {
        log_error("pack: libsodium failed to initialise");
        return 4;
    }
    const char *src = argv[1];
    char *root = xasprintf("%s/noticeboard", src);
    /* MANIFEST is written through this fd: never through a link. */
    int bfd = stickw_bundle_dir(src, false);
    if (bfd < 0) {
        int e = errno;
        log_errno("pack: %s", root);
        free(root);
        if (e == ENOENT) {
            fprintf(stderr, "在 %s 中找不到 noticeboard 文件夹，请先运行 noticeboard-sync init 生成模板\n", src);
            return 2;
        }
        char *msg = stickw_why("noticeboard", e);
        fprintf(stderr, "%s（%s）\n", msg, src);
        free(msg);
        return 4;
    }
    struct pack_list list = {0};
    int status = 0;
    if (!walk(root, "", &list)) {
        status = 4;
        goto out;
    }
    qsort(list.v, list.n, sizeof *list.v, file_cmp);
    /* The version is the current Unix time: every pack is newer than the
     * last one without any state on the packing PC, as long as its clock
     * does not run backwards. */
    int64_t version = now_unix();
    struct sbuf b = {0};
    sbuf_addf(&b, "version: %" PRId64 "\n", version);
    for (size_t i = 0; i < list.n; i++) {
        if (strchr(list.v[i].path, '\n') || strchr(list.v[i].path, '\r') ||
            strchr(list.v[i].path, '\\')) {
            fprintf(stderr, "文件名 %s 含有不允许的字符，请改名后重试\n", list.v[i].path);
            log_error("pack: unusable file name %s", list.v[i].path);
            sbuf_free(&b);
            status = 1;
            goto out;
        }
        sbuf_addf(&b, "%s %" PRIu64 " %s\n", list.v[i].hex, list.v[i].size, list.v[i].path);
    }
    char *man = xasprintf("%s/MANIFEST", root);
    bool ok = stickw_replace(bfd, "MANIFEST", b.s, b.len);
    int e = errno;
    sbuf_free(&b);
    if (!ok) {
        log_errno("pack: write %s", man);
        char *msg = stickw_why("noticeboard/MANIFEST", e);
        fprintf(stderr, "%s（%s）\n", msg, src);
        free(msg);
        free(man);
        status = 4;
        goto out;
    }
    char *word = shell_word(man);
    printf("已写入 %s（版本 %" PRId64 "，共 %zu 个文件）。\n请用以下命令签名：\n"
           "minisign -Sm %s\n",
           man, version, list.n, word);
    free(word);
    free(man);
out:
    for (size_t i = 0; i < list.n; i++)
        free(list.v[i].path);
    free(list.v);
    free(root);
    close(bfd);
    return status;
}
