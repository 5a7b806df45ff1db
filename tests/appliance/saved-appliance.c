/* Launch from the saved appliance (backend setting saved_appliance):
 * drives of several formats hot-added in order, a read-only drive with
 * a backing file, a rebuild when the memory size changes, and the fall
 * back to a cold boot when the saved state is damaged.  The restored
 * qemu is confined as a cold-booted one: under seccomp, as another
 * user when the test runs as root, given the drives (in a directory
 * only the caller can search) as descriptors.  The path each launch
 * took is read from the library's debug messages. */
#define _GNU_SOURCE 1
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "qemu-procs.h"

static char *tmp;

/* The debug messages of the current launch. */
static char *log_buf;
static size_t log_len;

static void
collect (guestfs_h *g, void *opaque, uint64_t event, int event_handle,
         int flags, const char *buf, size_t buf_len, const uint64_t *array,
         size_t array_len)
{
  (void)g, (void)opaque, (void)event, (void)event_handle, (void)flags;
  (void)array, (void)array_len;
  char *n = realloc (log_buf, log_len + buf_len + 2);
  if (n == NULL)
    abort ();
  log_buf = n;
  memcpy (log_buf + log_len, buf, buf_len);
  log_len += buf_len;
  log_buf[log_len++] = '\n';
  log_buf[log_len] = '\0';
  /* The path taken, in the test's output too. */
  if (memmem (buf, buf_len, "saved appliance", 15))
    fprintf (stderr, "%.*s\n", (int)buf_len, buf);
}

static bool
logged (const char *what)
{
  return log_buf && strstr (log_buf, what) != NULL;
}

static guestfs_h *
saved_handle (int memsize)
{
  guestfs_h *g = guestfs_create ();
  if (g == NULL)
    abort ();
  guestfs_set_error_handler (g, NULL, NULL);
  free (log_buf);
  log_buf = NULL;
  log_len = 0;
  char *settings[] = {(char *)"saved_appliance", NULL};
  if (guestfs_set_backend_settings (g, settings) == -1 ||
      guestfs_set_verbose (g, 1) == -1 ||
      guestfs_set_event_callback (g, collect, GUESTFS_EVENT_LIBRARY, 0, NULL) ==
          -1 ||
      (memsize > 0 && guestfs_set_memsize (g, memsize) == -1))
    abort ();
  return g;
}

static void
make_file (const char *path, off_t size, const char *content)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd == -1 || ftruncate (fd, size) == -1 ||
      (content && pwrite (fd, content, strlen (content), 0) == -1)) {
    perror (path);
    exit (EXIT_FAILURE);
  }
  close (fd);
}

static char *raw, *qcow2, *ro, *ro_base;

static void
add_drives (guestfs_h *g)
{
  CHECK (guestfs_add_drive_opts (g, raw, GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
                                 -1) == 0);
  CHECK (guestfs_add_drive_opts (g, qcow2, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 "qcow2", -1) == 0);
  CHECK (guestfs_add_drive_opts (g, ro, GUESTFS_ADD_DRIVE_OPTS_FORMAT, "qcow2",
                                 GUESTFS_ADD_DRIVE_OPTS_READONLY, 1, -1) == 0);
}

/* The drives work and are named in drive order.  Returns the UUID of
 * the filesystem it made; launched_at is the host's time before the
 * launch: the guest's clock must not be behind it. */
static char *
check_drives (guestfs_h *g, time_t launched_at)
{
  char **devs = guestfs_list_devices (g);
  CHECK (devs && list_len (devs) == 3);
  CHECK (devs && strcmp (devs[0], "/dev/sda") == 0);
  CHECK (devs && strcmp (devs[1], "/dev/sdb") == 0);
  CHECK (devs && strcmp (devs[2], "/dev/sdc") == 0);
  free_list (devs);
  CHECK (guestfs_blockdev_getsize64 (g, "/dev/sda") == 64 << 20);
  CHECK (guestfs_blockdev_getsize64 (g, "/dev/sdb") == 32 << 20);
  CHECK (guestfs_blockdev_getsize64 (g, "/dev/sdc") == 16 << 20);
  CHECK (guestfs_blockdev_getro (g, "/dev/sdc") == 1);
  CHECK (guestfs_blockdev_getro (g, "/dev/sda") == 0);
  size_t n = 0;
  char *head = guestfs_pread_device (g, "/dev/sdc", 12, 0, &n);
  CHECK (head && n == 12 && memcmp (head, "saved-marker", 12) == 0);
  free (head);
  CHECK (guestfs_mkfs (g, "ext4", "/dev/sdb") == 0);
  CHECK (guestfs_mount (g, "/dev/sdb", "/") == 0);
  CHECK (guestfs_write (g, "/f", "hello\n", 6) == 0);
  struct guestfs_statns *st = guestfs_statns (g, "/f");
  CHECK (st && st->st_mtime_sec >= launched_at - 1);
  if (st)
    guestfs_free_statns (st);
  CHECK (guestfs_umount_all (g) == 0);
  char *uuid = guestfs_vfs_uuid (g, "/dev/sdb");
  CHECK (uuid && uuid[0]);
  return uuid;
}

