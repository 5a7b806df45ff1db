/* Remote images through qemu's block drivers: see remote.c. */
#ifndef GUESTFS_REMOTE_H
#define GUESTFS_REMOTE_H

#include <stddef.h>

#include "guestfs-internal.h"

struct remote_args {
  const char *protocol;  /* "nbd", "http", "https", "ftp", "ftps", "ssh" */
  char *const *servers;  /* exactly one */
  const char *path;      /* export name (nbd) or path on the server */
  const char *username;  /* or NULL */
  const char *secret;    /* or NULL */
};

/* Checks r and builds the qemu protocol options of drive number index
 * (*opts_out, "file.driver=...") and, when there is a secret, the
 * -object that holds it (*object_out, else NULL).  fn names the caller
 * in errors.  Returns 0, or -1 with the error set. */
int guestfs_int_remote_opts (guestfs_h *g, const char *fn,
                             const struct remote_args *r, size_t index,
                             char **opts_out, char **object_out);

#endif
