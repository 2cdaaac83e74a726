/* test-plan.c — `noticeboard plan` output: the --at lines, the --from --to
 * intervals, and a property test that every printed interval is what
 * schedule_at gives at each of its minutes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "core/util.h"

static int64_t at(const char *s)
{
    int64_t t;
    if (!when_parse_moment(s, &t))
        fail_msg("bad moment '%s'", s);
    return t;
}

static void add_ann(struct feed_content *c, const char *title, int64_t start, int64_t end,
                    const char *hours, enum priority prio)
{
    c->ann = xrealloc(c->ann, (c->nann + 1) * sizeof *c->ann);
    struct nb_announcement *a = &c->ann[c->nann++];
    memset(a, 0, sizeof *a);
    a->id = (int64_t)c->nann;
    a->title = xstrdup(title);
    a->body = xstrdup("");
    a->start = start;
    a->end = end;
    a->days = DAYS_ALL;
    int n;
    assert_true(when_parse_hours(hours, a->hours, &n));
    a->nhours = (uint8_t)n;
    a->priority = prio;
    a->duration = 10;
}

static struct feed_content *fixture(void)
{
    struct feed_content *c = content_create();
    add_ann(c, "停水\t通知\n明天", WHEN_ALWAYS, WHEN_NEVER, "08:00-18:00", PRIO_NORMAL);
    add_ann(c, "燃气检修", at("2026-11-22 09:00"), at("2026-11-22 10:00"), "", PRIO_URGENT);
    c->nevents = 1;
    c->events = xcalloc(1, sizeof *c->events);
    c->events[0] = (struct nb_event){.id = 1, .day = at("2026-11-23 00:00") / WHEN_MIN_PER_DAY,
        .start = 600, .end = -1, .title = xstrdup("义诊"), .place = xstrdup(""),
        .organizer = xstrdup(""), .note = xstrdup("")};
    c->nrolls = 1;
    c->rolls = xcalloc(1, sizeof *c->rolls);
    c->rolls[0] = (struct nb_roll){.id = 1, .name = xstrdup("2026 好人榜"), .start = WHEN_ALWAYS,
                                   .end = WHEN_NEVER, .nentries = 1};
    c->rolls[0].entries = xcalloc(1, sizeof(struct nb_honor));
    c->rolls[0].entries[0] = (struct nb_honor){xstrdup("张三"), xstrdup(""), xstrdup(""), xstrdup(""), NULL};
    return c;
}

static char *capture_at(const struct feed_content *c, const struct sched_opts *o, const char *when)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_true(plan_print_at(f, c, o, at(when)));
    fclose(f);
    return buf;
}

static char *capture_span(const struct feed_content *c, const struct sched_opts *o,
                          int64_t from, int64_t to)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_true(plan_print_span(f, c, o, from, to));
    fclose(f);
    return buf;
}

/* plan_1_1: --at prints KIND, ID, TITLE per slide in play order; tabs and
 * newlines in titles become spaces; events are "-" / 近期活动. */
static void plan_1_1(void **st)
{
    struct feed_content *c = fixture();
    struct sched_opts o = {0};
    char *out = capture_at(c, &o, "2026-11-22 09:30");
    assert_string_equal(out,
        "urgent\t2\t燃气检修\n"
        "announcement\t1\t停水 通知 明天\n"
        "urgent\t2\t燃气检修\n"
        "events\t-\t近期活动\n"
        "urgent\t2\t燃气检修\n"
        "honors\t2026 好人榜\t2026 好人榜\n");
    free(out);
    out = capture_at(c, &o, "2026-11-23 20:00");
    assert_string_equal(out, "honors\t2026 好人榜\t2026 好人榜\n");
    free(out);
    o.nquiet = 1;
    o.quiet[0] = (struct when_window){22 * 60, 6 * 60};
    out = capture_at(c, &o, "2026-11-23 23:00");
    assert_string_equal(out, "quiet\n");
    free(out);
    content_destroy(c);
}

/* plan_1_2: --from --to prints maximal intervals, TO exclusive, quiet as "quiet". */
static void plan_1_2(void **st)
{
    struct feed_content *c = fixture();
    struct sched_opts o = {.nquiet = 1, .quiet = {{22 * 60, 6 * 60}}};
    char *out = capture_span(c, &o, at("2026-11-22 07:00"), at("2026-11-23 12:00"));
    assert_string_equal(out,
        "2026-11-22 07:00\t2026-11-22 08:00\t- 2026 好人榜\n"
        "2026-11-22 08:00\t2026-11-22 09:00\t1 - 2026 好人榜\n"
        "2026-11-22 09:00\t2026-11-22 10:00\t2 1 2 - 2 2026 好人榜\n"
        "2026-11-22 10:00\t2026-11-22 18:00\t1 - 2026 好人榜\n"
        "2026-11-22 18:00\t2026-11-22 22:00\t- 2026 好人榜\n"
        "2026-11-22 22:00\t2026-11-23 06:00\tquiet\n"
        "2026-11-23 06:00\t2026-11-23 08:00\t- 2026 好人榜\n"
        "2026-11-23 08:00\t2026-11-23 12:00\t1 - 2026 好人榜\n");
    free(out);
    /* the events slide goes when the event (10:00, no end: 2 h) is over */
    out = capture_span(c, &o, at("2026-11-23 11:00"), at("2026-11-23 13:00"));
    assert_string_equal(out,
        "2026-11-23 11:00\t2026-11-23 12:00\t1 - 2026 好人榜\n"
        "2026-11-23 12:00\t2026-11-23 13:00\t1 2026 好人榜\n");
    free(out);
    FILE *f = fopen("/dev/null", "w");
    assert_false(plan_print_span(f, c, &o, at("2026-11-23 11:00"), at("2026-11-23 11:00")));
    fclose(f);
    content_destroy(c);
}

