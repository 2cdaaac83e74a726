/* xlsx.c — .xlsx workbooks as WPS and Excel save them, into core/table:
 * libzip reads the archive, expat each part as it inflates (never a whole
 * part in memory), under caps on sizes, ratios, names, nesting and tokens. */
#include "sync/xlsx.h"

#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "core/csv.h"
#include "core/util.h"
#include "sync/numfmt.h"

/* ---------------------------------------------------------- messages */

#define MSG_RESAVE "请用 WPS 或 Excel 打开这个文件，确认内容无误后重新保存，再导入"
#define MSG_DAMAGED "表格文件已损坏或不完整，无法读取（可能没有复制完）。" MSG_RESAVE
#define MSG_PASSWORD                                                                    \
    "表格文件设置了打开密码，设备无法读取。请在 WPS 或 Excel 中打开它，取消密码后重新保存" \
    "（WPS：点左上角“文件”→“文档加密”→“密码加密”，清空打开密码；Excel：“文件”→“信息”→" \
    "“保护工作簿”→“用密码进行加密”，清空密码），再导入"
#define MSG_SAVE_AS_XLSX                                                                  \
    "在 WPS 或 Excel 中打开它，点左上角“文件”→“另存为”，文件类型选 .xlsx（WPS 里叫"      \
    "“Microsoft Excel 文件(*.xlsx)”，Excel 里叫“Excel 工作簿(*.xlsx)”），保存后导入新的 .xlsx 文件"
#define MSG_OLD_FORMAT "这是旧版 Excel（.xls）或 WPS（.et）格式的表格，设备不能读取。请" MSG_SAVE_AS_XLSX
#define MSG_ODS "这是 OpenDocument（.ods）格式的表格，设备不能读取。请" MSG_SAVE_AS_XLSX
#define MSG_MARKUP "这个文件其实是网页或 XML 格式，不是真正的 .xlsx 表格。请" MSG_SAVE_AS_XLSX
#define MSG_TEXT "这个文件其实是文本（CSV）格式，只是名字以 .xlsx 结尾。请把文件名的结尾改成 .csv，或" MSG_SAVE_AS_XLSX
#define MSG_OTHER "这个文件不是 Excel 表格（可能是图片、PDF、Word 文档或压缩包）。请放入 WPS 或 Excel 保存的 .xlsx 表格"
#define MSG_IO "读取表格文件失败（U盘可能被拔出或已损坏）"
#define MSG_NUL                                                                          \
    "单元格里有看不见的特殊字符（空字符，多半是从别的系统复制过来的），设备无法读取。请在 WPS " \
    "或 Excel 中找到这个单元格，删掉里面的内容后重新打字输入（不要粘贴），保存后再导入"
#define MSG_BOMB "表格文件解压后的内容异常庞大（压缩比例不正常），不像 WPS 或 Excel 保存的表格，不能导入。" MSG_RESAVE

_Static_assert(sizeof MSG_TEXT <= sizeof(((struct xlsx_error *)0)->msg) &&
                   sizeof MSG_PASSWORD <= sizeof(((struct xlsx_error *)0)->msg) &&
                   sizeof MSG_OLD_FORMAT <= sizeof(((struct xlsx_error *)0)->msg) &&
                   sizeof MSG_NUL <= sizeof(((struct xlsx_error *)0)->msg),
               "messages fit struct xlsx_error");

/* ---------------------------------------------------------- the handle */


struct sheet_priv {
    struct xlsx_sheet pub;
    char *part;             /* the worksheet's part name, NULL for other sheets */
};

/* One shared string: offset and length in the pool, or TOO_LONG. */
struct sst_ent {
    uint32_t off, len;
};
#define SST_TOO_LONG UINT32_MAX
#define SST_NUL (UINT32_MAX - 1)

struct xlsx {
    zip_t *za;
    struct sheet_priv *sheets;
    size_t nsheets;
    bool date1904;
    char *sst_part, *styles_part;   /* NULL when the workbook has none */
    bool loaded;                    /* shared strings and styles read */
    struct sbuf pool;               /* shared strings, NUL-separated */
    struct sst_ent *sst;
    size_t nsst, cap_sst;
    uint8_t *xf_class;              /* enum numfmt_class per cell format (s="…") */
    size_t nxf;
    uint64_t total;                 /* uncompressed bytes read so far */
    locale_t c_locale;              /* for strtod_l: numbers use '.' whatever the locale */
};

#define CHUNK (64 << 10)            /* bytes inflated at a time */

static void set_err(struct xlsx_error *err, enum xlsx_fail f, const char *msg, const char *fmt, ...)
    NB_PRINTF(4, 5);
static void set_err(struct xlsx_error *err, enum xlsx_fail f, const char *msg, const char *fmt, ...)
{
    if (!err)
        return;
    *err = (struct xlsx_error){.fail = f, .sheet = -1};
    snprintf(err->msg, sizeof err->msg, "%s", msg);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->detail, sizeof err->detail, fmt, ap);
        va_end(ap);
    }
}

/* Places an error filled by set_err at a sheet and cell. */
static void place_err(struct xlsx_error *err, const struct xlsx *x, int sheet, uint32_t row,
                      uint32_t col)
{
    if (!err)
        return;
    err->sheet = sheet;
    err->row = row;
    err->col = row ? col : 0;
    xlsx_cell_name(err->where, sizeof err->where, sheet >= 0 ? x->sheets[sheet].pub.name : NULL,
                   row, err->col);
}

/* ---------------------------------------------------------- sniffing */

static const unsigned char OLE2_MAGIC[8] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};

