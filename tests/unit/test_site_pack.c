/* SPDX-License-Identifier: Apache-2.0 */
/* The packer (appliance/pack/pack.h and its pack_* parts): real trees in a
 * temporary directory, certificates made with mbedtls (testcert.h), the
 * image read back with the loader. Every refusal must name the file at
 * fault and leave no image behind. */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>
#include <zlib.h>

#include "appliance/pack/creds.h"
#include "appliance/pack/mime.h"
#include "appliance/pack/names.h"
#include "appliance/site/image.h"
#include "appliance/pack/pack.h"
#include "testcert.h"

#define MTIME 1700000000

static char tmp[64];     /* the test's directory */
static char site[128];   /* tmp/site */
static char out[128];    /* tmp/site.img */
static char cert[128], key[128];

static char *logbuf;
static size_t loglen;
static FILE *logf;

/* ---- fixtures ---- */

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void path_in(char *buf, size_t cap, const char *rel)
{
    int n = snprintf(buf, cap, "%s/%s", site, rel);
    assert_true(n > 0 && (size_t)n < cap);
}

/* Creates site/rel (and its directories) holding n bytes of data. */
static void put_file(const char *rel, const void *data, size_t n)
{
    char p[4096];
    path_in(p, sizeof p, rel);
    for (char *s = p + strlen(site) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(p, 0755);
        *s = '/';
    }
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    struct timespec ts[2] = {{MTIME, 0}, {MTIME, 0}};
    assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
}

static void put_text(const char *rel, const char *text)
{
    put_file(rel, text, strlen(text));
}

static void put_link(const char *rel, const char *target)
{
    char p[4096];
    path_in(p, sizeof p, rel);
    assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/atoll-test-pack.XXXXXX");
    assert_non_null(mkdtemp(tmp));
    snprintf(site, sizeof site, "%s/site", tmp);
    snprintf(out, sizeof out, "%s/site.img", tmp);
    snprintf(cert, sizeof cert, "%s/cert.pem", tmp);
    snprintf(key, sizeof key, "%s/key.pem", tmp);
    assert_int_equal(mkdir(site, 0755), 0);
    static const char *const dns[] = {"Example.ORG", "www.example.org"};
    struct testcert_spec s = {.cn = "example.org", .dns = dns, .ndns = 2};
    testcert_make(&s, cert, key);
    logf = open_memstream(&logbuf, &loglen);
    assert_non_null(logf);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fclose(logf);
    free(logbuf);
    logbuf = NULL;
    assert_int_equal(nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
    return 0;
}

static const char *log_text(void)
{
    fflush(logf);
    return logbuf;
}

static int pack_with(const struct pack_pair *pairs, size_t n, time_t now, struct pack_stats *st)
{
    struct pack_opts o = {.site_dir = site, .out_path = out, .pairs = pairs, .npairs = n, .log = logf,
                          .quiet = 1, .now = now};
    return site_pack(&o, st);
}

static int pack(struct pack_stats *st)
{
    struct pack_pair p = {cert, key};
    return pack_with(&p, 1, 0, st);
}

/* The packed image, opened; the caller frees *buf. */
static struct site_image load(uint8_t **buf)
{
    size_t len;
    *buf = pack_read_file(out, &len);
    assert_non_null(*buf);
    struct site_image im;
    assert_int_equal(site_image_open(*buf, len, &im), 0);
    return im;
}

static struct site_entry must_find(const struct site_image *im, const char *path)
{
    struct site_entry e;
    int rc = site_lookup(im, (const uint8_t *)path, strlen(path), &e);
    if (rc != 1)
        fail_msg("lookup of %s gave %d", path, rc);
    return e;
}

static void assert_no_image(void)
{
    assert_int_equal(access(out, F_OK), -1);
    /* nor a temporary one */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q tmp-", tmp);
    assert_int_not_equal(system(cmd), 0);
}

/* The log names `who` and says `why` on one line. */
static void assert_logged(const char *who, const char *why)
{
    const char *l = log_text();
    for (const char *p = l; p != NULL && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char line[2048];
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        if (strstr(line, who) != NULL && strstr(line, why) != NULL)
            return;
    }
    fail_msg("no log line naming '%s' with '%s' in:\n%s", who, why, l);
}

static void inflate_all(const uint8_t *gz, size_t n, uint8_t *dst, size_t cap, size_t *got)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = (Bytef *)(uintptr_t)gz;
    z.avail_in = (uInt)n;
    z.next_out = dst;
    z.avail_out = (uInt)cap;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    *got = cap - z.avail_out;
    inflateEnd(&z);
}

/* ---- round trip ---- */

static char css[20000];
static uint8_t noise[5000];