/* The handle's qemu runs under seccomp, as another user under root,
 * and holds the drives and the backing file as descriptors. */
static void
check_confined (void)
{
  pid_t q = qemu_child_of (getpid ());
  CHECK (q > 0);
  CHECK (proc_status_field (q, "Seccomp") == 2);
  if (geteuid () == 0)
    CHECK (proc_status_field (q, "Uid") > 0);
  CHECK (count_qemu_using (raw) == 1);
  CHECK (count_qemu_using (ro_base) == 1);
}

/* The saved state the last launch came from, from its debug output. */
static char *
state_path (void)
{
  const char *p = log_buf ? strstr (log_buf, "launched from ") : NULL;
  if (p == NULL)
    return NULL;
  p += strlen ("launched from ");
  return strndup (p, strcspn (p, "\n"));
}

int
main (void)
{
  tmp = test_tmpdir ();
  raw = xasprintf ("%s/a.raw", tmp);
  qcow2 = xasprintf ("%s/b.qcow2", tmp);
  ro_base = xasprintf ("%s/c.raw", tmp);
  ro = xasprintf ("%s/c.qcow2", tmp);
  make_file (raw, 64 << 20, NULL);
  make_file (ro_base, 16 << 20, "saved-marker");
  char *cmd = xasprintf ("qemu-img create -q -f qcow2 %s 32M && "
                         "qemu-img create -q -f qcow2 -F raw -b %s %s",
                         qcow2, ro_base, ro);
  if (system (cmd) != 0)
    skip ("qemu-img cannot make a qcow2 image");
  free (cmd);

  /* First launch: builds the saved state if needed, then restores it. */
  guestfs_h *g = saved_handle (0);
  add_drives (g);
  test_launch_or_skip (g);
  if (logged ("not used, cold boot: the restore failed")) {
    /* A saved state damaged by an earlier run that was stopped: this
     * launch removed it, the next one rebuilds it. */
    guestfs_close (g);
    g = saved_handle (0);
    add_drives (g);
    test_launch_or_skip (g);
  }
  CHECK (logged ("saved appliance: launched from "));
  int memsize = guestfs_get_memsize (g);
  char *uuid1 = check_drives (g, time (NULL));
  CHECK (guestfs_shutdown (g) == 0);
  guestfs_close (g);

  /* Second launch, same configuration: restored, not rebuilt, with the
   * host's time and a random state of its own (a new UUID). */
  g = saved_handle (0);
  add_drives (g);
  time_t launched_at = time (NULL);
  test_launch_or_skip (g);
  CHECK (logged ("saved appliance: launched from "));
  CHECK (!logged ("building it"));
  char *uuid2 = check_drives (g, launched_at);
  check_confined ();
  CHECK (uuid1 && uuid2 && strcmp (uuid1, uuid2) != 0);
  free (uuid1);
  free (uuid2);
  char *state = state_path ();
  CHECK (state != NULL);
  guestfs_close (g);

  /* Another memory size is another guest: a saved state of its own,
   * built unless an earlier run of this test left it in the cache. */
  g = saved_handle (memsize + 128);
  add_drives (g);
  test_launch_or_skip (g);
  CHECK (logged ("saved appliance: launched from "));
  char *other = state_path ();
  CHECK (other && state && strcmp (other, state) != 0);
  free (other);
  guestfs_close (g);

  /* A damaged saved state: this launch cold-boots, the next rebuilds. */
  if (state && truncate (state, 4096) == -1)
    perror (state);
  g = saved_handle (0);
  add_drives (g);
  test_launch_or_skip (g);
  CHECK (logged ("not used, cold boot: the restore failed"));
  CHECK (!logged ("saved appliance: launched from "));
  free (check_drives (g, launched_at));
  guestfs_close (g);
  g = saved_handle (0);
  add_drives (g);
  test_launch_or_skip (g);
  CHECK (logged ("building it"));
  CHECK (logged ("saved appliance: launched from "));
  guestfs_close (g);

  free (state);
  free (log_buf);
  return test_result ();
}
