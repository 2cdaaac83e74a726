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
