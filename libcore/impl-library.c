/* Library-side actions of actions_library.c that are not a subsystem
 * of their own: the handle's address, qemu options, the drive list,
 * creating disk images, install-media inspection flags, mountables,
 * and 9p (not supported).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "guestfs-internal.h"
#include "internal-actions.h"
#include "qemu-img.h"

int64_t
guestfs_impl_c_pointer (guestfs_h *g)
{
  return (int64_t) (intptr_t) g;
}

/* ---- config: the program's qemu options ---- */

/* Options the appliance's command line depends on. */
static const char *const reserved_params[] = {
  "-kernel", "-initrd",  "-append",    "-nographic", "-display", "-serial",
  "-sandbox", "-runas",  "-daemonize", "-monitor",   "-qmp",     NULL,
};

int
guestfs_impl_config (guestfs_h *g, const char *hvparam, const char *hvvalue)
{
  if (hvparam[0] != '-' || hvparam[1] == '\0') {
    guestfs_int_error_errno (g, EINVAL, "config: parameter '%s' is not a "
                             "qemu option (it must begin with -)", hvparam);
    return -1;
  }
  for (size_t i = 0; reserved_params[i]; ++i)
    if (strcmp (hvparam, reserved_params[i]) == 0) {
      guestfs_int_error_errno (g, EINVAL, "config: parameter '%s' isn't "
                               "allowed: the appliance sets it", hvparam);
      return -1;
    }
  g->hv_params = safe_realloc (g, g->hv_params, 2 * (g->nr_hv_params + 1) *
                                                  sizeof *g->hv_params);
  g->hv_params[2 * g->nr_hv_params] = safe_strdup (g, hvparam);
  g->hv_params[2 * g->nr_hv_params + 1] =
    hvvalue ? safe_strdup (g, hvvalue) : NULL;
  g->nr_hv_params++;
  return 0;
}

/* ---- The drive list ---- */

char **
guestfs_impl_debug_drives (guestfs_h *g)
{
  char **r = safe_malloc (g, (g->nr_drives + 1) * sizeof *r);
  for (size_t i = 0; i < g->nr_drives; ++i) {
    const struct drive *d = &g->drives[i];
    r[i] = safe_asprintf (
      g, "path=%s%s%s%s%s%s%s%s%s%s%s%s", d->filename,
      d->format ? " format=" : "", d->format ? d->format : "",
      d->readonly ? " readonly" : "", d->name ? " name=" : "",
      d->name ? d->name : "", d->label ? " label=" : "",
      d->label ? d->label : "", d->cachemode ? " cache=" : "",
      d->cachemode ? d->cachemode : "",
      d->remote_opts ? " protocol=remote" : "",
      d->copyonread ? " copyonread" : "");
    if (d->blocksize) {
      char *with = safe_asprintf (g, "%s blocksize=%d", r[i], d->blocksize);
      free (r[i]);
      r[i] = with;
    }
  }
  r[g->nr_drives] = NULL;
  return r;
}

int
guestfs_impl_remove_drive (guestfs_h *g, const char *label)
{
  if (g->state != CONFIG) {
    guestfs_int_error_errno (g, ENOTSUP, "remove_drive: drives cannot be "
                             "removed after launch (qemu's disks are not "
                             "hot-unplugged)");
    return -1;
  }
  for (size_t i = 0; i < g->nr_drives; ++i)
    if (g->drives[i].label && strcmp (g->drives[i].label, label) == 0) {
      guestfs_int_free_drive (&g->drives[i]);
      memmove (&g->drives[i], &g->drives[i + 1],
               (g->nr_drives - i - 1) * sizeof *g->drives);
      g->nr_drives--;
      return 0;
    }
  guestfs_int_error_errno (g, ENOENT, "remove_drive: no drive is labelled "
                           "'%s'", label);
  return -1;
}

/* ---- disk_create ---- */

static bool
one_of (const char *s, const char *const *set)
{
  for (; *set; ++set)
    if (strcmp (s, *set) == 0)
      return true;
  return false;
}