enum xlsx_format xlsx_sniff(const void *data, size_t len)
{
    const unsigned char *u = data;
    if (!data || len == 0)
        return XLSX_FORMAT_OTHER;
    if (len >= 4 && u[0] == 'P' && u[1] == 'K' &&
        ((u[2] == 3 && u[3] == 4) || (u[2] == 5 && u[3] == 6))) {
        /* OpenDocument stores "mimetype" first, uncompressed (ODF 1.2 §3.3). */
        static const char ods[] = "mimetypeapplication/vnd.oasis.opendocument.spreadsheet";
        if (len >= 30 + sizeof ods - 1 && memcmp(u + 30, ods, sizeof ods - 1) == 0)
            return XLSX_FORMAT_ODS;
        return XLSX_FORMAT_XLSX;
    }
    if (len >= 8 && memcmp(u, OLE2_MAGIC, 8) == 0)
        return XLSX_FORMAT_OLE2;
    size_t n = len < 4096 ? len : 4096, i = 0;
    if (n >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) {
        /* UTF-16: the first character after the BOM and its spaces. */
        bool le = u[0] == 0xff;
        for (i = 2; i + 1 < n; i += 2) {
            unsigned c = le ? (unsigned)(u[i] | u[i + 1] << 8) : (unsigned)(u[i] << 8 | u[i + 1]);
            if (c == '<')
                return XLSX_FORMAT_MARKUP;
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
                break;
        }
        return XLSX_FORMAT_TEXT;
    }
    if (memchr(u, 0, n))
        return XLSX_FORMAT_OTHER;
    if (n >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
        i = 3;
    while (i < n && (u[i] == ' ' || u[i] == '\t' || u[i] == '\r' || u[i] == '\n'))
        i++;
    if (i < n && u[i] == '<')
        return XLSX_FORMAT_MARKUP;
    return XLSX_FORMAT_TEXT;
}

/* Whether an OLE2 compound file holds an "EncryptedPackage" stream: how
 * Office and WPS store a password-protected .xlsx.  Directory entries are
 * 128 bytes, aligned to 128 in the file (sectors are 512 or 4096 bytes
 * after a header of one sector), name in UTF-16LE with its byte length
 * (terminator included) at offset 64. */
static bool ole2_encrypted(const unsigned char *u, size_t len)
{
    static const char name[] = "EncryptedPackage";
    unsigned char want[64] = {0};
    for (size_t i = 0; i < sizeof name - 1; i++)
        want[2 * i] = (unsigned char)name[i];
    size_t nlen = 2 * sizeof name; /* with the UTF-16 NUL */
    for (size_t off = 512; off + 128 <= len; off += 128)
        if (u[off] == 'E' && memcmp(u + off, want, nlen) == 0 && u[off + 64] == nlen &&
            u[off + 65] == 0)
            return true;
    return false;
}

/* Fills err for a file that is not a zip workbook; false if it is one. */
static bool refuse_format(enum xlsx_format f, const unsigned char *all, size_t len,
                          struct xlsx_error *err)
{
    switch (f) {
    case XLSX_FORMAT_XLSX:
        return false;
    case XLSX_FORMAT_OLE2:
        if (all && ole2_encrypted(all, len))
            set_err(err, XLSX_PASSWORD, MSG_PASSWORD, "OLE2 file with an EncryptedPackage stream");
        else
            set_err(err, XLSX_OLD_FORMAT, MSG_OLD_FORMAT, "OLE2 compound file (.xls/.et)");
        return true;
    case XLSX_FORMAT_ODS:
        set_err(err, XLSX_NOT_WORKBOOK, MSG_ODS, "OpenDocument spreadsheet");
        return true;
    case XLSX_FORMAT_MARKUP:
        set_err(err, XLSX_NOT_WORKBOOK, MSG_MARKUP, "HTML or XML file");
        return true;
    case XLSX_FORMAT_TEXT:
        set_err(err, XLSX_NOT_WORKBOOK, MSG_TEXT, "text file");
        return true;
    case XLSX_FORMAT_OTHER:
        set_err(err, XLSX_NOT_WORKBOOK, MSG_OTHER, "neither zip nor OLE2 nor text");
        return true;
    }
    return true;
}

/* ---------------------------------------------------------- parts */

/* Entry names as OPC allows them: relative, '/'-separated, no "." or ".."
 * segments, no backslashes. */
static bool entry_name_ok(const char *n)
{
    if (!n || !*n || *n == '/' || strchr(n, '\\'))
        return false;
    for (const char *s = n; *s;) {
        const char *e = strchr(s, '/');
        size_t k = e ? (size_t)(e - s) : strlen(s);
        if ((k == 1 && s[0] == '.') || (k == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        if (k == 0 && e)
            return false; /* "a//b" */
        s += k + (e ? 1 : 0);
    }
    return true;
}

static int cmp_casestr(const void *a, const void *b)
{
    return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* Checks every entry of the archive: count, names, duplicates (part names
 * are case-insensitive), encryption. */
static bool check_entries(zip_t *za, struct xlsx_error *err)
{
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n < 0 || (uint64_t)n > XLSX_MAX_ENTRIES) {
        set_err(err, XLSX_LIMIT, MSG_DAMAGED, "%lld entries in the archive (at most %u)",
                (long long)n, XLSX_MAX_ENTRIES);
        return false;
    }
    const char **names = xcalloc((size_t)n, sizeof *names);
    bool ok = true;
    for (zip_int64_t i = 0; i < n && ok; i++) {
        zip_stat_t st;
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        if (!entry_name_ok(name)) {
            set_err(err, XLSX_DAMAGED, MSG_DAMAGED, "bad entry name in the archive: %.100s",
                    name ? name : "(none)");
            ok = false;
        } else if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0) {
            set_err(err, XLSX_DAMAGED, MSG_DAMAGED, "cannot stat entry %.100s", name);
            ok = false;
        } else if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
                   st.encryption_method != ZIP_EM_NONE) {
            set_err(err, XLSX_PASSWORD, MSG_PASSWORD, "encrypted zip entry %.100s", name);
            ok = false;
        }
        names[i] = name;
    }
    if (ok && n > 1) {
        qsort(names, (size_t)n, sizeof *names, cmp_casestr);
        for (zip_int64_t i = 1; i < n && ok; i++)
            if (strcasecmp(names[i - 1], names[i]) == 0) {
                set_err(err, XLSX_DAMAGED, MSG_DAMAGED, "duplicate entry %.100s", names[i]);
                ok = false;
            }
    }
    free(names);
    return ok;
}

/* A SAX pass over one part.  Handlers see local names (prefix dropped) and
 * stop the parse through sax_fail. */
struct sax {
    struct xlsx *x;
    struct xlsx_error *err;
    XML_Parser p;
    bool failed;            /* err filled by a handler (or the reader) */
    unsigned depth;
    void (*start)(struct sax *s, const char *name, const char **atts);
    void (*end)(struct sax *s, const char *name);
    void (*text)(struct sax *s, const char *t, size_t n);
    /* A NUL byte (or &#0;, or another character XML forbids) here, at the
     * point of the parse it stands at; NULL: the part is damaged. */
    void (*nul)(struct sax *s);
    /* Where we are, for errors in a sheet. */
    int sheet;
    uint32_t row, col;
};

static void sax_fail(struct sax *s, enum xlsx_fail f, const char *msg, const char *fmt, ...)
    NB_PRINTF(4, 5);
static void sax_fail(struct sax *s, enum xlsx_fail f, const char *msg, const char *fmt, ...)
{
    if (s->failed)
        return;
    s->failed = true;
    if (s->err) {
        set_err(s->err, f, msg, NULL);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->err->detail, sizeof s->err->detail, fmt, ap);
        va_end(ap);
        place_err(s->err, s->x, s->sheet, s->row, s->col);
    }
    if (s->p)
        XML_StopParser(s->p, XML_FALSE);
}

static const char *local_name(const char *n)
{
    const char *c = strrchr(n, ':');
    return c ? c + 1 : n;
}

/* The value of attribute `name` (compared by local name), or NULL. */
static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local_name(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct sax *s = ud;
    if (s->failed)
        return;
    if (++s->depth > XLSX_MAX_DEPTH) {
        sax_fail(s, XLSX_DAMAGED, MSG_DAMAGED, "XML nested deeper than %u", XLSX_MAX_DEPTH);
        return;
    }
    if (s->start)
        s->start(s, local_name(name), atts);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct sax *s = ud;
    if (s->failed)
        return;
    if (s->end)
        s->end(s, local_name(name));
    s->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *t, int n)
{
    struct sax *s = ud;
    if (!s->failed && s->text && n > 0)
        s->text(s, t, (size_t)n);
}

/* A DOCTYPE (and with it any entity declaration) never appears in what
 * WPS and Excel write; refusing it rules out entity expansion attacks. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int internal)
{
    sax_fail(ud, XLSX_DAMAGED, MSG_DAMAGED, "XML with a DOCTYPE");
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int param, const XML_Char *value,
                              int len, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation)
{
    sax_fail(ud, XLSX_DAMAGED, MSG_DAMAGED, "XML entity declaration");
}

/* Expat's memory, counted per part and capped.  Expat keeps an entry for
 * every distinct element and attribute name it meets, for the parser's
 * life: a part of a million made-up names would hold a gigabyte within
 * every other cap.  (The suite has no context pointer, hence the counter;
 * one parser runs at a time per thread.) */
static _Thread_local size_t expat_bytes;
#define EXPAT_HDR 16 /* size header, keeps malloc's alignment */

static void *xm_malloc(size_t n)
{
    if (n > XLSX_MAX_XML_MEMORY - expat_bytes)
        return NULL;
    char *p = malloc(n + EXPAT_HDR);
    if (!p)
        return NULL;
    memcpy(p, &n, sizeof n);
    expat_bytes += n;
    return p + EXPAT_HDR;
}

static void xm_free(void *q)
{
    if (!q)
        return;
    char *p = (char *)q - EXPAT_HDR;
    size_t n;
    memcpy(&n, p, sizeof n);
    expat_bytes -= n;
    free(p);
}

static void *xm_realloc(void *q, size_t n)
{
    if (!q)
        return xm_malloc(n);
    char *p = (char *)q - EXPAT_HDR;
    size_t old;
    memcpy(&old, p, sizeof old);
    if (n > old && n - old > XLSX_MAX_XML_MEMORY - expat_bytes)
        return NULL;
    char *r = realloc(p, n + EXPAT_HDR);
    if (!r)
        return NULL;
    memcpy(r, &n, sizeof n);
    expat_bytes = expat_bytes - old + n;
    return r + EXPAT_HDR;
}

static const XML_Memory_Handling_Suite expat_memory = {xm_malloc, xm_realloc, xm_free};

enum part_result { PART_OK, PART_MISSING, PART_FAILED };

/* Streams part `name` through s.  PART_MISSING (err untouched) when the
 * archive has no such entry. */
/* After expat refused the part: the reason, unless a handler gave one.  A
 * character reference XML forbids (&#0;) is the part's nul handler's. */
static void parse_failed(XML_Parser p, struct sax *s, const char *name)
{
    if (s->failed)
        return;
    enum XML_Error e = XML_GetErrorCode(p);
    if (e == XML_ERROR_NO_MEMORY) {
        sax_fail(s, XLSX_LIMIT, MSG_DAMAGED, "%s: the XML parser needs over %u bytes", name,
                 XLSX_MAX_XML_MEMORY);
        return;
    }
    if (e == XML_ERROR_BAD_CHAR_REF && s->nul)
        s->nul(s);
    sax_fail(s, XLSX_DAMAGED, MSG_DAMAGED, "%s:%lu:%lu: %s", name,
             (unsigned long)XML_GetCurrentLineNumber(p),
             (unsigned long)XML_GetCurrentColumnNumber(p), XML_ErrorString(e));
}

/* Parses a chunk holding NUL bytes, which expat refuses as the part's end:
 * the pieces between them, each NUL reported to the part's nul handler
 * where it stands (or the part refused as damaged).  false when the parse
 * stopped. */
static bool parse_around_nul(XML_Parser p, struct sax *s, const char *name, const char *buf,
                             size_t n)
{
    char *copy = xmalloc(n);    /* buf is expat's own, and XML_Parse refills it */
    memcpy(copy, buf, n);
    bool ok = true;
    for (size_t at = 0; ok && at < n;) {
        const char *z = memchr(copy + at, '\0', n - at);
        size_t len = z ? (size_t)(z - copy) - at : n - at;
        if (len && XML_Parse(p, copy + at, (int)len, XML_FALSE) != XML_STATUS_OK) {
            parse_failed(p, s, name);
            ok = false;
        } else if (z) {
            if (s->nul)
                s->nul(s);
            else
                sax_fail(s, XLSX_DAMAGED, MSG_DAMAGED, "%s: a NUL byte", name);
            ok = !s->failed;
        }
        at += len + (z ? 1 : 0);
    }
    free(copy);
    return ok;
}

