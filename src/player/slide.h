/* slide.h — the slide kinds as a table of function pointers: each kind lays
 * a slide out once (text fitted, pages cut, image sizes read) and then draws
 * any page of it on demand.  scene.c rasterises pages into textures. */
#pragma once
#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/content.h"
#include "core/schedule.h"
#include "player/draw.h"

/* What every slide lays itself out with.  Sizes come from proportions of
 * the screen, never fixed pixels. */
struct slide_env {
    const struct draw *d;
    const struct feed_content *c;
    const struct plan *plan;        /* events slide: which events; may be NULL for idle */
    const char *org_name;           /* feed's, else the config's; never NULL */
    int64_t now;                    /* civil minutes: today, 进行中, the idle clock */
    int w, h;                       /* the slide area (pages draw at 0,0 .. w,h) */
    int unit;                       /* min(screen w, h): the scale of all sizes */
    int floor;                      /* smallest body text in px (see scene.c) */
    int mx, my;                     /* margins inside the area */
    bool portrait;
};

struct slide_impl {
    const char *name;               /* "announcement", … as in NN-KIND.png */
    /* Lays out the slide `ref` (NULL for idle).  Never fails: bad content
     * (a missing image) is logged once and laid out without it. */
    void *(*layout)(const struct slide_env *e, const struct slide_ref *ref);
    size_t (*pages)(const void *state);     /* >= 1 */
    /* Draws page p (< pages) into the current target at 0,0 .. e->w,e->h,
     * background included. */
    void (*draw)(const void *state, const struct slide_env *e, size_t page);
    /* Decodes page p's images ahead (draw_media_ahead), in a pause before
     * the one that draws it; NULL for kinds without images. */
    void (*ahead)(const void *state, const struct slide_env *e, size_t page);
    void (*destroy)(void *state);           /* NULL is a no-op */
    /* Optional: true when the slide's pages show the date (a 倒计时), so
     * the page on screen is redrawn when the minute changes, as events. */
    bool (*dated)(const void *state);
};

extern const struct slide_impl slide_announcement_impl;
extern const struct slide_impl slide_urgent_impl;
extern const struct slide_impl slide_events_impl;
extern const struct slide_impl slide_honors_impl;
extern const struct slide_impl slide_idle_impl;     /* empty loop: org, date, clock */

/* The implementation for a plan's slide kind. */
const struct slide_impl *slide_impl_for(enum slide_kind k);

/* Pages one slide may have at most, whatever its content: the layout of
 * a slide stops there (its work and memory are bounded by it), and the
 * last page says how many items were left out (slide_more).  20 pages of
 * events are five minutes of the loop.  The events slide also has room
 * for every event an import lets through (SCHEDULE_EVENTS_MAX columns)
 * and an honor roll for HONORS_ROLL_MAX people: what the import
 * accepted is never cut; only a feed made some other way can be. */
#define SLIDE_MAX_PAGES 20

/* Shared pieces of slide design. */
/* text (另有N项活动未能显示) in the bottom-left margin, for the last page of
 * a slide cut at SLIDE_MAX_PAGES. */
void slide_more(const struct slide_env *e, const char *text, SDL_Color c);
/* 第P/N页 in the bottom-right margin (nothing when n <= 1). */
void slide_page_number(const struct slide_env *e, size_t page, size_t n, SDL_Color c);
/* Heading with an accent rule under it at (x, y), width w; returns its height
 * (heading + rule + gap before content). */
int slide_heading(const struct slide_env *e, const char *text, int x, int y, int w,
                  SDL_Color fg, SDL_Color accent);
/* The height slide_heading will take, without drawing. */
int slide_heading_height(const struct slide_env *e, const char *text, int w);
/* A pill-shaped label (text in fg on bg) with top-left at (x, y); returns its width. */
int slide_pill(const struct slide_env *e, const char *text, int size, int x, int y,
               SDL_Color fg, SDL_Color bg);
/* Height of a pill at text size `size`. */
int slide_pill_height(const struct slide_env *e, int size);
/* Proportional size helper: round(unit * frac), at least min. */
int slide_px(const struct slide_env *e, double frac, int min);

/* 二维码 cards (slide_qr.c).  Pixels per module for a code scannable from a
 * metre: per_1080 at a 1080-pixel unit, scaled with the screen, never below
 * QR_SCAN_MODULE_PX. */
int slide_qr_module_px(const struct slide_env *e, double per_1080);
/* The card for text at module_px: returns its width (the code's side,
 * quiet zone included) and sets *h (OUT) to its height with the caption;
 * 0 and *h = 0 when text is empty or cannot be encoded (logged once). */
int slide_qr_card(const struct slide_env *e, const char *text, int module_px, int *h);
/* Draws that card with its top-left at (x, y). */
void slide_qr_draw(const struct slide_env *e, const char *text, int module_px, int x, int y);
