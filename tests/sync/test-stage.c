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
#include <signal.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"
#include "sync/bundle.h"
#include "sync/posters.h"
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
    assert_int_equal(f->s.csv_mask, 1u << KIND_ANNOUNCEMENTS);
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
    assert_true(f->s.csv_mask & (1u << KIND_EVENTS));
    assert_false(staged(f, "公告.csv"));
    assert_true(warned(f, "公告.csv: 不认识的文件名"));
}

/* stage-1.5: workbooks: 内容.xlsx (any case of its extension) and a
 * kind's own workbook (.xlsx, .xls, .et) are staged under canonical names;
 * a renamed workbook is not, and is warned about. */
static void stage_1_5(void **state)
{
    struct fx *f = *state;
    put(f, "内容.XLSX", "PK");
    put(f, "Events.xlsx", "PK");
    put(f, "holidays.et", "x");
    put(f, "内容(1).xlsx", "PK");
    put(f, "settings.ods", "PK");
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, NULL, NULL, &f->s), STAGE_OK);
    assert_true(staged(f, "内容.xlsx"));
    assert_true(f->s.workbook);
    assert_true(staged(f, "events.xlsx"));
    assert_true(staged(f, "holidays.et"));
    assert_int_equal(f->s.book_mask, (1u << KIND_EVENTS) | (1u << KIND_HOLIDAYS));
    assert_int_equal(f->s.csv_mask, 1u << KIND_ANNOUNCEMENTS);
    assert_false(staged(f, "内容(1).xlsx"));
    assert_true(warned(f, "内容(1).xlsx: 不认识的文件名"));
    assert_false(staged(f, "settings.ods"));
    char *n = bundle_table_name("ANNOUNCEMENTS.Csv");
    assert_string_equal(n, "announcements.csv");
    free(n);
    assert_null(bundle_table_name("内容.csv"));
    assert_null(bundle_table_name(".xlsx"));
    assert_null(bundle_table_name("announcements"));
}

static struct manifest *manifest_of(struct fx *f, const char *const *paths, size_t n)
{
    struct manifest *m = xcalloc(1, sizeof *m);
    m->version = 1;
    m->entries = xcalloc(n, sizeof *m->entries);
    m->nentries = n;
    for (size_t i = 0; i < n; i++) {
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

static struct manifest *manifest_for(struct fx *f)
{
    static const char *const paths[] = {"announcements.csv", "media/a.png"};
    return manifest_of(f, paths, 2);
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

/* stage-6.1: the 海报 folder (any spelling posters_folder_name accepts):
 * pictures and PDFs staged under 海报/ in natural order; a link, a
 * subfolder and a .docx skipped with a 提醒 and named for the 海报 line;
 * Thumbs.db and hidden files silently. */
static void stage_6_1(void **state)
{
    struct fx *f = *state;
    char *d = xasprintf("%s/Posters ", f->bundle);
    assert_true(mkdir_p(d, 0755));
    char *sub = xasprintf("%s/旧的", d);
    assert_true(mkdir_p(sub, 0755));
    char *ln = xasprintf("%s/link.jpg", d);
    assert_int_equal(symlink("/etc/passwd", ln), 0);
    put(f, "Posters /10.jpg", "J10");
    put(f, "Posters /2.JPG", "J2");
    put(f, "Posters /通知.pdf", "%PDF-1.4");
    put(f, "Posters /说明.docx", "x");
    put(f, "Posters /Thumbs.db", "x");
    put(f, "Posters /.hidden.jpg", "x");
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, NULL, NULL, &f->s), STAGE_OK);
    assert_true(f->s.posters_dir);
    assert_string_equal(f->s.posters_src, "Posters ");
    assert_int_equal(f->s.nposters, 3);
    assert_string_equal(f->s.posters[0], "2.JPG");
    assert_string_equal(f->s.posters[1], "10.jpg");
    assert_string_equal(f->s.posters[2], "通知.pdf");
    assert_true(staged(f, "海报/2.JPG"));
    assert_true(staged(f, "海报/通知.pdf"));
    assert_false(staged(f, "海报/说明.docx"));
    assert_false(staged(f, "海报/link.jpg"));
    assert_true(warned(f, "Posters /说明.docx: 不是图片或 PDF"));
    assert_true(warned(f, "Posters /旧的: 是文件夹"));
    assert_true(warned(f, "Posters /link.jpg: 不是普通文件"));
    assert_false(warned(f, "Thumbs.db"));
    assert_false(warned(f, "hidden"));
    assert_int_equal(f->r.nposters_skipped, 3);
    assert_int_equal(f->s.nmedia, 1);       /* media/ as before */
    /* Two posters folders: which is meant cannot be guessed. */
    stage_destroy(&f->s);
    report_free(&f->r);
    char *d2 = xasprintf("%s/海报", f->bundle);
    assert_true(mkdir_p(d2, 0755));
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, NULL, NULL, &f->s),
                     STAGE_REJECTED);
    assert_int_equal(f->r.nproblems, 1);
    assert_non_null(strstr(f->r.problems[0], "有两个海报文件夹"));
    free(d), free(d2), free(sub), free(ln);
}

