/* replay.c — runs a harness over corpus files without libFuzzer: each
 * argument is a file or a folder (read one level deep, sorted).  Built with
 * the normal compiler, so `make SANITIZE=address,undefined test` replays the
 * committed corpus under ASan/UBSan (tests/robust/r-fuzz.sh). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static size_t runs;

/* Reads the whole file and calls the harness once; false if unreadable. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 0;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    int ok = buf && !ferror(f);
    fclose(f);
    if (!ok) {
        fprintf(stderr, "%s: read failed\n", path);
        free(buf);
        return 0;
    }
    /* Exactly-sized copy, so ASan sees a read past the input's end. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact)
        abort();
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    runs++;
    return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            bad = 1;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            bad |= !replay_file(argv[i]);
            continue;
        }
        struct dirent **ents;
        int n = scandir(argv[i], &ents, NULL, by_name);
        if (n < 0) {
            perror(argv[i]);
            bad = 1;
            continue;
        }
        for (int j = 0; j < n; j++) {
            if (ents[j]->d_name[0] != '.') {
                size_t plen = strlen(argv[i]) + strlen(ents[j]->d_name) + 2;
                char *p = malloc(plen);
                if (!p)
                    abort();
                snprintf(p, plen, "%s/%s", argv[i], ents[j]->d_name);
                bad |= !replay_file(p);
                free(p);
            }
            free(ents[j]);
        }
        free(ents);
    }
    printf("replayed %zu inputs\n", runs);
    return bad;
}
