/* The library-side actions of actions_library.c, on one launch:
 * add_domain with libvirt's in-process test driver (a node file whose
 * domains point at the test guests), then inspection; mount_local
 * served from this program (read and written through the mount, then
 * checked through the API); config's option on qemu's command line,
 * and the other library-side calls that need a launched handle.
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

/* ---- The other library-side actions, once launched ---- */

/* config's option reached qemu's command line. */
static void
test_config_applied (guestfs_h *g)
{
  int pid = guestfs_get_pid (g);
  CHECK (pid > 0);
  char *path = xasprintf ("/proc/%d/cmdline", pid);
  size_t len;
  char *cmdline = host_read (path, &len);
  CHECK (cmdline != NULL);
  bool found = false;
  for (size_t i = 0; cmdline && i + 1 < len; i += strlen (cmdline + i) + 1)
    if (strcmp (cmdline + i, "-device") == 0 &&
        strcmp (cmdline + i + 8, "virtio-rng-pci") == 0)
      found = true;
  CHECK (found);
  free (cmdline);
  free (path);
}

static void
test_launched (guestfs_h *g, const char *root)
{
  CHECK (guestfs_internal_feature_available (g, "lvm2") == 0);
  CHECK_ERROR (g, guestfs_internal_feature_available (g, "nosuchgroup"), 0,
               "nosuchgroup");
  CHECK (guestfs_inspect_is_live (g, root) == 0);
  CHECK (guestfs_inspect_is_multipart (g, root) == 0);
  CHECK (guestfs_inspect_is_netinst (g, root) == 0);
  CHECK_ERROR (g, guestfs_inspect_is_live (g, "/dev/nosuch"), EINVAL, "");
  struct guestfs_internal_mountable *m =
    guestfs_internal_parse_mountable (g, "/dev/sda1");
  CHECK (m && m->im_type == 0 && strcmp (m->im_device, "/dev/sda1") == 0 &&
         m->im_volume[0] == '\0');
  guestfs_free_internal_mountable (m);
  m = guestfs_internal_parse_mountable (g, "btrfsvol:/dev/sdb2/root");
  CHECK (m && m->im_type == 1 && strcmp (m->im_device, "/dev/sdb2") == 0 &&
         strcmp (m->im_volume, "root") == 0);
  guestfs_free_internal_mountable (m);
  CHECK_ERROR (g, guestfs_remove_drive (g, "any"), ENOTSUP, "hot-unplug");
  CHECK_ERROR_NULL (g, guestfs_list_9p (g), ENOTSUP, "9p");
  CHECK_ERROR (g, guestfs_mount_9p (g, "tag", "/", -1), ENOTSUP, "9p");
}

/* ---- add_domain, with libvirt's in-process test driver ---- */

#define OFF_UUID "6f5a2b1e-9d3c-4e1a-8b7f-0c2d4e6f8a10"

/* A test-driver node file: a running domain with the debian guest, and
 * a shut-off one with the qcow2 guest's overlay and a disk marked
 * read-only, beside an empty CD-ROM drive. */
static char *
write_libvirt_node (const char *debian, const char *qcow2, const char *vfat)
{
  char *path = xasprintf ("%s/libvirt-node.xml", tmp);
  FILE *f = fopen (path, "w");
  CHECK (f != NULL);
  fprintf (f,
    "<node>\n"
    " <domain type='test'>\n"
    "  <name>guestfs-debian</name>\n"
    "  <memory>1048576</memory><os><type>hvm</type></os>\n"
    "  <devices>\n"
    "   <disk type='file' device='disk'><driver name='qemu' type='raw'/>\n"
    "    <source file='%s'/><target dev='vda' bus='virtio'/></disk>\n"
    "   <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/>\n"
    "    <readonly/></disk>\n"
    "  </devices>\n"
    " </domain>\n"
    " <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
    "  <name>guestfs-off</name><uuid>" OFF_UUID "</uuid>\n"
    "  <memory>1048576</memory><os><type>hvm</type></os>\n"
    "  <devices>\n"
    "   <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>\n"
    "    <source file='%s'/><target dev='vda' bus='virtio'/></disk>\n"
    "   <disk type='file' device='disk'><driver name='qemu' type='raw'/>\n"
    "    <source file='%s'/><target dev='vdb' bus='virtio'/><readonly/>\n"
    "   </disk>\n"
    "  </devices>\n"
    "  <test:runstate>5</test:runstate>\n"
    " </domain>\n"
    "</node>\n", debian, qcow2, vfat);
  CHECK (fclose (f) == 0);
  return path;
}

/* Adds the debian guest (read-only) and the qcow2 overlay, in that
 * order, checking the refusals on the way. */
