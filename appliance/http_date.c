/* Calendar arithmetic after Howard Hinnant's days_from_civil: exact over
 * the proleptic Gregorian calendar with no tables and no libc time
 * functions (the appliance has no time zone database, and gmtime is not
 * freestanding). */
#include "http_date.h"

static const char WDAY[7][4] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}; /* 1970-01-01 was a Thursday */
static const char MON[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const LONG_WDAY[7] = {"Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"};

#define T_MAX 253402300799ll /* 9999-12-31T23:59:59Z */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void put2(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)('0' + v / 10);
    p[1] = (uint8_t)('0' + v % 10);
}

void http_date_format(int64_t t, uint8_t out[HTTP_DATE_LEN])
{
    if (t < 0)
        t = 0;
    if (t > T_MAX)
        t = T_MAX;
    int64_t days = t / 86400;
    unsigned secs = (unsigned)(t % 86400);
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    const char *wd = WDAY[days % 7];
    out[0] = (uint8_t)wd[0];
    out[1] = (uint8_t)wd[1];
    out[2] = (uint8_t)wd[2];
    out[3] = ',';
    out[4] = ' ';
    put2(out + 5, d);
    out[7] = ' ';
    out[8] = (uint8_t)MON[m - 1][0];
    out[9] = (uint8_t)MON[m - 1][1];
    out[10] = (uint8_t)MON[m - 1][2];
    out[11] = ' ';
    put2(out + 12, (unsigned)(y / 100));
    put2(out + 14, (unsigned)(y % 100));
    out[16] = ' ';
    put2(out + 17, secs / 3600);
    out[19] = ':';
    put2(out + 20, secs / 60 % 60);
    out[22] = ':';
    put2(out + 23, secs % 60);
    out[25] = ' ';
    out[26] = 'G';
    out[27] = 'M';
    out[28] = 'T';
}

/* n decimal digits at s, or -1. */
static int64_t digits(const uint8_t *s, size_t n)
{
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int month(const uint8_t *s)
{
    for (int i = 0; i < 12; i++)
        if (s[0] == (uint8_t)MON[i][0] && s[1] == (uint8_t)MON[i][1] && s[2] == (uint8_t)MON[i][2])
            return i + 1;
    return -1;
}

static int wday3(const uint8_t *s)
{
    for (int i = 0; i < 7; i++)
        if (s[0] == (uint8_t)WDAY[i][0] && s[1] == (uint8_t)WDAY[i][1] && s[2] == (uint8_t)WDAY[i][2])
            return i;
    return -1;
}

/* "HH:MM:SS" at s: seconds into the day, or -1. */
static int64_t clock_of(const uint8_t *s)
{
    if (s[2] != ':' || s[5] != ':')
        return -1;
    int64_t h = digits(s, 2), mi = digits(s + 3, 2), se = digits(s + 6, 2);
    if (h < 0 || mi < 0 || se < 0 || h > 23 || mi > 59 || se > 60)
        return -1;
    return h * 3600 + mi * 60 + (se == 60 ? 59 : se); /* a leap second is the second before */
}

static int to_time(int64_t y, int m, int64_t d, int64_t secs, int64_t *t)
{
    static const unsigned char MDAYS[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 9999 || m < 1 || d < 1 || d > MDAYS[m - 1] || secs < 0)
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return -1;
    *t = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + secs;
    return 0;
}

static int parse_imf(const uint8_t *s, size_t n, int64_t *t)
{
    /* Sun, 06 Nov 1994 08:49:37 GMT */
    if (n != 29 || wday3(s) < 0 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
        s[25] != ' ' || s[26] != 'G' || s[27] != 'M' || s[28] != 'T')
        return -1;
    return to_time(digits(s + 12, 4), month(s + 8), digits(s + 5, 2), clock_of(s + 17), t);
}

static int parse_rfc850(const uint8_t *s, size_t n, int64_t *t)
{
    /* Sunday, 06-Nov-94 08:49:37 GMT */
    size_t w = 0;
    while (w < n && s[w] != ',')
        w++;
    if (w < 6 || w > 9 || n != w + 24)
        return -1;
    int ok = 0;
    for (int i = 0; i < 7; i++) {
        size_t l = 0;
        while (LONG_WDAY[i][l] != 0)
            l++;
        if (l == w) {
            size_t k = 0;
            while (k < l && s[k] == (uint8_t)LONG_WDAY[i][k])
                k++;
            ok |= k == l;
        }
    }
    const uint8_t *p = s + w;
    if (!ok || p[1] != ' ' || p[4] != '-' || p[8] != '-' || p[11] != ' ' || p[20] != ' ' || p[21] != 'G' ||
        p[22] != 'M' || p[23] != 'T')
        return -1;
    int64_t yy = digits(p + 9, 2);
    if (yy < 0)
        return -1;
    /* RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is in
     * the past; without a clock here, 70..99 is 19xx, the rest 20xx. */
    int64_t y = yy >= 70 ? 1900 + yy : 2000 + yy;
    return to_time(y, month(p + 5), digits(p + 2, 2), clock_of(p + 12), t);
}

static int parse_asctime(const uint8_t *s, size_t n, int64_t *t)
{
    /* Sun Nov  6 08:49:37 1994 */
    if (n != 24 || wday3(s) < 0 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ')
        return -1;
    int64_t d = s[8] == ' ' ? digits(s + 9, 1) : digits(s + 8, 2);
    return to_time(digits(s + 20, 4), month(s + 4), d, clock_of(s + 11), t);
}

int http_date_parse(const uint8_t *s, size_t n, int64_t *t)
{
    if (parse_imf(s, n, t) == 0 || parse_rfc850(s, n, t) == 0 || parse_asctime(s, n, t) == 0)
        return 0;
    return -1;
}