/* stage-6.2: an empty 海报 folder is a folder all the same (it clears the
 * posters); more than POSTERS_MAX pictures refuse the stick. */
static void stage_6_2(void **state)
{
    struct fx *f = *state;
    char *d = xasprintf("%s/海报", f->bundle);
    assert_true(mkdir_p(d, 0755));
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, NULL, NULL, &f->s), STAGE_OK);
    assert_true(f->s.posters_dir);
    assert_int_equal(f->s.nposters, 0);
    stage_destroy(&f->s);
    for (int i = 0; i <= POSTERS_MAX; i++) {
        char *n = xasprintf("海报/%d.jpg", i);
        put(f, n, "J");
        free(n);
    }
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, NULL, NULL, &f->s),
                     STAGE_REJECTED);
    assert_non_null(strstr(f->r.problems[0], "海报: 文件夹里有 201 张图片和 PDF，最多 200 个"));
    free(d);
}

/* stage-6.3: signed trust covers the folder: a listed poster stages, an
 * unlisted one is skipped with a 提醒, a listed one gone denies. */
static void stage_6_3(void **state)
{
    struct fx *f = *state;
    char *d = xasprintf("%s/海报", f->bundle);
    assert_true(mkdir_p(d, 0755));
    put(f, "海报/1.jpg", "J1");
    static const char *const paths[] = {"announcements.csv", "海报/1.jpg"};
    struct manifest *m = manifest_of(f, paths, 2);
    put(f, "海报/2.jpg", "J2");
    assert_int_equal(stage_copy(f->bfd, f->staging, m, &f->r, NULL, NULL, &f->s), STAGE_OK);
    assert_true(staged(f, "海报/1.jpg"));
    assert_false(staged(f, "海报/2.jpg"));
    assert_true(warned(f, "海报/2.jpg: 不在签名清单"));
    assert_int_equal(f->s.nposters, 1);
    assert_int_equal(f->r.nposters_skipped, 1);
    stage_destroy(&f->s);
    char *p = xasprintf("%s/1.jpg", d);
    unlink(p);
    assert_int_equal(stage_copy(f->bfd, f->staging, m, &f->r, NULL, NULL, &f->s), STAGE_DENIED);
    assert_non_null(strstr(f->r.reason, "海报/1.jpg"));
    manifest_destroy(m);
    free(p), free(d);
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

/* A statvfs with avail_mb MiB free to unprivileged writers, in 4 KiB blocks. */
static struct statvfs vfs_free(uint64_t avail_mb)
{
    struct statvfs v;
    memset(&v, 0, sizeof v);
    v.f_bsize = v.f_frsize = 4096;
    v.f_bavail = (fsblkcnt_t)(avail_mb << 8);
    v.f_bfree = v.f_bavail + 1000;      /* root's reserve does not count */
    v.f_blocks = (fsblkcnt_t)(64ull << 18);     /* a 64 GiB filesystem */
    return v;
}

/* stage-4.1: 200 phone photos of 5 MB plus the tables are within the
 * total cap; the free-space check wants the copy, half of it again for the
 * screen-sized media, and STAGE_RESERVE, and says how much there is. */
static void stage_4_1(void **state)
{
    uint64_t photos = 200 * (5ull << 20) + (64ull << 20);
    assert_true(photos <= STAGE_MAX_TOTAL);
    uint64_t need, avail;
    struct statvfs v = vfs_free(2000);
    assert_true(stage_space_check(&v, 1000ull << 20, &need, &avail));
    assert_int_equal(need, (1500ull << 20) + STAGE_RESERVE);
    assert_int_equal(avail, 2000ull << 20);
    /* One block short of the reserve is refused. */
    v = vfs_free(1500 + (STAGE_RESERVE >> 20));
    assert_true(stage_space_check(&v, 1000ull << 20, &need, &avail));
    v.f_bavail--;
    assert_false(stage_space_check(&v, 1000ull << 20, &need, &avail));
    /* An empty bundle still leaves the reserve. */
    v = vfs_free(100);
    assert_false(stage_space_check(&v, 0, &need, &avail));
    /* A small filesystem (48 MiB, a tmpfs say) keeps a twentieth of its
     * size, not 256 MiB it could never have. */
    v = vfs_free(40);
    v.f_blocks = 48ull << 8;
    assert_true(stage_space_check(&v, 20ull << 20, &need, &avail));
    assert_int_equal(need, (30ull << 20) + ((48ull << 20) / 20));
    assert_false(stage_space_check(&v, 26ull << 20, &need, &avail));
    /* f_frsize 0 (some FUSE filesystems) falls back to f_bsize; huge
     * counts saturate rather than wrap. */
    v = vfs_free(4000);
    v.f_frsize = 0;
    assert_true(stage_space_check(&v, 1000ull << 20, &need, &avail));
    assert_int_equal(avail, 4000ull << 20);
    v.f_frsize = 1u << 20;
    v.f_bavail = (fsblkcnt_t)UINT64_MAX;
    assert_true(stage_space_check(&v, UINT64_MAX, &need, &avail));
    assert_int_equal(avail, UINT64_MAX);
    assert_int_equal(need, UINT64_MAX);
}

/* stage-4.2: a bundle over STAGE_MAX_TOTAL (one sparse file: no space
 * used) is refused before anything is staged, with the sizes in the
 * report. */
static void stage_4_2(void **state)
{
    struct fx *f = *state;
    char *p = xasprintf("%s/media/big.jpg", f->bundle);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)(STAGE_MAX_TOTAL + 1)), 0);
    close(fd);
    free(p);
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, NULL, NULL, &f->s),
                     STAGE_REJECTED);
    assert_int_equal(f->r.nproblems, 1);
    char *want = xasprintf("超过上限 %llu MB", (unsigned long long)(STAGE_MAX_TOTAL >> 20));
    assert_non_null(strstr(f->r.problems[0], want));
    free(want);
    assert_null(f->s.dir);
}

