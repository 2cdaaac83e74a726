/* test-kms.c — the player's dumb-buffer KMS path (player/kms.c) against a fake
 * DRM: the libdrm calls kms.c makes are defined here (they win over -ldrm at
 * link time), the cards are files in a folder named by NB_DRI_DIR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "core/log.h"
#include "core/util.h"
#include "player/kms.h"

/* ------------------------------------------------------------ the fake */

#define NCARDS 8
#define MAXN 4
#define MAP_OFFSET 8192u        /* where the fake's dumb buffer starts in the card file */
#define PAD 16u                 /* bytes past each row: the dumb pitch is not w * 4 */
#define CONSOLE_FB 99u          /* the console's framebuffer, shown before us */

struct fconn {
    uint32_t id, encoder_id;
    drmModeConnection connection;
    uint32_t encoders[MAXN];
    int nenc;
    drmModeModeInfo modes[MAXN];
    int nmodes;
};

struct fenc {
    uint32_t id, crtc_id, possible;
};

struct fcrtc {
    uint32_t id, buffer_id, x, y;
    bool mode_valid;
    drmModeModeInfo mode;
};

struct fcard {
    bool present;               /* a file cardN in the folder */
    bool not_drm;               /* drmModeGetResources fails (not a KMS device) */
    const char *driver;         /* drmGetVersion's name; NULL: drmGetVersion fails */
    int setcrtc_rc;             /* drmModeSetCrtc's answer (another master: -EACCES) */
    struct fconn conns[MAXN];
    int nconn;
    struct fenc encs[MAXN];
    int nenc;
    struct fcrtc crtcs[MAXN];
    int ncrtc;
};

struct setcrtc {
    uint32_t crtc, fb, x, y, conn;
    int count;
    bool has_mode;
    drmModeModeInfo mode;
};

static struct {
    char dir[64];
    struct fcard cards[NCARDS];
    /* what fails */
    int create_rc, addfb_rc, dirty_rc;
    bool bad_offset;            /* MapDumb gives an offset mmap refuses */
    /* what was done */
    int live;                   /* objects given out and not freed yet */
    int creates, destroys, addfbs, rmfbs, bad_calls;
    uint32_t handle, fb;        /* the live dumb buffer and framebuffer, else 0 */
    uint32_t width, height, pitch;
    struct setcrtc sets[8];
    int nsets;
    int dirties;
    uint32_t dirty_fb, nclips;
    drmModeClip clips[80];
    bool clips_null;
} F;

/* The card index fd is open on (its file in F.dir), else fails the test. */
static int card_of(int fd)
{
    char link[64], target[256];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    assert_true(n > 0);
    target[n] = '\0';
    size_t len = strlen(F.dir);
    assert_int_equal(strncmp(target, F.dir, len), 0);
    assert_int_equal(strncmp(target + len, "/card", 5), 0);
    int i = atoi(target + len + 5);
    assert_true(i >= 0 && i < NCARDS && F.cards[i].present);
    return i;
}

drmModeResPtr drmModeGetResources(int fd)
{
    struct fcard *c = &F.cards[card_of(fd)];
    if (c->not_drm) {
        errno = EOPNOTSUPP;
        return NULL;
    }
    drmModeRes *r = xcalloc(1, sizeof *r);
    r->count_connectors = c->nconn;
    r->connectors = xcalloc(MAXN, sizeof *r->connectors);
    for (int i = 0; i < c->nconn; i++)
        r->connectors[i] = c->conns[i].id;
    r->count_encoders = c->nenc;
    r->encoders = xcalloc(MAXN, sizeof *r->encoders);
    for (int i = 0; i < c->nenc; i++)
        r->encoders[i] = c->encs[i].id;
    r->count_crtcs = c->ncrtc;
    r->crtcs = xcalloc(MAXN, sizeof *r->crtcs);
    for (int i = 0; i < c->ncrtc; i++)
        r->crtcs[i] = c->crtcs[i].id;
    r->max_width = r->max_height = 8192;
    F.live++;
    return r;
}

void drmModeFreeResources(drmModeResPtr r)
{
    if (!r)
        return;
    free(r->connectors);
    free(r->encoders);
    free(r->crtcs);
    free(r);
    F.live--;
}

