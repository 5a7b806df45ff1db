/* Locating, building and caching the appliance (kernel, initrd, root disk).
 * The implementation is a static library of its own (this directory);
 * appliance-internal.h lists its files.
 *
 * This module does not depend on the library handle: errors go into a
 * caller-supplied buffer and progress messages to an optional callback.
 */

#ifndef GUESTFS_APPLIANCE_H
#define GUESTFS_APPLIANCE_H

#include <stddef.h>

struct appliance_files {
  char *kernel;   /* what qemu -kernel gets (normally an uncompressed vmlinux) */
  char *initrd;   /* what qemu -initrd gets */
  char *root;     /* appliance root disk (raw ext2); NULL if the appliance
                   * is an initrd only */
};

/* Progress messages; only called when verbose is set.  msg has no
 * trailing newline. */
typedef void (*appliance_log_fn) (void *opaque, const char *msg);

/* Find the appliance, building it first if needed.
 *
 * search_path: LIBGUESTFS_PATH-style colon-separated list of directories
 *   (an empty element means the current directory), or NULL.  A directory
 *   holding README.fixed, kernel, initrd and root is a "fixed appliance"
 *   and is used as it is.
 * supermin_d: the supermin appliance prepared at build time (package list
 *   plus base tarballs).  If NULL, the first DIR/supermin.d found along
 *   search_path is used.
 * cachedir: directory for the built appliance; created (mode 0700) if
 *   missing, and must belong to the effective user.  NULL means
 *   appliance_default_cachedir().
 *
 * The built appliance is reused as long as its inputs (the files in
 * supermin_d, the host package database, the installed kernels, this
 * module's build recipe) are unchanged.  Concurrent callers serialize on
 * a lock file in cachedir; the new appliance is built in a temporary
 * directory and renamed into place, so readers never see a partial one.
 *
 * On success fills *out (free with appliance_files_free) and returns 0.
 * On error returns -1 with a message in err.
 */
int appliance_locate (const char *search_path, const char *supermin_d,
                      const char *cachedir, int verbose,
                      appliance_log_fn log, void *opaque,
                      struct appliance_files *out,
                      char *err, size_t errlen);

void appliance_files_free (struct appliance_files *files);

/* The per-user cache directory: $XDG_CACHE_HOME/guestfs if XDG_CACHE_HOME
 * is set, else ${TMPDIR:-/var/tmp}/.guestfs-cache-<euid>.  Returns a malloc'd
 * string, or NULL if out of memory. */
char *appliance_default_cachedir (void);

/* Build the appliance from supermin_d into outdir (which must not exist),
 * without any caching.  Used for fixed appliances; appliance_locate
 * calls it internally.  Returns 0 or -1 with err set. */
int appliance_build (const char *supermin_d, const char *outdir, int verbose,
                     appliance_log_fn log, void *opaque,
                     char *err, size_t errlen);

/* Where the inputs of the build are: the supermin appliance prepared at
 * build time, what callers pass as supermin_d.  Code running from the
 * build tree uses the build tree's appliance/supermin.d; installed code
 * uses the supermin.d installed with it (LIBDIR/guestfs/supermin.d),
 * found relative to the installed file itself. */
const char *appliance_default_supermin_d (void);

#endif /* GUESTFS_APPLIANCE_H */