static void build_site(void)
{
    put_text("index.html", "<h1>home</h1>\n");
    put_text("about/index.html", "<h1>about</h1>\n");
    put_text("404.html", "<h1>gone</h1>\n");
    for (size_t i = 0; i + 1 < sizeof css; i++)
        css[i] = "body { margin: 0 }\n"[i % 19];
    put_text("css/site.css", css);
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof noise; i++) {
        x = x * 1103515245u + 12345u;
        noise[i] = (uint8_t)(x >> 16);
    }
    put_file("img/logo.png", noise, sizeof noise);
    put_file("data.bin", noise, sizeof noise); /* unknown type: gzip tried, not smaller */
    put_text("empty.txt", "");
    put_text("my dir/a b.html", "<p>spaced</p>");
    put_text("my dir/index.html", "<p>dir</p>");
    put_text("caf\xc3\xa9.html", "<p>caf\xc3\xa9</p>");
    put_text("deep/a/b/c.js", "console.log(1)");
    put_text("nodir/readme.md", "# no index here");
    put_text(".well-known/security.txt", "Contact: mailto:a@example.org\n");
}

static void expect_file(const struct site_image *im, const char *path, const void *body, size_t n, const char *type)
{
    struct site_entry e = must_find(im, path);
    assert_int_equal(e.kind, SITE_FILE);
    assert_int_equal(e.body_len, n);
    assert_memory_equal(e.body, body, n);
    assert_int_equal(e.type_len, strlen(type));
    assert_memory_equal(e.type, type, e.type_len);
    assert_int_equal(e.mtime, MTIME);
    /* strong ETag: the first 16 bytes of the SHA-256, hex, quoted */
    uint8_t sum[32];
    char etag[40];
    mbedtls_sha256_ret(body, n, sum, 0);
    etag[0] = '"';
    for (int i = 0; i < 16; i++)
        snprintf(etag + 1 + 2 * i, 3, "%02x", sum[i]);
    etag[33] = '"';
    assert_int_equal(e.etag_len, 34);
    assert_memory_equal(e.etag, etag, 34);
    if (e.gzip_len > 0) {
        static uint8_t plain[65536];
        size_t got;
        assert_true(e.gzip_len < e.body_len);
        inflate_all(e.gzip, e.gzip_len, plain, sizeof plain, &got);
        assert_int_equal(got, n);
        assert_memory_equal(plain, body, n);
    }
}

