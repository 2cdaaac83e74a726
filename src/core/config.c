/* config.c — the INI file both programs read: defaults, a forgiving line
 * parser (unknown keys warn, bad values keep their default), and the WCAG
 * contrast check that guards the theme's readability. */
#include "core/config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/util.h"

#define CONFIG_MAX_BYTES (1u << 20)

/* The fonts Debian's fonts-noto-cjk and fonts-wqy-microhei install; index 2
 * of the Noto collection is the Simplified Chinese face. */
static const char *const default_fonts[] = {
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc:2",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc:0",
};

void config_defaults(struct config *cfg)
{
    *cfg = (struct config){0};
    cfg->rotate = 0;
    cfg->fade_ms = 600;
    cfg->ticker_speed = 120;
    cfg->urgent_every = 60;
    cfg->present = PRESENT_AUTO;
    cfg->lunar = true;
    for (size_t i = 0; i < ARRAY_LEN(default_fonts); i++)
        cfg->fonts[cfg->nfonts++] = xstrdup(default_fonts[i]);
    /* Red and cream, the civic look of a 党群服务中心; every text/background
     * pair is at least 5.8:1 (tests/core/test-config.c checks WCAG 4.5:1).
     * deploy/noticeboard.conf documents these values. */
    cfg->theme = (struct theme){
        .bg = {0xfb, 0xf7, 0xf0},        .fg = {0x1f, 0x1f, 0x1f},
        .muted = {0x5f, 0x5a, 0x55},     .accent = {0xb3, 0x14, 0x1b},
        .header_bg = {0xb3, 0x14, 0x1b}, .header_fg = {0xff, 0xff, 0xff},
        .ticker_bg = {0x2b, 0x2b, 0x2b}, .ticker_fg = {0xff, 0xff, 0xff},
        .urgent_bg = {0xc8, 0x16, 0x1d}, .urgent_fg = {0xff, 0xff, 0xff},
        .card_bg = {0xff, 0xff, 0xff},   .logo = NULL,
    };
    cfg->nquiet = 0;
    cfg->default_duration = 10;
    cfg->trust = TRUST_KEY;
    cfg->public_key = NULL;
    cfg->set_clock = true;              /* auto: docs/schedule.md, 设备时间 */
    cfg->inbox_settle = 600;
    cfg->org_name = xstrdup("");
    cfg->board_name = NULL;
    cfg->board_groups = NULL;
}

void config_free(struct config *cfg)
{
    if (!cfg)
        return;
    for (int i = 0; i < cfg->nfonts; i++)
        free(cfg->fonts[i]);
    free(cfg->screen_off);
    free(cfg->screen_on);
    free(cfg->theme.logo);
    free(cfg->public_key);
    free(cfg->org_name);
    free(cfg->board_name);
    free(cfg->board_groups);
    *cfg = (struct config){0};
}

/* ---------------------------------------------------------- contrast */

