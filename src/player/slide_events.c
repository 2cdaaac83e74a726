/* slide_events.c — the events slide: the plan's events grouped by day (今天 /
 * 明天 / 星期X M月D日), a row each: start over end, title, place and 备注, a
 * 进行中 badge while under way; rows that do not fit go on further pages. */
#include "player/slide.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/log.h"
#include "core/schedule.h"
#include "core/util.h"

#define EVENTS_HEADING "近期活动"
#define ONGOING_LABEL "进行中"
/* Line spacing: the CJK font's own line height already has generous
 * leading, so rows are set close (issue 18: the demo's pages held two
 * events a column). */
#define TITLE_SPACING 1.05
#define PLACE_SPACING 1.0

struct ev_row {
    const struct nb_event *ev;
    char time[16];              /* the start, or 全天 */
    char end[16];               /* "–HH:MM" under it, may be "" */
    char *where;                /* place · organizer, may be "" */
    char *note_text;            /* the 备注 as drawn (shortened with … when too tall) */
    bool today_timed;
    int pill_x;                 /* > 0: the 进行中 badge goes this far right of the
                                 * text's left edge, on the title's last line;
                                 * else under the time */
    struct text_layout title, place, note;
    int note_x;                 /* > 0: the 备注 is drawn on the place's line, this
                                 * far right of the text's left edge (note empty) */
    int h;                      /* without the gap to the next row */
    int qr_w, qr_px;            /* 二维码 card at the row's right (qr_w 0: none) */
};

struct ev_item {
    bool group;                 /* a day label, else a row */
    bool cont;                  /* the label repeats a day begun in the column before */
    size_t row;
    size_t col;                 /* column in the slide (page = col / ncols) */
    int y;                      /* from the top of the rows box */
};

struct ev_state {
    struct ev_row *rows;
    size_t nrows;               /* laid out (wrapped), <= the plan's events */
    size_t more;                /* the plan's events left out: past SLIDE_MAX_PAGES */
    struct ev_item *items;
    size_t nitems, cap;
    size_t *col_first;          /* ncolumns + 1 entries into items */
    size_t ncolumns, npages;
    int ncols, col_w, col_gap;  /* columns per page */
    int heading_h;
    int time_size, title_size, place_size, group_size, pill_size;
    int time_w, row_gap, group_h, group_gap;
};

static void format_clock(char *buf, size_t n, int minute)
{
    snprintf(buf, n, "%02d:%02d", minute / 60 % 24, minute % 60);
}

static void add_item(struct ev_state *s, bool group, bool cont, size_t row, size_t col, int y)
{
    xgrow(&s->items, &s->cap, s->nitems + 1, sizeof *s->items);
    s->items[s->nitems++] = (struct ev_item){ group, cont, row, col, y };
}

/* Wraps the 备注 into r->note_text and r->note, no taller than max_h: a
 * note that would make the row taller than a page keeps the lines that fit,
 * the last one ending in "…" (a 1,000-character 备注 must not run off the
 * page). */
static void layout_note(struct ev_row *r, const char *note, int w, int size, int max_h,
                        const struct text_measurer *m)
{
    r->note_text = xstrdup(note);
    text_wrap(r->note_text, w, size, PLACE_SPACING, m, &r->note);
    int lh = r->note.line_height;
    size_t keep = max_h > 0 && lh > 0 ? (size_t)(max_h / lh) : 0;
    if (r->note.nlines <= keep)
        return;
    if (keep == 0) {
        text_layout_free(&r->note);
        r->note_text[0] = 0;
        return;
    }
    /* Cut after the last kept line, then drop characters until the text
     * with its "…" wraps into `keep` lines. */
    size_t len = r->note.lines[keep - 1].start + r->note.lines[keep - 1].len;
    for (;;) {
        while (len > 0 && (note[len] & 0xC0) == 0x80)
            len--;      /* whole UTF-8 sequences only */
        char *cut = xasprintf("%.*s…", (int)len, note);
        text_layout_free(&r->note);
        text_wrap(cut, w, size, PLACE_SPACING, m, &r->note);
        free(r->note_text);
        r->note_text = cut;
        if (r->note.nlines <= keep || len == 0)
            return;
        len--;
    }
}

