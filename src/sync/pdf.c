/* pdf.c — PDF pages to poster images.  poppler parses and cairo draws in a
 * forked child with CPU-time and address-space limits, which pipes each
 * page's pixels back; the parent checks every size it is told, encodes
 * with media.c, and reads the child's death into a message for staff. */
#include "sync/pdf.h"

#include <assert.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <math.h>
#include <poll.h>
#include <poppler.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"

/* AddressSanitizer reserves terabytes of shadow address space, so an
 * address-space limit would stop the child before it starts. */
#if defined(__SANITIZE_ADDRESS__)
#define PDF_NO_AS_LIMIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PDF_NO_AS_LIMIT 1
#endif
#endif

#define SAVE_AGAIN "请用 WPS 或 Word 打开原文件，重新“另存为”PDF 后再放到U盘上"
#define MSG_NOT_PDF "不是 PDF 文件（可能只是改了扩展名）。" SAVE_AGAIN
#define MSG_DAMAGED "PDF 文件已损坏或不完整。" SAVE_AGAIN
#define MSG_ENCRYPTED "PDF 设置了密码，无法打开。请用 WPS 或 Word 打开原文件，重新“另存为”PDF，保存时不要设置密码"
#define MSG_FAILED "PDF 转换失败"

/* Child → parent messages on the data pipe; a PAGE is followed by w × h
 * 32-bit pixels (cairo RGB24), row after row without padding. */
#define MSG_MAGIC 0x4E425044u       /* "NBPD" */
enum msg_kind { MSG_OPENED = 1, MSG_PAGE, MSG_FAIL };
enum fail_kind { FAIL_DAMAGED = 1, FAIL_ENCRYPTED, FAIL_PAGES, FAIL_PAGE_SIZE };
struct msg {
    uint32_t magic, kind;
    int32_t a, b, c;    /* OPENED: pages; PAGE: index, w, h; FAIL: kind, page (1-based, 0: the file), pages */
    double w_pt, h_pt;  /* FAIL_PAGE_SIZE: the page's size */
};

/* The child's exit status when cairo could not allocate a page. */
#define CHILD_NOMEM 70

struct pdf_limits pdf_default_limits(void)
{
    return (struct pdf_limits){
        .open_cpu_s = 10, .page_cpu_s = 10, .total_cpu_s = 60, .wall_factor = 3, .mem_mb = 1024,
    };
}

bool pdf_is_pdf(const void *data, size_t len)
{
    return memmem(data, len < 1024 ? len : 1024, "%PDF-", 5) != NULL;
}

void pdf_pages_free(struct pdf_pages *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->count; i++)
        media_out_free(&p->page[i]);
    free(p->page);
    free(p->note);
    p->page = NULL;
    p->note = NULL;
    p->count = 0;
}

/* ---------------------------------------------------------------- the child */

/* Writes all of p or ends the child: a parent that stopped reading has
 * given up on us. */
static void child_write(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(1);
        c += w;
        n -= (size_t)w;
    }
}

static void child_send(int fd, uint32_t kind, int a, int b, int c, double w_pt, double h_pt)
{
    struct msg m;
    memset(&m, 0, sizeof m);    /* the padding too: it goes down the pipe */
    m.magic = MSG_MAGIC;
    m.kind = kind;
    m.a = a;
    m.b = b;
    m.c = c;
    m.w_pt = w_pt;
    m.h_pt = h_pt;
    child_write(fd, &m, sizeof m);
}

static double cpu_used_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
           ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

/* The next step may use `secs` more CPU seconds (soft limit: SIGXCPU),
 * never past the whole file's hard limit (SIGKILL). */
static void child_cpu_budget(double secs)
{
    struct rlimit rl;
    getrlimit(RLIMIT_CPU, &rl);
    rlim_t soft = (rlim_t)ceil(cpu_used_s() + secs);
    rl.rlim_cur = soft < rl.rlim_max ? soft : rl.rlim_max;
    setrlimit(RLIMIT_CPU, &rl);
}

