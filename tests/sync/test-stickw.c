/* test-stickw.c — writing to a stick never goes through a link: a symlinked
 * folder is refused, a link where a file or its temporary goes is replaced
 * or avoided, and what the link pointed at stays byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "sync/stickw.h"

#define VICTIM "the box's live feed.db\n"

struct fx {
    char root[64];
    char *stick, *victim, *vdir;
};

static int setup(void **state)
{
    struct fx *f = xcalloc(1, sizeof *f);
    strcpy(f->root, "/tmp/nb-test-stickw.XXXXXX");
    assert_non_null(mkdtemp(f->root));
    f->stick = xasprintf("%s/stick", f->root);
    f->victim = xasprintf("%s/feed.db", f->root);
    f->vdir = xasprintf("%s/box", f->root);
    assert_true(mkdir_p(f->stick, 0755));
    assert_true(mkdir_p(f->vdir, 0755));
    assert_true(write_file_atomic(f->victim, VICTIM, strlen(VICTIM)));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char *cmd = xasprintf("rm -rf '%s'", f->root);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(f->stick);
    free(f->victim);
    free(f->vdir);
    free(f);
    return 0;
}

static void link_at(const char *target, const char *dir, const char *name)
{
    char *p = xasprintf("%s/%s", dir, name);
    assert_int_equal(symlink(target, p), 0);
    free(p);
}

static void victim_unchanged(const struct fx *f)
{
    size_t len;
    char *s = read_file(f->victim, 1 << 20, &len);
    assert_non_null(s);
    assert_string_equal(s, VICTIM);
    free(s);
}

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static bool is_link(const char *dir, const char *name)
{
    char *p = xasprintf("%s/%s", dir, name);
    struct stat sb;
    bool l = lstat(p, &sb) == 0 && S_ISLNK(sb.st_mode);
    free(p);
    return l;
}

/* stickw-1: a folder is created when absent and opened when present; a
 * symlink to a folder, a dangling one and a file are refused, and nothing
 * is created through the link. */
static void stickw_1(void **state)
{
    struct fx *f = *state;
    int root = open(f->stick, O_RDONLY | O_DIRECTORY);
    assert_true(root >= 0);
    int d = stickw_dir(root, "noticeboard", false);
    assert_int_equal(d, -1);
    assert_int_equal(errno, ENOENT);
    d = stickw_dir(root, "noticeboard", true);
    assert_true(d >= 0);
    close(d);
    d = stickw_dir(root, "noticeboard", true);   /* already there */
    assert_true(d >= 0);
    close(d);

    link_at(f->vdir, f->stick, "media");
    link_at("/nonexistent-nb-dir", f->stick, "reports");
    char *file = xasprintf("%s/playlog", f->stick);
    assert_true(write_file_atomic(file, "x", 1));
    free(file);
    static const char *const bad[] = {"media", "reports", "playlog"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        errno = 0;
        assert_int_equal(stickw_dir(root, bad[i], true), -1);
        assert_true(errno == ELOOP || errno == ENOTDIR);
    }
    assert_int_equal(entries(f->vdir), 0);
    assert_true(is_link(f->stick, "reports"));
    struct stat sb;
    assert_int_equal(stat("/nonexistent-nb-dir", &sb), -1);
    assert_int_equal(stickw_dir(root, "..", true), -1);
    assert_int_equal(stickw_dir(root, "a/b", true), -1);
    close(root);

    /* stickw_bundle_dir: DEST is followed (the installer typed it),
     * DEST/noticeboard is not. */
    char *dest = xasprintf("%s/dest", f->root);
    assert_int_equal(symlink(f->vdir, dest), 0);
    d = stickw_bundle_dir(dest, true);
    assert_true(d >= 0);
    close(d);
    char *nb = xasprintf("%s/noticeboard", f->vdir);
    assert_int_equal(stat(nb, &sb), 0);
    free(nb);
    char *other = xasprintf("%s/other", f->root);
    assert_true(mkdir_p(other, 0755));
    link_at(f->vdir, other, "noticeboard");
    assert_int_equal(stickw_bundle_dir(other, true), -1);
    assert_true(errno == ELOOP || errno == ENOTDIR);
    free(other);
    free(dest);
}

