/* kms.c — a KMS screen without GL: one dumb buffer on the CRTC, frames drawn
 * in a shadow surface and only changed rectangles copied and flushed
 * (drmModeDirtyFB, which virtual GPUs need to send them to the host). */
#include "player/kms.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>
#include "core/log.h"
#include "core/util.h"

#define MAX_CLIPS 64

struct kms {
    int fd;
    uint32_t conn_id, crtc_id;
    drmModeModeInfo mode;
    drmModeCrtc *saved;         /* what the CRTC showed before, to give back */
    uint32_t handle, fb_id;     /* the dumb buffer and its framebuffer */
    uint32_t pitch;
    uint64_t size;
    uint8_t *map;               /* the dumb buffer, mapped */
    SDL_Surface *shadow;        /* drawn on; read while blending, so not the
                                 * buffer itself (write-combined on some GPUs) */
    bool flush_failed;
    char name[96];
};

/* The CRTC that drives conn: its encoder's, else the first one an encoder
 * of the connector can use.  0 when none. */
static uint32_t find_crtc(int fd, const drmModeRes *res, const drmModeConnector *conn)
{
    if (conn->encoder_id) {
        drmModeEncoder *enc = drmModeGetEncoder(fd, conn->encoder_id);
        uint32_t crtc = enc ? enc->crtc_id : 0;
        drmModeFreeEncoder(enc);
        if (crtc)
            return crtc;
    }
    for (int i = 0; i < conn->count_encoders; i++) {
        drmModeEncoder *enc = drmModeGetEncoder(fd, conn->encoders[i]);
        if (!enc)
            continue;
        for (int j = 0; j < res->count_crtcs; j++) {
            if (enc->possible_crtcs & (1u << j)) {
                drmModeFreeEncoder(enc);
                return res->crtcs[j];
            }
        }
        drmModeFreeEncoder(enc);
    }
    return 0;
}

/* The first connected connector of the card with a mode, its CRTC and the
 * mode to use (the one shown now, as SDL's KMSDRM takes; else the
 * preferred one).  false when the card drives no screen. */
static bool pick_output(struct kms *k)
{
    drmModeRes *res = drmModeGetResources(k->fd);
    if (!res)
        return false;
    bool found = false;
    for (int i = 0; i < res->count_connectors && !found; i++) {
        drmModeConnector *conn = drmModeGetConnector(k->fd, res->connectors[i]);
        if (!conn)
            continue;
        if (conn->connection == DRM_MODE_CONNECTED && conn->count_modes > 0) {
            uint32_t crtc = find_crtc(k->fd, res, conn);
            if (crtc) {
                k->conn_id = conn->connector_id;
                k->crtc_id = crtc;
                k->saved = drmModeGetCrtc(k->fd, crtc);
                if (k->saved && k->saved->mode_valid) {
                    k->mode = k->saved->mode;
                } else {
                    k->mode = conn->modes[0];
                    for (int m = 0; m < conn->count_modes; m++)
                        if (conn->modes[m].type & DRM_MODE_TYPE_PREFERRED) {
                            k->mode = conn->modes[m];
                            break;
                        }
                }
                found = true;
            }
        }
        drmModeFreeConnector(conn);
    }
    drmModeFreeResources(res);
    return found;
}

static bool make_buffer(struct kms *k)
{
    uint32_t w = k->mode.hdisplay, h = k->mode.vdisplay;
    if (drmModeCreateDumbBuffer(k->fd, w, h, 32, 0, &k->handle, &k->pitch, &k->size) != 0) {
        log_errno("kms: cannot create a %ux%u dumb buffer", w, h);
        return false;
    }
    uint32_t handles[4] = { k->handle }, pitches[4] = { k->pitch }, offsets[4] = { 0 };
    if (drmModeAddFB2(k->fd, w, h, DRM_FORMAT_XRGB8888, handles, pitches, offsets, &k->fb_id,
                      0) != 0) {
        log_errno("kms: cannot make a framebuffer of the dumb buffer");
        return false;
    }
    uint64_t offset = 0;
    if (drmModeMapDumbBuffer(k->fd, k->handle, &offset) != 0) {
        log_errno("kms: cannot map the dumb buffer");
        return false;
    }
    void *map = mmap(NULL, (size_t)k->size, PROT_READ | PROT_WRITE, MAP_SHARED, k->fd,
                     (off_t)offset);
    if (map == MAP_FAILED) {
        log_errno("kms: cannot map the dumb buffer");
        return false;
    }
    k->map = map;
    memset(k->map, 0, (size_t)k->size);
    k->shadow = SDL_CreateRGBSurfaceWithFormat(0, (int)w, (int)h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!k->shadow) {
        log_error("kms: cannot make a %ux%u surface: %s", w, h, SDL_GetError());
        return false;
    }
    SDL_FillRect(k->shadow, NULL, SDL_MapRGB(k->shadow->format, 0, 0, 0));
    return true;
}