drmModeConnectorPtr drmModeGetConnector(int fd, uint32_t id)
{
    struct fcard *c = &F.cards[card_of(fd)];
    for (int i = 0; i < c->nconn; i++) {
        const struct fconn *f = &c->conns[i];
        if (f->id != id)
            continue;
        drmModeConnector *k = xcalloc(1, sizeof *k);
        k->connector_id = f->id;
        k->encoder_id = f->encoder_id;
        k->connection = f->connection;
        k->count_modes = f->nmodes;
        k->modes = xcalloc(MAXN, sizeof *k->modes);
        memcpy(k->modes, f->modes, sizeof f->modes);
        k->count_encoders = f->nenc;
        k->encoders = xcalloc(MAXN, sizeof *k->encoders);
        memcpy(k->encoders, f->encoders, sizeof f->encoders);
        F.live++;
        return k;
    }
    errno = ENOENT;
    return NULL;
}

void drmModeFreeConnector(drmModeConnectorPtr k)
{
    if (!k)
        return;
    free(k->modes);
    free(k->encoders);
    free(k);
    F.live--;
}

drmModeEncoderPtr drmModeGetEncoder(int fd, uint32_t id)
{
    struct fcard *c = &F.cards[card_of(fd)];
    for (int i = 0; i < c->nenc; i++) {
        if (c->encs[i].id != id)
            continue;
        drmModeEncoder *e = xcalloc(1, sizeof *e);
        e->encoder_id = id;
        e->crtc_id = c->encs[i].crtc_id;
        e->possible_crtcs = c->encs[i].possible;
        F.live++;
        return e;
    }
    errno = ENOENT;
    return NULL;
}

void drmModeFreeEncoder(drmModeEncoderPtr e)
{
    if (!e)
        return;
    free(e);
    F.live--;
}

drmModeCrtcPtr drmModeGetCrtc(int fd, uint32_t id)
{
    struct fcard *c = &F.cards[card_of(fd)];
    for (int i = 0; i < c->ncrtc; i++) {
        const struct fcrtc *f = &c->crtcs[i];
        if (f->id != id)
            continue;
        drmModeCrtc *k = xcalloc(1, sizeof *k);
        k->crtc_id = id;
        k->buffer_id = f->buffer_id;
        k->x = f->x;
        k->y = f->y;
        k->mode_valid = f->mode_valid;
        k->mode = f->mode;
        k->width = f->mode_valid ? f->mode.hdisplay : 0;
        k->height = f->mode_valid ? f->mode.vdisplay : 0;
        F.live++;
        return k;
    }
    errno = ENOENT;
    return NULL;
}

void drmModeFreeCrtc(drmModeCrtcPtr k)
{
    if (!k)
        return;
    free(k);
    F.live--;
}

drmVersionPtr drmGetVersion(int fd)
{
    struct fcard *c = &F.cards[card_of(fd)];
    if (!c->driver)
        return NULL;
    drmVersion *v = xcalloc(1, sizeof *v);
    v->name = xstrdup(c->driver);
    v->name_len = (int)strlen(v->name);
    F.live++;
    return v;
}

void drmFreeVersion(drmVersionPtr v)
{
    if (!v)
        return;
    free(v->name);
    free(v);
    F.live--;
}

/* One dumb buffer at a time: the card file holds it at MAP_OFFSET, filled
 * with 0xAA so the test sees that kms.c clears it. */
int drmModeCreateDumbBuffer(int fd, uint32_t width, uint32_t height, uint32_t bpp,
                            uint32_t flags, uint32_t *handle, uint32_t *pitch, uint64_t *size)
{
    card_of(fd);
    if (F.create_rc) {
        errno = -F.create_rc;
        return F.create_rc;
    }
    if (bpp != 32 || flags != 0 || F.handle || width == 0 || height == 0)
        F.bad_calls++;
    F.creates++;
    F.handle = 0x40u + (uint32_t)F.creates;
    F.width = width;
    F.height = height;
    F.pitch = width * 4 + PAD;
    *handle = F.handle;
    *pitch = F.pitch;
    *size = (uint64_t)F.pitch * height;
    size_t n = (size_t)*size;
    uint8_t *fill = xmalloc(n);
    memset(fill, 0xAA, n);
    assert_int_equal(ftruncate(fd, 0), 0);
    assert_int_equal(pwrite(fd, fill, n, MAP_OFFSET), (ssize_t)n);
    free(fill);
    return 0;
}

int drmModeDestroyDumbBuffer(int fd, uint32_t handle)
{
    card_of(fd);
    if (!handle || handle != F.handle) {
        F.bad_calls++;
        return -EINVAL;
    }
    F.destroys++;
    F.handle = 0;
    return 0;
}

int drmModeMapDumbBuffer(int fd, uint32_t handle, uint64_t *offset)
{
    card_of(fd);
    if (!handle || handle != F.handle) {
        F.bad_calls++;
        return -EINVAL;
    }
    *offset = F.bad_offset ? MAP_OFFSET + 1 : MAP_OFFSET;   /* not page-aligned: EINVAL */
    return 0;
}

