/* text.h — breaking and fitting Chinese text, without SDL.
 *
 * Break opportunities come from libunibreak (UAX #14, language "zh"),
 * tightened by Chinese line-start/line-end rules (no line starts with
 * ，。、；：？！”’）》】… and none ends with “‘（《【), never inside a Latin
 * word, a number like 2026年 or 18:30, a number in groups (010-6512 3456),
 * between a two-character label and its number (密码 12345678, 电话：110),
 * or a name with a middle dot.
 * Glyph measurement comes in through struct text_measurer, so tests can
 * use a fake font with fixed advances. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct text_measurer {
    void *ctx;
    /* Advance width in pixels of utf8[0..len) set at pixel size `size`. */
    int (*width)(void *ctx, const char *utf8, size_t len, int size);
    /* Line height in pixels at `size` (ascent + descent + gap). */
    int (*line_height)(void *ctx, int size);
};

struct text_line {
    uint32_t start, len;    /* byte range in the source text, trailing spaces excluded */
    int width;              /* measured width of that range */
};

struct text_layout {
    struct text_line *lines;
    size_t nlines;
    int size;               /* pixel size the lines were broken at */
    int line_height;        /* pixels between baselines (with spacing) */
};

/* Breaks utf8 (valid UTF-8; "\n" ends a paragraph) into lines no wider than
 * max_width at `size`, greedily; a paragraph's last line is not left with one
 * stray character when the line before can hand it a segment.  A single
 * unbreakable run wider than the box is split as a last resort at the least
 * bad place that fits (inside a dotted name, then between a label and its
 * number, between a number's groups, after / . - in a URL, then inside a
 * word, then against the punctuation rules), never inside a grapheme, at
 * least one grapheme per line; only a huge grapheme (more than 16 code
 * points: emoji joined by the hundred, a pile of marks) wider than the box
 * is cut where it must, so that it does not run off the box.  An empty paragraph gives an
 * empty line; trailing newlines and spaces at the very end give none, so ""
 * gives no lines (so does NULL).  spacing multiplies the font's line height (<= 0 means 1).
 * out is overwritten (not freed first); free it with text_layout_free.
 * Each segment between break opportunities is measured once per call; a
 * line is measured whole when it is done or near the box edge, since shaped
 * widths need not add up to the pixel. */
void text_wrap(const char *utf8, int max_width, int size, double spacing,
               const struct text_measurer *m, struct text_layout *out);
/* True when b belongs to the same character as a before it (b a combining
 * mark, variation selector, skin tone, ZWJ or tag; a a ZWJ): text cut into
 * pieces (the ticker's chunks) must not be cut between them.  Flags (pairs
 * of regional indicators) are not told here. */
bool text_joined(uint32_t a, uint32_t b);

/* Frees l's lines and empties it; NULL is a no-op. */
void text_layout_free(struct text_layout *l);

/* Fit: the largest size in [min_size, max_size] at which the text fits in
 * box_w x box_h (every line no wider than box_w, nlines * line_height no
 * taller than box_h); if even min_size does not fit, the text is laid out at
 * min_size and split into pages of whole lines.  out->layout holds all lines;
 * page p shows lines [page_first[p], page_first[p+1]).  Empty text gives one
 * empty page.  Free with text_fit_free. */
struct text_fit {
    struct text_layout layout;
    size_t *page_first;     /* npages + 1 entries */
    size_t npages;
};
void text_fit(const char *utf8, int box_w, int box_h, int min_size, int max_size,
              double spacing, const struct text_measurer *m, struct text_fit *out);
/* Frees f's layout and pages and empties it; NULL is a no-op. */
void text_fit_free(struct text_fit *f);

/* Whole lines of layout l that fit in a box box_h pixels high (each line
 * takes line_height, drawn at y = i * line_height); at least 1 so that a
 * page always advances.  text_fit pages with this. */
int text_lines_per_page(const struct text_layout *l, int box_h);
