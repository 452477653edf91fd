# SPDX-License-Identifier: Apache-2.0
# Atoll — see README.md. `make help` lists the targets.
.DEFAULT_GOAL := programs
SHELL := /bin/bash

BUILD   := build
CC      ?= gcc
ifeq ($(origin CC),default)
CC      := gcc
endif
WARN    := -Wall -Wextra -Werror
STD     := -std=c11
OPT     ?= -O2 -g
# Includes name their folder from the top ("tls/msg.h", "appliance/http/parse.h"),
# so generic names (config.h, log.h, platform.h) cannot collide.
CPPFLAGS := -I. -Iinclude
CFLAGS  := $(STD) $(WARN) $(OPT) -D_DEFAULT_SOURCE
DEPFLAGS = -MMD -MP
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# Parts: one folder each, its sources listed once in <folder>/sources (read
# through mk/parts.sh by this Makefile, fuzz/build.sh and proofs/run.sh).
# The pure parts build with -ffreestanding, and `make` checks their undefined
# symbols against mk/freestanding.allow (mk/check_parts.sh).
PURE_PARTS := tcpip tls appliance/http appliance/site appliance
part_src = $(shell mk/parts.sh lib $(1))
part_obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(call part_src,$(1)))
prog_obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(shell mk/parts.sh program $(1)))

# Libraries: mbedtls for X.509 and the portable crypto backend (tls/backend/, the
# packer), wolfCrypt for the fast backend (tls/backend/wolfcrypt/, built from
# Debian's wolfssl source package: mk/wolfcrypt.mk), zlib for precompression at
# pack time (the packer only).
MBEDTLS := -lmbedx509 -lmbedcrypto
include mk/wolfcrypt.mk

# The crypto backend build/atoll and the PVH image use: wolfcrypt (fast; the
# programs are then GPL-2.0-or-later) or mbedtls (portable, Apache-2.0). The
# unit tests, fuzzers and the TLS client tool carry both.
CRYPTO ?= wolfcrypt
ifeq ($(filter $(CRYPTO),wolfcrypt mbedtls),)
$(error CRYPTO=$(CRYPTO): the crypto backends are wolfcrypt and mbedtls)
endif
ifeq ($(CRYPTO),wolfcrypt)
CRYPTO_PARTS := tls/backend/wolfcrypt
CRYPTO_LIB   := $(WOLFCRYPT_HOST_LIB)
CRYPTO_PVH   := $(WOLFCRYPT_PVH_LIB)
endif
CRYPTO_DEFAULT = $(BUILD)/$(1)/tls/backend/default-$(CRYPTO).o
# Switching CRYPTO relinks: the file naming the choice is rewritten (and
# so newer than what was linked) while the Makefile is read, only when the
# choice changes.
CRYPTO_STAMP := $(BUILD)/crypto.choice
ifneq ($(shell cat $(CRYPTO_STAMP) 2>/dev/null),$(CRYPTO))
$(shell mkdir -p $(BUILD) && echo $(CRYPTO) >$(CRYPTO_STAMP))
endif

# What each program links: only the parts it needs.
ATOLL_PARTS  := tcpip tls tls/backend $(CRYPTO_PARTS) appliance/http appliance/site appliance appliance/tap
PACK_PARTS   := appliance/pack appliance/site
CLIENT_PARTS := tls tls/backend tls/backend/wolfcrypt
ATOLL_OBJ  := $(call part_obj,$(ATOLL_PARTS)) $(call CRYPTO_DEFAULT,obj) $(call prog_obj,atoll)
PACK_OBJ   := $(call part_obj,$(PACK_PARTS)) $(call prog_obj,atoll-pack)
# The TLS client tool runs the appliance's one connection pump over a socket.
CLIENT_OBJ := $(call part_obj,$(CLIENT_PARTS)) $(BUILD)/obj/appliance/pump.o $(call prog_obj,atoll-tls-client)

ALL_LIB_SRC := $(call part_src,$(shell mk/parts.sh parts))
PURE_SRC    := $(call part_src,$(PURE_PARTS))
SAN_OBJ     := $(patsubst %.c,$(BUILD)/san/%.o,$(ALL_LIB_SRC)) $(call CRYPTO_DEFAULT,san)
# What includes wolfCrypt's headers: its configuration, and the headers built first.
WOLF_OBJ    := $(foreach d,obj san,$(BUILD)/$(d)/tls/backend/wolfcrypt/crypto_wolfcrypt.o)
$(WOLF_OBJ): EXTRA_CPPFLAGS := $(WOLFCRYPT_CFLAGS)
$(WOLF_OBJ): | $(WOLFCRYPT_HOST_LIB)

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_HELP := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))

FUZZ_SECONDS ?= 5

