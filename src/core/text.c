/* text.c — Chinese line breaking and fitting: UAX #14 opportunities from
 * libunibreak, tightened by 禁则 (line-start/line-end rules), numbers with
 * units, Latin words and dotted names; then greedy filling and size fitting. */
#include "core/text.h"

#include <linebreak.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* How many ideographs on each side of a middle dot count as one name
 * (迪丽热巴·迪力木拉提 has five); longer runs are ordinary text. */
#define NAME_PART_MAX 5

/* Bytes of text one line may hold however narrow its characters: a line
 * is measured whole as it fills, so a run of zero-width characters (U+2060
 * word joiners, a font's empty glyphs) would otherwise make one line of the
 * whole run and measure it once per character (quadratic).  1024 bytes is
 * 340 Chinese characters, four times what the widest box shows at the
 * smallest size. */
#define LINE_MAX_BYTES 1024

/* Code points of the longest real grapheme (👩🏻‍❤️‍💋‍👨🏼 has ten): one
 * that stays whole even in a box narrower than it.  Longer "graphemes"
 * (emoji joined by the hundred, a letter under a pile of marks) are cut
 * where they must so that they do not run off the box. */
#define GRAPHEME_MAX_CPS 16

/* Characters after a paragraph's last break that can still look like a
 * stray (孤字): one character and its closing marks, or an emoji
 * sequence.  Longer tails are not strays; counting them would rescan the
 * rest of the paragraph at every forced break (quadratic). */
#define LONE_MAX_CHARS 16

/* ------------------------------------------------------------ classes */

static bool in_list(uint32_t cp, const uint32_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == cp)
            return true;
    return false;
}

/* Marks that must not begin a line (closing punctuation, pauses, units). */
static bool no_line_start(uint32_t cp)
{
    static const uint32_t list[] = {
        0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, /* ，。、；：？！ */
        0x201D, 0x2019, 0xFF09, 0x300B, 0x3011, 0x300F, 0x300D, /* ”’）》】』」 */
        0x3009, 0x3015, 0xFF3D, 0xFF5D, 0x3017, 0x3019, 0x301B, /* 〉〕］｝〗〙〛 */
        0xFF60, 0xFF63, 0x2026, 0x2025, 0x00B7, 0x30FB, 0xFF65, /* ｠｣…‥·・･ */
        0x301C, 0xFF5E, 0x30FC, 0x0025, 0x2030, 0xFF05, 0xFF0E, /* 〜～ー%‰％． */
        0x2103, 0x00B0, 0x2032, 0x2033, 0xFE50, 0xFE51, 0xFE52, /* ℃°′″﹐﹑﹒ */
        0x3005, 0x309D, 0x309E, 0x30FD, 0x30FE,                 /* 々ゝゞヽヾ */
        ',', '.', ';', ':', '?', '!', ')', ']', '}',
    };
    return in_list(cp, list, ARRAY_LEN(list));
}

/* Marks that must not end a line (opening brackets and quotes, currency). */
static bool no_line_end(uint32_t cp)
{
    static const uint32_t list[] = {
        0x201C, 0x2018, 0xFF08, 0x300A, 0x3010, 0x300E, 0x300C, /* “‘（《【『「 */
        0x3008, 0x3014, 0xFF3B, 0xFF5B, 0x3016, 0x3018, 0x301A, /* 〈〔［｛〖〘〚 */
        0xFF5F, 0xFF62, 0xFFE5, 0x00A5, 0xFF04, 0x00A3, 0x20AC, /* ｟｢￥¥＄£€ */
        '(', '[', '{', '$',
    };
    return in_list(cp, list, ARRAY_LEN(list));
}

static bool is_middot(uint32_t cp)
{
    return cp == 0x00B7 || cp == 0x30FB || cp == 0xFF65 || cp == 0x2022 ||
           cp == 0x2027 || cp == 0x2219 || cp == 0x22C5;
}

