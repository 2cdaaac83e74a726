/* test-schedule.c — the schedule's rules (docs/schedule.md): a boundary
 * table, the loop's shape (urgent block, 重要 twice), events and honors,
 * quiet hours, the unsure clock, and a property test of plan.until. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/plan.h"
#include "core/schedule.h"
#include "core/util.h"

static int64_t at(const char *s)
{
    int64_t t;
    if (!when_parse_moment(s, &t))
        fail_msg("bad moment '%s'", s);
    return t;
}

static int64_t day(const char *s)
{
    return at(s) / WHEN_MIN_PER_DAY;
}

static struct feed_content *content_new(void)
{
    struct feed_content *c = content_create();
    return c;
}

/* Adds an announcement; start/end NULL = open; hours as staff type them. */
static void add_ann(struct feed_content *c, const char *title, const char *start, const char *end,
                    uint16_t days, const char *hours, enum priority prio, int dur)
{
    c->ann = xrealloc(c->ann, (c->nann + 1) * sizeof *c->ann);
    struct nb_announcement *a = &c->ann[c->nann++];
    memset(a, 0, sizeof *a);
    a->id = (int64_t)c->nann;
    a->title = xstrdup(title);
    a->body = xstrdup("");
    a->start = start ? at(start) : WHEN_ALWAYS;
    a->end = end ? at(end) : WHEN_NEVER;
    a->days = days;
    int n;
    if (!when_parse_hours(hours, a->hours, &n))
        fail_msg("bad hours '%s'", hours);
    a->nhours = (uint8_t)n;
    a->priority = prio;
    a->duration = dur;
}

static void add_event(struct feed_content *c, const char *date, int start, int end)
{
    c->events = xrealloc(c->events, (c->nevents + 1) * sizeof *c->events);
    struct nb_event *e = &c->events[c->nevents++];
    *e = (struct nb_event){.id = (int64_t)c->nevents, .day = day(date), .start = (int16_t)start,
                           .end = (int16_t)end, .title = xstrdup("活动"), .place = xstrdup(""),
                           .organizer = xstrdup(""), .note = xstrdup("")};
}

static void add_roll(struct feed_content *c, const char *name, const char *start, const char *end)
{
    c->rolls = xrealloc(c->rolls, (c->nrolls + 1) * sizeof *c->rolls);
    struct nb_roll *r = &c->rolls[c->nrolls++];
    *r = (struct nb_roll){.id = (int64_t)c->nrolls, .name = xstrdup(name),
                          .start = start ? at(start) : WHEN_ALWAYS, .end = end ? at(end) : WHEN_NEVER,
                          .nentries = 1};
    r->entries = xcalloc(1, sizeof *r->entries);
    r->entries[0] = (struct nb_honor){xstrdup("张三"), xstrdup(""), xstrdup(""), xstrdup(""), NULL};
}

static void add_ticker(struct feed_content *c, const char *start, const char *end)
{
    c->ticker = xrealloc(c->ticker, (c->nticker + 1) * sizeof *c->ticker);
    c->ticker[c->nticker] = (struct nb_ticker){(int64_t)c->nticker + 1, xstrdup("滚动"),
        start ? at(start) : WHEN_ALWAYS, end ? at(end) : WHEN_NEVER};
    c->nticker++;
}

/* holidays must stay sorted: add them in date order */
static void add_holiday(struct feed_content *c, const char *date, bool workday)
{
    c->holidays = xrealloc(c->holidays, (c->nholidays + 1) * sizeof *c->holidays);
    c->holidays[c->nholidays++] = (struct nb_holiday){day(date), workday, xstrdup("")};
}

static char *ids_at(const struct feed_content *c, const struct sched_opts *o, const char *when)
{
    struct plan p;
    schedule_at(c, o, at(when), &p);
    char *s = plan_ids(c, &p);
    plan_free(&p);
    return s;
}

/* The boundary fixture.  2026-11-22 is a Sunday; 2026-11-30 a Monday;
 * 2026-10-10 a Saturday that is a 调休 workday; 2026-10-05 a holiday Monday. */
