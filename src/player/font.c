/* font.c — the font chain over SDL2_ttf: per-code-point fallback (configured
 * fonts, then whatever fontconfig offers, colour emoji included), one
 * re-sized TTF_Font per face and weight, a glyph advance cache for layout,
 * and rendering of mixed-font runs on one baseline. */
#include "player/font.h"

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/glyphs.h"
#include "core/log.h"
#include "core/util.h"
#include "player/fontfile.h"

#define MAX_FACES 24        /* configured + fontconfig fallbacks */
#define ADVANCE_CACHE_MAX (1 << 18)  /* glyph advances kept (~6 MB) before starting over */
#define PROBE_SIZE 32       /* the size a face is opened at; coverage is size-independent */
#define NO_FACE 0xFF

/* The defaults when the config names no font (Debian package paths; the
 * sync tool checks text against the same list, core/glyphs.h). */
static const char *const default_fonts[] = { GLYPHS_DEFAULT_FONTS };

struct face {
    char *path;
    long index;
    char *bold_path;        /* a real bold file, or NULL: synthesise */
    TTF_Font *font[2];      /* regular (always open; the coverage probe), bold */
    int size[2];            /* the pixel size each is set to */
    uint32_t han[2];        /* an ideograph standing for all of them, or 0 */
    /* A bitmap font of one size (Noto Color Emoji: 109 px strikes in
     * colour, CBDT): drawn at that size and scaled, so that its glyphs
     * are `fixed` pixels high natively and `size` pixels high on screen. */
    int fixed;              /* its line height in pixels, or 0 when scalable */
};

/* Open addressing, 64-bit keys (key+1 stored so 0 means empty). */
struct map {
    uint64_t *keys;
    int32_t *vals;
    size_t cap, n;
};

struct weighted {
    struct text_measurer m;
    struct fonts *f;
    enum font_weight w;
};

struct fonts {
    struct face faces[MAX_FACES];
    int nfaces;
    uint8_t bmp_face[0x10000];  /* BMP code point → face+1, NO_FACE, 0 unknown */
    struct map astral_face;     /* the same for supplementary planes */
    struct map advances;        /* (face, weight, size, cp) → advance px */
    struct map shaped;          /* hash of (face, weight, size, run) → width px */
    size_t next_default;        /* default_fonts[next_default..] not opened yet */
    FcConfig *fc;               /* NULL until a character needs a fallback */
    FcCharSet *fc_any;          /* what any usable installed font has (with fc) */
    bool fc_failed;
    struct weighted meas[2];
};

/* ------------------------------------------------------------ map */

static uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

static int32_t *map_find(struct map *m, uint64_t key, bool insert)
{
    if (insert && (m->n + 1) * 4 > m->cap * 3) {
        struct map old = *m;
        m->cap = old.cap ? old.cap * 2 : 256;
        m->keys = xcalloc(m->cap, sizeof *m->keys);
        m->vals = xcalloc(m->cap, sizeof *m->vals);
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i])
                *map_find(m, old.keys[i] - 1, true) = old.vals[i];
        free(old.keys);
        free(old.vals);
    }
    if (!m->cap)
        return NULL;
    for (size_t i = mix(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key + 1)
            return &m->vals[i];
        if (!m->keys[i]) {
            if (!insert)
                return NULL;
            m->keys[i] = key + 1;
            m->n++;
            return &m->vals[i];
        }
    }
}

static void map_clear(struct map *m)
{
    if (m->cap)
        memset(m->keys, 0, m->cap * sizeof *m->keys);
    m->n = 0;
}

static void map_free(struct map *m)
{
    free(m->keys);
    free(m->vals);
}

/* ------------------------------------------------------------ faces */

/* "path:index" → path and index; a trailing ":digits" is the face index. */
static void parse_spec(const char *spec, char **path, long *index)
{
    const char *colon = strrchr(spec, ':');
    *index = 0;
    if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        *path = xstrndup(spec, (size_t)(colon - spec));
        *index = strtol(colon + 1, NULL, 10);
    } else {
        *path = xstrdup(spec);
    }
}