#if defined(__SANITIZE_ADDRESS__)
/* Under ASan a failed malloc is a report and an abort of its own, so
 * util.c's failure path (stage-5.1) would never run: let malloc say NULL. */
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}
#endif

/* stage-5.1: an allocation that fails after staging (the import aborts)
 * removes the staging folder first; after stage_destroy the hook is gone
 * (a later failure does not touch a folder another import may own). */
static void stage_5_1(void **state)
{
    struct fx *f = *state;
    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, NULL, NULL, &f->s), STAGE_OK);
    char *dir = xstrdup(f->s.dir);
    assert_int_equal(access(dir, F_OK), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        volatile size_t huge = SIZE_MAX / 2;   /* volatile: not folded away */
        xmalloc(huge);
        _exit(0);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
    assert_int_equal(access(dir, F_OK), -1);
    stage_destroy(&f->s);
    free(dir);

    assert_int_equal(stage_copy(f->bfd, f->staging, NULL, &f->r, NULL, NULL, &f->s), STAGE_OK);
    dir = xstrdup(f->s.dir);
    char *keep = xasprintf("%s/kept", f->root);
    assert_int_equal(rename(dir, keep), 0);         /* stands for another import's folder */
    stage_destroy(&f->s);
    assert_int_equal(rename(keep, dir), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        volatile size_t huge = SIZE_MAX / 2;
        xmalloc(huge);
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(access(dir, F_OK), 0);
    free(keep);
    free(dir);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
#define T(n) cmocka_unit_test_setup_teardown(n, setup, teardown)
        T(stage_1_1), T(stage_1_2), T(stage_1_3), T(stage_1_4), T(stage_1_5),
        T(stage_2_1), T(stage_2_2), T(stage_2_3), T(stage_3_1), T(stage_3_2),
        T(stage_4_2), T(stage_5_1), T(stage_6_1), T(stage_6_2), T(stage_6_3),
#undef T
        cmocka_unit_test(stage_4_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