static struct feed_content *fixture(void)
{
    struct feed_content *c = content_new();
    /* 1: bare end date 2026-11-22, made 2026-11-23 00:00 by the importer */
    add_ann(c, "整天", "2026-11-22 00:00", "2026-11-23 00:00", DAYS_ALL, "", PRIO_NORMAL, 10);
    /* 2: Mondays 20:00-02:00 */
    add_ann(c, "夜间", NULL, NULL, DAYS_MON, "20:00-02:00", PRIO_NORMAL, 10);
    /* 3: 工作日 only; 4: 周末 only */
    add_ann(c, "工作日", "2026-10-01 00:00", "2026-10-31 00:00", DAYS_WORKDAY, "", PRIO_NORMAL, 10);
    add_ann(c, "周末", "2026-10-01 00:00", "2026-10-31 00:00", DAYS_WEEKEND, "", PRIO_NORMAL, 10);
    /* 5: urgent expiring 2026-11-22 12:00 */
    add_ann(c, "紧急", "2026-11-22 08:00", "2026-11-22 12:00", DAYS_ALL, "", PRIO_URGENT, 10);
    add_holiday(c, "2026-10-05", false);
    add_holiday(c, "2026-10-10", true);
    return c;
}

/* schedule_1_1: the boundary table. */
static void schedule_1_1(void **st)
{
    static const struct { const char *rule, *at, *ids; } cases[] = {
        {"bare end date includes the whole day", "2026-11-22 23:59", "1"},
        {"23:59 -> 00:00 ends it", "2026-11-23 00:00", ""},
        {"start is inclusive", "2026-11-22 00:00", "1"},
        {"before the start", "2026-11-21 23:59", ""},
        {"overnight window: Monday evening", "2026-11-30 20:00", "2"},
        {"overnight window: not before 20:00", "2026-11-30 19:59", ""},
        {"overnight across a month end belongs to Monday", "2026-12-01 01:59", "2"},
        {"overnight window end is exclusive", "2026-12-01 02:00", ""},
        {"Monday 01:00 belongs to Sunday evening", "2026-11-30 01:00", ""},
        {"调休 Saturday is a workday", "2026-10-10 12:00", "3"},
        {"holiday Monday is not a workday", "2026-10-05 12:00", "4"},
        {"ordinary Tuesday is a workday", "2026-10-06 12:00", "3"},
        {"ordinary Sunday is weekend", "2026-10-11 12:00", "4"},
        {"urgent while active, before the others", "2026-11-22 11:59", "5 1"},
        {"expired urgent is gone", "2026-11-22 12:00", "1"},
    };
    struct feed_content *c = fixture();
    struct sched_opts o = {0};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *got = ids_at(c, &o, cases[i].at);
        if (strcmp(got, cases[i].ids))
            fail_msg("schedule_1_1 case %zu (%s) at %s: got '%s', want '%s'", i, cases[i].rule,
                     cases[i].at, got, cases[i].ids);
        free(got);
    }
    content_destroy(c);
}

/* schedule_1_2: an empty feed (and no feed) plays nothing, re-plans at midnight. */
static void schedule_1_2(void **st)
{
    struct feed_content *c = content_new();
    struct sched_opts o = {0};
    struct plan p;
    schedule_at(c, &o, at("2026-11-22 09:30"), &p);
    assert_false(p.quiet);
    assert_int_equal(p.nslides, 0);
    assert_int_equal(p.nticker, 0);
    assert_int_equal(p.until, at("2026-11-23 00:00"));
    plan_free(&p);
    schedule_at(NULL, &o, at("2026-11-22 09:30"), &p);
    assert_int_equal(p.nslides, 0);
    plan_free(&p);
    content_destroy(c);
}