int drmModeAddFB2(int fd, uint32_t width, uint32_t height, uint32_t pixel_format,
                  const uint32_t bo_handles[4], const uint32_t pitches[4],
                  const uint32_t offsets[4], uint32_t *buf_id, uint32_t flags)
{
    card_of(fd);
    if (F.addfb_rc) {
        errno = -F.addfb_rc;
        return F.addfb_rc;
    }
    if (F.fb || !F.handle || bo_handles[0] != F.handle || pitches[0] != F.pitch ||
        offsets[0] != 0 || width != F.width || height != F.height ||
        pixel_format != DRM_FORMAT_XRGB8888 || bo_handles[1] || flags)
        F.bad_calls++;
    F.addfbs++;
    F.fb = 0x70u + (uint32_t)F.addfbs;
    *buf_id = F.fb;
    return 0;
}

int drmModeRmFB(int fd, uint32_t id)
{
    card_of(fd);
    if (!id || id != F.fb) {
        F.bad_calls++;
        return -ENOENT;
    }
    F.rmfbs++;
    F.fb = 0;
    return 0;
}

int drmModeSetCrtc(int fd, uint32_t crtc, uint32_t fb, uint32_t x, uint32_t y,
                   uint32_t *connectors, int count, drmModeModeInfoPtr mode)
{
    const struct fcard *c = &F.cards[card_of(fd)];
    if (fb && fb != F.fb && fb != CONSOLE_FB)
        F.bad_calls++;
    if (c->setcrtc_rc) {
        errno = -c->setcrtc_rc;
        return c->setcrtc_rc;
    }
    assert_true(F.nsets < 8);
    struct setcrtc *s = &F.sets[F.nsets++];
    *s = (struct setcrtc){ .crtc = crtc, .fb = fb, .x = x, .y = y, .count = count,
                           .conn = count > 0 ? connectors[0] : 0, .has_mode = mode != NULL };
    if (mode)
        s->mode = *mode;
    return 0;
}

int drmModeDirtyFB(int fd, uint32_t fb, drmModeClipPtr clips, uint32_t n)
{
    card_of(fd);
    F.dirties++;
    F.dirty_fb = fb;
    F.clips_null = clips == NULL;
    assert_true(n <= 80);
    F.nclips = n;
    if (clips)
        memcpy(F.clips, clips, n * sizeof *clips);
    return F.dirty_rc;
}

/* ------------------------------------------------------------ helpers */

static drmModeModeInfo mode(uint16_t w, uint16_t h, uint32_t hz, bool preferred)
{
    drmModeModeInfo m = { .hdisplay = w, .vdisplay = h, .vrefresh = hz,
                          .type = DRM_MODE_TYPE_DRIVER | (preferred ? DRM_MODE_TYPE_PREFERRED : 0) };
    snprintf(m.name, sizeof m.name, "%ux%u", w, h);
    return m;
}

/* A card as a virtual GPU shows it: connector 10 connected through encoder
 * 20 to CRTC 30, which shows the console's 80x50 at 50 Hz; the connector
 * offers 64x48 (preferred) and 96x60. */
static struct fcard *card(int i)
{
    struct fcard *c = &F.cards[i];
    *c = (struct fcard){ .present = true, .driver = "fakegpu" };
    c->nconn = 1;
    c->conns[0] = (struct fconn){ .id = 10, .encoder_id = 20, .connection = DRM_MODE_CONNECTED,
                                  .encoders = { 20 }, .nenc = 1, .nmodes = 2,
                                  .modes = { mode(96, 60, 60, false), mode(64, 48, 75, true) } };
    c->nenc = 1;
    c->encs[0] = (struct fenc){ .id = 20, .crtc_id = 30, .possible = 1 };
    c->ncrtc = 2;
    c->crtcs[0] = (struct fcrtc){ .id = 30, .buffer_id = CONSOLE_FB, .mode_valid = true,
                                  .mode = mode(80, 50, 50, false) };
    c->crtcs[1] = (struct fcrtc){ .id = 31 };
    return c;
}

static int setup(void **state)
{
    (void)state;
    memset(&F, 0, sizeof F);
    snprintf(F.dir, sizeof F.dir, "/tmp/nb-test-kms-XXXXXX");
    assert_non_null(mkdtemp(F.dir));
    setenv("NB_DRI_DIR", F.dir, 1);
    return 0;
}

/* stderr into a temporary file between capture_begin and capture_end,
 * which returns what was written (malloc'd).  A failed assertion in
 * between leaves it redirected: teardown puts it back, so the failure is
 * seen. */
static int saved_stderr = -1;
static FILE *capture_file;