/* A raw image: made here, sparse or fully allocated. */
static int
create_raw (guestfs_h *g, const char *filename, int64_t size, bool full)
{
  int fd = open (filename, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY | O_CLOEXEC,
                 0666);
  if (fd == -1) {
    guestfs_int_perrorf (g, "disk_create: %s", filename);
    return -1;
  }
  int r = full ? posix_fallocate (fd, 0, size) : 0;
  if (r != 0)
    errno = r;
  if (r != 0 || ftruncate (fd, size) == -1) {
    guestfs_int_perrorf (g, "disk_create: %s", filename);
    close (fd);
    unlink (filename);
    return -1;
  }
  if (close (fd) == -1) {
    guestfs_int_perrorf (g, "disk_create: %s: close", filename);
    return -1;
  }
  return 0;
}

/* qemu-img's -o list for a qcow2 image; commas in names doubled. */
static char *
qcow2_options (guestfs_h *g, const struct guestfs_disk_create_argv *o)
{
  uint64_t m = o->bitmask;
  char *opts = safe_strdup (g, "");
  const struct {
    uint64_t bit;
    const char *key, *value;
  } s[] = {
    { GUESTFS_DISK_CREATE_BACKINGFILE_BITMASK, "backing_file", o->backingfile },
    { GUESTFS_DISK_CREATE_BACKINGFORMAT_BITMASK, "backing_fmt",
      o->backingformat },
    /* libguestfs's "sparse" is qemu's "off". */
    { GUESTFS_DISK_CREATE_PREALLOCATION_BITMASK, "preallocation",
      (m & GUESTFS_DISK_CREATE_PREALLOCATION_BITMASK) &&
          strcmp (o->preallocation, "sparse") == 0
        ? "off"
        : o->preallocation },
    { GUESTFS_DISK_CREATE_COMPAT_BITMASK, "compat", o->compat },
  };
  for (size_t i = 0; i < sizeof s / sizeof s[0]; ++i) {
    if (!(m & s[i].bit))
      continue;
    CLEANUP_FREE char *v = safe_malloc (g, 2 * strlen (s[i].value) + 1);
    char *q = v;
    for (const char *p = s[i].value; *p; ++p) {
      if (*p == ',')
        *q++ = ',';
      *q++ = *p;
    }
    *q = '\0';
    char *n = safe_asprintf (g, "%s%s%s=%s", opts, *opts ? "," : "",
                             s[i].key, v);
    free (opts);
    opts = n;
  }
  if (m & GUESTFS_DISK_CREATE_CLUSTERSIZE_BITMASK) {
    char *n = safe_asprintf (g, "%s%scluster_size=%d", opts, *opts ? "," : "",
                             o->clustersize);
    free (opts);
    opts = n;
  }
  return opts;
}

static int
check_disk_create (guestfs_h *g, const char *format, int64_t size,
                   const struct guestfs_disk_create_argv *o)
{
  static const char *const raw_prealloc[] = { "off", "sparse", "full", NULL };
  static const char *const qcow2_prealloc[] = { "off", "sparse", "metadata",
                                                "falloc", "full", NULL };
  static const char *const compats[] = { "0.10", "1.1", NULL };
  uint64_t m = o->bitmask;
  bool raw = strcmp (format, "raw") == 0;
  const char *why = NULL;
  if (!raw && strcmp (format, "qcow2") != 0)
    why = "format: only raw and qcow2 are supported";
  else if (size < -1 ||
           (size == -1 && !(m & GUESTFS_DISK_CREATE_BACKINGFILE_BITMASK)))
    why = "size: must be positive (or -1 with a backing file)";
  else if (raw && (m & (GUESTFS_DISK_CREATE_BACKINGFILE_BITMASK |
                        GUESTFS_DISK_CREATE_BACKINGFORMAT_BITMASK |
                        GUESTFS_DISK_CREATE_COMPAT_BITMASK |
                        GUESTFS_DISK_CREATE_CLUSTERSIZE_BITMASK)))
    why = "backingfile, backingformat, compat and clustersize are for qcow2";
  else if ((m & GUESTFS_DISK_CREATE_PREALLOCATION_BITMASK) &&
           !one_of (o->preallocation, raw ? raw_prealloc : qcow2_prealloc))
    why = "preallocation: not a value this format takes";
  else if ((m & GUESTFS_DISK_CREATE_COMPAT_BITMASK) &&
           !one_of (o->compat, compats))
    why = "compat: must be 0.10 or 1.1";
  else if ((m & GUESTFS_DISK_CREATE_CLUSTERSIZE_BITMASK) &&
           (o->clustersize < 512 || o->clustersize > 2 * 1024 * 1024 ||
            (o->clustersize & (o->clustersize - 1)) != 0))
    why = "clustersize: must be a power of two from 512 to 2097152";
  else if ((m & GUESTFS_DISK_CREATE_BACKINGFORMAT_BITMASK) &&
           !(m & GUESTFS_DISK_CREATE_BACKINGFILE_BITMASK))
    why = "backingformat: needs backingfile";
  if (why) {
    guestfs_int_error_errno (g, EINVAL, "disk_create: %s", why);
    return -1;
  }
  return 0;
}

