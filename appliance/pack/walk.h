/* SPDX-License-Identifier: Apache-2.0 */
/* The packer's directory walk: every regular file under the site
 * directory, in a deterministic order, with the problems that keep a file
 * out of an image reported by name. */
#ifndef ATOLL_PACK_WALK_H
#define ATOLL_PACK_WALK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "appliance/pack/report.h"

struct pack_file {
    char *key;          /* decoded URL path: "/" + path relative to the site, '/'-separated */
    size_t key_len;
    char *fs_path;      /* the path to open and to name in messages: site_dir + key */
    uint64_t size;      /* at walk time */
    int64_t mtime;      /* unix seconds */
    uint64_t dev, ino;  /* identity (after symbolic links) */
};

struct pack_dir {
    char *key;          /* "" for the site root, else "/a/b" (no trailing '/') */
    size_t key_len;
    int has_index;      /* holds a regular file index.html */
};

struct pack_tree {
    struct pack_file *files;
    size_t nfiles, files_cap;
    struct pack_dir *dirs;
    size_t ndirs, dirs_cap;
    uint64_t total_bytes;
    char *root_real;    /* the site directory's real path */
};

struct pack_walk_limits {
    size_t path_max;    /* bytes in a key */
    uint64_t file_max;  /* bytes in one file */
    uint64_t total_max; /* bytes in all files together */
};

/* Walks site_dir: directories in name order (bytewise), symbolic links
 * followed when their target stays inside site_dir (the real path of
 * site_dir), dot files included. Each problem is reported to log
 * (report.h) and the walk goes on, so one run lists them all: a name that
 * cannot be a URL (names.h), a symbolic link that escapes the site or
 * dangles or loops, a directory or a file that cannot be read, something
 * that is neither a file nor a directory, a path or a file or the whole
 * site beyond `lim`. Returns the number of problems (0: *out holds the
 * site; else it holds the files that had none); free *out with
 * pack_tree_free either way. */
unsigned pack_walk(const char *site_dir, const struct pack_walk_limits *lim, struct pack_log *log,
                   struct pack_tree *out);

void pack_tree_free(struct pack_tree *t);

#endif
