/* test-stage.c — staging the stick: only regular files with known names,
 * never a symlink, FIFO or `..`; the signed manifest checked per file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "sync/bundle.h"
#include "sync/stage.h"

struct fx {
    char root[64];
    char *bundle, *staging;
    int bfd;
    struct report r;
    struct stage s;
};

static void put(struct fx *f, const char *rel, const char *text)
{
    char *p = xasprintf("%s/%s", f->bundle, rel);
    assert_true(write_file_atomic(p, text, strlen(text)));
    free(p);
}

static int setup(void **state)
{
    struct fx *f = xcalloc(1, sizeof *f);
    strcpy(f->root, "/tmp/nb-test-stage.XXXXXX");
    assert_non_null(mkdtemp(f->root));
    f->bundle = xasprintf("%s/stick/noticeboard", f->root);
    f->staging = xasprintf("%s/data/staging", f->root);
    assert_true(mkdir_p(f->bundle, 0755));
    char *m = xasprintf("%s/media", f->bundle);
    assert_true(mkdir_p(m, 0755));
    free(m);
    put(f, "announcements.csv", "title\n你好\n");
    put(f, "media/a.png", "PNGDATA");
    f->bfd = open(f->bundle, O_RDONLY | O_DIRECTORY);
    assert_true(f->bfd >= 0);
    f->s.dirfd = -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    stage_destroy(&f->s);
    report_free(&f->r);
    close(f->bfd);
    stage_remove_tree(f->root);
    free(f->bundle);
    free(f->staging);
    free(f);
    return 0;
}

static bool staged(struct fx *f, const char *rel)
{
    struct stat st;
    return fstatat(f->s.dirfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

static bool warned(struct fx *f, const char *text)
{
    for (size_t i = 0; i < f->r.nwarnings; i++)
        if (strstr(f->r.warnings[i], text))
            return true;
    return false;
}

/* stage-1.1: known files copied; others (trust files, reports) left alone. */
static void stage_1_1(void **state)
{
    struct fx *f = *state;
    put(f, "noticeboard.key", "secret");
    put(f, "readme.txt", "x");
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, NULL, NULL, &f->s), STAGE_OK);
    assert_true(staged(f, "announcements.csv"));
    assert_true(staged(f, "media/a.png"));
    assert_false(staged(f, "noticeboard.key"));
    assert_false(staged(f, "readme.txt"));
    assert_false(warned(f, "readme.txt"));
    assert_int_equal(f->s.csv_mask, 1u << BUNDLE_ANNOUNCEMENTS);
    assert_int_equal(f->s.nmedia, 1);
    assert_string_equal(f->s.media[0], "a.png");
    assert_true(f->s.newest_mtime > 0);
    assert_int_equal(f->s.bytes, strlen("title\n你好\n") + strlen("PNGDATA"));
    char *dir = xstrdup(f->s.dir);
    stage_destroy(&f->s);
    assert_int_equal(access(dir, F_OK), -1); /* destroy removes the folder */
    free(dir);
}

/* stage-1.2: symlinks (file, media, media/ folder), FIFOs and hidden
 * files are never opened or staged; the import does not hang on a FIFO. */
static void stage_1_2(void **state)
{
    struct fx *f = *state;
    char *p = xasprintf("%s/events.csv", f->bundle);
    assert_int_equal(symlink("/etc/passwd", p), 0);
    free(p);
    p = xasprintf("%s/ticker.csv", f->bundle);
    assert_int_equal(mkfifo(p, 0644), 0);
    free(p);
    p = xasprintf("%s/media/up", f->bundle);
    assert_int_equal(symlink("..", p), 0);
    free(p);
    p = xasprintf("%s/media/pw.jpg", f->bundle);
    assert_int_equal(symlink("/etc/passwd", p), 0);
    free(p);
    put(f, "media/.hidden.jpg", "x");
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, NULL, NULL, &f->s), STAGE_OK);
    assert_false(staged(f, "events.csv"));
    assert_false(staged(f, "ticker.csv"));
    assert_false(staged(f, "media/pw.jpg"));
    assert_false(staged(f, "media/.hidden.jpg"));
    assert_int_equal(f->s.nmedia, 1);
    assert_true(warned(f, "events.csv: 不是普通文件"));
    assert_true(warned(f, "ticker.csv: 不是普通文件"));
    assert_true(warned(f, "media/pw.jpg: 不是普通文件"));
}

/* stage-1.3: a media folder that is a symlink is skipped as a whole. */
static void stage_1_3(void **state)
{
    struct fx *f = *state;
    char *m = xasprintf("%s/media", f->bundle);
    stage_remove_tree(m);
    assert_int_equal(symlink("..", m), 0);
    free(m);
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, NULL, NULL, &f->s), STAGE_OK);
    assert_int_equal(f->s.nmedia, 0);
    assert_true(warned(f, "media: 不是普通文件夹"));
}

