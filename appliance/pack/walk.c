/* SPDX-License-Identifier: Apache-2.0 */
#include "appliance/pack/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appliance/pack/names.h"
#include "appliance/pack/report.h"

struct walker {
    const struct pack_walk_limits *lim;
    struct pack_log *log;
    struct pack_tree *t;
    char root_real[PATH_MAX];
    size_t root_len;
    /* the directories from the root down to the one being read: a
     * symbolic link back to one of them would loop for ever */
    dev_t *dev;
    ino_t *ino;
    size_t depth, depth_cap;
};

static char *join(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    char *s = malloc(alen + 1 + blen + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, a, alen);
    s[alen] = '/';
    memcpy(s + alen + 1, b, blen + 1);
    return s;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int inside_root(const struct walker *w, const char *real)
{
    if (w->root_len == 1) /* the site is "/" itself */
        return 1;
    return strncmp(real, w->root_real, w->root_len) == 0 && (real[w->root_len] == '/' || real[w->root_len] == '\0');
}

static int add_file(struct walker *w, char *key, size_t key_len, char *fs_path, const struct stat *st)
{
    struct pack_tree *t = w->t;
    if (t->nfiles == t->files_cap) {
        size_t cap = t->files_cap ? t->files_cap * 2 : 64;
        struct pack_file *f = realloc(t->files, cap * sizeof *f);
        if (f == NULL)
            return -1;
        t->files = f;
        t->files_cap = cap;
    }
    t->files[t->nfiles++] = (struct pack_file){key,
                                               key_len,
                                               fs_path,
                                               (uint64_t)st->st_size,
                                               (int64_t)st->st_mtime,
                                               (uint64_t)st->st_dev,
                                               (uint64_t)st->st_ino};
    return 0;
}

static long add_dir(struct walker *w, const char *key, size_t key_len)
{
    struct pack_tree *t = w->t;
    if (t->ndirs == t->dirs_cap) {
        size_t cap = t->dirs_cap ? t->dirs_cap * 2 : 16;
        struct pack_dir *d = realloc(t->dirs, cap * sizeof *d);
        if (d == NULL)
            return -1;
        t->dirs = d;
        t->dirs_cap = cap;
    }
    char *k = malloc(key_len + 1);
    if (k == NULL)
        return -1;
    memcpy(k, key, key_len);
    k[key_len] = '\0';
    t->dirs[t->ndirs] = (struct pack_dir){k, key_len, 0};
    return (long)t->ndirs++;
}

/* Reads the directory's names, sorted; NULL (and a reported problem) when
 * it cannot be read. */
static char **read_names(struct walker *w, const char *fs_path, size_t *n)
{
    DIR *d = opendir(fs_path);
    if (d == NULL) {
        pack_problem(w->log, fs_path, "cannot read the directory: %s", strerror(errno));
        return NULL;
    }
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (de == NULL)
            break;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            if (nn == NULL)
                goto oom;
            names = nn;
        }
        if ((names[*n] = strdup(de->d_name)) == NULL)
            goto oom;
        ++*n;
    }
    if (errno != 0) {
        pack_problem(w->log, fs_path, "cannot read the directory: %s", strerror(errno));
        goto fail;
    }
    closedir(d);
    if (*n > 1)
        qsort(names, *n, sizeof *names, cmp_names);
    return names;
oom:
    pack_problem(w->log, fs_path, "out of memory");
fail:
    closedir(d);
    for (size_t i = 0; i < *n; i++)
        free(names[i]);
    free(names);
    return NULL;
}

static void walk_dir(struct walker *w, const char *key, size_t key_len, const char *fs_path, const struct stat *dst);

