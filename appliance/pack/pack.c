/* SPDX-License-Identifier: Apache-2.0 */
/* site_pack(): walk, load credentials, then write the image (layout in
 * site_image.h) to a temporary file next to the output: data section
 * first (bodies, gzip variants, strings, DER blobs, streamed), then the
 * header and tables in front of it, then the digest read back from the
 * file; the finished image is checked with site_image_open before it is
 * renamed into place. Memory stays bounded by the tables: file bodies are
 * mapped one at a time. */
#include "appliance/pack/pack.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/sha256.h>
#include <zlib.h>

#include "appliance/pack/creds.h"
#include "appliance/pack/mime.h"
#include "appliance/pack/names.h"
#include "appliance/pack/report.h"
#include "appliance/pack/walk.h"
#include "appliance/site/image.h"

#define PROGRESS_FILES 1000u
#define PROGRESS_BYTES (64ull << 20)
#define ETAG_HASH_BYTES 16 /* of the SHA-256: 128 bits, 32 hex digits */

/* Where one file's pieces went in the data section. */
struct file_out {
    uint32_t body_off, body_len, gzip_off, gzip_len;
    uint32_t type_off, etag_off, mtime;
    uint8_t type_len, etag_len;
};

struct ent {
    const char *key;
    size_t key_len;
    unsigned kind;
    size_t ref;        /* SITE_FILE/SITE_INDEX: the file; SITE_REDIRECT: the directory */
    uint32_t path_off, loc_off, loc_len;
};

struct type_slot {
    const char *type;
    uint32_t off;
};

struct packer {
    const struct pack_opts *o;
    struct pack_stats *st;
    struct pack_log log;     /* every problem and warning, counted */
    FILE *f;                 /* the temporary image */
    char *tmp_path;
    uint64_t limit;          /* bytes in the whole image */
    uint64_t data_off, pos;  /* the data section starts at data_off; pos bytes written */
    int over;                /* the limit was hit (reported once) */
    int io_failed;
    struct type_slot *types;
    size_t ntypes, types_cap;
    uint64_t progress_last_bytes, bytes_read;
};

/* Appends n bytes to the data section; *off gets their data-relative
 * offset. -1 when the image would exceed its limit (reported, naming
 * `who`) or the write fails. */
static int put(struct packer *p, const char *who, const void *buf, size_t n, uint32_t *off)
{
    if (p->data_off + p->pos + n + SITE_DIGEST_LEN > p->limit) {
        if (!p->over)
            pack_problem(&p->log, who,
                         "the image would grow past the format's limit of %llu bytes here (bodies, gzip variants "
                         "and metadata together)",
                         (unsigned long long)p->limit);
        p->over = 1;
        return -1;
    }
    if (n > 0 && fwrite(buf, 1, n, p->f) != n) {
        if (!p->io_failed)
            pack_problem(&p->log, p->o->out_path, "cannot write: %s", strerror(errno));
        p->io_failed = 1;
        return -1;
    }
    if (off != NULL)
        *off = (uint32_t)p->pos;
    p->pos += n;
    return 0;
}

/* Forgets everything written after data-relative offset `to`. */
static int rewind_to(struct packer *p, uint64_t to)
{
    if (fseeko(p->f, (off_t)(p->data_off + to), SEEK_SET) != 0) {
        pack_problem(&p->log, p->o->out_path, "cannot seek: %s", strerror(errno));
        p->io_failed = 1;
        return -1;
    }
    p->pos = to;
    return 0;
}

static int put_type(struct packer *p, const char *who, const char *type, uint32_t *off)
{
    for (size_t i = 0; i < p->ntypes; i++)
        if (p->types[i].type == type) {
            *off = p->types[i].off;
            return 0;
        }
    if (p->ntypes == p->types_cap) {
        size_t cap = p->types_cap ? p->types_cap * 2 : 16;
        struct type_slot *t = realloc(p->types, cap * sizeof *t);
        if (t == NULL) {
            pack_problem(&p->log, who, "out of memory");
            return -1;
        }
        p->types = t;
        p->types_cap = cap;
    }
    if (put(p, who, type, strlen(type), off) != 0)
        return -1;
    p->types[p->ntypes++] = (struct type_slot){type, *off};
    return 0;
}