/* schedule_1_3: quiet hours across midnight blank everything, edges exact. */
static void schedule_1_3(void **st)
{
    struct feed_content *c = fixture();
    struct sched_opts o = {.nquiet = 1, .quiet = {{22 * 60, 7 * 60}}};
    static const struct { const char *at, *ids; } cases[] = {
        {"2026-11-22 21:59", "1"}, {"2026-11-22 22:00", "quiet"}, {"2026-11-23 00:00", "quiet"},
        {"2026-11-23 06:59", "quiet"}, {"2026-11-23 07:00", ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *got = ids_at(c, &o, cases[i].at);
        if (strcmp(got, cases[i].ids))
            fail_msg("quiet case %zu at %s: got '%s', want '%s'", i, cases[i].at, got, cases[i].ids);
        free(got);
    }
    struct plan p;
    schedule_at(c, &o, at("2026-11-22 21:00"), &p);
    assert_int_equal(p.until, at("2026-11-22 22:00"));
    plan_free(&p);
    /* an unsure clock never blanks the screen */
    o.clock_unsure = true;
    schedule_at(c, &o, at("2026-11-22 23:00"), &p);
    assert_false(p.quiet);
    plan_free(&p);
    content_destroy(c);
}

/* schedule_2_1: urgent block first and after every other slide; 重要 twice,
 * about half a loop later; durations clamped to [5, 120]. */
static void schedule_2_1(void **st)
{
    struct feed_content *c = content_new();
    add_ann(c, "重要", NULL, NULL, DAYS_ALL, "", PRIO_HIGH, 10);    /* 1 */
    add_ann(c, "A", NULL, NULL, DAYS_ALL, "", PRIO_NORMAL, 10);     /* 2 */
    add_ann(c, "B", NULL, NULL, DAYS_ALL, "", PRIO_NORMAL, 1);      /* 3: clamped to 5 */
    add_ann(c, "C", NULL, NULL, DAYS_ALL, "", PRIO_NORMAL, 999);    /* 4: clamped to 120 */
    add_ann(c, "D", NULL, NULL, DAYS_ALL, "", PRIO_NORMAL, 10);     /* 5 */
    struct sched_opts o = {0};
    /* base 1 2 3 4 5 starts at 0 10 20 25 145 of 155: half is 77.5 → before 5 */
    char *got = ids_at(c, &o, "2026-11-22 10:00");
    assert_string_equal(got, "1 2 3 4 1 5");
    free(got);
    struct plan p;
    schedule_at(c, &o, at("2026-11-22 10:00"), &p);
    assert_int_equal(p.slides[2].duration, 5);
    assert_int_equal(p.slides[3].duration, 120);
    plan_free(&p);
    c->ann[3].duration = 10;    /* starts 0 10 20 25 35 of 45: half is 22.5 → before 4 */
    got = ids_at(c, &o, "2026-11-22 10:00");
    assert_string_equal(got, "1 2 3 1 4 5");
    free(got);
    /* two urgent ones: block of both, then after every other slide */
    add_ann(c, "U1", NULL, NULL, DAYS_ALL, "", PRIO_URGENT, 10);    /* 6 */
    add_ann(c, "U2", NULL, NULL, DAYS_ALL, "", PRIO_URGENT, 10);    /* 7 */
    got = ids_at(c, &o, "2026-11-22 10:00");
    assert_string_equal(got, "6 7 1 6 7 2 6 7 3 6 7 1 6 7 4 6 7 5");
    free(got);
    /* with fewer than three other slides, 重要 is not doubled */
    c->ann[2].end = c->ann[3].end = c->ann[4].end = at("2026-01-01 00:00");
    got = ids_at(c, &o, "2026-11-22 10:00");
    assert_string_equal(got, "6 7 1 6 7 2");
    free(got);
    content_destroy(c);
}

/* schedule_3_1: events slide — within events_days, until the event ends;
 * no end time: end of day (no start) or start + 2 h; today's first. */
static void schedule_3_1(void **st)
{
    struct feed_content *c = content_new();
    add_event(c, "2026-11-22", -1, -1);         /* 1: all day */
    add_event(c, "2026-11-22", 9 * 60, -1);     /* 2: 09:00, ends 11:00 */
    add_event(c, "2026-11-22", 19 * 60, 60);    /* 3: 19:00-01:00 overnight */
    add_event(c, "2026-12-06", 10 * 60, 11 * 60); /* 4: 14 days ahead */
    add_event(c, "2026-12-07", 10 * 60, 11 * 60); /* 5: 15 days ahead */
    struct sched_opts o = {0};
    struct plan p;
    schedule_at(c, &o, at("2026-11-22 10:59"), &p);
    assert_int_equal(p.nslides, 1);
    assert_int_equal(p.slides[0].kind, SLIDE_EVENTS);
    assert_int_equal(p.slides[0].duration, 15);
    assert_int_equal(p.nevents, 4);
    assert_int_equal(p.events[0], 0);
    assert_int_equal(p.events[1], 1);
    assert_int_equal(p.events[3], 3);
    assert_int_equal(p.until, at("2026-11-22 11:00"));
    plan_free(&p);
    schedule_at(c, &o, at("2026-11-22 11:00"), &p);
    assert_int_equal(p.nevents, 3);             /* event 2 ended */
    plan_free(&p);
    schedule_at(c, &o, at("2026-11-23 00:30"), &p);
    assert_int_equal(p.nevents, 3);             /* overnight event 3 still on; 5 now in range */
    assert_int_equal(p.events[0], 2);
    plan_free(&p);
    o.events_days = 3;
    schedule_at(c, &o, at("2026-11-23 01:00"), &p);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.nslides, 0);
    plan_free(&p);
    content_destroy(c);
}