static enum part_result read_part(struct xlsx *x, const char *name, struct sax *s)
{
    zip_int64_t idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
    if (idx < 0)
        return PART_MISSING;
    zip_stat_t st;
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0) {
        sax_fail(s, XLSX_DAMAGED, MSG_DAMAGED, "%s: cannot stat", name);
        return PART_FAILED;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > XLSX_MAX_PART) {
        sax_fail(s, XLSX_LIMIT, MSG_BOMB, "%s: %llu bytes uncompressed (at most %u)", name,
                 (unsigned long long)st.size, XLSX_MAX_PART);
        return PART_FAILED;
    }
    uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (!zf) {
        int ze = zip_error_code_zip(zip_get_error(x->za));
        if (ze == ZIP_ER_ENCRNOTSUPP || ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD)
            sax_fail(s, XLSX_PASSWORD, MSG_PASSWORD, "%s: encrypted", name);
        else
            sax_fail(s, XLSX_DAMAGED, MSG_DAMAGED, "%s: %s", name, zip_strerror(x->za));
        return PART_FAILED;
    }
    expat_bytes = 0;
    XML_Parser p = XML_ParserCreate_MM(NULL, &expat_memory, NULL);
    if (!p)
        abort(); /* out of memory, as xmalloc */
    s->p = p;
    XML_SetUserData(p, s);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);

    uint64_t got = 0, since_gt = 0;
    bool utf16 = false;     /* its NUL bytes are half its characters */
    for (;;) {
        /* Inflated straight into expat's buffer (no copy). */
        char *buf = XML_GetBuffer(p, CHUNK);
        if (!buf) {
            sax_fail(s, XLSX_LIMIT, MSG_DAMAGED, "%s: the XML parser needs over %u bytes", name,
                     XLSX_MAX_XML_MEMORY);
            break;
        }
        zip_int64_t n = zip_fread(zf, buf, CHUNK);
        if (n < 0) {
            zip_error_t *ze = zip_file_get_error(zf);
            bool io = zip_error_code_zip(ze) == ZIP_ER_READ || zip_error_code_zip(ze) == ZIP_ER_SEEK;
            sax_fail(s, io ? XLSX_IO : XLSX_DAMAGED, io ? MSG_IO
                                                         : MSG_DAMAGED,
                     "%s: %s", name, zip_file_strerror(zf));
            break;
        }
        got += (uint64_t)n;
        x->total += (uint64_t)n;
        if (got > XLSX_MAX_PART || x->total > XLSX_MAX_TOTAL) {
            if (got > XLSX_MAX_PART)
                sax_fail(s, XLSX_LIMIT, MSG_BOMB, "%s: more than %u bytes uncompressed", name,
                         XLSX_MAX_PART);
            else
                sax_fail(s, XLSX_LIMIT, MSG_BOMB, "%s: the workbook inflates past %u bytes", name,
                         XLSX_MAX_TOTAL);
            break;
        }
        if (got > (1u << 20) && got / XLSX_MAX_RATIO > comp) {
            sax_fail(s, XLSX_LIMIT, MSG_BOMB, "%s: inflates more than %ux (%llu compressed bytes)",
                     name, XLSX_MAX_RATIO, (unsigned long long)comp);
            break;
        }
        if ((st.valid & ZIP_STAT_SIZE) && got > st.size) {
            sax_fail(s, XLSX_DAMAGED, MSG_DAMAGED, "%s: longer than its declared %llu bytes",
                     name, (unsigned long long)st.size);
            break;
        }
        /* Expat keeps an unfinished token (a tag, a comment) whole in its
         * buffer; a tag that never ends would grow it without bound. */
        const char *gt = n ? memrchr(buf, '>', (size_t)n) : NULL;
        since_gt = gt ? (uint64_t)(buf + n - gt - 1) : since_gt + (uint64_t)n;
        if (since_gt > XLSX_MAX_TOKEN) {
            sax_fail(s, XLSX_DAMAGED, MSG_DAMAGED, "%s: an XML token longer than %u bytes", name,
                     XLSX_MAX_TOKEN);
            break;
        }
        if (got == (uint64_t)n && n >= 2) {
            const unsigned char *u = (const unsigned char *)buf;
            utf16 = !u[0] || !u[1] || (u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff);
        }
        if (n > 0 && !utf16 && memchr(buf, '\0', (size_t)n)) {
            if (!parse_around_nul(p, s, name, buf, (size_t)n))
                break;
        } else if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
            parse_failed(p, s, name);
            break;
        }
        if (s->failed || n == 0)
            break;
    }
    XML_ParserFree(p);
    s->p = NULL;
    zip_fclose(zf);
    return s->failed ? PART_FAILED : PART_OK;
}

/* Part names: Target="…" resolved against the folder of the part that
 * holds the relationship ("xl/"), or against the root when it starts with
 * "/"; "%XX" decoded; "." and ".." resolved, never past the root.  Returns
 * a malloc'd name, or NULL when the target escapes or is not a plain path. */
static char *resolve_target(const char *base_dir, const char *target)
{
    if (!target || !*target || strchr(target, '\\') || strstr(target, "://"))
        return NULL;
    struct sbuf raw = {0};
    if (*target != '/')
        sbuf_adds(&raw, base_dir);
    for (const char *t = target; *t; t++) {
        if (*t == '%' && t[1] && t[2]) {
            char hex[3] = {t[1], t[2], 0}, *end;
            long v = strtol(hex, &end, 16);
            if (*end == '\0' && v > 0) {
                sbuf_addc(&raw, (char)v);
                t += 2;
                continue;
            }
        }
        sbuf_addc(&raw, *t);
    }
    /* Segments, with a stack of where each output segment starts. */
    struct sbuf out = {0};
    size_t starts[64], nst = 0;
    bool ok = raw.s && !strchr(raw.s, '\\');
    for (const char *s = raw.s ? raw.s : ""; ok && *s;) {
        const char *e = strchr(s, '/');
        size_t k = e ? (size_t)(e - s) : strlen(s);
        if (k == 0 || (k == 1 && s[0] == '.')) {
            /* nothing */
        } else if (k == 2 && s[0] == '.' && s[1] == '.') {
            if (nst == 0)
                ok = false; /* escapes the archive */
            else
                out.len = starts[--nst];
        } else if (nst == ARRAY_LEN(starts)) {
            ok = false;
        } else {
            starts[nst++] = out.len;
            if (out.len)
                sbuf_addc(&out, '/');
            sbuf_add(&out, s, k);
        }
        s += k + (e ? 1 : 0);
    }
    sbuf_free(&raw);
    if (!ok || out.len == 0) {
        sbuf_free(&out);
        return NULL;
    }
    out.s[out.len] = '\0';
    return sbuf_take(&out);
}

/* The folder of a part, with its slash ("xl/workbook.xml" → "xl/"). */
static char *part_dir(const char *part)
{
    const char *s = strrchr(part, '/');
    return xstrndup(part, s ? (size_t)(s - part + 1) : 0);
}

/* The relationships part of a part ("xl/workbook.xml" → "xl/_rels/workbook.xml.rels"). */
static char *rels_of(const char *part)
{
    const char *s = strrchr(part, '/');
    size_t d = s ? (size_t)(s - part + 1) : 0;
    return xasprintf("%.*s_rels/%s.rels", (int)d, part, part + d);
}

/* ---------------------------------------------------------- relationships */

struct rel {
    char *id, *type, *target;   /* type: the last segment of the Type URI */
};

struct rels {
    struct sax sax;
    const char *base_dir;
    struct rel *v;
    size_t n, cap;
};

static void rels_start(struct sax *s, const char *name, const char **atts)
{
    struct rels *r = (struct rels *)s;
    if (strcmp(name, "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *tgt = attr(atts, "Target");
    const char *mode = attr(atts, "TargetMode");
    if (!id || !type || !tgt || (mode && strcmp(mode, "External") == 0))
        return;
    if (r->n >= XLSX_MAX_ENTRIES) {
        sax_fail(s, XLSX_DAMAGED, MSG_DAMAGED, "more than %u relationships", XLSX_MAX_ENTRIES);
        return;
    }
    const char *slash = strrchr(type, '/');
    char *target = resolve_target(r->base_dir, tgt);
    if (!target) {
        /* Only targets we follow matter; a bad one among them is refused
         * when followed (its id resolves to nothing). */
        if (strstr(tgt, ".."))
            sax_fail(s, XLSX_DAMAGED, MSG_DAMAGED, "relationship target escapes: %.100s", tgt);
        return;
    }
    xgrow(&r->v, &r->cap, r->n + 1, sizeof *r->v);
    r->v[r->n++] = (struct rel){xstrdup(id), xstrdup(slash ? slash + 1 : type), target};
}

static void rels_free(struct rels *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].id);
        free(r->v[i].type);
        free(r->v[i].target);
    }
    free(r->v);
}

