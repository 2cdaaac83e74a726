/* slide_idle.c — what shows when the loop is empty: the organisation's name,
 * a large clock and the date in the middle of the screen, so the board is
 * never black (quiet hours aside).  Drawn again every minute by the caller. */
#include "player/slide.h"

#include <stdio.h>
#include <string.h>

static void *idle_layout(const struct slide_env *e, const struct slide_ref *ref)
{
    (void)e;
    (void)ref;
    /* Nothing to keep: the page depends only on the clock and the org name. */
    static char token;
    return &token;
}

static size_t idle_pages(const void *st)
{
    (void)st;
    return 1;
}

static void idle_draw(const void *st, const struct slide_env *e, size_t page)
{
    (void)st;
    (void)page;
    const struct theme *th = e->d->theme;
    SDL_Color fg = draw_color(th->fg), muted = draw_color(th->muted);
    draw_rect(e->d, (SDL_Rect){ 0, 0, e->w, e->h }, draw_color(th->bg));
    int inner_w = e->w - 2 * e->mx;

    char clock[8], date[64];
    int minute = (int)(e->now % WHEN_MIN_PER_DAY);
    snprintf(clock, sizeof clock, "%02d:%02d", minute / 60, minute % 60);
    when_format_date_cn(e->now / WHEN_MIN_PER_DAY, date);

    const char *org = e->org_name;
    int org_size = org[0] ? draw_fit_line(e->d, org, inner_w, e->floor, slide_px(e, 0.075, e->floor),
                                          FONT_BOLD) : 0;
    int clock_size = draw_fit_line(e->d, clock, inner_w, e->floor, slide_px(e, 0.24, e->floor),
                                   FONT_BOLD);
    int date_size = draw_fit_line(e->d, date, inner_w, e->floor, slide_px(e, 0.05, e->floor),
                                  FONT_REGULAR);
    int org_h = org[0] ? fonts_line_height(e->d->fonts, org_size, FONT_BOLD) : 0;
    int gap = slide_px(e, 0.04, 8);
    int rule_h = slide_px(e, 0.007, 3);
    int clock_h = fonts_line_height(e->d->fonts, clock_size, FONT_BOLD);
    int date_h = fonts_line_height(e->d->fonts, date_size, FONT_REGULAR);
    int block = (org[0] ? org_h + gap + rule_h + gap : 0) + clock_h + date_h;
    int y = (e->h - block) / 2, cx = e->w / 2;
    if (org[0]) {
        draw_str_within(e->d, org, org_size, FONT_BOLD, fg, cx, y, DRAW_CENTER, inner_w);
        y += org_h + gap;
        int rw = slide_px(e, 0.09, 24);
        draw_round_rect(e->d, (SDL_Rect){ cx - rw / 2, y, rw, rule_h }, rule_h / 2,
                        draw_color(th->accent));
        y += rule_h + gap;
    }
    draw_str(e->d, clock, clock_size, FONT_BOLD, fg, cx, y, DRAW_CENTER);
    y += clock_h;
    draw_str(e->d, date, date_size, FONT_REGULAR, muted, cx, y, DRAW_CENTER);
}

static void idle_destroy(void *st)
{
    (void)st;
}

const struct slide_impl slide_idle_impl = {
    .name = "idle",
    .layout = idle_layout,
    .pages = idle_pages,
    .draw = idle_draw,
    .destroy = idle_destroy,
};