/* schedule_3_2: honors and ticker by start/end; a roll with no entries is skipped;
 * an unsure clock keeps only date-free items and drops the events slide. */
/* schedule_3_9: an announcement with a 倒计时 plays through its day and
 * is gone from the next midnight (which is the plan's `until` on the
 * day); while the clock is unsure it does not play (it depends on the
 * date). */
static void schedule_3_9(void **st)
{
    struct feed_content *c = content_new();
    add_ann(c, "常驻", NULL, NULL, DAYS_ALL, "", PRIO_NORMAL, 10);     /* 1 */
    add_ann(c, "运动会", NULL, NULL, DAYS_ALL, "", PRIO_NORMAL, 10);   /* 2 */
    c->ann[1].countdown = at("2026-12-20 00:00") / WHEN_MIN_PER_DAY;
    struct sched_opts o = {0};
    char *got = ids_at(c, &o, "2026-12-01 09:00");
    assert_string_equal(got, "1 2");
    free(got);
    got = ids_at(c, &o, "2026-12-20 23:59");
    assert_string_equal(got, "1 2");
    free(got);
    got = ids_at(c, &o, "2026-12-21 00:00");
    assert_string_equal(got, "1");
    free(got);
    struct plan p;
    schedule_at(c, &o, at("2026-12-20 12:00"), &p);
    assert_int_equal(p.until, at("2026-12-21 00:00"));
    plan_free(&p);
    o.clock_unsure = true;
    got = ids_at(c, &o, "2026-12-01 09:00");
    assert_string_equal(got, "1");
    free(got);
    content_destroy(c);
    (void)st;
}

static void schedule_3_2(void **st)
{
    struct feed_content *c = content_new();
    add_ann(c, "常驻", NULL, NULL, DAYS_ALL, "", PRIO_NORMAL, 10);              /* 1 date-free */
    add_ann(c, "时段", NULL, NULL, DAYS_ALL, "08:00-18:00", PRIO_NORMAL, 10);   /* 2 */
    add_ann(c, "工作日", NULL, NULL, DAYS_WORKDAY, "", PRIO_NORMAL, 10);         /* 3 */
    add_ann(c, "有期", "2026-11-01 00:00", NULL, DAYS_ALL, "", PRIO_URGENT, 10); /* 4 */
    add_roll(c, "好人榜", NULL, NULL);
    add_roll(c, "年度榜", "2026-01-01 00:00", "2027-01-01 00:00");
    add_roll(c, "空榜", NULL, NULL);
    struct nb_honor *h = &c->rolls[2].entries[0];
    free(h->name); free(h->honor); free(h->unit); free(h->year);
    c->rolls[2].nentries = 0;
    add_event(c, "2026-11-23", -1, -1);
    add_ticker(c, NULL, NULL);
    add_ticker(c, "2026-11-22 09:00", "2026-11-22 10:00");
    struct sched_opts o = {0};
    char *got = ids_at(c, &o, "2026-11-23 09:30");
    assert_string_equal(got, "4 1 4 2 4 3 4 - 4 好人榜 4 年度榜");
    free(got);
    struct plan p;
    schedule_at(c, &o, at("2026-11-22 09:30"), &p);
    assert_int_equal(p.nticker, 2);
    plan_free(&p);
    schedule_at(c, &o, at("2026-11-22 10:00"), &p);
    assert_int_equal(p.nticker, 1);
    plan_free(&p);
    o.clock_unsure = true;
    got = ids_at(c, &o, "1970-01-01 00:05");
    assert_string_equal(got, "1 好人榜");
    free(got);
    schedule_at(c, &o, at("2026-11-22 09:30"), &p);
    assert_int_equal(p.nticker, 1);
    assert_int_equal(p.nevents, 0);
    plan_free(&p);
    assert_string_equal(slide_kind_name(SLIDE_HONORS), "honors");
    content_destroy(c);
}

/* ---------------------------------------------------------------- property */

static uint64_t rng;
static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng >> 33) % n;
}

/* A moment in the test week or nearby (or open), on 5-minute steps and
 * sometimes exactly on midnight, so edges collide. */