/* Writes the gzip variant of body[0..n) after the body; keeps it only if
 * it is smaller. Gives up as soon as the output reaches n bytes: that
 * variant would be dropped anyway. */
static int put_gzip(struct packer *p, const char *who, const uint8_t *body, uint64_t n, struct file_out *fo)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* windowBits 15 + 16: a gzip wrapper; zlib writes mtime 0 in it, so
     * the same input always gives the same bytes */
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        pack_problem(&p->log, who, "cannot start zlib");
        return -1;
    }
    uint64_t start = p->pos, left = n;
    const uint8_t *in = body;
    uint8_t buf[65536];
    int rc = 0, flush, smaller = 1;
    do {
        uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left;
        z.next_in = (Bytef *)(uintptr_t)in;
        z.avail_in = chunk;
        in += chunk;
        left -= chunk;
        flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = buf;
            z.avail_out = sizeof buf;
            int zr = deflate(&z, flush);
            if (zr == Z_STREAM_ERROR) {
                pack_problem(&p->log, who, "zlib failed");
                rc = -1;
                goto out;
            }
            size_t got = sizeof buf - z.avail_out;
            if (p->pos - start + got >= n) {
                smaller = 0;
                goto out;
            }
            if (put(p, who, buf, got, NULL) != 0) {
                rc = -1;
                goto out;
            }
        } while (z.avail_out == 0);
    } while (flush != Z_FINISH);
out:
    deflateEnd(&z);
    if (rc != 0)
        return rc;
    if (!smaller)
        return rewind_to(p, start);
    fo->gzip_off = (uint32_t)start;
    fo->gzip_len = (uint32_t)(p->pos - start);
    p->st->gzipped++;
    p->st->gzip_saved += n - fo->gzip_len;
    return 0;
}

static void progress(struct packer *p, size_t done, size_t total)
{
    const struct pack_opts *o = p->o;
    unsigned every = o->progress_files ? o->progress_files : PROGRESS_FILES;
    uint64_t every_bytes = o->progress_bytes ? o->progress_bytes : PROGRESS_BYTES;
    if (o->quiet || done == total)
        return;
    if (done % every == 0 || p->bytes_read - p->progress_last_bytes >= every_bytes) {
        fprintf(p->log.f, "atoll-pack: %zu/%zu files, %.1f MB read\n", done, total, (double)p->bytes_read / 1e6);
        p->progress_last_bytes = p->bytes_read;
    }
}

