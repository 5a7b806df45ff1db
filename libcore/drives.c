/* Adding drives (CONFIG state only). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "cleanup.h"
#include "guestfs-internal.h"
#include "internal-actions.h"
#include "qemu-img.h"
#include "qemu.h"
#include "remote.h"

/* Format names go on the qemu command line: keep them to a safe
 * alphabet rather than trusting every caller to quote. */
static bool
valid_format (const char *f)
{
  if (*f == '\0' || strlen (f) > 32)
    return false;
  for (; *f; ++f)
    if (!((*f >= 'a' && *f <= 'z') || (*f >= '0' && *f <= '9') ||
          *f == '_' || *f == '-'))
      return false;
  return true;
}

static bool
valid_label (const char *l)
{
  size_t n = strlen (l);
  if (n == 0 || n > 20)
    return false;
  for (; *l; ++l)
    if (!((*l >= 'a' && *l <= 'z') || (*l >= 'A' && *l <= 'Z')))
      return false;
  return true;
}

static struct drive *
new_drive (guestfs_h *g)
{
  g->drives = safe_realloc (g, g->drives, (g->nr_drives + 1) *
                                              sizeof *g->drives);
  struct drive *d = &g->drives[g->nr_drives++];
  memset (d, 0, sizeof *d);
  return d;
}

void
guestfs_int_free_drive (struct drive *d)
{
  if (d->scratch && d->filename)
    unlink (d->filename);
  free (d->filename);
  free (d->format);
  free (d->name);
  free (d->label);
  free (d->cachemode);
  free (d->remote_opts);
  free (d->secret_object);
}

void
guestfs_int_truncate_drives (guestfs_h *g, size_t n)
{
  while (g->nr_drives > n)
    guestfs_int_free_drive (&g->drives[--g->nr_drives]);
}

static int
check_common_options (guestfs_h *g, const char *fn, uint64_t bitmask,
                      uint64_t label_bit, const char *label,
                      uint64_t blocksize_bit, int blocksize)
{
  if ((bitmask & label_bit) && !valid_label (label)) {
    guestfs_int_error_errno (g, EINVAL, "%s: label: \"%s\" must be 1 to 20 "
                             "letters", fn, label);
    return -1;
  }
  if ((bitmask & blocksize_bit) && blocksize != 512 && blocksize != 4096) {
    guestfs_int_error_errno (g, EINVAL, "%s: blocksize: %d is not 512 or "
                             "4096", fn, blocksize);
    return -1;
  }
  return 0;
}

/* How deep a probed image's backing chain may go. */
#define MAX_BACKING_DEPTH 16

/* A backing file name relative to the image that names it. */
static char *
backing_path (guestfs_h *g, const char *image, const char *backing)
{
  const char *slash = strrchr (image, '/');
  if (backing[0] == '/' || slash == NULL)
    return safe_strdup (g, backing);
  return safe_asprintf (g, "%.*s/%s", (int) (slash - image), image, backing);
}

/* Every backing file of a probed image must be a regular file on this
 * host: a guest that writes a qcow2 header into what should be its raw
 * disk could otherwise point us at a device, a FIFO or a network
 * address, and read it. */
static int
check_backing_chain (guestfs_h *g, const char *fn, const char *image,
                     struct qemu_img_info *info)
{
  CLEANUP_FREE char *current = safe_strdup (g, image);
  for (int depth = 0; info->backing; ++depth) {
    struct stat st;
    CLEANUP_FREE char *path = backing_path (g, current, info->backing);
    if (depth >= MAX_BACKING_DEPTH) {
      guestfs_int_error_errno (g, ELOOP, "%s: %s: backing chain longer than "
                               "%d images", fn, image, MAX_BACKING_DEPTH);
      return -1;
    }
    /* A ':' before any '/' makes qemu read a protocol ("nbd:",
     * "json:", ...) whatever file of that name exists here. */
    bool protocol = info->backing[strcspn (info->backing, ":/")] == ':';
    if (protocol || stat (path, &st) == -1 || !S_ISREG (st.st_mode)) {
      guestfs_int_error_errno (g, EPERM, "%s: %s: probed as %s, whose "
                               "backing file \"%s\" is not a regular file: "
                               "refused (name the format if the image is "
                               "trusted)", fn, image, info->format,
                               protocol ? info->backing : path);
      return -1;
    }
    CLEANUP_FREE char *opts = qemu_local_file_opts (path);
    char err[512];
    struct qemu_img_info next;
    if (qemu_img_info (opts, NULL, &next, err, sizeof err) == -1) {
      guestfs_int_error_errno (g, EINVAL, "%s: %s: backing file %s: %s", fn,
                               image, path, err);
      return -1;
    }
    debug (g, "%s: %s: backing file %s: format %s", fn, image, path,
           next.format);
    free (current);
    current = path;
    path = NULL;
    qemu_img_info_free (info);
    *info = next;
  }
  return 0;
}