/* Opens card path; true when it drives a screen, which now shows the
 * (black) buffer. */
static bool open_card(struct kms *k, const char *path)
{
    k->fd = open(path, O_RDWR | O_CLOEXEC);
    if (k->fd < 0)
        return false;
    if (!pick_output(k))
        return false;
    if (!make_buffer(k))
        return false;
    if (drmModeSetCrtc(k->fd, k->crtc_id, k->fb_id, 0, 0, &k->conn_id, 1, &k->mode) != 0) {
        log_errno("kms: cannot show the buffer on %s (is another program the screen's master?)",
                  path);
        return false;
    }
    drmVersion *v = drmGetVersion(k->fd);
    const char *base = strrchr(path, '/');
    snprintf(k->name, sizeof k->name, "%s %ux%u on %.32s", v && v->name ? v->name : "drm",
             k->mode.hdisplay, k->mode.vdisplay, base ? base + 1 : path);
    drmFreeVersion(v);
    return true;
}

/* Frees what open_card made; gives the screen back when restore. */
static void release(struct kms *k, bool restore)
{
    if (restore && k->saved && k->fd >= 0) {
        drmModeCrtc *s = k->saved;
        /* The console's framebuffer, or nothing when none was shown. */
        if (s->buffer_id && s->mode_valid)
            drmModeSetCrtc(k->fd, s->crtc_id, s->buffer_id, s->x, s->y, &k->conn_id, 1, &s->mode);
        else
            drmModeSetCrtc(k->fd, k->crtc_id, 0, 0, 0, NULL, 0, NULL);
    }
    SDL_FreeSurface(k->shadow);
    k->shadow = NULL;
    if (k->map)
        munmap(k->map, (size_t)k->size);
    k->map = NULL;
    if (k->fb_id)
        drmModeRmFB(k->fd, k->fb_id);
    k->fb_id = 0;
    if (k->handle)
        drmModeDestroyDumbBuffer(k->fd, k->handle);
    k->handle = 0;
    drmModeFreeCrtc(k->saved);
    k->saved = NULL;
    if (k->fd >= 0)
        close(k->fd);
    k->fd = -1;
}

struct kms *kms_open(void)
{
    struct kms *k = xcalloc(1, sizeof *k);
    k->fd = -1;
    /* NB_DRI_DIR: another folder of cards, for tests (test-kms.c's fake DRM). */
    const char *dir = getenv("NB_DRI_DIR");
    if (!dir || !*dir)
        dir = "/dev/dri";
    for (int i = 0; i < 8; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/card%d", dir, i);
        if (open_card(k, path))
            return k;
        release(k, false);
    }
    log_error("kms: no DRM card with a connected screen could be opened");
    free(k);
    return NULL;
}

void kms_close(struct kms *k)
{
    if (!k)
        return;
    release(k, true);
    free(k);
}

SDL_Surface *kms_surface(const struct kms *k)
{
    return k->shadow;
}

int kms_refresh_hz(const struct kms *k)
{
    return k->mode.vrefresh > 0 ? (int)k->mode.vrefresh : 60;
}

const char *kms_name(const struct kms *k)
{
    return k->name;
}

bool kms_present(struct kms *k, const SDL_Rect *rects, int n)
{
    SDL_Rect all = { 0, 0, k->shadow->w, k->shadow->h };
    if (n <= 0) {
        rects = &all;
        n = 1;
    }
    drmModeClip clips[MAX_CLIPS];
    int nclips = 0;
    bool too_many = false;      /* more than the driver takes at once */
    for (int i = 0; i < n; i++) {
        SDL_Rect r;
        if (!SDL_IntersectRect(&rects[i], &all, &r))
            continue;
        const uint8_t *src = (const uint8_t *)k->shadow->pixels + (size_t)r.y * (size_t)k->shadow->pitch +
                             (size_t)r.x * 4;
        uint8_t *dst = k->map + (size_t)r.y * k->pitch + (size_t)r.x * 4;
        for (int y = 0; y < r.h; y++)
            memcpy(dst + (size_t)y * k->pitch, src + (size_t)y * (size_t)k->shadow->pitch,
                   (size_t)r.w * 4);
        if (nclips < MAX_CLIPS)
            clips[nclips++] = (drmModeClip){ (uint16_t)r.x, (uint16_t)r.y, (uint16_t)(r.x + r.w),
                                             (uint16_t)(r.y + r.h) };
        else
            too_many = true;
    }
    if (nclips == 0)
        return true;
    /* No clips: the whole buffer changed.  -ENOSYS: the driver scans the
     * buffer out directly and needs no flush. */
    int rc = drmModeDirtyFB(k->fd, k->fb_id, too_many ? NULL : clips,
                            too_many ? 0 : (uint32_t)nclips);
    if (rc != 0 && rc != -ENOSYS) {
        if (!k->flush_failed)
            log_warn("kms: the screen refused a flush: %s", strerror(-rc));
        k->flush_failed = true;
        return false;
    }
    return true;
}