/* stage-1.4: Windows spellings are accepted and staged under the canonical
 * name; a renamed sheet is not imported and is warned about. */
static void stage_1_4(void **state)
{
    struct fx *f = *state;
    put(f, "Events.CSV", "date,title\n");
    put(f, "公告.csv", "title\n");
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, NULL, NULL, &f->s), STAGE_OK);
    assert_true(staged(f, "events.csv"));
    assert_true(f->s.csv_mask & (1u << BUNDLE_EVENTS));
    assert_false(staged(f, "公告.csv"));
    assert_true(warned(f, "公告.csv: 不认识的文件名"));
}

static struct manifest *manifest_for(struct fx *f)
{
    static const char *const paths[] = {"announcements.csv", "media/a.png"};
    struct manifest *m = xcalloc(1, sizeof *m);
    m->version = 1;
    m->entries = xcalloc(2, sizeof *m->entries);
    m->nentries = 2;
    for (size_t i = 0; i < 2; i++) {
        char *p = xasprintf("%s/%s", f->bundle, paths[i]);
        size_t len;
        char *data = read_file(p, 1 << 20, &len);
        assert_non_null(data);
        m->entries[i].path = xstrdup(paths[i]);
        m->entries[i].size = len;
        crypto_hash_sha256(m->entries[i].sha256, (unsigned char *)data, len);
        free(data);
        free(p);
    }
    return m;
}

/* stage-2.1: signed trust: matching files stage; an unlisted file is skipped. */
static void stage_2_1(void **state)
{
    struct fx *f = *state;
    struct manifest *m = manifest_for(f);
    put(f, "ticker.csv", "text\n插入\n");
    assert_int_equal(stage_copy(f->bfd, f->staging, m, &f->r, NULL, NULL, &f->s), STAGE_OK);
    assert_true(staged(f, "announcements.csv"));
    assert_false(staged(f, "ticker.csv"));
    assert_true(warned(f, "ticker.csv: 不在签名清单"));
    manifest_destroy(m);
}

/* stage-2.2: signed trust: same size, other bytes → denied, nothing left staged. */
static void stage_2_2(void **state)
{
    struct fx *f = *state;
    struct manifest *m = manifest_for(f);
    put(f, "announcements.csv", "title\n你坏\n");
    assert_int_equal(stage_copy(f->bfd, f->staging, m, &f->r, NULL, NULL, &f->s), STAGE_DENIED);
    assert_non_null(strstr(f->r.reason, "announcements.csv"));
    assert_null(f->s.dir);
    manifest_destroy(m);
}

/* stage-2.3: signed trust: a listed file removed from the stick → denied
 * (an absent CSV would otherwise keep old content silently). */
static void stage_2_3(void **state)
{
    struct fx *f = *state;
    struct manifest *m = manifest_for(f);
    char *p = xasprintf("%s/announcements.csv", f->bundle);
    unlink(p);
    free(p);
    assert_int_equal(stage_copy(f->bfd, f->staging, m, &f->r, NULL, NULL, &f->s), STAGE_DENIED);
    manifest_destroy(m);
}

static void count_progress(void *ctx, int pct)
{
    int *last = ctx;
    assert_true(pct >= *last && pct <= 100);
    *last = pct;
}

/* stage-3.1: progress reaches 100 and never goes back. */
static void stage_3_1(void **state)
{
    struct fx *f = *state;
    int last = 0;
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, count_progress, &last, &f->s),
                     STAGE_OK);
    assert_int_equal(last, 100);
}

static void grow_files(void *ctx, int pct)
{
    struct fx *f = ctx;
    static const char *const names[] = {"announcements.csv", "media/a.png"};
    for (size_t i = 0; i < 2; i++) {
        char *p = xasprintf("%s/%s", f->bundle, names[i]);
        int fd = open(p, O_WRONLY | O_APPEND);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, "x", 1), 1);
        close(fd);
        free(p);
    }
}

/* stage-3.2: a file that grows while the stick is read (still being
 * copied, or a flaky stick) is an I/O failure and nothing stays staged. */
static void stage_3_2(void **state)
{
    struct fx *f = *state;
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, grow_files, f, &f->s), STAGE_IO);
    assert_non_null(f->r.reason);
    assert_non_null(strstr(f->r.reason, "发生了变化"));
    assert_null(f->s.dir);
    char *p = xasprintf("%s/%ld", f->staging, (long)getpid());
    assert_int_equal(access(p, F_OK), -1);
    free(p);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
#define T(n) cmocka_unit_test_setup_teardown(n, setup, teardown)
        T(stage_1_1), T(stage_1_2), T(stage_1_3), T(stage_1_4),
        T(stage_2_1), T(stage_2_2), T(stage_2_3), T(stage_3_1), T(stage_3_2),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