/* Reads the relationships of `part` (missing: none). */
static bool read_rels(struct xlsx *x, const char *part, struct rels *r, struct xlsx_error *err)
{
    char *name = rels_of(part);
    char *dir = part_dir(part);
    *r = (struct rels){.sax = {.x = x, .err = err, .start = rels_start, .sheet = -1},
                       .base_dir = dir};
    enum part_result pr = read_part(x, name, &r->sax);
    free(name);
    free(dir);
    r->base_dir = NULL;
    return pr != PART_FAILED;
}

static const struct rel *rel_by_type(const struct rels *r, const char *type)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].type, type) == 0)
            return &r->v[i];
    return NULL;
}

static const struct rel *rel_by_id(const struct rels *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].id, id) == 0)
            return &r->v[i];
    return NULL;
}

/* ---------------------------------------------------------- workbook.xml */

struct wb_sheet {
    char *name, *rid;
    bool hidden;
};

struct workbook {
    struct sax sax;
    bool date1904, in_sheets, seen_workbook;
    struct wb_sheet *v;
    size_t n, cap;
};

static bool attr_true(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

static void wb_start(struct sax *s, const char *name, const char **atts)
{
    struct workbook *w = (struct workbook *)s;
    if (s->depth == 1) {
        w->seen_workbook = strcmp(name, "workbook") == 0;
    } else if (strcmp(name, "workbookPr") == 0) {
        w->date1904 = attr_true(attr(atts, "date1904"));
    } else if (strcmp(name, "sheets") == 0) {
        w->in_sheets = true;
    } else if (w->in_sheets && strcmp(name, "sheet") == 0) {
        const char *nm = attr(atts, "name"), *rid = attr(atts, "id"), *state = attr(atts, "state");
        if (!nm || !rid || strlen(nm) > 255) {
            sax_fail(s, XLSX_DAMAGED, MSG_DAMAGED, "workbook.xml: a sheet without name or r:id");
            return;
        }
        if (w->n >= XLSX_MAX_SHEETS) {
            sax_fail(s, XLSX_LIMIT, "工作簿里的工作表太多（超过256张），请删去不用的工作表",
                     "more than %u sheets", XLSX_MAX_SHEETS);
            return;
        }
        xgrow(&w->v, &w->cap, w->n + 1, sizeof *w->v);
        w->v[w->n++] = (struct wb_sheet){
            xstrdup(nm), xstrdup(rid),
            state && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0)};
    }
}

static void wb_end(struct sax *s, const char *name)
{
    if (strcmp(name, "sheets") == 0)
        ((struct workbook *)s)->in_sheets = false;
}

/* Reads the sheet list: _rels/.rels → workbook part → its relationships. */
static bool read_workbook(struct xlsx *x, struct xlsx_error *err)
{
    struct rels root;
    if (!read_rels(x, "", &root, err)) {
        rels_free(&root);
        return false;
    }
    const struct rel *doc = rel_by_type(&root, "officeDocument");
    char *wbpart = xstrdup(doc ? doc->target : "xl/workbook.xml");
    rels_free(&root);

    struct workbook w = {.sax = {.x = x, .err = err, .start = wb_start, .end = wb_end, .sheet = -1}};
    enum part_result pr = read_part(x, wbpart, &w.sax);
    bool ok = pr == PART_OK;
    if (pr == PART_MISSING || (ok && !w.seen_workbook)) {
        set_err(err, XLSX_NOT_WORKBOOK, MSG_OTHER, "no workbook part (%s)", wbpart);
        ok = false;
    }
    struct rels r = {0};
    if (ok)
        ok = read_rels(x, wbpart, &r, err);
    if (ok && w.n == 0) {
        set_err(err, XLSX_DAMAGED, MSG_DAMAGED, "workbook without sheets");
        ok = false;
    }
    /* Callers find sheets by name: names are non-empty and distinct (as
     * WPS and Excel keep them; they compare without case). */
    for (size_t i = 0; ok && i < w.n; i++) {
        for (size_t j = 0; ok && j < i; j++)
            if (strcasecmp(w.v[i].name, w.v[j].name) == 0) {
                set_err(err, XLSX_DAMAGED, MSG_DAMAGED, "two sheets named %.60s", w.v[i].name);
                ok = false;
            }
        if (ok && !w.v[i].name[0]) {
            set_err(err, XLSX_DAMAGED, MSG_DAMAGED, "a sheet without a name");
            ok = false;
        }
    }
    if (ok) {
        x->date1904 = w.date1904;
        const struct rel *sst = rel_by_type(&r, "sharedStrings");
        const struct rel *sty = rel_by_type(&r, "styles");
        x->sst_part = sst ? xstrdup(sst->target) : NULL;
        x->styles_part = sty ? xstrdup(sty->target) : NULL;
        x->sheets = xcalloc(w.n, sizeof *x->sheets);
        for (size_t i = 0; i < w.n; i++) {
            struct sheet_priv *sp = &x->sheets[x->nsheets++];
            const struct rel *rel = rel_by_id(&r, w.v[i].rid);
            sp->pub.name = w.v[i].name;
            w.v[i].name = NULL;
            sp->pub.hidden = w.v[i].hidden;
            if (!rel) {
                set_err(err, XLSX_DAMAGED, MSG_DAMAGED, "sheet %zu: no relationship %.60s", i + 1,
                        w.v[i].rid);
                place_err(err, x, (int)i, 0, 0);
                ok = false;
                break;
            }
            sp->pub.worksheet = strcmp(rel->type, "worksheet") == 0;
            sp->part = sp->pub.worksheet ? xstrdup(rel->target) : NULL;
        }
    }
    for (size_t i = 0; i < w.n; i++) {
        free(w.v[i].name);
        free(w.v[i].rid);
    }
    free(w.v);
    rels_free(&r);
    free(wbpart);
    return ok;
}

/* ---------------------------------------------------------- open / close */

/* Reads n bytes at off into buf; returns how many it read. */
typedef size_t read_at_fn(void *ctx, uint64_t off, void *buf, size_t n);

static uint64_t le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* The number of entries the archive's end record declares (zip64 too),
 * looked up before libzip loads the whole central directory: a 64 MB file
 * could declare millions of tiny entries.  False when there is no end
 * record (libzip then finds the file damaged). */
static bool declared_entries(read_at_fn *rd, void *ctx, uint64_t size, uint64_t *count)
{
    size_t n = size < 65557 ? (size_t)size : 65557; /* record + longest comment */
    unsigned char *tail = xmalloc(n ? n : 1);
    bool found = false;
    if (n >= 22 && rd(ctx, size - n, tail, n) == n) {
        for (size_t i = n - 22 + 1; i-- > 0 && !found;) {
            if (memcmp(tail + i, "PK\5\6", 4) != 0)
                continue;
            found = true;
            *count = le(tail + i + 10, 2);
            if (*count == 0xffff && i >= 20 && memcmp(tail + i - 20, "PK\6\7", 4) == 0) {
                uint64_t off = le(tail + i - 20 + 8, 8);
                unsigned char z[56];
                if (off <= size - sizeof z && rd(ctx, off, z, sizeof z) == sizeof z &&
                    memcmp(z, "PK\6\6", 4) == 0)
                    *count = le(z + 32, 8);
            }
        }
    }
    free(tail);
    return found;
}

struct mem {
    const unsigned char *data;
    size_t len;
};

static size_t mem_read_at(void *ctx, uint64_t off, void *buf, size_t n)
{
    struct mem *m = ctx;
    if (off > m->len)
        return 0;
    if (n > m->len - off)
        n = (size_t)(m->len - off);
    memcpy(buf, m->data + off, n);
    return n;
}

