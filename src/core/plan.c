/* plan.c — prints the schedule for `noticeboard plan --at` and
 * `--from --to` (formats in docs/schedule.md). */
#include "core/plan.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* Appends s with tabs, CR and LF replaced by spaces, so one slide stays
 * one line and fields stay tab-separated, and any other control character
 * as U+FFFD (feed_load refuses them; this is the backstop for the
 * installer's terminal). */
static void add_flat(struct sbuf *b, const char *s)
{
    sbuf_add_line(b, s);
}

static void add_id(struct sbuf *b, const struct feed_content *c, const struct slide_ref *r)
{
    switch (r->kind) {
    case SLIDE_URGENT:
    case SLIDE_ANNOUNCEMENT:
        sbuf_addf(b, "%lld", (long long)c->ann[r->index].id);
        break;
    case SLIDE_EVENTS:
        sbuf_addc(b, '-');
        break;
    case SLIDE_HONORS:
        add_flat(b, c->rolls[r->index].name);
        break;
    }
}

char *plan_slide_id(const struct feed_content *c, const struct slide_ref *r)
{
    struct sbuf b = {0};
    add_id(&b, c, r);
    return sbuf_take(&b);
}

const char *plan_slide_title(const struct feed_content *c, const struct slide_ref *r)
{
    switch (r->kind) {
    case SLIDE_EVENTS: return "近期活动";
    case SLIDE_HONORS: return c->rolls[r->index].name;
    case SLIDE_URGENT:
    case SLIDE_ANNOUNCEMENT: break;
    }
    return c->ann[r->index].title;
}

char *plan_ids(const struct feed_content *c, const struct plan *p)
{
    struct sbuf b = {0};
    if (p->quiet)
        sbuf_adds(&b, "quiet");
    for (size_t i = 0; i < p->nslides; i++) {
        if (i)
            sbuf_addc(&b, ' ');
        add_id(&b, c, &p->slides[i]);
    }
    return sbuf_take(&b);
}

bool plan_print_at(FILE *f, const struct feed_content *c, const struct sched_opts *o, int64_t at)
{
    struct plan p;
    schedule_at(c, o, at, &p);
    struct sbuf b = {0};
    if (p.quiet)
        sbuf_adds(&b, "quiet\n");
    for (size_t i = 0; i < p.nslides; i++) {
        const struct slide_ref *r = &p.slides[i];
        sbuf_addf(&b, "%s\t", slide_kind_name(r->kind));
        add_id(&b, c, r);
        sbuf_addc(&b, '\t');
        add_flat(&b, plan_slide_title(c, r));
        sbuf_addc(&b, '\n');
    }
    plan_free(&p);
    bool ok = !b.len || fwrite(b.s, 1, b.len, f) == b.len;
    sbuf_free(&b);
    return ok && !ferror(f);
}

static bool print_interval(FILE *f, int64_t from, int64_t to, const char *ids)
{
    char a[17], z[17];
    when_format(from, a);
    when_format(to, z);
    return fprintf(f, "%s\t%s\t%s\n", a, z, ids) > 0;
}

bool plan_print_span(FILE *f, const struct feed_content *c, const struct sched_opts *o,
                     int64_t from, int64_t to)
{
    if (from >= to)
        return false;
    bool ok = true;
    char *cur = NULL;
    int64_t cur_from = from, t = from;
    /* Walk from change to change with plan.until; intervals whose slides
     * print the same are merged (a ticker change alone is not a new line). */
    while (t < to) {
        struct plan p;
        schedule_at(c, o, t, &p);
        char *ids = plan_ids(c, &p);
        int64_t next = p.until > t && p.until < to ? p.until : to;
        plan_free(&p);
        if (cur && strcmp(cur, ids)) {
            ok = print_interval(f, cur_from, t, cur) && ok;
            free(cur);
            cur = NULL;
        }
        if (!cur) {
            cur = ids;
            cur_from = t;
        } else {
            free(ids);
        }
        t = next;
    }
    ok = print_interval(f, cur_from, to, cur) && ok;
    free(cur);
    return ok && !ferror(f);
}

/* ---------------------------------------------------------------- for staff */

/* A thing that plays, for the week's text: an announcement (urgent or
 * not), the events slide, an honor roll, or the two states without slides. */
struct item {
    bool open, urgent, seen;
    int64_t from, to;           /* the range being built */
    struct sbuf ranges;         /* "08:00–12:00、14:00–18:00" */
    size_t first;               /* order of first appearance */
};

static void add_hhmm(struct sbuf *b, int64_t minute_of_day)
{
    sbuf_addf(b, "%02d:%02d", (int)(minute_of_day / 60), (int)(minute_of_day % 60));
}

static void close_range(struct item *it, int64_t day_start)
{
    if (!it->open)
        return;
    if (it->ranges.len)
        sbuf_adds(&it->ranges, "、");
    if (it->from == day_start && it->to == day_start + WHEN_MIN_PER_DAY) {
        sbuf_adds(&it->ranges, "全天");
    } else {
        add_hhmm(&it->ranges, it->from - day_start);
        sbuf_adds(&it->ranges, "–");
        add_hhmm(&it->ranges, it->to - day_start);
    }
    it->open = false;
}

static void item_title(struct sbuf *b, const struct feed_content *c, size_t key, bool urgent,
                       const struct plan_names *names)
{
    size_t nann = c->nann, nrolls = c->nrolls;
    if (key < nann) {
        const struct nb_announcement *a = &c->ann[key];
        if (urgent)
            sbuf_adds(b, "【紧急】");
        if (!*a->title && a->image) {   /* a poster: which one */
            char *file = names ? names->name(names->ctx, a->image) : NULL;
            if (file && *file) {
                sbuf_adds(b, "海报“");
                add_flat(b, file);
                sbuf_adds(b, "”");
            } else {
                sbuf_addf(b, "海报（第%lld条）", (long long)a->id);
            }
            free(file);
        } else {
            add_flat(b, a->title);
        }
    } else if (key < nann + nrolls) {
        sbuf_adds(b, "表彰：");
        add_flat(b, c->rolls[key - nann].name);
    } else if (key == nann + nrolls) {
        sbuf_adds(b, "近期活动");
    } else if (key == nann + nrolls + 1) {
        sbuf_adds(b, "熄屏（安静时段）");
    } else {
        sbuf_adds(b, "没有要播放的内容，只显示单位名称和时间");
    }
}

static size_t slide_key(const struct feed_content *c, const struct slide_ref *r)
{
    switch (r->kind) {
    case SLIDE_URGENT:
    case SLIDE_ANNOUNCEMENT: return r->index;
    case SLIDE_HONORS: return c->nann + r->index;
    case SLIDE_EVENTS: break;
    }
    return c->nann + c->nrolls;
}

/* One day's lines (without its heading) into b: each thing that plays
 * that day, in order of first appearance, with its times.  Returns the
 * number of lines. */
static size_t day_text(struct sbuf *b, const struct feed_content *c, const struct sched_opts *o,
                       int64_t from, int64_t start, size_t max_items,
                       const struct plan_names *names)
{
    size_t nkeys = c->nann + c->nrolls + 3, order = 0, lines = 0;
    struct item *it = xcalloc(nkeys, sizeof *it);
    int64_t end = start + WHEN_MIN_PER_DAY;
    for (int64_t t = from; t < end;) {
        struct plan p;
        schedule_at(c, o, t, &p);
        int64_t next = p.until > t && p.until < end ? p.until : end;
        size_t quiet = nkeys - 2, none = nkeys - 1;
        /* Each thing once per interval, however often the loop shows it. */
        size_t nk = p.quiet ? 1 : p.nslides ? p.nslides : 1;
        for (size_t i = 0; i < nk; i++) {
            size_t k = p.quiet ? quiet : p.nslides ? slide_key(c, &p.slides[i]) : none;
            struct item *x = &it[k];
            if (!x->seen) {
                x->seen = true;
                x->first = order++;
            }
            if (!p.quiet && p.nslides && p.slides[i].kind == SLIDE_URGENT)
                x->urgent = true;
            if (x->open && x->to == t) {
                x->to = next;
            } else if (!(x->open && x->to == next)) {
                close_range(x, start);
                x->open = true;
                x->from = t;
                x->to = next;
            }
        }
        plan_free(&p);
        t = next;
    }
    /* In order of first appearance: a slot per order number. */
    size_t *by_order = xcalloc(order ? order : 1, sizeof *by_order);
    for (size_t k = 0; k < nkeys; k++)
        if (it[k].seen)
            by_order[it[k].first] = k;
    for (size_t n = 0; n < order; n++) {
        size_t k = by_order[n];
        if (n == max_items) {
            sbuf_addf(b, "  ……另有 %zu 项\n", order - n);
            lines++;
            break;
        }
        close_range(&it[k], start);
        sbuf_adds(b, "  ");
        item_title(b, c, k, it[k].urgent, names);
        sbuf_addf(b, "：%s\n", it[k].ranges.s);
        lines++;
    }
    free(by_order);
    for (size_t k = 0; k < nkeys; k++)
        sbuf_free(&it[k].ranges);
    free(it);
    return lines;
}

char *plan_week_text(const struct feed_content *c, const struct sched_opts *o, int64_t from,
                     int days, size_t max_lines, const struct plan_names *names)
{
    struct sbuf b = {0}, prev = {0};
    int64_t day0 = from / WHEN_MIN_PER_DAY;
    size_t lines = 0, more = 0;

    /* The loop now, in play order (the numbers of the contact sheet's
     * slides follow it, a slide of several pages taking several). */
    struct plan p;
    schedule_at(c, o, from, &p);
    sbuf_adds(&b, "现在的播放顺序：\n");
    if (p.quiet)
        sbuf_adds(&b, "  熄屏（安静时段）\n");
    else if (!p.nslides)
        sbuf_adds(&b, "  没有要播放的内容，只显示单位名称和时间\n");
    for (size_t i = 0; i < p.nslides; i++) {
        if (i == PLAN_ORDER_MAX) {
            sbuf_addf(&b, "  ……一共 %zu 项，其余没有列出\n", p.nslides);
            break;
        }
        sbuf_addf(&b, "  %zu. ", i + 1);
        item_title(&b, c, slide_key(c, &p.slides[i]), p.slides[i].kind == SLIDE_URGENT, names);
        sbuf_addf(&b, "（每页 %d 秒）\n", p.slides[i].duration);
    }
    plan_free(&p);

    sbuf_adds(&b, "\n每天播放什么、什么时间：\n");
    for (int d = 0; d < days; d++) {
        int64_t start = (day0 + d) * WHEN_MIN_PER_DAY;
        int y, m, dd;
        when_civil_from_days(day0 + d, &y, &m, &dd);
        struct sbuf day = {0};
        size_t n = day_text(&day, c, o, d == 0 ? from : start, start, PLAN_DAY_MAX, names);
        if (d > 1 && prev.s && day.s && !strcmp(prev.s, day.s)) {
            sbuf_addf(&b, "%d月%d日 %s：和前一天一样\n", m, dd,
                      when_weekday_cn(when_weekday(day0 + d)));
        } else if (lines + n <= max_lines) {
            sbuf_addf(&b, "%d月%d日 %s%s\n%s", m, dd, when_weekday_cn(when_weekday(day0 + d)),
                      d == 0 ? "（今天，从现在起）" : "", day.s ? day.s : "");
            lines += n;
        } else {
            more++;
        }
        sbuf_free(&prev);
        prev = day;
    }
    sbuf_free(&prev);
    if (more)
        sbuf_addf(&b, "（还有 %zu 天太长，没有列出）\n", more);
    return sbuf_take(&b);
}
