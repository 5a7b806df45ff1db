/* Launch through the qemu backend: drives, formats, read-only drives,
 * device name translation, and every launch failure leaving no qemu
 * behind. */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

static char *
tmp_path (const char *name)
{
  char *p;
  if (asprintf (&p, "%s/%s", tmp, name) == -1)
    abort ();
  return p;
}

static void
make_sparse (const char *path, off_t size)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd == -1 || ftruncate (fd, size) == -1) {
    perror (path);
    exit (EXIT_FAILURE);
  }
  close (fd);
}

static int
run (const char *cmd)
{
  int r = system (cmd);
  return WIFEXITED (r) ? WEXITSTATUS (r) : -1;
}

static guestfs_h *
quiet_handle (void)
{
  guestfs_h *g = guestfs_create ();
  if (g == NULL)
    abort ();
  guestfs_set_error_handler (g, NULL, NULL);
  return g;
}

/* Make an ext4 image with one file, through the library itself. */
static void
make_ext4_image (const char *path)
{
  make_sparse (path, 64 << 20);
  guestfs_h *g = quiet_handle ();
  int ok = guestfs_add_drive_opts (g, path, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                   "raw", -1) == 0 &&
           guestfs_launch (g) == 0 &&
           guestfs_mkfs (g, "ext4", "/dev/sda") == 0 &&
           guestfs_mount (g, "/dev/sda", "/") == 0 &&
           guestfs_write (g, "/marker", "image\n", 6) == 0 &&
           guestfs_shutdown (g) == 0;
  if (!ok) {
    fprintf (stderr, "making %s: %s\n", path, guestfs_last_error (g));
    exit (EXIT_FAILURE);
  }
  guestfs_close (g);
}

static void
test_several_drives (const char *raw, const char *qcow2)
{
  guestfs_h *g = quiet_handle ();
  CHECK (guestfs_add_drive_opts (g, raw, GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
                                 GUESTFS_ADD_DRIVE_OPTS_READONLY, 1, -1) == 0);
  CHECK (guestfs_add_drive_opts (g, qcow2, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 "qcow2", -1) == 0);
  CHECK (guestfs_add_drive_scratch (g, 32 << 20,
                                    GUESTFS_ADD_DRIVE_SCRATCH_BLOCKSIZE, 4096,
                                    -1) == 0);
  if (guestfs_launch (g) == -1) {
    fprintf (stderr, "FAIL: launch: %s\n", guestfs_last_error (g));
    ++test_failures;
    guestfs_close (g);
    return;
  }
  char **devs = guestfs_list_devices (g);
  CHECK (devs && list_len (devs) == 3);
  /* Return values are the appliance's real names, never translated. */
  CHECK (devs && strcmp (devs[0], "/dev/vda") == 0);
  CHECK (devs && strcmp (devs[2], "/dev/vdc") == 0);
  for (size_t i = 0; devs && devs[i]; ++i)
    free (devs[i]);
  free (devs);

  /* Device arguments given as /dev/sd* are translated. */
  CHECK (guestfs_blockdev_getsize64 (g, "/dev/sda") == 64 << 20);
  CHECK (guestfs_blockdev_getsize64 (g, "/dev/sdb") == 128 << 20);
  CHECK (guestfs_blockdev_getsize64 (g, "/dev/sdc") == 32 << 20);
  CHECK (guestfs_blockdev_getsize64 (g, "/dev/vdc") == 32 << 20);
  /* The sector size asked for is the one the guest sees. */
  CHECK (guestfs_blockdev_getss (g, "/dev/sdc") == 4096);
  CHECK (guestfs_blockdev_getss (g, "/dev/sda") == 512);
  /* One past the last drive is the appliance's own disk: hidden. */
  CHECK_ERROR (g, guestfs_blockdev_getsize64 (g, "/dev/sdd"), ENOENT,
               "/dev/sdd");
  CHECK_ERROR (g, guestfs_blockdev_getsize64 (g, "/dev/vdd"), ENOENT,
               "/dev/vdd");

  /* The read-only raw drive: readable, never writable. */
  CHECK (guestfs_mount_ro (g, "/dev/sda", "/") == 0);
  char *s = guestfs_cat (g, "/marker");
  CHECK (s && strcmp (s, "image\n") == 0);
  free (s);
  CHECK_ERROR (g, guestfs_write (g, "/x", "x", 1), EROFS, NULL);
  CHECK (guestfs_umount (g, "/") == 0);
  /* A read-write mount falls back to read-only, as mount(8) does. */
  CHECK (guestfs_mount (g, "/dev/sda", "/") == 0);
  CHECK_ERROR (g, guestfs_write (g, "/x", "x", 1), EROFS, NULL);
  CHECK (guestfs_umount (g, "/") == 0);

  /* The qcow2 drive is writable and keeps its data. */
  CHECK (guestfs_mkfs (g, "ext4", "/dev/sdb") == 0);
  CHECK (guestfs_mount (g, "/dev/sdb", "/") == 0);
  CHECK (guestfs_write (g, "/q", "qcow2 data", 10) == 0);
  CHECK (guestfs_shutdown (g) == 0);
  guestfs_close (g);

  /* What was written through qemu is in the qcow2 file now. */
  g = quiet_handle ();
  CHECK (guestfs_add_drive_opts (g, qcow2, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 "qcow2", GUESTFS_ADD_DRIVE_OPTS_READONLY, 1,
                                 -1) == 0);
  CHECK (guestfs_launch (g) == 0);
  CHECK (guestfs_mount_ro (g, "/dev/sda", "/") == 0);
  s = guestfs_cat (g, "/q");
  CHECK (s && strcmp (s, "qcow2 data") == 0);
  free (s);
  guestfs_close (g);
}