/* Signals, descriptors and limits of the child, before poppler runs. */
static void child_setup(pid_t parent, int data_fd, int err_fd, const struct pdf_limits *lim)
{
    /* Die with the parent (already gone: go now); default actions, so
     * SIGXCPU ends us; SIGXFSZ ignored, so a cache fontconfig cannot write
     * is an error, not death. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(1);
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL);
    signal(SIGXFSZ, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* poppler's complaints go to the parent's log; nothing else of the
     * parent's (the feed being built, the stick) stays open here.  The
     * pipes move up first, so no dup2 below lands on the other one. */
    int d = fcntl(data_fd, F_DUPFD, 10), e = fcntl(err_fd, F_DUPFD, 10);
    int devnull = open("/dev/null", O_RDONLY);
    if (d < 0 || e < 0 || devnull < 0 || dup2(devnull, 0) < 0 || dup2(e, 1) < 0 ||
        dup2(e, 2) < 0 || dup2(d, 3) < 0)
        _exit(1);
    close_range(4, ~0U, 0);

    struct rlimit rl = { 0, 0 };
    setrlimit(RLIMIT_CORE, &rl);
    setrlimit(RLIMIT_FSIZE, &rl);
    rl.rlim_max = (rlim_t)ceil(lim->total_cpu_s);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_CPU, &rl);
    child_cpu_budget(lim->open_cpu_s);
#ifndef PDF_NO_AS_LIMIT
    /* What the child may add to what it shares with the parent (the fork
     * copies the parent's whole address space, mostly untouched). */
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%lu", &pages) != 1)
        _exit(1);
    fclose(f);
    rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) +
                                (rlim_t)lim->mem_mb * 1024 * 1024;
    setrlimit(RLIMIT_AS, &rl);
#endif
}

static bool page_size_ok(double w, double h)
{
    if (!isfinite(w) || !isfinite(h) || w < PDF_MIN_PT || h < PDF_MIN_PT ||
        w > PDF_MAX_PT || h > PDF_MAX_PT)
        return false;
    return fmax(w, h) / fmin(w, h) <= PDF_MAX_ASPECT;
}

/* Parses and renders; never returns.  Every outcome is a message on fd 3
 * or a death the parent reads from our exit status. */
static _Noreturn void child_main(pid_t parent, const void *data, size_t len, int box_w,
                                 int box_h, const struct pdf_limits *lim, int data_fd, int err_fd)
{
    child_setup(parent, data_fd, err_fd, lim);
    const int fd = 3;
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    if (!doc) {
        bool locked = err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED;
        fprintf(stderr, "poppler: %s\n", err ? err->message : "no document");
        child_send(fd, MSG_FAIL, locked ? FAIL_ENCRYPTED : FAIL_DAMAGED, 0, 0, 0, 0);
        _exit(0);
    }
    int n = poppler_document_get_n_pages(doc);
    if (n < 1 || n > PDF_MAX_PAGES) {
        child_send(fd, MSG_FAIL, n < 1 ? FAIL_DAMAGED : FAIL_PAGES, 0, n, 0, 0);
        _exit(0);
    }
    child_send(fd, MSG_OPENED, n, 0, 0, 0, 0);
    for (int i = 0; i < n; i++) {
        child_cpu_budget(lim->page_cpu_s);
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (!page) {
            child_send(fd, MSG_FAIL, FAIL_DAMAGED, i + 1, n, 0, 0);
            _exit(0);
        }
        double w = 0, h = 0;
        poppler_page_get_size(page, &w, &h);
        if (!page_size_ok(w, h)) {
            child_send(fd, MSG_FAIL, FAIL_PAGE_SIZE, i + 1, n, w, h);
            _exit(0);
        }
        /* Fit the page in the box, up or down; whole pixels, at least 1. */
        double scale = fmin(box_w / w, box_h / h);
        int pw = (int)fmin(box_w, fmax(1, lround(w * scale)));
        int ph = (int)fmin(box_h, fmax(1, lround(h * scale)));
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
        if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
            _exit(CHILD_NOMEM);
        cairo_t *cr = cairo_create(s);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_scale(cr, pw / w, ph / h);
        poppler_page_render(page, cr);
        if (cairo_status(cr) == CAIRO_STATUS_NO_MEMORY)
            _exit(CHILD_NOMEM);
        cairo_destroy(cr);
        cairo_surface_flush(s);
        child_send(fd, MSG_PAGE, i, pw, ph, w, h);
        const uint8_t *px = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        for (int y = 0; y < ph; y++)
            child_write(fd, px + (size_t)y * (size_t)stride, (size_t)pw * 4);
        cairo_surface_destroy(s);
        g_object_unref(page);
    }
    _exit(0);
}

/* ---------------------------------------------------------------- the parent */

struct child {
    pid_t pid;
    int data_fd, err_fd;    /* read ends; -1 once closed */
    struct sbuf err;        /* the first ERR_KEEP bytes of the child's stderr */
    bool timed_out;
};