static int64_t rnd_time(int64_t base, int64_t open)
{
    if (rnd(4) == 0)
        return open;
    int64_t t = base - 2 * WHEN_MIN_PER_DAY + (int64_t)rnd(11 * WHEN_MIN_PER_DAY);
    return rnd(3) ? t - t % 5 : t - t % WHEN_MIN_PER_DAY;
}

static struct feed_content *random_feed(int64_t base)
{
    struct feed_content *c = content_new();
    static const char *const hours[] = {"", "", "08:00-18:00", "20:00-02:00",
                                        "06:00-09:00,17:30-23:59", "22:00-24:00", "23:00-01:00,12:00-13:00"};
    static const uint16_t days[] = {DAYS_ALL, DAYS_ALL, DAYS_WORKDAY, DAYS_WEEKEND, 0x15, 0x40, 0x01 | DAYS_WEEKEND};
    int n = (int)rnd(9);
    for (int i = 0; i < n; i++) {
        add_ann(c, "x", NULL, NULL, days[rnd(ARRAY_LEN(days))], hours[rnd(ARRAY_LEN(hours))],
                (enum priority)rnd(3), 3 + (int)rnd(40));
        struct nb_announcement *a = &c->ann[c->nann - 1];
        a->start = rnd_time(base, WHEN_ALWAYS);
        a->end = rnd_time(base, WHEN_NEVER);
    }
    n = (int)rnd(5);
    for (int i = 0; i < n; i++) {
        int s = rnd(3) ? (int)rnd(1440) : -1;
        int e = rnd(2) ? 1 + (int)rnd(1440) : -1;
        c->events = xrealloc(c->events, (c->nevents + 1) * sizeof *c->events);
        c->events[c->nevents] = (struct nb_event){.id = (int64_t)c->nevents + 1,
            .day = base / WHEN_MIN_PER_DAY - 3 + (int64_t)rnd(25), .start = (int16_t)s, .end = (int16_t)e,
            .title = xstrdup("e"), .place = xstrdup(""), .organizer = xstrdup(""), .note = xstrdup("")};
        c->nevents++;
    }
    /* feed_load sorts events; do the same so "today's first" holds */
    for (size_t i = 1; i < c->nevents; i++)
        for (size_t j = i; j > 0 && (c->events[j - 1].day > c->events[j].day ||
                                     (c->events[j - 1].day == c->events[j].day &&
                                      c->events[j - 1].start > c->events[j].start)); j--) {
            struct nb_event t = c->events[j];
            c->events[j] = c->events[j - 1];
            c->events[j - 1] = t;
        }
    n = (int)rnd(3);
    for (int i = 0; i < n; i++) {
        add_roll(c, "榜", NULL, NULL);
        c->rolls[c->nrolls - 1].start = rnd_time(base, WHEN_ALWAYS);
        c->rolls[c->nrolls - 1].end = rnd_time(base, WHEN_NEVER);
    }
    n = (int)rnd(3);
    for (int i = 0; i < n; i++) {
        add_ticker(c, NULL, NULL);
        c->ticker[c->nticker - 1].start = rnd_time(base, WHEN_ALWAYS);
        c->ticker[c->nticker - 1].end = rnd_time(base, WHEN_NEVER);
    }
    int64_t d = base / WHEN_MIN_PER_DAY - 1;
    for (int i = 0; i < 3; i++) {
        d += 1 + rnd(3);
        c->holidays = xrealloc(c->holidays, (c->nholidays + 1) * sizeof *c->holidays);
        c->holidays[c->nholidays++] = (struct nb_holiday){d, rnd(2), xstrdup("")};
    }
    return c;
}

/* Oracle, formulated differently from schedule.c: each window is a set of
 * concrete intervals, one per day d it starts on, [d+from, d+to) or
 * [d+from, d+1+to) overnight; the item is on when now lies in an interval
 * whose day d the days mask selects. */