static void round_trip(void **state)
{
    (void)state;
    build_site();
    struct pack_stats st;
    assert_int_equal(pack(&st), 0);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.warnings, 0);
    assert_int_equal(st.files, 13);
    assert_int_equal(st.indexes, 3);    /* /, /about/, /my dir/ */
    assert_int_equal(st.redirects, 2);  /* /about, /my dir */
    assert_int_equal(st.has_404, 1);
    struct stat sb;
    assert_int_equal(stat(out, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(st.image_bytes, (uint64_t)sb.st_size);

    uint8_t *buf;
    struct site_image im = load(&buf);
    assert_int_equal(im.entry_count, 13 + 3 + 2);
    const char *html = "text/html; charset=utf-8";
    expect_file(&im, "/index.html", "<h1>home</h1>\n", 14, html);
    expect_file(&im, "/about/index.html", "<h1>about</h1>\n", 15, html);
    expect_file(&im, "/css/site.css", css, strlen(css), "text/css; charset=utf-8");
    expect_file(&im, "/img/logo.png", noise, sizeof noise, "image/png");
    expect_file(&im, "/data.bin", noise, sizeof noise, "application/octet-stream");
    expect_file(&im, "/empty.txt", "", 0, "text/plain; charset=utf-8");
    expect_file(&im, "/my dir/a b.html", "<p>spaced</p>", 13, html);
    expect_file(&im, "/caf\xc3\xa9.html", "<p>caf\xc3\xa9</p>", 12, html);
    expect_file(&im, "/deep/a/b/c.js", "console.log(1)", 14, "text/javascript; charset=utf-8");
    expect_file(&im, "/nodir/readme.md", "# no index here", 15, "text/markdown; charset=utf-8");
    expect_file(&im, "/.well-known/security.txt", "Contact: mailto:a@example.org\n", 30, "text/plain; charset=utf-8");

    /* gzip: the repetitive CSS gets a variant, random bytes do not */
    assert_true(must_find(&im, "/css/site.css").gzip_len > 0);
    assert_true(must_find(&im, "/css/site.css").gzip_len < 1000);
    assert_int_equal(must_find(&im, "/img/logo.png").gzip_len, 0);
    assert_int_equal(must_find(&im, "/data.bin").gzip_len, 0);
    assert_int_equal(must_find(&im, "/empty.txt").gzip_len, 0);

    /* directory indexes share their index.html's bytes; redirects add the slash, encoded */
    struct site_entry idx = must_find(&im, "/"), file = must_find(&im, "/index.html");
    assert_int_equal(idx.kind, SITE_INDEX);
    assert_ptr_equal(idx.body, file.body);
    assert_int_equal(idx.body_len, file.body_len);
    assert_memory_equal(idx.etag, file.etag, file.etag_len);
    idx = must_find(&im, "/my dir/");
    assert_int_equal(idx.kind, SITE_INDEX);
    assert_memory_equal(idx.body, "<p>dir</p>", idx.body_len);
    struct site_entry r = must_find(&im, "/my dir");
    assert_int_equal(r.kind, SITE_REDIRECT);
    assert_int_equal(r.location_len, strlen("/my%20dir/"));
    assert_memory_equal(r.location, "/my%20dir/", r.location_len);
    r = must_find(&im, "/about");
    assert_int_equal(r.kind, SITE_REDIRECT);
    assert_memory_equal(r.location, "/about/", r.location_len);
    /* no index.html: neither an index nor a redirect */
    struct site_entry e;
    assert_int_equal(site_lookup(&im, (const uint8_t *)"/nodir/", 7, &e), 0);
    assert_int_equal(site_lookup(&im, (const uint8_t *)"/nodir", 6, &e), 0);
    assert_int_equal(site_lookup(&im, (const uint8_t *)"/deep/", 6, &e), 0);

    assert_int_equal(site_not_found(&im, &e), 1);
    assert_memory_equal(e.body, "<h1>gone</h1>\n", e.body_len);

    /* the index is sorted (the loader checked it; say it here too) */
    struct site_entry prev, cur;
    assert_int_equal(site_entry_parse(&im, 0, &prev), SITE_ENTRY_LEN);
    for (uint32_t i = 1; i < im.entry_count; i++) {
        assert_int_equal(site_entry_parse(&im, i, &cur), SITE_ENTRY_LEN);
        assert_int_equal(site_path_cmp(prev.path, prev.path_len, cur.path, cur.path_len), -1);
        prev = cur;
    }
    free(buf);
}

static void credentials_round_trip(void **state)
{
    (void)state;
    put_text("index.html", "x");
    assert_int_equal(pack(NULL), 0);
    uint8_t *buf;
    struct site_image im = load(&buf);
    assert_int_equal(im.cred_count, 1);
    struct site_cred c;
    struct site_slice s;
    assert_int_equal(site_cred_parse(&im, 0, &c), SITE_CRED_LEN);
    assert_int_equal(c.cert_count, 1);
    assert_int_equal(c.name_count, 2);
    /* names lower-cased, in certificate order */
    assert_int_equal(site_cred_name(&im, &c, 0, &s), SITE_SLICE_LEN);
    assert_int_equal(s.len, 11);
    assert_memory_equal(s.ptr, "example.org", 11);
    assert_int_equal(site_cred_name(&im, &c, 1, &s), SITE_SLICE_LEN);
    assert_memory_equal(s.ptr, "www.example.org", s.len);
    /* the certificate is the PEM's DER; the key parses and matches it */
    mbedtls_x509_crt crt;
    mbedtls_pk_context pk;
    mbedtls_x509_crt_init(&crt);
    mbedtls_pk_init(&pk);
    assert_int_equal(mbedtls_x509_crt_parse_file(&crt, cert), 0);
    assert_int_equal(site_cred_cert(&im, &c, 0, &s), SITE_SLICE_LEN);
    assert_int_equal(s.len, crt.raw.len);
    assert_memory_equal(s.ptr, crt.raw.p, s.len);
    assert_int_equal(mbedtls_pk_parse_key(&pk, c.key, c.key_len, NULL, 0), 0);
    assert_int_equal(mbedtls_pk_check_pair(&crt.pk, &pk), 0);
    mbedtls_pk_free(&pk);
    mbedtls_x509_crt_free(&crt);
    free(buf);
}

static void chain_and_several_pairs(void **state)
{
    (void)state;
    put_text("index.html", "x");
    char ca_cert[160], ca_key[160], leaf_cert[160], leaf_key[160], chain[160], c2[160], k2[160];
    snprintf(ca_cert, sizeof ca_cert, "%s/ca.pem", tmp);
    snprintf(ca_key, sizeof ca_key, "%s/ca.key", tmp);
    snprintf(leaf_cert, sizeof leaf_cert, "%s/leaf.pem", tmp);
    snprintf(leaf_key, sizeof leaf_key, "%s/leaf.key", tmp);
    snprintf(chain, sizeof chain, "%s/chain.pem", tmp);
    snprintf(c2, sizeof c2, "%s/c2.pem", tmp);
    snprintf(k2, sizeof k2, "%s/k2.pem", tmp);
    struct testcert_spec ca = {.cn = "Test CA"};
    testcert_make(&ca, ca_cert, ca_key);
    static const char *const dns1[] = {"a.example"};
    struct testcert_spec leaf = {.cn = "a.example", .dns = dns1, .ndns = 1, .issuer_key = ca_key,
                                 .issuer_cn = "Test CA"};
    testcert_make(&leaf, leaf_cert, leaf_key);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cat %s %s > %s", leaf_cert, ca_cert, chain);
    assert_int_equal(system(cmd), 0);
    /* the second pair repeats a.example: a warning, the first wins */
    static const char *const dns2[] = {"*.b.example", "a.example"};
    struct testcert_spec two = {.cn = "b.example", .dns = dns2, .ndns = 2};
    testcert_make(&two, c2, k2);

    struct pack_pair pairs[] = {{chain, leaf_key}, {c2, k2}};
    struct pack_stats st;
    assert_int_equal(pack_with(pairs, 2, 0, &st), 0);
    assert_int_equal(st.warnings, 1);
    assert_logged(c2, "a.example is also in");

    uint8_t *buf;
    struct site_image im = load(&buf);
    assert_int_equal(im.cred_count, 2);
    struct site_cred c;
    struct site_slice s;
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    assert_int_equal(site_cred_parse(&im, 0, &c), SITE_CRED_LEN);
    assert_int_equal(c.cert_count, 2);
    assert_int_equal(mbedtls_x509_crt_parse_file(&crt, chain), 0);
    assert_int_equal(site_cred_cert(&im, &c, 0, &s), SITE_SLICE_LEN); /* leaf first */
    assert_memory_equal(s.ptr, crt.raw.p, crt.raw.len);
    assert_int_equal(site_cred_cert(&im, &c, 1, &s), SITE_SLICE_LEN);
    assert_memory_equal(s.ptr, crt.next->raw.p, crt.next->raw.len);
    mbedtls_x509_crt_free(&crt);
    assert_int_equal(site_cred_parse(&im, 1, &c), SITE_CRED_LEN);
    assert_int_equal(c.name_count, 2);
    assert_int_equal(site_cred_name(&im, &c, 0, &s), SITE_SLICE_LEN);
    assert_memory_equal(s.ptr, "*.b.example", s.len);
    free(buf);
}

static void deterministic(void **state)
{
    (void)state;
    build_site();
    assert_int_equal(pack(NULL), 0);
    size_t n1, n2;
    uint8_t *a = pack_read_file(out, &n1);
    assert_int_equal(pack(NULL), 0);
    uint8_t *b = pack_read_file(out, &n2);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    free(a);
    free(b);
}

static void symlinks_inside_are_followed(void **state)
{
    (void)state;
    put_text("real/page.html", "<p>real</p>");
    put_text("real/index.html", "<p>idx</p>");
    put_link("alias", "real");              /* a directory */
    put_link("same.html", "real/page.html"); /* a file */
    assert_int_equal(pack(NULL), 0);
    uint8_t *buf;
    struct site_image im = load(&buf);
    assert_memory_equal(must_find(&im, "/alias/page.html").body, "<p>real</p>", 11);
    assert_memory_equal(must_find(&im, "/same.html").body, "<p>real</p>", 11);
    assert_int_equal(must_find(&im, "/alias").kind, SITE_REDIRECT);
    assert_int_equal(must_find(&im, "/alias/").kind, SITE_INDEX);
    free(buf);
}

static void symlink_escaping_is_refused(void **state)
{
    (void)state;
    put_text("index.html", "x");
    put_link("passwd", "/etc/passwd");
    put_link("up", "..");
    put_text("sub/ok.html", "y");
    put_link("sub/sneaky.html", "../../cert.pem");
    assert_int_equal(pack(NULL), -1);
    assert_logged("site/passwd", "escapes the site directory");
    assert_logged("site/up", "escapes the site directory");
    assert_logged("site/sub/sneaky.html", "escapes the site directory");
    assert_no_image();
}

static void symlink_loop_and_dangling_are_refused(void **state)
{
    (void)state;
    put_text("a/b/index.html", "x");
    put_link("a/b/back", "..");
    put_link("dead.html", "nowhere.html");
    struct pack_stats st;
    assert_int_equal(pack(&st), -1);
    assert_int_equal(st.errors, 2);
    assert_logged("site/a/b/back", "loop");
    assert_logged("site/dead.html", "dangling");
    assert_no_image();
}

static void names_that_cannot_be_urls(void **state)
{
    (void)state;
    put_text("index.html", "x");
    static const char *const bad[] = {"what?.html", "a#b.html", "back\\slash.html", "tab\there.html",
                                      "nl\nhere.html", "bad\xff.html", "c1\xc2\x85.html", "del\x7f.html",
                                      "over\xc0\xaf.html"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        put_text(bad[i], "x");
    put_text("dir?/inside.html", "x"); /* the directory is refused, its files are not walked */
    struct pack_stats st;
    assert_int_equal(pack(&st), -1);
    assert_int_equal(st.errors, sizeof bad / sizeof bad[0] + 1);
    assert_logged("site/what?.html", "'?'");
    assert_logged("site/a#b.html", "'#'");
    assert_logged("site/back\\x5cslash.html", "backslash");
    assert_logged("site/tab\\x09here.html", "control character");
    assert_logged("site/nl\\x0ahere.html", "control character");
    assert_logged("site/bad\\xff.html", "cannot be a URL path: it is not valid UTF-8");
    assert_logged("site/c1\\xc2\\x85.html", "control character");
    assert_logged("site/del\\x7f.html", "control character");
    assert_logged("site/over\\xc0\\xaf.html", "UTF-8");
    assert_logged("site/dir?", "'?'");
    assert_no_image();
}

static void unusual_but_legal_names_are_kept(void **state)
{
    (void)state;
    static const char *const ok[] = {"100%.html", "a\"q\".html", "<x>.html", "[1].txt", "sp ace.txt",
                                     "\xe6\x97\xa5\xe6\x9c\xac.html", "~tilde", "semi;colon=1,2", "emoji\xf0\x9f\x98\x80"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "d%zu/%s", i, ok[i]);
        put_text(rel, ok[i]);
        snprintf(rel, sizeof rel, "d%zu/index.html", i);
        put_text(rel, "i");
    }
    put_text("sp ace/index.html", "i");
    put_text("100%/index.html", "i");
    assert_int_equal(pack(NULL), 0);
    uint8_t *buf;
    struct site_image im = load(&buf);
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char key[64];
        snprintf(key, sizeof key, "/d%zu/%s", i, ok[i]);
        assert_memory_equal(must_find(&im, key).body, ok[i], strlen(ok[i]));
    }
    assert_memory_equal(must_find(&im, "/sp ace").location, "/sp%20ace/", 10);
    assert_memory_equal(must_find(&im, "/100%").location, "/100%25/", 8);
    free(buf);
}

