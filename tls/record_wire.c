/* SPDX-License-Identifier: Apache-2.0 */
/* Record framing without cryptography: what the provers see of the record
 * layer (proofs/run.sh tls_record). Integers are read with arithmetic, not
 * shifts (FRAMA-C.md). */
#include "tls/record_wire.h"

int tls_record_hdr_parse(const uint8_t *buf, size_t len, int protected_, struct tls_record_hdr *out)
{
    if (len < TLS_RECORD_HDR_LEN)
        return TLS_RECORD_E_NEED_MORE;
    uint8_t type = buf[0];
    if (type < TLS_CT_CHANGE_CIPHER_SPEC || type > TLS_CT_APPLICATION_DATA)
        return -TLS_ALERT_UNEXPECTED_MESSAGE;
    uint32_t length = buf[3] * 256u + buf[4];
    uint32_t limit = TLS_PLAINTEXT_MAX;
    if (protected_ != 0 && type == TLS_CT_APPLICATION_DATA)
        limit = TLS_CIPHERTEXT_MAX;
    if (length > limit)
        return -TLS_ALERT_RECORD_OVERFLOW;
    if (length == 0 && type != TLS_CT_APPLICATION_DATA)
        return -TLS_ALERT_UNEXPECTED_MESSAGE;
    out->type = type;
    out->version = (uint16_t)(buf[1] * 256u + buf[2]);
    out->length = (uint16_t)length;
    return TLS_RECORD_HDR_LEN;
}

void tls_record_hdr_write(uint8_t *out, uint8_t type, uint16_t length)
{
    out[0] = type;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)(length / 256u);
    out[4] = (uint8_t)(length % 256u);
}

int tls_record_inner_split(const uint8_t *inner, size_t len, uint8_t *type, size_t *content_len)
{
    size_t i = len;
    /*@ loop invariant 0 <= i <= len;
      @ loop invariant tls_all_zero(inner, i, len);
      @ loop assigns i;
      @ loop variant i;
      @*/
    while (i > 0 && inner[i - 1] == 0)
        i--;
    if (i == 0)
        return -TLS_ALERT_UNEXPECTED_MESSAGE;
    *type = inner[i - 1];
    *content_len = i - 1;
    return 0;
}