static bool oracle_on(const struct feed_content *c, const struct nb_announcement *a, int64_t now)
{
    if (now < a->start || now >= a->end)
        return false;
    int64_t today = now / WHEN_MIN_PER_DAY;   /* test moments are after 1970 */
    for (int64_t d = today - 1; d <= today; d++) {
        int wd = when_weekday(d);
        bool work = content_is_workday(c, d);
        bool sel = (a->days >> wd & 1) || ((a->days & DAYS_WORKDAY) && work) ||
                   ((a->days & DAYS_WEEKEND) && !work);
        if (!sel)
            continue;
        if (a->nhours == 0) {
            if (d == today)
                return true;
            continue;
        }
        for (int i = 0; i < a->nhours; i++) {
            int64_t lo = d * WHEN_MIN_PER_DAY + a->hours[i].from;
            int64_t hi = d * WHEN_MIN_PER_DAY + a->hours[i].to +
                         (a->hours[i].to <= a->hours[i].from ? WHEN_MIN_PER_DAY : 0);
            if (now >= lo && now < hi)
                return true;
        }
    }
    return false;
}

static void check_oracle(const struct feed_content *c, const struct sched_opts *o,
                         const struct plan *p, int64_t now, uint64_t seed)
{
    if (p->quiet || o->clock_unsure || now < o->clock_from)
        return;
    for (size_t i = 0; i < c->nann; i++) {
        bool in_plan = false;
        for (size_t k = 0; k < p->nslides; k++)
            in_plan |= p->slides[k].kind <= SLIDE_ANNOUNCEMENT && p->slides[k].index == i;
        if (in_plan != oracle_on(c, &c->ann[i], now)) {
            char w[17];
            when_format(now, w);
            fail_msg("seed %llu at %s: announcement %zu is %s in the plan but %s by the oracle",
                     (unsigned long long)seed, w, i + 1, in_plan ? "on" : "off",
                     in_plan ? "off" : "on");
        }
    }
}

/* schedule_4_1: on random feeds, the plan at every minute of a week equals
 * the plan at the start of the span (walked with plan.until) holding it,
 * until is always in the future, and the announcements on agree with an
 * independent oracle at every minute. */
static void schedule_4_1(void **st)
{
    int64_t base = at("2026-09-28 00:00");      /* a Monday, a week before 国庆 */
    for (uint64_t seed = 1; seed <= 12; seed++) {
        rng = seed;
        struct feed_content *c = random_feed(base);
        struct sched_opts o = {.clock_unsure = seed % 6 == 0, .clock_from = CLOCK_NONE};
        /* Some feeds are judged as made mid-week: date-free items before. */
        if (seed % 4 == 1)
            o.clock_from = base + 2 * WHEN_MIN_PER_DAY + 9 * 60 + (int64_t)rnd(600);
        if (seed % 3 == 0) {
            o.nquiet = 1;
            o.quiet[0] = (struct when_window){(int16_t)(21 * 60 + (int)rnd(120)), (int16_t)(6 * 60)};
        }
        int64_t t = base, end = base + 7 * WHEN_MIN_PER_DAY;
        size_t spans = 0;
        while (t < end) {
            struct plan p;
            schedule_at(c, &o, t, &p);
            check_oracle(c, &o, &p, t, seed);
            if (p.until <= t)
                fail_msg("seed %llu: until %lld not after %lld", (unsigned long long)seed,
                         (long long)p.until, (long long)t);
            for (int64_t m = t + 1; m < p.until && m < end; m++) {
                struct plan q;
                schedule_at(c, &o, m, &q);
                check_oracle(c, &o, &q, m, seed);
                if (!plan_same(&p, &q)) {
                    char a[17], b[17];
                    when_format(t, a);
                    when_format(m, b);
                    fail_msg("seed %llu: plan at %s differs from its span start %s",
                             (unsigned long long)seed, b, a);
                }
                plan_free(&q);
            }
            t = p.until;
            plan_free(&p);
            spans++;
        }
        assert_true(spans >= 7);     /* at least one per midnight */
        if (getenv("NB_TEST_VERBOSE"))
            fprintf(stderr, "seed %llu: %zu ann, %zu events, %zu spans\n", (unsigned long long)seed,
                    c->nann, c->nevents, spans);
        content_destroy(c);
    }
}

/* schedule_5_1: schedule_opts_for judges the clock as clock_judge does,
 * from the feed's creation and the last good time; before the moment the
 * clock is believed only date-free items play, and the plan ends there. */
