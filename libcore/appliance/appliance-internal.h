/* The appliance builder's private interface: one section per file.
 *
 *   locate.c    appliance_locate: a fixed appliance along the search
 *               path, else the cache; and where the build inputs are
 *   cache.c     the per-user cache: its directory, the key made of every
 *               input, one slot per supermin.d, the lock, the atomic
 *               swap of a rebuilt appliance, pruning of stale slots
 *   build.c     one build: supermin --build, then the kernel and initrd
 *   kernel.c    unpacking the host's bzImage into an ELF vmlinux that
 *               qemu boots through its PVH entry point
 *   initrd.c    the small initrd: /init plus the few modules needed
 *   run.c       running helper programs with their output logged
 *   report.c    progress messages and error text
 *   fileutil.c  file utilities, shared with the qemu module (fileutil.h)
 */

#ifndef GUESTFS_APPLIANCE_INTERNAL_H
#define GUESTFS_APPLIANCE_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "appliance.h"
#include "fileutil.h"

/* report.c: where one call's messages go. */
struct ctx {
  int verbose;
  appliance_log_fn log;
  void *opaque;
  char *err;          /* error message buffer (may be NULL) */
  size_t errlen;
};

/* A progress message, when verbose. */
void debug (struct ctx *c, const char *fmt, ...)
  __attribute__((format (printf, 2, 3)));
/* Sets the error message; returns -1. */
int fail (struct ctx *c, const char *fmt, ...)
  __attribute__((format (printf, 2, 3)));
/* Like fail, with ": strerror(errno)" appended. */
int fail_errno (struct ctx *c, const char *fmt, ...)
  __attribute__((format (printf, 2, 3)));
/* asprintf returning the string, or NULL if out of memory. */
char *appliance_asprintf (const char *fmt, ...)
  __attribute__((format (printf, 1, 2)));

/* run.c: runs argv with stdin from in_fd (or /dev/null if -1) and
 * stdout into out_fd (or the log if -1); stderr goes to the log.  The
 * last lines of logged output are kept in tail for error messages.
 * Returns the wait status, or -1 with the error set if the program
 * could not be started. */
int run_program (struct ctx *c, char *const argv[], int in_fd, int out_fd,
                 char *tail, size_t taillen);
void strip_trailing_newline (char *s);

/* cache.c: the cached appliance built from supermin_d, built first if
 * missing or if its inputs changed.  Returns 0 with out filled, or -1. */
int cache_find_or_build (struct ctx *c, const char *supermin_d,
                         const char *cachedir, struct appliance_files *out);

/* build.c: builds into dir, which exists and is empty. */
int build_into (struct ctx *c, const char *supermin_d, const char *dir);

/* kernel.c: writes the uncompressed kernel of bzImage src to dst, using
 * workdir for a temporary file.  Returns 0, or -1 with the reason set
 * if src is not something we can unpack (the caller then boots src as
 * it is). */
int kernel_unpack_vmlinux (struct ctx *c, const char *src, const char *dst,
                           const char *workdir);
/* The kernel version a bzImage names (the /lib/modules directory), or
 * NULL. */
char *kernel_bzimage_version (const char *kernel);

/* initrd.c: builds the small initrd for kernel from the init found in
 * supermin_d.  Returns 0, or -1 with the reason set (the caller then
 * uses supermin's initrd). */
int initrd_build_small (struct ctx *c, const char *supermin_d,
                        const char *kernel, const char *dst);
/* Writes the module list the small initrd carries, for the cache key. */
void initrd_describe_modules (FILE *fp);

#endif /* GUESTFS_APPLIANCE_INTERNAL_H */
