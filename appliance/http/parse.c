/* SPDX-License-Identifier: Apache-2.0 */
/* The request head parser (http_parse.h), written for the provers: index
 * loops with invariants, no library calls, no pointer arithmetic beyond
 * buf + offset, plain if/else (FRAMA-C.md). */
#include "appliance/http/parse.h"

#include "appliance/http/ci.h"

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

/* p[0 .. n-1] equals the first n bytes of lit, case-sensitively. Bytes
 * are compared as ints: no conversion of a char to uint8_t. */
/*@ requires \valid_read(p + (0 .. n - 1));
  @ requires \valid_read(lit + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int same(const uint8_t *p, size_t n, const char *lit)
{
    size_t i = 0;
    /*@ loop invariant 0 <= i <= n;
      @ loop assigns i;
      @ loop variant n - i;
      @*/
    while (i < n) {
        if ((int)p[i] != (int)lit[i])
            return 0;
        i++;
    }
    return 1;
}

/*@ requires \valid_read(m + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures HTTP_M_GET <= \result <= HTTP_M_UNKNOWN;
  @*/
static int method_kind(const uint8_t *m, size_t n)
{
    int k = HTTP_M_UNKNOWN;
    if (n == 3) {
        if (same(m, 3, "GET"))
            k = HTTP_M_GET;
        else if (same(m, 3, "PUT"))
            k = HTTP_M_OTHER;
    } else if (n == 4) {
        if (same(m, 4, "HEAD"))
            k = HTTP_M_HEAD;
        else if (same(m, 4, "POST"))
            k = HTTP_M_OTHER;
    } else if (n == 5) {
        if (same(m, 5, "TRACE") || same(m, 5, "PATCH"))
            k = HTTP_M_OTHER;
    } else if (n == 6) {
        if (same(m, 6, "DELETE"))
            k = HTTP_M_OTHER;
    } else if (n == 7) {
        if (same(m, 7, "CONNECT") || same(m, 7, "OPTIONS"))
            k = HTTP_M_OTHER;
    }
    return k;
}

/* The first LF in buf[0 .. len-1], or len. */
/*@ requires \valid_read(buf + (0 .. len - 1));
  @ assigns \nothing;
  @ ensures 0 <= \result <= len;
  @ ensures http_no_lf(buf, 0, \result);
  @ ensures \result < len ==> buf[\result] == '\n';
  @*/
static size_t find_lf(const uint8_t *buf, size_t len)
{
    size_t i = 0;
    /*@ loop invariant 0 <= i <= len;
      @ loop invariant http_no_lf(buf, 0, i);
      @ loop assigns i;
      @ loop variant len - i;
      @*/
    while (i < len && buf[i] != '\n')
        i++;
    return i;
}

/* The end of the run of tchars starting at from, at most end. */
/*@ requires from <= end;
  @ requires \valid_read(buf + (from .. end - 1));
  @ assigns \nothing;
  @ ensures from <= \result <= end;
  @ ensures http_tokens(buf, from, \result);
  @*/
static size_t scan_tokens(const uint8_t *buf, size_t from, size_t end)
{
    size_t i = from;
    /*@ loop invariant from <= i <= end;
      @ loop invariant http_tokens(buf, from, i);
      @ loop assigns i;
      @ loop variant end - i;
      @*/
    while (i < end && http_is_tchar(buf[i]))
        i++;
    return i;
}

/* The end of the run of request-target bytes starting at from. */
/*@ requires from <= end;
  @ requires \valid_read(buf + (from .. end - 1));
  @ assigns \nothing;
  @ ensures from <= \result <= end;
  @ ensures http_target_chars(buf, from, \result);
  @*/
static size_t scan_target(const uint8_t *buf, size_t from, size_t end)
{
    size_t i = from;
    /*@ loop invariant from <= i <= end;
      @ loop invariant http_target_chars(buf, from, i);
      @ loop assigns i;
      @ loop variant end - i;
      @*/
    while (i < end && is_target_char(buf[i]))
        i++;
    return i;
}

/* "HTTP/d.d" at v: the minor version of HTTP/1.0 or 1.1, -505 for any
 * other well-formed version, -400 for anything else. */
/*@ requires \valid_read(v + (0 .. 7));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1 || \result == HTTP_E_BAD || \result == HTTP_E_VERSION;
  @*/
