/* SPDX-License-Identifier: Apache-2.0 */
/* Alert names for logs: what a user debugging a failed handshake looks up
 * in RFC 8446 section 6. */
#include "tls/alert.h"

const char *tls_alert_name(int alert)
{
    switch (alert) {
    case TLS_ALERT_CLOSE_NOTIFY: return "close_notify";
    case TLS_ALERT_UNEXPECTED_MESSAGE: return "unexpected_message";
    case TLS_ALERT_BAD_RECORD_MAC: return "bad_record_mac";
    case TLS_ALERT_RECORD_OVERFLOW: return "record_overflow";
    case TLS_ALERT_HANDSHAKE_FAILURE: return "handshake_failure";
    case TLS_ALERT_BAD_CERTIFICATE: return "bad_certificate";
    case TLS_ALERT_UNSUPPORTED_CERTIFICATE: return "unsupported_certificate";
    case TLS_ALERT_CERTIFICATE_REVOKED: return "certificate_revoked";
    case TLS_ALERT_CERTIFICATE_EXPIRED: return "certificate_expired";
    case TLS_ALERT_CERTIFICATE_UNKNOWN: return "certificate_unknown";
    case TLS_ALERT_ILLEGAL_PARAMETER: return "illegal_parameter";
    case TLS_ALERT_UNKNOWN_CA: return "unknown_ca";
    case TLS_ALERT_ACCESS_DENIED: return "access_denied";
    case TLS_ALERT_DECODE_ERROR: return "decode_error";
    case TLS_ALERT_DECRYPT_ERROR: return "decrypt_error";
    case TLS_ALERT_PROTOCOL_VERSION: return "protocol_version";
    case TLS_ALERT_INSUFFICIENT_SECURITY: return "insufficient_security";
    case TLS_ALERT_INTERNAL_ERROR: return "internal_error";
    case TLS_ALERT_INAPPROPRIATE_FALLBACK: return "inappropriate_fallback";
    case TLS_ALERT_USER_CANCELED: return "user_canceled";
    case TLS_ALERT_MISSING_EXTENSION: return "missing_extension";
    case TLS_ALERT_UNSUPPORTED_EXTENSION: return "unsupported_extension";
    case TLS_ALERT_UNRECOGNIZED_NAME: return "unrecognized_name";
    case TLS_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE: return "bad_certificate_status_response";
    case TLS_ALERT_UNKNOWN_PSK_IDENTITY: return "unknown_psk_identity";
    case TLS_ALERT_CERTIFICATE_REQUIRED: return "certificate_required";
    case TLS_ALERT_NO_APPLICATION_PROTOCOL: return "no_application_protocol";
    default: return "unknown";
    }
}
