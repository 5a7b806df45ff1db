/* Extended attributes (and through them POSIX ACLs and SELinux labels).
 *
 * The xattr system calls only take paths.  Each call here resolves the
 * guest path inside the sysroot to an O_PATH descriptor (of the link
 * itself for the l* variants) and hands the kernel /proc/self/fd/N:
 * following that magic link lands on the object already resolved, so
 * the guest cannot redirect the call outside its tree.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

static int
check_xattr_name (const char *argname, const char *name)
{
  size_t len = strlen (name);
  if (len == 0 || len > XATTR_NAME_MAX) {
    reply_with_error_errno (EINVAL, "%s: an attribute name has 1 to %d "
                            "bytes (\"%.40s%s\" has %zu)", argname,
                            XATTR_NAME_MAX, name, len > 40 ? "..." : "",
                            len);
    return -1;
  }
  return 0;
}

/* ---- Reading ---- */

/* getxattr or listxattr (name NULL), on the object p names or, with
 * follow false, on a symbolic link itself. */
static ssize_t
xattr_call (const char *p, const char *name, bool follow, char *buf,
            size_t size)
{
  if (name == NULL)
    return follow ? listxattr (p, buf, size) : llistxattr (p, buf, size);
  return follow ? getxattr (p, name, buf, size)
                : lgetxattr (p, name, buf, size);
}

/* Ask for the size, then the bytes, asking again if they grew in
 * between (ERANGE). */
static char *
read_grown (const char *p, const char *name, bool follow, size_t *len_r)
{
  for (;;) {
    ssize_t size = xattr_call (p, name, follow, NULL, 0);
    if (size == -1)
      return NULL;
    char *buf = malloc (size ? size : 1);
    if (buf == NULL)
      return NULL;
    ssize_t n = xattr_call (p, name, follow, buf, size);
    if (n >= 0) {
      *len_r = n;
      return buf;
    }
    free (buf);
    if (errno != ERANGE)
      return NULL;
  }
}

char *
xattr_read_value (const char *p, const char *name, bool follow,
                  size_t *len_r)
{
  return read_grown (p, name, follow, len_r);
}

static char *
read_value (const char *p, const char *name, size_t *len_r)
{
  return read_grown (p, name, true, len_r);
}

/* The NUL-separated name list, and its length in *len_r. */
static char *
read_names (const char *p, size_t *len_r)
{
  return read_grown (p, NULL, true, len_r);
}

/* A growable xattr list: the XDR list itself plus its allocation. */
struct xattr_vec {
  guestfs_int_xattr *v;
  size_t len, alloc;
};

static int
vec_push (struct xattr_vec *x, char *name, char *val, size_t len)
{
  if (x->len == x->alloc) {
    size_t n = x->alloc ? x->alloc * 2 : 16;
    guestfs_int_xattr *p = realloc (x->v, n * sizeof *p);
    if (p == NULL) {
      free (name);
      free (val);
      return -1;
    }
    x->v = p;
    x->alloc = n;
  }
  x->v[x->len].attrname = name;
  x->v[x->len].attrval.attrval_val = val;
  x->v[x->len].attrval.attrval_len = len;
  x->len++;
  return 0;
}

static void
vec_free (struct xattr_vec *x)
{
  for (size_t i = 0; i < x->len; ++i) {
    free (x->v[i].attrname);
    free (x->v[i].attrval.attrval_val);
  }
  free (x->v);
  x->v = NULL;
  x->len = x->alloc = 0;
}

/* Append every attribute of the object p names.  An attribute removed
 * between listing and reading is skipped. */
static int
append_all (const char *p, struct xattr_vec *x)
{
  size_t names_len;
  char *names = read_names (p, &names_len);
  if (names == NULL)
    return -1;
  for (size_t i = 0; i < names_len; i += strlen (names + i) + 1) {
    size_t vlen;
    char *val = read_value (p, names + i, &vlen);
    if (val == NULL && errno == ENODATA)
      continue;
    char *name = strdup (names + i);
    if (val == NULL || name == NULL || vec_push (x, name, val, vlen) == -1) {
      free (val);
      free (name);
      free (names);
      return -1;
    }
  }
  free (names);
  return 0;
}

int
copy_xattrs (int src_fd, int dest_fd)
{
  char *sp = sysroot_fd_path (src_fd), *dp = sysroot_fd_path (dest_fd);
  size_t names_len = 0;
  char *names = sp && dp ? read_names (sp, &names_len) : NULL;
  int r = names ? 0 : -1;
  /* Copy all that can be: one refused namespace stops nothing. */
  for (size_t i = 0; i < names_len; i += strlen (names + i) + 1) {
    size_t vlen;
    char *val = read_value (sp, names + i, &vlen);
    if (val == NULL || setxattr (dp, names + i, val, vlen, 0) == -1)
      r = -1;
    free (val);
  }
  free (names);
  free (sp);
  free (dp);
  return r;
}

static guestfs_int_xattr_list *
vec_to_list (struct xattr_vec *x)
{
  guestfs_int_xattr_list *r = malloc (sizeof *r);
  if (r == NULL) {
    reply_with_perror ("malloc");
    vec_free (x);
    return NULL;
  }
  r->guestfs_int_xattr_list_len = x->len;
  r->guestfs_int_xattr_list_val = x->v;
  return r;
}

static int
list_fd (int fd, void *opaque)
{
  char *p = sysroot_fd_path (fd);
  int r = p ? append_all (p, opaque) : -1;
  int saved = errno;
  free (p);
  errno = saved;
  return r;
}