static void
test_add_domain (guestfs_h *g, const char *uri)
{
  CHECK_ERROR (g, guestfs_add_domain (g, "nosuch", GUESTFS_ADD_DOMAIN_LIBVIRTURI,
                                      uri, -1),
               ENOENT, "no libvirt domain called 'nosuch'");
  CHECK_ERROR (g, guestfs_add_domain (g, "guestfs-debian",
                                      GUESTFS_ADD_DOMAIN_LIBVIRTURI, uri, -1),
               EPERM, "live virtual machine");
  CHECK_ERROR (g, guestfs_add_domain (g, "guestfs-off",
                                      GUESTFS_ADD_DOMAIN_LIBVIRTURI, uri,
                                      GUESTFS_ADD_DOMAIN_READONLYDISK, "bogus",
                                      -1),
               EINVAL, "readonlydisk");
  /* Found by UUID; refused as a whole for its <readonly/> disk. */
  CHECK_ERROR (g, guestfs_add_domain (g, OFF_UUID,
                                      GUESTFS_ADD_DOMAIN_LIBVIRTURI, uri,
                                      GUESTFS_ADD_DOMAIN_ALLOWUUID, 1,
                                      GUESTFS_ADD_DOMAIN_READONLYDISK, "error",
                                      -1),
               EPERM, "<readonly/>");
  CHECK (guestfs_add_domain (g, "guestfs-debian",
                             GUESTFS_ADD_DOMAIN_LIBVIRTURI, uri,
                             GUESTFS_ADD_DOMAIN_READONLY, 1, -1) == 1);
  CHECK (guestfs_add_domain (g, "guestfs-off", GUESTFS_ADD_DOMAIN_LIBVIRTURI,
                             uri, GUESTFS_ADD_DOMAIN_READONLYDISK, "ignore",
                             -1) == 1);
  /* Credentials are asked for only inside libvirt's callback. */
  CHECK_ERROR_NULL (g, guestfs_get_libvirt_requested_credentials (g), EINVAL,
                    "GUESTFS_EVENT_LIBVIRT_AUTH");
  CHECK_ERROR_NULL (g, guestfs_get_libvirt_requested_credential_prompt (g, 0),
                    EINVAL, "GUESTFS_EVENT_LIBVIRT_AUTH");
  CHECK_ERROR (g, guestfs_set_libvirt_requested_credential (g, 0, "x", 1),
               EINVAL, "GUESTFS_EVENT_LIBVIRT_AUTH");
  char *bad[] = { (char *) "authname", (char *) "fingerprint", NULL };
  CHECK_ERROR (g, guestfs_set_libvirt_supported_credentials (g, bad), EINVAL,
               "fingerprint");
  char *none[] = { NULL };
  CHECK_ERROR (g, guestfs_set_libvirt_supported_credentials (g, none), EINVAL,
               "empty");
  char *good[] = { (char *) "authname", (char *) "passphrase", NULL };
  OK (g, guestfs_set_libvirt_supported_credentials (g, good));
}

/* After launch: the domain's disks are the appliance's, in order, and
 * inspection finds the debian guest on the first. */
static void
test_domain_disks (guestfs_h *g)
{
  test_config_applied (g);
  char **devs = guestfs_list_devices (g);
  CHECK (devs && list_len (devs) == 2);
  free_list (devs);
  char **roots = guestfs_inspect_os (g);
  CHECK (roots && list_len (roots) == 1);
  if (roots && roots[0]) {
    CHECK_CALL_STREQ (g, guestfs_inspect_get_distro (g, roots[0]), "debian");
    test_launched (g, roots[0]);
  }
  free_list (roots);
}

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
  const char *debian = test_guest_path ("debian");
  const char *vfat = test_guest_path ("vfat");
  const char *qcow2 = test_guest_overlay ("qcow2");
  tmp = test_tmpdir ();
  char *node = write_libvirt_node (debian, qcow2, vfat);
  char *uri = xasprintf ("test://%s", node);

  guestfs_h *g = guestfs_create ();
  CHECK (g != NULL);
  guestfs_set_error_handler (g, NULL, NULL);
  CHECK_ERROR (g, guestfs_mount_local (g, "/", -1), EINVAL, "");
  test_add_domain (g, uri);
  OK (g, guestfs_config (g, "-device", "virtio-rng-pci"));
  test_launch_or_skip (g);
  test_domain_disks (g);
  char **devs = guestfs_list_devices (g);
  CHECK (devs && devs[0] && devs[1]);
  OK (g, guestfs_mount (g, devs[1], "/"));
  free_list (devs);

  test_mount_local (g);

  OK (g, guestfs_shutdown (g));
  guestfs_close (g);
  free (uri);
  free (node);
  return test_result ();
}