static uint64_t rng;
static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng >> 33) % n;
}

/* plan_2_1: property — on random feeds over a week, consecutive printed
 * intervals tile [from, to), neighbours differ, and at every minute of an
 * interval schedule_at gives exactly the printed IDs. */
static void plan_2_1(void **st)
{
    static const char *const hours[] = {"", "08:00-18:00", "20:00-02:00", "07:30-09:00,17:00-19:30",
                                        "23:00-24:00"};
    int64_t from = at("2026-09-28 00:00"), to = from + 7 * WHEN_MIN_PER_DAY;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        rng = seed;
        struct feed_content *c = content_create();
        int n = 1 + (int)rnd(7);
        for (int i = 0; i < n; i++) {
            int64_t s = rnd(3) ? from - 1440 + (int64_t)rnd(9 * 1440) : WHEN_ALWAYS;
            int64_t e = rnd(3) ? from + (int64_t)rnd(9 * 1440) : WHEN_NEVER;
            add_ann(c, "t", s, e, hours[rnd(ARRAY_LEN(hours))], (enum priority)rnd(3));
            c->ann[c->nann - 1].days = (uint16_t)(rnd(2) ? DAYS_ALL : rnd(3) ? DAYS_WORKDAY : 0x55);
        }
        struct sched_opts o = {0};
        if (seed % 2) {
            o.nquiet = 1;
            o.quiet[0] = (struct when_window){(int16_t)(1200 + rnd(200)), (int16_t)(300 + rnd(200))};
        }
        char *out = capture_span(c, &o, from, to);
        int64_t expect_from = from;
        char *prev = NULL;
        size_t lines = 0;
        for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
            char *t1 = strchr(line, '\t');
            assert_non_null(t1);
            char *t2 = strchr(t1 + 1, '\t');
            assert_non_null(t2);
            *t1 = *t2 = '\0';
            int64_t a = at(line), z = at(t1 + 1);
            const char *ids = t2 + 1;
            assert_int_equal(a, expect_from);
            assert_true(z > a);
            if (prev && !strcmp(prev, ids))
                fail_msg("seed %llu: equal neighbours not merged at %s", (unsigned long long)seed, line);
            for (int64_t m = a; m < z; m++) {
                struct plan p;
                schedule_at(c, &o, m, &p);
                char *got = plan_ids(c, &p);
                plan_free(&p);
                if (strcmp(got, ids)) {
                    char w[17];
                    when_format(m, w);
                    fail_msg("seed %llu: at %s plan is '%s' but the span says '%s'",
                             (unsigned long long)seed, w, got, ids);
                }
                free(got);
            }
            free(prev);
            prev = xstrdup(ids);
            expect_from = z;
            lines++;
        }
        assert_int_equal(expect_from, to);
        assert_true(lines >= 1);
        free(prev);
        free(out);
        content_destroy(c);
    }
}

/* plan_1_3: control characters in a title or a roll name (ESC, BEL, DEL,
 * a C1 CSI, a byte that is not UTF-8) never reach the terminal raw: each
 * is U+FFFD; tabs and line breaks stay spaces, one slide stays one line.
 * (feed_load refuses such feeds; this is the printers' backstop.) */
static void plan_1_3(void **st)
{
    struct feed_content *c = xcalloc(1, sizeof *c);
    c->org_name = xstrdup("");
    add_ann(c, "停水\x1b[2J\x07通知\r\n\t\x7f\xc2\x9b" "31m\xff尾", WHEN_ALWAYS, WHEN_NEVER, "", PRIO_NORMAL);
    struct sched_opts o = {0};
    char *out = capture_at(c, &o, "2026-11-22 09:30");
    assert_string_equal(out, "announcement\t1\t停水\xEF\xBF\xBD[2J\xEF\xBF\xBD通知   "
                             "\xEF\xBF\xBD\xEF\xBF\xBD" "31m\xEF\xBF\xBD尾\n");
    free(out);
    content_destroy(c);

    struct sbuf b = {0};
    sbuf_add_line(&b, "");
    assert_string_equal(b.s, "");
    b.len = 0;
    sbuf_add_line(&b, "a\x1b");
    assert_string_equal(b.s, "a\xEF\xBF\xBD");
    b.len = 0;
    sbuf_add_line(&b, "");          /* reused: still terminated */
    assert_string_equal(b.s, "");
    sbuf_free(&b);
}