static guestfs_int_xattr_list *
list_xattrs (const char *path, bool follow)
{
  struct xattr_vec x = { 0 };
  if (at_path_fd (path, follow, list_fd, &x) == -1) {
    vec_free (&x);
    return NULL;
  }
  return vec_to_list (&x);
}

guestfs_int_xattr_list *
do_getxattrs (const char *path)
{
  return list_xattrs (path, true);
}

guestfs_int_xattr_list *
do_lgetxattrs (const char *path)
{
  return list_xattrs (path, false);
}

struct one_value {
  const char *name;
  char *val;
  size_t len;
};

static int
get_fd (int fd, void *opaque)
{
  struct one_value *o = opaque;
  char *p = sysroot_fd_path (fd);
  o->val = p ? read_value (p, o->name, &o->len) : NULL;
  int saved = errno;
  free (p);
  errno = saved;
  return o->val ? 0 : -1;
}

static char *
get_xattr (const char *path, const char *name, bool follow, size_t *size_r)
{
  if (check_xattr_name ("name", name) == -1)
    return NULL;
  struct one_value o = { .name = name };
  if (at_path_fd (path, follow, get_fd, &o) == -1)
    return NULL;
  *size_r = o.len;
  return o.val;
}

char *
do_getxattr (const char *path, const char *name, size_t *size_r)
{
  return get_xattr (path, name, true, size_r);
}

char *
do_lgetxattr (const char *path, const char *name, size_t *size_r)
{
  return get_xattr (path, name, false, size_r);
}

/* ---- Changing ---- */

struct change {
  const char *name;
  const char *val; /* NULL: remove */
  size_t len;
};

static int
change_fd (int fd, void *opaque)
{
  const struct change *c = opaque;
  char *p = sysroot_fd_path (fd);
  if (p == NULL)
    return -1;
  int r = c->val ? setxattr (p, c->name, c->val, c->len, 0)
                 : removexattr (p, c->name);
  int saved = errno;
  free (p);
  errno = saved;
  return r;
}

static int
change_xattr (const char *path, bool follow, const struct change *c)
{
  if (check_xattr_name ("xattr", c->name) == -1)
    return -1;
  if (c->val && c->len > XATTR_SIZE_MAX) {
    reply_with_error_errno (E2BIG, "val: %zu bytes is more than an "
                            "attribute can hold (%d)", c->len,
                            XATTR_SIZE_MAX);
    return -1;
  }
  return at_path_fd (path, follow, change_fd, (void *) c);
}

int
do_setxattr (const char *xattr, const char *val, size_t val_size,
             const char *path)
{
  struct change c = { xattr, val ? val : "", val_size };
  return change_xattr (path, true, &c);
}

int
do_lsetxattr (const char *xattr, const char *val, size_t val_size,
              const char *path)
{
  struct change c = { xattr, val ? val : "", val_size };
  return change_xattr (path, false, &c);
}

int
do_removexattr (const char *xattr, const char *path)
{
  struct change c = { xattr, NULL, 0 };
  return change_xattr (path, true, &c);
}

int
do_lremovexattr (const char *xattr, const char *path)
{
  struct change c = { xattr, NULL, 0 };
  return change_xattr (path, false, &c);
}

/* ---- lxattrlist ---- */

/* The attributes of the entry name of dir (not following a link),
 * after a header entry: empty name, value the count or "" on error. */
static int
append_entry (int dirfd, const char *dir, const char *name,
              struct xattr_vec *x)
{
  size_t header = x->len;
  char *hname = strdup ("");
  if (hname == NULL || vec_push (x, hname, NULL, 0) == -1)
    return -1;
  char *base;
  int pfd = sysroot_open_entry_parent (dirfd, dir, name, &base);
  int fd = -1;
  if (pfd != -1) {
    fd = openat (pfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    close (pfd);
    free (base);
  }
  char *p = fd != -1 ? sysroot_fd_path (fd) : NULL;
  int r = p ? append_all (p, x) : -1;
  free (p);
  if (fd != -1)
    close (fd);
  if (r == -1) {
    /* This entry could not be read: drop what it had, report "". */
    while (x->len > header + 1) {
      --x->len;
      free (x->v[x->len].attrname);
      free (x->v[x->len].attrval.attrval_val);
    }
    return 0;
  }
  char *count;
  if (asprintf (&count, "%zu", x->len - header - 1) == -1)
    return -1;
  x->v[header].attrval.attrval_val = count;
  x->v[header].attrval.attrval_len = strlen (count);
  return 0;
}

static size_t
vec_bytes (const struct xattr_vec *x, size_t from)
{
  size_t b = 0;
  for (size_t i = from; i < x->len; ++i)
    b += strlen (x->v[i].attrname) + x->v[i].attrval.attrval_len + 16;
  return b;
}

guestfs_int_xattr_list *
do_internal_lxattrlist (const char *path, char *const *names)
{
  int dirfd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
  if (dirfd == -1) {
    reply_with_perror ("%s", path);
    return NULL;
  }
  struct xattr_vec x = { 0 };
  size_t bytes = 0;
  /* Stop before the reply outgrows a message; the library asks again
   * for the names not answered. */
  for (size_t i = 0; names[i] && (i == 0 || bytes < REPLY_BUDGET);
       ++i) {
    size_t start = x.len;
    if (append_entry (dirfd, path, names[i], &x) == -1) {
      reply_with_perror ("malloc");
      close (dirfd);
      vec_free (&x);
      return NULL;
    }
    bytes += vec_bytes (&x, start);
  }
  close (dirfd);
  return vec_to_list (&x);
}