static void capture_begin(void)
{
    fflush(stderr);
    saved_stderr = dup(2);
    capture_file = tmpfile();
    assert_non_null(capture_file);
    dup2(fileno(capture_file), 2);
}

static void capture_restore(void)
{
    if (saved_stderr < 0)
        return;
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    saved_stderr = -1;
}

static char *capture_end(void)
{
    capture_restore();
    FILE *f = capture_file;
    capture_file = NULL;
    long n = ftell(f);
    rewind(f);
    char *text = xcalloc(1, (size_t)n + 1);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return text;
}

static int teardown(void **state)
{
    (void)state;
    capture_restore();
    if (capture_file) {
        fclose(capture_file);
        capture_file = NULL;
    }
    for (int i = 0; i < NCARDS; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/card%d", F.dir, i);
        unlink(path);
    }
    rmdir(F.dir);
    unsetenv("NB_DRI_DIR");
    return 0;
}

/* Makes the files of the cards set up so far. */
static void make_cards(void)
{
    for (int i = 0; i < NCARDS; i++) {
        if (!F.cards[i].present)
            continue;
        char path[128];
        snprintf(path, sizeof path, "%s/card%d", F.dir, i);
        int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
        assert_true(fd >= 0);
        close(fd);
    }
}

/* How many of this process's descriptors are open on the cards. */
static int fds_open(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        char link[300], target[256];
        snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        ssize_t len = readlink(link, target, sizeof target - 1);
        if (len <= 0)
            continue;
        target[len] = '\0';
        if (strstr(target, F.dir))
            n++;
    }
    closedir(d);
    return n;
}

/* How many of this process's mappings are of a card. */
static int maps_open(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, F.dir))
            n++;
    fclose(f);
    return n;
}

/* Nothing of the fake is held: no descriptor, mapping, object, buffer or
 * framebuffer, and every call was a valid one. */
static void assert_all_released(void)
{
    assert_int_equal(fds_open(), 0);
    assert_int_equal(maps_open(), 0);
    assert_int_equal(F.live, 0);
    assert_int_equal(F.creates, F.destroys);
    assert_int_equal(F.addfbs, F.rmfbs);
    assert_int_equal(F.handle, 0);
    assert_int_equal(F.fb, 0);
    assert_int_equal(F.bad_calls, 0);
}

static char *captured;

/* kms_open with stderr captured into `captured` (freed by the next call). */
static struct kms *open_captured(void)
{
    capture_begin();
    struct kms *k = kms_open();
    free(captured);
    captured = capture_end();
    return k;
}

/* The scanout as the card file holds it (F.pitch * F.height bytes; freed
 * by the caller). */
static uint8_t *read_scanout(int card)
{
    char path[128];
    snprintf(path, sizeof path, "%s/card%d", F.dir, card);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    size_t n = (size_t)F.pitch * F.height;
    uint8_t *buf = xmalloc(n);
    assert_int_equal(pread(fd, buf, n, MAP_OFFSET), (ssize_t)n);
    close(fd);
    return buf;
}

static uint32_t pixel_at(const uint8_t *buf, int x, int y)
{
    uint32_t px;
    memcpy(&px, buf + (size_t)y * F.pitch + (size_t)x * 4, 4);
    return px;
}

/* The scanout pixel at (x, y). */
static uint32_t scanout(int card, int x, int y)
{
    uint8_t *buf = read_scanout(card);
    uint32_t px = pixel_at(buf, x, y);
    free(buf);
    return px;
}

/* Fills the padding at the end of every scanout row with 0x55. */
static void mark_padding(int card)
{
    char path[128];
    snprintf(path, sizeof path, "%s/card%d", F.dir, card);
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    uint8_t pad[PAD];
    memset(pad, 0x55, sizeof pad);
    for (uint32_t y = 0; y < F.height; y++)
        assert_int_equal(pwrite(fd, pad, PAD, (off_t)MAP_OFFSET + (off_t)y * F.pitch +
                                                  (off_t)F.width * 4),
                         (ssize_t)PAD);
    close(fd);
}

static bool padding_intact(int card)
{
    char path[128];
    snprintf(path, sizeof path, "%s/card%d", F.dir, card);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    bool ok = true;
    for (uint32_t y = 0; y < F.height; y++) {
        uint8_t pad[PAD];
        assert_int_equal(pread(fd, pad, PAD, (off_t)MAP_OFFSET + (off_t)y * F.pitch +
                                                 (off_t)F.width * 4),
                         (ssize_t)PAD);
        for (unsigned i = 0; i < PAD; i++)
            ok = ok && pad[i] == 0x55;
    }
    close(fd);
    return ok;
}