static struct ev_state *layout_columns(const struct slide_env *e, int ncols)
{
    struct ev_state *s = xcalloc(1, sizeof *s);
    const struct plan *p = e->plan;
    int64_t today = e->now / WHEN_MIN_PER_DAY;
    int inner_w = e->w - 2 * e->mx, inner_h = e->h - 2 * e->my;

    s->heading_h = slide_heading_height(e, EVENTS_HEADING, inner_w);
    s->title_size = slide_px(e, 0.043, e->floor);
    s->time_size = s->title_size;
    s->place_size = e->floor;
    s->group_size = slide_px(e, 0.04, e->floor);
    s->pill_size = (int)lround(e->floor * 0.8);
    /* The time column: the start as large as the title, the end under it
     * at the place's size, the 进行中 badge under that.  Stacked, it leaves
     * the title a third more width than "00:00–00:00" on one line did:
     * fewer titles and places wrap. */
    int tw = draw_text_width(e->d, "00:00", strlen("00:00"), s->time_size, FONT_REGULAR);
    int ew = draw_text_width(e->d, "–00:00", strlen("–00:00"), s->place_size, FONT_REGULAR);
    int aw = draw_text_width(e->d, "全天", strlen("全天"), s->time_size, FONT_REGULAR);
    int pw = draw_text_width(e->d, ONGOING_LABEL, strlen(ONGOING_LABEL), s->pill_size,
                             FONT_BOLD) + s->pill_size;
    s->time_w = (tw > ew ? tw : ew);
    s->time_w = s->time_w > aw ? s->time_w : aw;
    s->time_w = (s->time_w > pw ? s->time_w : pw) + slide_px(e, 0.03, 8);
    s->row_gap = slide_px(e, 0.02, 6);
    s->group_h = fonts_line_height(e->d->fonts, s->group_size, FONT_BOLD) + slide_px(e, 0.012, 3);
    s->group_gap = slide_px(e, 0.025, 6);
    s->ncols = ncols;
    s->col_gap = slide_px(e, 0.06, 8);
    s->col_w = (inner_w - (s->ncols - 1) * s->col_gap) / s->ncols;
    int text_w = s->col_w - s->time_w;

    const struct text_measurer *bold = fonts_measurer(e->d->fonts, FONT_BOLD);
    const struct text_measurer *reg = fonts_measurer(e->d->fonts, FONT_REGULAR);
    size_t nevents = p ? p->nevents : 0;
    s->rows = xcalloc(nevents ? nevents : 1, sizeof *s->rows);