#define ERR_KEEP 4096

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Drains what the child wrote on stderr without blocking; keeps the start. */
static void read_err(struct child *c)
{
    char buf[4096];
    for (;;) {
        ssize_t r = read(c->err_fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0 || errno != EAGAIN) {
                close(c->err_fd);
                c->err_fd = -1;
            }
            return;
        }
        size_t room = c->err.len < ERR_KEEP ? ERR_KEEP - c->err.len : 0;
        sbuf_add(&c->err, buf, (size_t)r < room ? (size_t)r : room);
    }
}

enum got { GOT_ALL, GOT_EOF, GOT_TIMEOUT, GOT_ERROR };

/* Reads exactly n bytes of data before the deadline (CLOCK_MONOTONIC s),
 * taking in stderr meanwhile. */
static enum got read_data(struct child *c, void *p, size_t n, double deadline)
{
    uint8_t *b = p;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(c->data_fd, b + got, n - got);
        if (r > 0) {
            got += (size_t)r;
            continue;
        }
        if (r == 0)
            return GOT_EOF;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN) {
            log_error("pdf: reading from the renderer: %s", strerror(errno));
            return GOT_ERROR;
        }
        double left = deadline - mono_s();
        if (left <= 0) {
            c->timed_out = true;
            return GOT_TIMEOUT;
        }
        struct pollfd pf[2] = { { c->data_fd, POLLIN, 0 }, { c->err_fd, POLLIN, 0 } };
        int r2 = poll(pf, c->err_fd >= 0 ? 2 : 1, (int)ceil(left * 1000));
        if (r2 < 0 && errno != EINTR) {
            log_error("pdf: poll: %s", strerror(errno));
            return GOT_ERROR;
        }
        if (c->err_fd >= 0 && pf[1].revents)
            read_err(c);
    }
    return GOT_ALL;
}

static void fail(char **why, char *msg)
{
    if (why)
        *why = msg;
    else
        free(msg);
}

/* Ends the child (if still there), reaps it and closes the pipes; returns
 * its wait status.  Kills only when asked: a child that sent everything
 * is let exit, for a clean status. */
static int child_end(struct child *c, bool kill_it)
{
    int status = 0;
    if (kill_it)
        kill(c->pid, SIGKILL);
    else {
        /* It has sent its last message: wait for EOF a little, then kill. */
        char drain;
        double deadline = mono_s() + 5;
        if (read_data(c, &drain, 1, deadline) != GOT_EOF)
            kill(c->pid, SIGKILL);
    }
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (c->err_fd >= 0) {
        /* The child is gone: the rest of its stderr is in the pipe. */
        fcntl(c->err_fd, F_SETFL, O_NONBLOCK);
        read_err(c);
    }
    if (c->err_fd >= 0)
        close(c->err_fd);
    close(c->data_fd);
    return status;
}

/* Logs what poppler said, a few lines. */
static void log_child_err(const struct child *c, enum log_level lvl)
{
    if (!c->err.len)
        return;
    const char *s = c->err.s;
    for (int i = 0; i < 5 && *s; i++) {
        const char *e = strchr(s, '\n');
        int n = e ? (int)(e - s) : (int)strlen(s);
        log_msg(lvl, "pdf: poppler: %.*s", n, s);
        s += n + (e != NULL);
    }
}

/* The message for a child that died or went quiet at page `page` (1-based;
 * 0 while the file was being opened). */
static char *death_message(const struct child *c, int status, int page)
{
    bool bound = c->timed_out;
    const char *what = "timed out";
    if (!bound && WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        /* SIGXCPU: past the step's CPU seconds; SIGKILL (not ours): past the
         * file's; an abort after "Out of memory": past the address space. */
        bool oom = c->err.s && (strstr(c->err.s, "Out of memory") || strstr(c->err.s, "bad_alloc"));
        bound = sig == SIGXCPU || sig == SIGKILL || (sig == SIGABRT && oom);
        what = sig == SIGXCPU ? "CPU time limit of the step" : sig == SIGKILL ? "CPU time limit of the file"
             : bound ? "memory limit" : strsignal(sig);
    } else if (!bound && WIFEXITED(status)) {
        bound = WEXITSTATUS(status) == CHILD_NOMEM;
        what = bound ? "memory limit (cairo)" : "exited early";
    }
    log_warn("pdf: renderer %s at page %d (status 0x%x)", what, page, (unsigned)status);
    if (!bound)
        return xstrdup(MSG_DAMAGED);
    if (page == 0)
        return xstrdup("PDF 太复杂，打开它超出了时间或内存的上限。" SAVE_AGAIN);
    return xasprintf("PDF 第 %d 页太复杂，转换超出了时间或内存的上限。请用 WPS 或 Word "
                     "重新“另存为”PDF，或把这一页另存为图片放进 media 文件夹", page);
}

