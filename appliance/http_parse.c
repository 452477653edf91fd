/* The request head parser (http_parse.h), written for the provers: index
 * loops with invariants, no library calls, no pointer arithmetic beyond
 * buf + offset, plain if/else (FRAMA-C.md). */
#include "http_parse.h"

int http_is_tchar(uint8_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return 1;
    if (c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' || c == '+' ||
        c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' || c == '~')
        return 1;
    return 0;
}

/*@ assigns \nothing;
  @ ensures \result == 1 <==> http_target_char(c);
  @ ensures \result == 0 || \result == 1;
  @*/
static int is_target_char(uint8_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return 1;
    if (c == '-' || c == '.' || c == '_' || c == '~' || c == '!' || c == '$' || c == '&' || c == '\'' ||
        c == '(' || c == ')' || c == '*' || c == '+' || c == ',' || c == ';' || c == '=' || c == ':' ||
        c == '@' || c == '/' || c == '?' || c == '%' || c == '[' || c == ']')
        return 1;
    return 0;
}

size_t http_head_end(const uint8_t *buf, size_t from, size_t len)
{
    size_t e = from;
    /*@ loop invariant from <= e <= len;
      @ loop invariant \forall integer k; from < k <= e ==> !http_head_end_at(buf, k);
      @ loop assigns e;
      @ loop variant len - e;
      @*/
    while (e < len) {
        e++;
        if (e >= 2 && buf[e - 1] == '\n') {
            if (buf[e - 2] == '\n')
                return e;
            if (e >= 3 && buf[e - 2] == '\r' && buf[e - 3] == '\n')
                return e;
        }
    }
    return 0;
}

/* buf[off .. off+n-1] equals the n bytes of lit, case-sensitively. */
/*@ requires \valid_read(buf + (off .. off + n - 1));
  @ requires \valid_read(lit + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int same(const uint8_t *buf, size_t off, size_t n, const char *lit)
{
    size_t i = 0;
    /*@ loop invariant 0 <= i <= n;
      @ loop assigns i;
      @ loop variant n - i;
      @*/
    while (i < n) {
        if (buf[off + i] != (uint8_t)lit[i])
            return 0;
        i++;
    }
    return 1;
}

/* The same, ASCII letters compared without case; lit is lower case. */
/*@ requires \valid_read(buf + (off .. off + n - 1));
  @ requires \valid_read(lit + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int same_ci(const uint8_t *buf, size_t off, size_t n, const char *lit)
{
    size_t i = 0;
    /*@ loop invariant 0 <= i <= n;
      @ loop assigns i;
      @ loop variant n - i;
      @*/
    while (i < n) {
        uint8_t c = buf[off + i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32u);
        if (c != (uint8_t)lit[i])
            return 0;
        i++;
    }
    return 1;
}

/*@ requires \valid_read(buf + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures HTTP_M_GET <= \result <= HTTP_M_UNKNOWN;
  @*/
static int method_kind(const uint8_t *buf, size_t n)
{
    int k = HTTP_M_UNKNOWN;
    if (n == 3 && same(buf, 0, 3, "GET"))
        k = HTTP_M_GET;
    else if (n == 4 && same(buf, 0, 4, "HEAD"))
        k = HTTP_M_HEAD;
    else if ((n == 4 && same(buf, 0, 4, "POST")) || (n == 3 && same(buf, 0, 3, "PUT")) ||
             (n == 6 && same(buf, 0, 6, "DELETE")) || (n == 7 && same(buf, 0, 7, "CONNECT")) ||
             (n == 7 && same(buf, 0, 7, "OPTIONS")) || (n == 5 && same(buf, 0, 5, "TRACE")) ||
             (n == 5 && same(buf, 0, 5, "PATCH")))
        k = HTTP_M_OTHER;
    return k;
}

