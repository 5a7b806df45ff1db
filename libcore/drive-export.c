/* guestfs_fuse_drive_nbd: a drive served read-only over NBD by the
 * appliance's own qemu, for guestmount's direct reads of images that
 * are not raw (the host never parses an image format: qemu's block
 * layer does, as it does for the guest).
 *
 * qemu is confined (-sandbox, another user under root, no file of its
 * own to open): the library makes the listening Unix socket in the
 * handle's private directory, which only the caller can enter, and
 * hands qemu the listening descriptor over the monitor (getfd), so
 * qemu creates no file and only the caller can connect.  The NBD
 * server (nbd-server-start) and each drive's export (nbd-server-add,
 * writable=false, export name "hdN" = the drive's id) are made at the
 * first request and last as long as qemu.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"
#include "guestfs-internal.h"
#include "backend-qemu.h"
#include "internal-actions.h"

#define QMP_TIMEOUT_MS 30000

static int
monitor (guestfs_h *g, struct qemu_data *q, const char *command, int fd)
{
  char err[1024];
  if (!q->mon_ready) {
    if (qmp_handshake (&q->mon, QMP_TIMEOUT_MS, err, sizeof err) == -1) {
      guestfs_int_error_errno (g, EIO, "fuse_drive_nbd: %s", err);
      return -1;
    }
    q->mon_ready = true;
  }
  if (qmp_execute_fd (&q->mon, command, fd, QMP_TIMEOUT_MS, NULL, err,
                      sizeof err) == -1) {
    guestfs_int_error_errno (g, EIO, "fuse_drive_nbd: %s", err);
    return -1;
  }
  return 0;
}

/* The NBD server of qemu, listening on q->nbd_sock. */
static int
start_server (guestfs_h *g, struct qemu_data *q)
{
  if (guestfs_int_lazy_make_tmpdir (g) == -1)
    return -1;
  CLEANUP_FREE char *path = safe_asprintf (g, "%s/nbd.sock", g->tmpdir);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen (path) >= sizeof addr.sun_path) {
    guestfs_int_error_errno (g, ENAMETOOLONG,
                             "fuse_drive_nbd: %s: socket "
                             "path too long (set TMPDIR to a shorter "
                             "directory)",
                             path);
    return -1;
  }
  strcpy (addr.sun_path, path);
  unlink (path);
  CLEANUP_CLOSE int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd == -1 || bind (fd, (struct sockaddr *)&addr, sizeof addr) == -1 ||
      listen (fd, 16) == -1) {
    perrorf (g, "fuse_drive_nbd: %s", path);
    return -1;
  }
  if (monitor (g, q,
               "{\"execute\": \"getfd\", \"arguments\": "
               "{\"fdname\": \"nbd-listen\"}}",
               fd) == -1 ||
      monitor (g, q,
               "{\"execute\": \"nbd-server-start\", \"arguments\": "
               "{\"addr\": {\"type\": \"fd\", \"data\": "
               "{\"str\": \"nbd-listen\"}}}}",
               -1) == -1) {
    unlink (path);
    return -1;
  }
  q->nbd_sock = path;
  path = NULL;
  return 0;
}

static int
export_drive (guestfs_h *g, struct qemu_data *q, int index)
{
  /* nbd-server-add takes the drive's id (block-export-add only a node
   * name, which -drive leaves to qemu). */
  CLEANUP_FREE char *add = safe_asprintf (
      g,
      "{\"execute\": \"nbd-server-add\", \"arguments\": {\"device\": "
      "\"hd%d\", \"name\": \"hd%d\", \"writable\": false}}",
      index, index);
  if (monitor (g, q, add, -1) == -1)
    return -1;
  q->nbd_exported |= UINT64_C (1) << index;
  return 0;
}

/* path as a URI query value: percent-encoded but for [A-Za-z0-9/._-]. */
static char *
uri_encode (guestfs_h *g, const char *path)
{
  char *r = safe_malloc (g, 3 * strlen (path) + 1), *o = r;
  for (const unsigned char *p = (const unsigned char *)path; *p; ++p)
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
        (*p >= '0' && *p <= '9') || strchr ("/._-", *p))
      *o++ = *p;
    else
      o += sprintf (o, "%%%02X", *p);
  *o = '\0';
  return r;
}

char *
guestfs_impl_fuse_drive_nbd (guestfs_h *g, int index)
{
  struct qemu_data *q = guestfs_int_qemu_data (g);
  if (q == NULL || q->pid <= 0 || q->mon.fd < 0) {
    guestfs_int_error_errno (g, ENOTSUP,
                             "fuse_drive_nbd: the backend has "
                             "no qemu monitor");
    return NULL;
  }
  if (index < 0 || (size_t)index >= g->nr_drives || index >= 64) {
    guestfs_int_error_errno (g, EINVAL, "fuse_drive_nbd: no drive %d", index);
    return NULL;
  }
  if ((q->nbd_sock == NULL && start_server (g, q) == -1) ||
      (!(q->nbd_exported & (UINT64_C (1) << index)) &&
       export_drive (g, q, index) == -1))
    return NULL;
  CLEANUP_FREE char *socket = uri_encode (g, q->nbd_sock);
  return safe_asprintf (g, "nbd+unix:///hd%d?socket=%s", index, socket);
}
