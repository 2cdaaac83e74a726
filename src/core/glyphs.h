/* glyphs.h — whether the fonts installed on this device can draw a text, for
 * the sync tool's report (the player draws through SDL_ttf, which the sync
 * tool does not link): FreeType over the same font chain as the player —
 * the configured fonts or the defaults below, then any installed font that
 * fontconfig says has the character, as the player's fallback takes it. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"

/* The player's fonts when the config names none (Debian package paths:
 * fonts-noto-cjk, fonts-wqy-microhei, fonts-noto-color-emoji), in order. */
#define GLYPHS_DEFAULT_FONTS                                                  \
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc:2", /* Noto Sans CJK SC */ \
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc:0",                       \
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf:0"

struct glyphs;

/* Opens the chain for cfg (cfg->fonts, or the defaults when it names none
 * or none opens; fonts that do not open are skipped).  Never NULL: with no
 * font at all every character is missing.  glyphs_destroy(NULL) is a no-op. */
struct glyphs *glyphs_create(const struct config *cfg);
void glyphs_destroy(struct glyphs *g);

/* The first code point of utf8 (valid UTF-8) that no font can draw, 0 when
 * every one can; *at (OUT, may be NULL) is its place in the text, counted
 * in characters from 1 (what staff count to find it).  Characters the player draws nothing for (controls) or
 * that shape with the one before (variation selectors, ZWJ, tags) are not
 * asked.  Answers are cached per code point. */
uint32_t glyphs_missing(struct glyphs *g, const char *utf8, size_t *at);

/* True for the code points of emoji pictographs (🎉 🏮 ❤ ☀ 👍…), which the
 * player draws from a colour font when one is installed. */
bool glyphs_is_emoji(uint32_t cp);