static size_t fd_read_at(void *ctx, uint64_t off, void *buf, size_t n)
{
    int fd = *(int *)ctx;
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

static bool check_declared(read_at_fn *rd, void *ctx, uint64_t size, struct xlsx_error *err)
{
    uint64_t count;
    if (!declared_entries(rd, ctx, size, &count) || count <= XLSX_MAX_ENTRIES)
        return true;
    set_err(err, XLSX_LIMIT, MSG_DAMAGED, "the archive declares %llu entries (at most %u)",
            (unsigned long long)count, XLSX_MAX_ENTRIES);
    return false;
}

static struct xlsx *open_zip(zip_t *za, struct xlsx_error *err)
{
    if (!check_entries(za, err)) {
        zip_discard(za);
        return NULL;
    }
    struct xlsx *x = xcalloc(1, sizeof *x);
    x->za = za;
    x->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (x->c_locale == (locale_t)0)
        abort();
    if (!read_workbook(x, err)) {
        xlsx_close(x);
        return NULL;
    }
    return x;
}

static void zip_open_err(int code, struct xlsx_error *err)
{
    zip_error_t ze;
    zip_error_init_with_code(&ze, code);
    if (code == ZIP_ER_READ || code == ZIP_ER_SEEK || code == ZIP_ER_OPEN)
        set_err(err, XLSX_IO, MSG_IO, "zip: %s",
                zip_error_strerror(&ze));
    else
        set_err(err, XLSX_DAMAGED, MSG_DAMAGED, "zip: %s", zip_error_strerror(&ze));
    zip_error_fini(&ze);
}

static bool check_size(uint64_t len, struct xlsx_error *err)
{
    if (len <= XLSX_MAX_BYTES)
        return true;
    set_err(err, XLSX_LIMIT, "表格文件太大（超过64 MB）。请删去表格里的图片和不用的工作表后重新保存",
            "%llu bytes (at most %u)", (unsigned long long)len, XLSX_MAX_BYTES);
    return false;
}

struct xlsx *xlsx_open_mem(const void *data, size_t len, struct xlsx_error *err)
{
    if (err)
        *err = (struct xlsx_error){.sheet = -1};
    if (!check_size(len, err))
        return NULL;
    if (refuse_format(xlsx_sniff(data, len), data, len, err))
        return NULL;
    struct mem m = {data, len};
    if (!check_declared(mem_read_at, &m, len, err))
        return NULL;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    if (!za) {
        if (src)
            zip_source_free(src);
        zip_open_err(zip_error_code_zip(&ze), err);
        zip_error_fini(&ze);
        return NULL;
    }
    zip_error_fini(&ze);
    return open_zip(za, err);
}

struct xlsx *xlsx_open_fd(int fd, struct xlsx_error *err)
{
    if (err)
        *err = (struct xlsx_error){.sheet = -1};
    struct stat st;
    if (fstat(fd, &st) != 0) {
        set_err(err, XLSX_IO, MSG_IO, "fstat: %s", strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        set_err(err, XLSX_IO, MSG_IO, "not a regular file");
        return NULL;
    }
    if (!check_size((uint64_t)st.st_size, err))
        return NULL;
    unsigned char head[4096];
    ssize_t n = pread(fd, head, sizeof head, 0);
    if (n < 0) {
        set_err(err, XLSX_IO, MSG_IO, "read: %s",
                strerror(errno));
        return NULL;
    }
    enum xlsx_format f = xlsx_sniff(head, (size_t)n);
    if (f == XLSX_FORMAT_OLE2) {
        /* Rare: read it all (within the size cap) to look for encryption. */
        size_t len = (size_t)st.st_size;
        unsigned char *all = xmalloc(len ? len : 1);
        refuse_format(f, all, fd_read_at(&fd, 0, all, len), err);
        free(all);
        return NULL;
    }
    if (refuse_format(f, NULL, 0, err))
        return NULL;
    if (!check_declared(fd_read_at, &fd, (uint64_t)st.st_size, err))
        return NULL;
    /* zip_fdopen closes the descriptor it is given (on success), so it gets
     * a duplicate; the duplicate shares the file offset. */
    int dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (dupfd < 0) {
        set_err(err, XLSX_IO, MSG_IO, "dup: %s",
                strerror(errno));
        return NULL;
    }
    int code = 0;
    zip_t *za = zip_fdopen(dupfd, ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!za) {
        close(dupfd);
        zip_open_err(code, err);
        return NULL;
    }
    return open_zip(za, err);
}

void xlsx_close(struct xlsx *x)
{
    if (!x)
        return;
    if (x->za)
        zip_discard(x->za);
    for (size_t i = 0; i < x->nsheets; i++) {
        free((char *)x->sheets[i].pub.name);
        free(x->sheets[i].part);
    }
    free(x->sheets);
    free(x->sst_part);
    free(x->styles_part);
    sbuf_free(&x->pool);
    free(x->sst);
    free(x->xf_class);
    if (x->c_locale != (locale_t)0)
        freelocale(x->c_locale);
    free(x);
}

size_t xlsx_nsheets(const struct xlsx *x)
{
    return x->nsheets;
}

const struct xlsx_sheet *xlsx_sheet(const struct xlsx *x, size_t i)
{
    return i < x->nsheets ? &x->sheets[i].pub : NULL;
}

bool xlsx_date1904(const struct xlsx *x)
{
    return x->date1904;
}

/* ---------------------------------------------------------- text */

/* "_xHHHH_" at s[0..n): the code unit, or -1. */
static long xescape(const char *s, size_t n)
{
    if (n < 7 || s[0] != '_' || (s[1] != 'x' && s[1] != 'X') || s[6] != '_')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hex_digit(s[i]);
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

static bool is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Turns the text of one <t> (s[0..n), in place) into what a spreadsheet
 * shows: edges trimmed unless xml:space="preserve" (Excel trims them),
 * "_xHHHH_" escapes decoded (how OOXML stores control characters; a
 * surrogate pair is two escapes; U+0000 is dropped), CR and CRLF → "\n".
 * Returns the new length. */
static size_t clean_text(char *s, size_t n, bool preserve)
{
    size_t a = 0;
    if (!preserve) {
        while (a < n && is_xml_space(s[a]))
            a++;
        while (n > a && is_xml_space(s[n - 1]))
            n--;
    }
    size_t w = 0;
    for (size_t i = a; i < n;) {
        long u = s[i] == '_' ? xescape(s + i, n - i) : -1;
        if (u < 0) {
            s[w++] = s[i++];
            continue;
        }
        uint32_t cp = (uint32_t)u;
        size_t used = 7;
        if (cp >= 0xd800 && cp <= 0xdbff) {
            long lo = xescape(s + i + 7, n - i - 7);
            if (lo < 0xdc00 || lo > 0xdfff) {
                s[w++] = s[i++]; /* a lone surrogate stays as written */
                continue;
            }
            cp = 0x10000 + ((cp - 0xd800) << 10) + ((uint32_t)lo - 0xdc00);
            used = 14;
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            s[w++] = s[i++];
            continue;
        }
        i += used;
        if (cp == 0)
            continue;
        struct sbuf e = {0};
        utf8_encode(&e, cp);
        memcpy(s + w, e.s, e.len); /* at most 4 bytes for 7 read */
        w += e.len;
        sbuf_free(&e);
    }
    size_t o = 0;
    for (size_t i = 0; i < w; i++) {
        if (s[i] == '\r') {
            s[o++] = '\n';
            if (i + 1 < w && s[i + 1] == '\n')
                i++;
        } else {
            s[o++] = s[i];
        }
    }
    return o;
}

/* Strict unsigned decimal (what an index or a row number is). */
static bool parse_u32(const char *s, uint32_t *out)
{
    uint64_t v = 0;
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > UINT32_MAX)
            return false;
    }
    *out = (uint32_t)v;
    return true;
}

/* "C5" → column 3, row 5.  Letters upper or lower case; at most XFD1048576.
 * With want_row false, a bare column ("C") is accepted and *row is 0. */
static bool parse_ref(const char *s, uint32_t *col, uint32_t *row)
{
    uint32_t c = 0, r = 0;
    size_t nl = 0, nd = 0;
    for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++, nl++) {
        if (nl == 3)
            return false;
        c = c * 26 + (uint32_t)((*s | 0x20) - 'a' + 1);
    }
    for (; *s >= '0' && *s <= '9'; s++, nd++) {
        if (nd == 7 || (nd == 0 && *s == '0'))
            return false;
        r = r * 10 + (uint32_t)(*s - '0');
    }
    if (*s || nl == 0 || nd == 0 || c > 16384 || r > 1048576)
        return false;
    *col = c;
    *row = r;
    return true;
}

/* ---------------------------------------------------------- numbers */

/* A number as OOXML writes it: [-+]digits[.digits][(e|E)[-+]digits]
 * (strtod alone would take "inf", "nan" and hex). */
static bool parse_number(const char *s, locale_t loc, double *out)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    size_t nd = 0, frac = 0;
    uint64_t m = 0;
    for (; *p >= '0' && *p <= '9'; p++, nd++)
        m = m * 10 + (uint64_t)(*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, nd++, frac++)
            m = m * 10 + (uint64_t)(*p - '0');
    if (nd == 0)
        return false;
    bool exp = *p == 'e' || *p == 'E';
    if (exp) {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p)
        return false;
    if (!exp && nd <= 15) {
        /* Clinger's fast path: at most 15 digits over a power of ten up to
         * 1e15 are exact doubles, so one division rounds as strtod does. */
        static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
        double v = (double)m / pow10[frac];
        *out = *s == '-' ? -v : v;
        return true;
    }
    double v = strtod_l(s, NULL, loc);
    if (!isfinite(v))
        return false;
    *out = v;
    return true;
}

/* ---------------------------------------------------------- styles.xml */

struct custom_fmt {
    uint32_t id;
    uint8_t cls;
};

static int cmp_fmt(const void *a, const void *b)
{
    uint32_t x = ((const struct custom_fmt *)a)->id, y = ((const struct custom_fmt *)b)->id;
    return x < y ? -1 : x > y;
}

struct styles {
    struct sax sax;
    bool in_numfmts, in_xfs;
    struct custom_fmt *fmts;
    size_t nfmts, cap_fmts;
    uint32_t *xf_ids;
    size_t nxf, cap_xf;
};

#define STYLES_MAX 65536u /* cell formats and number formats (Excel: 64,000) */

