#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# test_tls_interop.sh against the appliance built on the portable crypto
# backend (build/atoll-mbedtls): every suite, group and signature scheme,
# HelloRetryRequest, resumption, KeyUpdate, SNI, gnutls-cli and curl, so both
# backends meet the same real peers (build/atoll runs the default, wolfCrypt).
REPO=$(cd "$(dirname "$0")/../.." && pwd)
[ -x "$REPO/build/atoll-mbedtls" ] || { echo "FAIL: tls_interop_mbedtls: build/atoll-mbedtls not built (make all)"; exit 1; }
ATOLL=$REPO/build/atoll-mbedtls ATOLL_CRYPTO_EXPECT=mbedtls exec "$REPO/tests/system/test_tls_interop.sh"