/* The bold file beside a regular one, when it exists:
 * NotoSansCJK-Regular.ttc → NotoSansCJK-Bold.ttc, DejaVuSans.ttf →
 * DejaVuSans-Bold.ttf.  NULL otherwise (bold is then synthesised). */
static char *bold_sibling(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *reg = NULL;
    for (const char *p = base; (p = strstr(p, "Regular")); p++)
        reg = p;
    char *b;
    if (reg) {
        b = xasprintf("%.*sBold%s", (int)(reg - path), path, reg + 7);
    } else {
        const char *dot = strrchr(base, '.');
        if (!dot)
            return NULL;
        b = xasprintf("%.*s-Bold%s", (int)(dot - path), path, dot);
    }
    if (access(b, R_OK) == 0)
        return b;
    free(b);
    return NULL;
}

/* Han ideographs, whose advances a CJK font makes one em. */
static bool is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* Fitting measures a text at every size it tries, and a glyph's metrics
 * cost ~15 µs each (FreeType loads and hints the outline): a notice of a
 * few hundred distinct characters took ~10 ms to fit.  Where the font gives
 * every ideograph the same advance (CJK fonts do; checked on a spread of
 * them at two sizes, hinting included), one stands for all.  Returns that
 * ideograph, or 0 when the font is not uniform (each is then measured).
 * Leaves font at `size`. */
static uint32_t uniform_han(TTF_Font *font, int size)
{
    static const uint32_t probe[] = { 0x4E00, 0x4E2D, 0x56FD, 0x793E, 0x533A, 0x9F99, 0x9F8D,
                                      0x6587, 0x5B57, 0x7EC4, 0x3400, 0x4E28 };
    static const int sizes[] = { 23, 47 };
    uint32_t first = 0;
    bool uniform = true;
    for (size_t k = 0; k < ARRAY_LEN(sizes) && uniform; k++) {
        if (TTF_SetFontSize(font, sizes[k]) != 0) {
            uniform = false;
            break;
        }
        int want = -1, n = 0;
        for (size_t i = 0; i < ARRAY_LEN(probe) && uniform; i++) {
            int adv;
            if (!TTF_GlyphIsProvided32(font, probe[i]) ||
                TTF_GlyphMetrics32(font, probe[i], NULL, NULL, NULL, NULL, &adv) != 0)
                continue;
            if (!first)
                first = probe[i];
            if (want < 0)
                want = adv;
            uniform = adv == want;
            n++;
        }
        uniform = uniform && n >= 4;
    }
    TTF_SetFontSize(font, size);
    return uniform ? first : 0;
}

/* Through the block cache of fontfile.c: FreeType reads glyphs in small
 * pieces, each a seek and a read from a plain file. */
static TTF_Font *open_font(const char *path, int size, long index)
{
    SDL_RWops *rw = fontfile_open(path);
    return rw ? TTF_OpenFontIndexRW(rw, 1, size, index) : NULL;
}

static int find_face(const struct fonts *f, const char *path, long index)
{
    for (int i = 0; i < f->nfaces; i++)
        if (f->faces[i].index == index && strcmp(f->faces[i].path, path) == 0)
            return i;
    return -1;
}

/* Appends a face; returns its number or -1 (logged when `quiet` is false).
 * With need > 0 the face is only added when it has a glyph for need. */
static int add_face(struct fonts *f, const char *path, long index, bool quiet, uint32_t need)
{
    int have = find_face(f, path, index);
    if (have >= 0)
        return have;
    if (f->nfaces == MAX_FACES) {
        log_msg_once(LOG_LEVEL_WARN, "font chain full (%d fonts); not adding %s", MAX_FACES, path);
        return -1;
    }
    TTF_Font *probe = open_font(path, PROBE_SIZE, index);
    if (!probe) {
        if (!quiet)
            log_warn("font %s:%ld: cannot open: %s", path, index, TTF_GetError());
        return -1;
    }
    if (need && !TTF_GlyphIsProvided32(probe, need)) {
        TTF_CloseFont(probe);   /* fontconfig's charset and the cmap disagree */
        return -1;
    }
    struct face *fc = &f->faces[f->nfaces];
    fc->path = xstrdup(path);
    fc->index = index;
    fc->bold_path = bold_sibling(path);
    fc->font[FONT_REGULAR] = probe;
    fc->size[FONT_REGULAR] = PROBE_SIZE;
    fc->han[FONT_REGULAR] = uniform_han(probe, PROBE_SIZE);
    fc->fixed = 0;
    int h1 = TTF_FontHeight(probe);
    if (TTF_SetFontSize(probe, PROBE_SIZE * 2) == 0 && TTF_FontHeight(probe) == h1)
        fc->fixed = h1 > 0 ? h1 : 1;    /* re-sizing changed nothing: a bitmap strike */
    TTF_SetFontSize(probe, PROBE_SIZE);
    log_debug("font %d: %s:%ld (bold %s)", f->nfaces, path, index,
              fc->bold_path ? fc->bold_path : "synthesised");
    return f->nfaces++;
}

