/* Reads from the images (see direct.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libnbd.h>

#include "direct.h"
#include "remote.h"

static int *drive_fds;          /* raw image, or -1 */
static struct nbd_handle **drive_nbd; /* or qemu's NBD export, or NULL */
static uint64_t *drive_sizes;   /* 0: not readable directly */
static size_t nr_drives;
static bool enabled;
static atomic_uint_fast64_t direct_reads, direct_bytes, nbd_reads;

/* Whether the image is raw as the library gives it to qemu: named raw,
 * or with no format named, probed raw (the library probes the same
 * name the same way).  Only then are its bytes the drive's bytes. */
static bool
is_raw (const struct drive_opt *d)
{
  if (d->format)
    return strcmp (d->format, "raw") == 0;
  guestfs_push_error_handler (g, NULL, NULL); /* a failure only says no */
  char *probed = guestfs_disk_format (g, d->filename);
  guestfs_pop_error_handler (g);
  bool raw = probed && strcmp (probed, "raw") == 0;
  debug ("direct read: %s: probed format %s", d->filename,
         probed ? probed : "unknown");
  free (probed);
  return raw;
}

/* An image of another format is read through the appliance's qemu,
 * which serves the drive read-only over NBD on a socket in the
 * library's private directory (guestfs_fuse_drive_nbd): its block
 * layer reads the format and the backing files, so the bytes are the
 * drive's as the guest sees them. */
static void
connect_nbd (size_t i, const struct drive_opt *d)
{
  guestfs_push_error_handler (g, NULL, NULL); /* a failure only says no */
  char *uri = guestfs_fuse_drive_nbd (g, i);
  guestfs_pop_error_handler (g);
  if (uri == NULL) {
    debug ("direct read: drive %zu (%s) is not raw and qemu cannot serve "
           "it: read through the appliance (%s)", i, d->filename,
           guestfs_last_error (g));
    return;
  }
  struct nbd_handle *nbd = nbd_create ();
  int64_t size = -1;
  if (nbd == NULL || nbd_connect_uri (nbd, uri) == -1 ||
      (size = nbd_get_size (nbd)) < EXTENT_ALIGN) {
    debug ("direct read: drive %zu (%s): %s: %s: read through the "
           "appliance", i, d->filename, uri,
           size == -1 ? nbd_get_error () : "too small");
    if (nbd)
      nbd_close (nbd);
    free (uri);
    return;
  }
  debug ("direct read: drive %zu (%s) is not raw: read through qemu's NBD "
         "export %s", i, d->filename, uri);
  free (uri);
  drive_nbd[i] = nbd;
  drive_sizes[i] = size / EXTENT_ALIGN * EXTENT_ALIGN;
  enabled = true;
}

static void
open_drive (size_t i, const struct drive_opt *d)
{
  drive_fds[i] = -1;
  if (d->protocol) {
    debug ("direct read: drive %zu is a remote %s image: read through the "
           "appliance", i, d->protocol);
    return;
  }
  int fd = open (d->filename, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd == -1 || fstat (fd, &st) == -1 || !S_ISREG (st.st_mode) ||
      st.st_size < EXTENT_ALIGN) {
    debug ("direct read: drive %zu (%s) is not a raw image file", i,
           d->filename);
    if (fd >= 0)
      close (fd);
    return;
  }
  if (!is_raw (d)) {
    close (fd);
    connect_nbd (i, d);
    return;
  }
  drive_fds[i] = fd;
  drive_sizes[i] = st.st_size / EXTENT_ALIGN * EXTENT_ALIGN;
  enabled = true;
}

void
direct_init (const struct setup *s, bool want)
{
  if (!want || s->nr_drives == 0)
    return;
  drive_fds = calloc (s->nr_drives, sizeof *drive_fds);
  drive_nbd = calloc (s->nr_drives, sizeof *drive_nbd);
  drive_sizes = calloc (s->nr_drives, sizeof *drive_sizes);
  if (drive_fds == NULL || drive_nbd == NULL || drive_sizes == NULL) {
    free (drive_fds);
    free (drive_nbd);
    free (drive_sizes);
    drive_fds = NULL;
    drive_nbd = NULL;
    drive_sizes = NULL;
    return;
  }
  nr_drives = s->nr_drives;
  for (size_t i = 0; i < nr_drives; ++i)
    open_drive (i, &s->drives[i]);
}

bool
direct_enabled (void)
{
  return enabled;
}

