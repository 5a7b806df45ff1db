/* Extended attributes and ACLs: getxattr, listxattr, setxattr,
 * removexattr.  They come with a file's status when there are few
 * and small enough (cache-status.c), so most cost no round trip.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "fs-ops.h"
#include "kernel-inval.h"

static void
give_xattr (fuse_req_t req, const char *op, const char *value, size_t len,
            size_t size)
{
  if (size == 0) {
    TRACE ("%s = size %zu", op, len);
    fuse_reply_xattr (req, len);
  } else if (len > size)
    reply_err (req, op, ERANGE);
  else {
    TRACE ("%s = %zu bytes", op, len);
    fuse_reply_buf (req, value, len);
  }
}

/* Make n's xattr cache fresh (a status call brings them along).
 * Writes do not matter here: the kernel asks for security.capability
 * before every write, and that must not cost a round trip.  Returns
 * 0, or -errno. */
static int
refresh_xattrs (struct node *n)
{
  {
    SCOPED_LOCK (&cache_mutex);
    if (node_xattrs_fresh (n))
      return 0;
    n->st_expires = 0;
  }
  struct stat st;
  bool fresh;
  return node_status (n, NULL, &st, &fresh);
}

void
gm_getxattr (fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
  TRACE ("getxattr (%#lx, \"%s\", %zu)", (unsigned long) ino, name, size);
  struct node *n = node_of (ino);
  int r = refresh_xattrs (n);
  if (r < 0) {
    reply_err (req, "getxattr", -r);
    return;
  }
  CLEANUP_FREE char *path = NULL;
  {
    SCOPED_LOCK (&cache_mutex);
    if (n->xattrs_valid) {
      const char *v;
      size_t vlen;
      int f = xattrs_find (n->xattrs, n->xattrs_len, name, &v, &vlen);
      if (f == 1)
        give_xattr (req, "getxattr", v, vlen, size);
      else
        reply_err (req, "getxattr", f == 0 ? ENODATA : EIO);
      return;
    }
    /* Too many or too large to come with the status: ask for this
     * one. */
    path = node_path (n);
  }
  if (path == NULL) {
    reply_err (req, "getxattr", errno);
    return;
  }
  CLEANUP_FREE char *value = NULL;
  size_t len;
  r = remote_getxattr (path, name, &value, &len);
  if (r < 0)
    reply_err (req, "getxattr", -r);
  else
    give_xattr (req, "getxattr", value, len, size);
}

void
gm_listxattr (fuse_req_t req, fuse_ino_t ino, size_t size)
{
  TRACE ("listxattr (%#lx, %zu)", (unsigned long) ino, size);
  struct node *n = node_of (ino);
  int r = refresh_xattrs (n);
  if (r < 0) {
    reply_err (req, "listxattr", -r);
    return;
  }
  CLEANUP_FREE char *names = NULL;
  size_t len = 0;
  CLEANUP_FREE char *path = NULL;
  {
    SCOPED_LOCK (&cache_mutex);
    if (n->xattrs_valid)
      r = xattrs_names (n->xattrs, n->xattrs_len, &names, &len) == 0 ? 0
                                                                     : -EIO;
    else if ((path = node_path (n)) == NULL)
      r = -errno;
  }
  if (path)
    r = remote_listxattr (path, &names, &len);
  if (r < 0)
    reply_err (req, "listxattr", -r);
  else
    give_xattr (req, "listxattr", names, len, size);
}

static bool
is_acl (const char *name)
{
  return strcmp (name, "system.posix_acl_access") == 0 ||
         strcmp (name, "system.posix_acl_default") == 0;
}

/* After a change of n's xattrs: they and the status are stale (an
 * ACL can change the mode, which the kernel has cached too). */
static void
xattrs_done (struct node *n, const char *name)
{
  {
    SCOPED_LOCK (&cache_mutex);
    node_xattrs_changed (n);
  }
  if (is_acl (name))
    kernel_inval_attrs (node_id (n));
}

/* The permission bits an access ACL amounts to if it is minimal
 * (only the owner, group and other entries, as acl_from_mode makes
 * them), or -1.  Format: version 2, then 8-byte entries (16-bit tag,
 * 16-bit permissions, 32-bit id), all little-endian. */