static bool add_spec(struct fonts *f, const char *spec)
{
    char *path;
    long index;
    parse_spec(spec, &path, &index);
    bool ok = add_face(f, path, index, false, 0) >= 0;
    free(path);
    return ok;
}

static int add_default(struct fonts *f, size_t i)
{
    char *path;
    long index;
    parse_spec(default_fonts[i], &path, &index);
    int face = add_face(f, path, index, true, 0);
    free(path);
    return face;
}

/* Asks fontconfig for a font that has cp (preferring Simplified Chinese
 * designs) and appends it to the chain.  Returns the face or -1. */
static int fc_fallback(struct fonts *f, uint32_t cp)
{
    /* Loaded on first need: when the chain covers the content (the usual
     * case) the player never pays fontconfig's ~4 MB and start-up time. */
    if (!f->fc && !f->fc_failed) {
        f->fc = FcInitLoadConfigAndFonts();
        f->fc_failed = !f->fc;
        if (!f->fc)
            log_warn("fontconfig: cannot load its configuration; no system font fallback");
    }
    if (!f->fc)
        return -1;
    /* A character no installed font has would cost a sort of every font
     * (~0.4 ms) each time: 2,000 rare characters took 0.9 s of layout.
     * The union of the usable fonts' charsets, made once, answers at once. */
    if (!f->fc_any) {
        f->fc_any = FcCharSetCreate();
        FcPattern *all = FcPatternCreate();
        FcObjectSet *os = FcObjectSetBuild(FC_CHARSET, FC_SCALABLE, FC_COLOR, NULL);
        FcFontSet *list = FcFontList(f->fc, all, os);
        for (int i = 0; list && i < list->nfont; i++) {
            FcCharSet *has;
            FcBool scalable = FcTrue, color = FcFalse;
            FcPatternGetBool(list->fonts[i], FC_SCALABLE, 0, &scalable);
            FcPatternGetBool(list->fonts[i], FC_COLOR, 0, &color);
            if ((scalable || color) &&
                FcPatternGetCharSet(list->fonts[i], FC_CHARSET, 0, &has) == FcResultMatch)
                FcCharSetMerge(f->fc_any, has, NULL);
        }
        if (list)
            FcFontSetDestroy(list);
        FcObjectSetDestroy(os);
        FcPatternDestroy(all);
    }
    if (!FcCharSetHasChar(f->fc_any, cp))
        return -1;
    FcPattern *pat = FcPatternCreate();
    FcCharSet *cs = FcCharSetCreate();
    FcCharSetAddChar(cs, cp);
    FcPatternAddCharSet(pat, FC_CHARSET, cs);
    FcPatternAddString(pat, FC_LANG, (const FcChar8 *)"zh-cn");
    if (glyphs_is_emoji(cp))
        FcPatternAddBool(pat, FC_COLOR, FcTrue);    /* 🎉 in colour, not a monochrome outline */
    else
        FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
    FcConfigSubstitute(f->fc, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcFontSet *set = FcFontSort(f->fc, pat, FcFalse, NULL, &res);
    int face = -1;
    for (int i = 0; set && i < set->nfont && face < 0; i++) {
        FcCharSet *has;
        FcChar8 *file;
        FcBool scalable = FcTrue, color = FcFalse;
        int index = 0;
        /* FcFontSort ranks every font; only those that claim cp count, and
         * bitmap-only fonts would look wrong at lobby sizes, except colour
         * emoji (scaled from their large strike; see struct face). */
        FcPatternGetBool(set->fonts[i], FC_SCALABLE, 0, &scalable);
        FcPatternGetBool(set->fonts[i], FC_COLOR, 0, &color);
        if (!(scalable || color) || FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &has) != FcResultMatch ||
            !FcCharSetHasChar(has, cp) ||
            FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
            continue;
        FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, &index);
        if (find_face(f, (const char *)file, index) >= 0)
            continue;       /* already in the chain and it lacked cp */
        face = add_face(f, (const char *)file, index, true, cp);
        if (face >= 0)
            log_info("font fallback for U+%04X: %s:%d", (unsigned)cp, (const char *)file, index);
    }
    if (set)
        FcFontSetDestroy(set);
    FcCharSetDestroy(cs);
    FcPatternDestroy(pat);
    return face;
}