static void styles_start(struct sax *s, const char *name, const char **atts)
{
    struct styles *st = (struct styles *)s;
    if (strcmp(name, "numFmts") == 0) {
        st->in_numfmts = true;
    } else if (strcmp(name, "cellXfs") == 0) {
        st->in_xfs = true;
    } else if (st->in_numfmts && strcmp(name, "numFmt") == 0) {
        uint32_t id;
        const char *code = attr(atts, "formatCode");
        if (code && parse_u32(attr(atts, "numFmtId"), &id) && st->nfmts < STYLES_MAX) {
            xgrow(&st->fmts, &st->cap_fmts, st->nfmts + 1, sizeof *st->fmts);
            st->fmts[st->nfmts++] = (struct custom_fmt){id, (uint8_t)numfmt_classify(code)};
        }
    } else if (st->in_xfs && strcmp(name, "xf") == 0) {
        uint32_t id = 0;
        const char *v = attr(atts, "numFmtId");
        if (v && !parse_u32(v, &id))
            id = 0;
        if (st->nxf < STYLES_MAX) {
            xgrow(&st->xf_ids, &st->cap_xf, st->nxf + 1, sizeof *st->xf_ids);
            st->xf_ids[st->nxf++] = id;
        }
    }
}

static void styles_end(struct sax *s, const char *name)
{
    struct styles *st = (struct styles *)s;
    if (strcmp(name, "numFmts") == 0)
        st->in_numfmts = false;
    else if (strcmp(name, "cellXfs") == 0)
        st->in_xfs = false;
}

/* ---------------------------------------------------------- sharedStrings.xml */

struct sst_reader {
    struct sax sax;
    bool in_si, in_t, in_rph, preserve, long_si;
    bool nul_si;            /* the string holds a NUL: refused at a cell using it */
    size_t si_start, t_start;
};

/* Raw text kept per string: more than the cell limit even after every
 * _xHHHH_ escape and trimmed space, so a cut string is always too long. */
#define SST_RAW_CAP ((size_t)CSV_MAX_CELL * 8)

static void sst_start(struct sax *s, const char *name, const char **atts)
{
    struct sst_reader *r = (struct sst_reader *)s;
    struct xlsx *x = s->x;
    if (strcmp(name, "si") == 0) {
        if (x->nsst >= XLSX_MAX_STRINGS) {
            sax_fail(s, XLSX_LIMIT, "表格里不同的文字太多（超过200万条），请删去不用的内容或工作表",
                     "more than %u shared strings", XLSX_MAX_STRINGS);
            return;
        }
        r->in_si = true;
        r->long_si = r->nul_si = false;
        r->si_start = x->pool.len;
    } else if (strcmp(name, "rPh") == 0) {
        r->in_rph = true; /* phonetic guide (ruby): not part of the text */
    } else if (strcmp(name, "t") == 0 && r->in_si && !r->in_rph) {
        const char *sp = attr(atts, "space");
        r->in_t = true;
        r->preserve = sp && strcmp(sp, "preserve") == 0;
        r->t_start = x->pool.len;
    }
}

static void sst_text(struct sax *s, const char *t, size_t n)
{
    struct sst_reader *r = (struct sst_reader *)s;
    struct xlsx *x = s->x;
    if (!r->in_t)
        return;
    if (x->pool.len - r->si_start + n > SST_RAW_CAP) {
        r->long_si = true;
        return;
    }
    sbuf_add(&x->pool, t, n);
}

static void sst_end(struct sax *s, const char *name)
{
    struct sst_reader *r = (struct sst_reader *)s;
    struct xlsx *x = s->x;
    if (strcmp(name, "t") == 0 && r->in_t) {
        r->in_t = false;
        x->pool.len = r->t_start + clean_text(x->pool.s ? x->pool.s + r->t_start : NULL,
                                              x->pool.len - r->t_start, r->preserve);
    } else if (strcmp(name, "rPh") == 0) {
        r->in_rph = false;
    } else if (strcmp(name, "si") == 0 && r->in_si) {
        r->in_si = false;
        size_t len = x->pool.len - r->si_start;
        if (len > CSV_MAX_CELL)
            r->long_si = true;
        if (x->pool.len > UINT32_MAX - 1) {
            sax_fail(s, XLSX_LIMIT, MSG_BOMB, "shared strings over 4 GB");
            return;
        }
        xgrow(&x->sst, &x->cap_sst, x->nsst + 1, sizeof *x->sst);
        x->sst[x->nsst++] = (struct sst_ent){(uint32_t)r->si_start,
                                             r->nul_si    ? SST_NUL
                                             : r->long_si ? SST_TOO_LONG
                                                          : (uint32_t)len};
        sbuf_addc(&x->pool, '\0');
    }
}

/* A NUL in a shared string: said at the cell that shows it (the list of
 * strings has no place staff could find). */
static void sst_nul(struct sax *s)
{
    struct sst_reader *r = (struct sst_reader *)s;
    if (r->in_si)
        r->nul_si = true;
    else
        sax_fail(s, XLSX_DAMAGED, MSG_DAMAGED, "shared strings: a NUL byte between strings");
}

/* Loads shared strings and cell formats once (both optional parts). */
static bool load_common(struct xlsx *x, struct xlsx_error *err)
{
    if (x->loaded)
        return true;
    if (x->sst_part) {
        struct sst_reader r = {.sax = {.x = x, .err = err, .start = sst_start, .end = sst_end,
                                       .text = sst_text, .nul = sst_nul, .sheet = -1}};
        if (read_part(x, x->sst_part, &r.sax) == PART_FAILED)
            return false;
    }
    if (x->styles_part) {
        struct styles st = {.sax = {.x = x, .err = err, .start = styles_start, .end = styles_end,
                                    .sheet = -1}};
        bool ok = read_part(x, x->styles_part, &st.sax) != PART_FAILED;
        if (ok) {
            x->xf_class = xcalloc(st.nxf, 1);
            x->nxf = st.nxf;
            /* Sorted, so 65,536 formats of 65,536 cell styles cost no more
             * than a few: a custom format overrides a built-in id. */
            if (st.nfmts)
                qsort(st.fmts, st.nfmts, sizeof *st.fmts, cmp_fmt);
            for (size_t i = 0; i < st.nxf; i++) {
                struct custom_fmt key = {st.xf_ids[i], 0};
                const struct custom_fmt *f =
                    st.nfmts ? bsearch(&key, st.fmts, st.nfmts, sizeof *st.fmts, cmp_fmt) : NULL;
                x->xf_class[i] = f ? f->cls : (uint8_t)numfmt_builtin(st.xf_ids[i]);
            }
        }
        free(st.fmts);
        free(st.xf_ids);
        if (!ok)
            return false;
    }
    x->loaded = true;
    return true;
}

/* ---------------------------------------------------------- worksheets */

struct merge {
    uint32_t r1, c1, r2, c2;
};

struct ws {
    struct sax sax;
    struct table_builder b;
    bool in_data, in_row, in_c, in_v, in_is, in_t, in_rph, t_preserve;
    bool row_data;          /* the row has a non-empty cell */
    bool val_long;          /* val passed the raw cap */
    bool has_f, has_v, has_is;
    uint32_t last_row;      /* row number of the previous <row> (0 before the first) */
    uint32_t last_col;      /* column of the previous cell in the row */
    char ctype;             /* 's', 'S' (str), 'i' (inlineStr), 'n', 'b', 'e', 'd' */
    uint32_t cstyle;
    size_t t_start;
    struct sbuf val;        /* <v> text, or the inline string */
    struct merge *merges;
    size_t nmerges, cap_merges;
};

static void ws_fail(struct ws *w, enum xlsx_fail f, const char *msg, const char *fmt, ...)
    NB_PRINTF(4, 5);
static void ws_fail(struct ws *w, enum xlsx_fail f, const char *msg, const char *fmt, ...)
{
    char d[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d, sizeof d, fmt, ap);
    va_end(ap);
    sax_fail(&w->sax, f, msg, "%s", d);
}

static void ws_row_start(struct ws *w, const char **atts)
{
    const char *r = attr(atts, "r");
    uint32_t n;
    if (r) {
        if (!parse_u32(r, &n) || n == 0 || n > 1048576) {
            ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "bad row number \"%.20s\"", r);
            return;
        }
        if (n <= w->last_row) {
            w->sax.row = n;
            ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "row %u after row %u", n, w->last_row);
            return;
        }
    } else {
        n = w->last_row + 1;
        if (n > 1048576) {
            ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "more than 1048576 rows");
            return;
        }
    }
    w->in_row = true;
    w->last_row = n;
    w->last_col = 0;
    w->row_data = false;
    w->sax.row = n;
    w->sax.col = 0;
}

