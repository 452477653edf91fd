/* SPDX-License-Identifier: Apache-2.0 */
/* What libmbedcrypto.a and libmbedx509.a reach for beyond the C library:
 * Debian builds them with pthread mutexes (MBEDTLS_THREADING_PTHREAD) and
 * with x509_crt_parse_path's directory walk. The image has one thread, so
 * the mutexes are no-ops; it has no files, so the walk finds nothing. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>

static int errno_value;

int *__errno_location(void) { return &errno_value; }

int pthread_mutex_init(pthread_mutex_t *restrict m, const pthread_mutexattr_t *restrict a)
{
    (void)m, (void)a;
    return 0;
}
int pthread_mutex_destroy(pthread_mutex_t *m)
{
    (void)m;
    return 0;
}
int pthread_mutex_lock(pthread_mutex_t *m)
{
    (void)m;
    return 0;
}
int pthread_mutex_unlock(pthread_mutex_t *m)
{
    (void)m;
    return 0;
}

DIR *opendir(const char *path)
{
    (void)path;
    errno = ENOENT;
    return NULL;
}
struct dirent *readdir(DIR *d)
{
    (void)d;
    return NULL;
}
int closedir(DIR *d)
{
    (void)d;
    errno = EBADF;
    return -1;
}
int stat(const char *restrict path, struct stat *restrict st)
{
    (void)path, (void)st;
    errno = ENOENT;
    return -1;
}