/* Zero-width code points that shape with the character before them. */
static bool is_ignorable(uint32_t cp)
{
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x200B && cp <= 0x200F) ||
           cp == 0x2060 || cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

/* The first face in the chain with a glyph for cp; -1 when none has one
 * (the character is then not drawn). */
static int face_for(struct fonts *f, uint32_t cp)
{
    int32_t *astral = NULL;
    if (cp < 0x10000) {
        uint8_t v = f->bmp_face[cp];
        if (v)
            return v == NO_FACE ? -1 : v - 1;
    } else {
        astral = map_find(&f->astral_face, cp, false);
        if (astral)
            return *astral;
    }
    int face = -1;
    for (int i = 0; i < f->nfaces && face < 0; i++)
        if (TTF_GlyphIsProvided32(f->faces[i].font[FONT_REGULAR], cp))
            face = i;
    while (face < 0 && f->next_default > 0 && f->next_default < ARRAY_LEN(default_fonts)) {
        int i = add_default(f, f->next_default++);
        if (i >= 0 && TTF_GlyphIsProvided32(f->faces[i].font[FONT_REGULAR], cp))
            face = i;
    }
    if (face < 0 && cp >= 0x20)
        face = fc_fallback(f, cp);
    if (face < 0)
        log_msg_once(LOG_LEVEL_WARN, "no installed font has U+%04X", (unsigned)cp);
    if (cp < 0x10000)
        f->bmp_face[cp] = face < 0 ? NO_FACE : (uint8_t)(face + 1);
    else
        *map_find(&f->astral_face, cp, true) = face;
    return face;
}

/* The font for (face, weight) at `size`; NULL on failure (logged once).
 * Each face keeps one open TTF_Font per weight and re-sizes it: an open
 * font of the Noto CJK collection holds ~2.4 MB of parsed CFF, cmap and
 * HarfBuzz tables whatever its size, while TTF_SetFontSize costs ~35 µs
 * (it only drops SDL_ttf's glyph cache, which CJK text overruns anyway).
 * The regular font is also the face's coverage probe. */
static TTF_Font *sized(struct fonts *f, int face, enum font_weight w, int size)
{
    if (size < 1)
        size = 1;       /* a layout squeezed to nothing still gets a font */
    struct face *fc = &f->faces[face];
    if (fc->fixed)
        return fc->font[FONT_REGULAR];  /* one size, one weight; scaled when drawn */
    TTF_Font **font = &fc->font[w == FONT_BOLD];
    int *cur = &fc->size[w == FONT_BOLD];
    if (*font && *cur == size)
        return *font;
    if (*font && TTF_SetFontSize(*font, size) == 0) {
        *cur = size;
        return *font;
    }
    if (*font) {
        log_msg_once(LOG_LEVEL_ERROR, "font %s:%ld at %d px: %s", fc->path, fc->index, size,
                     TTF_GetError());
        return NULL;
    }
    /* Only bold is opened here: regular is opened with the face. */
    bool real_bold = fc->bold_path != NULL;
    *font = open_font(real_bold ? fc->bold_path : fc->path, size, fc->index);
    if (!*font && real_bold) {
        /* Synthesised from here on, and measured as such (measure_run
         * shapes fake bold, whose overhang the cached advances miss). */
        log_warn("font %s: cannot open (%s); synthesising bold", fc->bold_path, TTF_GetError());
        free(fc->bold_path);
        fc->bold_path = NULL;
        real_bold = false;
        *font = open_font(fc->path, size, fc->index);
    }
    if (!*font) {
        log_msg_once(LOG_LEVEL_ERROR, "font %s:%ld at %d px: %s", fc->path, fc->index, size,
                     TTF_GetError());
        return NULL;
    }
    if (!real_bold)
        TTF_SetFontStyle(*font, TTF_STYLE_BOLD);
    fc->han[FONT_BOLD] = uniform_han(*font, size);
    *cur = size;
    return *font;
}

