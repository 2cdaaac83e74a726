/* qr.h — QR codes (二维码) for slides: UTF-8 text or a URL encoded with
 * libqrencode and drawn black on white, whole pixels per module, with the
 * 4-module quiet zone the standard asks for, whatever the slide's theme. */
#pragma once
#include <SDL.h>
#include <stdbool.h>

/* Longest text accepted, in bytes of UTF-8 (about 160 汉字, or a URL of
 * any sensible length).  500 bytes at level M is version 17: 85 modules
 * plus the quiet zone, 93 in all — already 558 px at the 6 px a module
 * needs to scan from a metre (see QR_SCAN_MODULE_PX), so longer texts
 * would not fit a slide scannably anyway. */
#define QR_MAX_BYTES 500
/* White modules around the symbol on every side (ISO/IEC 18004: 4). */
#define QR_QUIET 4
/* Pixels per module for a code to scan from about 1 m on a 1080p screen.
 * A 1080p screen of 43–55 inches has pixels of 0.50–0.63 mm (32 inches:
 * 0.37 mm).  A phone scanner (WeChat, Alipay, the camera app) reads
 * preview frames of about 1920 px across a 65–75° view, so at 1 m one
 * camera pixel sees ~0.7 mm, and decoders want 2–3 camera pixels per
 * module: a module of ≥ 2 mm, i.e. ≥ 4 px on a 55-inch screen and ≥ 6 px
 * on a 32-inch one.  6 px is the floor a layout should keep; 8 px gives
 * margin for a glancing angle.  A typical URL (≤ 62 bytes: version 4,
 * 33 modules + 8 quiet = 41) is then ≥ 246 px, 328 px at 8 px. */
#define QR_SCAN_MODULE_PX 6
/* The largest box qr_render draws into (a 4K screen's height and more). */
#define QR_MAX_BOX_PX 4096

/* Side of the code for text in modules, the quiet zone included (so a
 * layout can pick a size before drawing: px = modules × px per module).
 * text (NUL-terminated) is refused unless it is 1..QR_MAX_BYTES bytes of
 * valid UTF-8 without control characters other than newline and tab.
 * Returns 0 on failure with a Chinese *why for staff (malloc'd; why may be
 * NULL). */
int qr_modules(const char *text, char **why);

/* Draws text as a QR code into a new opaque surface (ARGB8888, black
 * modules on white): the largest whole number of pixels per module whose
 * code fits in box_px × box_px (box_px 0..QR_MAX_BOX_PX), so the side is
 * modules × that and at most box_px.  Show it pixel for pixel
 * (SDL_BlitSurface, or a texture copied at exactly its size): any scaling
 * blurs the modules.  *module_px (OUT, optional) gets the pixels per
 * module; below QR_SCAN_MODULE_PX the code is drawn but may not scan from
 * a metre (the layout's call).  Returns NULL on failure — text refused as
 * for qr_modules, or box_px smaller than one pixel per module — with a
 * Chinese *why (malloc'd; why may be NULL).  The caller frees the surface
 * with SDL_FreeSurface. */
SDL_Surface *qr_render(const char *text, int box_px, int *module_px, char **why);
