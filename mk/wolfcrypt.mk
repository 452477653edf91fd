# SPDX-License-Identifier: Apache-2.0
# wolfCrypt from Debian bookworm's source package (mk/wolfcrypt.sh), for the
# Makefile to include. The backend compiles with $(WOLFCRYPT_CFLAGS); build/atoll
# and the unit tests link $(WOLFCRYPT_HOST_LIB), the PVH image
# $(WOLFCRYPT_PVH_LIB). Objects that include wolfCrypt's headers need
# `| $(WOLFCRYPT_HOST_LIB)` (order-only) so the headers exist before they compile.
# The source is fetched by `make deps` / `make deps-run` (deps-wolfcrypt) into
# $(WOLFSSL_CACHE), else by the first build of the archives.
WOLFCRYPT_DIR      := $(BUILD)/wolfcrypt
WOLFCRYPT_CFLAGS   := -DWOLFSSL_USER_SETTINGS -I$(WOLFCRYPT_DIR)/include -Imk/wolfcrypt
WOLFCRYPT_HOST_LIB := $(WOLFCRYPT_DIR)/host/libwolfcrypt.a
WOLFCRYPT_PVH_LIB  := $(WOLFCRYPT_DIR)/pvh/libwolfcrypt.a
WOLFSSL_CACHE      ?= $(BUILD)/deps/wolfssl
export WOLFSSL_CACHE

.PHONY: deps-wolfcrypt
# The fetch needs apt-get source and dpkg-source (the run set's dpkg-dev)
# installed first: a prerequisite of deps-run would run before its recipe.
deps-wolfcrypt:
	@mk/deps.sh run
	@mk/wolfcrypt.sh fetch
deps deps-run: deps-wolfcrypt

# One pattern rule with three targets: a single run of the script makes all
# of them (the stem is "wolfcrypt"), and only a changed script,
# user_settings.h or patch makes it run again.
# After the fetch (order-only), so `make -j` never fetches twice at once.
$(BUILD)/%/host/libwolfcrypt.a $(BUILD)/%/pvh/libwolfcrypt.a $(BUILD)/%/include/wolfssl/version.h: \
		mk/wolfcrypt.sh mk/wolfcrypt/user_settings.h $(wildcard mk/wolfcrypt/*.patch) | deps-wolfcrypt
	mk/wolfcrypt.sh build $(BUILD)/$*

# The build's self-test: wolfCrypt's answers on published vectors, so a
# broken archive (settings, patches, assembly dispatch) fails `make unit`.
$(BUILD)/tests/test_wolfcrypt_build: tests/unit/test_wolfcrypt_build.c $(WOLFCRYPT_HOST_LIB) | deps-test
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WOLFCRYPT_CFLAGS) $(CFLAGS) $(SAN) -O1 $(DEPFLAGS) $< $(WOLFCRYPT_HOST_LIB) -lcmocka -o $@