/* ------------------------------------------------------------ runs */

/* Calls fn for each maximal run of utf8[0..len) drawn by one face.  Control
 * characters (a tab or a stray CR from a spreadsheet cell) are dropped:
 * they have no glyph and would show as .notdef boxes; so are characters no
 * installed font has (a resident learns nothing from □; the import's
 * report named the cell to staff, core/glyphs.h). */
typedef void run_fn(void *ctx, int face, const char *s, size_t n);

static void each_run(struct fonts *f, const char *s, size_t len, run_fn *fn, void *ctx)
{
    size_t start = 0, p = 0;
    int cur = -1;
    while (p < len) {
        uint32_t cp;
        size_t k = utf8_decode(s + p, len - p, &cp);
        if (k == 0) {
            cp = 0xFFFD;
            k = 1;
        }
        if (cp < 0x20 || cp == 0x7F) {
            if (p > start)
                fn(ctx, cur, s + start, p - start);
            p += k;
            start = p;
            continue;
        }
        int face = cur;
        if (cur < 0 || !is_ignorable(cp))
            face = face_for(f, cp);
        if (face < 0) {
            if (p > start)
                fn(ctx, cur, s + start, p - start);
            p += k;
            start = p;
            continue;
        }
        if (face != cur) {
            if (p > start)
                fn(ctx, cur, s + start, p - start);
            start = p;
            cur = face;
        }
        p += k;
    }
    if (p > start)
        fn(ctx, cur, s + start, p - start);
}

/* ------------------------------------------------------------ measuring */

static int advance(struct fonts *f, int face, enum font_weight w, int size, uint32_t cp)
{
    /* The weight's font is opened (and checked) by its first measure. */
    const struct face *fc = &f->faces[face];
    uint32_t han = fc->han[w == FONT_BOLD];
    if (han && is_han(cp) && TTF_GlyphIsProvided32(fc->font[FONT_REGULAR], cp))
        cp = han;       /* (a missing one draws .notdef, whose width is its own) */
    uint64_t key = (uint64_t)face << 48 | (uint64_t)w << 47 | (uint64_t)size << 24 | cp;
    int32_t *v = map_find(&f->advances, key, false);
    if (v)
        return *v;
    /* Months of changing content at many sizes must not grow it forever. */
    if (f->advances.n >= ADVANCE_CACHE_MAX)
        map_clear(&f->advances);
    int adv = 0;
    TTF_Font *font = is_ignorable(cp) ? NULL : sized(f, face, w, size);
    if (font && TTF_GlyphMetrics32(font, cp, NULL, NULL, NULL, NULL, &adv) != 0)
        adv = 0;
    *map_find(&f->advances, key, true) = adv;
    return adv;
}

struct measure_ctx {
    struct fonts *f;
    enum font_weight w;
    int size, total;
    struct sbuf tmp;
};

/* Hanzi, kana, CJK and full-width punctuation: one fixed advance each, no
 * kerning or ligatures in the CJK fonts, so their advances can be summed. */
static bool is_fixed_advance(uint32_t cp)
{
    return (cp >= 0x3000 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFF01 && cp <= 0xFF60) || (cp >= 0x20000 && cp <= 0x3FFFF) ||
           cp == 0x2014 || cp == 0x2026 || cp == 0x00B7 || (cp >= 0x2018 && cp <= 0x201D);
}

