/* Adding drives (CONFIG state only). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guestfs-internal.h"
#include "internal-actions.h"

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

int
guestfs_impl_add_drive (guestfs_h *g, const char *filename,
                        const struct guestfs_add_drive_opts_argv *o)
{
  const char *fn = "add_drive";
  if (*filename == '\0') {
    guestfs_int_error_errno (g, EINVAL, "%s: filename: empty name", fn);
    return -1;
  }
  if (strchr (filename, ':')) {
    /* qemu would parse "proto:..." as a protocol or a block option. */
    guestfs_int_error_errno (g, EINVAL, "%s: filename: \"%s\": a ':' in a "
                             "file name is not supported (use a symbolic "
                             "link)", fn, filename);
    return -1;
  }
  bool readonly = (o->bitmask & GUESTFS_ADD_DRIVE_OPTS_READONLY_BITMASK) &&
                  o->readonly;
  if (access (filename, readonly ? R_OK : R_OK | W_OK) == -1) {
    perrorf (g, "%s: %s", fn, filename);
    return -1;
  }
  const char *format = NULL;
  if (o->bitmask & GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK) {
    format = o->format;
    if (strcmp (format, "auto") != 0 && !valid_format (format)) {
      guestfs_int_error_errno (g, EINVAL, "%s: format: \"%s\" is not a "
                               "format name", fn, format);
      return -1;
    }
  }
  const char *cachemode = NULL;
  if (o->bitmask & GUESTFS_ADD_DRIVE_OPTS_CACHEMODE_BITMASK) {
    cachemode = o->cachemode;
    if (strcmp (cachemode, "writeback") != 0 &&
        strcmp (cachemode, "unsafe") != 0) {
      guestfs_int_error_errno (g, EINVAL, "%s: cachemode: \"%s\" is not "
                               "writeback or unsafe", fn, cachemode);
      return -1;
    }
  }
  if (check_common_options (g, fn, o->bitmask,
                            GUESTFS_ADD_DRIVE_OPTS_LABEL_BITMASK, o->label,
                            GUESTFS_ADD_DRIVE_OPTS_BLOCKSIZE_BITMASK,
                            o->blocksize) == -1)
    return -1;

  struct drive *d = new_drive (g);
  d->filename = safe_strdup (g, filename);
  d->readonly = readonly;
  d->format = format ? safe_strdup (g, format) : NULL;
  d->cachemode = cachemode ? safe_strdup (g, cachemode) : NULL;
  if (o->bitmask & GUESTFS_ADD_DRIVE_OPTS_NAME_BITMASK)
    d->name = safe_strdup (g, o->name);
  if (o->bitmask & GUESTFS_ADD_DRIVE_OPTS_LABEL_BITMASK)
    d->label = safe_strdup (g, o->label);
  if (o->bitmask & GUESTFS_ADD_DRIVE_OPTS_BLOCKSIZE_BITMASK)
    d->blocksize = o->blocksize;
  return 0;
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
