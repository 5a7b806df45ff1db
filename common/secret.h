/* Memory for keys and passphrases.
 *
 * Each secret lives in pages of its own that are locked in RAM (never
 * written to swap, as far as RLIMIT_MEMLOCK allows), left out of core
 * dumps (MADV_DONTDUMP), and wiped before they are given back.
 */
#ifndef GUESTFS_COMMON_SECRET_H
#define GUESTFS_COMMON_SECRET_H

#include <stddef.h>

/* size zeroed bytes, or NULL (errno set). */
extern char *guestfs_int_secret_alloc (size_t size);
/* A copy of the first len bytes of s, NUL-terminated, or NULL. */
extern char *guestfs_int_secret_strndup (const char *s, size_t len);
/* Grow p (from guestfs_int_secret_alloc) to size bytes, keeping its
 * contents; the old pages are wiped.  NULL (and p unchanged) on
 * failure. */
extern char *guestfs_int_secret_realloc (char *p, size_t size);
/* Wipe and release p (NULL is fine). */
extern void guestfs_int_secret_free (char *p);

#endif
