/* qr.c — QR codes with libqrencode: text checked at the boundary, encoded
 * at level M in 8-bit mode with the UTF-8 bytes as they are (what phone
 * scanners and zbar decode), drawn module by module in whole pixels. */
#include "player/qr.h"

#include <assert.h>
#include <errno.h>
#include <qrencode.h>
#include <stdint.h>
#include <string.h>

#include "core/kinds.h"
#include "core/log.h"
#include "core/util.h"

/* Any 二维码 cell the sheet accepts is encodable (4 bytes a character at most). */
_Static_assert(KIND_QR_MAX_BYTES <= QR_MAX_BYTES, "二维码 column longer than a code");

#define MSG_EMPTY "二维码内容是空的"
#define MSG_LONG "二维码内容太长：最多 500 个字母或数字，约 160 个汉字。请缩短文字，或改放一个网址"
#define MSG_BAD "二维码内容里有无法识别的字符或看不见的控制字符"
#define MSG_FAILED "二维码生成失败"
#define MSG_SMALL "二维码的位置太小，画不下"

static bool fail(char **why, const char *msg)
{
    if (why)
        *why = xstrdup(msg);
    return false;
}

/* The boundary: length, UTF-8, control characters (a NUL would cut a C
 * string short; others are invisible on the phone too). */
static bool text_ok(const char *text, char **why)
{
    size_t n = strlen(text);
    if (n == 0)
        return fail(why, MSG_EMPTY);
    if (n > QR_MAX_BYTES) {
        log_warn("qr: %zu bytes of text (max %d)", n, QR_MAX_BYTES);
        return fail(why, MSG_LONG);
    }
    size_t bad;
    if (!utf8_valid(text, n, &bad)) {
        log_warn("qr: invalid UTF-8 at byte %zu", bad);
        return fail(why, MSG_BAD);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
            log_warn("qr: control character 0x%02X at byte %zu", c, i);
            return fail(why, MSG_BAD);
        }
    }
    return true;
}

/* Level M (15% of the symbol recoverable) is the usual choice for a screen:
 * a clean, flat, lit image needs little correction, and H would make the
 * symbol a third larger for the same text, so smaller modules at a given
 * size.  QR_MODE_8 as the hint keeps every non-alphanumeric byte as 8-bit
 * data, so UTF-8 goes in unchanged (libqrencode's own advice for UTF-8);
 * runs of digits still take the denser numeric mode. */
static QRcode *encode(const char *text, char **why)
{
    if (!text_ok(text, why))
        return NULL;
    errno = 0;
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) {
        log_error("qr: libqrencode failed for %zu bytes: %s", strlen(text), strerror(errno));
        fail(why, errno == ERANGE ? MSG_LONG : MSG_FAILED);
        return NULL;
    }
    return q;
}

int qr_modules(const char *text, char **why)
{
    QRcode *q = encode(text, why);
    if (!q)
        return 0;
    int m = q->width + 2 * QR_QUIET;
    QRcode_free(q);
    return m;
}

SDL_Surface *qr_render(const char *text, int box_px, int *module_px, char **why)
{
    assert(box_px >= 0 && box_px <= QR_MAX_BOX_PX);
    QRcode *q = encode(text, why);
    if (!q)
        return NULL;
    int modules = q->width + 2 * QR_QUIET;
    int px = box_px / modules;
    if (px < 1) {
        log_warn("qr: %d modules do not fit in %d px", modules, box_px);
        QRcode_free(q);
        fail(why, MSG_SMALL);
        return NULL;
    }
    int side = modules * px;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) {
        log_error("qr: surface of %dx%d: %s", side, side, SDL_GetError());
        QRcode_free(q);
        fail(why, MSG_FAILED);
        return NULL;
    }
    const uint32_t white = 0xFFFFFFFFu, black = 0xFF000000u;
    for (int y = 0; y < side; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + (size_t)y * s->pitch);
        int my = y / px - QR_QUIET;
        for (int x = 0; x < side; x++) {
            int mx = x / px - QR_QUIET;
            /* Bit 0 of each byte is the module's colour (1 = dark); the
             * other bits say which function pattern it belongs to. */
            bool dark = my >= 0 && my < q->width && mx >= 0 && mx < q->width &&
                        (q->data[(size_t)my * q->width + mx] & 1);
            row[x] = dark ? black : white;
        }
    }
    QRcode_free(q);
    if (module_px)
        *module_px = px;
    return s;
}