/* plan_3_1: the week for staff: the loop now in play order, then each
 * day what plays with its times (quiet hours as 熄屏, the urgent notice
 * marked, a day like the one before in one line), from the same schedule
 * as plan --from --to. */
static void plan_3_1(void **st)
{
    struct feed_content *c = fixture();
    struct sched_opts o = {.nquiet = 1, .quiet = {{22 * 60, 6 * 60}}};
    char *out = plan_week_text(c, &o, at("2026-11-22 09:30"), 4, 100, NULL);
    assert_string_equal(out,
        "现在的播放顺序：\n"
        "  1. 【紧急】燃气检修（每页 10 秒）\n"
        "  2. 停水 通知 明天（每页 10 秒）\n"
        "  3. 【紧急】燃气检修（每页 10 秒）\n"
        "  4. 近期活动（每页 15 秒）\n"
        "  5. 【紧急】燃气检修（每页 10 秒）\n"
        "  6. 表彰：2026 好人榜（每页 12 秒）\n"
        "\n每天播放什么、什么时间：\n"
        "11月22日 星期日（今天，从现在起）\n"
        "  【紧急】燃气检修：09:30–10:00\n"
        "  停水 通知 明天：09:30–18:00\n"
        "  近期活动：09:30–22:00\n"
        "  表彰：2026 好人榜：09:30–22:00\n"
        "  熄屏（安静时段）：22:00–24:00\n"
        "11月23日 星期一\n"
        "  熄屏（安静时段）：00:00–06:00、22:00–24:00\n"
        "  近期活动：06:00–12:00\n"
        "  表彰：2026 好人榜：06:00–22:00\n"
        "  停水 通知 明天：08:00–18:00\n"
        "11月24日 星期二\n"
        "  熄屏（安静时段）：00:00–06:00、22:00–24:00\n"
        "  表彰：2026 好人榜：06:00–22:00\n"
        "  停水 通知 明天：08:00–18:00\n"
        "11月25日 星期三：和前一天一样\n");
    free(out);
    /* Bounded: days past max_lines are counted, not listed. */
    out = plan_week_text(c, &o, at("2026-11-22 09:30"), 7, 6, NULL);
    assert_non_null(strstr(out, "11月22日"));
    assert_null(strstr(out, "11月23日 星期一\n"));
    assert_non_null(strstr(out, "天太长，没有列出"));
    free(out);
    content_destroy(c);
}

/* A fake of the feed's media table for plan_3_2: one picture has the
 * name staff gave it, the other none. */
static char *file_of(void *ctx, const char *image)
{
    (void)ctx;
    if (!strcmp(image, "aaaa"))
        return xstrdup("1.jpg");
    if (!strcmp(image, "bbbb"))
        return xstrdup("消防\t通知-第1页.png");
    return NULL;
}

/* plan_3_2: a poster (picture, no title) is named in the week's text by
 * the file staff put on the stick, flattened like a title; a picture
 * without a known name, or no namer at all, gives 海报（第N条）. */
static void plan_3_2(void **st)
{
    struct feed_content *c = content_create();
    add_ann(c, "", WHEN_ALWAYS, WHEN_NEVER, "", PRIO_NORMAL);
    c->ann[0].image = xstrdup("aaaa");
    add_ann(c, "", WHEN_ALWAYS, WHEN_NEVER, "", PRIO_NORMAL);
    c->ann[1].image = xstrdup("bbbb");
    add_ann(c, "", WHEN_ALWAYS, WHEN_NEVER, "", PRIO_NORMAL);
    c->ann[2].image = xstrdup("cccc");
    struct sched_opts o = {0};
    struct plan_names names = {file_of, NULL};
    char *out = plan_week_text(c, &o, at("2026-11-22 09:30"), 1, 100, &names);
    assert_string_equal(out,
        "现在的播放顺序：\n"
        "  1. 海报“1.jpg”（每页 10 秒）\n"
        "  2. 海报“消防 通知-第1页.png”（每页 10 秒）\n"
        "  3. 海报（第3条）（每页 10 秒）\n"
        "\n每天播放什么、什么时间：\n"
        "11月22日 星期日（今天，从现在起）\n"
        "  海报“1.jpg”：09:30–24:00\n"
        "  海报“消防 通知-第1页.png”：09:30–24:00\n"
        "  海报（第3条）：09:30–24:00\n");
    free(out);
    out = plan_week_text(c, &o, at("2026-11-22 09:30"), 1, 100, NULL);
    assert_non_null(strstr(out, "  1. 海报（第1条）（每页 10 秒）\n"));
    assert_null(strstr(out, "1.jpg"));
    free(out);
    content_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_1_1), cmocka_unit_test(plan_1_2), cmocka_unit_test(plan_1_3),
        cmocka_unit_test(plan_2_1), cmocka_unit_test(plan_3_1),
        cmocka_unit_test(plan_3_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