/* A filesystem left needing journal recovery (its VM was killed) still
 * mounts from a read-only drive, at its last consistent state. */
static void
test_dirty_journal_read_only (void)
{
  char *img = tmp_path ("dirty.img");
  make_ext4_image (img);
  guestfs_h *g = quiet_handle ();
  CHECK (guestfs_add_drive_opts (g, img, GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
                                 -1) == 0);
  CHECK (guestfs_launch (g) == 0);
  CHECK (guestfs_mount (g, "/dev/sda", "/") == 0);
  CHECK (guestfs_write (g, "/new", "new", 3) == 0);
  CHECK (guestfs_kill_subprocess (g) == 0); /* no unmount, no sync */
  guestfs_close (g);

  g = quiet_handle ();
  CHECK (guestfs_add_drive_ro (g, img) == 0);
  CHECK (guestfs_launch (g) == 0);
  CHECK (guestfs_mount_ro (g, "/dev/sda", "/") == 0);
  char *s = guestfs_cat (g, "/marker");
  CHECK (s && strcmp (s, "image\n") == 0);
  free (s);
  guestfs_close (g);
  free (img);
}

/* A failed launch: -1, a message containing text, back in CONFIG, and
 * no qemu left running with our files. */
static void
expect_launch_failure (guestfs_h *g, const char *text)
{
  CHECK_ERROR (g, guestfs_launch (g), 0, text);
  CHECK (guestfs_get_state (g) == 0);
  guestfs_close (g);
  CHECK (count_qemu_using (tmp) == 0);
}

static void
test_launch_failures (const char *raw)
{
  char *missing = tmp_path ("missing.img");
  guestfs_h *g = quiet_handle ();
  CHECK_ERROR (g, guestfs_add_drive (g, missing), ENOENT, "missing.img");
  CHECK_ERROR (g, guestfs_launch (g), EINVAL, "add at least one drive");
  guestfs_close (g);
  free (missing);

  /* A raw image declared as qcow2: qemu refuses it. */
  g = quiet_handle ();
  CHECK (guestfs_add_drive_opts (g, raw, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 "qcow2", GUESTFS_ADD_DRIVE_OPTS_READONLY, 1,
                                 -1) == 0);
  expect_launch_failure (g, "qcow2");

  g = quiet_handle ();
  CHECK (guestfs_set_qemu (g, "/nonexistent/qemu") == 0);
  CHECK (guestfs_add_drive_ro (g, raw) == 0);
  expect_launch_failure (g, "/nonexistent/qemu");

  /* The appliance boots but its daemon cannot start: init powers off
   * and launch reports it with the console's last lines. */
  g = quiet_handle ();
  CHECK (guestfs_set_append (g, "guestfs_channel=/dev/nonexistent") == 0);
  CHECK (guestfs_add_drive_ro (g, raw) == 0);
  expect_launch_failure (g, "/dev/nonexistent");
}

/* Two writers on one image: qemu's lock refuses the second. */
static void
test_image_in_use (const char *raw)
{
  guestfs_h *g1 = quiet_handle ();
  CHECK (guestfs_add_drive_opts (g1, raw, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 "raw", -1) == 0);
  CHECK (guestfs_launch (g1) == 0);
  guestfs_h *g2 = quiet_handle ();
  CHECK (guestfs_add_drive_opts (g2, raw, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 "raw", -1) == 0);
  CHECK_ERROR (g2, guestfs_launch (g2), EBUSY, "in use");
  guestfs_close (g2);
  CHECK (guestfs_ping_daemon (g1) == 0);
  guestfs_close (g1);
}

/* qemu dies with its parent, even one killed by SIGKILL mid-launch. */
static void
test_parent_killed (const char *raw)
{
  pid_t pid = fork ();
  if (pid == 0) {
    guestfs_h *g = quiet_handle ();
    guestfs_add_drive_ro (g, raw);
    guestfs_launch (g);
    pause ();
    _exit (0);
  }
  /* Kill it once its qemu is running. */
  for (int i = 0; i < 200 && count_qemu_using (tmp) == 0; ++i)
    usleep (20000);
  CHECK (count_qemu_using (tmp) == 1);
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  int left = 1;
  for (int i = 0; i < 100 && (left = count_qemu_using (tmp)) > 0; ++i)
    usleep (50000);
  CHECK (left == 0);
}

int
main (void)
{
  tmp = test_tmpdir ();
  char *raw = tmp_path ("disk.img");
  char *qcow2 = tmp_path ("disk.qcow2");
  make_ext4_image (raw);
  char *cmd;
  if (asprintf (&cmd, "qemu-img create -q -f qcow2 '%s' 128M", qcow2) == -1 ||
      run (cmd) != 0)
    skip ("qemu-img cannot create a qcow2 image");
  free (cmd);

  test_several_drives (raw, qcow2);
  test_dirty_journal_read_only ();
  test_launch_failures (raw);
  test_image_in_use (raw);
  test_parent_killed (raw);
  free (raw);
  free (qcow2);
  return test_result ();
}