struct extent_map *
direct_map (int64_t handle, const char *what)
{
  char *buf;
  size_t len;
  int r = remote_extents (handle, &buf, &len);
  if (r < 0) {
    debug ("direct read: %s: no map (%s)", what, strerror (-r));
    return NULL;
  }
  const char *why = NULL;
  struct extent_map *m = extent_map_parse (buf, len, drive_sizes, nr_drives,
                                           &why);
  free (buf);
  if (m == NULL)
    debug ("direct read: %s: map refused: %s", what, why);
  else
    debug ("direct read: %s: mapped, %zu extents, %" PRIu64 " bytes", what,
           m->n, m->size);
  return m;
}

/* The first extent that ends after off. */
static size_t
first_extent (const struct extent_map *m, uint64_t off)
{
  size_t lo = 0, hi = m->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->e[mid].logical + m->e[mid].length <= off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static bool
pread_all (int fd, char *buf, size_t len, uint64_t off)
{
  while (len > 0) {
    ssize_t r = pread (fd, buf, len, off);
    if (r == -1 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    buf += r;
    len -= r;
    off += r;
  }
  return true;
}

/* len bytes of drive at off, from the image or qemu's export. */
static bool
read_drive (unsigned drive, char *buf, size_t len, uint64_t off)
{
  if (drive_nbd[drive]) {
    /* libnbd handles are thread-safe; one request at most 32 MiB. */
    while (len > 0) {
      size_t n = len < 32 * 1024 * 1024 ? len : 32 * 1024 * 1024;
      if (nbd_pread (drive_nbd[drive], buf, n, off, 0) == -1) {
        debug ("direct read: drive %u: %s", drive, nbd_get_error ());
        return false;
      }
      buf += n;
      len -= n;
      off += n;
    }
    atomic_fetch_add (&nbd_reads, 1);
    return true;
  }
  errno = 0;
  if (!pread_all (drive_fds[drive], buf, len, off)) {
    debug ("direct read: drive %u: %s", drive,
           errno ? strerror (errno) : "short read");
    return false;
  }
  return true;
}

ssize_t
direct_pread (const struct extent_map *m, char *buf, size_t size, off_t off)
{
  if (off < 0)
    return -1;
  if ((uint64_t) off >= m->size)
    return 0;
  if (size > m->size - off)
    size = m->size - off;
  memset (buf, 0, size);
  uint64_t end = off + size;
  for (size_t i = first_extent (m, off);
       i < m->n && m->e[i].logical < end; ++i) {
    const struct extent *e = &m->e[i];
    if (e->flags & EXTENT_ZERO)
      continue;
    uint64_t from = e->logical > (uint64_t) off ? e->logical : (uint64_t) off;
    uint64_t to = e->logical + e->length < end ? e->logical + e->length : end;
    if (!read_drive (e->drive, buf + (from - off), to - from,
                     e->physical + (from - e->logical)))
      return -1;
  }
  atomic_fetch_add (&direct_reads, 1);
  atomic_fetch_add (&direct_bytes, size);
  return size;
}

void
direct_prefetch (const struct extent_map *m, uint64_t off, uint64_t len)
{
  uint64_t end = off + len;
  for (size_t i = first_extent (m, off);
       i < m->n && m->e[i].logical < end; ++i) {
    const struct extent *e = &m->e[i];
    if ((e->flags & EXTENT_ZERO) || drive_nbd[e->drive] ||
        drive_fds[e->drive] < 0)
      continue; /* qemu reads ahead for its own export */
    uint64_t from = e->logical > off ? e->logical : off;
    uint64_t to = e->logical + e->length < end ? e->logical + e->length : end;
    posix_fadvise (drive_fds[e->drive], e->physical + (from - e->logical),
                   to - from, POSIX_FADV_WILLNEED);
  }
}

void
direct_finish (void)
{
  if (enabled)
    debug ("direct read: %" PRIuFAST64 " reads, %" PRIuFAST64
           " bytes served from the images (%" PRIuFAST64 " extent reads "
           "through qemu's NBD export)",
           atomic_load (&direct_reads), atomic_load (&direct_bytes),
           atomic_load (&nbd_reads));
  for (size_t i = 0; i < nr_drives; ++i) {
    if (drive_fds[i] >= 0)
      close (drive_fds[i]);
    if (drive_nbd[i])
      nbd_close (drive_nbd[i]);
  }
  free (drive_fds);
  free (drive_nbd);
  free (drive_sizes);
  drive_fds = NULL;
  drive_nbd = NULL;
  drive_sizes = NULL;
  nr_drives = 0;
  enabled = false;
}
