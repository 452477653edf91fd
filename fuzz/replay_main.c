/* SPDX-License-Identifier: Apache-2.0 */
/* A plain driver for the harnesses: runs LLVMFuzzerTestOneInput once on
 * every file named on the command line, descending into directories (in
 * name order). Built without AFL++ instrumentation, with ASan/UBSan, it
 * replays seed corpora and regression inputs deterministically and
 * reproduces a crash with a readable report:
 *   build/fuzz/replay/fuzz_ipv4 build/fuzz/out/ipv4/default/crashes/id:000000...
 * Prints each file before running it, so the last line names a crashing one. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int verbose;
static unsigned long count;

static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        perror(path);
        return 1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    if (buf == NULL)
        abort();
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (buf == NULL)
                abort();
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        if (got == 0)
            break;
        n += got;
    }
    fclose(fp);
    if (verbose)
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
    /* The harness gets an exactly-sized copy, like under the fuzzer. */
    uint8_t *exact = malloc(n ? n : 1);
    if (exact == NULL)
        abort();
    if (n)
        memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    count++;
    return 0;
}

static int run_path(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        perror(path);
        return 1;
    }
    if (!S_ISDIR(sb.st_mode))
        return run_file(path);
    struct dirent **names;
    int k = scandir(path, &names, NULL, alphasort);
    if (k < 0) {
        perror(path);
        return 1;
    }
    int bad = 0;
    for (int i = 0; i < k; i++) {
        const char *nm = names[i]->d_name;
        if (nm[0] != '.') {
            size_t l = strlen(path) + strlen(nm) + 2;
            char *full = malloc(l);
            if (full == NULL)
                abort();
            snprintf(full, l, "%s/%s", path, nm);
            bad |= run_path(full);
            free(full);
        }
        free(names[i]);
    }
    free(names);
    return bad;
}

int main(int argc, char **argv)
{
    int bad = 0, first = 1;
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        verbose = 1;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [-v] FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = first; i < argc; i++)
        bad |= run_path(argv[i]);
    printf("replayed %lu inputs\n", count);
    return bad;
}
