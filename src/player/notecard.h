/* notecard.h — the card the screen shows staff about an import: a colour
 * and a symbol per outcome (busy, checked, success, success with 提醒,
 * failure, not authorised), a title line and a detail, sized to be read
 * from three metres, drawn in software into one surface. */
#pragma once
#include <SDL.h>
#include <stdbool.h>

struct fonts;
struct syncstate;

enum notecard_kind {
    NOTECARD_BUSY,      /* blue, an arrow, a progress bar: 请勿拔出U盘 */
    NOTECARD_INFO,      /* blue, a tick: a dry run passed, nothing changed */
    NOTECARD_OK,        /* green, a tick */
    NOTECARD_WARN,      /* amber, "!": it plays, the report has 提醒 */
    NOTECARD_FAIL,      /* red, a cross: nothing changed */
    NOTECARD_DENIED,    /* purple, a bar (no entry): the stick may not change this board */
};

struct notecard {
    enum notecard_kind kind;
    char *title;        /* one line, owned */
    char *detail;       /* a line or two, owned; may be NULL */
    int percent;        /* NOTECARD_BUSY: 0..100 */
};

/* The card for a sync state (words in Chinese for staff), and how long it
 * stays in ms (*show_ms, 0: until the state changes).  out owns its
 * strings: notecard_fini. */
void notecard_from_syncstate(const struct syncstate *st, struct notecard *out, int *show_ms);
/* Frees what n owns and zeroes it; NULL is a no-op. */
void notecard_fini(struct notecard *n);
/* true when a and b would draw alike. */
bool notecard_equal(const struct notecard *a, const struct notecard *b);

/* The card `width` px wide, its title at 2 * base px (less when it would
 * not fit), the detail at 1.25 * base down to base (the smallest text
 * readable from three metres), wrapped (never clipped).  A new ARGB8888 surface with straight alpha (rounded corners
 * transparent), caller frees; NULL on failure (logged). */
SDL_Surface *notecard_render(struct fonts *f, const struct notecard *n, int width, int base);

/* The card's background colour for kind (for tests). */
SDL_Color notecard_color(enum notecard_kind kind);
