/* config.h — the INI file both programs read (deploy/noticeboard.conf
 * documents every key).  Missing keys keep their defaults. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "core/when.h"

enum trust_mode { TRUST_OPEN, TRUST_KEY, TRUST_SIGNED };

/* How frames reach the screen (player/loop.c):
 *   full:   a GPU renderer presents whole frames (KMSDRM, GLES2);
 *   damage: the software renderer draws on the window surface and only the
 *           rectangles that changed (the ticker band) are sent to the screen;
 *   auto:   damage on X11 (no GPU worth the name: a kiosk fallback, Xvfb),
 *           full elsewhere. */
enum present_mode { PRESENT_AUTO, PRESENT_FULL, PRESENT_DAMAGE };

struct rgb { uint8_t r, g, b; };

struct theme {
    struct rgb bg, fg, muted, accent;   /* slide background, text, secondary text, accent */
    struct rgb header_bg, header_fg;
    struct rgb ticker_bg, ticker_fg;
    struct rgb urgent_bg, urgent_fg;
    struct rgb card_bg;
    char *logo;                         /* path to a PNG/JPEG on the device, or NULL */
};

#define CONFIG_MAX_FONTS 8
struct config {
    /* [display] */
    int rotate;                         /* 0, 90, 180, 270 */
    int fade_ms;                        /* slide transition; 0 = cut */
    int ticker_speed;                   /* pixels per second at 1080 lines */
    enum present_mode present;
    char *screen_off;                   /* command run on entering quiet hours, or NULL */
    char *screen_on;                    /* command run on leaving them, or NULL */
    bool lunar;                         /* header shows 农历, 节气, festivals (default on) */
    /* [fonts] regular = path[:index], … in fallback order */
    char *fonts[CONFIG_MAX_FONTS];
    int nfonts;
    /* [theme] */
    struct theme theme;
    /* [schedule] */
    uint8_t nquiet;
    struct when_window quiet[WHEN_MAX_WINDOWS];
    int default_duration;               /* seconds */
    int urgent_every;                   /* an urgent notice back within this many
                                         * seconds, between pages too; 0 = only
                                         * between slides (core/fair.h) */
    /* [sync] */
    enum trust_mode trust;
    char *public_key;                   /* minisign base64 line, or NULL */
    bool set_clock;                     /* may an import set the clock from the stick
                                         * (timepolicy.h); auto (the default) is on */
    int inbox_settle;                   /* seconds an incomplete inbox must stand still
                                         * before it is refused (sync/inbox.c) */
    /* [board] */
    char *org_name;                     /* fallback when the feed has none; never NULL, "" if unset */
    char *board_name;                   /* this board's name for targeted bundles, or NULL */
    char *board_groups;                 /* its groups, separated by commas or spaces, or NULL */
};

/* Sets defaults, then reads path if it exists.  A missing file is fine when
 * !must_exist.  A malformed line or bad value is logged as path:line and
 * makes the call return false (cfg still holds defaults for the rest). */
bool config_load(struct config *cfg, const char *path, bool must_exist);
void config_defaults(struct config *cfg);
void config_free(struct config *cfg);

/* WCAG 2.x contrast ratio of two sRGB colours, 1.0 (same) .. 21.0 (black on
 * white); order does not matter.  Text wants at least 4.5. */
double theme_contrast(struct rgb a, struct rgb b);
