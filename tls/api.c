/* SPDX-License-Identifier: Apache-2.0 */
/* What <atoll/tls.h> promises about the engine's inside, checked where
 * both are visible: the public constants equal the engine's own, and a
 * connection fits the storage the header tells embedders to reserve. */
#include "tls/tls.h"

_Static_assert(sizeof(struct atoll_tls_conn) <= ATOLL_TLS_CONN_SIZE, "ATOLL_TLS_CONN_SIZE is too small");
_Static_assert(_Alignof(struct atoll_tls_conn) <= ATOLL_TLS_CONN_ALIGN, "ATOLL_TLS_CONN_ALIGN is too small");
_Static_assert(ATOLL_TLS_RECORD_MAX == TLS_RECORD_MAX, "ATOLL_TLS_RECORD_MAX differs from the engine's");

#define SAME_ALERT(name) _Static_assert(ATOLL_TLS_ALERT_##name == TLS_ALERT_##name, "alert " #name)
SAME_ALERT(CLOSE_NOTIFY);
SAME_ALERT(UNEXPECTED_MESSAGE);
SAME_ALERT(BAD_RECORD_MAC);
SAME_ALERT(RECORD_OVERFLOW);
SAME_ALERT(HANDSHAKE_FAILURE);
SAME_ALERT(BAD_CERTIFICATE);
SAME_ALERT(UNSUPPORTED_CERTIFICATE);
SAME_ALERT(CERTIFICATE_REVOKED);
SAME_ALERT(CERTIFICATE_EXPIRED);
SAME_ALERT(CERTIFICATE_UNKNOWN);
SAME_ALERT(ILLEGAL_PARAMETER);
SAME_ALERT(UNKNOWN_CA);
SAME_ALERT(ACCESS_DENIED);
SAME_ALERT(DECODE_ERROR);
SAME_ALERT(DECRYPT_ERROR);
SAME_ALERT(PROTOCOL_VERSION);
SAME_ALERT(INSUFFICIENT_SECURITY);
SAME_ALERT(INTERNAL_ERROR);
SAME_ALERT(INAPPROPRIATE_FALLBACK);
SAME_ALERT(USER_CANCELED);
SAME_ALERT(MISSING_EXTENSION);
SAME_ALERT(UNSUPPORTED_EXTENSION);
SAME_ALERT(UNRECOGNIZED_NAME);
SAME_ALERT(BAD_CERTIFICATE_STATUS_RESPONSE);
SAME_ALERT(UNKNOWN_PSK_IDENTITY);
SAME_ALERT(CERTIFICATE_REQUIRED);
SAME_ALERT(NO_APPLICATION_PROTOCOL);

size_t atoll_tls_conn_size(void) { return sizeof(struct atoll_tls_conn); }

unsigned long atoll_tls_version(void) { return ATOLL_VERSION_NUMBER; }

const char *atoll_tls_version_string(void) { return ATOLL_VERSION_STRING; }

/* The engine's name table stays in tls/alert.c, whose header the proved
 * parsers share; this is its public name. */
const char *atoll_tls_alert_name(int alert) { return tls_alert_name(alert); }

void atoll_tls_info(const struct atoll_tls_conn *c, struct atoll_tls_info *out)
{
    out->suite = c->suite;
    out->group = c->group;
    out->sig_scheme = c->resumed ? 0 : c->sig_scheme;
    out->resumed = c->resumed;
    out->alpn = c->alpn_selected ? c->alpn_proto : NULL;
    out->server_name = c->is_client ? c->ccfg->server_name : c->sni;
}