/* stickw-2: replacing a file whose name, or the old fixed temporary name
 * (NAME.tmp), is a link to the box's feed: the link is replaced by a file,
 * the feed is untouched, and no temporary is left. */
static void stickw_2(void **state)
{
    struct fx *f = *state;
    int d = open(f->stick, O_RDONLY | O_DIRECTORY);
    assert_true(d >= 0);
    link_at(f->victim, f->stick, "ticker.csv.tmp");
    link_at(f->victim, f->stick, "events.csv");
    assert_true(stickw_replace(d, "ticker.csv", "a,b\r\n", 5));
    assert_true(stickw_replace(d, "events.csv", "c,d\r\n", 5));
    assert_true(stickw_replace(d, "ticker.csv", "e,f\r\n", 5));     /* over itself */
    victim_unchanged(f);
    assert_false(is_link(f->stick, "events.csv"));
    assert_true(is_link(f->stick, "ticker.csv.tmp"));
    size_t len;
    char *p = xasprintf("%s/events.csv", f->stick);
    char *s = read_file(p, 100, &len);
    assert_string_equal(s, "c,d\r\n");
    free(s);
    free(p);
    p = xasprintf("%s/ticker.csv", f->stick);
    s = read_file(p, 100, &len);
    assert_string_equal(s, "e,f\r\n");
    free(s);
    free(p);
    assert_int_equal(entries(f->stick), 3);     /* no .nb-*.tmp left */
    /* A name too long for a temporary of its own still works. */
    char name[256];
    memset(name, 'n', 250);
    strcpy(name + 250, ".jpg");
    assert_true(stickw_replace(d, name, "j", 1));
    close(d);
}

/* stickw-3: a new file (a report) is never written over anything: a link
 * or a file of that name gives EEXIST and stays as it was. */
static void stickw_3(void **state)
{
    struct fx *f = *state;
    int d = open(f->stick, O_RDONLY | O_DIRECTORY);
    assert_true(d >= 0);
    link_at(f->victim, f->stick, "20261122-090000.txt");
    errno = 0;
    assert_false(stickw_create(d, "20261122-090000.txt", "report", 6));
    assert_int_equal(errno, EEXIST);
    victim_unchanged(f);
    assert_true(stickw_create(d, "20261122-090000-2.txt", "report", 6));
    assert_false(stickw_create(d, "20261122-090000-2.txt", "again", 5));
    size_t len;
    char *p = xasprintf("%s/20261122-090000-2.txt", f->stick);
    char *s = read_file(p, 100, &len);
    assert_string_equal(s, "report");
    free(s);
    free(p);
    close(d);
}

/* stickw-4: the reasons staff read name the thing and say what to do. */
static void stickw_4(void **state)
{
    char *m = stickw_why("noticeboard/media", ELOOP);
    assert_non_null(strstr(m, "“noticeboard/media”是快捷方式（符号链接）或不是文件夹"));
    assert_non_null(strstr(m, "删掉它后重试"));
    free(m);
    m = stickw_why("noticeboard/ticker.csv", ENOSPC);
    assert_non_null(strstr(m, "U盘已满"));
    free(m);
    m = stickw_why("noticeboard/ticker.csv", EROFS);
    assert_non_null(strstr(m, "写保护"));
    free(m);
    m = stickw_why("noticeboard", EIO);
    assert_non_null(strstr(m, "是否插好"));
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(stickw_1, setup, teardown),
        cmocka_unit_test_setup_teardown(stickw_2, setup, teardown),
        cmocka_unit_test_setup_teardown(stickw_3, setup, teardown),
        cmocka_unit_test(stickw_4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