/* A pixel value for (x, y) of generation g, never 0. */
static uint32_t pattern(int x, int y, int g)
{
    return 0xFF000000u | (uint32_t)g << 16 | (uint32_t)y << 8 | (uint32_t)x;
}

static void paint(SDL_Surface *s, int g)
{
    for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++)
            ((uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch))[x] = pattern(x, y, g);
}

/* Every scanout pixel of the w x h screen inside one of rects[0..n) is
 * generation g's pattern, every other one is `outside`. */
static void assert_scanout(int card, int w, int h, const SDL_Rect *rects, int n, int g,
                           uint32_t outside)
{
    uint8_t *buf = read_scanout(card);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            bool in = false;
            for (int i = 0; i < n && !in; i++)
                in = x >= rects[i].x && x < rects[i].x + rects[i].w && y >= rects[i].y &&
                     y < rects[i].y + rects[i].h;
            uint32_t want = in ? pattern(x, y, g) : outside;
            uint32_t got = pixel_at(buf, x, y);
            if (got != want) {
                free(buf);
                fail_msg("scanout (%d,%d) is %08x, want %08x", x, y, got, want);
            }
        }
    free(buf);
}

static bool clip_eq(const drmModeClip *c, int x1, int y1, int x2, int y2)
{
    return c->x1 == x1 && c->y1 == y1 && c->x2 == x2 && c->y2 == y2;
}

/* ------------------------------------------------------------ tests */

/* kms_1_1: the connected connector, its encoder's CRTC and the mode that
 * CRTC shows now (not the preferred one); a black buffer on the screen;
 * closing gives the console's framebuffer back and frees everything. */
static void kms_1_1(void **state)
{
    (void)state;
    struct fcard *c = card(0);
    /* Listed first: a disconnected connector with a mode and the same encoder. */
    c->nconn = 2;
    c->conns[1] = c->conns[0];
    c->conns[0] = (struct fconn){ .id = 9, .encoder_id = 20, .connection = DRM_MODE_DISCONNECTED,
                                  .encoders = { 20 }, .nenc = 1, .nmodes = 1,
                                  .modes = { mode(32, 32, 30, true) } };
    make_cards();

    struct kms *k = open_captured();
    assert_non_null(k);
    SDL_Surface *s = kms_surface(k);
    assert_non_null(s);
    assert_int_equal(s->w, 80);
    assert_int_equal(s->h, 50);
    assert_int_equal(s->format->format, SDL_PIXELFORMAT_ARGB8888);
    assert_int_equal(kms_refresh_hz(k), 50);
    assert_string_equal(kms_name(k), "fakegpu 80x50 on card0");
    assert_int_equal(F.width, 80);
    assert_int_equal(F.height, 50);
    /* Shown: our framebuffer on CRTC 30 for connector 10 in that mode. */
    assert_int_equal(F.nsets, 1);
    assert_int_equal(F.sets[0].crtc, 30);
    assert_int_not_equal(F.sets[0].fb, 0);
    assert_int_equal(F.sets[0].fb, F.fb);
    assert_int_equal(F.sets[0].count, 1);
    assert_int_equal(F.sets[0].conn, 10);
    assert_true(F.sets[0].has_mode);
    assert_int_equal(F.sets[0].mode.hdisplay, 80);
    assert_int_equal(F.sets[0].mode.vdisplay, 50);
    /* Black: the shadow and the whole scanout (the fake filled it with 0xAA). */
    assert_int_equal(((uint32_t *)s->pixels)[0] & 0xFFFFFF, 0);
    assert_int_equal(((uint32_t *)s->pixels)[50 * s->pitch / 4 - 1] & 0xFFFFFF, 0);
    assert_int_equal(scanout(0, 0, 0), 0);
    assert_int_equal(scanout(0, 79, 49), 0);
    assert_int_equal(scanout(0, 40, 25), 0);
    /* Held while open: one descriptor, one mapping, the saved CRTC. */
    assert_int_equal(fds_open(), 1);
    assert_int_equal(maps_open(), 1);
    assert_int_equal(F.live, 1);
    assert_int_equal(F.creates, 1);
    assert_int_equal(F.addfbs, 1);

    kms_close(k);
    assert_int_equal(F.nsets, 2);
    assert_int_equal(F.sets[1].crtc, 30);
    assert_int_equal(F.sets[1].fb, CONSOLE_FB);
    assert_int_equal(F.sets[1].count, 1);
    assert_int_equal(F.sets[1].conn, 10);
    assert_true(F.sets[1].has_mode);
    assert_int_equal(F.sets[1].mode.hdisplay, 80);
    assert_int_equal(F.sets[1].mode.vrefresh, 50);
    assert_all_released();
    kms_close(NULL);
}