static double channel(uint8_t v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(struct rgb c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double theme_contrast(struct rgb a, struct rgb b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* ---------------------------------------------------------- values */

/* Parsing context for one file. */
struct ini {
    const char *path;
    unsigned line;
    bool ok;
    bool fonts_from_file;   /* the first font line replaces the defaults */
};

static void bad_value(struct ini *p, const char *key, const char *val, const char *expected)
{
    log_error("%s:%u: bad value for %s: \"%s\" (expected %s)", p->path, p->line, key, val, expected);
    p->ok = false;
}

/* A decimal integer in [lo, hi], nothing else. */
static bool parse_int(const char *s, int lo, int hi, int *out)
{
    if (!*s)
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi || !(*s == '-' || (*s >= '0' && *s <= '9')))
        return false;
    *out = (int)v;
    return true;
}

static bool parse_rgb(const char *s, struct rgb *c)
{
    if (s[0] != '#' || strlen(s) != 7)
        return false;
    int v[6];
    for (int i = 0; i < 6; i++)
        if ((v[i] = hex_digit(s[i + 1])) < 0)
            return false;
    *c = (struct rgb){(uint8_t)(v[0] * 16 + v[1]), (uint8_t)(v[2] * 16 + v[3]),
                      (uint8_t)(v[4] * 16 + v[5])};
    return true;
}

static bool parse_bool(const char *s, bool *b)
{
    if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcasecmp(s, "on") || !strcmp(s, "1"))
        *b = true;
    else if (!strcasecmp(s, "no") || !strcasecmp(s, "false") || !strcasecmp(s, "off") ||
             !strcmp(s, "0"))
        *b = false;
    else
        return false;
    return true;
}

/* path or path:index, index a small decimal (a face in a .ttc). */
static bool valid_font_spec(const char *s)
{
    if (!*s)
        return false;
    const char *colon = strrchr(s, ':');
    if (!colon)
        return true;
    if (colon == s || !colon[1])
        return false;
    int idx;
    return parse_int(colon + 1, 0, 255, &idx);
}

/* An empty value means "none" for optional strings. */
static void set_str(char **dst, const char *v, bool empty_is_null)
{
    free(*dst);
    *dst = (!*v && empty_is_null) ? NULL : xstrdup(v);
}

static struct rgb *theme_color(struct theme *t, const char *key)
{
    static const struct { const char *name; size_t off; } keys[] = {
        {"bg", offsetof(struct theme, bg)},
        {"fg", offsetof(struct theme, fg)},
        {"muted", offsetof(struct theme, muted)},
        {"accent", offsetof(struct theme, accent)},
        {"header_bg", offsetof(struct theme, header_bg)},
        {"header_fg", offsetof(struct theme, header_fg)},
        {"ticker_bg", offsetof(struct theme, ticker_bg)},
        {"ticker_fg", offsetof(struct theme, ticker_fg)},
        {"urgent_bg", offsetof(struct theme, urgent_bg)},
        {"urgent_fg", offsetof(struct theme, urgent_fg)},
        {"card_bg", offsetof(struct theme, card_bg)},
    };
    for (size_t i = 0; i < ARRAY_LEN(keys); i++)
        if (!strcasecmp(key, keys[i].name))
            return (struct rgb *)((char *)t + keys[i].off);
    return NULL;
}

enum section { SEC_NONE, SEC_DISPLAY, SEC_FONTS, SEC_THEME, SEC_SCHEDULE, SEC_SYNC, SEC_BOARD,
               SEC_UNKNOWN };

/* Applies one key; returns false when the key is unknown (a warning).  An
 * empty value keeps the default for numbers, colours and choices ("key ="
 * reads as "not set", as deploy/noticeboard.conf promises). */
static bool apply(struct config *cfg, struct ini *p, enum section sec, const char *key,
                  const char *v)
{
    int n;
    bool empty = !*v;
    switch (sec) {
    case SEC_DISPLAY:
        if (!strcasecmp(key, "rotate")) {
            if (parse_int(v, 0, 270, &n) && n % 90 == 0)
                cfg->rotate = n;
            else if (!empty)
                bad_value(p, key, v, "0, 90, 180 or 270");
        } else if (!strcasecmp(key, "fade_ms")) {
            if (parse_int(v, 0, 5000, &n))
                cfg->fade_ms = n;
            else if (!empty)
                bad_value(p, key, v, "milliseconds 0..5000");
        } else if (!strcasecmp(key, "present")) {
            if (!strcasecmp(v, "auto"))
                cfg->present = PRESENT_AUTO;
            else if (!strcasecmp(v, "full"))
                cfg->present = PRESENT_FULL;
            else if (!strcasecmp(v, "damage"))
                cfg->present = PRESENT_DAMAGE;
            else if (!empty)
                bad_value(p, key, v, "auto, full or damage");
        } else if (!strcasecmp(key, "screen_off")) {
            set_str(&cfg->screen_off, v, true);   /* player/power.c runs it */
        } else if (!strcasecmp(key, "screen_on")) {
            set_str(&cfg->screen_on, v, true);
        } else if (!strcasecmp(key, "lunar")) {
            if (!parse_bool(v, &cfg->lunar) && !empty)
                bad_value(p, key, v, "on or off");
        } else if (!strcasecmp(key, "ticker_speed")) {
            if (parse_int(v, 10, 2000, &n))
                cfg->ticker_speed = n;
            else if (!empty)
                bad_value(p, key, v, "pixels per second 10..2000");
        } else {
            return false;
        }
        return true;
    case SEC_FONTS:
        if (strcasecmp(key, "font") && strcasecmp(key, "regular"))
            return false;
        if (empty)
            return true;
        if (!p->fonts_from_file) {
            for (int i = 0; i < cfg->nfonts; i++)
                free(cfg->fonts[i]);
            cfg->nfonts = 0;
            p->fonts_from_file = true;
        }
        if (!valid_font_spec(v))
            bad_value(p, key, v, "a font file path, optionally :index");
        else if (cfg->nfonts == CONFIG_MAX_FONTS)
            bad_value(p, key, v, "at most 8 font lines");
        else
            cfg->fonts[cfg->nfonts++] = xstrdup(v);
        return true;
    case SEC_THEME: {
        struct rgb *c = theme_color(&cfg->theme, key);
        if (c) {
            if (!empty && !parse_rgb(v, c))
                bad_value(p, key, v, "a colour as #RRGGBB");
        } else if (!strcasecmp(key, "logo")) {
            set_str(&cfg->theme.logo, v, true);
        } else {
            return false;
        }
        return true;
    }
    case SEC_SCHEDULE:
        if (!strcasecmp(key, "quiet_hours")) {
            struct when_window w[WHEN_MAX_WINDOWS];
            int nw;
            if (when_parse_hours(v, w, &nw)) {
                cfg->nquiet = (uint8_t)nw;
                memcpy(cfg->quiet, w, sizeof(w[0]) * (size_t)nw);
            } else {
                bad_value(p, key, v, "windows such as 22:00-07:00, separated by commas, or empty");
            }
        } else if (!strcasecmp(key, "default_duration")) {
            if (!empty && when_parse_duration(v, &n) && n >= 3 && n <= 300)
                cfg->default_duration = n;
            else if (!empty)
                bad_value(p, key, v, "seconds 3..300");
        } else if (!strcasecmp(key, "urgent_every")) {
            if (parse_int(v, 0, 3600, &n) && (n == 0 || n >= 10))
                cfg->urgent_every = n;
            else if (!empty)
                bad_value(p, key, v, "seconds 10..3600, or 0");
        } else {
            return false;
        }
        return true;
    case SEC_SYNC:
        if (!strcasecmp(key, "trust")) {
            if (!strcasecmp(v, "open"))
                cfg->trust = TRUST_OPEN;
            else if (!strcasecmp(v, "key"))
                cfg->trust = TRUST_KEY;
            else if (!strcasecmp(v, "signed"))
                cfg->trust = TRUST_SIGNED;
            else if (!empty)
                bad_value(p, key, v, "open, key or signed");
        } else if (!strcasecmp(key, "public_key")) {
            set_str(&cfg->public_key, v, true);
        } else if (!strcasecmp(key, "set_clock")) {
            if (!empty && strcasecmp(v, "auto") && !parse_bool(v, &cfg->set_clock))
                bad_value(p, key, v, "auto, yes or no");
            else if (!strcasecmp(v, "auto"))
                cfg->set_clock = true;
        } else if (!strcasecmp(key, "inbox_settle")) {
            if (!empty && !parse_int(v, 0, 86400, &cfg->inbox_settle))
                bad_value(p, key, v, "seconds 0..86400");
        } else {
            return false;
        }
        return true;
    case SEC_BOARD:
        if (!strcasecmp(key, "org_name"))
            set_str(&cfg->org_name, v, false);
        else if (!strcasecmp(key, "name"))
            set_str(&cfg->board_name, v, true);
        else if (!strcasecmp(key, "groups") || !strcasecmp(key, "group"))
            set_str(&cfg->board_groups, v, true);
        else
            return false;
        return true;
    case SEC_NONE:
    case SEC_UNKNOWN:
        break;
    }
    return false;
}

static enum section section_of(const char *name)
{
    static const struct { const char *name; enum section sec; } secs[] = {
        {"display", SEC_DISPLAY}, {"fonts", SEC_FONTS},   {"theme", SEC_THEME},
        {"schedule", SEC_SCHEDULE}, {"sync", SEC_SYNC},   {"board", SEC_BOARD},
    };
    for (size_t i = 0; i < ARRAY_LEN(secs); i++)
        if (!strcasecmp(name, secs[i].name))
            return secs[i].sec;
    return SEC_UNKNOWN;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Cuts an inline comment from a value.  A comment starts with ';' or '#'
 * after whitespace; at the very start of the value ';' always does
 * (`quiet_hours =   ; e.g. …`) but '#' only when followed by a space or
 * nothing, because "#B3141B" is a colour. */
static void strip_comment(char *v)
{
    if (v[0] == ';' || (v[0] == '#' && (v[1] == ' ' || v[1] == '\t' || !v[1]))) {
        v[0] = '\0';
        return;
    }
    for (char *q = v + 1; *q; q++)
        if ((*q == ';' || *q == '#') && (q[-1] == ' ' || q[-1] == '\t')) {
            *q = '\0';
            break;
        }
}

static void parse_text(struct config *cfg, struct ini *p, char *text)
{
    enum section sec = SEC_NONE;
    char *save = NULL;
    /* strtok_r would merge empty lines and lose the count; walk by hand. */
    for (char *line = text; line; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        p->line++;
        char *s = trim(line);
        if (!*s || *s == ';' || *s == '#')
            continue;
        if (*s == '[') {
            char *end = strchr(s, ']');
            char *rest = end ? trim(end + 1) : NULL;
            if (!end || (*rest && *rest != ';' && *rest != '#')) {
                log_error("%s:%u: malformed section header: %s", p->path, p->line, s);
                p->ok = false;
                sec = SEC_UNKNOWN;
                continue;
            }
            *end = '\0';
            char *name = trim(s + 1);
            sec = section_of(name);
            if (sec == SEC_UNKNOWN)
                log_warn("%s:%u: unknown section [%s] (ignored)", p->path, p->line, name);
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            log_error("%s:%u: expected key = value: %s", p->path, p->line, s);
            p->ok = false;
            continue;
        }
        *eq = '\0';
        char *key = trim(s), *val = trim(eq + 1);
        strip_comment(val);
        val = trim(val);
        if (sec == SEC_UNKNOWN)
            continue; /* warned once at the header */
        if (!apply(cfg, p, sec, key, val)) {
            if (sec == SEC_NONE)
                log_warn("%s:%u: key \"%s\" outside any section (ignored)", p->path, p->line, key);
            else
                log_warn("%s:%u: unknown key \"%s\" (ignored)", p->path, p->line, key);
        }
    }
}

/* Warns (never fails) when a configured theme would be hard to read. */
static void check_theme(const struct theme *t, const char *path)
{
    static const struct { const char *text, *back; size_t a, b; } pairs[] = {
        {"fg", "bg", offsetof(struct theme, fg), offsetof(struct theme, bg)},
        {"muted", "bg", offsetof(struct theme, muted), offsetof(struct theme, bg)},
        {"accent", "bg", offsetof(struct theme, accent), offsetof(struct theme, bg)},
        {"header_fg", "header_bg", offsetof(struct theme, header_fg), offsetof(struct theme, header_bg)},
        {"ticker_fg", "ticker_bg", offsetof(struct theme, ticker_fg), offsetof(struct theme, ticker_bg)},
        {"urgent_fg", "urgent_bg", offsetof(struct theme, urgent_fg), offsetof(struct theme, urgent_bg)},
        {"fg", "card_bg", offsetof(struct theme, fg), offsetof(struct theme, card_bg)},
        {"muted", "card_bg", offsetof(struct theme, muted), offsetof(struct theme, card_bg)},
    };
    for (size_t i = 0; i < ARRAY_LEN(pairs); i++) {
        const struct rgb *a = (const struct rgb *)((const char *)t + pairs[i].a);
        const struct rgb *b = (const struct rgb *)((const char *)t + pairs[i].b);
        double c = theme_contrast(*a, *b);
        if (c < 4.5)
            log_warn("%s: [theme] %s on %s has contrast %.1f:1, below the 4.5:1 text needs "
                     "to be read from a distance", path, pairs[i].text, pairs[i].back, c);
    }
}

bool config_load(struct config *cfg, const char *path, bool must_exist)
{
    config_defaults(cfg);
    size_t len;
    char *text = read_file(path, CONFIG_MAX_BYTES, &len);
    if (!text) {
        if (errno == ENOENT && !must_exist)
            return true;
        log_errno("%s: cannot read the configuration", path);
        return false;
    }
    if (memchr(text, '\0', len) || !utf8_valid(text, len, NULL)) {
        log_error("%s: not a UTF-8 text file", path);
        free(text);
        return false;
    }
    struct ini p = {.path = path, .ok = true};
    char *start = text;
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
        start += 3; /* Notepad's BOM */
    parse_text(cfg, &p, start);
    free(text);
    if (cfg->nfonts == 0) /* every font line was bad: keep the defaults */
        for (size_t i = 0; i < ARRAY_LEN(default_fonts); i++)
            cfg->fonts[cfg->nfonts++] = xstrdup(default_fonts[i]);
    check_theme(&cfg->theme, path);
    return p.ok;
}
