# Atoll — see README.md. `make help` lists the targets.
.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD   := build
CC      ?= gcc
ifeq ($(origin CC),default)
CC      := gcc
endif
WARN    := -Wall -Wextra -Werror
STD     := -std=c11
OPT     ?= -O2 -g
CPPFLAGS := -Itcpip -Itls -Iappliance
CFLAGS  := $(STD) $(WARN) $(OPT) -D_DEFAULT_SOURCE
# Cores stay freestanding-clean: they build with -ffreestanding.
CORE_CFLAGS := $(CFLAGS) -ffreestanding
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# Libraries: mbedtls for crypto primitives and X.509 parsing (tls/, packer),
# zlib for precompression at pack time.
LIBS    := -lmbedx509 -lmbedcrypto -lz

# tcpip/ and tls/ are the pure cores; appliance/ holds the shells. Program
# entry points (one main() each) stay out of the shared objects.
CORE_SRC := $(sort $(wildcard tcpip/*.c tls/*.c))
PROG_SRC := appliance/main_tap.c appliance/main_pack.c appliance/main_tls_client.c
APP_SRC  := $(filter-out $(PROG_SRC),$(sort $(wildcard appliance/*.c)))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
APP_OBJ  := $(APP_SRC:%.c=$(BUILD)/obj/%.o)
SAN_CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/san/%.o)
SAN_APP_OBJ  := $(APP_SRC:%.c=$(BUILD)/san/%.o)

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_HELP := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))

FUZZ_SECONDS ?= 5

# Keep the sanitized objects between runs (they are otherwise intermediate).
.SECONDARY:

.PHONY: all deps run test unit system proofs fuzz fuzz-build bench help clean

help:
	@echo "Atoll targets:"
	@echo "  make            build everything into build/ (build/atoll, build/atoll-pack, unit tests)"
	@echo "  make run        serve examples/site (or SITE=dir) over HTTPS on tap device atoll0 (root)"
	@echo "  make test       the whole suite: unit, system (namespaces), proofs, fuzz smoke"
	@echo "  make unit       cmocka unit tests under ASan/UBSan"
	@echo "  make system     system tests in network namespaces (root)"
	@echo "  make proofs     Frama-C WP over the wire parsers; writes proofs/STATUS.md"
	@echo "  make fuzz       every AFL++ harness for FUZZ_SECONDS (default $(FUZZ_SECONDS)) each"
	@echo "  make bench      TCP echo vs Linux, HTTPS vs nginx: throughput, rates, CPU as ratios (root)"
	@echo "  make deps       check Debian packages (installs missing ones as root)"
	@echo "  make clean      remove build/"

deps:
	@mk/deps.sh

all: deps $(BUILD)/atoll $(BUILD)/atoll-tls-client $(BUILD)/atoll-pack $(UNIT_BIN)

$(BUILD)/obj/tcpip/%.o: tcpip/%.c $(wildcard tcpip/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CORE_CFLAGS) -c $< -o $@

$(BUILD)/obj/tls/%.o: tls/%.c $(wildcard tls/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CORE_CFLAGS) -c $< -o $@

$(BUILD)/obj/appliance/%.o: appliance/%.c $(wildcard appliance/*.h tls/*.h tcpip/atoll_tcpip.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/san/%.o: %.c $(wildcard tcpip/*.h tls/*.h appliance/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN) -O1 -c $< -o $@

$(BUILD)/atoll: $(CORE_OBJ) $(APP_OBJ) $(BUILD)/obj/appliance/main_tap.o
	$(CC) $(CFLAGS) $^ $(LIBS) -o $@

$(BUILD)/atoll-tls-client: $(CORE_OBJ) $(APP_OBJ) $(BUILD)/obj/appliance/main_tls_client.o
	$(CC) $(CFLAGS) $^ $(LIBS) -o $@

$(BUILD)/atoll-pack: $(CORE_OBJ) $(APP_OBJ) $(BUILD)/obj/appliance/main_pack.o
	$(CC) $(CFLAGS) $^ $(LIBS) -o $@

# Unit tests link the sanitized core and appliance library (no main_tap).
$(BUILD)/tests/%: tests/unit/%.c $(SAN_CORE_OBJ) $(SAN_APP_OBJ) $(UNIT_HELP) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(SAN) -O1 $< $(UNIT_HELP) $(SAN_CORE_OBJ) $(SAN_APP_OBJ) -lcmocka $(LIBS) -o $@

unit: deps $(UNIT_BIN)
	@tests/run.sh unit

system: deps $(BUILD)/atoll $(BUILD)/atoll-tls-client $(BUILD)/atoll-pack
	@tests/run.sh system

proofs: deps
	@proofs/run.sh

fuzz-build: deps
	@fuzz/build.sh

fuzz: deps
	@fuzz/run.sh $(FUZZ_SECONDS)

test: deps $(BUILD)/atoll $(BUILD)/atoll-tls-client $(BUILD)/atoll-pack $(UNIT_BIN)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/run.sh all

bench: deps $(BUILD)/atoll $(BUILD)/atoll-pack
	@mk/bench.sh
	@mk/bench_https.sh

run: deps $(BUILD)/atoll $(BUILD)/atoll-pack
	@mk/run.sh

clean:
	rm -rf $(BUILD)
