/* The augeas group: editing guest configuration files with Augeas.
 *
 * One Augeas handle per daemon, as in libguestfs, opened by aug_init
 * on a guest directory.  Its root is given to Augeas as
 * /proc/self/fd/N of that directory, resolved inside the sysroot, so
 * the root itself cannot lead outside the guest.
 *
 * Augeas then opens files by name below the root, following symbolic
 * links as the kernel does, and a guest link may point outside the
 * guest.  In the appliance that risk is accepted, as in libguestfs: the
 * appliance is the sandbox, and such a link reaches only the
 * appliance's own files.  On the host (host_mode), the calls that touch
 * files (init, load, save) run in a thread confined with Landlock to
 * the guest directory plus Augeas's lenses, and without Landlock
 * aug_init refuses to start.
 */
#include <config.h>

#include <augeas.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"

static augeas *aug;
static int aug_root_fd = -1; /* the guest directory Augeas works in */

/* Where Augeas reads its lenses (augeas.h: AUGEAS_LENS_DIR and the
 * dist directory below it), for the confined thread. */
static const char *const lens_dirs[] = {"/usr/share/augeas", NULL};

static void
close_augeas (void)
{
  if (aug)
    aug_close (aug);
  aug = NULL;
  if (aug_root_fd >= 0)
    close (aug_root_fd);
  aug_root_fd = -1;
}

void
augeas_release_for_unmount (const char *mountpoint)
{
  if (aug_root_fd < 0)
    return;
  struct stat root, mp;
  if (mountpoint && fstat (aug_root_fd, &root) == 0 &&
      stat (mountpoint, &mp) == 0 && root.st_dev != mp.st_dev)
    return;
  close_augeas ();
}

static int
need_aug (void)
{
  if (aug == NULL) {
    reply_with_error ("you must call 'aug-init' first to initialize Augeas");
    return -1;
  }
  return 0;
}

/* The errno that says best what Augeas's error code means. */
static int
aug_errno (int code)
{
  switch (code) {
  case AUG_ENOMEM:
    return ENOMEM;
  case AUG_ENOMATCH:
    return ENOENT;
  case AUG_ENOLENS:
    return ENOENT;
  case AUG_EFILEACCESS:
    return EACCES;
  case AUG_ECMDRUN:
    return EIO;
  case AUG_EINTERNAL:
    return EIO;
  default:
    return EINVAL; /* path, label, argument, lens syntax ... */
  }
}

/* Reply with Augeas's own account of its last error, after what. */
static void
reply_with_aug_error (const char *what)
{
  int code = aug_error (aug);
  if (code == AUG_ENOMEM) {
    reply_with_error_errno (ENOMEM, "%s: augeas out of memory", what);
    return;
  }
  if (code == AUG_NOERROR) { /* some failures set no error code */
    reply_with_error_errno (EINVAL, "%s: failed", what);
    return;
  }
  const char *message = aug_error_message (aug);
  const char *minor = aug_error_minor_message (aug);
  const char *details = aug_error_details (aug);
  reply_with_error_errno (aug_errno (code), "%s: %s%s%s%s%s", what,
                          message ? message : "unknown error",
                          minor ? ": " : "", minor ? minor : "",
                          details ? ": " : "", details ? details : "");
}

/* Run fn directly in the appliance, confined on the host. */
static int
run_on_guest_files (int (*fn) (void *), void *opaque)
{
  if (!host_mode)
    return fn (opaque);
  return run_confined (aug_root_fd, lens_dirs, fn, opaque);
}

/* ---- init, load, save: the calls that touch files ---- */

struct aug_init_args {
  const char *root;
  const char *root_path;
  int flags;
};

static int
init_in_root (void *opaque)
{
  struct aug_init_args *a = opaque;
  /* AUG_NO_ERR_CLOSE: a failed init still gives its error message. */
  aug = aug_init (a->root_path, NULL, a->flags | AUG_NO_ERR_CLOSE);
  if (aug == NULL) {
    reply_with_error ("augeas initialization failed");
    return -1;
  }
  if (aug_error (aug) != AUG_NOERROR) {
    CLEANUP_FREE char *what = NULL;
    if (asprintf (&what, "%s (flags %d)", a->root, a->flags) == -1)
      what = NULL;
    reply_with_aug_error (what ? what : a->root);
    return -1;
  }
  return 0;
}