static bool is_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* Letters, digits and ASCII symbols that form one unbreakable word when
 * adjacent: Wi-Fi, www.example.com, 18:30, 3.5%, ＡＢＣ. */
static bool is_wordish(uint32_t cp)
{
    return (cp > 0x20 && cp < 0x7F) || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x370 && cp <= 0x52F) || (cp >= 0xFF10 && cp <= 0xFF19) ||
           (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A);
}

/* 万 亿 千 百 between a number and its unit (3.2万元, 5千米). */
static bool is_magnitude(uint32_t cp)
{
    return cp == 0x4E07 || cp == 0x4EBF || cp == 0x5343 || cp == 0x767E;
}

static bool is_ideograph(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* Spaces that are not drawn at the end of a line. */
static bool is_trim_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == 0x3000;
}

/* Code points that belong to the character before them: combining marks,
 * variation selectors, emoji skin tones, ZWJ, tags, keycaps. */
static bool is_extender(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
           (cp >= 0x1F3FB && cp <= 0x1F3FF) || cp == 0x200D || cp == 0x3099 ||
           cp == 0x309A || (cp >= 0xE0020 && cp <= 0xE007F) ||
           (cp >= 0xE0100 && cp <= 0xE01EF);
}

static bool is_regional(uint32_t cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

bool text_joined(uint32_t a, uint32_t b)
{
    return is_extender(b) || a == 0x200D;
}

/* ------------------------------------------------------------ analysis */

/* How bad a line break between two characters is.  Ordinary filling uses
 * only BREAK_OK; a run wider than the box is split at the least bad
 * position that fits (the latest among equals). */
enum break_level {
    BREAK_OK,           /* UAX #14 and the Chinese rules allow it */
    BREAK_NAME_DOT,     /* right after a dotted name's dot: where it gives first */
    BREAK_NAME,         /* near a dotted name in running text */
    BREAK_NAME_CORE,    /* within three characters of the dot: surely the name */
    BREAK_LABEL,        /* between a label and its number: 密码 12345678, 电话：010… */
    BREAK_GROUP,        /* between the digit groups of a number: 010-6512 3456 */
    BREAK_URL,          /* after / . - ? & = _ inside a word or URL */
    BREAK_WORD,         /* inside a word, a number, a number and its unit */
    BREAK_KINSOKU,      /* a closing mark would start a line, an opening end one */
    BREAK_SPACE,        /* before a space (break after it instead) */
    BREAK_NEVER = 255,  /* inside a grapheme or a UTF-8 sequence */
};

/* A paragraph decoded into characters. */
struct chars {
    uint32_t *cp;       /* code points */
    uint32_t *off;      /* byte offset of each character; off[n] = end */
    uint8_t *level;     /* level[i]: enum break_level of a break after character i */
    size_t n, cap;
};

static void chars_decode(struct chars *c, const char *s, uint32_t start, uint32_t end)
{
    c->n = 0;
    size_t need = end - start + 1;
    if (need > c->cap) {
        c->cap = need;
        c->cp = xrealloc(c->cp, need * sizeof *c->cp);
        c->off = xrealloc(c->off, need * sizeof *c->off);
        c->level = xrealloc(c->level, need * sizeof *c->level);
    }
    uint32_t p = start;
    while (p < end) {
        uint32_t cp;
        size_t k = utf8_decode(s + p, end - p, &cp);
        if (k == 0) {       /* the contract says valid UTF-8; stay safe anyway */
            cp = 0xFFFD;
            k = 1;
        }
        c->cp[c->n] = cp;
        c->off[c->n] = p;
        c->n++;
        p += (uint32_t)k;
    }
    c->off[c->n] = end;
}

static void chars_free(struct chars *c)
{
    free(c->cp);
    free(c->off);
    free(c->level);
}

static void init_unibreak(void)
{
    static bool done;   /* the player and sync tool are single-threaded */
    if (!done) {
        init_linebreak();
        done = true;
    }
}

static uint8_t worst(uint8_t a, uint8_t b)
{
    return a > b ? a : b;
}

/* 为 是 至 到 约 before a number join a phrase to it, not a label:
 * 「已校正为 2026年…」, 「开放至 22:00」 may break after them (gluing
 * 正为, 放至 would split 校正, 开放). */
static bool is_copula(uint32_t cp)
{
    return cp == 0x4E3A || cp == 0x662F || cp == 0x81F3 || cp == 0x5230 || cp == 0x7EA6;
}

/* Fills c->level for the paragraph s[off[0]..off[n]). */
static void chars_rules(struct chars *c, const char *s, char **brks, size_t *brks_cap)
{
    size_t n = c->n;
    if (n == 0)
        return;
    uint32_t start = c->off[0], len = c->off[n] - start;
    xgrow(brks, brks_cap, len, 1);
    init_unibreak();
    /* libunibreak 1.1 asserts (aborts) on regional indicators (flags like
     * 🇨🇳, U+1F1E6..1F1FF): it knows their class but not its pair rules;
     * and it takes U+FFFF for its end-of-string marker.  Hand it an
     * ideograph of the same UTF-8 length and U+FFFD instead; flags are kept
     * whole by our own grapheme rule below. */
    char *copy = NULL;
    if (memmem(s + start, len, "\xF0\x9F\x87", 3) || memmem(s + start, len, "\xEF\xBF\xBF", 3)) {
        copy = xstrndup(s + start, len);
        for (uint32_t i = 0; i + 2 < len; i++) {
            if (i + 3 < len && !memcmp(copy + i, "\xF0\x9F\x87", 3) &&
                (unsigned char)copy[i + 3] >= 0xA6)
                memcpy(copy + i, "\xF0\xA0\x80\x80", 4);    /* U+20000 */
            else if (!memcmp(copy + i, "\xEF\xBF\xBF", 3))
                copy[i + 2] = (char)0xBD;                   /* U+FFFD */
        }
    }
    set_linebreaks_utf8((const utf8_t *)(copy ? copy : s + start), len, "zh", *brks);
    free(copy);

    bool indent = true;     /* still inside leading spaces */
    size_t ri_run = 0;      /* regional indicators pair into flags */
    for (size_t i = 0; i + 1 < n; i++) {
        uint32_t a = c->cp[i], b = c->cp[i + 1];
        char ub = (*brks)[c->off[i + 1] - 1 - start];
        uint8_t lv = ub == LINEBREAK_ALLOWBREAK || ub == LINEBREAK_MUSTBREAK ? BREAK_OK : BREAK_WORD;
        indent = indent && is_trim_space(a);
        ri_run = is_regional(a) ? ri_run + 1 : 0;
        if (is_wordish(a) && is_wordish(b))     /* Wi-Fi, 18:30, www.example.com */
            lv = worst(lv, a < 0x80 && strchr("/.-?&=_", (int)a) ? BREAK_URL : BREAK_WORD);
        if (is_digit(a) && !is_trim_space(b) && !no_line_end(b))
            lv = worst(lv, BREAK_WORD);         /* a number and its unit: 2026年 */
        if (i > 0 && is_digit(c->cp[i - 1]) && is_magnitude(a) && is_ideograph(b))
            lv = worst(lv, BREAK_WORD);         /* and a unit after 万: 3.2万元 */
        /* 6512 3456, 010-6512: the groups of one number (a phone number,
         * an account) give only when the number is wider than the box. */
        if (i > 0 && is_digit(b) && is_digit(c->cp[i - 1]) && (a == ' ' || a == '-'))
            lv = worst(lv, BREAK_GROUP);
        /* 2026年12月3日: a date gives only when wider than the box. */
        if (i > 0 && is_digit(c->cp[i - 1]) && (a == 0x5E74 || a == 0x6708) && is_digit(b))
            lv = worst(lv, BREAK_GROUP);
        /* 6:00—23:00, 8:00-18:00, 1—6号楼: a range gives only when wider
         * than the box, and then after its dash. */
        if (i > 0 && is_digit(b) && is_digit(c->cp[i - 1]) &&
            (a == 0x2014 || a == 0x2013 || a == '~' || a == 0xFF5E || a == 0x301C))
            lv = worst(lv, BREAK_GROUP);
        /* 密码 12345678, 电话：010-6512 3456: a number stays with the
         * two-character word before it (most Chinese words have two). */
        if (is_digit(b) && i > 0 && is_ideograph(c->cp[i - 1]) && !is_copula(c->cp[i - 1]) &&
            (a == ' ' || a == 0x3000 || a == ':' || a == 0xFF1A)) {
            lv = worst(lv, BREAK_LABEL);
            c->level[i - 1] = worst(c->level[i - 1], BREAK_LABEL);
            if (i > 1 && is_ideograph(c->cp[i - 2]))
                c->level[i - 2] = worst(c->level[i - 2], BREAK_LABEL);
        }
        if (is_middot(b) || (a == 0x2014 && b == 0x2014) || indent)
            lv = worst(lv, BREAK_WORD);         /* 阿卜杜·克里木, ——, an indent */
        if (is_middot(a))
            lv = worst(lv, BREAK_NAME_DOT);     /* a name too wide splits after its dot */
        if (no_line_start(b) || no_line_end(a))
            lv = worst(lv, BREAK_KINSOKU);      /* the character before a closing mark goes down with it */
        if (is_trim_space(b))
            lv = worst(lv, BREAK_SPACE);
        if (is_extender(b) || a == 0x200D || (is_regional(b) && ri_run % 2 == 1))
            lv = BREAK_NEVER;                   /* 👍🏽 ❤️ 👨‍👩‍👧 🇨🇳 are one character */
        c->level[i] = lv;
    }
    c->level[n - 1] = BREAK_OK;

    /* A dotted name (阿卜杜·克里木) stays whole: glue the ideographs on
     * both sides of each middle dot.  Where the name ends in running text
     * is unknown, so these breaks come back when the run is too wide. */
    for (size_t k = 0; k < n; k++) {
        if (!is_middot(c->cp[k]))
            continue;
        size_t before = 0, after = 0;
        while (before < NAME_PART_MAX && before < k && is_ideograph(c->cp[k - 1 - before]))
            before++;
        while (after < NAME_PART_MAX && k + 1 + after < n && is_ideograph(c->cp[k + 1 + after]))
            after++;
        /* Name parts are mostly two to four characters: a break within
         * three of the dot is the worst; right after the dot the best. */
        for (size_t x = k - before; x + 1 < k + 1 + after; x++) {
            bool core = (x < k && x + 3 >= k) || (x > k && x <= k + 2);
            c->level[x] = worst(c->level[x], x == k ? BREAK_NAME_DOT
                                             : core ? BREAK_NAME_CORE : BREAK_NAME);
        }
    }
}

/* One unbreakable run: the text between two break opportunities. */
struct seg {
    uint32_t start, end;    /* bytes, trailing spaces included */
    uint32_t trim;          /* end without trailing spaces */
    bool para_end;          /* last segment of its paragraph */
};

struct analysis {
    const char *s;
    struct seg *segs;
    size_t nsegs, cap;
};

static void add_seg(struct analysis *a, uint32_t start, uint32_t end, uint32_t trim, bool para_end)
{
    xgrow(&a->segs, &a->cap, a->nsegs + 1, sizeof *a->segs);
    a->segs[a->nsegs++] = (struct seg){ start, end, trim, para_end };
}

/* Splits the whole text into paragraphs and segments; independent of size,
 * so text_fit analyses once and wraps at many sizes. */
static void analyse(const char *s, struct analysis *a)
{
    if (!s)
        s = "";         /* an absent field lays out as empty text */
    *a = (struct analysis){ .s = s };
    uint32_t total = (uint32_t)strlen(s);
    /* Trailing newlines and blank lines at the very end are not content
     * (spreadsheet cells often end with one). */
    uint32_t end_all = total;
    while (end_all > 0 && (s[end_all - 1] == '\n' || s[end_all - 1] == '\r' ||
                           s[end_all - 1] == ' ' || s[end_all - 1] == '\t'))
        end_all--;
    if (end_all == 0)
        return;

    struct chars c = {0};
    char *brks = NULL;
    size_t brks_cap = 0;
    uint32_t p = 0;
    for (;;) {
        const char *nl = memchr(s + p, '\n', end_all - p);
        uint32_t pe = nl ? (uint32_t)(nl - s) : end_all;
        chars_decode(&c, s, p, pe);
        chars_rules(&c, s, &brks, &brks_cap);
        if (c.n == 0) {
            add_seg(a, p, p, p, true);      /* an empty paragraph is an empty line */
        } else {
            size_t first = 0;
            for (size_t i = 0; i < c.n; i++) {
                if (c.level[i] != BREAK_OK)
                    continue;
                size_t t = i + 1;
                while (t > first && is_trim_space(c.cp[t - 1]))
                    t--;
                add_seg(a, c.off[first], c.off[i + 1], c.off[t], i + 1 == c.n);
                first = i + 1;
            }
        }
        if (!nl)
            break;
        p = pe + 1;
    }
    chars_free(&c);
    free(brks);
}

static void analysis_free(struct analysis *a)
{
    free(a->segs);
    a->segs = NULL;
}

/* ------------------------------------------------------------ wrapping */

struct builder {
    struct text_layout *out;
    size_t cap;
};

static void emit(struct builder *b, uint32_t start, uint32_t end, int width)
{
    struct text_layout *l = b->out;
    xgrow(&l->lines, &b->cap, l->nlines + 1, sizeof *l->lines);
    l->lines[l->nlines++] = (struct text_line){ start, end - start, width };
}

static int measure(const struct text_measurer *m, const char *s, uint32_t a, uint32_t b, int size)
{
    return b > a ? m->width(m->ctx, s + a, b - a, size) : 0;
}

/* The current line being filled. */
struct cur {
    bool open;
    uint32_t start, trim;   /* bytes: first byte, end without trailing spaces */
    int w_full, w_trim;     /* width with and without trailing spaces */
    /* Whole segments only (not a forced split): their count, and the line
     * as it was before its last segment, to pull that one down later. */
    size_t nseg;
    uint32_t last_start, trim_before;
    /* Segments joined onto the line: shaped widths need not add up to the
     * pixel (rounding, kerning across a join), so near the edge and when
     * the line is done it is measured whole. */
    int joins;
};

/* Emits the open line with its width measured whole when it was summed. */
static void emit_cur(struct builder *b, const struct analysis *a, const struct text_measurer *m,
                     int size, const struct cur *cur)
{
    int w = cur->joins ? measure(m, a->s, cur->start, cur->trim, size) : cur->w_trim;
    emit(b, cur->start, cur->trim, w);
}

/* True when s[a..b) is one character, with closing marks after it at
 * most: alone on a paragraph's last line it looks like a stray (孤字).
 * Looks at LONE_MAX_CHARS code points at most, so it costs the same
 * however long the rest of the paragraph is. */
static bool is_lone(const char *s, uint32_t a, uint32_t b)
{
    int chars = 0, seen = 0;
    for (uint32_t p = a; p < b; seen++) {
        uint32_t cp;
        size_t k = utf8_decode(s + p, b - p, &cp);
        if (k == 0 || seen == LONE_MAX_CHARS)
            return false;
        if (!no_line_start(cp) && !is_extender(cp) && cp != 0x200D && ++chars > 1)
            return false;
        p += (uint32_t)k;
    }
    return b > a;
}

/* How bad a break before character `at` is, for a line starting at
 * character `piece`: its enum break_level, doubled so that, with
 * avoid_short, a line under a third of the box can rank between splitting a
 * dotted name and splitting a word. */
static int split_cost(const struct text_measurer *m, const char *s, const struct chars *c,
                      size_t piece, size_t at, int size, int max_width, bool avoid_short)
{
    int cost = 2 * c->level[at - 1];
    if (avoid_short && cost < 2 * BREAK_NAME_CORE + 1 &&
        3 * measure(m, s, c->off[piece], c->off[at], size) < max_width)
        cost = 2 * BREAK_NAME_CORE + 1;
    return cost;
}

/* A segment wider than the box on a line of its own: fill each line with
 * as many characters as fit (at least one grapheme, so it terminates) and
 * break at the least bad position among them (enum break_level), the latest
 * among equals.  The last piece stays open for the following segments.
 * avoid_short: the segment starts with an open line's text; rather than
 * leave that line under a third full, split a dotted name's glue (a title such
 * as 国际志愿者日·志愿服务集市 is not a name, but looks like one). */
/* A "grapheme" of more than GRAPHEME_MAX_CPS code points wider than the box
 * on a line of its own would run off the edge: the end of its widest prefix that fits (at
 * least one code point, LINE_MAX_BYTES at most), found by bisection so a
 * long cluster costs O(log n) measures a line.  j when it fits whole. */
static size_t split_huge_grapheme(const struct text_measurer *m, const char *s,
                                  const struct chars *c, size_t i, size_t j, int size,
                                  int max_width)
{
    if (c->off[j] - c->off[i] <= LINE_MAX_BYTES && measure(m, s, c->off[i], c->off[j], size) <= max_width)
        return j;
    size_t lo = i + 1, hi = j;  /* lo fits (or is the least), hi does not */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->off[mid] - c->off[i] <= LINE_MAX_BYTES &&
            measure(m, s, c->off[i], c->off[mid], size) <= max_width)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static void force_split(struct builder *b, const struct analysis *a, const struct seg *sg,
                        int max_width, int size, const struct text_measurer *m, struct cur *cur,
                        bool avoid_short)
{
    struct chars c = {0};
    char *brks = NULL;
    size_t brks_cap = 0;
    chars_decode(&c, a->s, sg->start, sg->trim);
    chars_rules(&c, a->s, &brks, &brks_cap);
    size_t piece = 0;       /* first character of the open line */
    size_t gend = 0;        /* end of the last grapheme found: a huge one is
                             * cut into many lines and found once */
    int w = 0;              /* its width, measured whole (widths need not add up) */
    for (size_t i = 0; i < c.n;) {
        size_t j = i + 1;   /* grapheme i..j (the rest of one already found) */
        if (i < gend) {
            j = gend;
        } else {
            while (j < c.n && c.level[j - 1] == BREAK_NEVER)
                j++;
            gend = j;
        }
        /* (i inside a grapheme: the rest of a huge one already cut) */
        bool huge = j > i + GRAPHEME_MAX_CPS || (i > 0 && c.level[i - 1] == BREAK_NEVER);
        if (i == piece && huge)
            j = split_huge_grapheme(m, a->s, &c, i, j, size, max_width);
        /* Past LINE_MAX_BYTES the line is full whatever it measures. */
        bool full = c.off[j] - c.off[piece] > LINE_MAX_BYTES;
        int wj = full ? max_width + 1 : measure(m, a->s, c.off[piece], c.off[j], size);
        if (i > piece && wj > max_width) {
            size_t at = i;  /* break before character `at` */
            for (size_t x = i; x > piece + 1; x--) {
                /* What goes down must fit beside this grapheme. */
                if (c.off[j] - c.off[x - 1] > LINE_MAX_BYTES ||
                    measure(m, a->s, c.off[x - 1], c.off[j], size) > max_width)
                    break;
                if (split_cost(m, a->s, &c, piece, x - 1, size, max_width, avoid_short) <
                    split_cost(m, a->s, &c, piece, at, size, max_width, avoid_short))
                    at = x - 1;
            }
            /* Ending the paragraph with one stray character: take the
             * next-latest place as good as this one, if there is one. */
            if (sg->para_end && is_lone(a->s, c.off[at], sg->trim))
                for (size_t x = at - 1; x > piece; x--)
                    if (c.level[x - 1] <= c.level[at - 1]) {
                        if (measure(m, a->s, c.off[x], sg->trim, size) <= max_width)
                            at = x;
                        break;
                    }
            size_t end = at;    /* trailing spaces are not shown */
            while (end > piece && is_trim_space(c.cp[end - 1]))
                end--;
            emit(b, c.off[piece], c.off[end], measure(m, a->s, c.off[piece], c.off[end], size));
            piece = at;
            if (piece == i && huge)
                j = split_huge_grapheme(m, a->s, &c, i, j, size, max_width);
            wj = c.off[j] - c.off[piece] > LINE_MAX_BYTES
                     ? max_width + 1
                     : measure(m, a->s, c.off[piece], c.off[j], size);
        }
        w = wj;
        i = j;
    }
    *cur = (struct cur){ .open = true, .start = c.off[piece], .trim = sg->trim, .w_full = w, .w_trim = w };
    if (sg->end > sg->trim)
        cur->w_full = w + measure(m, a->s, sg->trim, sg->end, size);
    chars_free(&c);
    free(brks);
}

static void wrap_analysed(const struct analysis *a, int max_width, int size, double spacing,
                          const struct text_measurer *m, struct text_layout *out)
{
    *out = (struct text_layout){ .size = size };
    if (spacing <= 0)
        spacing = 1.0;
    int lh = (int)lround(m->line_height(m->ctx, size) * spacing);
    out->line_height = lh > 0 ? lh : 1;
    struct builder b = { out, 0 };
    struct cur cur = {0}, prev = {0};   /* prev: the line before, this paragraph */
    for (size_t i = 0; i < a->nsegs; i++) {
        const struct seg *sg = &a->segs[i];
        /* Each segment is measured once per size; lines are sums. */
        int wt = measure(m, a->s, sg->start, sg->trim, size);
        int wf = sg->end > sg->trim ? wt + measure(m, a->s, sg->trim, sg->end, size) : wt;
        int exact = -1;     /* the line with this segment, measured whole */
        if (cur.open) {
            int sum = cur.w_full + wt;
            /* Past LINE_MAX_BYTES the line is done whatever it measures. */
            bool room = sg->end - cur.start <= LINE_MAX_BYTES;
            bool fits = room && sum <= max_width;
            if (room && abs(sum - max_width) <= cur.joins + 1 && sg->trim > sg->start) {
                exact = measure(m, a->s, cur.start, sg->trim, size);
                fits = exact <= max_width;
            }
            if (!fits && room && 3 * cur.w_trim < max_width && wt <= max_width) {
                /* The line would stay under a third full: take the open line
                 * and this segment as one run and split it at its least bad
                 * place instead, which is right before the segment unless
                 * the segment is glue that may give (a dotted name). */
                struct seg run = { cur.start, sg->end, sg->trim, sg->para_end };
                force_split(&b, a, &run, max_width, size, m, &cur, true);
                prev.nseg = 0;
                if (sg->para_end) {
                    emit_cur(&b, a, m, size, &cur);
                    cur.open = false;
                }
                continue;
            }
            if (!fits) {
                emit_cur(&b, a, m, size, &cur);
                prev = cur;
                cur.open = false;
                exact = -1;
            }
        }
        if (!cur.open) {
            if (wt > max_width) {
                force_split(&b, a, sg, max_width, size, m, &cur, false);
                prev.nseg = 0;
            } else {
                cur = (struct cur){ .open = true, .start = sg->start, .trim = sg->trim,
                                    .w_full = wf, .w_trim = wt, .nseg = 1,
                                    .last_start = sg->start, .trim_before = sg->start };
            }
        } else {
            if (cur.nseg) {
                cur.nseg++;
                cur.last_start = sg->start;
                cur.trim_before = cur.trim;
            }
            /* Only spaces between segments: keep the old trimmed end then. */
            if (sg->trim > sg->start) {
                cur.trim = sg->trim;
                cur.w_trim = exact >= 0 ? exact : cur.w_full + wt;
            }
            cur.w_full = exact >= 0 ? exact + (wf - wt) : cur.w_full + wf;
            cur.joins++;
        }
        if (sg->para_end) {
            /* A paragraph does not end with one stray character on a line
             * of its own: the line before gives it its last segment. */
            if (cur.nseg == 1 && prev.nseg >= 3 && prev.trim_before > prev.start &&
                is_lone(a->s, cur.start, cur.trim) &&
                measure(m, a->s, prev.last_start, cur.trim, size) <= max_width) {
                struct text_line *pl = &out->lines[out->nlines - 1];
                pl->len = prev.trim_before - prev.start;
                pl->width = measure(m, a->s, prev.start, prev.trim_before, size);
                cur.start = prev.last_start;
                cur.joins++;
            }
            emit_cur(&b, a, m, size, &cur);
            cur.open = false;
            prev.nseg = 0;
        }
    }
}

void text_wrap(const char *utf8, int max_width, int size, double spacing,
               const struct text_measurer *m, struct text_layout *out)
{
    struct analysis a;
    analyse(utf8, &a);
    wrap_analysed(&a, max_width, size, spacing, m, out);
    analysis_free(&a);
}

void text_layout_free(struct text_layout *l)
{
    if (!l)
        return;
    free(l->lines);
    l->lines = NULL;
    l->nlines = 0;
}

/* ------------------------------------------------------------ fitting */

int text_lines_per_page(const struct text_layout *l, int box_h)
{
    int n = l->line_height > 0 ? box_h / l->line_height : 0;
    return n > 0 ? n : 1;
}

static bool fits(const struct text_layout *l, int box_w, int box_h)
{
    for (size_t i = 0; i < l->nlines; i++)
        if (l->lines[i].width > box_w)
            return false;
    return l->nlines == 0 || (long long)l->nlines * l->line_height <= box_h;
}

void text_fit(const char *utf8, int box_w, int box_h, int min_size, int max_size,
              double spacing, const struct text_measurer *m, struct text_fit *out)
{
    if (min_size < 1)
        min_size = 1;
    if (max_size < min_size)
        max_size = min_size;
    struct analysis a;
    analyse(utf8, &a);
    struct text_layout best;

    /* Invariant: `best` fits at lo (verified), hi does not. Line counts
     * grow as the size grows, almost monotonically, so bisect. */
    wrap_analysed(&a, box_w, max_size, spacing, m, &best);
    if (!fits(&best, box_w, box_h)) {
        text_layout_free(&best);
        wrap_analysed(&a, box_w, min_size, spacing, m, &best);
        /* Not even min_size fits: keep it and paginate below. */
        if (fits(&best, box_w, box_h)) {
            int lo = min_size, hi = max_size;
            while (hi - lo > 1) {
                int mid = lo + (hi - lo) / 2;
                struct text_layout t;
                wrap_analysed(&a, box_w, mid, spacing, m, &t);
                if (fits(&t, box_w, box_h)) {
                    text_layout_free(&best);
                    best = t;
                    lo = mid;
                } else {
                    text_layout_free(&t);
                    hi = mid;
                }
            }
        }
    }
    analysis_free(&a);

    out->layout = best;
    size_t per = (size_t)text_lines_per_page(&best, box_h);
    size_t cap = best.nlines / per + 2;
    out->page_first = xmalloc(cap * sizeof *out->page_first);
    out->npages = 0;
    out->page_first[0] = 0;
    for (size_t first = 0; first < best.nlines || out->npages == 0;) {
        size_t next = first + per < best.nlines ? first + per : best.nlines;
        /* A page does not open with the blank line between paragraphs: it
         * ends the page before instead, where it draws nothing. */
        while (next < best.nlines && best.lines[next].len == 0)
            next++;
        out->page_first[++out->npages] = next;
        first = next;
    }
}

void text_fit_free(struct text_fit *f)
{
    if (!f)
        return;
    text_layout_free(&f->layout);
    free(f->page_first);
    f->page_first = NULL;
    f->npages = 0;
}