/* Anything else (Latin letters kern and form ligatures: To, fi; combining
 * marks, soft hyphens and bidi marks shape to nothing or overhang) is
 * measured by shaping the run, exactly as fonts_render draws it. */
static bool needs_shaping(const char *s, size_t n)
{
    for (size_t p = 0; p < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + p, n - p, &cp);
        if (k == 0 || !is_fixed_advance(cp))
            return true;
        p += k;
    }
    return false;
}

/* The on-screen size of a fixed face's natural `px` at text size `size`. */
static int fixed_scale(const struct face *fc, int px, int size)
{
    return (int)lround((double)px * size / fc->fixed);
}

static void measure_run(void *ctx, int face, const char *s, size_t n)
{
    struct measure_ctx *mc = ctx;
    if (mc->f->faces[face].fixed) {
        /* Shaped at the strike (ZWJ sequences, skin tones), scaled as
         * render_run scales the surface; cached by run like any shaping. */
        uint64_t h = 0xcbf29ce484222325ULL;
        for (size_t i = 0; i < n; i++)
            h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
        h = mix(h ^ ((uint64_t)face << 40 | 1ULL << 38));
        int32_t *v = map_find(&mc->f->shaped, h, false);
        int w = v ? *v : 0;
        if (!v) {
            mc->tmp.len = 0;
            sbuf_add(&mc->tmp, s, n);
            if (TTF_SizeUTF8(mc->f->faces[face].font[FONT_REGULAR], mc->tmp.s, &w, NULL) != 0)
                w = 0;
            if (mc->f->shaped.n >= ADVANCE_CACHE_MAX)
                map_clear(&mc->f->shaped);
            *map_find(&mc->f->shaped, h, true) = w;
        }
        mc->total += fixed_scale(&mc->f->faces[face], w, mc->size);
        return;
    }
    /* Synthesised bold widens glyph metrics but not shaped advances. */
    bool fake_bold = mc->w == FONT_BOLD && !mc->f->faces[face].bold_path;
    if (fake_bold || needs_shaping(s, n)) {
        /* Re-plans lay every slide out again: shaping each run once per
         * size is enough.  A 64-bit FNV-1a hash stands for the run (a
         * collision among the ~10^5 runs of a day is ~10^-9 likely). */
        uint64_t h = 0xcbf29ce484222325ULL;
        for (size_t i = 0; i < n; i++)
            h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
        h = mix(h ^ ((uint64_t)face << 40 | (uint64_t)mc->w << 39 | (uint64_t)(unsigned)mc->size));
        int32_t *v = map_find(&mc->f->shaped, h, false);
        if (v) {
            mc->total += *v;
            return;
        }
        TTF_Font *font = sized(mc->f, face, mc->w, mc->size);
        int w = 0;
        mc->tmp.len = 0;
        sbuf_add(&mc->tmp, s, n);
        if (font && TTF_SizeUTF8(font, mc->tmp.s, &w, NULL) == 0) {
            if (mc->f->shaped.n >= ADVANCE_CACHE_MAX)
                map_clear(&mc->f->shaped);
            *map_find(&mc->f->shaped, h, true) = w;
            mc->total += w;
            return;
        }
    }
    for (size_t p = 0; p < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + p, n - p, &cp);
        if (k == 0) {
            cp = 0xFFFD;
            k = 1;
        }
        mc->total += advance(mc->f, face, mc->w, mc->size, cp);
        p += k;
    }
}

/* Sum of cached glyph advances for CJK runs: layout measures thousands of
 * segments per slide, and kerning between CJK glyphs is nil; other runs are
 * shaped (TTF_SizeUTF8) so that kerning, ligatures and marks count. */
static int m_width(void *ctx, const char *utf8, size_t len, int size)
{
    struct weighted *wt = ctx;
    struct measure_ctx mc = { wt->f, wt->w, size, 0, {0} };
    each_run(wt->f, utf8, len, measure_run, &mc);
    sbuf_free(&mc.tmp);
    return mc.total;
}

static int m_line_height(void *ctx, int size)
{
    struct weighted *wt = ctx;
    return fonts_line_height(wt->f, size, wt->w);
}

/* ------------------------------------------------------------ public */