static int
minimal_acl_mode (const char *value, size_t size)
{
  static const unsigned tags[3] = { 0x01, 0x04, 0x20 };
  const unsigned char *v = (const unsigned char *) value;
  if (size != 4 + 3 * 8 || v[0] != 2 || v[1] || v[2] || v[3])
    return -1;
  int mode = 0;
  for (int i = 0; i < 3; ++i) {
    const unsigned char *ent = v + 4 + 8 * i;
    unsigned tag = ent[0] | ent[1] << 8, perm = ent[2] | ent[3] << 8;
    if (tag != tags[i] || perm > 7)
      return -1;
    mode = mode << 3 | perm;
  }
  return mode;
}

enum acl_effect { ACL_OTHER, ACL_NO_CHANGE, ACL_CHMOD };

/* What setting name = value amounts to.  A minimal access ACL (owner,
 * group and other entries) set on a file that has no ACL is a chmod of
 * its permission bits: the guest's kernel stores no ACL and only
 * changes the mode, keeping the set-id and sticky bits (which must be
 * known to be clear here).  cp -a sets one on every file, right after
 * the data.  If it matches the mode, nothing but the change time
 * changes: answered without a round trip.  Otherwise it is made the
 * change of mode in *c, which can wait with the file's buffered
 * writes, and the cached xattrs stay true. */
static enum acl_effect
acl_effect (struct node *n, const char *name, const char *value, size_t size,
            int flags, struct attr_change *c)
{
  if (flags != 0 || strcmp (name, "system.posix_acl_access") != 0)
    return ACL_OTHER;
  int mode = minimal_acl_mode (value, size);
  if (mode < 0)
    return ACL_OTHER;
  const char *v;
  size_t len;
  SCOPED_LOCK (&cache_mutex);
  if (!node_xattrs_fresh (n) ||
      xattrs_find (n->xattrs, n->xattrs_len, name, &v, &len) != 0)
    return ACL_OTHER;
  if (node_attrs_fresh (n) && (int) (n->st.st_mode & 0777) == mode)
    return ACL_NO_CHANGE;
  if (n->st.st_mode & 07000)
    return ACL_OTHER;
  c->valid = FUSE_SET_ATTR_MODE;
  c->st.st_mode = (n->st.st_mode & S_IFMT) | mode;
  return ACL_CHMOD;
}

void
gm_setxattr (fuse_req_t req, fuse_ino_t ino, const char *name,
             const char *value, size_t size, int flags)
{
  TRACE ("setxattr (%#lx, \"%s\", %zu bytes, %#x)", (unsigned long) ino,
         name, size, flags);
  if (config.read_only) {
    reply_err (req, "setxattr", EROFS);
    return;
  }
  struct node *n = node_of (ino);
  struct attr_change c = { 0 };
  enum acl_effect effect = acl_effect (n, name, value, size, flags, &c);
  if (effect == ACL_NO_CHANGE) {
    reply_err (req, "setxattr (no change)", 0);
    return;
  }
  if (effect == ACL_CHMOD) {
    struct stat st;
    bool fresh = true;
    int r = change_attrs (n, NULL, &c, &st, &fresh);
    if (r == 0)
      kernel_inval_attrs (node_id (n)); /* the kernel has the old mode */
    reply_err (req, fresh ? "setxattr (as chmod)" : "setxattr (deferred chmod)",
               -r);
    return;
  }
  CLEANUP_FREE char *path = cache_path_of (n);
  int r = path ? remote_setxattr (path, name, value, size, flags) : -errno;
  if (r == 0)
    xattrs_done (n, name);
  reply_err (req, "setxattr", -r);
}

void
gm_removexattr (fuse_req_t req, fuse_ino_t ino, const char *name)
{
  TRACE ("removexattr (%#lx, \"%s\")", (unsigned long) ino, name);
  if (config.read_only) {
    reply_err (req, "removexattr", EROFS);
    return;
  }
  struct node *n = node_of (ino);
  const char *v;
  size_t len;
  bool absent;
  CLEANUP_FREE char *path = NULL;
  {
    SCOPED_LOCK (&cache_mutex);
    /* Known to be absent (cp -a removes default ACLs it never set). */
    absent = node_xattrs_fresh (n) &&
             xattrs_find (n->xattrs, n->xattrs_len, name, &v, &len) == 0;
    if (!absent)
      path = node_path (n);
  }
  if (absent) {
    reply_err (req, "removexattr", ENODATA);
    return;
  }
  int r = path ? remote_removexattr (path, name) : -errno;
  if (r == 0)
    xattrs_done (n, name);
  reply_err (req, "removexattr", -r);
}
