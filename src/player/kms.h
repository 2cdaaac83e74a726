/* kms.h — frames drawn in software and shown on a KMS/DRM screen through a
 * dumb buffer, only the rectangles that changed copied and flushed: for
 * consoles where the only GL is a software one (llvmpipe), see display.c. */
#pragma once
#include <SDL.h>
#include <stdbool.h>

struct kms;

/* Opens the first DRM card (/dev/dri/card0..7) with a connected screen,
 * takes the mode its CRTC already shows (else the preferred one), and shows
 * a black dumb buffer of that size.  Must become DRM master: nothing else
 * may hold the card (SDL's KMSDRM video must be shut down first).  NULL on
 * failure (logged, nothing left open).  NB_DRI_DIR, when set, is searched
 * instead of /dev/dri (tests/player/test-kms.c). */
struct kms *kms_open(void);
/* Gives the screen back as it was (the console's framebuffer), frees the
 * buffers and closes the card.  NULL is a no-op. */
void kms_close(struct kms *k);

/* The surface to draw on (ARGB8888, the screen's size; owned by k). */
SDL_Surface *kms_surface(const struct kms *k);
/* The mode's refresh rate in Hz (60 when the mode does not say). */
int kms_refresh_hz(const struct kms *k);
/* "virtio_gpu 1920x1080 on card0", for the log (owned by k). */
const char *kms_name(const struct kms *k);

/* Copies rects[0..n) of the surface (n == 0: all of it) to the screen and
 * tells the driver they changed (drmModeDirtyFB).  Rectangles are clipped
 * to the screen.  false when the driver refused the flush (logged once). */
bool kms_present(struct kms *k, const SDL_Rect *rects, int n);