static void path_too_long_is_refused(void **state)
{
    (void)state;
    put_text("index.html", "x");
    /* 5 directories of 200 bytes and a file: over 1024 bytes */
    char rel[1200] = "";
    char seg[202];
    memset(seg, 'd', 200);
    seg[200] = '/';
    seg[201] = '\0';
    for (int i = 0; i < 5; i++)
        strcat(rel, seg);
    strcat(rel, "file-name-that-crosses.html");
    put_text(rel, "x");
    assert_int_equal(pack(NULL), -1);
    assert_logged("file-name-that-crosses.html", "over the image format's limit of 1024");
    assert_no_image();
}

static void special_files_are_refused(void **state)
{
    (void)state;
    put_text("index.html", "x");
    char p[256];
    path_in(p, sizeof p, "pipe");
    assert_int_equal(mkfifo(p, 0644), 0);
    assert_int_equal(pack(NULL), -1);
    assert_logged("site/pipe", "not a regular file");
    assert_no_image();
}

static void image_size_limit(void **state)
{
    (void)state;
    put_text("index.html", "x");
    static char big[40000];
    memset(big, 'b', sizeof big);
    put_file("big.bin", big, sizeof big);
    struct pack_pair pr = {cert, key};
    /* a file alone over the limit: named by the walk */
    struct pack_opts o = {.site_dir = site, .out_path = out, .pairs = &pr, .npairs = 1, .log = logf, .quiet = 1,
                          .max_image = 30000};
    assert_int_equal(site_pack(&o, NULL), -1);
    assert_logged("site/big.bin", "limit of 30000");
    assert_no_image();
    /* the files fit, the variants, metadata and credentials do not: the
     * writer names the piece that crosses the limit (here the key) */
    o.max_image = 40500;
    assert_int_equal(site_pack(&o, NULL), -1);
    assert_logged(key, "past the format's limit of 40500");
    assert_no_image();
    o.max_image = 0;
    assert_int_equal(site_pack(&o, NULL), 0);
}