# The embedder's archives (rules below, with make install).
LIB_DIR := $(BUILD)/lib
LIBS    := $(LIB_DIR)/libatoll-tcpip.a $(LIB_DIR)/libatoll-tls.a $(LIB_DIR)/libatoll-tls-mbedtls.a \
           $(LIB_DIR)/libatoll-tls-wolfcrypt.a

# Keep the sanitized objects between runs (they are otherwise intermediate).
.SECONDARY:

.PHONY: libs install uninstall all programs deps deps-run deps-test deps-qemu deps-bench run test unit system proofs proofs-cold fuzz fuzz-build bench bench-smoke help clean check-parts xen qemu test-xen

help:
	@echo "Atoll targets (each installs the Debian packages it needs, as root; mk/deps.sh):"
	@echo "  make            build the programs (build/atoll, build/atoll-pack, build/atoll-tls-client);"
	@echo "                  checks the pure parts are freestanding (mk/check_parts.sh). Run set only"
	@echo "  make programs   the same"
	@echo "  make all        the programs and the unit-test binaries (build/tests/). Run and test sets"
	@echo "  make run        serve examples/site (or SITE=dir) over HTTPS on tap device atoll0 (root). Run set only"
	@echo "  make test       the whole suite: unit, system (namespaces), proofs, fuzz smoke. Every set"
	@echo "  make unit       cmocka unit tests under ASan/UBSan"
	@echo "  make system     system tests in network namespaces (root)"
	@echo "  make proofs     Frama-C WP over the parsers; writes proofs/STATUS.md"
	@echo "  make proofs-cold  every proof from scratch, no cached verdict trusted (auditors)"
	@echo "  make fuzz       every AFL++ harness for FUZZ_SECONDS (default $(FUZZ_SECONDS)) each"
	@echo "  make fuzz-build build the AFL++ harnesses (build/fuzz/) without running them"
	@echo "  make bench      TCP echo vs Linux, HTTPS vs nginx, boot figures; writes bench/RESULTS.md (root). Run, bench and qemu sets"
	@echo "  make bench-smoke  every benchmark at a few seconds' size: checks they run, not their speed (root)"
	@echo "  make check-parts  only the freestanding check of the pure parts"
	@echo "  make deps       check every set of Debian packages (installs missing ones as root)"
	@echo "  make deps-run   only the run set: compiler, make, mbedtls, zlib, openssl, iproute2"
	@echo "  make deps-test  the run and test sets (cmocka, AFL++, Frama-C, scapy, chromium, ...)"
	@echo "  make deps-bench the run and bench sets (nginx, ab, valgrind, ...)"
	@echo "  make deps-qemu  the run set and QEMU (qemu-system-x86)"
	@echo "  make libs       the embedder's archives in build/lib/ (libatoll-tcpip.a, libatoll-tls*.a). Run set only"
	@echo "  make install    PREFIX=/usr/local DESTDIR=: those archives, include/atoll/*.h, pkg-config files"
	@echo "  make uninstall  removes what make install put there (same PREFIX, DESTDIR)"
	@echo "  make xen        the PVH image build/atoll.xen and build/atoll.xl (a Xen guest; also boots under QEMU/KVM). Run set only"
	@echo "  make qemu       serve examples/site (or SITE=dir) from build/atoll.xen under QEMU on 127.0.0.1:8443. Run and qemu sets"
	@echo "  make test-xen   the PVH image on real Xen nested in QEMU: serves examples/site to dom0 (tests/xen/). Run and xen sets"
	@echo "  make clean      remove build/"
	@echo "  make help       this list"
	@echo "Folders (each lists its sources in <folder>/sources): base/ tcpip/ tls/ tls/backend/"
	@echo "  appliance/{http,site,tap,pack}/ appliance/ tools/ spec/ proofs/ fuzz/ tests/ mk/"

# The sets: run (build and `make run`), test (the suite adds), bench.
deps:
	@mk/deps.sh all
deps-run:
	@mk/deps.sh run
deps-test:
	@mk/deps.sh run test
deps-qemu:
	@mk/deps.sh run qemu
deps-bench:
	@mk/deps.sh run bench

# Plain `make`: no sanitizer test binaries (minutes of build a user serving
# a site does not need); `make all` and `make test` build them.
programs: deps-run $(BUILD)/atoll $(BUILD)/atoll-tls-client $(BUILD)/atoll-pack check-parts
all: deps-test programs $(LIBS) $(UNIT_BIN) $(BUILD)/atoll.xen $(BUILD)/atoll-mbedtls

# Pure parts: -ffreestanding. Platform parts, the packer and tools: hosted.
PURE_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(PURE_SRC))
$(PURE_OBJ): EXTRA_CFLAGS := -ffreestanding