/* The format of an image added with none named, as qemu-img sees it. */
static char *
probe_format (guestfs_h *g, const char *fn, const struct drive *d)
{
  CLEANUP_FREE char *local = d->remote_opts ? NULL
                                            : qemu_local_file_opts (d->filename);
  char err[512];
  struct qemu_img_info info;
  if (qemu_img_info (d->remote_opts ? d->remote_opts : local,
                     d->secret_object, &info, err, sizeof err) == -1) {
    guestfs_int_error_errno (g, EINVAL, "%s: %s: cannot probe the format: %s",
                             fn, d->filename, err);
    return NULL;
  }
  char *format = safe_strdup (g, info.format);
  debug (g, "%s: %s: format probed: %s", fn, d->filename, format);
  int r = 0;
  if (strcmp (format, "raw") != 0 && info.backing) {
    if (d->remote_opts) {
      guestfs_int_error_errno (g, EPERM, "%s: %s: probed as %s, with a "
                               "backing file: refused for a remote image",
                               fn, d->filename, format);
      r = -1;
    }
    else
      r = check_backing_chain (g, fn, d->filename, &info);
  }
  qemu_img_info_free (&info);
  if (r == -1) {
    free (format);
    return NULL;
  }
  return format;
}

static int
parse_discard (guestfs_h *g, const char *fn, const char *s,
               enum drive_discard *out)
{
  if (strcmp (s, "disable") == 0)
    *out = DISCARD_DISABLE;
  else if (strcmp (s, "enable") == 0)
    *out = DISCARD_ENABLE;
  else if (strcmp (s, "besteffort") == 0)
    *out = DISCARD_BESTEFFORT;
  else {
    guestfs_int_error_errno (g, EINVAL, "%s: discard: \"%s\" is not disable, "
                             "enable or besteffort", fn, s);
    return -1;
  }
  return 0;
}

/* The options that describe how the image is reached and presented,
 * checked before anything is kept. */
static int
check_drive_options (guestfs_h *g, const char *fn,
                     const struct guestfs_add_drive_opts_argv *o)
{
  uint64_t m = o->bitmask;
  if ((m & GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK) &&
      strcmp (o->format, "auto") != 0 && !valid_format (o->format)) {
    guestfs_int_error_errno (g, EINVAL, "%s: format: \"%s\" is not a "
                             "format name", fn, o->format);
    return -1;
  }
  if ((m & GUESTFS_ADD_DRIVE_OPTS_CACHEMODE_BITMASK) &&
      strcmp (o->cachemode, "writeback") != 0 &&
      strcmp (o->cachemode, "unsafe") != 0) {
    guestfs_int_error_errno (g, EINVAL, "%s: cachemode: \"%s\" is not "
                             "writeback or unsafe", fn, o->cachemode);
    return -1;
  }
  /* Every drive is a virtio-blk disk, which is also what libguestfs
   * means by "virtio". */
  if ((m & GUESTFS_ADD_DRIVE_OPTS_IFACE_BITMASK) &&
      strcmp (o->iface, "virtio") != 0 && strcmp (o->iface, "virtio-blk") != 0) {
    guestfs_int_error_errno (g, EINVAL, "%s: iface: \"%s\" is not supported: "
                             "every drive is a virtio disk", fn, o->iface);
    return -1;
  }
  return check_common_options (g, fn, m, GUESTFS_ADD_DRIVE_OPTS_LABEL_BITMASK,
                               o->label,
                               GUESTFS_ADD_DRIVE_OPTS_BLOCKSIZE_BITMASK,
                               o->blocksize);
}

