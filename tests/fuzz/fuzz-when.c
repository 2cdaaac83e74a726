/* fuzz-when.c — the date, time, days, hours, duration and priority parsers
 * on arbitrary text.  The input is split at '\n' and every piece goes to
 * every parser; what a parser accepts must satisfy when.h's promises (a
 * date formats back and re-parses to the same day, windows within a day). */
#include <stdbool.h>

#include "core/when.h"
#include "fuzz.h"

static void check_piece(const char *s)
{
    int64_t day, day2, min, min2;
    bool has_time;
    char buf[64];

    /* when.h: a parsed date is a valid date; formatted, it parses back. */
    if (when_parse_date(s, &day)) {
        int y, m, d;
        when_civil_from_days(day, &y, &m, &d);
        FUZZ_CHECK(when_valid_date(y, m, d));
        when_format_date(day, buf);
        FUZZ_CHECK(when_parse_date(buf, &day2) && day2 == day);
        when_format_date_cn(day, buf);
        FUZZ_CHECK(when_parse_date(buf, &day2) ? day2 == day : true);
        FUZZ_CHECK(when_weekday(day) >= 0 && when_weekday(day) <= 6);
    }
    if (when_parse_datetime(s, &min, &has_time)) {
        int64_t mod = ((min % WHEN_MIN_PER_DAY) + WHEN_MIN_PER_DAY) % WHEN_MIN_PER_DAY;
        if (!has_time) {
            FUZZ_CHECK(mod == 0);
            when_format_date(min / WHEN_MIN_PER_DAY, buf);
            FUZZ_CHECK(when_parse_date(buf, &day2) && day2 * WHEN_MIN_PER_DAY == min);
        } else {
            when_format(min, buf);
            FUZZ_CHECK(when_parse_moment(buf, &min2) && min2 == min);
        }
    }
    if (when_parse_moment(s, &min)) {
        when_format(min, buf);
        FUZZ_CHECK(when_parse_moment(buf, &min2) && min2 == min);
        FUZZ_CHECK(when_parse_datetime(buf, &min2, &has_time) && has_time && min2 == min);
    }

    int minute, minute24;
    if (when_parse_clock(s, false, &minute)) {
        FUZZ_CHECK(minute >= 0 && minute < WHEN_MIN_PER_DAY);
        /* Allowing 24:00 never rejects or changes another time. */
        FUZZ_CHECK(when_parse_clock(s, true, &minute24) && minute24 == minute);
    }
    if (when_parse_clock(s, true, &minute24))
        FUZZ_CHECK(minute24 >= 0 && minute24 <= WHEN_MIN_PER_DAY);

    uint16_t mask;
    if (when_parse_days(s, &mask)) {
        FUZZ_CHECK(mask != 0);
        FUZZ_CHECK((mask & ~(DAYS_ALL | DAYS_WORKDAY | DAYS_WEEKEND)) == 0);
    }

    struct when_window w[WHEN_MAX_WINDOWS + 1];
    int n = -1;
    if (when_parse_hours(s, w, &n)) {
        FUZZ_CHECK(n >= 0 && n <= WHEN_MAX_WINDOWS);
        for (int i = 0; i < n; i++) {
            FUZZ_CHECK(w[i].from >= 0 && w[i].from < WHEN_MIN_PER_DAY);
            FUZZ_CHECK(w[i].to >= 1 && w[i].to <= WHEN_MIN_PER_DAY);
        }
    }

    int seconds;
    if (when_parse_duration(s, &seconds))
        FUZZ_CHECK(seconds > 0);

    enum priority p;
    if (when_parse_priority(s, &p))
        FUZZ_CHECK(p == PRIO_NORMAL || p == PRIO_HIGH || p == PRIO_URGENT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || data[i] == '\n') {
            char *s = fuzz_strndup(data + start, i - start);
            check_piece(s);
            free(s);
            start = i + 1;
        }
    }
    return 0;
}