struct fonts *fonts_create(const struct config *cfg)
{
    if (TTF_Init() != 0) {
        log_error("SDL_ttf: %s", TTF_GetError());
        return NULL;
    }
    struct fonts *f = xcalloc(1, sizeof *f);
    for (int i = 0; cfg && i < cfg->nfonts; i++)
        if (cfg->fonts[i])
            add_spec(f, cfg->fonts[i]);
    if (f->nfaces == 0) {
        if (cfg && cfg->nfonts > 0)
            log_warn("none of the configured fonts opened; using the system fonts");
        /* The first that opens; the others when a character needs them
         * (opening WenQuanYi took a millisecond of every start, for the
         * rare character Noto lacks). */
        for (size_t i = 0; i < ARRAY_LEN(default_fonts) && f->nfaces == 0; i++) {
            add_default(f, i);
            f->next_default = i + 1;
        }
    }
    if (f->nfaces == 0)
        fc_fallback(f, 0x4E2D);     /* 中: any font that can show Chinese */
    if (f->nfaces == 0)
        fc_fallback(f, 'A');
    if (f->nfaces == 0) {
        log_error("no usable font: install fonts-noto-cjk or set [fonts] in the config");
        fonts_destroy(f);
        return NULL;
    }
    for (int w = 0; w < 2; w++)
        f->meas[w] = (struct weighted){ { &f->meas[w], m_width, m_line_height }, f,
                                        (enum font_weight)w };
    return f;
}

int fonts_face_count(const struct fonts *f)
{
    return f->nfaces;
}

void fonts_destroy(struct fonts *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->nfaces; i++) {
        TTF_CloseFont(f->faces[i].font[FONT_REGULAR]);
        if (f->faces[i].font[FONT_BOLD])
            TTF_CloseFont(f->faces[i].font[FONT_BOLD]);
        free(f->faces[i].path);
        free(f->faces[i].bold_path);
    }
    map_free(&f->astral_face);
    map_free(&f->advances);
    map_free(&f->shaped);
    if (f->fc_any)
        FcCharSetDestroy(f->fc_any);
    if (f->fc)
        FcConfigDestroy(f->fc);
    free(f);
    TTF_Quit();
}

const struct text_measurer *fonts_measurer(struct fonts *f, enum font_weight w)
{
    return &f->meas[w == FONT_BOLD].m;
}

const char *fonts_face_path(struct fonts *f, uint32_t cp)
{
    int face = face_for(f, cp);
    return face < 0 ? NULL : f->faces[face].path;
}

int fonts_ascent(struct fonts *f, int size, enum font_weight w)
{
    TTF_Font *font = sized(f, 0, w, size);
    return font ? TTF_FontAscent(font) : size;
}

int fonts_line_height(struct fonts *f, int size, enum font_weight w)
{
    TTF_Font *font = sized(f, 0, w, size);
    return font ? TTF_FontLineSkip(font) : size + size / 4;
}

struct render_ctx {
    struct fonts *f;
    enum font_weight w;
    int size;
    SDL_Color c;
    struct rendered { SDL_Surface *s; int ascent; } *runs;
    size_t n, cap;
    struct sbuf tmp;
};

/* src (ARGB8888, straight alpha) scaled to w x h into a new surface: down
 * by averaging the source pixels under each target pixel, weighted by
 * their alpha (a colour emoji shrinks from 136 px to ~40 and keeps its
 * edges clean), up bilinearly.  NULL for an empty size or on failure. */