int
do_aug_init (const char *root, int flags)
{
  close_augeas ();
  if (host_mode && !can_confine_commands ()) {
    reply_with_error_errno (ENOTSUP,
                            "on the host, Augeas needs Landlock to "
                            "stay inside the guest directory, and this "
                            "kernel lacks it");
    return -1;
  }
  aug_root_fd = sysroot_open (root, O_PATH | O_DIRECTORY, 0);
  if (aug_root_fd == -1) {
    reply_with_perror ("%s", root);
    return -1;
  }
  CLEANUP_FREE char *root_path = sysroot_fd_path (aug_root_fd);
  if (root_path == NULL) {
    reply_with_perror ("%s", root);
    close_augeas ();
    return -1;
  }
  struct aug_init_args a = {root, root_path, flags};
  if (run_on_guest_files (init_in_root, &a) == -1) {
    close_augeas ();
    return -1;
  }
  return 0;
}

int
do_aug_close (void)
{
  if (need_aug () == -1)
    return -1;
  close_augeas ();
  return 0;
}

static int
load_files (void *unused)
{
  (void)unused;
  if (aug_load (aug) == -1) {
    reply_with_aug_error ("failed");
    return -1;
  }
  return 0;
}

int
do_aug_load (void)
{
  if (need_aug () == -1)
    return -1;
  return run_on_guest_files (load_files, NULL);
}

/* Augeas records why a file could not be saved in the tree, under
 * /augeas/files/FILE/error: name the first such file and reason. */
static void
reply_with_save_error (void)
{
  char **errors = NULL;
  int n = aug_match (aug, "/augeas/files//error", &errors);
  const char *reason = NULL, *message = NULL;
  CLEANUP_FREE char *message_path = NULL;
  if (n > 0) {
    aug_get (aug, errors[0], &reason);
    if (asprintf (&message_path, "%s/message", errors[0]) != -1)
      aug_get (aug, message_path, &message);
  }
  if (n > 0)
    reply_with_error_errno (EIO, "%.*s: %s%s%s",
                            (int)(strlen (errors[0]) - strlen ("/error") -
                                  strlen ("/augeas/files")),
                            errors[0] + strlen ("/augeas/files"),
                            reason ? reason : "error", message ? ": " : "",
                            message ? message : "");
  else
    reply_with_aug_error ("failed");
  for (int i = 0; i < n; ++i)
    free (errors[i]);
  free (errors);
}

static int
save_files (void *unused)
{
  (void)unused;
  if (aug_save (aug) == -1) {
    reply_with_save_error ();
    return -1;
  }
  return 0;
}

int
do_aug_save (void)
{
  if (need_aug () == -1)
    return -1;
  return run_on_guest_files (save_files, NULL);
}

/* ---- The tree: in memory, no file is touched ---- */

int
do_aug_defvar (const char *name, const char *expr)
{
  if (need_aug () == -1)
    return -1;
  int r = aug_defvar (aug, name, expr);
  if (r == -1)
    reply_with_aug_error (name);
  return r;
}

