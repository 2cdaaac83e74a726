/* test-playlog.c — the play log: held in memory and appended at most once a
 * minute, a file per day, a line cut by a crash skipped, pruned by age and
 * size, counted back per item. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/playlog.h"
#include "core/util.h"
#include "core/when.h"
#include "../testutil.h"

static char dir[] = "/tmp/nb-test-playlog.XXXXXX";

static int64_t at(const char *s)
{
    int64_t m;
    assert_true(when_read_moment(s, &m));
    return m;
}

static int64_t day(const char *s)
{
    int64_t d;
    assert_true(when_read_date(s, &d));
    return d;
}

static char *slurp(const char *d, const char *name)
{
    char *p = xasprintf("%s/%s", d, name);
    size_t len;
    char *s = read_file(p, 1u << 20, &len);
    free(p);
    return s;
}

static bool exists(const char *d, const char *name)
{
    char *p = xasprintf("%s/%s", d, name);
    struct stat st;
    bool ok = stat(p, &st) == 0;
    free(p);
    return ok;
}

/* playlog_1_1: nothing is written before a minute of the caller's clock has
 * passed; then all held lines go in one write, in the documented form. */
static void playlog_1_1(void **st)
{
    (void)st;
    char *d = xasprintf("%s/p11", dir);
    struct playlog *l = playlog_open(d);
    assert_true(playlog_tick(l, 1000, false));      /* starts the clock */
    playlog_add(l, at("2026-11-22 09:00"), 5, "urgent", "3", 0, "停水通知");
    playlog_add(l, at("2026-11-22 09:00"), 35, "announcement", "7", 1, "社区\t活动\n通知");
    playlog_add(l, at("2026-11-22 09:01"), 5, "events", NULL, 0, "近期活动");
    assert_true(playlog_tick(l, 60999, false));
    assert_false(exists(d, "2026-11-22.tsv"));
    uint64_t bytes, writes;
    playlog_stats(l, &bytes, &writes);
    assert_int_equal(writes, 0);
    assert_true(playlog_tick(l, 61000, false));
    char *s = slurp(d, "2026-11-22.tsv");
    assert_non_null(s);
    assert_string_equal(s, "2026-11-22 09:00:05\turgent\t3\t1\t停水通知\n"
                           "2026-11-22 09:00:35\tannouncement\t7\t2\t社区 活动 通知\n"
                           "2026-11-22 09:01:05\tevents\t-\t1\t近期活动\n");
    playlog_stats(l, &bytes, &writes);
    assert_int_equal(writes, 1);
    assert_int_equal(bytes, strlen(s));
    free(s);
    /* Nothing held: no write at the next minute. */
    assert_true(playlog_tick(l, 130000, false));
    playlog_stats(l, &bytes, &writes);
    assert_int_equal(writes, 1);
    playlog_close(l);
    free(d);
}

/* playlog_1_2: lines go to the file of their own day (across midnight, one
 * write per day), and close writes what is held. */
static void playlog_1_2(void **st)
{
    (void)st;
    char *d = xasprintf("%s/p12", dir);
    struct playlog *l = playlog_open(d);
    playlog_add(l, at("2026-11-22 23:59"), 50, "honors", "2026年度志愿者", 0, "2026年度志愿者");
    playlog_add(l, at("2026-11-23 00:00"), 20, "urgent", "3", 0, "停水通知");
    playlog_close(l);
    char *a = slurp(d, "2026-11-22.tsv"), *b = slurp(d, "2026-11-23.tsv");
    assert_string_equal(a, "2026-11-22 23:59:50\thonors\t2026年度志愿者\t1\t2026年度志愿者\n");
    assert_string_equal(b, "2026-11-23 00:00:20\turgent\t3\t1\t停水通知\n");
    free(a);
    free(b);
    free(d);
}

/* playlog_1_3: a day file cut mid-line (kill -9 during a write) gets a line
 * break before the next append; the reader skips the cut line only and
 * counts first pages per item, most shown first, within the days asked. */
static void playlog_1_3(void **st)
{
    (void)st;
    char *d = xasprintf("%s/p13", dir);
    assert_true(mkdir_p(d, 0755));
    char *p = xasprintf("%s/2026-11-22.tsv", d);
    const char *cut = "2026-11-22 08:59:00\turgent\t3\t1\t停水通知\n2026-11-22 08:59:30\tannou";
    assert_true(write_file_atomic(p, cut, strlen(cut)));
    struct playlog *l = playlog_open(d);
    for (int i = 0; i < 3; i++) {
        playlog_add(l, at("2026-11-22 09:00") + i, 0, "urgent", "3", 0, "停水通知");
        playlog_add(l, at("2026-11-22 09:00") + i, 10, "announcement", "7", 0, "活动");
        playlog_add(l, at("2026-11-22 09:00") + i, 20, "announcement", "7", 1, "活动");
    }
    playlog_add(l, at("2026-10-01 09:00"), 0, "announcement", "8", 0, "旧的");
    playlog_close(l);
    char *s = slurp(d, "2026-11-22.tsv");
    assert_non_null(strstr(s, "\tannou\n2026-11-22 09:00:00\turgent"));
    free(s);

    struct playlog_tally t;
    assert_true(playlog_read(d, day("2026-11-01"), day("2026-11-30"), &t));
    assert_int_equal(t.lines, 10);                  /* 1 + 9; the cut line skipped */
    assert_int_equal(t.n, 2);
    assert_string_equal(t.items[0].kind, "urgent");
    assert_int_equal(t.items[0].shown, 4);
    assert_string_equal(t.items[1].title, "活动");
    assert_int_equal(t.items[1].shown, 3);          /* page 2 is not a showing */
    assert_int_equal(t.items[1].last, at("2026-11-22 09:02"));
    assert_int_equal(t.first, at("2026-11-22 08:59"));
    playlog_tally_free(&t);
    assert_true(playlog_read(d, day("2026-10-01"), day("2026-10-01"), &t));
    assert_int_equal(t.n, 1);
    assert_string_equal(t.items[0].title, "旧的");
    playlog_tally_free(&t);
    /* No folder: an empty tally. */
    char *none = xasprintf("%s/none", dir);
    assert_true(playlog_read(none, 0, day("2030-01-01"), &t));
    assert_int_equal(t.n + t.lines, 0);
    free(none);
    free(p);
    free(d);
}

