/* Editing the test guests in the appliance: a configuration file of
 * the debian guest through Augeas, and the windows guest's SYSTEM hive
 * through hivex, each changed, saved and read back.  The values read
 * are those the guests' recipe writes (guests.h, make-guest-*.c).
 *
 * Drives: /dev/sda debian overlay, /dev/sdb windows overlay. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guests.h"
#include "edit-util.h"

static guestfs_h *g;

#define REG_SZ 1
#define REG_DWORD 4

static bool
cat_is (const char *path, const char *want)
{
  char *v = guestfs_cat (g, path);
  bool same = v && strcmp (v, want) == 0;
  if (!same)
    fprintf (stderr, "%s: \"%s\", expected \"%s\"\n", path, v ? v : "(error)",
             want);
  free (v);
  return same;
}

static void
test_augeas (void)
{
  CHECK (guestfs_mount (g, "/dev/debian-vg/root", "/") == 0);
  CHECK (guestfs_mount (g, "/dev/sda1", "/boot") == 0);
  CHECK (guestfs_aug_init (g, "/", 0) == 0);
  CHECK (aug_get_is (g, "/files/etc/hostname/hostname", DEBIAN_HOSTNAME));
  CHECK (aug_get_is (g, "/files/etc/hosts/2/canonical", DEBIAN_HOSTNAME));
  CHECK (aug_get_is (g, "/files/etc/fstab/1/file", "/"));
  CHECK (aug_get_is (g, "/files/etc/fstab/2/file", "/boot"));
  CHECK (aug_get_is (g, "/files/etc/fstab/3/vfstype", "swap"));
  char **entries = guestfs_aug_match (g, "/files/etc/fstab/*[spec]");
  CHECK (list_len (entries) == 4);
  free_list (entries);
  char **hosts = guestfs_aug_ls (g, "/files/etc/hosts");
  CHECK (list_len (hosts) == 3);
  free_list (hosts);
  CHECK_ERROR_NULL (g, guestfs_aug_get (g, "/files/etc/nonexistent"), ENOENT,
                    "no matching node");

  /* Edit, save, and see the files change. */
  CHECK (guestfs_aug_set (g, "/files/etc/hostname/hostname", "edited") == 0);
  CHECK (guestfs_aug_set (g, "/files/etc/fstab/2/opt", "noatime") == 0);
  CHECK (guestfs_aug_save (g) == 0);
  CHECK (cat_is ("/etc/hostname", "edited\n"));
  char *fstab = guestfs_cat (g, "/etc/fstab");
  CHECK (fstab && strstr (fstab, " /boot           ext4    noatime "));
  free (fstab);
  CHECK (guestfs_aug_close (g) == 0);

  /* A fresh handle reads the saved files. */
  CHECK (guestfs_aug_init (g, "/", 0) == 0);
  CHECK (aug_get_is (g, "/files/etc/hostname/hostname", "edited"));
  CHECK (guestfs_aug_close (g) == 0);

  /* An open handle does not keep its filesystem busy: unmounting
   * closes it (guestfish's exit unmounts everything after aug-init). */
  CHECK (guestfs_aug_init (g, "/boot", 0) == 0);
  CHECK (guestfs_umount (g, "/boot") == 0);
  CHECK_ERROR_NULL (g, guestfs_aug_get (g, "/augeas/root"), 0, "aug-init");
  CHECK (guestfs_aug_init (g, "/", 0) == 0);
  CHECK (guestfs_umount_all (g) == 0);
  CHECK_ERROR_NULL (g, guestfs_aug_get (g, "/augeas/root"), 0, "aug-init");
}

static int64_t
path_to_node (const char *const *names)
{
  int64_t node = guestfs_hivex_root (g);
  for (size_t i = 0; names[i] && node > 0; ++i)
    node = guestfs_hivex_node_get_child (g, node, names[i]);
  return node;
}

static char *
node_string (int64_t node, const char *key)
{
  int64_t v = guestfs_hivex_node_get_value (g, node, key);
  return v > 0 ? guestfs_hivex_value_string (g, v) : NULL;
}

static void
test_hivex (void)
{
  static const char system[] = "/Windows/System32/config/SYSTEM";
  CHECK (guestfs_mount (g, "/dev/sdb2", "/") == 0);
  struct guestfs_hivex_open_argv w = {
      .bitmask = GUESTFS_HIVEX_OPEN_WRITE_BITMASK, .write = 1};
  CHECK (guestfs_hivex_open_argv (g, system, &w) == 0);
  int64_t root = guestfs_hivex_root (g);
  struct guestfs_hivex_node_list *kids = guestfs_hivex_node_children (g, root);
  CHECK (kids && kids->len == 4); /* MountedDevices, Select, ControlSet00[12] */
  guestfs_free_hivex_node_list (kids);

  int64_t select = path_to_node ((const char *const[]){"Select", NULL});
  int64_t current = guestfs_hivex_node_get_value (g, select, "Current");
  CHECK (guestfs_hivex_value_type (g, current) == REG_DWORD);
  size_t size;
  char *data = guestfs_hivex_value_value (g, current, &size);
  CHECK (data && size == 4 && memcmp (data, "\1\0\0\0", 4) == 0);
  free (data);

  const char *const cn_path[] = {"ControlSet001", "Control", "ComputerName",
                                 "ComputerName", NULL};
  int64_t cn = path_to_node (cn_path);
  char *name = node_string (cn, "ComputerName");
  CHECK (name && strcmp (name, WINDOWS_HOSTNAME) == 0);
  free (name);

  static const char new_name[] = "N\0E\0W\0-\0N\0A\0M\0E\0\0";
  CHECK (guestfs_hivex_node_set_value (g, cn, "ComputerName", REG_SZ, new_name,
                                       sizeof new_name) == 0);
  CHECK (guestfs_hivex_commit (g, NULL) == 0);
  CHECK (guestfs_hivex_close (g) == 0);

  CHECK (guestfs_hivex_open (g, system, -1) == 0);
  name = node_string (path_to_node (cn_path), "ComputerName");
  CHECK (name && strcmp (name, "NEW-NAME") == 0);
  free (name);
  CHECK (guestfs_hivex_close (g) == 0);
  CHECK (guestfs_umount_all (g) == 0);
}

static void
launch_or_skip (void)
{
  g = guestfs_create ();
  if (g == NULL)
    skip ("guestfs_create failed");
  guestfs_set_error_handler (g, NULL, NULL);
  /* libguestfs's default memory size: Augeas loads every lens and
   * every file it knows, and with a sanitizer build of the daemon
   * that outgrows 512 MiB. */
  if (guestfs_set_memsize (g, 1280) == -1) {
    fprintf (stderr, "FAIL: set_memsize: %s\n", guestfs_last_error (g));
    exit (EXIT_FAILURE);
  }
  const char *debian = test_guest_overlay ("debian");
  const char *windows = test_guest_overlay ("windows");
  struct guestfs_add_drive_opts_argv qcow2 = {
      .bitmask = GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK, .format = "qcow2"};
  if (guestfs_add_drive_opts_argv (g, debian, &qcow2) == -1 ||
      guestfs_add_drive_opts_argv (g, windows, &qcow2) == -1) {
    fprintf (stderr, "FAIL: add_drive: %s\n", guestfs_last_error (g));
    exit (EXIT_FAILURE);
  }
  test_launch_or_skip (g);
}

int
main (void)
{
  launch_or_skip ();
  test_augeas ();
  test_hivex ();
  CHECK (guestfs_shutdown (g) == 0);
  guestfs_close (g);
  return test_result ();
}