static void credential_errors(void **state)
{
    (void)state;
    put_text("index.html", "x");
    char other_cert[160], other_key[160], junk[160], missing[160];
    snprintf(other_cert, sizeof other_cert, "%s/other.pem", tmp);
    snprintf(other_key, sizeof other_key, "%s/other.key", tmp);
    snprintf(junk, sizeof junk, "%s/junk.pem", tmp);
    snprintf(missing, sizeof missing, "%s/missing.pem", tmp);
    struct testcert_spec s = {.cn = "other.example"};
    testcert_make(&s, other_cert, other_key);
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    fputs("-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n", f);
    fclose(f);

    struct pack_pair mismatch = {cert, other_key};
    assert_int_equal(pack_with(&mismatch, 1, 0, NULL), -1);
    assert_logged(other_key, "does not match the certificate in");
    assert_no_image();

    struct pack_pair bad_cert = {junk, key};
    assert_int_equal(pack_with(&bad_cert, 1, 0, NULL), -1);
    assert_logged(junk, "not a valid certificate");

    struct pack_pair bad_key = {cert, junk};
    assert_int_equal(pack_with(&bad_key, 1, 0, NULL), -1);
    assert_logged(junk, "not a valid private key");

    struct pack_pair no_cert = {missing, key};
    assert_int_equal(pack_with(&no_cert, 1, 0, NULL), -1);
    assert_logged(missing, "cannot read the certificate: No such file");

    struct pack_pair no_key = {cert, missing};
    assert_int_equal(pack_with(&no_key, 1, 0, NULL), -1);
    assert_logged(missing, "cannot read the private key");

    assert_int_equal(pack_with(NULL, 0, 0, NULL), -1);
    assert_logged("site", "at least one --cert/--key");
    assert_no_image();
}

/* site_pack in a child that mode 000 really keeps out: as root (who reads
 * everything) the child becomes nobody first. Its log comes back into
 * logf; returns site_pack's result and its problem count in *errors. */
