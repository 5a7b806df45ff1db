/* The selinux and selinuxrelabel groups: the daemon's own context
 * (libselinux), and labelling a guest's files with setfiles(8), which
 * works without SELinux running in the appliance: labels are extended
 * attributes, and the file contexts come from the guest. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <selinux/selinux.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"

char *
do_getcon (void)
{
  char *con;
  if (getcon (&con) == -1) {
    reply_with_perror ("getcon");
    return NULL;
  }
  /* Some security modules end the context with a new line. */
  char *r = strndup (con, strcspn (con, "\n"));
  freecon (con);
  if (r == NULL)
    reply_with_perror ("strdup");
  return r;
}

int
do_setcon (const char *context)
{
  if (setcon (context) == -1) {
    reply_with_perror ("setcon: %s", context);
    return -1;
  }
  return 0;
}

/* The guest's pseudo-filesystems are never labelled from the file
 * contexts (as in libguestfs). */
static const char *const never_relabelled[] = {"/dev", "/proc", "/sys",
                                               "/selinux", NULL};

enum { MAX_RELABEL_ARGS = 32 };

int
do_selinux_relabel (const char *specfile, const char *path, int force)
{
  CLEANUP_FREE char *root = sysroot_real_path ("/");
  CLEANUP_FREE char *spec = root ? sysroot_real_path (specfile) : NULL;
  CLEANUP_FREE char *target = spec ? sysroot_real_path (path) : NULL;
  if (target == NULL) {
    reply_with_perror ("%s", root == NULL   ? "/"
                             : spec == NULL ? specfile
                                            : path);
    return -1;
  }
  const char *argv[MAX_RELABEL_ARGS];
  char *excluded[4] = {NULL};
  size_t n = 0, x = 0;
  argv[n++] = "setfiles";
  if (force)
    argv[n++] = "-F";
  argv[n++] = "-m"; /* the guest's mounts are not the appliance's */
  argv[n++] = "-C"; /* a context the policy lacks is not an error */
  for (const char *const *d = never_relabelled; *d; ++d) {
    char *real = sysroot_real_path (*d);
    if (real) {
      argv[n++] = "-e";
      argv[n++] = excluded[x++] = real;
    }
  }
  if (strcmp (root, "/") != 0) {
    argv[n++] = "-r";
    argv[n++] = root;
  }
  argv[n++] = spec;
  argv[n++] = target;
  argv[n] = NULL;
  CLEANUP_FREE char *err = NULL;
  int status = run_command (NULL, &err, argv);
  for (size_t i = 0; i < x; ++i)
    free (excluded[i]);
  if (status == -1) {
    reply_with_perror ("setfiles");
    return -1;
  }
  return reply_if_command_failed ("setfiles", status, err);
}
