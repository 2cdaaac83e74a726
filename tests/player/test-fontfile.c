/* test-fontfile.c — the font file stream: every read, after any seek, gives
 * the file's bytes (through cache hits, misses and evictions, and at the
 * end of the file), errors are errors, and a font read through it renders
 * the same pixels as one read by SDL itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "player/fontfile.h"

#define PINNED "tests/player/../../fonts/NotoSansSC-NB-Regular.otf"
#define FILE_LEN (1300 * 1000 + 77)     /* over the cache (512 KB), not block-aligned */

static unsigned char *bytes;
static char path[64];

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static int setup(void **state)
{
    (void)state;
    bytes = malloc(FILE_LEN);
    if (!bytes)
        return -1;
    uint32_t s = 2463534242u;
    for (size_t i = 0; i < FILE_LEN; i++)
        bytes[i] = (unsigned char)rnd(&s);
    snprintf(path, sizeof path, "/tmp/nb-fontfile-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, bytes, FILE_LEN);
    close(fd);
    return n == FILE_LEN ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    free(bytes);
    return 0;
}

/* fontfile_1: 5,000 random seeks (from the start, the current position and
 * the end) and reads of 0 to 20,000 bytes in objects of 1, 3 or 4096
 * bytes: each returns the file's bytes, whole objects only, and leaves the
 * position after them. */
static void fontfile_1(void **state)
{
    (void)state;
    SDL_RWops *rw = fontfile_open(path);
    assert_non_null(rw);
    assert_int_equal(SDL_RWsize(rw), FILE_LEN);
    static unsigned char buf[20000 + 4096];
    static const size_t objs[] = { 1, 3, 4096 };
    uint32_t s = 7;
    Sint64 pos = 0;
    for (int i = 0; i < 5000; i++) {
        Sint64 target = (Sint64)(rnd(&s) % (FILE_LEN + 100));   /* sometimes past the end */
        int how = (int)(rnd(&s) % 3);
        Sint64 got = how == 0 ? SDL_RWseek(rw, target, RW_SEEK_SET)
                   : how == 1 ? SDL_RWseek(rw, target - pos, RW_SEEK_CUR)
                              : SDL_RWseek(rw, target - FILE_LEN, RW_SEEK_END);
        assert_int_equal(got, target);
        size_t obj = objs[rnd(&s) % 3];
        size_t num = (rnd(&s) % 20001) / obj;
        size_t n = SDL_RWread(rw, buf, obj, num);
        Sint64 avail = target < FILE_LEN ? FILE_LEN - target : 0;
        size_t expect = (size_t)avail / obj < num ? (size_t)avail / obj : num;
        assert_int_equal(n, expect);
        if (n)
            assert_memory_equal(buf, bytes + target, n * obj);
        pos = target + (Sint64)(n * obj);
        assert_int_equal(SDL_RWtell(rw), pos);
    }
    assert_int_equal(SDL_RWclose(rw), 0);
}

/* fontfile_2: errors — a missing file and a folder do not open (the path
 * is in the message); a seek before the start fails and leaves the
 * position; writing fails. */
static void fontfile_2(void **state)
{
    (void)state;
    assert_null(fontfile_open("/nonexistent/font.otf"));
    assert_non_null(strstr(SDL_GetError(), "/nonexistent/font.otf"));
    assert_null(fontfile_open("/tmp"));
    SDL_RWops *rw = fontfile_open(path);
    assert_non_null(rw);
    assert_int_equal(SDL_RWseek(rw, 10, RW_SEEK_SET), 10);
    assert_int_equal(SDL_RWseek(rw, -11, RW_SEEK_CUR), -1);
    assert_int_equal(SDL_RWseek(rw, -FILE_LEN - 1, RW_SEEK_END), -1);
    assert_int_equal(SDL_RWtell(rw), 10);
    assert_int_equal(SDL_RWwrite(rw, "x", 1, 1), 0);
    SDL_RWclose(rw);
}

/* fontfile_3: the pinned font read through the stream renders the same
 * line, pixel for pixel, as the font opened by SDL_ttf from its path. */
static void fontfile_3(void **state)
{
    (void)state;
    assert_int_equal(TTF_Init(), 0);
    SDL_RWops *rw = fontfile_open(PINNED);
    assert_non_null(rw);
    TTF_Font *a = TTF_OpenFontIndexRW(rw, 1, 40, 0);
    TTF_Font *b = TTF_OpenFontIndex(PINNED, 40, 0);
    assert_non_null(a);
    assert_non_null(b);
    const char *line = "社区文化节 9:30 开幕，欢迎居民参加";
    SDL_Color ink = { 20, 20, 20, 255 };
    SDL_Surface *sa = TTF_RenderUTF8_Blended(a, line, ink);
    SDL_Surface *sb = TTF_RenderUTF8_Blended(b, line, ink);
    assert_non_null(sa);
    assert_non_null(sb);
    assert_int_equal(sa->w, sb->w);
    assert_int_equal(sa->h, sb->h);
    assert_true(sa->w > 400);
    long inked = 0;
    for (int y = 0; y < sa->h; y++) {
        const Uint32 *ra = (const Uint32 *)((const Uint8 *)sa->pixels + y * sa->pitch);
        const Uint32 *rb = (const Uint32 *)((const Uint8 *)sb->pixels + y * sb->pitch);
        assert_memory_equal(ra, rb, (size_t)sa->w * 4);
        for (int x = 0; x < sa->w; x++)
            inked += (ra[x] >> 24) > 0;
    }
    assert_true(inked > 1000);
    SDL_FreeSurface(sa);
    SDL_FreeSurface(sb);
    TTF_CloseFont(a);
    TTF_CloseFont(b);
    TTF_Quit();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fontfile_1),
        cmocka_unit_test(fontfile_2),
        cmocka_unit_test(fontfile_3),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