/* kms_1_2: a CRTC that shows nothing → the preferred mode (not the first);
 * a mode without a refresh rate is 60 Hz; no encoder attached → the first
 * CRTC an encoder can drive (possible_crtcs); closing turns the CRTC off
 * again; a driver without a version is named "drm". */
static void kms_1_2(void **state)
{
    (void)state;
    struct fcard *c = card(0);
    c->driver = NULL;
    c->conns[0].encoder_id = 0;
    c->conns[0].modes[1].vrefresh = 0;
    c->encs[0].crtc_id = 0;
    c->encs[0].possible = 2;               /* CRTC 31 only */
    c->crtcs[1] = (struct fcrtc){ .id = 31 };
    make_cards();

    struct kms *k = open_captured();
    assert_non_null(k);
    assert_int_equal(kms_surface(k)->w, 64);
    assert_int_equal(kms_surface(k)->h, 48);
    assert_int_equal(kms_refresh_hz(k), 60);
    assert_string_equal(kms_name(k), "drm 64x48 on card0");
    assert_int_equal(F.nsets, 1);
    assert_int_equal(F.sets[0].crtc, 31);
    assert_int_equal(F.sets[0].mode.hdisplay, 64);

    kms_close(k);
    assert_int_equal(F.nsets, 2);
    assert_int_equal(F.sets[1].crtc, 31);
    assert_int_equal(F.sets[1].fb, 0);
    assert_int_equal(F.sets[1].count, 0);
    assert_false(F.sets[1].has_mode);
    assert_all_released();
}

/* kms_1_3: no preferred mode → the first; the encoder attached to a CRTC
 * wins over possible_crtcs. */
static void kms_1_3(void **state)
{
    (void)state;
    struct fcard *c = card(0);
    c->conns[0].modes[1].type = DRM_MODE_TYPE_DRIVER;
    c->crtcs[0].mode_valid = false;
    c->crtcs[0].buffer_id = 0;
    c->encs[0].possible = 3;
    c->encs[0].crtc_id = 31;
    make_cards();

    struct kms *k = open_captured();
    assert_non_null(k);
    assert_int_equal(kms_surface(k)->w, 96);
    assert_int_equal(kms_refresh_hz(k), 60);
    assert_int_equal(F.sets[0].crtc, 31);
    kms_close(k);
    assert_all_released();
}

/* kms_1_4: cards are tried in order: card0 is no KMS device, card1 has no
 * screen plugged in, card2 is missing, card3 drives one; those before it
 * are closed. */
static void kms_1_4(void **state)
{
    (void)state;
    card(0)->not_drm = true;
    card(1)->conns[0].connection = DRM_MODE_DISCONNECTED;
    card(3)->driver = "virtio_gpu";
    make_cards();

    struct kms *k = open_captured();
    assert_non_null(k);
    assert_string_equal(kms_name(k), "virtio_gpu 80x50 on card3");
    assert_int_equal(fds_open(), 1);
    assert_int_equal(F.creates, 1);
    kms_close(k);
    assert_all_released();
}

/* kms_2_1: present copies exactly the rectangles given (rows at the dumb
 * buffer's pitch, not the surface's) and flushes them as clips; later
 * frames only change what they name. */
static void kms_2_1(void **state)
{
    (void)state;
    card(0);
    make_cards();
    struct kms *k = open_captured();
    assert_non_null(k);
    SDL_Surface *s = kms_surface(k);
    mark_padding(0);

    paint(s, 1);
    SDL_Rect r[2] = { { 3, 4, 10, 5 }, { 60, 40, 20, 10 } };
    assert_true(kms_present(k, r, 2));
    assert_scanout(0, 80, 50, r, 2, 1, 0);
    assert_int_equal(F.dirties, 1);
    assert_int_equal(F.dirty_fb, F.fb);
    assert_false(F.clips_null);
    assert_int_equal(F.nclips, 2);
    assert_true(clip_eq(&F.clips[0], 3, 4, 13, 9));
    assert_true(clip_eq(&F.clips[1], 60, 40, 80, 50));
    assert_true(padding_intact(0));

    /* n == 0: the whole surface, one clip. */
    paint(s, 2);
    assert_true(kms_present(k, NULL, 0));
    SDL_Rect all = { 0, 0, 80, 50 };
    assert_scanout(0, 80, 50, &all, 1, 2, 0);
    assert_int_equal(F.dirties, 2);
    assert_int_equal(F.nclips, 1);
    assert_true(clip_eq(&F.clips[0], 0, 0, 80, 50));
    assert_true(padding_intact(0));

    /* One pixel changes: only it is copied. */
    paint(s, 3);
    SDL_Rect one = { 79, 0, 1, 1 };
    assert_true(kms_present(k, &one, 1));
    assert_int_equal(scanout(0, 79, 0), pattern(79, 0, 3));
    assert_int_equal(scanout(0, 78, 0), pattern(78, 0, 2));
    assert_int_equal(scanout(0, 79, 1), pattern(79, 1, 2));
    assert_int_equal(F.nclips, 1);
    assert_true(clip_eq(&F.clips[0], 79, 0, 80, 1));
    assert_true(padding_intact(0));

    kms_close(k);
    assert_all_released();
}

