/* fuzz-minisign.c — minisign signature verification with a fixed public
 * key (tests/fixtures/trust/test.pub).  The input is split at its first
 * NUL byte into signature text and signed data (all signature when none). */
#include <stdbool.h>

#include "core/log.h"
#include "fuzz.h"
#include "sync/trust.h"

static const char pubkey[] = "RWT7fC1UaQTMU75qOI1+YJUJikMlcbkPOVxEd92Pztd7dlJ1d98vxilT";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool quiet;
    if (!quiet) {
        log_init("fuzz-minisign", LOG_LEVEL_ERROR + 1);
        quiet = true;
    }
    const uint8_t *nul = memchr(data, '\0', size);
    size_t sig_len = nul ? (size_t)(nul - data) : size;
    const uint8_t *msg = nul ? nul + 1 : data + size;
    size_t msg_len = size - sig_len - (nul ? 1 : 0);

    /* Exact-size copies so a read past either part is caught. */
    char *sig = malloc(sig_len ? sig_len : 1);
    uint8_t *body = malloc(msg_len ? msg_len : 1);
    if (!sig || !body)
        abort();
    memcpy(sig, data, sig_len);
    memcpy(body, msg, msg_len);
    char *why = NULL;
    bool ok = minisign_verify(pubkey, sig, sig_len, body, msg_len, &why);
    if (ok)
        FUZZ_CHECK(why == NULL);
    else
        FUZZ_CHECK(why != NULL && why[0] != '\0');
    free(why);
    free(sig);
    free(body);
    return 0;
}
