/* Launch through the qemu backend: drives, formats, read-only drives,
 * device name translation, the network, and every launch failure
 * leaving no qemu behind. */
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
#include <netinet/in.h>
#include <sys/socket.h>

#include "appliance-net.h"
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
  /* Replies name disks as libguestfs does, whatever the appliance's
   * kernel calls them (/dev/vda here). */
  CHECK (devs && strcmp (devs[0], "/dev/sda") == 0);
  CHECK (devs && strcmp (devs[2], "/dev/sdc") == 0);
  for (size_t i = 0; devs && devs[i]; ++i)
    free (devs[i]);
  free (devs);

  /* Device arguments given as /dev/sd* are translated; the kernel's
   * own names are accepted too. */
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
  /* Errors name disks as replies do. */
  CHECK_ERROR (g, guestfs_blockdev_getsize64 (g, "/dev/vdd"), ENOENT,
               "/dev/sdd");

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

/* set_network: the appliance has a configured card (the address the
 * daemon gives it, up), and a connection from it reaches the host's
 * side of qemu's user-mode network (a listener on this host's
 * loopback; nothing beyond this machine). */
static void
test_network (void)
{
  int l = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in a = { .sin_family = AF_INET,
                           .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t alen = sizeof a;
  CHECK (l >= 0 && bind (l, (struct sockaddr *) &a, sizeof a) == 0 &&
         listen (l, 1) == 0 &&
         getsockname (l, (struct sockaddr *) &a, &alen) == 0);
  guestfs_h *g = quiet_handle ();
  CHECK (guestfs_get_network (g) == 0);
  CHECK (guestfs_set_network (g, 1) == 0);
  CHECK (guestfs_get_network (g) == 1);
  CHECK (guestfs_add_drive_scratch (g, 64 << 20, -1) == 0);
  test_launch_or_skip (g);
  CHECK (guestfs_mkfs (g, "ext4", "/dev/sda") == 0);
  CHECK (guestfs_mount (g, "/dev/sda", "/") == 0);
  CHECK (guestfs_upload (g, NET_PROBE, "/probe") == 0);
  CHECK (guestfs_chmod (g, 0755, "/probe") == 0);
  char port[16];
  snprintf (port, sizeof port, "%u", (unsigned) ntohs (a.sin_port));
  char *out = guestfs_command (g, (char *[]) { (char *) "/probe", port,
                                               NULL });
  if (out == NULL)
    fprintf (stderr, "FAIL: /probe: %s\n", guestfs_last_error (g));
  CHECK (out && strstr (out, "lo 127.0.0.1 up\n"));
  CHECK (out && strstr (out, " " APPLIANCE_NET_GUEST " up\n"));
  CHECK (out && strstr (out, "sent\n"));
  if (out)
    fputs (out, stderr);
  free (out);
  /* The line came through (the connection waits in the backlog). */
  int c = accept4 (l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  char buf[64] = "";
  CHECK (c >= 0 && read (c, buf, sizeof buf - 1) > 0 &&
         strcmp (buf, "hello from the appliance\n") == 0);
  if (c >= 0)
    close (c);
  close (l);
  CHECK (guestfs_shutdown (g) == 0);
  guestfs_close (g);

  /* Without set_network, no card. */
  g = quiet_handle ();
  CHECK (guestfs_add_drive_scratch (g, 64 << 20, -1) == 0);
  test_launch_or_skip (g);
  CHECK (guestfs_mkfs (g, "ext4", "/dev/sda") == 0);
  CHECK (guestfs_mount (g, "/dev/sda", "/") == 0);
  CHECK (guestfs_upload (g, NET_PROBE, "/probe") == 0);
  CHECK (guestfs_chmod (g, 0755, "/probe") == 0);
  out = guestfs_command (g, (char *[]) { (char *) "/probe", NULL });
  CHECK (out && strstr (out, APPLIANCE_NET_GUEST) == NULL);
  free (out);
  CHECK (guestfs_shutdown (g) == 0);
  guestfs_close (g);
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
  test_network ();
  free (raw);
  free (qcow2);
  return test_result ();
}
