/* The acl group: POSIX ACLs with libacl.
 *
 * libacl takes paths, so each call resolves the guest path inside the
 * sysroot to an O_PATH descriptor and hands libacl /proc/self/fd/N, as
 * the xattr calls do (xattr.c): the guest cannot redirect it outside
 * its tree.
 */
#include <config.h>

#include <acl/libacl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/acl.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"

static int
acl_type_of (const char *acltype, acl_type_t *t)
{
  if (strcmp (acltype, "access") == 0)
    *t = ACL_TYPE_ACCESS;
  else if (strcmp (acltype, "default") == 0)
    *t = ACL_TYPE_DEFAULT;
  else {
    reply_with_error_errno (EINVAL,
                            "%s: unknown acltype (it is "
                            "\"access\" or \"default\")",
                            acltype);
    return -1;
  }
  return 0;
}

/* /proc/self/fd/N of path resolved in the sysroot; *fd to close. */
static char *
resolved_path (const char *path, int *fd)
{
  *fd = sysroot_open (path, O_PATH, 0);
  char *p = *fd == -1 ? NULL : sysroot_fd_path (*fd);
  if (p == NULL)
    reply_with_perror ("%s", path);
  return p;
}

char *
do_acl_get_file (const char *path, const char *acltype)
{
  acl_type_t t;
  if (acl_type_of (acltype, &t) == -1)
    return NULL;
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *p = resolved_path (path, &fd);
  if (p == NULL)
    return NULL;
  acl_t acl = acl_get_file (p, t);
  if (acl == NULL) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  char *text = acl_to_any_text (acl, NULL, '\n', 0);
  int err = errno;
  acl_free (acl);
  if (text == NULL) {
    reply_with_perror_errno (err, "acl_to_text");
    return NULL;
  }
  /* libacl's text is its own allocation: hand over a malloc'd copy. */
  char *r = strdup (text);
  acl_free (text);
  if (r == NULL)
    reply_with_perror ("strdup");
  return r;
}

int
do_acl_set_file (const char *path, const char *acltype, const char *acl_text)
{
  acl_type_t t;
  if (acl_type_of (acltype, &t) == -1)
    return -1;
  acl_t acl = acl_from_text (acl_text);
  if (acl == NULL) {
    reply_with_error_errno (EINVAL, "%s: not a valid ACL", acl_text);
    return -1;
  }
  int r = -1;
  if (acl_valid (acl) == -1)
    reply_with_error_errno (EINVAL,
                            "%s: not a valid ACL (a named user or "
                            "group needs a mask entry)",
                            acl_text);
  else {
    CLEANUP_CLOSE int fd = -1;
    CLEANUP_FREE char *p = resolved_path (path, &fd);
    if (p && (r = acl_set_file (p, t, acl)) == -1)
      reply_with_perror ("%s", path);
  }
  acl_free (acl);
  return r;
}

int
do_acl_delete_def_file (const char *dir)
{
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *p = resolved_path (dir, &fd);
  if (p == NULL)
    return -1;
  if (acl_delete_def_file (p) == -1) {
    reply_with_perror ("%s", dir);
    return -1;
  }
  return 0;
}
