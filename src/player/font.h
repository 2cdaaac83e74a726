/* font.h — the font chain: per-glyph fallback across the configured fonts
 * (Noto Sans CJK SC → WenQuanYi Micro Hei → whatever fontconfig offers for
 * a missing character), so no tofu appears where an installed font has the
 * glyph.  Measures for the core's text engine and renders lines to surfaces. */
#pragma once
#include <SDL.h>
#include <stdbool.h>
#include "core/config.h"
#include "core/text.h"

enum font_weight { FONT_REGULAR, FONT_BOLD };

struct fonts;

/* Opens the chain from cfg->fonts (path[:face-index] entries); when empty
 * or none opens (logged), the system defaults.  Bold is the file with
 * Regular -> Bold in its name (or name-Bold.ext) when it exists, else
 * synthesised.  Calls TTF_Init (balanced by fonts_destroy); no video needed.
 * Returns NULL only when no font at all can be opened (logged).
 * fonts_destroy(NULL) is a no-op. */
struct fonts *fonts_create(const struct config *cfg);
void fonts_destroy(struct fonts *f);

/* A measurer for text_wrap/text_fit at the given weight; valid while f lives.
 * Its widths equal fonts_render's surface widths to the pixel (cached glyph
 * advances for CJK runs; other runs shaped, cached per run and size). */
const struct text_measurer *fonts_measurer(struct fonts *f, enum font_weight w);

/* Renders utf8[0..len) on one line at pixel size `size`, blended (anti-
 * aliased) in colour c, into a new ARGB8888 surface (blend mode BLEND) sized
 * to the text (height = line height, baseline at fonts_ascent), each run in
 * the font of the chain that has its glyphs.  Control characters and
 * characters no installed font has draw nothing (no □).  NULL for empty text, text with nothing to draw, or a failure
 * (logged once).  Caller frees. */
SDL_Surface *fonts_render(struct fonts *f, const char *utf8, size_t len, int size,
                          enum font_weight w, SDL_Color c);

/* Ascent and line height in pixels at `size`. */
int fonts_ascent(struct fonts *f, int size, enum font_weight w);
int fonts_line_height(struct fonts *f, int size, enum font_weight w);

/* The font file that draws code point cp: the first chain font with the
 * glyph, else one fontconfig found (then added to the chain).  NULL when no
 * installed font has it (it is not drawn).  The
 * string is owned by f.  The decision is cached per code point. */
const char *fonts_face_path(struct fonts *f, uint32_t cp);
/* Fonts open in the chain so far (the defaults after the first, and
 * fontconfig's, are opened when a character needs them). */
int fonts_face_count(const struct fonts *f);