static int version(const uint8_t *v)
{
    if (v[0] != 'H' || v[1] != 'T' || v[2] != 'T' || v[3] != 'P' || v[4] != '/' || v[6] != '.')
        return HTTP_E_BAD;
    if (v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9')
        return HTTP_E_BAD;
    if (v[5] != '1' || v[7] > '1')
        return HTTP_E_VERSION;
    return v[7] - '0';
}

int http_request_line_parse(const uint8_t *buf, size_t len, struct http_req *out)
{
    size_t lf = find_lf(buf, len);
    if (lf == len)
        return 0;
    /* "M / HTTP/1.1\r" is the shortest line; a bare LF is refused here too */
    if (lf < 14 || buf[lf - 1] != '\r')
        return HTTP_E_BAD;
    size_t end = lf - 1; /* the CR */
    size_t m = scan_tokens(buf, 0, end);
    if (m == 0 || m == end || buf[m] != ' ')
        return HTTP_E_BAD;
    size_t t = scan_target(buf, m + 1, end);
    /* target, SP, "HTTP/d.d": exactly 9 bytes after the target */
    if (t == m + 1 || t >= end || buf[t] != ' ' || end - t != 9)
        return HTTP_E_BAD;
    int minor = version(buf + t + 1);
    if (minor < 0)
        return minor;
    if (t - (m + 1) > HTTP_TARGET_MAX)
        return HTTP_E_URI_TOO_LONG;
    out->line.off = 0;
    out->line.len = end;
    out->method.off = 0;
    out->method.len = m;
    out->target.off = m + 1;
    out->target.len = t - (m + 1);
    out->minor = minor;
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

/* The options of one Connection field value v[0 .. n-1] (a comma list
 * of tokens). */
/*@ requires \valid_read(v + (0 .. n - 1));
  @ requires \valid(r);
  @ requires \separated(v + (0 .. n - 1), r);
  @ assigns r->conn_close, r->conn_keep_alive;
  @*/
static void connection_options(const uint8_t *v, size_t n, struct http_req *r)
{
    size_t i = 0;
    /*@ loop invariant 0 <= i <= n;
      @ loop assigns i, r->conn_close, r->conn_keep_alive;
      @ loop variant n - i;
      @*/
    while (i < n) {
        uint8_t c = v[i];
        if (c == ',' || c == ' ' || c == '\t') {
            i++;
        } else {
            size_t s = i;
            /*@ loop invariant s <= i <= n;
              @ loop assigns i;
              @ loop variant n - i;
              @*/
            while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
                i++;
            if (i - s == 5 && http_ci_eq(v + s, "close", 5))
                r->conn_close = 1;
            else if (i - s == 10 && http_ci_eq(v + s, "keep-alive", 10))
                r->conn_keep_alive = 1;
        }
    }
}

/* Sets span *sp to [off, off + n) unless it is set already: of a field
 * that may appear once, the first line counts. */
/*@ requires \valid(sp);
  @ assigns *sp;
  @ ensures \old(sp->len) == 0 ==> sp->off == off && sp->len == n;
  @ ensures \old(sp->len) != 0 ==> sp->off == \old(sp->off) && sp->len == \old(sp->len);
  @*/
static void keep_first(struct http_span *sp, size_t off, size_t n)
{
    if (sp->len == 0) {
        sp->off = off;
        sp->len = n;
    }
}

/* The fields a static server acts on. */
#define F_OTHER 0
#define F_HOST 1
#define F_CL 2
#define F_TE 3
#define F_CONN 4
#define F_RANGE 5
#define F_IF_RANGE 6
#define F_INM 7
#define F_IMS 8
#define F_AE 9
#define F_REFERER 10
#define F_UA 11

/* Which field the name nm[0 .. nl-1] is (names are case-insensitive). */
/*@ requires \valid_read(nm + (0 .. nl - 1));
  @ assigns \nothing;
  @ ensures F_OTHER <= \result <= F_UA;
  @*/
static int field_id(const uint8_t *nm, size_t nl)
{
    int id = F_OTHER;
    if (nl == 4) {
        if (http_ci_eq(nm, "host", 4))
            id = F_HOST;
    } else if (nl == 5) {
        if (http_ci_eq(nm, "range", 5))
            id = F_RANGE;
    } else if (nl == 7) {
        if (http_ci_eq(nm, "referer", 7))
            id = F_REFERER;
    } else if (nl == 8) {
        if (http_ci_eq(nm, "if-range", 8))
            id = F_IF_RANGE;
    } else if (nl == 10) {
        if (http_ci_eq(nm, "connection", 10))
            id = F_CONN;
        else if (http_ci_eq(nm, "user-agent", 10))
            id = F_UA;
    } else if (nl == 13) {
        if (http_ci_eq(nm, "if-none-match", 13))
            id = F_INM;
    } else if (nl == 14) {
        if (http_ci_eq(nm, "content-length", 14))
            id = F_CL;
    } else if (nl == 15) {
        if (http_ci_eq(nm, "accept-encoding", 15))
            id = F_AE;
    } else if (nl == 17) {
        if (http_ci_eq(nm, "transfer-encoding", 17))
            id = F_TE;
        else if (http_ci_eq(nm, "if-modified-since", 17))
            id = F_IMS;
    }
    return id;
}

/* Notes the value [vo, vo + vl) of a field the response reads (If-*,
 * Range, Accept-Encoding, Referer, User-Agent). */
/*@ requires \valid(r);
  @ requires vo + vl <= len;
  @ requires http_req_in(r, len);
  @ assigns r->range_count, r->range, r->if_range, r->inm, r->ims, r->accept_enc, r->referer, r->agent;
  @ ensures http_req_in(r, len);
  @*/
static void field_note(struct http_req *r, int id, size_t len, size_t vo, size_t vl)
{
    (void)len; /* bounds the spans in the contract */
    if (id == F_RANGE) {
        keep_first(&r->range, vo, vl);
        if (r->range_count < 2)
            r->range_count++;
    } else if (id == F_IF_RANGE) {
        keep_first(&r->if_range, vo, vl);
    } else if (id == F_INM) {
        keep_first(&r->inm, vo, vl);
    } else if (id == F_IMS) {
        keep_first(&r->ims, vo, vl);
    } else if (id == F_AE) {
        keep_first(&r->accept_enc, vo, vl);
    } else if (id == F_REFERER) {
        keep_first(&r->referer, vo, vl);
    } else if (id == F_UA) {
        keep_first(&r->agent, vo, vl);
    }
}

/* Records one field line of a head: name buf[no .. no+nl-1], value
 * buf[vo .. vo+vl-1]. Host twice, or Content-Length invalid or
 * disagreeing: HTTP_E_BAD. */
/*@ requires \valid_read(buf + (0 .. len - 1));
  @ requires \valid(r);
  @ requires \separated(buf + (0 .. len - 1), r);
  @ requires no + nl <= len && vo + vl <= len;
  @ requires r->host_count <= 1;
  @ requires r->content_length <= HTTP_CL_SAT;
  @ requires http_req_in(r, len);
  @ assigns r->host_count, r->host, r->has_cl, r->content_length, r->has_te, r->conn_close,
  @         r->conn_keep_alive, r->range_count, r->range, r->if_range, r->inm, r->ims,
  @         r->accept_enc, r->referer, r->agent;
  @ ensures \result == 0 || \result == HTTP_E_BAD;
  @ ensures r->host_count <= 1;
  @ ensures r->content_length <= HTTP_CL_SAT;
  @ ensures http_req_in(r, len);
  @*/
static int field_apply(const uint8_t *buf, size_t len, size_t no, size_t nl, size_t vo, size_t vl,
                       struct http_req *r)
{
    int id = field_id(buf + no, nl);
    int rc = 0;
    if (id == F_HOST) {
        if (r->host_count >= 1) {
            rc = HTTP_E_BAD;
        } else {
            r->host_count = 1;
            r->host.off = vo;
            r->host.len = vl;
        }
    } else if (id == F_CL) {
        uint64_t cl = 0;
        if (http_content_length_parse(buf + vo, vl, &cl) != 0) {
            rc = HTTP_E_BAD;
        } else if (r->has_cl != 0 && cl != r->content_length) {
            rc = HTTP_E_BAD;
        } else {
            r->has_cl = 1;
            r->content_length = cl;
        }
    } else if (id == F_TE) {
        r->has_te = 1;
    } else if (id == F_CONN) {
        connection_options(buf + vo, vl, r);
    } else {
        field_note(r, id, len, vo, vl);
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
    r->line.off = 0;
    r->line.len = 0;
    r->method.off = 0;
    r->method.len = 0;
    r->target.off = 0;
    r->target.len = 0;
    r->method_kind = HTTP_M_UNKNOWN;
    r->minor = 1;
    r->nfields = 0;
    r->host_count = 0;
    r->host.off = 0;
    r->host.len = 0;
    r->has_cl = 0;
    r->content_length = 0;
    r->has_te = 0;
    r->conn_close = 0;
    r->conn_keep_alive = 0;
    r->range_count = 0;
    r->range.off = 0;
    r->range.len = 0;
    r->if_range.off = 0;
    r->if_range.len = 0;
    r->inm.off = 0;
    r->inm.len = 0;
    r->ims.off = 0;
    r->ims.len = 0;
    r->accept_enc.off = 0;
    r->accept_enc.len = 0;
    r->referer.off = 0;
    r->referer.len = 0;
    r->agent.off = 0;
    r->agent.len = 0;
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
        if (field_apply(buf, len, pos, nm.len, pos + val.off, val.len, out) != 0)
            return HTTP_E_BAD;
        out->nfields++;
        pos += (size_t)f;
    }
    /* the caller gave a head without its empty line */
    return HTTP_E_BAD;
}
