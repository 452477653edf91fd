/* SPDX-License-Identifier: Apache-2.0 */
/* The HTTP connection (appliance/http.h) end to end over a small site
 * image (tests/unit/http_testsite.h).
 *
 * Input: one config byte, then records: a length byte L and L request
 * bytes (fed through http_conn_input, the untaken rest offered again as a
 * caller would), except L == 0: advance the clock past every timeout and
 * run the timer, and L == 255: the peer's EOF. Config bits: 0 port-80
 * redirect mode, 1 busy, 2 max_requests 3, 3 no 404 page, 4 https_port
 * 8443, 5-6 the send chunk size (all, 1, 7, 100 bytes).
 *
 * Oracles: every response head starts "HTTP/1.1 " and ends with its empty
 * line, the body bytes sent after it are exactly what the log entry for it
 * announced, and equal its Content-Length unless it answers HEAD (then
 * none) or is a 304 (no Content-Length, no body); a 206 names a range
 * inside the representation as long as its body, a 416 none; one log entry per response, in order; input never takes more than
 * offered; a done connection has nothing left to send. */
#include "fuzz_common.h"

#include "tests/unit/http_testsite.h"
#include "appliance/http/http.h"

static uint8_t img[TS_CAP], img_no404[TS_CAP];
static struct site_image site, site_no404;
static int ready;

#define MAX_LOGS 4096
static struct {
    int status, head;
    uint64_t bytes;
} logs[MAX_LOGS];
static size_t nlogs, checked;

static void on_log(void *ctx, const struct http_log *e)
{
    (void)ctx;
    for (size_t i = 0; i < e->line_len; i++)
        FUZZ_CHECK(e->line[i] >= 0x20 && e->line[i] < 0x7f);
    for (size_t i = 0; i < e->referer_len; i++)
        FUZZ_CHECK(e->referer[i] >= 0x20 && e->referer[i] < 0x7f);
    for (size_t i = 0; i < e->agent_len; i++)
        FUZZ_CHECK(e->agent[i] >= 0x20 && e->agent[i] < 0x7f);
    FUZZ_CHECK(nlogs < MAX_LOGS);
    logs[nlogs].status = e->status;
    logs[nlogs].bytes = e->bytes;
    logs[nlogs].head = e->line_len >= 5 && memcmp(e->line, "HEAD ", 5) == 0;
    nlogs++;
}

/* The response being received. */
static uint8_t head[HTTP_OUT_MAX];
static size_t head_len;
static uint64_t body_bytes;
static int have_response;

/* The offset just after field prefix k in the head, or 0. */
static size_t field_at(const char *k)
{
    size_t kl = strlen(k);
    for (size_t i = 0; i + kl <= head_len; i++)
        if (memcmp(head + i, k, kl) == 0)
            return i + kl;
    return 0;
}

static uint64_t number_at(size_t *j)
{
    uint64_t v = 0;
    FUZZ_CHECK(*j < head_len && head[*j] >= '0' && head[*j] <= '9');
    while (*j < head_len && head[*j] >= '0' && head[*j] <= '9')
        v = v * 10 + (uint64_t)(head[(*j)++] - '0');
    return v;
}

/* 206: "Content-Range: bytes a-b/len" with a <= b < len and b - a + 1 ==
 * Content-Length; 416: "bytes *" and "/len", and no body. */
static void check_content_range(int status, uint64_t cl)
{
    size_t j = field_at("\r\nContent-Range: bytes ");
    if (status != 206 && status != 416) {
        FUZZ_CHECK(j == 0);
        return;
    }
    FUZZ_CHECK(j != 0);
    if (status == 416) {
        FUZZ_CHECK(head[j] == '*' && head[j + 1] == '/');
        j += 2;
        (void)number_at(&j);
        FUZZ_CHECK(cl == 0);
        return;
    }
    uint64_t a = number_at(&j);
    FUZZ_CHECK(head[j++] == '-');
    uint64_t b = number_at(&j);
    FUZZ_CHECK(head[j++] == '/');
    uint64_t len = number_at(&j);
    FUZZ_CHECK(a <= b && b < len && b - a + 1 == cl);
}

static uint64_t content_length(int *present)
{
    *present = 0;
    const char *k = "\r\nContent-Length: ";
    size_t kl = strlen(k);
    for (size_t i = 0; i + kl <= head_len; i++) {
        if (memcmp(head + i, k, kl) == 0) {
            uint64_t v = 0;
            size_t j = i + kl;
            FUZZ_CHECK(j < head_len && head[j] >= '0' && head[j] <= '9');
            while (j < head_len && head[j] >= '0' && head[j] <= '9')
                v = v * 10 + (uint64_t)(head[j++] - '0');
            *present = 1;
            return v;
        }
    }
    return 0;
}

