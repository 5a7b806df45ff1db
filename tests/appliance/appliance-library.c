/* The library-side actions of actions_library.c, on one launch:
 * mount_local served from this program (read and written through the
 * mount, then checked through the API), and the calls that need no
 * appliance before it.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guests.h"
#include "harness.h"

static char *tmp;

/* ---- mount_local ---- */

struct run_result {
  guestfs_h *g;
  int r;
};

static void *
run_mount (void *arg)
{
  struct run_result *rr = arg;
  rr->r = guestfs_mount_local_run (rr->g);
  return NULL;
}

static void
write_host_file (const char *path, const char *text)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK (fd >= 0);
  if (fd < 0)
    return;
  CHECK (write (fd, text, strlen (text)) == (ssize_t) strlen (text));
  CHECK (close (fd) == 0);
}

/* The qcow2 guest's filesystem, mounted at / in the appliance, served
 * on a local directory by a thread of this program. */
static void
test_mount_local (guestfs_h *g)
{
  char *mp = xasprintf ("%s/mp", tmp);
  CHECK (mkdir (mp, 0755) == 0);
  CHECK_ERROR (g, guestfs_mount_local_run (g), EINVAL, "mount_local first");
  CHECK_ERROR (g, guestfs_umount_local (g, -1), EINVAL, "no filesystem");
  CHECK_ERROR (g, guestfs_mount_local (g, mp, GUESTFS_MOUNT_LOCAL_CACHETIMEOUT,
                                       -1, -1),
               EINVAL, "negative");
  OK (g, guestfs_mount_local (g, mp, GUESTFS_MOUNT_LOCAL_CACHETIMEOUT, 5,
                              GUESTFS_MOUNT_LOCAL_OPTIONS, "noatime", -1));
  CHECK_ERROR (g, guestfs_mount_local (g, mp, -1), EBUSY, "already mounted");

  struct run_result rr = { .g = g, .r = 99 };
  pthread_t thread;
  CHECK (pthread_create (&thread, NULL, run_mount, &rr) == 0);

  /* Read: the file the guest recipe wrote through the overlay. */
  char *hello = xasprintf ("%s/hello.txt", mp);
  CHECK (host_content_is (hello, QCOW2_OVERLAY_HELLO,
                          strlen (QCOW2_OVERLAY_HELLO)));
  /* Write through the mount; the handle sees it (the program's own
   * calls go on while the mount is served). */
  char *made = xasprintf ("%s/made-through-mount.txt", mp);
  write_host_file (made, "written by a FUSE client\n");
  char *dir = xasprintf ("%s/newdir", mp);
  CHECK (mkdir (dir, 0700) == 0);
  struct stat st;
  CHECK (stat (dir, &st) == 0 && S_ISDIR (st.st_mode));
  CHECK_CALL_STREQ (g, guestfs_cat (g, "/made-through-mount.txt"),
                    "written by a FUSE client\n");
  CHECK (guestfs_is_dir (g, "/newdir") == 1);
  /* The mount is listed as the library's. */
  size_t len;
  char *mounts = host_read ("/proc/self/mounts", &len);
  CHECK (mounts && strstr (mounts, "fuse.guestfs"));
  free (mounts);

  OK (g, guestfs_umount_local (g, GUESTFS_UMOUNT_LOCAL_RETRY, 1, -1));
  CHECK (pthread_join (thread, NULL) == 0);
  CHECK (rr.r == 0);
  CHECK (!host_exists (hello)); /* the directory is empty again */
  CHECK_ERROR (g, guestfs_umount_local (g, -1), EINVAL, "no filesystem");
  /* The cache is per process: one local mount in its life. */
  CHECK_ERROR (g, guestfs_mount_local (g, mp, -1), EBUSY, "one mount");
  CHECK (rmdir (mp) == 0);
  free (hello);
  free (made);
  free (dir);
  free (mp);
}

int
main (void)
{
  if (access ("/dev/fuse", R_OK | W_OK) != 0)
    skip ("/dev/fuse is not usable here");
  const char *qcow2 = test_guest_overlay ("qcow2");
  tmp = test_tmpdir ();

  guestfs_h *g = guestfs_create ();
  CHECK (g != NULL);
  guestfs_set_error_handler (g, NULL, NULL);
  CHECK_ERROR (g, guestfs_mount_local (g, "/", -1), EINVAL, "");
  OK (g, guestfs_add_drive_opts (g, qcow2, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 "qcow2", -1));
  test_launch_or_skip (g);
  char **devs = guestfs_list_devices (g);
  CHECK (devs && devs[0]);
  OK (g, guestfs_mount (g, devs[0], "/"));
  free_list (devs);

  test_mount_local (g);

  OK (g, guestfs_shutdown (g));
  guestfs_close (g);
  return test_result ();
}