/* Body, gzip variant, content type and ETag of one file. */
static int write_file(struct packer *p, const struct pack_file *pf, struct file_out *fo)
{
    const char *who = pf->fs_path;
    int fd = open(pf->fs_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        pack_problem(&p->log, who, "cannot read: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        pack_problem(&p->log, who, "cannot stat: %s", strerror(errno));
        close(fd);
        return -1;
    }
    uint64_t n = (uint64_t)st.st_size;
    if (n > p->limit) {
        pack_problem(&p->log, who, "%llu bytes, over the image format's limit", (unsigned long long)n);
        close(fd);
        return -1;
    }
    const uint8_t *body = (const uint8_t *)"";
    void *map = NULL;
    if (n > 0) {
        map = mmap(NULL, (size_t)n, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            pack_problem(&p->log, who, "cannot read: %s", strerror(errno));
            close(fd);
            return -1;
        }
        body = map;
    }
    int rc = -1;
    uint8_t sum[32];
    char etag[2 + 2 * ETAG_HASH_BYTES + 1];
    if (mbedtls_sha256_ret(body, (size_t)n, sum, 0) != 0) {
        pack_problem(&p->log, who, "SHA-256 failed");
        goto out;
    }
    etag[0] = '"';
    for (int i = 0; i < ETAG_HASH_BYTES; i++)
        snprintf(etag + 1 + 2 * i, 3, "%02x", sum[i]);
    etag[1 + 2 * ETAG_HASH_BYTES] = '"';
    etag[2 + 2 * ETAG_HASH_BYTES] = '\0';

    const char *base = strrchr(pf->key, '/');
    const struct pack_mime *m = pack_mime_for(base != NULL ? base + 1 : pf->key);
    memset(fo, 0, sizeof *fo);
    if (put(p, who, body, (size_t)n, &fo->body_off) != 0)
        goto out;
    fo->body_len = (uint32_t)n;
    if (!m->compressed && n > 0 && put_gzip(p, who, body, n, fo) != 0)
        goto out;
    if (put_type(p, who, m->type, &fo->type_off) != 0)
        goto out;
    fo->type_len = (uint8_t)strlen(m->type);
    if (put(p, who, etag, strlen(etag), &fo->etag_off) != 0)
        goto out;
    fo->etag_len = (uint8_t)strlen(etag);
    if (pf->mtime < 0 || pf->mtime > (int64_t)UINT32_MAX) {
        pack_warning(&p->log, who, "modification time %lld is outside 1970..2106; using %s", (long long)pf->mtime,
                     pf->mtime < 0 ? "1970-01-01" : "2106-02-07");
        fo->mtime = pf->mtime < 0 ? 0u : UINT32_MAX;
    } else {
        fo->mtime = (uint32_t)pf->mtime;
    }
    p->bytes_read += n;
    p->st->body_bytes += n;
    rc = 0;
out:
    if (map != NULL)
        munmap(map, (size_t)n);
    close(fd);
    return rc;
}

static int ent_cmp(const void *a, const void *b)
{
    const struct ent *x = a, *y = b;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, n);
    if (c != 0)
        return c;
    return x->key_len < y->key_len ? -1 : x->key_len > y->key_len;
}