static void schedule_5_1(void **st)
{
    struct feed_content *c = content_new();
    add_ann(c, "常驻", NULL, NULL, DAYS_ALL, "", PRIO_NORMAL, 10);              /* 1 date-free */
    add_ann(c, "有期", "2026-11-01 00:00", NULL, DAYS_ALL, "", PRIO_NORMAL, 10); /* 2 */
    add_ann(c, "工作日", NULL, NULL, DAYS_WORKDAY, "", PRIO_NORMAL, 10);         /* 3 */
    c->created = at("2026-11-23 10:00");
    struct config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.nquiet = 1;
    cfg.quiet[0] = (struct when_window){22 * 60, 6 * 60};
    struct sched_opts o;
    /* Before the feed was made: unsure, date-free only, until it was made. */
    assert_int_equal(schedule_opts_for(&cfg, c, CLOCK_NONE, at("2026-11-23 09:00"), &o),
                     CLOCK_UNSURE);
    assert_int_equal(o.nquiet, 1);
    assert_int_equal(o.quiet[0].from, 22 * 60);
    assert_int_equal(o.clock_from, at("2026-11-23 10:00"));
    struct plan p;
    schedule_at(c, &o, at("2026-11-23 09:00"), &p);
    char *got = plan_ids(c, &p);
    assert_string_equal(got, "1");
    assert_int_equal(p.until, at("2026-11-23 10:00"));
    free(got);
    plan_free(&p);
    /* From then on believed: everything that is on (a Monday). */
    got = ids_at(c, &o, "2026-11-23 10:00");
    assert_string_equal(got, "1 2 3");
    free(got);
    assert_int_equal(schedule_opts_for(&cfg, c, CLOCK_NONE, at("2026-11-23 10:00"), &o), CLOCK_OK);
    /* An unsure clock never blanks the screen: no quiet hours at 23:00 the
     * day before the feed was made. */
    schedule_at(c, &o, at("2026-11-22 23:00"), &p);
    assert_false(p.quiet);
    plan_free(&p);
    /* More than a day behind the last good time: unsure as well. */
    int64_t good = at("2026-11-30 12:00");
    assert_int_equal(schedule_opts_for(&cfg, c, good, at("2026-11-29 11:59"), &o), CLOCK_UNSURE);
    assert_int_equal(o.clock_from, at("2026-11-29 12:00"));
    assert_int_equal(schedule_opts_for(&cfg, c, good, at("2026-11-29 12:00"), &o), CLOCK_OK);
    /* No feed, no last good time: always believed. */
    assert_int_equal(schedule_opts_for(&cfg, NULL, CLOCK_NONE, at("1970-01-01 00:05"), &o),
                     CLOCK_OK);
    assert_true(o.clock_from == CLOCK_NONE);
    /* The verdict and its threshold agree with clock_judge at every minute
     * around both references. */
    for (int64_t m = at("2026-11-22 09:00"); m < at("2026-11-24 11:00"); m += 7) {
        enum clock_state v = schedule_opts_for(&cfg, c, good - 7 * WHEN_MIN_PER_DAY, m, &o);
        assert_int_equal(v, clock_judge(m, c->created, good - 7 * WHEN_MIN_PER_DAY));
        assert_int_equal(v == CLOCK_UNSURE, m < o.clock_from);
    }
    content_destroy(c);
}

/* schedule_4_2: plan_same tells plans apart by slides, ticker and events. */
static void schedule_4_2(void **st)
{
    struct feed_content *c = fixture();
    add_ticker(c, "2026-11-22 09:00", "2026-11-22 10:00");
    struct sched_opts o = {0};
    struct plan a, b;
    schedule_at(c, &o, at("2026-11-22 09:59"), &a);
    schedule_at(c, &o, at("2026-11-22 10:00"), &b);
    assert_false(plan_same(&a, &b));           /* ticker ended */
    plan_free(&b);
    schedule_at(c, &o, at("2026-11-22 09:00"), &b);
    assert_true(plan_same(&a, &b));
    plan_free(&a);
    plan_free(&b);
    content_destroy(c);
}

/* schedule_6_1: the loop is bounded whatever the content (issue 15 item 2):
 * 1,000 urgent notices and 5,000 one-person rolls once made a loop of
 * 5,006,001 slides.  Now at most SCHEDULE_MAX_SLIDES, every roll still
 * plays, the urgent block plays first and then after every k-th slide. */