int
guestfs_impl_disk_create (guestfs_h *g, const char *filename,
                          const char *format, int64_t size,
                          const struct guestfs_disk_create_argv *o)
{
  if (check_disk_create (g, format, size, o) == -1)
    return -1;
  if (strcmp (format, "raw") == 0)
    return create_raw (g, filename,
                       size, (o->bitmask &
                              GUESTFS_DISK_CREATE_PREALLOCATION_BITMASK) &&
                               strcmp (o->preallocation, "full") == 0);
  CLEANUP_FREE char *opts = qcow2_options (g, o);
  CLEANUP_FREE char *sz = safe_asprintf (g, "%" PRIi64, size);
  char *argv[] = { (char *) "qemu-img", (char *) "create", (char *) "-q",
                   (char *) "-f", (char *) "qcow2", (char *) "-o", opts,
                   (char *) "--", (char *) filename, sz, NULL };
  if (size == -1)
    argv[9] = NULL;
  if (!*opts) /* no -o */
    memmove (&argv[5], &argv[7], 4 * sizeof *argv);
  char err[512];
  if (qemu_img_run (argv, NULL, NULL, err, sizeof err) == -1) {
    guestfs_int_error_errno (g, EIO, "disk_create: %s", err);
    return -1;
  }
  return 0;
}

/* ---- Install media: never detected ---- */

/* The flags are false for an installed OS; root must be one. */
static int
installed_os_flag (guestfs_h *g, const char *root)
{
  CLEANUP_FREE char *type = guestfs_inspect_get_type (g, root);
  return type ? 0 : -1;
}

int
guestfs_impl_inspect_is_live (guestfs_h *g, const char *root)
{
  return installed_os_flag (g, root);
}

int
guestfs_impl_inspect_is_multipart (guestfs_h *g, const char *root)
{
  return installed_os_flag (g, root);
}

int
guestfs_impl_inspect_is_netinst (guestfs_h *g, const char *root)
{
  return installed_os_flag (g, root);
}

/* ---- Groups and mountables ---- */

int
guestfs_impl_internal_feature_available (guestfs_h *g, const char *group)
{
  char *groups[] = { (char *) group, NULL };
  int r = guestfs_feature_available (g, groups);
  return r == -1 ? -1 : r ? 0 : 1;
}

struct guestfs_internal_mountable *
guestfs_impl_internal_parse_mountable (guestfs_h *g, const char *mountable)
{
  char *device = guestfs_mountable_device (g, mountable);
  if (device == NULL)
    return NULL;
  struct guestfs_internal_mountable *r = safe_malloc (g, sizeof *r);
  r->im_device = device;
  bool btrfs = strncmp (mountable, "btrfsvol:", 9) == 0;
  r->im_type = btrfs ? 1 : 0;
  r->im_volume = btrfs ? guestfs_mountable_subvolume (g, mountable)
                       : safe_strdup (g, "");
  if (r->im_volume == NULL) {
    free (r->im_device);
    free (r);
    return NULL;
  }
  return r;
}

/* ---- 9p ---- */

static void
no_9p (guestfs_h *g, const char *fn)
{
  guestfs_int_error_errno (g, ENOTSUP, "%s: 9p filesystems are not supported "
                           "(the appliance has no virtio-9p devices)", fn);
}

char **
guestfs_impl_list_9p (guestfs_h *g)
{
  no_9p (g, "list_9p");
  return NULL;
}

int
guestfs_impl_mount_9p (guestfs_h *g, const char *mounttag,
                       const char *mountpoint,
                       const struct guestfs_mount_9p_argv *o)
{
  no_9p (g, "mount_9p");
  return -1;
}
