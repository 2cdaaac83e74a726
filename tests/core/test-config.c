/* test-config.c — INI parsing, defaults, bad values with path:line logs,
 * the shipped config files, and WCAG contrast of the default theme. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/config.h"
#include "core/log.h"
#include "core/util.h"

/* Writes text to a fresh temp file; returns its malloc'd path. */
static char *write_tmp(const char *text)
{
    char *path = xstrdup("/tmp/nb-test-config-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

/* Runs config_load with stderr captured into *log (malloc'd). */
static bool load_capture(struct config *cfg, const char *path, bool must, char **log)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *f = tmpfile();
    assert_non_null(f);
    dup2(fileno(f), 2);
    bool ok = config_load(cfg, path, must);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    long n = ftell(f);
    rewind(f);
    *log = xcalloc(1, (size_t)n + 1);
    assert_int_equal(fread(*log, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return ok;
}

static bool rgb_eq(struct rgb a, struct rgb b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* config_1_1: defaults. */
static void config_1_1(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    assert_int_equal(c.rotate, 0);
    assert_int_equal(c.fade_ms, 600);
    assert_int_equal(c.ticker_speed, 120);
    assert_true(c.lunar);
    assert_int_equal(c.nfonts, 2);
    assert_string_equal(c.fonts[0], "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc:2");
    assert_string_equal(c.fonts[1], "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc:0");
    assert_int_equal(c.nquiet, 0);
    assert_int_equal(c.default_duration, 10);
    assert_int_equal(c.urgent_every, 60);
    assert_int_equal(c.trust, TRUST_KEY);
    assert_null(c.public_key);
    assert_true(c.set_clock);           /* auto: the time policy is on */
    assert_string_equal(c.org_name, "");
    assert_null(c.theme.logo);
    config_free(&c);
    config_free(&c); /* zeroed: a second free is harmless */
}

/* config_1_2: WCAG contrast — known values, and every text/background pair
 * the default theme implies reads at >= 4.5:1 (WCAG 2.x AA body text). */
static void config_1_2(void **state)
{
    (void)state;
    struct rgb black = {0, 0, 0}, white = {255, 255, 255}, grey = {0x77, 0x77, 0x77};
    assert_float_equal(theme_contrast(black, white), 21.0, 1e-9);
    assert_float_equal(theme_contrast(white, black), 21.0, 1e-9);
    assert_float_equal(theme_contrast(grey, grey), 1.0, 1e-9);
    assert_float_equal(theme_contrast(grey, white), 4.478, 0.01); /* the classic "fails AA" grey */

    struct config c;
    config_defaults(&c);
    const struct theme *t = &c.theme;
    const struct { const char *name; struct rgb text, back; } pairs[] = {
        {"fg/bg", t->fg, t->bg},
        {"muted/bg", t->muted, t->bg},
        {"header_fg/header_bg", t->header_fg, t->header_bg},
        {"ticker_fg/ticker_bg", t->ticker_fg, t->ticker_bg},
        {"urgent_fg/urgent_bg", t->urgent_fg, t->urgent_bg},
        {"fg/card_bg", t->fg, t->card_bg},
        {"muted/card_bg", t->muted, t->card_bg},
        {"accent/bg", t->accent, t->bg},
        {"accent/card_bg", t->accent, t->card_bg},
    };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        double r = theme_contrast(pairs[i].text, pairs[i].back);
        if (r < 4.5)
            fail_msg("%s contrast %.2f < 4.5", pairs[i].name, r);
    }
    config_free(&c);
}

/* config_2_1: a full file — every key, comments, CRLF, BOM, spaces. */
static void config_2_1(void **state)
{
    (void)state;
    char *path = write_tmp("\xef\xbb\xbf; whole-line comment\r\n"
                           "# another\r\n"
                           "[display]   ; the panel\r\n"
                           "  rotate = 270   ; portrait\r\n"
                           "fade_ms=0\r\n"
                           "present = damage\r\n"
                           "screen_off = vcgencmd display_power 0 ; Pi\r\n"
                           "screen_on =\r\n"
                           "ticker_speed = 90 # slower\r\n"
                           "lunar = off\r\n"
                           "\r\n"
                           "[fonts]\n"
                           "font = /opt/fonts/a.ttc:1\n"
                           "font = /opt/fonts/b c.ttf\n"
                           "[theme]\n"
                           "bg = #000000\n"
                           "fg = #fFfFfF ; white\n"
                           "urgent_bg = #123456\n"
                           "logo = /srv/logo.png\n"
                           "[schedule]\n"
                           "quiet_hours = 22:00-07:00, 12:00-13:30\n"
                           "default_duration = 15秒\n"
                           "urgent_every = 0\n"
                           "[sync]\n"
                           "trust = Signed\n"
                           "public_key = RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3\n"
                           "set_clock = yes\n"
                           "[board]\n"
                           "org_name = 幸福里社区 党群服务中心\n");
    struct config c;
    char *log;
    assert_true(load_capture(&c, path, true, &log));
    /* Only the readability warning: white text on the default white cards. */
    assert_non_null(strstr(log, "fg on card_bg has contrast 1.0:1"));
    assert_null(strstr(log, "bad value"));
    assert_null(strstr(log, "unknown"));
    assert_int_equal(c.rotate, 270);
    assert_int_equal(c.fade_ms, 0);
    assert_int_equal(c.present, PRESENT_DAMAGE);
    assert_string_equal(c.screen_off, "vcgencmd display_power 0");
    assert_null(c.screen_on); /* empty: only black */
    assert_int_equal(c.ticker_speed, 90);
    assert_false(c.lunar);
    assert_int_equal(c.nfonts, 2); /* the file's fonts replace the defaults */
    assert_string_equal(c.fonts[0], "/opt/fonts/a.ttc:1");
    assert_string_equal(c.fonts[1], "/opt/fonts/b c.ttf");
    assert_true(rgb_eq(c.theme.bg, (struct rgb){0, 0, 0}));
    assert_true(rgb_eq(c.theme.fg, (struct rgb){255, 255, 255}));
    assert_true(rgb_eq(c.theme.urgent_bg, (struct rgb){0x12, 0x34, 0x56}));
    assert_string_equal(c.theme.logo, "/srv/logo.png");
    assert_int_equal(c.nquiet, 2);
    assert_int_equal(c.quiet[0].from, 22 * 60);
    assert_int_equal(c.quiet[0].to, 7 * 60);
    assert_int_equal(c.quiet[1].to, 13 * 60 + 30);
    assert_int_equal(c.default_duration, 15);
    assert_int_equal(c.urgent_every, 0);
    assert_int_equal(c.trust, TRUST_SIGNED);
    assert_string_equal(c.public_key, "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3");
    assert_true(c.set_clock);
    assert_string_equal(c.org_name, "幸福里社区 党群服务中心");
    config_free(&c);
    free(log);
    unlink(path);
    free(path);
}

/* config_2_2: bad values are logged as path:line, keep their default, and
 * make the load return false; good keys after them still apply. */
static void config_2_2(void **state)
{
    (void)state;
    char *path = write_tmp("[display]\n"
                           "rotate = 45\n"
                           "fade_ms = -1\n"
                           "ticker_speed = 200\n"
                           "[theme]\n"
                           "bg = #12345\n"
                           "fg = red\n"
                           "[schedule]\n"
                           "quiet_hours = 22:00-22:00\n"
                           "default_duration = 2\n"
                           "[sync]\n"
                           "trust = maybe\n"
                           "set_clock = perhaps\n"
                           "[fonts]\n"
                           "font = /x.ttc:abc\n"
                           "[schedule]\n"
                           "urgent_every = 5\n");
    struct config c, d;
    config_defaults(&d);
    char *log;
    assert_false(load_capture(&c, path, true, &log));
    char *want = xasprintf("%s:2: bad value for rotate: \"45\" (expected 0, 90, 180 or 270)", path);
    if (!strstr(log, want))
        fail_msg("log lacks <%s>:\n%s", want, log);
    free(want);
    static const char *const lines[] = {":3: bad value for fade_ms", ":6: bad value for bg",
                                        ":7: bad value for fg", ":9: bad value for quiet_hours",
                                        ":10: bad value for default_duration",
                                        ":12: bad value for trust", ":13: bad value for set_clock",
                                        ":15: bad value for font",
                                        ":17: bad value for urgent_every"};
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
        if (!strstr(log, lines[i]))
            fail_msg("log lacks <%s>:\n%s", lines[i], log);
    assert_int_equal(c.rotate, 0);
    assert_int_equal(c.fade_ms, 600);
    assert_int_equal(c.ticker_speed, 200); /* the good key still applied */
    assert_true(rgb_eq(c.theme.bg, d.theme.bg));
    assert_true(rgb_eq(c.theme.fg, d.theme.fg));
    assert_int_equal(c.nquiet, 0);
    assert_int_equal(c.default_duration, 10);
    assert_int_equal(c.urgent_every, 60);
    assert_int_equal(c.trust, TRUST_KEY);
    assert_true(c.set_clock);          /* the default kept */
    assert_int_equal(c.nfonts, 2); /* only bad font lines: defaults kept */
    assert_string_equal(c.fonts[0], d.fonts[0]);
    config_free(&c);
    config_free(&d);
    free(log);
    unlink(path);
    free(path);
}

/* config_2_3: unknown sections and keys warn with path:line but do not fail;
 * a line without '=' or a broken header does fail. */
static void config_2_3(void **state)
{
    (void)state;
    char *path = write_tmp("stray = 1\n[display]\nrotat = 90\n[network]\nwifi = on\n[sync]\ntrust = open\n");
    struct config c;
    char *log;
    assert_true(load_capture(&c, path, true, &log));
    assert_non_null(strstr(log, ":1: key \"stray\" outside any section"));
    assert_non_null(strstr(log, ":3: unknown key \"rotat\""));
    assert_non_null(strstr(log, ":4: unknown section [network]"));
    assert_null(strstr(log, "wifi")); /* keys of an unknown section: warned once */
    assert_int_equal(c.trust, TRUST_OPEN);
    config_free(&c);
    free(log);
    unlink(path);
    free(path);

    path = write_tmp("[display]\nrotate 90\n[sync\ntrust = open\n");
    assert_false(load_capture(&c, path, true, &log));
    assert_non_null(strstr(log, ":2: expected key = value"));
    assert_non_null(strstr(log, ":3: malformed section header"));
    assert_int_equal(c.trust, TRUST_KEY); /* not applied: its section is broken */
    config_free(&c);
    free(log);
    unlink(path);
    free(path);
}

/* config_2_4: empty values keep defaults; '#' starts a value only as a colour. */
static void config_2_4(void **state)
{
    (void)state;
    char *path = write_tmp("[display]\nrotate =\n[theme]\nbg =   ; none\nlogo =\n"
                           "[schedule]\nquiet_hours =         ; e.g. 22:00-07:00\n"
                           "[sync]\npublic_key = # none\ntrust =\n[fonts]\nfont =\n");
    struct config c, d;
    config_defaults(&d);
    char *log;
    assert_true(load_capture(&c, path, true, &log));
    assert_string_equal(log, "");
    assert_int_equal(c.rotate, 0);
    assert_true(rgb_eq(c.theme.bg, d.theme.bg));
    assert_null(c.theme.logo);
    assert_int_equal(c.nquiet, 0);
    assert_null(c.public_key);
    assert_int_equal(c.trust, TRUST_KEY);
    assert_int_equal(c.nfonts, 2);
    config_free(&c);
    config_free(&d);
    free(log);
    unlink(path);
    free(path);
}

/* config_3_1: a missing file is fine unless it must exist. */
static void config_3_1(void **state)
{
    (void)state;
    struct config c;
    char *log;
    assert_true(load_capture(&c, "/nonexistent/noticeboard.conf", false, &log));
    assert_int_equal(c.fade_ms, 600);
    config_free(&c);
    free(log);
    assert_false(load_capture(&c, "/nonexistent/noticeboard.conf", true, &log));
    assert_non_null(strstr(log, "/nonexistent/noticeboard.conf"));
    assert_int_equal(c.fade_ms, 600); /* defaults even on failure */
    config_free(&c);
    free(log);
}

/* ";key = value" where key is [a-z_]+: a commented-out default. */
static bool documented_default(const char *line)
{
    if (line[0] != ';' || !strncmp(line, ";org_name", 9)) /* org_name is an example */
        return false;
    size_t k = strspn(line + 1, "abcdefghijklmnopqrstuvwxyz_");
    /* ";key = value", or ";key =" for an empty default */
    return k > 0 && (!strncmp(line + 1 + k, " = ", 3) || !strcmp(line + 1 + k, " ="));
}

/* config_3_2: the shipped files load cleanly, and the defaults documented in
 * deploy/noticeboard.conf (";key = value" lines) equal config_defaults(). */
static void config_3_2(void **state)
{
    (void)state;
    static const char *const shipped[] = {"deploy/noticeboard.conf", "assets/demo/noticeboard.conf"};
    for (size_t i = 0; i < 2; i++) {
        struct config c;
        char *log;
        if (!load_capture(&c, shipped[i], true, &log) || *log)
            fail_msg("%s:\n%s", shipped[i], log);
        config_free(&c);
        free(log);
    }
    size_t len;
    char *text = read_file("deploy/noticeboard.conf", 1 << 20, &len);
    if (!text)
        fail_msg("deploy/noticeboard.conf: cannot read it (run from the repository root)");
    /* The screen power hooks are documented, empty by default. */
    assert_non_null(strstr(text, "\n;screen_off =\n"));
    assert_non_null(strstr(text, "\n;screen_on =\n"));
    struct sbuf b = {0};
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        /* Uncomment ";key = value" (not prose, not the org_name example). */
        if (documented_default(line))
            line++;
        sbuf_adds(&b, line);
        sbuf_addc(&b, '\n');
    }
    free(text);
    char *path = write_tmp(b.s);
    sbuf_free(&b);
    struct config c, d;
    config_defaults(&d);
    char *log;
    assert_true(load_capture(&c, path, true, &log));
    const struct rgb *x = &c.theme.bg, *y = &d.theme.bg;
    for (size_t i = 0; i < 11; i++) /* the 11 colours, in declaration order */
        if (!rgb_eq(x[i], y[i]))
            fail_msg("colour %zu: documented #%02X%02X%02X, default #%02X%02X%02X", i, x[i].r,
                     x[i].g, x[i].b, y[i].r, y[i].g, y[i].b);
    assert_int_equal(c.fade_ms, d.fade_ms);
    assert_int_equal(c.ticker_speed, d.ticker_speed);
    assert_int_equal(c.present, d.present);
    assert_null(d.screen_off);
    assert_null(c.screen_off);
    assert_null(c.screen_on);
    assert_int_equal(c.default_duration, d.default_duration);
    assert_int_equal(c.set_clock, d.set_clock);
    assert_int_equal(c.nfonts, d.nfonts);
    for (int i = 0; i < c.nfonts; i++)
        assert_string_equal(c.fonts[i], d.fonts[i]);
    config_free(&c);
    config_free(&d);
    free(log);
    unlink(path);
    free(path);
}

/* config_4_1: set_clock is auto (on) unless set to no. */
static void config_4_1(void **state)
{
    (void)state;
    static const char *const text[] = {"[sync]\nset_clock = no\n", "[sync]\nset_clock = Auto\n",
                                       "[sync]\nset_clock = off\n"};
    static const bool want[] = {false, true, false};
    for (size_t i = 0; i < 3; i++) {
        char *path = write_tmp(text[i]), *log;
        struct config c;
        assert_true(load_capture(&c, path, true, &log));
        assert_int_equal(c.set_clock, want[i]);
        assert_null(strstr(log, "bad value"));
        config_free(&c);
        free(log);
        unlink(path);
        free(path);
    }
}

int main(void)
{
    log_init("test-config", LOG_LEVEL_INFO);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(config_1_1), cmocka_unit_test(config_1_2), cmocka_unit_test(config_2_1),
        cmocka_unit_test(config_2_2), cmocka_unit_test(config_2_3), cmocka_unit_test(config_2_4),
        cmocka_unit_test(config_3_1), cmocka_unit_test(config_3_2), cmocka_unit_test(config_4_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