/* kms_2_2: rectangles are clipped to the screen (negative x/y, past the
 * right and bottom edges), the clipped ones are flushed, those wholly
 * outside or empty are dropped; nothing to flush → no call, true. */
static void kms_2_2(void **state)
{
    (void)state;
    card(0);
    make_cards();
    struct kms *k = open_captured();
    assert_non_null(k);
    SDL_Surface *s = kms_surface(k);
    mark_padding(0);

    paint(s, 1);
    SDL_Rect r[] = {
        { -5, -3, 10, 8 },       /* → 0,0 5x5 */
        { 75, 46, 30, 30 },      /* → 75,46 5x4 */
        { 80, 0, 5, 5 },         /* right of the screen */
        { 0, 50, 5, 5 },         /* below it */
        { -10, 10, 10, 5 },      /* left of it */
        { 10, 10, 0, 4 },        /* empty */
        { 20, 20, -3, 4 },       /* negative */
        { -100, 30, 300, 2 },    /* → 0,30 80x2 */
    };
    assert_true(kms_present(k, r, (int)(sizeof r / sizeof r[0])));
    SDL_Rect want[] = { { 0, 0, 5, 5 }, { 75, 46, 5, 4 }, { 0, 30, 80, 2 } };
    assert_scanout(0, 80, 50, want, 3, 1, 0);
    assert_true(padding_intact(0));
    assert_int_equal(F.dirties, 1);
    assert_int_equal(F.nclips, 3);
    assert_true(clip_eq(&F.clips[0], 0, 0, 5, 5));
    assert_true(clip_eq(&F.clips[1], 75, 46, 80, 50));
    assert_true(clip_eq(&F.clips[2], 0, 30, 80, 32));

    /* Nothing on the screen: nothing copied or flushed. */
    paint(s, 2);
    SDL_Rect off[] = { { 200, 10, 5, 5 }, { 10, -20, 5, 5 } };
    assert_true(kms_present(k, off, 2));
    assert_int_equal(F.dirties, 1);
    assert_scanout(0, 80, 50, want, 3, 1, 0);

    kms_close(k);
    assert_all_released();
}

/* kms_2_3: more rectangles than one flush takes (64): all are copied and
 * the whole buffer is flushed (no clips). */
static void kms_2_3(void **state)
{
    (void)state;
    card(0);
    make_cards();
    struct kms *k = open_captured();
    assert_non_null(k);
    SDL_Surface *s = kms_surface(k);
    paint(s, 1);
    SDL_Rect r[70];
    for (int i = 0; i < 70; i++)
        r[i] = (SDL_Rect){ i, i % 50, 1, 1 };
    assert_true(kms_present(k, r, 70));
    assert_scanout(0, 80, 50, r, 70, 1, 0);
    assert_int_equal(F.dirties, 1);
    assert_true(F.clips_null);
    assert_int_equal(F.nclips, 0);

    /* Exactly 64: still clips. */
    assert_true(kms_present(k, r, 64));
    assert_false(F.clips_null);
    assert_int_equal(F.nclips, 64);
    assert_true(clip_eq(&F.clips[63], 63, 13, 64, 14));
    kms_close(k);
    assert_all_released();
}

/* kms_2_4: a driver that needs no flush (-ENOSYS) is fine; a refused flush
 * returns false every time and is logged once; the pixels are copied even
 * so. */
static void kms_2_4(void **state)
{
    (void)state;
    card(0);
    make_cards();
    struct kms *k = open_captured();
    assert_non_null(k);
    SDL_Surface *s = kms_surface(k);

    capture_begin();
    paint(s, 1);
    F.dirty_rc = -ENOSYS;
    bool nosys = kms_present(k, NULL, 0);
    F.dirty_rc = -EINVAL;
    SDL_Rect r = { 1, 1, 2, 2 };
    bool refused1 = kms_present(k, &r, 1);
    bool refused2 = kms_present(k, NULL, 0);
    F.dirty_rc = 0;
    bool later = kms_present(k, &r, 1);

    char *log = capture_end();

    assert_true(nosys);
    assert_false(refused1);
    assert_false(refused2);
    assert_true(later);
    assert_int_equal(F.dirties, 4);
    const char *said = "kms: the screen refused a flush: Invalid argument";
    const char *hit = strstr(log, said);
    assert_non_null(hit);
    assert_null(strstr(hit + strlen(said), "refused a flush"));
    free(log);
    SDL_Rect all = { 0, 0, 80, 50 };
    assert_scanout(0, 80, 50, &all, 1, 1, 0);
    kms_close(k);
    assert_all_released();
}