int http_request_line_parse(const uint8_t *buf, size_t len, struct http_req *out)
{
    size_t lf = 0;
    /*@ loop invariant 0 <= lf <= len;
      @ loop invariant http_no_lf(buf, 0, lf);
      @ loop assigns lf;
      @ loop variant len - lf;
      @*/
    while (lf < len && buf[lf] != '\n')
        lf++;
    if (lf == len)
        return 0;
    /* "M / HTTP/1.1\r" is the shortest line: a bare LF is refused here too */
    if (lf < 14 || buf[lf - 1] != '\r')
        return HTTP_E_BAD;
    size_t end = lf - 1; /* the CR */
    size_t m = 0;
    /*@ loop invariant 0 <= m <= end;
      @ loop invariant http_tokens(buf, 0, m);
      @ loop assigns m;
      @ loop variant end - m;
      @*/
    while (m < end && http_is_tchar(buf[m]))
        m++;
    if (m == 0 || m == end || buf[m] != ' ')
        return HTTP_E_BAD;
    size_t t = m + 1;
    /*@ loop invariant m + 1 <= t <= end;
      @ loop invariant http_target_chars(buf, m + 1, t);
      @ loop assigns t;
      @ loop variant end - t;
      @*/
    while (t < end && is_target_char(buf[t]))
        t++;
    /* target, SP, "HTTP/d.d": exactly 9 bytes after the target */
    if (t == m + 1 || t >= end || buf[t] != ' ' || end - t != 9)
        return HTTP_E_BAD;
    size_t v = t + 1;
    if (buf[v] != 'H' || buf[v + 1] != 'T' || buf[v + 2] != 'T' || buf[v + 3] != 'P' || buf[v + 4] != '/' ||
        buf[v + 5] < '0' || buf[v + 5] > '9' || buf[v + 6] != '.' || buf[v + 7] < '0' || buf[v + 7] > '9')
        return HTTP_E_BAD;
    if (buf[v + 5] != '1' || (buf[v + 7] != '0' && buf[v + 7] != '1'))
        return HTTP_E_VERSION;
    if (t - (m + 1) > HTTP_TARGET_MAX)
        return HTTP_E_URI_TOO_LONG;
    out->line.off = 0;
    out->line.len = end;
    out->method.off = 0;
    out->method.len = m;
    out->target.off = m + 1;
    out->target.len = t - (m + 1);
    out->minor = buf[v + 7] == '1' ? 1 : 0;
    out->method_kind = method_kind(buf, m);
    return (int)(lf + 1);
}

int http_field_parse(const uint8_t *buf, size_t len, struct http_span *name, struct http_span *value)
{
    size_t i = 0;
    /*@ loop invariant 0 <= i <= len;
      @ loop invariant http_tokens(buf, 0, i);
      @ loop assigns i;
      @ loop variant len - i;
      @*/
    while (i < len && http_is_tchar(buf[i]))
        i++;
    /* no name (obs-fold's leading SP/HTAB lands here too), or anything
     * but a colon right after it */
    if (i == 0 || i == len || buf[i] != ':')
        return HTTP_E_BAD;
    size_t colon = i;
    i++;
    /*@ loop invariant colon < i <= len;
      @ loop assigns i;
      @ loop variant len - i;
      @*/
    while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
        i++;
    size_t vs = i;
    size_t ve = i; /* one past the last non-OWS byte of the value */
    /*@ loop invariant vs <= ve <= i <= len;
      @ loop invariant http_vchars(buf, vs, i);
      @ loop assigns i, ve;
      @ loop variant len - i;
      @*/
    while (i < len && buf[i] != '\r' && buf[i] != '\n') {
        uint8_t c = buf[i];
        if (c != '\t' && (c < 32 || c == 127))
            return HTTP_E_BAD;
        i++;
        if (c != ' ' && c != '\t')
            ve = i;
    }
    if (i + 1 >= len || buf[i] != '\r' || buf[i + 1] != '\n')
        return HTTP_E_BAD;
    name->off = 0;
    name->len = colon;
    value->off = vs;
    value->len = ve - vs;
    return (int)(i + 2);
}