static char *fail_message(const struct msg *m)
{
    switch (m->a) {
    case FAIL_ENCRYPTED:
        log_warn("pdf: needs a password");
        return xstrdup(MSG_ENCRYPTED);
    case FAIL_PAGES:
        log_warn("pdf: %d pages (max %d)", m->c, PDF_MAX_PAGES);
        return xasprintf("PDF 有 %d 页，最多 %d 页。请只保留要展示的页面，重新“另存为”PDF",
                         m->c, PDF_MAX_PAGES);
    case FAIL_PAGE_SIZE:
        log_warn("pdf: page %d is %gx%g pt", m->b, m->w_pt, m->h_pt);
        return xasprintf("PDF 第 %d 页的纸张大小不正常。请在 WPS 或 Word 里把纸张设为 A4 等"
                         "常用大小，重新“另存为”PDF", m->b);
    default:
        log_warn("pdf: damaged (%s)", m->b ? "a page" : "the document");
        return xstrdup(MSG_DAMAGED);
    }
}

/* true when every pixel is white (cairo RGB24: the top byte is unused). */
static bool blank(const uint8_t *px, size_t n)
{
    const uint32_t *p = (const uint32_t *)px;
    for (size_t i = 0; i < n; i++)
        if ((p[i] & 0xFFFFFFu) != 0xFFFFFFu)
            return false;
    return true;
}

/* true when "%%EOF" is in the last 1024 bytes, where every writer puts it:
 * a file cut short (a copy interrupted) has lost it, and poppler would
 * otherwise rebuild what it can and show part of the notice. */
static bool has_eof(const uint8_t *d, size_t len)
{
    size_t from = len > 1024 ? len - 1024 : 0;
    return memmem(d + from, len - from, "%%EOF", 5) != NULL;
}

/* Forks the renderer for data; false (logged) when the system says no. */
static bool spawn(const void *data, size_t len, int box_w, int box_h,
                  const struct pdf_limits *lim, struct child *c)
{
    int dp[2], ep[2];
    if (pipe2(dp, O_CLOEXEC) != 0) {
        log_error("pdf: pipe: %s", strerror(errno));
        return false;
    }
    if (pipe2(ep, O_CLOEXEC) != 0) {
        log_error("pdf: pipe: %s", strerror(errno));
        close(dp[0]);
        close(dp[1]);
        return false;
    }
    fflush(NULL);   /* nothing buffered may be written twice */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        child_main(parent, data, len, box_w, box_h, lim, dp[1], ep[1]);
    close(dp[1]);
    close(ep[1]);
    if (pid < 0) {
        log_error("pdf: fork: %s", strerror(errno));
        close(dp[0]);
        close(ep[0]);
        return false;
    }
    *c = (struct child){ .pid = pid, .data_fd = dp[0], .err_fd = ep[0] };
    fcntl(c->data_fd, F_SETFL, O_NONBLOCK);
    fcntl(c->err_fd, F_SETFL, O_NONBLOCK);
    return true;
}

static char *garbled(void)
{
    log_error("pdf: garbled message from the renderer");
    return xstrdup(MSG_FAILED);
}

/* Reads the child's messages — the page count, then each page — and
 * encodes the pages into out, leaving blank ones out (their numbers go to
 * blanks).  Returns the message for staff when the child refused the file
 * or said something wrong, else NULL: then *g (OUT) says whether
 * everything came (GOT_ALL) or how the child stopped, at *page (OUT,
 * 1-based; 0 while opening). */