/* kms_3_1: no card with a screen (only disconnected connectors, a connected
 * one without modes, one with no CRTC it can use): NULL, logged, nothing
 * left open, the screens untouched. */
static void kms_3_1(void **state)
{
    (void)state;
    card(0)->conns[0].connection = DRM_MODE_DISCONNECTED;
    card(1)->conns[0].nmodes = 0;
    struct fcard *c = card(2);
    c->encs[0].crtc_id = 0;
    c->encs[0].possible = 0;
    card(4)->conns[0].connection = DRM_MODE_UNKNOWNCONNECTION;
    make_cards();
    assert_null(open_captured());
    assert_non_null(strstr(captured, "no DRM card with a connected screen"));
    assert_int_equal(F.nsets, 0);
    assert_int_equal(F.creates, 0);
    assert_all_released();

    /* And an empty folder. */
    teardown(state);
    setup(state);
    assert_null(open_captured());
    assert_all_released();
}

/* kms_3_2: each step of making the buffer and showing it can fail; each
 * leaves nothing open and logs what failed; the next card is tried. */
static void kms_3_2(void **state)
{
    (void)state;
    static const struct {
        const char *log;
        int create_rc, addfb_rc, setcrtc_rc;
        bool bad_offset;
    } cases[] = {
        { "cannot create a 80x50 dumb buffer", -ENOMEM, 0, 0, false },
        { "cannot make a framebuffer of the dumb buffer", 0, -EINVAL, 0, false },
        { "cannot map the dumb buffer", 0, 0, 0, true },
        { "cannot show the buffer on", 0, 0, -EACCES, false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        teardown(state);
        setup(state);
        card(0)->setcrtc_rc = cases[i].setcrtc_rc;
        make_cards();
        F.create_rc = cases[i].create_rc;
        F.addfb_rc = cases[i].addfb_rc;
        F.bad_offset = cases[i].bad_offset;
        struct kms *k = open_captured();
        if (k)
            fail_msg("case %zu opened", i);
        if (!strstr(captured, cases[i].log))
            fail_msg("case %zu logged: %s", i, captured);
        assert_non_null(strstr(captured, "no DRM card with a connected screen"));
        assert_int_equal(F.nsets, 0);
        assert_all_released();
        assert_int_equal(F.creates, i == 0 ? 0 : 1);
        assert_int_equal(F.addfbs, i <= 1 ? 0 : 1);
    }
}

/* kms_3_3: card0's screen is held by another master (SetCrtc refused):
 * its buffer is given back and card1 is shown. */
static void kms_3_3(void **state)
{
    (void)state;
    card(0)->setcrtc_rc = -EACCES;
    card(1)->driver = "second";
    make_cards();
    struct kms *k = open_captured();
    assert_non_null(k);
    assert_non_null(strstr(captured, "cannot show the buffer on"));
    assert_string_equal(kms_name(k), "second 80x50 on card1");
    assert_int_equal(F.creates, 2);
    assert_int_equal(F.destroys, 1);
    assert_int_equal(F.addfbs, 2);
    assert_int_equal(F.rmfbs, 1);
    assert_int_equal(fds_open(), 1);
    assert_int_equal(maps_open(), 1);
    kms_close(k);
    assert_all_released();
}

int main(void)
{
    log_init("test-kms", LOG_LEVEL_INFO);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(kms_1_1, setup, teardown),
        cmocka_unit_test_setup_teardown(kms_1_2, setup, teardown),
        cmocka_unit_test_setup_teardown(kms_1_3, setup, teardown),
        cmocka_unit_test_setup_teardown(kms_1_4, setup, teardown),
        cmocka_unit_test_setup_teardown(kms_2_1, setup, teardown),
        cmocka_unit_test_setup_teardown(kms_2_2, setup, teardown),
        cmocka_unit_test_setup_teardown(kms_2_3, setup, teardown),
        cmocka_unit_test_setup_teardown(kms_2_4, setup, teardown),
        cmocka_unit_test_setup_teardown(kms_3_1, setup, teardown),
        cmocka_unit_test_setup_teardown(kms_3_2, setup, teardown),
        cmocka_unit_test_setup_teardown(kms_3_3, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(captured);
    return rc;
}