/* The response received so far is complete: check it against its log. */
static void finish_response(void)
{
    if (!have_response)
        return;
    FUZZ_CHECK(head_len >= 13 && memcmp(head, "HTTP/1.1 ", 9) == 0);
    /* out[] holds the head and, when they fit, the first body bytes (one
     * record for a small response): the head ends at the first blank line. */
    size_t end = 0;
    for (size_t i = 0; i + 4 <= head_len && end == 0; i++)
        if (memcmp(head + i, "\r\n\r\n", 4) == 0)
            end = i + 4;
    FUZZ_CHECK(end != 0);
    body_bytes += head_len - end;
    head_len = end;
    int status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
    FUZZ_CHECK(checked < nlogs);
    FUZZ_CHECK(logs[checked].status == status);
    FUZZ_CHECK(logs[checked].bytes == body_bytes);
    int present;
    uint64_t cl = content_length(&present);
    if (status == 304) {
        FUZZ_CHECK(!present && body_bytes == 0);
    } else {
        FUZZ_CHECK(present);
        /* a HEAD that parsed sends no body; one refused before its
         * method was known gets the error body */
        FUZZ_CHECK(cl == body_bytes || (logs[checked].head && body_bytes == 0));
        check_content_range(status, cl);
    }
    checked++;
    have_response = 0;
    head_len = 0;
    body_bytes = 0;
}

static void drain(struct http_conn *h, size_t chunk, uint64_t now, int64_t unix_s)
{
    const uint8_t *p;
    size_t n;
    while ((n = http_conn_output(h, &p)) > 0) {
        FUZZ_CHECK(p != NULL);
        if (chunk != 0 && n > chunk)
            n = chunk;
        int is_head = p >= h->out && p < h->out + HTTP_OUT_MAX;
        if (is_head) {
            FUZZ_CHECK(p + n <= h->out + HTTP_OUT_MAX);
            if (p == h->out) { /* a head starts at the buffer's start */
                finish_response();
                have_response = 1;
            }
            FUZZ_CHECK(head_len + n <= sizeof head);
            memcpy(head + head_len, p, n);
            head_len += n;
        } else {
            FUZZ_CHECK(have_response);
            /* a body byte is readable and lies in the site image or a built-in body */
            volatile uint8_t sink = p[0];
            sink = p[n - 1];
            (void)sink;
            body_bytes += n;
        }
        http_conn_sent(h, n, now, unix_s);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        size_t n = ts_build(img, TS_SITE, TS_NSITE, 1);
        if (site_image_open(img, n, &site) != 0)
            abort();
        n = ts_build(img_no404, TS_SITE, TS_NSITE, SITE_NONE);
        if (site_image_open(img_no404, n, &site_no404) != 0)
            abort();
        ready = 1;
    }
    if (size < 1)
        return 0;
    uint8_t *buf = fuzz_dup(data, size);
    uint8_t flags = buf[0];
    static const size_t CHUNK[4] = {0, 1, 7, 100};
    size_t chunk = CHUNK[(flags >> 5) & 3];

    struct http_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.site = (flags & 8) ? &site_no404 : &site;
    cfg.redirect_https = flags & 1;
    cfg.https_port = (flags & 16) ? 8443 : 443;
    cfg.headers = "Strict-Transport-Security: max-age=1\r\n";
    cfg.header_timeout_ms = 10000;
    cfg.idle_timeout_ms = 30000;
    cfg.max_requests = (flags & 4) ? 3 : 0;
    cfg.log = on_log;
    nlogs = checked = 0;
    head_len = 0;
    body_bytes = 0;
    have_response = 0;

    static struct http_conn h;
    static uint8_t h_in[HTTP_HEAD_MAX], h_out[HTTP_OUT_MAX];
    http_conn_buffers(&h, h_in, h_out);
    uint64_t now = 1000;
    int64_t unix_s = 1700000000;
    http_conn_init(&h, &cfg, NULL, (flags & 2) != 0, now);

    size_t i = 1;
    while (i < size) {
        size_t l = buf[i++];
        now += 1;
        if (l == 0) {
            now += 40000;
            unix_s += 40;
            FUZZ_CHECK(http_conn_deadline(&h) >= 1000);
            http_conn_timer(&h, now, unix_s);
        } else if (l == 255) {
            http_conn_input_eof(&h, now, unix_s);
        } else {
            if (l > size - i)
                l = size - i;
            /* an exact heap copy of the record: any over-read is caught */
            uint8_t *rec = fuzz_dup(buf + i, l);
            size_t off = 0;
            int idle = 0;
            while (off < l && !http_conn_done(&h) && idle < 2) {
                size_t t = http_conn_input(&h, rec + off, l - off, now, unix_s);
                FUZZ_CHECK(t <= l - off);
                off += t;
                size_t before = checked + nlogs;
                drain(&h, chunk, now, unix_s);
                idle = t == 0 && before == checked + nlogs ? idle + 1 : 0;
            }
            /* stuck with bytes left means the conn waits for output we drained: a bug */
            FUZZ_CHECK(off == l || http_conn_done(&h));
            free(rec);
            i += l;
        }
        drain(&h, chunk, now, unix_s);
    }
    drain(&h, chunk, now, unix_s);
    finish_response();
    FUZZ_CHECK(checked == nlogs);
    if (http_conn_done(&h)) {
        const uint8_t *p;
        FUZZ_CHECK(http_conn_output(&h, &p) == 0);
    }
    free(buf);
    return 0;
}