    /* Each row is wrapped and placed in turn, so that the work stops with
     * the last column a slide may have (SLIDE_MAX_PAGES pages): 5,000
     * events of long titles were once laid out into 5,000 pages in one
     * go.  But never fewer columns than the events an imported feed can
     * list (SCHEDULE_EVENTS_MAX): a row takes at most one column, so no
     * event the import let through is left off.  Cut into columns: a
     * column starts with a day label; a day that runs over repeats its
     * label at the top of the next column.  A page shows ncols columns
     * side by side. */
    size_t max_cols = (size_t)SLIDE_MAX_PAGES * (size_t)s->ncols;
    if (max_cols < SCHEDULE_EVENTS_MAX)
        max_cols = SCHEDULE_EVENTS_MAX;
    int avail = inner_h - s->heading_h;
    size_t pcap = 0;
    xgrow(&s->col_first, &pcap, 1, sizeof *s->col_first);
    s->col_first[0] = 0;
    size_t ncol = 0;
    int y = 0;
    int64_t day = INT64_MIN;
    for (size_t i = 0; i < nevents; i++) {
        struct ev_row *r = &s->rows[i];
        r->ev = &e->c->events[p->events[i]];
        const struct nb_event *ev = r->ev;
        char a[8], b[8];
        if (ev->start < 0) {
            snprintf(r->time, sizeof r->time, "全天");
        } else {
            format_clock(a, sizeof a, ev->start);
            if (ev->end >= 0) {
                format_clock(b, sizeof b, ev->end);
                snprintf(r->end, sizeof r->end, "–%s", b);
            }
            snprintf(r->time, sizeof r->time, "%s", a);
        }
        /* Room for the 进行中 badge on any of today's timed events: whether
         * it shows is decided when the page is drawn. */
        r->today_timed = ev->start >= 0 && ev->end >= 0 && ev->end != ev->start &&
                         (ev->day == today || (ev->day == today - 1 && ev->end < ev->start));
        if (ev->place[0] && ev->organizer[0])
            r->where = xasprintf("%s · %s", ev->place, ev->organizer);
        else
            r->where = xstrdup(ev->place[0] ? ev->place : ev->organizer);
        int qr_h = 0;
        r->qr_px = slide_qr_module_px(e, 6);
        r->qr_w = slide_qr_card(e, ev->qr, r->qr_px, &qr_h);
        int row_text_w = r->qr_w ? text_w - r->qr_w - s->col_gap / 2 : text_w;
        text_wrap(ev->title, row_text_w, s->title_size, TITLE_SPACING, bold, &r->title);
        text_wrap(r->where, row_text_w, s->place_size, PLACE_SPACING, reg, &r->place);
        s->nrows = i + 1;
        int text_h = (int)r->title.nlines * r->title.line_height +
                     (int)r->place.nlines * r->place.line_height;
        /* A short 备注 goes on the place's line, an em after it. */
        int place_w = r->place.nlines == 1
                          ? draw_text_width(e->d, r->where, strlen(r->where), s->place_size,
                                            FONT_REGULAR) + s->place_size
                          : -1;
        if (place_w > 0 && ev->note[0] && !strchr(ev->note, '\n') &&
            place_w + draw_text_width(e->d, ev->note, strlen(ev->note), s->place_size,
                                      FONT_REGULAR) <= row_text_w) {
            r->note_text = xstrdup(ev->note);
            r->note_x = place_w;
        } else {
            layout_note(r, ev->note, text_w, s->place_size,
                        inner_h - s->heading_h - s->group_h - text_h, reg);
        }
        text_h += (int)r->note.nlines * r->note.line_height;
        int time_h = fonts_line_height(e->d->fonts, s->time_size, FONT_REGULAR);
        if (r->end[0])
            time_h += fonts_line_height(e->d->fonts, s->place_size, FONT_REGULAR);
        /* The badge after the title when the title's last line leaves room
         * (no extra height), else under the time. */
        int pill_w = draw_text_width(e->d, ONGOING_LABEL, strlen(ONGOING_LABEL), s->pill_size,
                                     FONT_BOLD) + s->pill_size;
        if (r->today_timed && r->title.nlines > 0) {
            int last = r->title.lines[r->title.nlines - 1].width + s->title_size / 2;
            if (last + pill_w <= row_text_w)
                r->pill_x = last;
        }
        if (r->today_timed && r->pill_x == 0)
            time_h += slide_pill_height(e, s->pill_size) + slide_px(e, 0.008, 2);
        r->h = text_h > time_h ? text_h : time_h;
        r->h = r->h > qr_h ? r->h : qr_h;

        bool new_day = r->ev->day != day, cont = false;
        int need = r->h + (new_day ? s->group_h + (y ? s->group_gap : 0) : 0);
        bool col_has_rows = s->nitems > s->col_first[ncol];
        if (y + need > avail && col_has_rows) {
            if (ncol + 1 == max_cols) {
                s->more = nevents - i;  /* row i is wrapped but not placed */
                log_msg_once(LOG_LEVEL_WARN, "events slide: %zu of %zu events left out "
                             "(%d pages at most)", s->more, nevents, SLIDE_MAX_PAGES);
                break;
            }
            ncol++;
            xgrow(&s->col_first, &pcap, ncol + 1, sizeof *s->col_first);
            s->col_first[ncol] = s->nitems;
            y = 0;
            cont = !new_day;
            new_day = true;
        }
        if (new_day) {
            if (y)
                y += s->group_gap;
            add_item(s, true, cont, i, ncol, y);
            y += s->group_h;
            day = r->ev->day;
        }
        add_item(s, false, false, i, ncol, y);
        y += r->h + s->row_gap;
    }
    ncol++;
    xgrow(&s->col_first, &pcap, ncol + 1, sizeof *s->col_first);
    s->col_first[ncol] = s->nitems;
    s->ncolumns = ncol;
    s->npages = (ncol + (size_t)s->ncols - 1) / (size_t)s->ncols;
    return s;
}