static int pack_unprivileged(const struct pack_pair *pairs, size_t n, unsigned *errors)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(logf);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        if (geteuid() == 0) {
            const struct passwd *pw = getpwnam("nobody");
            uid_t uid = pw != NULL ? pw->pw_uid : 65534;
            gid_t gid = pw != NULL ? pw->pw_gid : 65534;
            if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
                _exit(100);
        }
        FILE *lf = fdopen(fds[1], "w");
        if (lf == NULL)
            _exit(101);
        struct pack_opts o = {.site_dir = site, .out_path = out, .pairs = pairs, .npairs = n, .log = lf, .quiet = 1};
        struct pack_stats st;
        int rc = site_pack(&o, &st);
        fclose(lf);
        _exit(rc == 0 ? 0 : st.errors < 99 ? (int)st.errors : 99);
    }
    close(fds[1]);
    char buf[4096];
    ssize_t got;
    while ((got = read(fds[0], buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)got, logf);
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    int code = WEXITSTATUS(status);
    if (code >= 100)
        fail_msg("the unprivileged child could not start (%d)", code);
    *errors = (unsigned)code;
    return code == 0 ? 0 : -1;
}

/* The README's promise: one run lists every problem. A bad credential
 * must not hide the tree's problems, nor an unreadable directory the
 * unreadable files elsewhere. */
static void every_problem_in_one_run(void **state)
{
    (void)state;
    put_text("index.html", "x");
    put_text("what?.html", "x");
    put_text("private.html", "secret");
    put_text("locked/inside.html", "x");
    put_link("leak.txt", "/etc/passwd");
    char p[4096], junk[160];
    snprintf(junk, sizeof junk, "%s/junk.pem", tmp);
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    fputs("not a certificate\n", f);
    fclose(f);
    path_in(p, sizeof p, "private.html");
    assert_int_equal(chmod(p, 0), 0);
    path_in(p, sizeof p, "locked");
    assert_int_equal(chmod(p, 0), 0);
    assert_int_equal(chmod(tmp, 0755), 0); /* nobody walks the site, reads the key and junk.pem */
    assert_int_equal(chmod(key, 0644), 0);
    struct pack_pair bad = {junk, key};
    unsigned errors = 0;
    assert_int_equal(pack_unprivileged(&bad, 1, &errors), -1);
    assert_logged(junk, "not a valid certificate");
    assert_logged("site/what?.html", "cannot be a URL path: it holds '?'");
    assert_logged("site/leak.txt", "escapes the site directory");
    assert_logged("site/private.html", "cannot read: Permission denied");
    assert_logged("site/locked", "cannot read the directory: Permission denied");
    assert_int_equal(errors, 5);
    assert_no_image();
    assert_int_equal(chmod(p, 0755), 0); /* teardown removes it */
}

/* A certificate and a key that are both wrong are both named. */
static void bad_certificate_and_bad_key_both_named(void **state)
{
    (void)state;
    put_text("index.html", "x");
    char junk[160], missing[160];
    snprintf(junk, sizeof junk, "%s/junk.pem", tmp);
    snprintf(missing, sizeof missing, "%s/missing.key", tmp);
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    fputs("not a certificate\n", f);
    fclose(f);
    struct pack_pair both = {junk, missing};
    struct pack_stats st;
    assert_int_equal(pack_with(&both, 1, 0, &st), -1);
    assert_int_equal(st.errors, 2);
    assert_logged(junk, "not a valid certificate");
    assert_logged(missing, "cannot read the private key: No such file");
    assert_no_image();
}

/* The summary line counts in words a user reads as written: "1 redirect",
 * and kilobytes for what a small site saves, not "0.0 MB". */
static void summary_wording(void **state)
{
    (void)state;
    put_text("index.html", "<h1>home</h1>");
    put_text("about/index.html", "<h1>about</h1>");
    static char text[3001];
    for (size_t i = 0; i + 1 < sizeof text; i++)
        text[i] = "p { color: red }\n"[i % 17];
    put_text("site.css", text);
    struct pack_pair p = {cert, key};
    struct pack_opts o = {.site_dir = site, .out_path = out, .pairs = &p, .npairs = 1, .log = logf};
    struct pack_stats st;
    assert_int_equal(site_pack(&o, &st), 0);
    assert_int_equal(st.redirects, 1);
    assert_int_equal(st.gzipped, 1);
    assert_logged("wrote", ": 3 files (3.0 KB), 2 directory indexes, 1 redirect, no 404 page, 1 gzip variant (");
    assert_logged("wrote", " KB saved), 1 credential, ");
    const char *l = log_text();
    assert_null(strstr(l, " MB"));
    assert_null(strstr(l, "1 redirects"));
}


static void expired_certificate_warns_and_packs(void **state)
{
    (void)state;
    put_text("index.html", "x");
    char c[160], k[160];
    snprintf(c, sizeof c, "%s/old.pem", tmp);
    snprintf(k, sizeof k, "%s/old.key", tmp);
    struct testcert_spec s = {.cn = "old.example", .not_before = "20200101000000", .not_after = "20200201000000"};
    testcert_make(&s, c, k);
    struct pack_pair p = {c, k};
    struct pack_stats st;
    assert_int_equal(pack_with(&p, 1, 0, &st), 0);
    assert_int_equal(st.warnings, 1);
    assert_logged(c, "expired on 2020-02-01 00:00:00 UTC");
    /* the same certificate judged in 2020-01-15 is fine; in 2019 it is not yet valid */
    assert_int_equal(pack_with(&p, 1, 1579046400, &st), 0);
    assert_int_equal(st.warnings, 0);
    assert_int_equal(pack_with(&p, 1, 1546300800, &st), 0);
    assert_int_equal(st.warnings, 1);
    assert_logged(c, "not valid before 2020-01-01");
}

