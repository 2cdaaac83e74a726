/* glyphs.c — font coverage of a text with FreeType and fontconfig, over the
 * player's font chain (font.c): configured or default fonts, then
 * fontconfig's fallback (scalable or colour fonts only, as the player). */
#include "core/glyphs.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

#define MAX_FACES 16
#define UNKNOWN 0
#define HAVE 1
#define MISSING 2

struct glyphs {
    FT_Library ft;
    FT_Face faces[MAX_FACES];
    int nfaces;
    FcConfig *fc;               /* loaded when a character needs a fallback */
    bool fc_failed;
    uint8_t *known;             /* code point → UNKNOWN, HAVE, MISSING (0x110000) */
};

static bool add_face(struct glyphs *g, const char *path, long index)
{
    if (!g->ft || g->nfaces == MAX_FACES)
        return false;
    FT_Face face;
    if (FT_New_Face(g->ft, path, index, &face) != 0)
        return false;
    g->faces[g->nfaces++] = face;
    return true;
}

/* "path:index" as the player's config writes it. */
static bool add_spec(struct glyphs *g, const char *spec)
{
    const char *colon = strrchr(spec, ':');
    long index = 0;
    char *path;
    if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        path = xstrndup(spec, (size_t)(colon - spec));
        index = strtol(colon + 1, NULL, 10);
    } else {
        path = xstrdup(spec);
    }
    bool ok = add_face(g, path, index);
    free(path);
    return ok;
}

struct glyphs *glyphs_create(const struct config *cfg)
{
    static const char *const defaults[] = { GLYPHS_DEFAULT_FONTS };
    struct glyphs *g = xcalloc(1, sizeof *g);
    g->known = xcalloc(0x110000, 1);
    if (FT_Init_FreeType(&g->ft) != 0) {
        log_warn("FreeType does not start: text is not checked against the fonts");
        g->ft = NULL;
        return g;
    }
    for (int i = 0; cfg && i < cfg->nfonts; i++)
        if (cfg->fonts[i])
            add_spec(g, cfg->fonts[i]);
    if (g->nfaces == 0)
        for (size_t i = 0; i < ARRAY_LEN(defaults); i++)
            add_spec(g, defaults[i]);
    return g;
}

void glyphs_destroy(struct glyphs *g)
{
    if (!g)
        return;
    for (int i = 0; i < g->nfaces; i++)
        FT_Done_Face(g->faces[i]);
    if (g->ft)
        FT_Done_FreeType(g->ft);
    if (g->fc)
        FcConfigDestroy(g->fc);
    free(g->known);
    free(g);
}

bool glyphs_is_emoji(uint32_t cp)
{
    return (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
           (cp >= 0x1F000 && cp <= 0x1F2FF) || (cp >= 0x2B00 && cp <= 0x2BFF) ||
           cp == 0x2B50 || cp == 0x2B55 || cp == 0x203C || cp == 0x2049 || cp == 0x3030 ||
           cp == 0x303D || cp == 0x3297 || cp == 0x3299;
}

/* Whether some installed font that the player's fallback would take (a
 * scalable or colour one) has cp in its character map. */
static bool fallback_has(struct glyphs *g, uint32_t cp)
{
    if (!g->fc && !g->fc_failed) {
        g->fc = FcInitLoadConfigAndFonts();
        g->fc_failed = !g->fc;
        if (!g->fc)
            log_warn("fontconfig: cannot load its configuration; only the chain's fonts are checked");
    }
    if (!g->fc || !g->ft)
        return false;
    FcPattern *pat = FcPatternCreate();
    FcCharSet *cs = FcCharSetCreate();
    FcCharSetAddChar(cs, cp);
    FcPatternAddCharSet(pat, FC_CHARSET, cs);
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_SCALABLE, FC_COLOR, NULL);
    FcFontSet *set = FcFontList(g->fc, pat, os);
    bool have = false;
    for (int i = 0; set && i < set->nfont && !have; i++) {
        FcChar8 *file;
        FcBool scalable = FcTrue, color = FcFalse;
        int index = 0;
        FcPatternGetBool(set->fonts[i], FC_SCALABLE, 0, &scalable);
        FcPatternGetBool(set->fonts[i], FC_COLOR, 0, &color);
        if (!(scalable || color) ||
            FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
            continue;
        FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, &index);
        /* fontconfig's charset and the cmap can disagree: ask the font. */
        FT_Face face;
        if (FT_New_Face(g->ft, (const char *)file, index, &face) == 0) {
            have = FT_Get_Char_Index(face, cp) != 0;
            FT_Done_Face(face);
        }
    }
    if (set)
        FcFontSetDestroy(set);
    FcObjectSetDestroy(os);
    FcCharSetDestroy(cs);
    FcPatternDestroy(pat);
    return have;
}

/* Drawn as nothing, or as part of the character before (font.c's
 * each_run and is_ignorable). */
static bool not_asked(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 || cp == 0xFEFF ||
           (cp >= 0xE0000 && cp <= 0xE0FFF);
}

static bool has(struct glyphs *g, uint32_t cp)
{
    if (cp >= 0x110000)
        return false;
    if (g->known[cp] != UNKNOWN)
        return g->known[cp] == HAVE;
    bool have = false;
    for (int i = 0; i < g->nfaces && !have; i++)
        have = FT_Get_Char_Index(g->faces[i], cp) != 0;
    if (!have)
        have = fallback_has(g, cp);
    g->known[cp] = have ? HAVE : MISSING;
    return have;
}

uint32_t glyphs_missing(struct glyphs *g, const char *utf8, size_t *at)
{
    size_t len = strlen(utf8), n = 0;
    for (size_t p = 0; p < len;) {
        uint32_t cp;
        size_t k = utf8_decode(utf8 + p, len - p, &cp);
        if (k == 0)
            cp = 0xFFFD, k = 1;     /* the contract says valid UTF-8 */
        p += k;
        n++;
        if (cp == 0xFFFD || (!not_asked(cp) && !has(g, cp))) {
            if (at)
                *at = n;
            return cp;
        }
    }
    return 0;
}