int http_content_length_parse(const uint8_t *v, size_t n, uint64_t *out)
{
    if (n == 0)
        return HTTP_E_BAD;
    uint64_t x = 0;
    size_t i = 0;
    /*@ loop invariant 0 <= i <= n;
      @ loop invariant http_digits(v, 0, i);
      @ loop invariant x <= HTTP_CL_SAT;
      @ loop assigns i, x;
      @ loop variant n - i;
      @*/
    while (i < n) {
        uint8_t c = v[i];
        if (c < '0' || c > '9')
            return HTTP_E_BAD;
        if (x >= HTTP_CL_SAT / 10u)
            x = HTTP_CL_SAT;
        else
            x = x * 10u + (uint64_t)(c - '0');
        i++;
    }
    *out = x;
    return 0;
}

/* The options of one Connection field value (a comma list of tokens). */
/*@ requires \valid_read(buf + (off .. off + n - 1));
  @ requires \valid(r);
  @ requires \separated(buf + (off .. off + n - 1), r);
  @ assigns r->conn_close, r->conn_keep_alive;
  @*/
static void connection_options(const uint8_t *buf, size_t off, size_t n, struct http_req *r)
{
    size_t i = 0;
    /*@ loop invariant 0 <= i <= n;
      @ loop assigns i, r->conn_close, r->conn_keep_alive;
      @ loop variant n - i;
      @*/
    while (i < n) {
        uint8_t c = buf[off + i];
        if (c == ',' || c == ' ' || c == '\t') {
            i++;
            continue;
        }
        size_t s = i;
        /*@ loop invariant s <= i <= n;
          @ loop assigns i;
          @ loop variant n - i;
          @*/
        while (i < n && buf[off + i] != ',' && buf[off + i] != ' ' && buf[off + i] != '\t')
            i++;
        if (i - s == 5 && same_ci(buf, off + s, 5, "close"))
            r->conn_close = 1;
        else if (i - s == 10 && same_ci(buf, off + s, 10, "keep-alive"))
            r->conn_keep_alive = 1;
    }
}

/* Records one field line of a head (name and value as offsets in buf). */
/*@ requires \valid_read(buf + (0 .. len - 1));
  @ requires \valid(r);
  @ requires \separated(buf + (0 .. len - 1), r);
  @ requires nm.off + nm.len <= len && val.off + val.len <= len;
  @ requires r->host_count <= 1;
  @ requires r->content_length <= HTTP_CL_SAT;
  @ requires http_req_in(r, len);
  @ assigns r->host_count, r->host, r->has_cl, r->content_length, r->has_te, r->conn_close,
  @         r->conn_keep_alive, r->range_count, r->range, r->if_range, r->inm, r->ims,
  @         r->accept_enc, r->referer, r->agent;
  @ ensures \result == 0 || \result == HTTP_E_BAD;
  @ ensures \result == 0 ==> r->host_count <= 1;
  @ ensures r->content_length <= HTTP_CL_SAT;
  @ ensures http_req_in(r, len);
  @*/