static void progress_lines(void **state)
{
    (void)state;
    for (int i = 0; i < 7; i++) {
        char rel[32];
        snprintf(rel, sizeof rel, "f%d.txt", i);
        put_text(rel, "some text");
    }
    struct pack_pair p = {cert, key};
    struct pack_opts o = {.site_dir = site, .out_path = out, .pairs = &p, .npairs = 1, .log = logf,
                          .progress_files = 3};
    assert_int_equal(site_pack(&o, NULL), 0);
    assert_logged("3/7 files", "MB read");
    assert_logged("6/7 files", "MB read");
    assert_logged("wrote", "7 files");
}

static void unwritable_output(void **state)
{
    (void)state;
    put_text("index.html", "x");
    struct pack_pair p = {cert, key};
    struct pack_opts o = {.site_dir = site, .out_path = "/nonexistent-dir/site.img", .pairs = &p, .npairs = 1,
                          .log = logf, .quiet = 1};
    assert_int_equal(site_pack(&o, NULL), -1);
    assert_logged("/nonexistent-dir/site.img", "cannot create");
    o.site_dir = "/nonexistent-site";
    assert_int_equal(site_pack(&o, NULL), -1);
    assert_logged("/nonexistent-site", "cannot open the site directory");
}

static void secrets_are_never_served(void **state)
{
    (void)state;
    put_text("index.html", "x");
    /* the output inside the site: the next run would pack the keys */
    char inside[200];
    snprintf(inside, sizeof inside, "%s/site.img", site);
    struct pack_pair p = {cert, key};
    struct pack_opts o = {.site_dir = site, .out_path = inside, .pairs = &p, .npairs = 1, .log = logf, .quiet = 1};
    assert_int_equal(site_pack(&o, NULL), -1);
    assert_logged(inside, "inside the site directory");
    assert_int_equal(access(inside, F_OK), -1);
    /* the key file itself among the site's files, and again through a link */
    char inkey[200];
    snprintf(inkey, sizeof inkey, "%s/key.pem", site);
    assert_int_equal(rename(key, inkey), 0);
    put_link("leaked.pem", "key.pem");
    struct pack_pair q = {cert, inkey};
    struct pack_stats st;
    assert_int_equal(pack_with(&q, 1, 0, &st), -1);
    assert_int_equal(st.errors, 2);
    assert_logged("site/key.pem", "this is the private key");
    assert_logged("site/leaked.pem", "this is the private key");
    assert_no_image();
}

static void list_prints_every_entry(void **state)
{
    (void)state;
    put_text("index.html", "<h1>home</h1>");
    put_text("a/index.html", "<p>a</p>");
    assert_int_equal(pack(NULL), 0);
    char *text;
    size_t n;
    FILE *f = open_memstream(&text, &n);
    assert_int_equal(site_pack_list(out, f, logf), 0);
    fclose(f);
    assert_non_null(strstr(text, "# atoll site image v1: 5 entries, 1 credentials, 404 page none"));
    assert_non_null(strstr(text, "\nindex\t/\ttext/html; charset=utf-8\t13\t\""));
    assert_non_null(strstr(text, "\nredirect\t/a\t/a/\n"));
    assert_non_null(strstr(text, "\nindex\t/a/\t"));
    assert_non_null(strstr(text, "\nfile\t/a/index.html\ttext/html; charset=utf-8\t8\t\""));
    assert_non_null(strstr(text, "\t1700000000\t-\n"));
    assert_non_null(strstr(text, "\ncred\t0\texample.org,www.example.org\t1\t"));
    free(text);
    /* not an image */
    f = open_memstream(&text, &n);
    assert_int_equal(site_pack_list(cert, f, logf), -1);
    fclose(f);
    free(text);
    assert_logged(cert, "not a valid site image: not an Atoll site image");
}

/* ---- the parts ---- */

