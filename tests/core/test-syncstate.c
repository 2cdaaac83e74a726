/* test-syncstate.c — the sync state between the two programs: every result
 * round-trips, the first two lines stay what the player always read, and
 * anything else reads as no news without crashing. */
#include <errno.h>
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

#include "core/content.h"
#include "core/store.h"
#include "core/syncstate.h"
#include "core/util.h"
#include "../testutil.h"

static char dir[] = "/tmp/nb-test-syncstate.XXXXXX";

static void expect_same(const struct syncstate *a, const struct syncstate *b)
{
    assert_int_equal(a->result, b->result);
    assert_int_equal(a->percent, b->percent);
    assert_int_equal(a->stage, b->stage);
    assert_int_equal(a->announcements, b->announcements);
    assert_int_equal(a->events, b->events);
    assert_int_equal(a->honors, b->honors);
    assert_int_equal(a->ticker, b->ticker);
    assert_int_equal(a->warnings, b->warnings);
    assert_int_equal(a->problems, b->problems);
    assert_int_equal(a->report, b->report);
    assert_string_equal(a->summary, b->summary);
}

/* syncstate_1_1: each result is written and read back as it was, and the
 * first line is busy N / ok / fail, the second the summary. */
static void syncstate_1_1(void **st)
{
    struct store s;
    char *d = xasprintf("%s/a", dir);
    assert_true(store_init(&s, d, true));
    struct syncstate none;
    assert_false(syncstate_read(&s, &none));           /* absent: no news */
    static const struct {
        struct syncstate st;
        const char *head;
    } cases[] = {
        {{.result = SYNCSTATE_BUSY, .percent = 40, .stage = SYNCSTATE_STAGE_COPY,
          .summary = "正在更新内容… 40%"}, "busy 40\n正在更新内容… 40%\n"},
        {{.result = SYNCSTATE_OK, .announcements = 12, .events = 3, .honors = 36, .ticker = 5,
          .summary = "更新成功：12条公告"}, "ok\n更新成功：12条公告\n"},
        {{.result = SYNCSTATE_OK_WARNINGS, .announcements = 1, .warnings = 2,
          .summary = "更新成功"}, "ok\n更新成功\n"},
        {{.result = SYNCSTATE_CHECKED, .events = 7, .summary = "检查通过"}, "ok\n检查通过\n"},
        {{.result = SYNCSTATE_REJECTED, .problems = 3, .warnings = 1, .summary = "更新失败"},
         "fail\n更新失败\n"},
        {{.result = SYNCSTATE_NOT_AUTHORISED, .summary = "未授权"}, "fail\n未授权\n"},
        {{.result = SYNCSTATE_IO_ERROR, .summary = ""}, "fail\n\n"},
        /* The content plays, the report did not reach a read-only stick. */
        {{.result = SYNCSTATE_OK, .announcements = 2, .report = SYNCSTATE_REPORT_READ_ONLY,
          .summary = "更新成功：2条公告"}, "ok\n更新成功：2条公告\n"},
        {{.result = SYNCSTATE_REJECTED, .problems = 1, .report = SYNCSTATE_REPORT_FULL,
          .summary = "更新失败"}, "fail\n更新失败\n"},
        {{.result = SYNCSTATE_NOT_AUTHORISED, .report = SYNCSTATE_REPORT_FAILED,
          .summary = "未授权"}, "fail\n未授权\n"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        assert_true(syncstate_write(&s, &cases[i].st));
        char *text = store_state_read(&s, STORE_LAST_SYNC);
        assert_non_null(text);
        if (strncmp(text, cases[i].head, strlen(cases[i].head)))
            fail_msg("case %zu: file starts '%.40s', want '%s'", i, text, cases[i].head);
        char word[16];
        syncstate_word(&cases[i].st, word);
        assert_memory_equal(text, word, strlen(word));
        free(text);
        struct syncstate got;
        assert_true(syncstate_read(&s, &got));
        expect_same(&got, &cases[i].st);
    }
    store_fini(&s);
    free(d);
}

/* syncstate_1_2: one exact file, as the format documents it. */
static void syncstate_1_2(void **st)
{
    static const char text[] = "ok\n更新成功：2条公告\nresult: ok-warnings\nannouncements: 2\n"
                               "events: 0\nhonors: 4\nticker: 1\nwarnings: 3\nproblems: 0\n";
    struct syncstate got;
    assert_true(syncstate_parse(text, strlen(text), &got));
    assert_int_equal(got.result, SYNCSTATE_OK_WARNINGS);
    assert_int_equal(got.announcements, 2);
    assert_int_equal(got.honors, 4);
    assert_int_equal(got.ticker, 1);
    assert_int_equal(got.warnings, 3);
    assert_string_equal(got.summary, "更新成功：2条公告");
    /* Keys in another order are the same state. */
    static const char busy[] = "busy 100\n\nstage: done\nresult: busy\n";
    assert_true(syncstate_parse(busy, strlen(busy), &got));
    assert_int_equal(got.percent, 100);
    assert_int_equal(got.stage, SYNCSTATE_STAGE_DONE);
    assert_string_equal(syncstate_result_name(SYNCSTATE_NOT_AUTHORISED), "not-authorised");
    assert_string_equal(syncstate_stage_name(SYNCSTATE_STAGE_COPY), "copy");
    assert_int_equal(got.report, SYNCSTATE_REPORT_SAVED);

    /* syncstate_1_3: a report the stick did not take is one more line,
     * only then; staff get why and what to do. */
    static const char ro[] = "ok\n更新成功：2条公告\nresult: ok\nannouncements: 2\n"
                             "events: 0\nhonors: 0\nticker: 0\nwarnings: 0\nproblems: 0\n"
                             "report: read-only\n";
    assert_true(syncstate_parse(ro, strlen(ro), &got));
    assert_int_equal(got.result, SYNCSTATE_OK);
    assert_int_equal(got.report, SYNCSTATE_REPORT_READ_ONLY);
    assert_string_equal(syncstate_report_name(got.report), "read-only");
    assert_non_null(strstr(syncstate_report_cn(got.report), "U盘不能写入"));
    assert_non_null(strstr(syncstate_report_todo_cn(got.report), "写保护开关"));
    assert_non_null(strstr(syncstate_report_cn(SYNCSTATE_REPORT_FULL), "U盘已满"));
    assert_non_null(strstr(syncstate_report_todo_cn(SYNCSTATE_REPORT_FULL), "删掉"));
    assert_non_null(strstr(syncstate_report_cn(SYNCSTATE_REPORT_FAILED), "写入U盘时出错"));
    assert_null(syncstate_report_cn(SYNCSTATE_REPORT_SAVED));
    assert_null(syncstate_report_todo_cn(SYNCSTATE_REPORT_SAVED));
    static const char fail_full[] = "fail\n更新失败\nreport: full\nresult: rejected\n"
                                    "warnings: 0\nproblems: 2\n";
    assert_true(syncstate_parse(fail_full, strlen(fail_full), &got));
    assert_int_equal(got.report, SYNCSTATE_REPORT_FULL);
    /* From the errno of the failed write. */
    assert_int_equal(syncstate_report_of_errno(EROFS), SYNCSTATE_REPORT_READ_ONLY);
    assert_int_equal(syncstate_report_of_errno(EACCES), SYNCSTATE_REPORT_READ_ONLY);
    assert_int_equal(syncstate_report_of_errno(EPERM), SYNCSTATE_REPORT_READ_ONLY);
    assert_int_equal(syncstate_report_of_errno(ENOSPC), SYNCSTATE_REPORT_FULL);
    assert_int_equal(syncstate_report_of_errno(EIO), SYNCSTATE_REPORT_FAILED);
}

/* syncstate_2_1: whatever is not exactly what the writer writes is no news,
 * and the struct comes back zeroed. */
static void syncstate_2_1(void **st)
{
    static const char *const bad[] = {
        "",
        "ok\n",                                                 /* the two-line form of old */
        "ok\n更新成功：1条公告\n",
        "ok\n更新成功\nresult: ok\nannouncements: 1\nevents: 0\nhonors: 0\nticker: 0\n"
        "warnings: 0\nproblems: 0",                             /* no final line end */
        "ok\r\n更新成功\r\nresult: ok\r\n",
        "done\nx\nresult: ok\n",
        "busy\nx\nresult: busy\nstage: copy\n",
        "busy 101\nx\nresult: busy\nstage: copy\n",
        "busy -1\nx\nresult: busy\nstage: copy\n",
        "busy 040\nx\nresult: busy\nstage: copy\n",
        "busy 40\nx\nresult: busy\n",                           /* no stage */
        "busy 40\nx\nresult: busy\nstage: none\n",
        "busy 40\nx\nresult: busy\nstage: teleport\n",
        "busy 40\nx\nresult: busy\nstage: copy\nwarnings: 0\nproblems: 0\n",
        "busy 40\nx\nresult: ok\nannouncements: 0\nevents: 0\nhonors: 0\nticker: 0\n"
        "warnings: 0\nproblems: 0\n",                           /* word and result disagree */
        "ok\nx\nresult: ok\nannouncements: 0\nevents: 0\nhonors: 0\nticker: 0\nwarnings: 0\n",
        "ok\nx\nresult: ok\nannouncements: 0\nevents: 0\nhonors: 0\nticker: 0\nwarnings: 0\n"
        "problems: 0\nproblems: 0\n",                           /* twice */
        "ok\nx\nresult: ok\nannouncements: 0\nevents: 0\nhonors: 0\nticker: 0\nwarnings: 0\n"
        "problems: 0\ncolour: red\n",                           /* unknown key */
        "ok\nx\nresult: ok\nannouncements: 0\nevents: 0\nhonors: 0\nticker: 0\nwarnings: 1\n"
        "problems: 0\n",                                        /* ok has no warnings */
        "ok\nx\nresult: ok-warnings\nannouncements: 0\nevents: 0\nhonors: 0\nticker: 0\n"
        "warnings: 0\nproblems: 0\n",                           /* and ok-warnings has */
        "ok\nx\nresult: ok\nannouncements: 0\nevents: 0\nhonors: 0\nticker: 0\nwarnings: 0\n"
        "problems: 2\n",
        "ok\nx\nresult: ok\nannouncements: -1\nevents: 0\nhonors: 0\nticker: 0\nwarnings: 0\n"
        "problems: 0\n",
        "ok\nx\nresult: ok\nannouncements: 1000000000\nevents: 0\nhonors: 0\nticker: 0\n"
        "warnings: 0\nproblems: 0\n",
        "ok\nx\nresult: ok\nannouncements:1\nevents: 0\nhonors: 0\nticker: 0\nwarnings: 0\n"
        "problems: 0\n",
        "ok\nx\nresult: ok\nannouncements: 1 \nevents: 0\nhonors: 0\nticker: 0\nwarnings: 0\n"
        "problems: 0\n",
        "fail\nx\nresult: rejected\nannouncements: 1\nevents: 0\nhonors: 0\nticker: 0\n"
        "warnings: 0\nproblems: 1\n",                           /* counts on a failure */
        "fail\nx\nresult: rejected\nwarnings: 0\nproblems: 1\n\n",
        "fail\nx\nresult: gone\nwarnings: 0\nproblems: 0\n",
        "fail\n\xff\xfe\nresult: io-error\nwarnings: 0\nproblems: 0\n",  /* not UTF-8 */
        "fail\na\tb\nresult: io-error\nwarnings: 0\nproblems: 0\n",      /* a control character */
        "busy 40\nx\nresult: busy\nstage: copy\nreport: read-only\n",  /* busy has no report yet */
        "fail\nx\nresult: io-error\nwarnings: 0\nproblems: 0\nreport: saved\n",  /* never written */
        "fail\nx\nresult: io-error\nwarnings: 0\nproblems: 0\nreport: lost\n",
        "fail\nx\nresult: io-error\nwarnings: 0\nproblems: 0\nreport: full\nreport: full\n",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct syncstate got;
        memset(&got, 0x5a, sizeof got);
        if (syncstate_parse(bad[i], strlen(bad[i]), &got))
            fail_msg("case %zu read as a state: '%s'", i, bad[i]);
        struct syncstate zero;
        memset(&zero, 0, sizeof zero);
        assert_memory_equal(&got, &zero, sizeof zero);
    }
    /* A NUL inside, a summary too long, a file too big. */
    static const char nul[] = "fail\nx\0y\nresult: io-error\nwarnings: 0\nproblems: 0\n";
    struct syncstate got;
    assert_false(syncstate_parse(nul, sizeof nul - 1, &got));
    struct sbuf b = {0};
    sbuf_adds(&b, "fail\n");
    for (int i = 0; i < SYNCSTATE_SUMMARY_MAX; i++)
        sbuf_addc(&b, 'x');
    sbuf_adds(&b, "\nresult: io-error\nwarnings: 0\nproblems: 0\n");
    assert_false(syncstate_parse(b.s, b.len, &got));
    sbuf_free(&b);
    /* On disk: a malformed file reads as no news through the store too. */
    struct store s;
    char *d = xasprintf("%s/b", dir);
    assert_true(store_init(&s, d, true));
    assert_true(store_state_write(&s, STORE_LAST_SYNC, "ok\n更新成功：1条公告\n"));
    assert_false(syncstate_read(&s, &got));
    char *big = xcalloc(1, 5000);
    memset(big, 'x', 4999);
    assert_true(store_state_write(&s, STORE_LAST_SYNC, big));
    assert_false(syncstate_read(&s, &got));
    free(big);
    store_fini(&s);
    free(d);
}

/* syncstate_2_2: thousands of damaged versions of good files never crash;
 * what still reads is a consistent state that writes back the same. */
static void syncstate_2_2(void **st)
{
    static const char *const good[] = {
        "ok\n更新成功：2条公告\nresult: ok-warnings\nannouncements: 2\nevents: 0\nhonors: 4\n"
        "ticker: 1\nwarnings: 3\nproblems: 0\n",
        "busy 40\n正在更新内容… 40%\nresult: busy\nstage: copy\n",
        "fail\n更新失败\nresult: rejected\nwarnings: 0\nproblems: 2\n",
        "ok\n更新成功\nresult: ok\nannouncements: 2\nevents: 0\nhonors: 0\nticker: 0\n"
        "warnings: 0\nproblems: 0\nreport: read-only\n",
    };
    uint64_t rng = 1;
    size_t read = 0;
    for (int round = 0; round < 6000; round++) {
        const char *g = good[round % ARRAY_LEN(good)];
        size_t n = strlen(g);
        char buf[256];
        memcpy(buf, g, n);
        int edits = 1 + round % 3;
        for (int e = 0; e < edits; e++) {
            rng = rng * 6364136223846793005u + 1442695040888963407u;
            size_t at = (size_t)(rng >> 33) % n;
            switch ((rng >> 20) % 3) {
            case 0: buf[at] = (char)(rng >> 40); break;                   /* change a byte */
            case 1: n = at + 1; break;                                     /* cut */
            default: memmove(buf + at, buf + at + 1, n - at - 1); n--; break;   /* drop */
            }
            if (n == 0)
                break;
        }
        struct syncstate got;
        if (!syncstate_parse(buf, n, &got))
            continue;
        read++;
        struct store s;
        char *d = xasprintf("%s/c", dir);
        assert_true(store_init(&s, d, true));
        assert_true(syncstate_write(&s, &got));       /* asserts consistency */
        struct syncstate again;
        assert_true(syncstate_read(&s, &again));
        expect_same(&got, &again);
        store_fini(&s);
        free(d);
    }
    /* Some damage keeps a valid state (a digit changed): the loop saw both. */
    assert_true(read > 0);
}

/* syncstate_3_1: the summary is one line of valid UTF-8 that fits. */
static void syncstate_3_1(void **st)
{
    struct syncstate s = {.result = SYNCSTATE_IO_ERROR};
    syncstate_set_summary(&s, "第一行\n第二行\r\t末\xff尾");
    assert_string_equal(s.summary, "第一行 第二行  末\xEF\xBF\xBD尾");
    struct sbuf b = {0};
    for (int i = 0; i < SYNCSTATE_SUMMARY_MAX; i++)
        sbuf_adds(&b, "屏");
    syncstate_set_summary(&s, b.s);
    sbuf_free(&b);
    size_t n = strlen(s.summary);
    assert_true(n < SYNCSTATE_SUMMARY_MAX && n > SYNCSTATE_SUMMARY_MAX - 4);
    assert_int_equal(n % 3, 0);                 /* whole characters only */
    struct feed_content *c = content_create();
    c->nrolls = 2;
    c->rolls = xcalloc(2, sizeof *c->rolls);
    c->rolls[0].nentries = 3;
    c->rolls[1].nentries = 4;
    c->nann = 5;
    s.result = SYNCSTATE_OK;
    syncstate_set_counts(&s, c);
    assert_int_equal(s.honors, 7);              /* people, not rolls */
    assert_int_equal(s.announcements, 5);
    c->nann = 0;                                /* nothing behind the counts */
    c->nrolls = 0;
    free(c->rolls);
    c->rolls = NULL;
    content_destroy(c);
    syncstate_set_counts(&s, NULL);
    assert_int_equal(s.honors + s.announcements + s.events + s.ticker, 0);
}

/* syncstate_4_1: recovery after a cut — nothing to do touches nothing (no
 * lock file made); a busy state and a staging copy become an I/O error and
 * an empty staging/; a held lock (an import runs) leaves both alone. */
static void syncstate_4_1(void **st)
{
    struct store s;
    char *d = xasprintf("%s/r", dir);
    assert_true(store_init(&s, d, true));
    char *lock = store_state_path(&s, STORE_LOCK);
    assert_false(syncstate_recover(&s));
    assert_int_not_equal(access(lock, F_OK), 0);
    struct syncstate busy = {.result = SYNCSTATE_BUSY, .percent = 70,
                             .stage = SYNCSTATE_STAGE_IMAGES, .summary = "正在更新内容… 70%"};
    assert_true(syncstate_write(&s, &busy));
    char *sub = xasprintf("%s/1234", s.staging), *file = xasprintf("%s/1234/a.jpg", s.staging);
    assert_int_equal(mkdir(sub, 0700), 0);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("x", f);
    fclose(f);

    int fd = -1;                                /* an import holds the lock */
    assert_int_equal(store_lock(&s, &fd), STORE_LOCK_OK);
    assert_false(syncstate_recover(&s));
    assert_int_equal(access(file, F_OK), 0);
    struct syncstate got;
    assert_true(syncstate_read(&s, &got));
    assert_int_equal(got.result, SYNCSTATE_BUSY);
    store_unlock(fd);

    assert_true(syncstate_recover(&s));         /* the import died: recovered */
    assert_int_not_equal(access(sub, F_OK), 0);
    assert_int_equal(access(s.staging, F_OK), 0);   /* staging/ itself stays */
    assert_true(syncstate_read(&s, &got));
    assert_int_equal(got.result, SYNCSTATE_IO_ERROR);
    assert_non_null(strstr(got.summary, "中断"));
    assert_false(syncstate_recover(&s));        /* and once only */

    /* Staging leftovers without a busy state (a cut after the last state
     * write): removed, the state kept. */
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_true(syncstate_recover(&s));
    assert_int_not_equal(access(sub, F_OK), 0);
    struct syncstate again;
    assert_true(syncstate_read(&s, &again));
    expect_same(&again, &got);
    free(sub);
    free(file);
    free(lock);
    store_fini(&s);
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
        cmocka_unit_test(syncstate_1_1), cmocka_unit_test(syncstate_1_2),
        cmocka_unit_test(syncstate_2_1), cmocka_unit_test(syncstate_2_2),
        cmocka_unit_test(syncstate_3_1), cmocka_unit_test(syncstate_4_1),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