static int field_apply(const uint8_t *buf, size_t len, struct http_span nm, struct http_span val,
                       struct http_req *r)
{
    (void)len; /* bounds the spans in the contract */
    size_t n = nm.len;
    int rc = 0;
    if (n == 4 && same_ci(buf, nm.off, 4, "host")) {
        if (r->host_count >= 1)
            return HTTP_E_BAD;
        r->host_count = 1;
        r->host = val;
    } else if (n == 14 && same_ci(buf, nm.off, 14, "content-length")) {
        uint64_t cl = 0;
        if (http_content_length_parse(buf + val.off, val.len, &cl) != 0)
            return HTTP_E_BAD;
        if (r->has_cl != 0 && cl != r->content_length)
            return HTTP_E_BAD;
        r->has_cl = 1;
        r->content_length = cl;
    } else if (n == 17 && same_ci(buf, nm.off, 17, "transfer-encoding")) {
        r->has_te = 1;
    } else if (n == 10 && same_ci(buf, nm.off, 10, "connection")) {
        connection_options(buf, val.off, val.len, r);
    } else if (n == 5 && same_ci(buf, nm.off, 5, "range")) {
        if (r->range_count == 0)
            r->range = val;
        if (r->range_count < 2)
            r->range_count++;
    } else if (n == 8 && same_ci(buf, nm.off, 8, "if-range")) {
        if (r->if_range.len == 0)
            r->if_range = val;
    } else if (n == 13 && same_ci(buf, nm.off, 13, "if-none-match")) {
        if (r->inm.len == 0)
            r->inm = val;
    } else if (n == 17 && same_ci(buf, nm.off, 17, "if-modified-since")) {
        if (r->ims.len == 0)
            r->ims = val;
    } else if (n == 15 && same_ci(buf, nm.off, 15, "accept-encoding")) {
        if (r->accept_enc.len == 0)
            r->accept_enc = val;
    } else if (n == 7 && same_ci(buf, nm.off, 7, "referer")) {
        if (r->referer.len == 0)
            r->referer = val;
    } else if (n == 10 && same_ci(buf, nm.off, 10, "user-agent")) {
        if (r->agent.len == 0)
            r->agent = val;
    }
    return rc;
}

/*@ requires \valid(r);
  @ assigns *r;
  @ ensures http_req_in(r, 0);
  @ ensures r->host_count == 0 && r->content_length == 0 && r->has_te == 0 && r->nfields == 0;
  @*/
static void req_clear(struct http_req *r)
{
    struct http_span z = {0, 0};
    r->line = z;
    r->method = z;
    r->target = z;
    r->method_kind = HTTP_M_UNKNOWN;
    r->minor = 1;
    r->nfields = 0;
    r->host_count = 0;
    r->host = z;
    r->has_cl = 0;
    r->content_length = 0;
    r->has_te = 0;
    r->conn_close = 0;
    r->conn_keep_alive = 0;
    r->range_count = 0;
    r->range = z;
    r->if_range = z;
    r->inm = z;
    r->ims = z;
    r->accept_enc = z;
    r->referer = z;
    r->agent = z;
}

int http_head_parse(const uint8_t *buf, size_t len, struct http_req *out)
{
    req_clear(out);
    int rl = http_request_line_parse(buf, len, out);
    if (rl == 0)
        return HTTP_E_BAD;
    if (rl < 0)
        return rl;
    size_t pos = (size_t)rl;
    /*@ loop invariant 0 < pos <= len;
      @ loop invariant out->nfields <= HTTP_FIELDS_MAX;
      @ loop invariant out->host_count <= 1;
      @ loop invariant out->content_length <= HTTP_CL_SAT;
      @ loop invariant out->minor == 0 || out->minor == 1;
      @ loop invariant HTTP_M_GET <= out->method_kind <= HTTP_M_UNKNOWN;
      @ loop invariant 1 <= out->target.len <= HTTP_TARGET_MAX;
      @ loop invariant http_req_in(out, len);
      @ loop assigns pos, *out;
      @ loop variant len - pos;
      @*/
    while (pos < len) {
        if (buf[pos] == '\r') {
            if (pos + 2 != len || buf[pos + 1] != '\n')
                return HTTP_E_BAD;
            if (out->has_te != 0)
                return out->minor == 0 ? HTTP_E_BAD : HTTP_E_NOT_IMPL;
            if (out->minor == 1 && out->host_count == 0)
                return HTTP_E_BAD;
            return (int)len;
        }
        if (out->nfields >= HTTP_FIELDS_MAX)
            return HTTP_E_FIELDS;
        struct http_span nm, val;
        int f = http_field_parse(buf + pos, len - pos, &nm, &val);
        if (f < 0)
            return HTTP_E_BAD;
        nm.off += pos;
        val.off += pos;
        if (field_apply(buf, len, nm, val, out) != 0)
            return HTTP_E_BAD;
        out->nfields++;
        pos += (size_t)f;
    }
    /* the caller gave a head without its empty line */
    return HTTP_E_BAD;
}