static void mime_table(void **state)
{
    (void)state;
    size_t n;
    const struct pack_mime *t = pack_mime_table(&n);
    assert_true(n > 80);
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(t[i - 1].ext, t[i].ext) < 0); /* sorted for bsearch, no duplicates */
    static const struct {
        const char *name, *type;
        int compressed;
    } cases[] = {
        {"a.html", "text/html; charset=utf-8", 0},   {"A.HTM", "text/html; charset=utf-8", 0},
        {"s.css", "text/css; charset=utf-8", 0},     {"m.mjs", "text/javascript; charset=utf-8", 0},
        {"x.js", "text/javascript; charset=utf-8", 0}, {"d.json", "application/json", 0},
        {"f.xml", "application/xml; charset=utf-8", 0}, {"r.rss", "application/rss+xml; charset=utf-8", 0},
        {"f.atom", "application/atom+xml; charset=utf-8", 0}, {"t.txt", "text/plain; charset=utf-8", 0},
        {"i.svg", "image/svg+xml; charset=utf-8", 0}, {"p.png", "image/png", 1},
        {"p.jpg", "image/jpeg", 1},                  {"p.jpeg", "image/jpeg", 1},
        {"g.gif", "image/gif", 1},                   {"w.webp", "image/webp", 1},
        {"a.avif", "image/avif", 1},                 {"favicon.ico", "image/vnd.microsoft.icon", 0},
        {"f.woff", "font/woff", 1},                  {"f.woff2", "font/woff2", 1},
        {"f.ttf", "font/ttf", 0},                    {"f.otf", "font/otf", 0},
        {"d.pdf", "application/pdf", 0},             {"v.mp4", "video/mp4", 1},
        {"v.webm", "video/webm", 1},                 {"a.mp3", "audio/mpeg", 1},
        {"a.ogg", "audio/ogg", 1},                   {"m.wasm", "application/wasm", 0},
        {"main.css.map", "application/json", 0},     {"r.md", "text/markdown; charset=utf-8", 0},
        {"d.csv", "text/csv; charset=utf-8", 0},     {"z.zip", "application/zip", 1},
        {"t.tar.gz", "application/gzip", 1},         {"README", PACK_MIME_DEFAULT, 0},
        {".htaccess", PACK_MIME_DEFAULT, 0},         {"x.unknownext", PACK_MIME_DEFAULT, 0},
        {"trailing.", PACK_MIME_DEFAULT, 0},         {"site.webmanifest", "application/manifest+json", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct pack_mime *m = pack_mime_for(cases[i].name);
        assert_string_equal(m->type, cases[i].type);
        assert_int_equal(m->compressed, cases[i].compressed);
    }
}

static void url_encoding(void **state)
{
    (void)state;
    char buf[64];
    const char *in = "/a b/100%/\xc3\xa9/x?y#z\"<>[]^`{|}/~-._!$&'()*+,;=:@";
    assert_int_equal(pack_url_encode((const uint8_t *)in, strlen(in), buf, sizeof buf), (size_t)-1);
    char big[256];
    size_t n = pack_url_encode((const uint8_t *)in, strlen(in), big, sizeof big);
    assert_string_equal(big, "/a%20b/100%25/%C3%A9/x%3Fy%23z%22%3C%3E%5B%5D%5E%60%7B%7C%7D/~-._!$&'()*+,;=:@");
    assert_int_equal(n, strlen(big));
    /* exactly enough room, and one byte short */
    assert_int_equal(pack_url_encode((const uint8_t *)"/a b", 4, buf, 7), 6);
    assert_int_equal(pack_url_encode((const uint8_t *)"/a b", 4, buf, 6), (size_t)-1);
}

static void name_checks(void **state)
{
    (void)state;
    static const char *const good[] = {"a", "index.html", "a b", "100%", "caf\xc3\xa9", "\xf4\x8f\xbf\xbf", "~"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_null(pack_name_problem((const uint8_t *)good[i], strlen(good[i])));
    static const char *const bad[] = {"?", "#", "\\", "\x01", "\x7f", "\xc2\x80", "\xc2\x9f", "\xc0\x80",
                                      "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5", "\xc3",
                                      "\x80", "a/b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_non_null(pack_name_problem((const uint8_t *)bad[i], strlen(bad[i])));
    assert_non_null(pack_name_problem((const uint8_t *)"a\0b", 3));
    assert_non_null(pack_name_problem((const uint8_t *)"", 0));
    char q[16];
    assert_string_equal(pack_quote((const uint8_t *)"a\nb\xff\xc3\xa9", 6, q, sizeof q), "a\\x0ab\\xff\xc3\xa9");
    assert_string_equal(pack_quote((const uint8_t *)"abcdefghijklmnopqrstuvwxyz", 26, q, sizeof q),
                        "abcdefghijkl...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(credentials_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(chain_and_several_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(symlinks_inside_are_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(symlink_escaping_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(symlink_loop_and_dangling_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(names_that_cannot_be_urls, setup, teardown),
        cmocka_unit_test_setup_teardown(unusual_but_legal_names_are_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(path_too_long_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(special_files_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(image_size_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(credential_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(every_problem_in_one_run, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_certificate_and_bad_key_both_named, setup, teardown),
        cmocka_unit_test_setup_teardown(summary_wording, setup, teardown),
        cmocka_unit_test_setup_teardown(expired_certificate_warns_and_packs, setup, teardown),
        cmocka_unit_test_setup_teardown(progress_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(unwritable_output, setup, teardown),
        cmocka_unit_test_setup_teardown(secrets_are_never_served, setup, teardown),
        cmocka_unit_test_setup_teardown(list_prints_every_entry, setup, teardown),
        cmocka_unit_test(mime_table),
        cmocka_unit_test(url_encoding),
        cmocka_unit_test(name_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