guestfs_int_int_bool *
do_aug_defnode (const char *name, const char *expr, const char *val)
{
  if (need_aug () == -1)
    return NULL;
  int created;
  int r = aug_defnode (aug, name, expr, val, &created);
  if (r == -1) {
    reply_with_aug_error (name);
    return NULL;
  }
  guestfs_int_int_bool *ret = malloc (sizeof *ret);
  if (ret == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  ret->i = r;
  ret->b = created;
  return ret;
}

/* Augeas reports no match as success with 0 nodes; libguestfs says
 * "no matching node".  Returns 1 if augpath matches exactly one node,
 * else replies and returns -1. */
static int
check_one_match (const char *augpath, int r)
{
  if (r == 1)
    return 1;
  if (r == 0)
    reply_with_error_errno (ENOENT, "no matching node");
  else
    reply_with_aug_error (augpath);
  return -1;
}

char *
do_aug_get (const char *augpath)
{
  if (need_aug () == -1)
    return NULL;
  const char *value = NULL;
  if (check_one_match (augpath, aug_get (aug, augpath, &value)) == -1)
    return NULL;
  /* A node may have no value, such as /augeas. */
  if (value == NULL) {
    reply_with_error_errno (ENODATA, "value is NULL");
    return NULL;
  }
  char *v = strdup (value);
  if (v == NULL)
    reply_with_perror ("strdup");
  return v;
}

char *
do_aug_label (const char *augpath)
{
  if (need_aug () == -1)
    return NULL;
  const char *label = NULL;
  if (check_one_match (augpath, aug_label (aug, augpath, &label)) == -1)
    return NULL;
  if (label == NULL) {
    reply_with_error_errno (ENODATA, "the node has no label");
    return NULL;
  }
  char *l = strdup (label);
  if (l == NULL)
    reply_with_perror ("strdup");
  return l;
}

/* aug_set with val, or NULL to clear the node. */
static int
set_value (const char *augpath, const char *val)
{
  if (need_aug () == -1)
    return -1;
  if (aug_set (aug, augpath, val) == -1) {
    reply_with_aug_error (augpath);
    return -1;
  }
  return 0;
}

int
do_aug_set (const char *augpath, const char *val)
{
  return set_value (augpath, val);
}

int
do_aug_clear (const char *augpath)
{
  return set_value (augpath, NULL);
}

int
do_aug_setm (const char *base, const char *sub, const char *val)
{
  if (need_aug () == -1)
    return -1;
  int r = aug_setm (aug, base, sub, val);
  if (r == -1)
    reply_with_aug_error (base);
  return r;
}

int
do_aug_insert (const char *augpath, const char *label, int before)
{
  if (need_aug () == -1)
    return -1;
  if (aug_insert (aug, augpath, label, before) == -1) {
    reply_with_aug_error (augpath);
    return -1;
  }
  return 0;
}

int
do_aug_rm (const char *augpath)
{
  if (need_aug () == -1)
    return -1;
  int r = aug_rm (aug, augpath);
  if (r == -1)
    reply_with_aug_error (augpath);
  return r;
}

int
do_aug_mv (const char *src, const char *dest)
{
  if (need_aug () == -1)
    return -1;
  if (aug_mv (aug, src, dest) == -1) {
    reply_with_aug_error (src);
    return -1;
  }
  return 0;
}

char **
do_aug_match (const char *augpath)
{
  if (need_aug () == -1)
    return NULL;
  char **matches = NULL;
  int r = aug_match (aug, augpath, &matches);
  if (r == -1) {
    reply_with_aug_error (augpath);
    return NULL;
  }
  char **list = realloc (matches, (r + 1) * sizeof *list);
  if (list == NULL) {
    reply_with_perror ("realloc");
    for (int i = 0; i < r; ++i)
      free (matches[i]);
    free (matches);
    return NULL;
  }
  list[r] = NULL;
  return list;
}

char **
do_aug_ls (const char *augpath)
{
  if (need_aug () == -1)
    return NULL;
  /* augpath may be a variable defined with aug_defvar, so the
   * children's pattern is appended to it rather than built from a
   * parsed path. */
  size_t len = strlen (augpath);
  if (len > 1 && strchr ("/]*", augpath[len - 1])) {
    reply_with_error_errno (
        EINVAL, "don't use aug-ls with a path that ends with / ] *");
    return NULL;
  }
  CLEANUP_FREE char *pattern = NULL;
  if (asprintf (&pattern, "%s/*", strcmp (augpath, "/") == 0 ? "" : augpath) ==
      -1) {
    reply_with_perror ("asprintf");
    return NULL;
  }
  char **list = do_aug_match (pattern);
  if (list)
    sort_strings (list, count_strings (list));
  return list;
}

int
do_aug_transform (const char *lens, const char *file, int remove)
{
  if (need_aug () == -1)
    return -1;
  /* The only optional argument: unset means add. */
  int excl = (optargs_bitmask & 1) ? remove : 0;
  if (aug_transform (aug, lens, file, excl) == -1) {
    reply_with_aug_error (lens);
    return -1;
  }
  return 0;
}

void
augeas_close_at_end (int *unused)
{
  (void)unused;
  close_augeas ();
}