static void events_destroy(void *st);

static void *events_layout(const struct slide_env *e, const struct slide_ref *ref)
{
    (void)ref;
    /* One full-width list when it fits; landscape has room for two lists
     * side by side when it does not: twice the events per page at the same
     * size, rather than twice the pages.  From 1.6 times wider than tall:
     * 16:9 with or without the ticker, 16:10; not 4:3, whose columns
     * would be too narrow for a title. */
    struct ev_state *s = layout_columns(e, 1);
    int inner_w = e->w - 2 * e->mx, inner_h = e->h - 2 * e->my;
    if (s->ncolumns > 1 && !e->portrait && inner_w * 5 > inner_h * 8) {
        events_destroy(s);
        s = layout_columns(e, 2);
    }
    return s;
}

static size_t events_pages(const void *st)
{
    const struct ev_state *s = st;
    return s->npages;
}

static void day_label(char *buf, size_t n, int64_t day, int64_t today, bool cont)
{
    int y, m, d;
    when_civil_from_days(day, &y, &m, &d);
    const char *rel = day == today     ? "今天"
                    : day == today + 1 ? "明天"
                    : day == today - 1 ? "昨天"     /* an overnight event still on */
                                       : when_weekday_cn(when_weekday(day));
    snprintf(buf, n, "%s  %d月%d日%s", rel, m, d, cont ? "（续）" : "");
}