static void ws_cell_start(struct ws *w, const char **atts)
{
    /* One pass over the attributes: this runs for every cell. */
    const char *r = NULL, *t = NULL, *s = NULL;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *n = atts[i];
        if (n[0] && !n[1]) {
            if (n[0] == 'r')
                r = atts[i + 1];
            else if (n[0] == 't')
                t = atts[i + 1];
            else if (n[0] == 's')
                s = atts[i + 1];
        } else if (strchr(n, ':')) {
            const char *l = local_name(n);
            if (strcmp(l, "r") == 0)
                r = atts[i + 1];
            else if (strcmp(l, "t") == 0)
                t = atts[i + 1];
            else if (strcmp(l, "s") == 0)
                s = atts[i + 1];
        }
    }
    uint32_t col, row;
    if (r) {
        if (!parse_ref(r, &col, &row) || row != w->last_row) {
            ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "bad cell reference \"%.20s\" in row %u", r,
                    w->last_row);
            return;
        }
        if (col <= w->last_col) {
            w->sax.col = col;
            ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "cell %.20s after column %u", r, w->last_col);
            return;
        }
    } else {
        col = w->last_col + 1;
        if (col > 16384) {
            ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "more than 16384 columns");
            return;
        }
    }
    w->sax.col = col;
    w->last_col = col;
    if (!t || strcmp(t, "n") == 0)
        w->ctype = 'n';
    else if (strcmp(t, "s") == 0)
        w->ctype = 's';
    else if (strcmp(t, "str") == 0)
        w->ctype = 'S';
    else if (strcmp(t, "inlineStr") == 0)
        w->ctype = 'i';
    else if (strcmp(t, "b") == 0 || strcmp(t, "e") == 0 || strcmp(t, "d") == 0)
        w->ctype = t[0];
    else {
        ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "unknown cell type t=\"%.20s\"", t);
        return;
    }
    w->cstyle = UINT32_MAX;
    if (s && !parse_u32(s, &w->cstyle))
        w->cstyle = UINT32_MAX;
    w->in_c = true;
    w->has_f = w->has_v = w->has_is = w->val_long = false;
    w->val.len = 0;
    if (w->val.s)
        w->val.s[0] = '\0';
}

/* A NUL in a cell is said there; elsewhere the sheet is damaged. */
static void ws_nul(struct sax *s)
{
    struct ws *w = (struct ws *)s;
    if (w->in_c)
        ws_fail(w, XLSX_DAMAGED, MSG_NUL, "a NUL character in the cell");
    else
        ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "a NUL character between cells");
}

/* Appends text to the cell's value, up to the raw cap (see SST_RAW_CAP). */
static void ws_text(struct sax *s, const char *t, size_t n)
{
    struct ws *w = (struct ws *)s;
    if (!w->in_v && !w->in_t)
        return;
    if (w->val.len + n > SST_RAW_CAP) {
        w->val_long = true;
        return;
    }
    sbuf_add(&w->val, t, n);
}

static void trim_val(struct sbuf *v)
{
    size_t a = 0, n = v->len;
    while (a < n && is_xml_space(v->s[a]))
        a++;
    while (n > a && is_xml_space(v->s[n - 1]))
        n--;
    memmove(v->s, v->s + a, n - a);
    v->len = n - a;
    v->s[v->len] = '\0';
}

static const char MSG_CELL_LONG[] = "单元格内容过长（超过64 KB），请把内容缩短";

/* The cell's text and type into the builder's text; false on failure. */
static bool cell_value(struct ws *w, enum cell_type *type)
{
    struct xlsx *x = w->sax.x;
    struct sbuf *out = &w->b.text;
    struct sbuf *v = &w->val;
    *type = CELL_TEXT;
    if (w->val_long) {
        ws_fail(w, XLSX_LIMIT, MSG_CELL_LONG, "cell over %u bytes", CSV_MAX_CELL);
        return false;
    }
    if (!v->s || (w->ctype == 'i' ? !w->has_is : !w->has_v))
        return true; /* empty (a formula never calculated, a styled blank) */
    if (w->ctype != 'i' && w->ctype != 'S')
        trim_val(v);
    enum numfmt_class fc = w->cstyle < x->nxf ? (enum numfmt_class)x->xf_class[w->cstyle] : NUMFMT_NONE;
    switch (w->ctype) {
    case 's': {
        uint32_t i;
        if (!parse_u32(v->s, &i) || i >= x->nsst) {
            ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "shared string index \"%.20s\" of %zu", v->s,
                    x->nsst);
            return false;
        }
        if (x->sst[i].len == SST_NUL) {
            ws_fail(w, XLSX_DAMAGED, MSG_NUL, "shared string %u holds a NUL character", i);
            return false;
        }
        if (x->sst[i].len == SST_TOO_LONG) {
            ws_fail(w, XLSX_LIMIT, MSG_CELL_LONG, "shared string %u over %u bytes", i,
                    CSV_MAX_CELL);
            return false;
        }
        sbuf_add(out, x->pool.s + x->sst[i].off, x->sst[i].len);
        return true;
    }
    case 'S':
        v->len = clean_text(v->s, v->len, true);
        sbuf_add(out, v->s, v->len);
        return true;
    case 'i':
        sbuf_add(out, v->s, v->len);
        return true;
    case 'b':
        if (strcmp(v->s, "1") != 0 && strcmp(v->s, "0") != 0 && strcmp(v->s, "true") != 0 &&
            strcmp(v->s, "false") != 0) {
            ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "boolean \"%.20s\"", v->s);
            return false;
        }
        sbuf_adds(out, v->s[0] == '1' || v->s[0] == 't' ? "TRUE" : "FALSE");
        *type = CELL_BOOL;
        return true;
    case 'e':
        sbuf_add(out, v->s, v->len);
        *type = CELL_ERROR;
        return true;
    case 'd': {
        int t = numfmt_iso(out, v->s, fc);
        if (t < 0)
            sbuf_add(out, v->s, v->len); /* not ISO 8601: kept as text */
        else
            *type = (enum cell_type)t;
        return true;
    }
    default: {
        double d;
        if (v->len == 0)
            return true;
        if (!parse_number(v->s, x->c_locale, &d)) {
            ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "number \"%.20s\"", v->s);
            return false;
        }
        *type = numfmt_serial(out, d, fc, x->date1904);
        return true;
    }
    }
}

static const char MSG_COLUMNS[] = "这一格超出了每行最多64列的范围（第64列是 BL 列），请把内容移到前面的列";

static void ws_cell_end(struct ws *w)
{
    w->in_c = false;
    uint32_t col = w->sax.col;
    struct table_builder *b = &w->b;
    /* The value goes straight into the builder's text; a cell past the
     * last column is measured there and taken back. */
    size_t mark = b->text.len;
    enum cell_type type;
    if (!cell_value(w, &type))
        return;
    size_t len = b->text.len - mark;
    unsigned flags = w->has_f ? CELL_FORMULA : 0;
    if (len > CSV_MAX_CELL) {
        ws_fail(w, XLSX_LIMIT, MSG_CELL_LONG, "cell over %u bytes", CSV_MAX_CELL);
        return;
    }
    /* A shared string is stored once and may be used by every cell: the
     * sheet's text is capped like a CSV file's, whatever the file's size. */
    if (b->text.len > XLSX_MAX_TEXT) {
        ws_fail(w, XLSX_LIMIT, "这张工作表的文字太多（超过64 MB），请删去不用的内容或拆成几张表",
                "more than %u bytes of text in the sheet", XLSX_MAX_TEXT);
        return;
    }
    if (col > CSV_MAX_CELLS) {
        b->text.len = mark;
        if (len)
            ws_fail(w, XLSX_LIMIT, MSG_COLUMNS, "a value in column %u (at most %u)", col,
                    CSV_MAX_CELLS);
        return;
    }
    if (len == 0 && !flags)
        return; /* gaps are filled when a later cell needs them */
    if (len)
        w->row_data = true;
    /* Pad the gap before this cell with empty ones; the value appended
     * above moves after them. */
    size_t have = table_row_cells(b);
    if (have + 1 < col) {
        char *val = len ? xstrndup(b->text.s + mark, len) : NULL;
        b->text.len = mark;
        for (size_t c = have + 1; c < col; c++) {
            table_begin_cell(b);
            table_end_cell(b, w->sax.row, (uint32_t)c, CELL_TEXT, 0);
        }
        table_begin_cell(b);
        if (len)
            sbuf_add(&b->text, val, len);
        free(val);
    } else {
        b->cell_start = mark;
    }
    table_end_cell(b, w->sax.row, col, type, flags);
}

static void ws_row_end(struct ws *w)
{
    w->in_row = false;
    if (!w->row_data) {
        table_drop_row(&w->b);
        return;
    }
    if (w->b.nrows > CSV_MAX_ROWS) { /* header + CSV_MAX_ROWS data rows */
        w->sax.col = 0;
        ws_fail(w, XLSX_LIMIT, "行数超过上限100000行，请删去不再需要的行", "more than %u rows",
                CSV_MAX_ROWS);
        return;
    }
    table_end_row(&w->b, w->sax.row, w->sax.row);
}