static char *receive(struct child *c, const struct pdf_limits *lim, int box_w, int box_h,
                     struct pdf_pages *out, struct sbuf *blanks, int *page, enum got *g)
{
    struct msg m;
    *page = 0;
    *g = read_data(c, &m, sizeof m, mono_s() + lim->wall_factor * lim->open_cpu_s + 5);
    if (*g != GOT_ALL)
        return NULL;
    if (m.magic != MSG_MAGIC)
        return garbled();
    if (m.kind == MSG_FAIL)
        return fail_message(&m);
    if (m.kind != MSG_OPENED || m.a < 1 || m.a > PDF_MAX_PAGES)
        return garbled();
    int n = m.a;
    out->page = xcalloc((size_t)n, sizeof *out->page);
    uint8_t *px = NULL;
    char *msg = NULL;
    for (*page = 1; *page <= n; ++*page) {
        double deadline = mono_s() + lim->wall_factor * lim->page_cpu_s + 5;
        *g = read_data(c, &m, sizeof m, deadline);
        if (*g != GOT_ALL)
            break;
        if (m.magic == MSG_MAGIC && m.kind == MSG_FAIL) {
            msg = fail_message(&m);
            break;
        }
        if (m.magic != MSG_MAGIC || m.kind != MSG_PAGE || m.a != *page - 1 || m.b < 1 ||
            m.b > box_w || m.c < 1 || m.c > box_h) {
            msg = garbled();
            break;
        }
        size_t pixels = (size_t)m.b * (size_t)m.c;
        px = xrealloc(px, pixels * 4);
        /* The page is drawn before its message; the pixels follow at pipe
         * speed (a 4K page is 33 MB), within the page's time plus 5 s. */
        *g = read_data(c, px, pixels * 4, deadline + 5);
        if (*g != GOT_ALL)
            break;
        if (blank(px, pixels)) {
            log_info("pdf: page %d is blank, left out", *page);
            sbuf_addf(blanks, "%s%d", blanks->len ? "、" : "", *page);
            continue;
        }
        if (!media_encode_xrgb(px, m.b, m.c, m.b * 4, true, &out->page[out->count])) {
            msg = xstrdup(MSG_FAILED);
            break;
        }
        out->count++;
    }
    free(px);
    if (!msg && *g == GOT_ALL && out->count == 0) {
        log_warn("pdf: every page is blank");
        msg = xstrdup("PDF 的每一页都是空白的，没有可以显示的内容。" SAVE_AGAIN);
    }
    return msg;
}

bool pdf_render(const void *data, size_t len, int box_w, int box_h,
                const struct pdf_limits *limits, struct pdf_pages *out, char **why)
{
    assert(box_w >= 16 && box_h >= 16 && box_w <= MEDIA_MAX_SIDE && box_h <= MEDIA_MAX_SIDE);
    memset(out, 0, sizeof *out);
    if (why)
        *why = NULL;
    struct pdf_limits lim = limits ? *limits : pdf_default_limits();
    if (len > PDF_MAX_BYTES) {
        log_warn("pdf: %zu bytes exceeds the %u byte limit", len, PDF_MAX_BYTES);
        fail(why, xasprintf("PDF 文件过大（最大 %u MB）。请用 WPS 或 Word 重新“另存为”PDF，"
                            "或把它分成几个文件", PDF_MAX_BYTES >> 20));
        return false;
    }
    if (!pdf_is_pdf(data, len)) {
        log_warn("pdf: no %%PDF- header in the first 1024 bytes");
        fail(why, xstrdup(MSG_NOT_PDF));
        return false;
    }
    if (!has_eof(data, len)) {
        log_warn("pdf: no %%%%EOF in the last 1024 bytes (truncated?)");
        fail(why, xstrdup(MSG_DAMAGED));
        return false;
    }
    double t0 = mono_s();
    struct child c;
    if (!spawn(data, len, box_w, box_h, &lim, &c)) {
        fail(why, xstrdup(MSG_FAILED));
        return false;
    }
    struct sbuf blanks = {0};   /* numbers of the blank pages, "3、5" */
    int page;
    enum got g;
    char *msg = receive(&c, &lim, box_w, box_h, out, &blanks, &page, &g);
    bool complete = !msg && g == GOT_ALL;
    int status = child_end(&c, !complete);
    if (!msg && !complete)
        msg = g == GOT_ERROR ? xstrdup(MSG_FAILED) : death_message(&c, status, page);
    log_child_err(&c, msg ? LOG_LEVEL_WARN : LOG_LEVEL_INFO);
    sbuf_free(&c.err);
    if (msg) {
        sbuf_free(&blanks);
        pdf_pages_free(out);
        fail(why, msg);
        return false;
    }
    if (blanks.len)
        out->note = xasprintf("第 %s 页是空白页，没有放进来", blanks.s);
    sbuf_free(&blanks);
    log_info("pdf: %d of %d pages rendered in %.2f s", out->count, page - 1, mono_s() - t0);
    return true;
}