/* playlog_1_4: pruning removes days older than PLAYLOG_KEEP_DAYS, then the
 * oldest past PLAYLOG_MAX_BYTES, never today's or a later day's file, and
 * leaves other files alone. */
static void playlog_1_4(void **st)
{
    (void)st;
    char *d = xasprintf("%s/p14", dir);
    assert_true(mkdir_p(d, 0755));
    const char *names[] = {"2025-10-01.tsv", "2025-10-28.tsv", "2025-10-29.tsv",
                           "2026-11-22.tsv", "2027-01-01.tsv", "notes.txt"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        char *p = xasprintf("%s/%s", d, names[i]);
        assert_true(write_file_atomic(p, "x\n", 2));
        free(p);
    }
    /* 2026-11-22 minus 400 days is 2025-10-18. */
    assert_int_equal(playlog_prune(d, day("2026-11-22")), 1);
    assert_false(exists(d, "2025-10-01.tsv"));
    for (size_t i = 1; i < ARRAY_LEN(names); i++)
        assert_true(exists(d, names[i]));
    /* Over the size cap: the oldest go first, today's stays even alone. */
    char *big = xasprintf("%s/2026-11-21.tsv", d);
    FILE *f = fopen(big, "w");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)PLAYLOG_MAX_BYTES, SEEK_SET), 0);
    fputc('\n', f);
    fclose(f);
    assert_int_equal(playlog_prune(d, day("2026-11-22")), 3);
    assert_false(exists(d, "2025-10-28.tsv"));
    assert_false(exists(d, "2026-11-21.tsv"));
    assert_true(exists(d, "2026-11-22.tsv"));
    assert_true(exists(d, "2027-01-01.tsv"));
    assert_true(exists(d, "notes.txt"));
    free(big);
    free(d);
}

/* playlog_1_5: while the folder cannot be written the lines are kept and
 * tick says false; they are written once it can be. */
static void playlog_1_5(void **st)
{
    (void)st;
    char *d = xasprintf("%s/p15", dir);
    assert_true(write_file_atomic(d, "", 0));       /* a file where the folder goes */
    struct playlog *l = playlog_open(d);
    playlog_add(l, at("2026-11-22 09:00"), 0, "urgent", "3", 0, "停水通知");
    assert_false(playlog_tick(l, 0, true));
    assert_int_equal(unlink(d), 0);
    playlog_add(l, at("2026-11-22 09:01"), 0, "urgent", "3", 0, "停水通知");
    assert_true(playlog_tick(l, 0, true));
    char *s = slurp(d, "2026-11-22.tsv");
    assert_string_equal(s, "2026-11-22 09:00:00\turgent\t3\t1\t停水通知\n"
                           "2026-11-22 09:01:00\turgent\t3\t1\t停水通知\n");
    free(s);
    playlog_close(l);
    free(d);
}

/* playlog_1_6: a long title is cut at PLAYLOG_TITLE_MAX bytes on a
 * character boundary. */
static void playlog_1_6(void **st)
{
    (void)st;
    char *d = xasprintf("%s/p16", dir);
    struct sbuf t = {0};
    for (int i = 0; i < 100; i++)
        sbuf_adds(&t, "通");
    struct playlog *l = playlog_open(d);
    playlog_add(l, at("2026-11-22 09:00"), 0, "announcement", "1", 0, t.s);
    playlog_close(l);
    char *s = slurp(d, "2026-11-22.tsv");
    const char *title = strrchr(s, '\t') + 1;
    assert_int_equal(strlen(title), 90 + 1);        /* 30 characters and the line break */
    assert_int_equal(memcmp(title, t.s, 90), 0);
    free(s);
    sbuf_free(&t);
    free(d);
}

static int teardown(void **st)
{
    return rm_tree(dir);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(playlog_1_1), cmocka_unit_test(playlog_1_2),
        cmocka_unit_test(playlog_1_3), cmocka_unit_test(playlog_1_4),
        cmocka_unit_test(playlog_1_5), cmocka_unit_test(playlog_1_6),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