static void schedule_6_1(void **st)
{
    struct feed_content *c = content_new();
    for (int i = 0; i < 1000; i++)
        add_ann(c, "紧急", NULL, NULL, DAYS_ALL, "", PRIO_URGENT, 10);
    for (int i = 0; i < 5000; i++)
        add_roll(c, "榜", NULL, NULL);
    struct sched_opts o = {0};
    struct plan p;
    schedule_at(c, &o, at("2026-11-22 10:00"), &p);
    assert_true(p.nslides <= SCHEDULE_MAX_SLIDES);
    size_t rolls = 0, urgent = 0;
    for (size_t i = 0; i < p.nslides; i++) {
        rolls += p.slides[i].kind == SLIDE_HONORS;
        urgent += p.slides[i].kind == SLIDE_URGENT;
    }
    assert_int_equal(rolls, 5000);
    assert_true(urgent >= 2000 && urgent % 1000 == 0);  /* whole blocks, more than one */
    assert_int_equal(urgent, 3000);                      /* as many as fit */
    for (size_t i = 0; i < 1000; i++)
        assert_int_equal(p.slides[i].index, i);
    assert_int_equal(p.slides[1000].kind, SLIDE_HONORS);
    size_t every = schedule_urgent_every(1000, 5000);
    assert_true(every > 1);
    assert_int_equal(p.slides[1000 + every].kind, SLIDE_URGENT);
    assert_int_equal(p.slides[1000 + every - 1].kind, SLIDE_HONORS);
    plan_free(&p);
    /* k is the smallest spacing that fits. */
    for (size_t nu = 1; nu <= 1000; nu += 37)
        for (size_t nl = 2; nl <= 7000; nl += 101) {
            size_t k = schedule_urgent_every(nu, nl);
            assert_true(nl + nu * (1 + (nl - 1) / k) <= SCHEDULE_MAX_SLIDES || k == nl);
            if (k > 1 && k < nl)
                assert_true(nl + nu * (1 + (nl - 1) / (k - 1)) > SCHEDULE_MAX_SLIDES);
        }
    /* Small loops keep the block after every slide. */
    assert_int_equal(schedule_urgent_every(2, 5), 1);
    assert_int_equal(schedule_urgent_every(0, 5000), 1);
    /* More slides than the bound even without repeats: cut, block once. */
    assert_int_equal(schedule_urgent_every(10, SCHEDULE_MAX_SLIDES), SCHEDULE_MAX_SLIDES);
    for (int i = 0; i < 4000; i++)
        add_roll(c, "榜", NULL, NULL);
    schedule_at(c, &o, at("2026-11-22 10:00"), &p);
    assert_int_equal(p.nslides, SCHEDULE_MAX_SLIDES);
    plan_free(&p);
    content_destroy(c);
}

/* schedule_6_2: the events slide's busiest day from today on, as the
 * import bounds it: events before yesterday do not count, the span is
 * yesterday to two weeks ahead, and the plan of that day lists as many. */
static void schedule_6_2(void **st)
{
    struct feed_content *c = content_new();
    for (int i = 0; i < 3; i++)
        add_event(c, "2026-11-20", -1, -1);     /* before yesterday */
    for (int i = 0; i < 2; i++)
        add_event(c, "2026-11-21", -1, -1);     /* yesterday */
    add_event(c, "2026-12-06", -1, -1);         /* today + 14 */
    for (int i = 0; i < 5; i++)
        add_event(c, "2026-12-07", -1, -1);     /* today + 15 */
    int64_t first = 0, last = 0;
    assert_int_equal(schedule_events_peak(c, day("2026-11-22"), &first, &last), 6);
    assert_int_equal(first, day("2026-12-06"));
    assert_int_equal(last, day("2026-12-07"));
    struct sched_opts o = {0};
    struct plan p;
    schedule_at(c, &o, at("2026-12-06 10:00"), &p);
    assert_int_equal(p.nevents, 6);
    plan_free(&p);
    /* From the day after, the 3 early ones are past too. */
    assert_int_equal(schedule_events_peak(c, day("2026-12-08"), &first, &last), 5);
    first = last = -1;
    assert_int_equal(schedule_events_peak(c, day("2026-12-09"), &first, &last), 0);
    assert_int_equal(first, -1);
    content_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schedule_1_1), cmocka_unit_test(schedule_1_2),
        cmocka_unit_test(schedule_1_3), cmocka_unit_test(schedule_2_1),
        cmocka_unit_test(schedule_3_1), cmocka_unit_test(schedule_3_2),
        cmocka_unit_test(schedule_3_9),
        cmocka_unit_test(schedule_4_1), cmocka_unit_test(schedule_4_2),
        cmocka_unit_test(schedule_5_1), cmocka_unit_test(schedule_6_1),
        cmocka_unit_test(schedule_6_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
