/* draw.h — the drawing primitives every slide, the header and the ticker use:
 * text lines and fitted text pages through the font chain, anti-aliased
 * rounded rectangles and circles, and images from the feed or a file.
 * Everything draws onto the renderer's current target; nothing is cached
 * but the images of the page about to be drawn (draw_media_ahead). */
#pragma once
#include <SDL.h>
#include <stdbool.h>
#include "core/config.h"
#include "core/text.h"
#include "player/font.h"

struct feed;
struct draw_ahead;

struct draw {
    SDL_Renderer *r;
    struct fonts *fonts;
    const struct theme *theme;
    struct feed *feed;          /* media source; NULL draws no feed images */
    struct draw_ahead *ahead;   /* images decoded ahead (draw_ahead_new), or NULL */
};

enum draw_align { DRAW_LEFT, DRAW_CENTER, DRAW_RIGHT };

/* Theme colour → SDL colour (opaque). */
SDL_Color draw_color(struct rgb c);
/* c with its alpha set to a (0..255). */
SDL_Color draw_alpha(SDL_Color c, Uint8 a);

/* Solid rectangle. */
void draw_rect(const struct draw *d, SDL_Rect rc, SDL_Color c);
/* Rectangle with anti-aliased corners of the given radius (clamped to half
 * the short side; radius = h/2 on a square gives a circle). */
void draw_round_rect(const struct draw *d, SDL_Rect rc, int radius, SDL_Color c);

/* The same shape as a new ARGB surface with straight alpha (caller frees;
 * NULL on failure), for things kept as textures over varying backgrounds. */
SDL_Surface *draw_round_surface(int w, int h, int radius, SDL_Color c);

/* Width in pixels of s[0..len) at size/weight. */
int draw_text_width(const struct draw *d, const char *s, size_t len, int size,
                    enum font_weight w);
/* Draws s[0..len) on one line with its top-left at (x, y) (align moves x to
 * the centre or right end).  Returns the width drawn, 0 for empty text or a
 * font failure (logged once by the font module). */
int draw_text(const struct draw *d, const char *s, size_t len, int size,
              enum font_weight w, SDL_Color c, int x, int y, enum draw_align align);
/* Convenience for a NUL-terminated string. */
int draw_str(const struct draw *d, const char *s, int size, enum font_weight w,
             SDL_Color c, int x, int y, enum draw_align align);
/* The length of the longest start of s (whole characters) that fits in
 * `width` at `size` with "…" after it; strlen(s) when s fits whole. */
size_t draw_ellipsis_cut(const struct draw *d, const char *s, int size, enum font_weight w,
                         int width);
/* draw_str within `width`: a text too wide is cut and ends in "…", never
 * drawn past the width (never clipped by what is beside it). */
int draw_str_within(const struct draw *d, const char *s, int size, enum font_weight w,
                    SDL_Color c, int x, int y, enum draw_align align, int width);
/* Largest size in [min, max] at which s fits in width w on one line; min when
 * none does. */
int draw_fit_line(const struct draw *d, const char *s, int width, int min, int max,
                  enum font_weight w);

/* Lines [from, to) of a laid-out text (from text_wrap/text_fit on `text`),
 * from the top of box, aligned within box's width. */
void draw_lines(const struct draw *d, const char *text, const struct text_layout *l,
                size_t from, size_t to, SDL_Rect box, enum font_weight w, SDL_Color c,
                enum draw_align align);
/* Page `page` of a text_fit result. */
void draw_fit_page(const struct draw *d, const char *text, const struct text_fit *fit,
                   size_t page, SDL_Rect box, enum font_weight w, SDL_Color c,
                   enum draw_align align);

/* Decodes a JPEG or PNG held in memory with the typed loaders (never
 * IMG_Load, which would try every format), at full size.  Returns a new
 * surface or NULL (logged once with `what` for context). */
SDL_Surface *draw_decode_image(const void *data, size_t len, const char *what);
/* A media blob from the feed, decoded at full size (the logo); NULL when
 * there is no feed, no such blob, or it does not decode (logged once). */
SDL_Surface *draw_load_media(const struct draw *d, const char *name);
/* The stored size of a feed image, without reading or decoding it: what
 * slides are laid out from.  false (logged once) when there is no feed or
 * no such image. */
bool draw_media_size(const struct draw *d, const char *name, int *w, int *h);
/* As draw_load_media, but decoded no larger than the image will be shown
 * in a bw x bh box (contain or cover, as draw_image): a JPEG at the largest
 * DCT scale (1/2, 1/4, 1/8) that still covers that, never below what it
 * needs; a PNG at full size. */
SDL_Surface *draw_load_media_fit(const struct draw *d, const char *name, int bw, int bh,
                                 bool contain);
/* Decodes a feed image, draws it into box (as draw_image) and frees it at
 * once: pages are rasterised ahead, so a slide holds no pixels between its
 * pages.  false, with nothing drawn, when it cannot be loaded. */
bool draw_media(const struct draw *d, const char *name, SDL_Rect box, bool contain);
/* The same cropped to a circle (as draw_image_circle). */
bool draw_media_circle(const struct draw *d, const char *name, SDL_Rect box);
/* Decoding ahead.  A poster takes 13 ms to decode and as long again to
 * draw: in one pause between two frames the ticker missed one.  So a page's
 * images can be decoded in one pause (draw_media_ahead, with the box size
 * draw_media or draw_media_circle will ask for) and taken by the draw in
 * the next; draw_ahead_drop frees what was not taken.  Without d->ahead
 * draw_media_ahead does nothing. */
struct draw_ahead *draw_ahead_new(void);
void draw_media_ahead(const struct draw *d, const char *name, int bw, int bh, bool contain);
void draw_ahead_drop(const struct draw *d);
void draw_ahead_free(struct draw_ahead *a);
/* An image file on the device (the configured logo); NULL on failure (logged once). */
SDL_Surface *draw_load_file(const char *path);

/* Draws img into box: contain = whole image letterboxed and centred,
 * otherwise cover = box filled and the image cropped: centred across, and
 * from draw_crop_top down when it is too tall (faces stay in). */
void draw_image(const struct draw *d, SDL_Surface *img, SDL_Rect box, bool contain);
/* Where a crop crop_h pixels high starts in an image img_h high: a fifth of
 * the spare height from the top (0 when nothing is spare), not the centre,
 * so a portrait photo keeps its head. */
int draw_crop_top(int img_h, int crop_h);
/* Draws img cropped to a circle of diameter box.w centred in box
 * (anti-aliased), the square taken as draw_crop_top says. */
void draw_image_circle(const struct draw *d, SDL_Surface *img, SDL_Rect box);