static void events_draw(const void *st, const struct slide_env *e, size_t page)
{
    const struct ev_state *s = st;
    const struct theme *th = e->d->theme;
    SDL_Color fg = draw_color(th->fg), muted = draw_color(th->muted);
    SDL_Color accent = draw_color(th->accent), bg = draw_color(th->bg);
    draw_rect(e->d, (SDL_Rect){ 0, 0, e->w, e->h }, bg);
    int inner_w = e->w - 2 * e->mx;
    slide_heading(e, EVENTS_HEADING, e->mx, e->my, inner_w, fg, accent);
    int top = e->my + s->heading_h;
    if (s->nrows == 0) {
        draw_str(e->d, "暂无活动安排", s->title_size, FONT_REGULAR, muted, e->mx, top, DRAW_LEFT);
        return;
    }
    int64_t today = e->now / WHEN_MIN_PER_DAY;
    int minute = (int)(e->now % WHEN_MIN_PER_DAY);
    size_t c0 = page * (size_t)s->ncols;
    size_t c1 = c0 + (size_t)s->ncols < s->ncolumns ? c0 + (size_t)s->ncols : s->ncolumns;
    for (size_t i = s->col_first[c0]; i < s->col_first[c1]; i++) {
        const struct ev_item *it = &s->items[i];
        const struct ev_row *r = &s->rows[it->row];
        int y = top + it->y;
        int x = e->mx + (int)(it->col - c0) * (s->col_w + s->col_gap);
        if (it->group) {
            char label[64];
            day_label(label, sizeof label, r->ev->day, today, it->cont);
            draw_str(e->d, label, s->group_size, FONT_BOLD, accent, x, y, DRAW_LEFT);
            /* A hairline under the label ties the day's rows together. */
            int lh = fonts_line_height(e->d->fonts, s->group_size, FONT_BOLD);
            draw_rect(e->d, (SDL_Rect){ x, y + lh, s->col_w, slide_px(e, 0.0019, 1) },
                      draw_alpha(muted, 110));
            continue;
        }
        draw_str(e->d, r->time, s->time_size, FONT_REGULAR, fg, x, y, DRAW_LEFT);
        int ty = y + fonts_line_height(e->d->fonts, s->time_size, FONT_REGULAR);
        if (r->end[0]) {
            draw_str(e->d, r->end, s->place_size, FONT_REGULAR, fg, x, ty, DRAW_LEFT);
            ty += fonts_line_height(e->d->fonts, s->place_size, FONT_REGULAR);
        }
        /* Under way: today, started, not yet ended (decided when drawn, so
         * a page drawn later shows the badge right).  An event without an
         * end time is never marked: we cannot know. */
        const struct nb_event *ev = r->ev;
        bool ongoing = ev->start >= 0 && ev->end >= 0 && ev->end != ev->start &&
                       ((ev->day == today && minute >= ev->start &&
                         (ev->end < ev->start || minute < ev->end)) ||
                        (ev->day == today - 1 && ev->end < ev->start && minute < ev->end));
        if (ongoing && r->pill_x > 0) {
            int lh = r->title.line_height;
            int py = y + (int)(r->title.nlines - 1) * lh +
                     (fonts_line_height(e->d->fonts, s->title_size, FONT_BOLD) -
                      slide_pill_height(e, s->pill_size)) / 2;
            slide_pill(e, ONGOING_LABEL, s->pill_size, x + s->time_w + r->pill_x, py, bg, accent);
        } else if (ongoing) {
            int py = ty + slide_px(e, 0.008, 2);
            slide_pill(e, ONGOING_LABEL, s->pill_size, x, py, bg, accent);
        }
        SDL_Rect box = { x + s->time_w, y, s->col_w - s->time_w, r->h };
        draw_lines(e->d, r->ev->title, &r->title, 0, r->title.nlines, box, FONT_BOLD, fg,
                   DRAW_LEFT);
        box.y += (int)r->title.nlines * r->title.line_height;
        draw_lines(e->d, r->where, &r->place, 0, r->place.nlines, box, FONT_REGULAR, muted,
                   DRAW_LEFT);
        if (r->note_x > 0)
            draw_str(e->d, r->note_text, s->place_size, FONT_REGULAR, fg, box.x + r->note_x,
                     box.y, DRAW_LEFT);
        box.y += (int)r->place.nlines * r->place.line_height;
        draw_lines(e->d, r->note_text, &r->note, 0, r->note.nlines, box, FONT_REGULAR, fg,
                   DRAW_LEFT);
        if (r->qr_w)
            slide_qr_draw(e, ev->qr, r->qr_px, x + s->col_w - r->qr_w, y);
    }
    if (s->more && page + 1 == s->npages) {
        char more[64];
        snprintf(more, sizeof more, "另有%zu项活动未能显示", s->more);
        slide_more(e, more, muted);
    }
    slide_page_number(e, page, s->npages, muted);
}

static void events_destroy(void *st)
{
    struct ev_state *s = st;
    if (!s)
        return;
    for (size_t i = 0; i < s->nrows; i++) {
        free(s->rows[i].where);
        free(s->rows[i].note_text);
        text_layout_free(&s->rows[i].note);
        text_layout_free(&s->rows[i].title);
        text_layout_free(&s->rows[i].place);
    }
    free(s->rows);
    free(s->items);
    free(s->col_first);
    free(s);
}

const struct slide_impl slide_events_impl = {
    .name = "events",
    .layout = events_layout,
    .pages = events_pages,
    .draw = events_draw,
    .destroy = events_destroy,
};
