/* SPDX-License-Identifier: Apache-2.0 */
/* TCP header and option view (RFC 9293 section 3.1, RFC 7323, RFC 2018).
 * Option lengths are never trusted: a zero or overlong length ends the
 * parse with an error instead of looping or reading past the header. */
#ifndef ATOLL_WIRE_TCP_H
#define ATOLL_WIRE_TCP_H

#include <stddef.h>
#include <stdint.h>

#define TCP_HDR_MIN 20
#define TCP_HDR_MAX 60
#define TCP_MAX_SACK 4
#define TCP_MAX_WSCALE 14

#define TCP_OPT_EOL 0u
#define TCP_OPT_NOP 1u
#define TCP_OPT_MSS 2u
#define TCP_OPT_WSCALE 3u
#define TCP_OPT_SACK_PERM 4u
#define TCP_OPT_SACK 5u
#define TCP_OPT_TS 8u

enum tcp_err {
    TCP_E_TRUNC = -1,   /* shorter than the minimal header */
    TCP_E_HDRLEN = -2,  /* data offset below 5 or beyond the segment */
    TCP_E_CSUM = -3,    /* checksum does not verify */
    TCP_E_OPTION = -4,  /* an option with length below 2 or past the header */
    TCP_E_SPACE = -5    /* emitter: output buffer too small */
};

/* Options as received; a has_* or flag field is 0 or 1. Known options with
 * a wrong length are ignored, as RFC 9293 3.1 allows. */
struct tcp_opts {
    uint8_t has_mss, has_wscale, sack_perm, has_ts;
    uint8_t nsack;       /* 0..TCP_MAX_SACK blocks */
    uint16_t mss;
    uint8_t wscale;      /* clamped to TCP_MAX_WSCALE (RFC 7323 2.3) */
    uint32_t ts_val, ts_ecr;
    uint32_t sack_left[TCP_MAX_SACK], sack_right[TCP_MAX_SACK];
};

struct tcp_hdr {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t hdr_len;     /* bytes, 20..60 */
    uint8_t fin, syn, rst, psh, ackf, urg, ece, cwr; /* each 0 or 1 */
    uint16_t window;
    uint16_t csum;
    uint16_t urg_ptr;
    struct tcp_opts opt;
};

/*@ predicate tcp_opts_ok(struct tcp_opts o) =
      o.has_mss <= 1 && o.has_wscale <= 1 && o.sack_perm <= 1 && o.has_ts <= 1
      && o.nsack <= TCP_MAX_SACK && o.wscale <= TCP_MAX_WSCALE;
    predicate tcp_hdr_ok(struct tcp_hdr h, integer len) =
      TCP_HDR_MIN <= h.hdr_len <= TCP_HDR_MAX && h.hdr_len <= len
      && h.fin <= 1 && h.syn <= 1 && h.rst <= 1 && h.psh <= 1 && h.ackf <= 1
      && h.urg <= 1 && h.ece <= 1 && h.cwr <= 1 && tcp_opts_ok(h.opt);
*/

/*@ requires \valid_read(buf + (0 .. len - 1));
    requires \valid(out);
    requires \separated(buf + (0 .. len - 1), out);
    assigns *out;
    ensures \result == 0 || \result == TCP_E_OPTION;
    ensures tcp_opts_ok(*out);
*/
int tcp_options_parse(const uint8_t *buf, size_t len, struct tcp_opts *out);

/* buf/len is the whole segment (IP payload); src/dst from the IP header
 * for the pseudo-header checksum. Returns the header length. */
/*@ requires \valid_read(buf + (0 .. len - 1));
    requires \valid(out);
    requires \separated(buf + (0 .. len - 1), out);
    requires len <= 65535;
    assigns *out;
    ensures \result == TCP_E_TRUNC || \result == TCP_E_HDRLEN || \result == TCP_E_CSUM
         || \result == TCP_E_OPTION || (\result > 0 && \result == out->hdr_len);
    ensures len < TCP_HDR_MIN ==> \result == TCP_E_TRUNC;
    ensures \result > 0 ==> tcp_hdr_ok(*out, len) && \result <= len;
*/
int tcp_parse(const uint8_t *buf, size_t len, uint32_t src, uint32_t dst, struct tcp_hdr *out);

/* SACK blocks that fit beside the other options in 40 bytes. */
/*@ requires \valid_read(o);
    requires tcp_opts_ok(*o);
    assigns \nothing;
    ensures 0 <= \result <= o->nsack;
*/
size_t tcp_emit_nsack(const struct tcp_opts *o);

/* The header length tcp_emit() will write for these options: the caller
 * places the payload at buf[that ..] before emitting. */
/*@ requires \valid_read(o);
    requires tcp_opts_ok(*o);
    assigns \nothing;
    ensures TCP_HDR_MIN <= \result <= TCP_HDR_MAX && \result % 4 == 0;
*/
size_t tcp_emit_hdr_len(const struct tcp_opts *o);

/*@ requires \valid(buf + (0 .. cap - 1));
    requires \valid_read(h);
    requires tcp_opts_ok(h->opt);
    requires \separated(buf + (0 .. cap - 1), h);
    assigns buf[0 .. cap - 1];
    ensures \result == TCP_E_SPACE || (TCP_HDR_MIN <= \result <= cap && \result <= 65535);
*/
/* Writes the header and the options flagged in h->opt (MSS, SACK-permitted,
 * timestamps, window scale, then as many SACK blocks as fit; NOP-padded to
 * a multiple of 4) in front of payload_len bytes already placed at
 * buf[tcp_emit_hdr_len(&h->opt) ..], and checksums both. h->hdr_len and
 * h->csum are ignored. Returns the segment length. */
int tcp_emit(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, const struct tcp_hdr *h, size_t payload_len);

#endif