static SDL_Surface *scale_surface(SDL_Surface *src, int w, int h)
{
    if (w < 1 || h < 1 || src->w < 1 || src->h < 1)
        return NULL;
    SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Surface *in = SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_ARGB8888, 0);
    if (!dst || !in) {
        SDL_FreeSurface(dst);
        SDL_FreeSurface(in);
        return NULL;
    }
    if (w >= in->w || h >= in->h) {
        SDL_SoftStretchLinear(in, NULL, dst, NULL);
        SDL_FreeSurface(in);
        return dst;
    }
    for (int y = 0; y < h; y++) {
        int y0 = (int)((long)y * in->h / h), y1 = (int)((long)(y + 1) * in->h / h);
        if (y1 <= y0)
            y1 = y0 + 1;
        Uint32 *out = (Uint32 *)((Uint8 *)dst->pixels + (size_t)y * (size_t)dst->pitch);
        for (int x = 0; x < w; x++) {
            int x0 = (int)((long)x * in->w / w), x1 = (int)((long)(x + 1) * in->w / w);
            if (x1 <= x0)
                x1 = x0 + 1;
            uint64_t a = 0, r = 0, g = 0, b = 0, cnt = 0;
            for (int sy = y0; sy < y1; sy++) {
                const Uint32 *row = (const Uint32 *)((const Uint8 *)in->pixels +
                                                     (size_t)sy * (size_t)in->pitch);
                for (int sx = x0; sx < x1; sx++) {
                    Uint32 p = row[sx], pa = p >> 24;
                    a += pa;
                    r += pa * ((p >> 16) & 0xff);
                    g += pa * ((p >> 8) & 0xff);
                    b += pa * (p & 0xff);
                    cnt++;
                }
            }
            out[x] = a ? (Uint32)(a / cnt) << 24 | (Uint32)(r / a) << 16 | (Uint32)(g / a) << 8 |
                             (Uint32)(b / a)
                       : 0;
        }
    }
    SDL_FreeSurface(in);
    return dst;
}

static void render_run(void *ctx, int face, const char *s, size_t n)
{
    struct render_ctx *rc = ctx;
    TTF_Font *font = sized(rc->f, face, rc->w, rc->size);
    if (!font)
        return;
    rc->tmp.len = 0;
    sbuf_add(&rc->tmp, s, n);       /* SDL_ttf wants a NUL-terminated run */
    SDL_Surface *sf = TTF_RenderUTF8_Blended(font, rc->tmp.s, rc->c);
    if (!sf) {
        log_msg_once(LOG_LEVEL_WARN, "render %zu bytes at %d px: %s", n, rc->size, TTF_GetError());
        return;
    }
    int ascent = TTF_FontAscent(font);
    const struct face *fc = &rc->f->faces[face];
    if (fc->fixed) {
        SDL_Surface *scaled = scale_surface(sf, fixed_scale(fc, sf->w, rc->size),
                                            fixed_scale(fc, sf->h, rc->size));
        SDL_FreeSurface(sf);
        if (!scaled)
            return;
        sf = scaled;
        ascent = fixed_scale(fc, ascent, rc->size);
    }
    xgrow(&rc->runs, &rc->cap, rc->n + 1, sizeof *rc->runs);
    rc->runs[rc->n++] = (struct rendered){ sf, ascent };
}

SDL_Surface *fonts_render(struct fonts *f, const char *utf8, size_t len, int size,
                          enum font_weight w, SDL_Color c)
{
    if (len == 0)
        return NULL;
    struct render_ctx rc = { .f = f, .w = w, .size = size, .c = c };
    each_run(f, utf8, len, render_run, &rc);
    sbuf_free(&rc.tmp);
    int width = 0;
    for (size_t i = 0; i < rc.n; i++)
        width += rc.runs[i].s->w;
    SDL_Surface *out = NULL;
    int base = fonts_ascent(f, size, w);
    if (width > 0) {
        int height = fonts_line_height(f, size, w);
        out = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!out)
            log_msg_once(LOG_LEVEL_ERROR, "text surface %dx%d: %s", width, height, SDL_GetError());
    }
    int x = 0;
    for (size_t i = 0; i < rc.n; i++) {
        SDL_Surface *run = rc.runs[i].s;
        if (out) {
            /* Copy, not blend: runs do not overlap and blending onto a
             * transparent surface would darken the anti-aliased edges. */
            SDL_Rect dst = { x, base - rc.runs[i].ascent, run->w, run->h };
            SDL_SetSurfaceBlendMode(run, SDL_BLENDMODE_NONE);
            SDL_BlitSurface(run, NULL, out, &dst);
        }
        x += run->w;
        SDL_FreeSurface(run);
    }
    free(rc.runs);
    if (out)
        SDL_SetSurfaceBlendMode(out, SDL_BLENDMODE_BLEND);
    return out;
}