static const char *
optional_string (uint64_t bitmask, uint64_t bit, const char *value)
{
  return (bitmask & bit) ? value : NULL;
}

/* Where the image is: a local file (checked for access), or a server. */
static int
locate_image (guestfs_h *g, const char *fn, const char *filename,
              const struct guestfs_add_drive_opts_argv *o, bool readonly,
              struct drive *d)
{
  uint64_t m = o->bitmask;
  const char *protocol = optional_string (
      m, GUESTFS_ADD_DRIVE_OPTS_PROTOCOL_BITMASK, o->protocol);
  if (protocol == NULL || strcmp (protocol, "file") == 0) {
    if ((m & (GUESTFS_ADD_DRIVE_OPTS_SERVER_BITMASK |
              GUESTFS_ADD_DRIVE_OPTS_USERNAME_BITMASK |
              GUESTFS_ADD_DRIVE_OPTS_SECRET_BITMASK))) {
      guestfs_int_error_errno (g, EINVAL, "%s: server, username and secret "
                               "need a protocol other than file", fn);
      return -1;
    }
    if (*filename == '\0') {
      guestfs_int_error_errno (g, EINVAL, "%s: filename: empty name", fn);
      return -1;
    }
    if (strchr (filename, ':')) {
      /* qemu-img and other tools would parse "proto:..." as a protocol. */
      guestfs_int_error_errno (g, EINVAL, "%s: filename: \"%s\": a ':' in "
                               "a file name is not supported (use a symbolic "
                               "link)", fn, filename);
      return -1;
    }
    if (access (filename, readonly ? R_OK : R_OK | W_OK) == -1) {
      perrorf (g, "%s: %s", fn, filename);
      return -1;
    }
    return 0;
  }
  struct remote_args r = {
    .protocol = protocol,
    .servers = (m & GUESTFS_ADD_DRIVE_OPTS_SERVER_BITMASK) ? o->server : NULL,
    .path = filename,
    .username = optional_string (m, GUESTFS_ADD_DRIVE_OPTS_USERNAME_BITMASK,
                                 o->username),
    .secret = optional_string (m, GUESTFS_ADD_DRIVE_OPTS_SECRET_BITMASK,
                               o->secret),
  };
  return guestfs_int_remote_opts (g, fn, &r, g->nr_drives, &d->remote_opts,
                                  &d->secret_object);
}

int
guestfs_impl_add_drive (guestfs_h *g, const char *filename,
                        const struct guestfs_add_drive_opts_argv *o)
{
  const char *fn = "add_drive";
  uint64_t m = o->bitmask;
  bool readonly = (m & GUESTFS_ADD_DRIVE_OPTS_READONLY_BITMASK) && o->readonly;
  struct drive d = { .readonly = readonly };

  if (check_drive_options (g, fn, o) == -1 ||
      ((m & GUESTFS_ADD_DRIVE_OPTS_DISCARD_BITMASK) &&
       parse_discard (g, fn, o->discard, &d.discard) == -1) ||
      locate_image (g, fn, filename, o, readonly, &d) == -1)
    goto fail;
  d.filename = safe_strdup (g, filename);
  if (m & GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK)
    d.format = safe_strdup (g, o->format);
  else if ((d.format = probe_format (g, fn, &d)) == NULL)
    goto fail;
  d.cachemode = (m & GUESTFS_ADD_DRIVE_OPTS_CACHEMODE_BITMASK)
    ? safe_strdup (g, o->cachemode) : NULL;
  if (m & GUESTFS_ADD_DRIVE_OPTS_NAME_BITMASK)
    d.name = safe_strdup (g, o->name);
  if (m & GUESTFS_ADD_DRIVE_OPTS_LABEL_BITMASK)
    d.label = safe_strdup (g, o->label);
  if (m & GUESTFS_ADD_DRIVE_OPTS_BLOCKSIZE_BITMASK)
    d.blocksize = o->blocksize;
  d.copyonread = (m & GUESTFS_ADD_DRIVE_OPTS_COPYONREAD_BITMASK) &&
                 o->copyonread;
  *new_drive (g) = d;
  return 0;

fail:
  free (d.filename);
  free (d.format);
  free (d.remote_opts);
  free (d.secret_object);
  return -1;
}

