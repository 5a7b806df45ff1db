/* Helpers shared by the Files and Data tests. */
#ifndef GUESTFS_TEST_FILES_UTIL_H
#define GUESTFS_TEST_FILES_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "daemon-util.h"

/* lstat of a host path; st_mode is 0 if it does not exist. */
extern struct stat host_lstat (const char *path);
/* The list holds exactly these strings, in this order (NULL-ended). */
extern bool list_is (char **l, ...) __attribute__ ((sentinel));
/* A host path beside the daemon's sysroot, for FileIn and FileOut
 * (malloc'd). */
extern char *local_path (struct test_daemon *td, const char *name);
/* Write a string to the guest file guest, from the host side. */
extern void put_guest_file (struct test_daemon *td, const char *guest,
                            const char *content);
/* The handle still answers after an error. */
extern bool handle_alive (guestfs_h *g);
/* stdout of a host shell command (for reference tools), or NULL. */
extern char *host_command (const char *fmt, ...)
  __attribute__ ((format (printf, 1, 2)));

#endif