static void ws_merge(struct ws *w, const char *ref)
{
    uint32_t c1, r1, c2, r2;
    const char *colon = ref ? strchr(ref, ':') : NULL;
    char a[16];
    if (!colon || (size_t)(colon - ref) >= sizeof a) {
        if (ref && parse_ref(ref, &c1, &r1))
            return; /* a single cell: nothing covered */
        ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "bad merged range \"%.30s\"", ref ? ref : "");
        return;
    }
    memcpy(a, ref, (size_t)(colon - ref));
    a[colon - ref] = '\0';
    if (!parse_ref(a, &c1, &r1) || !parse_ref(colon + 1, &c2, &r2)) {
        ws_fail(w, XLSX_DAMAGED, MSG_DAMAGED, "bad merged range \"%.30s\"", ref);
        return;
    }
    if (w->nmerges >= XLSX_MAX_MERGES) {
        ws_fail(w, XLSX_LIMIT, "这张工作表里合并的单元格太多（超过20000处），请取消不必要的合并",
                "more than %u merged ranges", XLSX_MAX_MERGES);
        return;
    }
    struct merge m = {r1 < r2 ? r1 : r2, c1 < c2 ? c1 : c2, r1 < r2 ? r2 : r1, c1 < c2 ? c2 : c1};
    if (m.c1 > CSV_MAX_CELLS)
        return;
    xgrow(&w->merges, &w->cap_merges, w->nmerges + 1, sizeof *w->merges);
    w->merges[w->nmerges++] = m;
}

static void ws_start(struct sax *s, const char *name, const char **atts)
{
    struct ws *w = (struct ws *)s;
    if (w->in_c) {
        if (strcmp(name, "v") == 0) {
            w->in_v = true;
            w->has_v = true;
        } else if (strcmp(name, "f") == 0) {
            w->has_f = true;
        } else if (strcmp(name, "is") == 0) {
            w->in_is = true;
            w->has_is = true;
        } else if (strcmp(name, "rPh") == 0) {
            w->in_rph = true;
        } else if (w->in_is && !w->in_rph && strcmp(name, "t") == 0) {
            const char *sp = attr(atts, "space");
            w->in_t = true;
            w->t_preserve = sp && strcmp(sp, "preserve") == 0;
            w->t_start = w->val.len;
        }
    } else if (w->in_row) {
        if (strcmp(name, "c") == 0)
            ws_cell_start(w, atts);
    } else if (w->in_data) {
        if (strcmp(name, "row") == 0)
            ws_row_start(w, atts);
    } else if (strcmp(name, "sheetData") == 0) {
        w->in_data = true;
    } else if (strcmp(name, "mergeCell") == 0) {
        ws_merge(w, attr(atts, "ref"));
    }
}

static void ws_end(struct sax *s, const char *name)
{
    struct ws *w = (struct ws *)s;
    if (w->in_c) {
        if (strcmp(name, "v") == 0) {
            w->in_v = false;
        } else if (strcmp(name, "is") == 0) {
            w->in_is = false;
        } else if (strcmp(name, "rPh") == 0) {
            w->in_rph = false;
        } else if (w->in_t && strcmp(name, "t") == 0) {
            w->in_t = false;
            if (!w->val_long)
                w->val.len = w->t_start + clean_text(w->val.s ? w->val.s + w->t_start : NULL,
                                                     w->val.len - w->t_start, w->t_preserve);
        } else if (strcmp(name, "c") == 0) {
            ws_cell_end(w);
        }
    } else if (w->in_row) {
        if (strcmp(name, "row") == 0)
            ws_row_end(w);
    } else if (w->in_data && strcmp(name, "sheetData") == 0) {
        w->in_data = false;
        w->sax.row = w->sax.col = 0; /* what follows is about the whole sheet */
    }
}

/* Covered rows of one column, as disjoint sorted intervals. */
struct span {
    uint32_t col, r1, r2;
};

static int cmp_span(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->r1 < y->r1 ? -1 : x->r1 > y->r1;
}

/* Applies merged ranges to a finished table: every cell a range covers
 * (all but its top-left) becomes an empty CELL_MERGED cell, rows are
 * widened to their covered cells, and rows left without a value dropped.
 * Returns the new table (t is freed); for that moment both are in memory.
 * Ranges become per-column sorted row intervals, so the pass is
 * rows x 64 whatever the ranges (overlapping, huge). */
static struct table *apply_merges(struct table *t, const struct merge *m, size_t nm)
{
    struct span *sp = NULL;
    size_t ns = 0, cap = 0;
    for (size_t i = 0; i < nm; i++) {
        uint32_t c2 = m[i].c2 < CSV_MAX_CELLS ? m[i].c2 : CSV_MAX_CELLS;
        for (uint32_t c = m[i].c1; c <= c2; c++) {
            uint32_t r1 = c == m[i].c1 ? m[i].r1 + 1 : m[i].r1;
            if (r1 > m[i].r2)
                continue;
            xgrow(&sp, &cap, ns + 1, sizeof *sp);
            sp[ns++] = (struct span){c, r1, m[i].r2};
        }
    }
    if (ns)
        qsort(sp, ns, sizeof *sp, cmp_span);
    /* Merge overlapping intervals of a column. */
    size_t k = 0;
    for (size_t i = 0; i < ns; i++) {
        if (k && sp[k - 1].col == sp[i].col && sp[i].r1 <= sp[k - 1].r2) {
            if (sp[i].r2 > sp[k - 1].r2)
                sp[k - 1].r2 = sp[i].r2;
        } else {
            sp[k++] = sp[i];
        }
    }
    ns = k;
    /* pos[c]: the next interval of column c (spans are sorted by column). */
    size_t pos[CSV_MAX_CELLS + 1], i = 0;
    for (uint32_t c = 0; c <= CSV_MAX_CELLS; c++) {
        while (i < ns && sp[i].col < c)
            i++;
        pos[c] = i;
    }

    struct table_builder b = {0};
    for (size_t r = 0; r < t->nrows; r++) {
        const struct table_row *row = &t->rows[r];
        uint32_t rn = row->sheet_row;
        uint64_t covered = 0;
        uint32_t width = row->ncells;
        for (uint32_t c = 1; c <= CSV_MAX_CELLS; c++) {
            while (pos[c] < ns && sp[pos[c]].col == c && sp[pos[c]].r2 < rn)
                pos[c]++;
            if (pos[c] < ns && sp[pos[c]].col == c && sp[pos[c]].r1 <= rn) {
                covered |= 1ull << (c - 1);
                if (c > width)
                    width = c;
            }
        }
        bool data = false;
        for (uint32_t c = 1; c <= width; c++) {
            table_begin_cell(&b);
            if (covered & (1ull << (c - 1))) {
                table_end_cell(&b, rn, c, CELL_TEXT, CELL_MERGED);
            } else if (c <= row->ncells) {
                const struct table_cell *cell = &row->cells[c - 1];
                sbuf_add(&b.text, cell->text, cell->len);
                table_end_cell(&b, rn, c, (enum cell_type)cell->type, cell->flags);
                data |= cell->len > 0;
            } else {
                table_end_cell(&b, rn, c, CELL_TEXT, 0);
            }
        }
        if (data)
            table_end_row(&b, row->line, rn);
        else
            table_drop_row(&b);
    }
    free(sp);
    table_destroy(t);
    return table_finish(&b);
}

struct table *xlsx_read_sheet(struct xlsx *x, size_t i, struct xlsx_error *err)
{
    if (err)
        *err = (struct xlsx_error){.sheet = -1};
    if (i >= x->nsheets) {
        set_err(err, XLSX_DAMAGED, MSG_DAMAGED, "no sheet %zu", i);
        return NULL;
    }
    if (!x->sheets[i].part) {
        struct table_builder b = {0};
        return table_finish(&b);
    }
    if (!load_common(x, err))
        return NULL;
    struct ws w = {.sax = {.x = x, .err = err, .start = ws_start, .end = ws_end,
                           .text = ws_text, .nul = ws_nul, .sheet = (int)i}};
    enum part_result pr = read_part(x, x->sheets[i].part, &w.sax);
    if (pr == PART_MISSING) {
        set_err(err, XLSX_DAMAGED, MSG_DAMAGED, "sheet part %s missing", x->sheets[i].part);
        place_err(err, x, (int)i, 0, 0);
    }
    sbuf_free(&w.val);
    if (pr != PART_OK) {
        table_builder_free(&w.b);
        free(w.merges);
        return NULL;
    }
    struct table *t = table_finish(&w.b);
    if (w.nmerges)
        t = apply_merges(t, w.merges, w.nmerges);
    free(w.merges);
    return t;
}

/* ---------------------------------------------------------- positions */

char *xlsx_col_name(uint32_t col, char out[4])
{
    char tmp[8];
    size_t n = 0;
    if (col > 16384)
        col = 16384;
    while (col && n < 3) {
        col--;
        tmp[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return out;
}

char *xlsx_cell_name(char *buf, size_t size, const char *sheet, uint32_t row, uint32_t col)
{
    char letters[4];
    if (!size)
        return buf;
    const char *sep = sheet && row ? "!" : "";
    sheet = sheet ? sheet : "";
    int n;
    if (!row)
        n = snprintf(buf, size, "%s", sheet);
    else if (!col)
        n = snprintf(buf, size, "%s%s第%u行", sheet, sep, row);
    else
        n = snprintf(buf, size, "%s%s%s%u", sheet, sep, xlsx_col_name(col, letters), row);
    if (n >= 0 && (size_t)n >= size) {
        /* Cut: never in the middle of a character. */
        size_t len = size - 1, bad;
        while (len && !utf8_valid(buf, len, &bad))
            len = bad;
        buf[len] = '\0';
    }
    return buf;
}