int
guestfs_impl_add_drive_ro (guestfs_h *g, const char *filename)
{
  struct guestfs_add_drive_opts_argv o = {
    .bitmask = GUESTFS_ADD_DRIVE_OPTS_READONLY_BITMASK, .readonly = 1,
  };
  return guestfs_impl_add_drive (g, filename, &o);
}

int
guestfs_impl_add_drive_scratch (guestfs_h *g, int64_t size,
                                const struct guestfs_add_drive_scratch_argv *o)
{
  const char *fn = "add_drive_scratch";
  if (size <= 0) {
    guestfs_int_error_errno (g, EINVAL, "%s: size: %" PRIi64 " must be "
                             "positive", fn, size);
    return -1;
  }
  if (check_common_options (g, fn, o->bitmask,
                            GUESTFS_ADD_DRIVE_SCRATCH_LABEL_BITMASK, o->label,
                            GUESTFS_ADD_DRIVE_SCRATCH_BLOCKSIZE_BITMASK,
                            o->blocksize) == -1)
    return -1;
  if (guestfs_int_lazy_make_tmpdir (g) == -1)
    return -1;
  char *path = safe_asprintf (g, "%s/scratch%zu.img", g->tmpdir,
                              g->nr_drives);
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd == -1 || ftruncate (fd, size) == -1) {
    perrorf (g, "%s: %s", fn, path);
    if (fd >= 0) {
      close (fd);
      unlink (path);
    }
    free (path);
    return -1;
  }
  close (fd);
  struct drive *d = new_drive (g);
  d->filename = path;
  d->format = safe_strdup (g, "raw");
  d->cachemode = safe_strdup (g, "unsafe"); /* thrown away at close */
  d->scratch = true;
  d->scratch_size = size;
  if (o->bitmask & GUESTFS_ADD_DRIVE_SCRATCH_NAME_BITMASK)
    d->name = safe_strdup (g, o->name);
  if (o->bitmask & GUESTFS_ADD_DRIVE_SCRATCH_LABEL_BITMASK)
    d->label = safe_strdup (g, o->label);
  if (o->bitmask & GUESTFS_ADD_DRIVE_SCRATCH_BLOCKSIZE_BITMASK)
    d->blocksize = o->blocksize;
  return 0;
}

char **
guestfs_impl_list_drives_internal (guestfs_h *g)
{
  char **r = safe_calloc (g, g->nr_drives + 1, sizeof (char *));
  for (size_t i = 0; i < g->nr_drives; ++i)
    r[i] = safe_strdup (g, g->drives[i].filename);
  return r;
}

/* disk_format, disk_has_backing_file, disk_virtual_size: qemu-img's
 * view of a local image. */
static int
disk_info (guestfs_h *g, const char *fn, const char *filename,
           struct qemu_img_info *info)
{
  char err[512];
  if (access (filename, R_OK) == -1) {
    perrorf (g, "%s: %s", fn, filename);
    return -1;
  }
  CLEANUP_FREE char *opts = qemu_local_file_opts (filename);
  if (qemu_img_info (opts, NULL, info, err, sizeof err) == -1) {
    guestfs_int_error_errno (g, EINVAL, "%s: %s: %s", fn, filename, err);
    return -1;
  }
  return 0;
}

char *
guestfs_impl_disk_format (guestfs_h *g, const char *filename)
{
  struct qemu_img_info info;
  if (disk_info (g, "disk_format", filename, &info) == -1)
    return NULL;
  char *r = safe_strdup (g, info.format);
  qemu_img_info_free (&info);
  return r;
}

int
guestfs_impl_disk_has_backing_file (guestfs_h *g, const char *filename)
{
  struct qemu_img_info info;
  if (disk_info (g, "disk_has_backing_file", filename, &info) == -1)
    return -1;
  int r = info.backing != NULL;
  qemu_img_info_free (&info);
  return r;
}

int64_t
guestfs_impl_disk_virtual_size (guestfs_h *g, const char *filename)
{
  struct qemu_img_info info;
  if (disk_info (g, "disk_virtual_size", filename, &info) == -1)
    return -1;
  int64_t r = info.virtual_size;
  qemu_img_info_free (&info);
  if (r < 0)
    guestfs_int_error_errno (g, EINVAL, "disk_virtual_size: %s: qemu-img "
                             "gave no size", filename);
  return r;
}