static void wr16(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

static void wr32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

/* The index: one SITE_FILE per file, and for every directory with an
 * index.html a SITE_INDEX ("/dir/") and, but for the root, a
 * SITE_REDIRECT ("/dir" -> "/dir/"). Sorted. */
static struct ent *build_entries(const struct pack_tree *t, size_t *n)
{
    size_t cap = t->nfiles + 2 * t->ndirs;
    struct ent *e = calloc(cap ? cap : 1, sizeof *e);
    if (e == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < t->nfiles; i++)
        e[k++] = (struct ent){.key = t->files[i].key, .key_len = t->files[i].key_len, .kind = SITE_FILE, .ref = i};
    for (size_t d = 0; d < t->ndirs; d++) {
        if (!t->dirs[d].has_index)
            continue;
        /* the index.html file of this directory */
        size_t fi = t->nfiles;
        for (size_t i = 0; i < t->nfiles; i++) {
            const struct pack_file *f = &t->files[i];
            if (f->key_len == t->dirs[d].key_len + 11 && memcmp(f->key, t->dirs[d].key, t->dirs[d].key_len) == 0 &&
                strcmp(f->key + t->dirs[d].key_len, "/index.html") == 0) {
                fi = i;
                break;
            }
        }
        if (fi == t->nfiles)
            continue;
        /* "/dir/" is the prefix of "/dir/index.html": it shares its key */
        e[k++] = (struct ent){.key = t->files[fi].key, .key_len = t->dirs[d].key_len + 1, .kind = SITE_INDEX, .ref = fi};
        if (t->dirs[d].key_len > 0)
            e[k++] = (struct ent){.key = t->dirs[d].key, .key_len = t->dirs[d].key_len, .kind = SITE_REDIRECT, .ref = d};
    }
    qsort(e, k, sizeof *e, ent_cmp);
    *n = k;
    return e;
}

/* Reads the file back to compute its digest over [0, len). */
static int digest_file(FILE *f, uint64_t len, uint8_t sum[32])
{
    mbedtls_sha256_context c;
    uint8_t buf[65536];
    int rc = -1;
    mbedtls_sha256_init(&c);
    if (fseeko(f, 0, SEEK_SET) != 0 || mbedtls_sha256_starts_ret(&c, 0) != 0)
        goto out;
    while (len > 0) {
        size_t want = len < sizeof buf ? (size_t)len : sizeof buf;
        if (fread(buf, 1, want, f) != want)
            goto out;
        if (mbedtls_sha256_update_ret(&c, buf, want) != 0)
            goto out;
        len -= want;
    }
    rc = mbedtls_sha256_finish_ret(&c, sum);
out:
    mbedtls_sha256_free(&c);
    return rc;
}

/* Maps the finished temporary image and runs the loader over it: the
 * packer never hands out an image the appliance would refuse. */
static int self_check(struct packer *p, uint64_t len)
{
    int fd = fileno(p->f);
    void *map = mmap(NULL, (size_t)len, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        pack_problem(&p->log, p->tmp_path, "cannot map the new image to check it: %s", strerror(errno));
        return -1;
    }
    struct site_image im;
    int rc = site_image_open(map, (size_t)len, &im);
    munmap(map, (size_t)len);
    if (rc != 0) {
        pack_problem(&p->log, p->o->out_path, "internal error: the new image fails its own check: %s",
                     site_image_strerror(rc));
        return -1;
    }
    return 0;
}

static int write_image(struct packer *p, const struct pack_tree *t, struct ent *e, size_t nent,
                       const struct pack_cred *creds, size_t ncred)
{
    const struct pack_opts *o = p->o;
    int rc = -1;
    struct file_out *fo = calloc(t->nfiles ? t->nfiles : 1, sizeof *fo);
    size_t nslice = 0;
    for (size_t c = 0; c < ncred; c++)
        nslice += creds[c].ncerts + creds[c].nnames;
    p->data_off = (uint64_t)SITE_HDR_LEN + (uint64_t)SITE_ENTRY_LEN * nent + (uint64_t)SITE_CRED_LEN * ncred +
                  (uint64_t)SITE_SLICE_LEN * nslice;
    uint8_t *tab = NULL;
    if (fo == NULL) {
        pack_problem(&p->log, o->site_dir, "out of memory");
        goto out;
    }
    if (p->data_off + SITE_DIGEST_LEN > p->limit) {
        pack_problem(&p->log, o->site_dir, "%zu index entries do not fit in the image format's limit of %llu bytes",
                     nent, (unsigned long long)p->limit);
        goto out;
    }
    tab = calloc((size_t)p->data_off, 1);
    if (tab == NULL) {
        pack_problem(&p->log, o->site_dir, "out of memory");
        goto out;
    }
    if (fseeko(p->f, (off_t)p->data_off, SEEK_SET) != 0) {
        pack_problem(&p->log, p->tmp_path, "cannot seek: %s", strerror(errno));
        goto out;
    }

    /* Files, in index order so that an image's bytes follow from the tree. */
    size_t done = 0;
    int file_errors = 0;
    for (size_t i = 0; i < nent && !p->over && !p->io_failed; i++) {
        if (e[i].kind != SITE_FILE)
            continue;
        if (write_file(p, &t->files[e[i].ref], &fo[e[i].ref]) != 0)
            file_errors = 1; /* go on: report every unreadable file in one run */
        progress(p, ++done, t->nfiles);
    }
    if (file_errors || p->over || p->io_failed)
        goto out;

    /* Paths and redirect locations. */
    char *loc = malloc(3 * SITE_PATH_MAX + 2);
    if (loc == NULL) {
        pack_problem(&p->log, o->site_dir, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nent; i++) {
        const char *who = e[i].kind == SITE_REDIRECT ? o->site_dir : t->files[e[i].ref].fs_path;
        if (put(p, who, e[i].key, e[i].key_len, &e[i].path_off) != 0)
            break;
        if (e[i].kind == SITE_REDIRECT) {
            /* the directory's URL with its trailing slash, percent-encoded */
            uint8_t raw[SITE_PATH_MAX + 1];
            memcpy(raw, e[i].key, e[i].key_len);
            raw[e[i].key_len] = '/';
            size_t ll = pack_url_encode(raw, e[i].key_len + 1, loc, 3 * SITE_PATH_MAX + 2);
            if (ll == (size_t)-1 || ll > SITE_LOCATION_MAX) {
                pack_problem(&p->log, who, "redirect location too long");
                break;
            }
            if (put(p, who, loc, ll, &e[i].loc_off) != 0)
                break;
            e[i].loc_len = (uint32_t)ll;
        }
    }
    free(loc);
    if (p->over || p->io_failed || p->log.errors)
        goto out;

    /* Entry records. */
    uint8_t *h = tab;
    uint32_t not_found = SITE_NONE;
    for (size_t i = 0; i < nent; i++) {
        uint8_t *r = tab + SITE_HDR_LEN + SITE_ENTRY_LEN * i;
        wr32(r, e[i].path_off);
        wr16(r + 32, (uint32_t)e[i].key_len);
        r[36] = (uint8_t)e[i].kind;
        if (e[i].kind == SITE_REDIRECT) {
            wr32(r + 4, e[i].loc_off);
            wr32(r + 8, e[i].loc_len);
            p->st->redirects++;
            continue;
        }
        const struct file_out *f = &fo[e[i].ref];
        wr32(r + 4, f->body_off);
        wr32(r + 8, f->body_len);
        wr32(r + 12, f->gzip_off);
        wr32(r + 16, f->gzip_len);
        wr32(r + 20, f->type_off);
        wr32(r + 24, f->etag_off);
        wr32(r + 28, f->mtime);
        r[34] = f->type_len;
        r[35] = f->etag_len;
        if (e[i].kind == SITE_INDEX)
            p->st->indexes++;
        else
            p->st->files++;
        if (e[i].kind == SITE_FILE && e[i].key_len == 9 && memcmp(e[i].key, "/404.html", 9) == 0)
            not_found = (uint32_t)i;
    }
    p->st->has_404 = not_found != SITE_NONE;

    /* Credentials: key blobs, then certificates and names as slices. */
    size_t s = 0;
    uint8_t *cred0 = tab + SITE_HDR_LEN + SITE_ENTRY_LEN * nent;
    uint8_t *slice0 = cred0 + SITE_CRED_LEN * ncred;
    for (size_t c = 0; c < ncred; c++) {
        const char *who = o->pairs[c].cert;
        uint8_t *r = cred0 + SITE_CRED_LEN * c;
        uint32_t off;
        if (put(p, o->pairs[c].key, creds[c].key.data, creds[c].key.len, &off) != 0)
            goto out;
        wr32(r, off);
        wr32(r + 4, (uint32_t)creds[c].key.len);
        wr32(r + 8, (uint32_t)s);
        wr32(r + 12, (uint32_t)creds[c].ncerts);
        for (size_t j = 0; j < creds[c].ncerts; j++, s++) {
            if (put(p, who, creds[c].certs[j].data, creds[c].certs[j].len, &off) != 0)
                goto out;
            wr32(slice0 + SITE_SLICE_LEN * s, off);
            wr32(slice0 + SITE_SLICE_LEN * s + 4, (uint32_t)creds[c].certs[j].len);
        }
        wr32(r + 16, (uint32_t)s);
        wr32(r + 20, (uint32_t)creds[c].nnames);
        for (size_t j = 0; j < creds[c].nnames; j++, s++) {
            size_t nl = strlen(creds[c].names[j]);
            if (put(p, who, creds[c].names[j], nl, &off) != 0)
                goto out;
            wr32(slice0 + SITE_SLICE_LEN * s, off);
            wr32(slice0 + SITE_SLICE_LEN * s + 4, (uint32_t)nl);
        }
    }
    p->st->creds = ncred;

    /* Header. */
    uint64_t total = p->data_off + p->pos + SITE_DIGEST_LEN;
    memcpy(h, "ATOLLIMG", 8);
    wr16(h + 8, SITE_VERSION);
    wr16(h + 10, SITE_HDR_LEN);
    wr32(h + 16, (uint32_t)total);
    wr32(h + 20, (uint32_t)nent);
    wr32(h + 24, SITE_HDR_LEN);
    wr32(h + 28, (uint32_t)ncred);
    wr32(h + 32, (uint32_t)(SITE_HDR_LEN + SITE_ENTRY_LEN * nent));
    wr32(h + 36, (uint32_t)nslice);
    wr32(h + 40, (uint32_t)(SITE_HDR_LEN + SITE_ENTRY_LEN * nent + SITE_CRED_LEN * ncred));
    wr32(h + 44, (uint32_t)p->data_off);
    wr32(h + 48, (uint32_t)p->pos);
    wr32(h + 52, not_found);

    uint8_t sum[32];
    if (fseeko(p->f, 0, SEEK_SET) != 0 || fwrite(tab, 1, (size_t)p->data_off, p->f) != p->data_off ||
        fflush(p->f) != 0 || digest_file(p->f, p->data_off + p->pos, sum) != 0 ||
        fseeko(p->f, (off_t)(p->data_off + p->pos), SEEK_SET) != 0 || fwrite(sum, 1, sizeof sum, p->f) != sizeof sum ||
        fflush(p->f) != 0 || ftruncate(fileno(p->f), (off_t)total) != 0 || fsync(fileno(p->f)) != 0) {
        pack_problem(&p->log, p->tmp_path, "cannot write the image: %s", strerror(errno));
        goto out;
    }
    if (self_check(p, total) != 0)
        goto out;
    p->st->image_bytes = total;
    rc = 0;
out:
    free(tab);
    free(fo);
    return rc;
}

/* Is path (which may not exist yet) inside the directory whose real path
 * is root? Decided on the real path of its parent directory. */
static int path_inside(const char *path, const char *root)
{
    char dir[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (realpath(dir, real) == NULL)
        return 0;
    size_t n = strlen(root);
    if (n == 1)
        return 1;
    return strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/* The image must never serve its own secrets: refuses an output inside the
 * site (the next run would pack the old image, keys and all) and a
 * private key file that the walk found among the site's files. */
static void check_secrets(struct packer *p, const struct pack_tree *t)
{
    const struct pack_opts *o = p->o;
    if (t->root_real != NULL && path_inside(o->out_path, t->root_real)) {
        pack_problem(&p->log, o->out_path,
                     "the output is inside the site directory %s: it would be served, private keys and all; write it "
                     "elsewhere",
                     o->site_dir);
    }
    for (size_t c = 0; c < o->npairs; c++) {
        struct stat ks;
        if (stat(o->pairs[c].key, &ks) != 0)
            continue;
        for (size_t i = 0; i < t->nfiles; i++)
            if (t->files[i].dev == (uint64_t)ks.st_dev && t->files[i].ino == (uint64_t)ks.st_ino) {
                pack_problem(&p->log, t->files[i].fs_path, "this is the private key %s: it would be served to anyone; "
                             "move it out of the site directory", o->pairs[c].key);
                    }
    }
}

/* Loads every pair, each reporting its own problems; warns when two of
 * them claim the same name (the first wins at SNI time). */
static void load_creds(struct packer *p, struct pack_cred *creds)
{
    const struct pack_opts *o = p->o;
    time_t now = o->now ? o->now : time(NULL);
    for (size_t c = 0; c < o->npairs; c++) {
        if (pack_cred_load(o->pairs[c].cert, o->pairs[c].key, now, &p->log, &creds[c]) != 0)
            continue;
        for (size_t d = 0; d < c; d++)
            for (size_t i = 0; i < creds[c].nnames; i++)
                for (size_t j = 0; j < creds[d].nnames; j++)
                    if (strcmp(creds[c].names[i], creds[d].names[j]) == 0)
                        pack_warning(&p->log, o->pairs[c].cert, "name %s is also in %s, which comes first and wins",
                                     creds[c].names[i], o->pairs[d].cert);
    }
}

/* "1 redirect", "2 redirects" */
static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

int site_pack(const struct pack_opts *o, struct pack_stats *stp)
{
    struct pack_stats local;
    struct pack_stats *st = stp != NULL ? stp : &local;
    memset(st, 0, sizeof *st);
    struct packer p = {.o = o, .st = st, .log = {.f = o->log}};
    p.limit = o->max_image ? o->max_image : SITE_IMAGE_MAX;
    if (p.limit > SITE_IMAGE_MAX)
        p.limit = SITE_IMAGE_MAX;
    int rc = -1;
    struct pack_tree tree;
    memset(&tree, 0, sizeof tree);
    struct ent *e = NULL;
    size_t nent = 0;
    struct pack_cred *creds = calloc(o->npairs ? o->npairs : 1, sizeof *creds);
    if (creds == NULL) {
        pack_problem(&p.log, o->out_path, "out of memory");
        st->errors = p.log.errors;
        return -1;
    }
    /* Everything is checked before anything is written, and every problem
     * found is reported: a bad key does not hide a bad file name. */
    if (o->npairs == 0)
        pack_problem(&p.log, o->site_dir,
                     "no certificate and key given: an HTTPS site needs at least one --cert/--key pair");
    load_creds(&p, creds);
    struct pack_walk_limits lim = {SITE_PATH_MAX, p.limit, p.limit};
    pack_walk(o->site_dir, &lim, &p.log, &tree);
    check_secrets(&p, &tree);
    if (p.log.errors != 0)
        goto out;
    e = build_entries(&tree, &nent);
    if (e == NULL) {
        pack_problem(&p.log, o->site_dir, "out of memory");
        goto out;
    }
    if (tree.nfiles == 0) {
        pack_warning(&p.log, o->site_dir, "no files: every request will get 404");
    }

    size_t plen = strlen(o->out_path);
    p.tmp_path = malloc(plen + 16);
    if (p.tmp_path == NULL) {
        pack_problem(&p.log, o->out_path, "out of memory");
        goto out;
    }
    memcpy(p.tmp_path, o->out_path, plen);
    memcpy(p.tmp_path + plen, ".tmp-XXXXXX", 12);
    int fd = mkstemp(p.tmp_path); /* mode 0600: the image holds private keys */
    if (fd < 0) {
        pack_problem(&p.log, o->out_path, "cannot create: %s", strerror(errno));
        free(p.tmp_path);
        p.tmp_path = NULL;
        goto out;
    }
    p.f = fdopen(fd, "w+b");
    if (p.f == NULL) {
        pack_problem(&p.log, o->out_path, "cannot create: %s", strerror(errno));
        close(fd);
        goto out;
    }
    if (write_image(&p, &tree, e, nent, creds, o->npairs) != 0)
        goto out;
    if (fclose(p.f) != 0) {
        p.f = NULL;
        pack_problem(&p.log, o->out_path, "cannot write: %s", strerror(errno));
        goto out;
    }
    p.f = NULL;
    if (rename(p.tmp_path, o->out_path) != 0) {
        pack_problem(&p.log, o->out_path, "cannot rename %s into place: %s", p.tmp_path, strerror(errno));
        goto out;
    }
    free(p.tmp_path);
    p.tmp_path = NULL;
    rc = 0;
    if (!o->quiet) {
        char body[32], saved[32];
        fprintf(p.log.f, "atoll-pack: wrote %s: %zu %s (%s), %zu directory %s, %zu %s, %s404 page, %zu gzip %s",
                o->out_path, st->files, plural(st->files, "file", "files"),
                pack_size_text(st->body_bytes, body, sizeof body), st->indexes,
                plural(st->indexes, "index", "indexes"), st->redirects, plural(st->redirects, "redirect", "redirects"),
                st->has_404 ? "" : "no ", st->gzipped, plural(st->gzipped, "variant", "variants"));
        if (st->gzipped > 0)
            fprintf(p.log.f, " (%s saved)", pack_size_text(st->gzip_saved, saved, sizeof saved));
        fprintf(p.log.f, ", %zu %s, %llu bytes\n", st->creds, plural(st->creds, "credential", "credentials"),
                (unsigned long long)st->image_bytes);
    }
out:
    if (p.f != NULL)
        fclose(p.f);
    if (p.tmp_path != NULL) {
        unlink(p.tmp_path);
        free(p.tmp_path);
    }
    for (size_t c = 0; c < o->npairs; c++)
        pack_cred_free(&creds[c]);
    free(creds);
    free(e);
    free(p.types);
    pack_tree_free(&tree);
    st->errors = p.log.errors;
    st->warnings = p.log.warnings;
    if (rc != 0 && st->errors == 0)
        st->errors = 1;
    return rc;
}

static void put_field(FILE *out, const uint8_t *p, size_t n)
{
    fwrite(p, 1, n, out);
}

int site_pack_list(const char *image_path, FILE *out, FILE *log)
{
    struct pack_log l = {.f = log};
    size_t len = 0;
    uint8_t *img = pack_read_file(image_path, &len);
    if (img == NULL) {
        pack_problem(&l, image_path, "cannot read: %s", strerror(errno));
        return -1;
    }
    struct site_image im;
    int rc = site_image_open(img, len, &im);
    if (rc != 0) {
        pack_problem(&l, image_path, "not a valid site image: %s", site_image_strerror(rc));
        free(img);
        return -1;
    }
    struct site_entry e;
    fprintf(out, "# atoll site image v%d: %u entries, %u credentials, 404 page ", SITE_VERSION, im.entry_count,
            im.cred_count);
    if (site_not_found(&im, &e) == 1)
        put_field(out, e.path, e.path_len);
    else
        fputs("none", out);
    fprintf(out, ", %zu bytes, sha256 ", len);
    const uint8_t *d = site_image_digest(&im);
    for (int i = 0; i < SITE_DIGEST_LEN; i++)
        fprintf(out, "%02x", d[i]);
    fputc('\n', out);
    for (uint32_t i = 0; i < im.entry_count; i++) {
        if (site_entry_parse(&im, i, &e) < 0)
            continue; /* cannot happen after site_image_open */
        if (e.kind == SITE_REDIRECT) {
            fputs("redirect\t", out);
            put_field(out, e.path, e.path_len);
            fputc('\t', out);
            put_field(out, e.location, e.location_len);
            fputc('\n', out);
            continue;
        }
        fputs(e.kind == SITE_INDEX ? "index\t" : "file\t", out);
        put_field(out, e.path, e.path_len);
        fputc('\t', out);
        put_field(out, e.type, e.type_len);
        fprintf(out, "\t%zu\t", e.body_len);
        put_field(out, e.etag, e.etag_len);
        fprintf(out, "\t%u\t", e.mtime);
        if (e.gzip_len > 0)
            fprintf(out, "%zu\n", e.gzip_len);
        else
            fputs("-\n", out);
    }
    for (uint32_t c = 0; c < im.cred_count; c++) {
        struct site_cred cr;
        struct site_slice s;
        if (site_cred_parse(&im, c, &cr) < 0)
            continue;
        fprintf(out, "cred\t%u\t", c);
        if (cr.name_count == 0)
            fputc('-', out);
        for (uint32_t j = 0; j < cr.name_count; j++) {
            if (site_cred_name(&im, &cr, j, &s) < 0)
                continue;
            if (j > 0)
                fputc(',', out);
            put_field(out, s.ptr, s.len);
        }
        fprintf(out, "\t%u\t%zu\n", cr.cert_count, cr.key_len);
    }
    free(img);
    return 0;
}
