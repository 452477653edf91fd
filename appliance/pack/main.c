/* SPDX-License-Identifier: Apache-2.0 */
/* build/atoll-pack: a site directory and its TLS credentials in, one site
 * image out (site_pack.h); --list shows what an image holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appliance/pack/pack.h"

#define MAX_PAIRS 64

static void usage(FILE *f)
{
    fputs("usage: atoll-pack SITE_DIR --cert CERT.pem --key KEY.pem [--cert CERT2.pem --key KEY2.pem ...]\n"
          "                  -o SITE.img [--quiet]\n"
          "       atoll-pack --list SITE.img\n"
          "\n"
          "Packs every file under SITE_DIR (a built site: Jekyll's _site/, Hugo's public/, ...) and the\n"
          "TLS certificate chains and keys into one read-only image for build/atoll --site. Each --cert\n"
          "(PEM chain, leaf first) is paired with the --key that follows it; the first pair is the\n"
          "default, the others are chosen by SNI from their certificates' DNS names. The image holds\n"
          "the private keys: it is written with mode 0600.\n"
          "\n"
          "  -o, --output FILE  the image to write (replaced atomically)\n"
          "  -q, --quiet        no progress or summary lines (warnings and errors still print)\n"
          "  --list IMAGE       check an image and print its entries, tab-separated:\n"
          "                     file|index PATH TYPE SIZE ETAG MTIME GZIP-SIZE|-, redirect PATH LOCATION,\n"
          "                     cred N NAMES CERTS KEY-BYTES\n"
          "\n"
          "Exit status: 0 packed (warnings, such as an expired certificate, do not fail), 1 a file,\n"
          "name or credential is unusable (each one is named on stderr), 2 bad command line.\n",
          f);
}

static int bad_usage(const char *fmt, const char *arg)
{
    fputs("atoll-pack: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (atoll-pack --help for usage)\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *site = NULL, *out = NULL, *list = NULL;
    const char *certs[MAX_PAIRS], *keys[MAX_PAIRS];
    size_t ncert = 0, nkey = 0;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if (strcmp(a, "--cert") == 0 || strcmp(a, "--key") == 0 || strcmp(a, "-o") == 0 ||
                   strcmp(a, "--output") == 0 || strcmp(a, "--list") == 0) {
            if (!has_value)
                return bad_usage("%s needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "--cert") == 0) {
                if (ncert != nkey)
                    return bad_usage("--cert %s follows a --cert without its --key", v);
                if (ncert == MAX_PAIRS)
                    return bad_usage("more than 64 --cert/--key pairs%s", "");
                certs[ncert++] = v;
            } else if (strcmp(a, "--key") == 0) {
                if (nkey + 1 != ncert)
                    return bad_usage("--key %s does not follow a --cert", v);
                keys[nkey++] = v;
            } else if (strcmp(a, "--list") == 0) {
                if (list != NULL)
                    return bad_usage("--list given twice (%s)", v);
                list = v;
            } else {
                if (out != NULL)
                    return bad_usage("-o given twice (%s)", v);
                out = v;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return bad_usage("unknown option '%s'", a);
        } else {
            if (site != NULL)
                return bad_usage("unexpected argument '%s' (one SITE_DIR only)", a);
            site = a;
        }
    }
    if (list != NULL) {
        if (site != NULL || out != NULL || ncert != 0)
            return bad_usage("--list takes only the image%s", "");
        return site_pack_list(list, stdout, stderr) == 0 ? 0 : 1;
    }
    if (site == NULL)
        return bad_usage("no SITE_DIR given%s", "");
    if (out == NULL)
        return bad_usage("no output given: -o SITE.img%s", "");
    if (ncert == 0)
        return bad_usage("no --cert/--key pair given: an HTTPS site needs a certificate%s", "");
    if (ncert != nkey)
        return bad_usage("--cert %s has no --key after it", certs[ncert - 1]);

    struct pack_pair pairs[MAX_PAIRS];
    for (size_t i = 0; i < ncert; i++)
        pairs[i] = (struct pack_pair){certs[i], keys[i]};
    struct pack_opts o = {
        .site_dir = site, .out_path = out, .pairs = pairs, .npairs = ncert, .log = stderr, .quiet = quiet};
    struct pack_stats st;
    if (site_pack(&o, &st) != 0) {
        fprintf(stderr, "atoll-pack: %u problem%s; no image written\n", st.errors, st.errors == 1 ? "" : "s");
        return 1;
    }
    return 0;
}