# Order-only: the packages come before the first compile, under make -j too
# (a target's prerequisites are otherwise made side by side).
$(BUILD)/obj/%.o: %.c | deps-run
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(EXTRA_CPPFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/san/%.o: %.c | deps-test
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(EXTRA_CPPFLAGS) $(CFLAGS) $(SAN) -O1 $(DEPFLAGS) -c $< -o $@

# tls_backend_default, one object per choice (CRYPTO=).
$(BUILD)/obj/tls/backend/default-%.o: tls/backend/default.c | deps-run
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DTLS_BACKEND_CHOICE=atoll_tls_backend_$* $(DEPFLAGS) -c $< -o $@
$(BUILD)/san/tls/backend/default-%.o: tls/backend/default.c | deps-test
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN) -O1 -DTLS_BACKEND_CHOICE=atoll_tls_backend_$* $(DEPFLAGS) -c $< -o $@

# Undefined symbols of the pure parts stay inside mk/freestanding.allow.
check-parts: $(BUILD)/parts.ok
$(BUILD)/parts.ok: $(PURE_OBJ) $(call part_obj,tls/backend) mk/freestanding.allow mk/check_parts.sh
	@mk/check_parts.sh $(BUILD)/obj $(PURE_PARTS)
	@touch $@

$(BUILD)/atoll: $(ATOLL_OBJ) $(CRYPTO_LIB) $(CRYPTO_STAMP)
	$(CC) $(CFLAGS) $(ATOLL_OBJ) $(CRYPTO_LIB) $(MBEDTLS) -o $@

# The appliance on the portable backend whatever CRYPTO says: the suite runs
# the TLS interop tests against both (tests/system/test_tls_interop_mbedtls.sh).
ATOLL_MBEDTLS_OBJ := $(call part_obj,tcpip tls tls/backend appliance/http appliance/site appliance appliance/tap) \
                     $(BUILD)/obj/tls/backend/default-mbedtls.o $(call prog_obj,atoll)
$(BUILD)/atoll-mbedtls: $(ATOLL_MBEDTLS_OBJ)
	$(CC) $(CFLAGS) $^ $(MBEDTLS) -o $@

$(BUILD)/atoll-tls-client: $(CLIENT_OBJ) $(WOLFCRYPT_HOST_LIB)
	$(CC) $(CFLAGS) $^ $(MBEDTLS) -o $@

$(BUILD)/atoll-pack: $(PACK_OBJ)
	$(CC) $(CFLAGS) $^ $(MBEDTLS) -lz -o $@

# Unit tests link the sanitized library parts (no program entry points).
$(BUILD)/tests/%: tests/unit/%.c $(SAN_OBJ) $(UNIT_HELP) $(WOLFCRYPT_HOST_LIB) | deps-test
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(WOLFCRYPT_CFLAGS) $(CFLAGS) $(SAN) -O1 $(DEPFLAGS) $< $(UNIT_HELP) $(SAN_OBJ) \
	    -lcmocka $(WOLFCRYPT_HOST_LIB) $(MBEDTLS) -lz -o $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Libraries for embedders (README "Embedding"): one archive per library,
# each a single object whose only global symbols are atoll_* (mk/lib.sh),
# so internal names cannot collide with the embedder's. A backend archive
# carries its own private copy of the engine helpers it uses (PEM, DNS
# names); the wolfCrypt one carries wolfCrypt itself.
TLS_HELPER_OBJ := $(BUILD)/obj/tls/pem.o $(BUILD)/obj/tls/dns_name.o
$(LIB_DIR)/libatoll-tcpip.a: $(call part_obj,tcpip) mk/lib.sh
	mk/lib.sh $@ $(filter %.o,$^)
$(LIB_DIR)/libatoll-tls.a: $(call part_obj,tls) mk/lib.sh
	mk/lib.sh $@ $(filter %.o,$^)
$(LIB_DIR)/libatoll-tls-mbedtls.a: $(call part_obj,tls/backend) $(TLS_HELPER_OBJ) mk/lib.sh
	mk/lib.sh $@ $(filter %.o,$^)
# atoll_wolfcrypt_seed is wolfCrypt's seed callback (mk/wolfcrypt/user_settings.h).
$(LIB_DIR)/libatoll-tls-wolfcrypt.a: $(call part_obj,tls/backend/wolfcrypt) $(BUILD)/obj/tls/pem.o $(WOLFCRYPT_HOST_LIB) mk/lib.sh
	mk/lib.sh $@ -L atoll_wolfcrypt_seed $(filter %.o %.a,$^)
libs: deps-run $(LIBS)

# make install PREFIX=/usr/local DESTDIR=: the archives, include/atoll/ and
# pkg-config files (mk/install.sh); make uninstall removes exactly those.
PREFIX ?= /usr/local
DESTDIR ?=
install: libs
	@mk/install.sh install '$(DESTDIR)' '$(PREFIX)' $(LIBS)