/* One directory entry: report it, add it, or descend into it. */
static void walk_entry(struct walker *w, long dir_idx, const char *key, size_t key_len, const char *fs_dir,
                       const char *name)
{
    size_t fs_len = strlen(fs_dir);
    char *ckey = join(key, key_len, name), *cfs = join(fs_dir, fs_len, name);
    if (ckey == NULL || cfs == NULL) {
        pack_problem(w->log, fs_dir, "out of memory");
        goto drop;
    }
    size_t ckey_len = key_len + 1 + strlen(name);
    const char *why = pack_name_problem((const uint8_t *)name, strlen(name));
    if (why != NULL) {
        pack_problem(w->log, cfs, "this name cannot be a URL path: %s", why);
        goto drop;
    }
    if (ckey_len > w->lim->path_max) {
        pack_problem(w->log, cfs, "its URL path is %zu bytes, over the image format's limit of %zu", ckey_len,
                     w->lim->path_max);
        goto drop;
    }
    struct stat st;
    if (lstat(cfs, &st) != 0) {
        pack_problem(w->log, cfs, "cannot stat: %s", strerror(errno));
        goto drop;
    }
    if (S_ISLNK(st.st_mode)) {
        char real[PATH_MAX];
        if (realpath(cfs, real) == NULL) {
            if (errno == ENOENT)
                pack_problem(w->log, cfs, "dangling symbolic link (its target does not exist)");
            else
                pack_problem(w->log, cfs, "cannot follow the symbolic link: %s", strerror(errno));
            goto drop;
        }
        if (!inside_root(w, real)) {
            char q[PATH_MAX + 64];
            pack_quote((const uint8_t *)real, strlen(real), q, sizeof q);
            pack_problem(w->log, cfs, "symbolic link escapes the site directory (it leads to %s)", q);
            goto drop;
        }
        if (stat(cfs, &st) != 0) {
            pack_problem(w->log, cfs, "cannot stat the link's target: %s", strerror(errno));
            goto drop;
        }
    }
    if (S_ISDIR(st.st_mode)) {
        for (size_t i = 0; i < w->depth; i++)
            if (w->dev[i] == st.st_dev && w->ino[i] == st.st_ino) {
                pack_problem(w->log, cfs, "symbolic link loop: it leads back to an enclosing directory");
                goto drop;
            }
        walk_dir(w, ckey, ckey_len, cfs, &st);
        goto drop;
    }
    if (!S_ISREG(st.st_mode)) {
        pack_problem(w->log, cfs, "not a regular file or directory (a FIFO, socket or device cannot be served)");
        goto drop;
    }
    uint64_t size = (uint64_t)st.st_size;
    if (size > w->lim->file_max) {
        pack_problem(w->log, cfs, "%llu bytes, over the image format's limit of %llu bytes per file",
                     (unsigned long long)size, (unsigned long long)w->lim->file_max);
        goto drop;
    }
    if (w->t->total_bytes + size > w->lim->total_max) {
        pack_problem(w->log, cfs, "the site reaches %llu bytes with this file, over the image format's limit of %llu",
                     (unsigned long long)(w->t->total_bytes + size), (unsigned long long)w->lim->total_max);
        goto drop;
    }
    /* the writer opens every file much later: found now, an unreadable
     * file is listed with the rest instead of after them */
    int fd = open(cfs, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        pack_problem(w->log, cfs, "cannot read: %s", strerror(errno));
        goto drop;
    }
    close(fd);
    if (add_file(w, ckey, ckey_len, cfs, &st) != 0) {
        pack_problem(w->log, cfs, "out of memory");
        goto drop;
    }
    w->t->total_bytes += size;
    if (strcmp(name, "index.html") == 0)
        w->t->dirs[dir_idx].has_index = 1;
    return; /* the tree owns ckey and cfs now */
drop:
    free(ckey);
    free(cfs);
}

static void walk_dir(struct walker *w, const char *key, size_t key_len, const char *fs_path, const struct stat *dst)
{
    if (w->depth == w->depth_cap) {
        size_t cap = w->depth_cap ? w->depth_cap * 2 : 32;
        dev_t *d = realloc(w->dev, cap * sizeof *d);
        if (d != NULL)
            w->dev = d;
        ino_t *i = realloc(w->ino, cap * sizeof *i);
        if (i != NULL)
            w->ino = i;
        if (d == NULL || i == NULL) {
            pack_problem(w->log, fs_path, "out of memory");
            return;
        }
        w->depth_cap = cap;
    }
    w->dev[w->depth] = dst->st_dev;
    w->ino[w->depth] = dst->st_ino;
    w->depth++;
    size_t n = 0;
    char **names = read_names(w, fs_path, &n);
    long dir_idx = names != NULL ? add_dir(w, key, key_len) : -1;
    if (names != NULL && dir_idx < 0)
        pack_problem(w->log, fs_path, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (dir_idx >= 0)
            walk_entry(w, dir_idx, key, key_len, fs_path, names[i]);
        free(names[i]);
    }
    free(names);
    w->depth--;
}

unsigned pack_walk(const char *site_dir, const struct pack_walk_limits *lim, struct pack_log *log,
                   struct pack_tree *out)
{
    memset(out, 0, sizeof *out);
    unsigned before = log->errors;
    struct walker w = {.lim = lim, .log = log, .t = out};
    struct stat st;
    if (stat(site_dir, &st) != 0) {
        pack_problem(w.log, site_dir, "cannot open the site directory: %s", strerror(errno));
        return log->errors - before;
    }
    if (!S_ISDIR(st.st_mode)) {
        pack_problem(w.log, site_dir, "not a directory");
        return log->errors - before;
    }
    if (realpath(site_dir, w.root_real) == NULL) {
        pack_problem(w.log, site_dir, "cannot resolve the site directory: %s", strerror(errno));
        return log->errors - before;
    }
    w.root_len = strlen(w.root_real);
    out->root_real = strdup(w.root_real);
    /* "site/" and "site" name the same files: no doubled slash in messages */
    size_t n = strlen(site_dir);
    while (n > 1 && site_dir[n - 1] == '/')
        n--;
    char *root = malloc(n + 1);
    if (root == NULL) {
        pack_problem(w.log, site_dir, "out of memory");
        return log->errors - before;
    }
    memcpy(root, site_dir, n);
    root[n] = '\0';
    walk_dir(&w, "", 0, root, &st);
    free(root);
    free(w.dev);
    free(w.ino);
    return log->errors - before;
}

void pack_tree_free(struct pack_tree *t)
{
    for (size_t i = 0; i < t->nfiles; i++) {
        free(t->files[i].key);
        free(t->files[i].fs_path);
    }
    for (size_t i = 0; i < t->ndirs; i++)
        free(t->dirs[i].key);
    free(t->files);
    free(t->dirs);
    free(t->root_real);
    memset(t, 0, sizeof *t);
}
