/* slide_qr.c — the 二维码 card slides share: a staff cell's text drawn as a
 * QR code (qr.c) pixel for pixel on a white card with 扫码 under it, sized
 * to scan from a metre (about 8 px a module on a 1080p screen). */
#include "player/slide.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "player/qr.h"

#define QR_CAPTION "手机扫码"

int slide_qr_module_px(const struct slide_env *e, double per_1080)
{
    int px = (int)lround(e->unit * per_1080 / 1080.0);
    return px < QR_SCAN_MODULE_PX ? QR_SCAN_MODULE_PX : px;
}

static int caption_size(const struct slide_env *e)
{
    return (int)lround(e->floor * 0.8);
}

int slide_qr_card(const struct slide_env *e, const char *text, int module_px, int *h)
{
    *h = 0;
    if (!text || !text[0])
        return 0;
    char *why = NULL;
    int modules = qr_modules(text, &why);
    if (!modules) {
        /* The sheet's length limit keeps this from happening with content
         * that came through import; a feed.db could still bring it. */
        log_msg_once(LOG_LEVEL_WARN, "qr: text not drawn (%s)", why ? why : "?");
        free(why);
        return 0;
    }
    int side = modules * module_px;
    *h = side + fonts_line_height(e->d->fonts, caption_size(e), FONT_BOLD);
    return side;
}

void slide_qr_draw(const struct slide_env *e, const char *text, int module_px, int x, int y)
{
    int h, side = slide_qr_card(e, text, module_px, &h);
    if (!side)
        return;
    char *why = NULL;
    SDL_Surface *s = qr_render(text, side, NULL, &why);
    if (!s) {
        log_msg_once(LOG_LEVEL_WARN, "qr: cannot draw (%s)", why ? why : "?");
        free(why);
        return;
    }
    /* Black on white whatever the theme; the caption goes under the code's
     * quiet zone, never into it. */
    SDL_Color white = { 255, 255, 255, 255 }, ink = { 20, 20, 20, 255 };
    draw_round_rect(e->d, (SDL_Rect){ x, y, side, h }, module_px * 2, white);
    draw_image(e->d, s, (SDL_Rect){ x, y, s->w, s->h }, true);
    int cs = caption_size(e);
    draw_str(e->d, QR_CAPTION, cs, FONT_BOLD, ink, x + side / 2, y + side, DRAW_CENTER);
    SDL_FreeSurface(s);
}