uninstall:
	@mk/install.sh uninstall '$(DESTDIR)' '$(PREFIX)' $(LIBS)

# The PVH image (xen/). Our code is freestanding: no red zone, frame
# pointers for the crash report's backtrace, the stack protector against the
# canary boot.S plants. The appliance's parts are the very objects
# build/atoll links (an archive, so only what the image calls comes in),
# with Debian's mbedtls archives and libgcc.
XEN_SRC     := $(shell mk/parts.sh lib xen)
XEN_OBJ     := $(patsubst %,$(BUILD)/xen/%.o,$(XEN_SRC))
XEN_APP_OBJ := $(call part_obj,tcpip tls tls/backend $(CRYPTO_PARTS) appliance/http appliance/site appliance) \
               $(call CRYPTO_DEFAULT,obj)
XEN_CFLAGS  := $(STD) $(WARN) -O2 -g -D_DEFAULT_SOURCE -ffreestanding -fno-pic -fno-pie -mno-red-zone \
               -fno-omit-frame-pointer -fstack-protector-strong

$(BUILD)/xen/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(XEN_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/xen/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -fno-pic $(DEPFLAGS) -c $< -o $@

$(BUILD)/xen/appliance.a: $(XEN_APP_OBJ) $(CRYPTO_STAMP)
	@rm -f $@
	ar rcs $@ $(XEN_APP_OBJ)

$(BUILD)/atoll.xen: $(XEN_OBJ) $(BUILD)/xen/appliance.a $(CRYPTO_PVH) $(CRYPTO_STAMP) xen/atoll.ld
	$(CC) -nostdlib -static -no-pie -Wl,-T,xen/atoll.ld -Wl,--build-id=none -Wl,-z,noexecstack \
	    -Wl,-z,max-page-size=4096 -o $@ $(XEN_OBJ) -Wl,--start-group $(BUILD)/xen/appliance.a \
	    $(CRYPTO_PVH) -l:libmbedx509.a -l:libmbedcrypto.a -lgcc -Wl,--end-group

# With the xl configuration a Xen host boots it with, written every time so
# its variables (mk/xl.sh: `make xen MEMORY=128 IP=192.0.2.7/24`) take.
xen: deps-run $(BUILD)/atoll.xen
	@mk/xl.sh $(BUILD)/atoll.xl
	@echo "make xen: $(BUILD)/atoll.xen and $(BUILD)/atoll.xl (on the Xen host: both and a site image as /var/lib/atoll/site.img, then xl create atoll.xl)"
$(BUILD)/atoll.xl: mk/xl.sh
	@mkdir -p $(dir $@)
	mk/xl.sh $@

# Real Xen (Debian 12's, nested in QEMU TCG) boots the image and dom0 fetches
# the site from it; logs in $(BUILD)/test-artefacts/xen/.
test-xen: $(BUILD)/atoll.xen $(BUILD)/atoll-pack
	@mk/deps.sh run xen
	@tests/xen/run.sh $(BUILD)/test-artefacts/xen

qemu: deps-qemu $(BUILD)/atoll.xen $(BUILD)/atoll-pack
	@mk/qemu.sh

unit: deps-test $(UNIT_BIN)
	@tests/run.sh unit

system: deps-test programs $(LIBS) $(BUILD)/atoll.xen $(BUILD)/atoll-mbedtls
	@tests/run.sh system

proofs: deps-test
	@proofs/run.sh

proofs-cold: deps-test
	@PROOFS_CACHE=cold PROOFS_SMOKE=1 proofs/run.sh

fuzz-build: deps-test $(WOLFCRYPT_HOST_LIB)
	@fuzz/build.sh

fuzz: deps-test $(WOLFCRYPT_HOST_LIB)
	@fuzz/run.sh $(FUZZ_SECONDS)

test: deps programs $(LIBS) $(UNIT_BIN) $(BUILD)/atoll.xen $(BUILD)/atoll-mbedtls
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/run.sh all

# ATOLL_CRYPTO names the crypto backend in bench/RESULTS.md: the one this
# build links (CRYPTO=), unless said otherwise (mk/bench_results.py).
ATOLL_CRYPTO ?= $(CRYPTO)
bench: deps-bench deps-qemu $(BUILD)/atoll $(BUILD)/atoll-pack $(BUILD)/atoll.xen
	@ATOLL_CRYPTO='$(ATOLL_CRYPTO)' mk/bench_run.sh full bench/RESULTS.md

bench-smoke: deps-bench deps-qemu $(BUILD)/atoll $(BUILD)/atoll-pack $(BUILD)/atoll.xen
	@ATOLL_CRYPTO='$(ATOLL_CRYPTO)' mk/bench_run.sh smoke

run: deps-run $(BUILD)/atoll $(BUILD)/atoll-pack
	@mk/run.sh

clean:
	rm -rf $(BUILD)
