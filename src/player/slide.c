/* slide.c — the kind table and the design pieces slides share (headings,
 * pills, the page number), so every slide speaks the same visual language. */
#include "player/slide.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const struct slide_impl *slide_impl_for(enum slide_kind k)
{
    switch (k) {
    case SLIDE_URGENT:       return &slide_urgent_impl;
    case SLIDE_ANNOUNCEMENT: return &slide_announcement_impl;
    case SLIDE_EVENTS:       return &slide_events_impl;
    case SLIDE_HONORS:       return &slide_honors_impl;
    }
    return &slide_idle_impl;
}

int slide_px(const struct slide_env *e, double frac, int min)
{
    int v = (int)lround(e->unit * frac);
    return v < min ? min : v;
}

void slide_page_number(const struct slide_env *e, size_t page, size_t n, SDL_Color c)
{
    if (n <= 1)
        return;
    char buf[48];
    snprintf(buf, sizeof buf, "第%zu/%zu页", page + 1, n);
    int size = (int)lround(e->floor * 0.85);
    int lh = fonts_line_height(e->d->fonts, size, FONT_REGULAR);
    /* Centred in the bottom margin, right-aligned with the content. */
    int y = e->h - e->my + (e->my - lh) / 2;
    if (y + lh > e->h)
        y = e->h - lh;
    draw_str(e->d, buf, size, FONT_REGULAR, c, e->w - e->mx, y, DRAW_RIGHT);
}

void slide_more(const struct slide_env *e, const char *text, SDL_Color c)
{
    int size = (int)lround(e->floor * 0.85);
    int lh = fonts_line_height(e->d->fonts, size, FONT_REGULAR);
    int y = e->h - e->my + (e->my - lh) / 2;    /* as the page number */
    if (y + lh > e->h)
        y = e->h - lh;
    draw_str(e->d, text, size, FONT_REGULAR, c, e->mx, y, DRAW_LEFT);
}

/* One place for the heading's geometry so layout and drawing agree. */
static int heading_geometry(const struct slide_env *e, const char *text, int w, int *size,
                            int *rule_off, int *rule_h)
{
    int max = slide_px(e, 0.062, e->floor);
    *size = draw_fit_line(e->d, text, w, e->floor, max, FONT_BOLD);
    int lh = fonts_line_height(e->d->fonts, *size, FONT_BOLD);
    *rule_h = slide_px(e, 0.007, 3);
    *rule_off = lh + slide_px(e, 0.01, 4);
    return *rule_off + *rule_h + slide_px(e, 0.035, 8);
}

int slide_heading_height(const struct slide_env *e, const char *text, int w)
{
    int size, rule_off, rule_h;
    return heading_geometry(e, text, w, &size, &rule_off, &rule_h);
}

int slide_heading(const struct slide_env *e, const char *text, int x, int y, int w,
                  SDL_Color fg, SDL_Color accent)
{
    int size, rule_off, rule_h;
    int h = heading_geometry(e, text, w, &size, &rule_off, &rule_h);
    draw_str_within(e->d, text, size, FONT_BOLD, fg, x, y, DRAW_LEFT, w);
    draw_round_rect(e->d, (SDL_Rect){ x, y + rule_off, slide_px(e, 0.075, 24), rule_h },
                    rule_h / 2, accent);
    return h;
}

int slide_pill_height(const struct slide_env *e, int size)
{
    return fonts_line_height(e->d->fonts, size, FONT_BOLD) + size / 3;
}

int slide_pill(const struct slide_env *e, const char *text, int size, int x, int y,
               SDL_Color fg, SDL_Color bg)
{
    int tw = draw_text_width(e->d, text, strlen(text), size, FONT_BOLD);
    int h = slide_pill_height(e, size);
    int w = tw + size;
    draw_round_rect(e->d, (SDL_Rect){ x, y, w, h }, h / 2, bg);
    draw_str(e->d, text, size, FONT_BOLD, fg, x + size / 2, y + size / 6, DRAW_LEFT);
    return w;
}
