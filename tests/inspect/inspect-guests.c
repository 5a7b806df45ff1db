/* inspect_os and every inspect_get_* on the test guests.
 *
 * One appliance holds all of them (read-only), which also makes this a
 * multi-boot case: debian, fedora and windows are found together; the
 * LUKS guest only once it is opened; the vfat and the bare ext4 (the
 * qcow2 guest) hold no system.  A second appliance with only those two
 * finds nothing at all.  The installed applications of each system:
 * the fedora guest's real rpm database read by librpm, the debian
 * guest's dpkg database.
 */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "guests.h"
#include "inspect-util.h"

enum { DEBIAN, FEDORA, LUKS, WINDOWS, VFAT, QCOW2 };

static guestfs_h *g;
static char *host_arch;
static char *debian_boot, *fedora_esp, *fedora_root, *fedora_home;
static char *luks_boot, *luks_crypt, *windows_c;

static void
name_devices (void)
{
  debian_boot = disk_name (g, DEBIAN, 1);
  fedora_esp = disk_name (g, FEDORA, 1);
  char *p = disk_name (g, FEDORA, 2);
  fedora_root = xasprintf ("btrfsvol:%s/root", p);
  fedora_home = xasprintf ("btrfsvol:%s/home", p);
  free (p);
  luks_boot = disk_name (g, LUKS, 1);
  luks_crypt = disk_name (g, LUKS, 2);
  windows_c = disk_name (g, WINDOWS, 2);
}

static void
check_debian (void)
{
  const char *mps[] = {"/", "/dev/debian-vg/root", "/boot", debian_boot, NULL};
  const char *fss[] = {"/dev/debian-vg/root", debian_boot,
                       "/dev/debian-vg/swap_1", NULL};
  struct expected_os e = {.root = "/dev/debian-vg/root",
                          .type = "linux",
                          .distro = "debian",
                          /* debian_version, as libguestfs gives it */
                          .product_name = "12.5",
                          .product_variant = "unknown",
                          .major = 12,
                          .minor = 5,
                          .hostname = DEBIAN_HOSTNAME,
                          .arch = host_arch,
                          .package_format = "deb",
                          .package_management = "apt",
                          .build_id = "unknown",
                          .mountpoints = mps,
                          .filesystems = fss};
  check_os (g, &e);
}

static void
check_fedora (void)
{
  /* /home (one name deep) before /boot/efi (two). */
  const char *mps[] = {"/",         fedora_root, "/home", fedora_home,
                       "/boot/efi", fedora_esp,  NULL};
  const char *fss[] = {fedora_root, fedora_home, fedora_esp, NULL};
  struct expected_os e = {.root = fedora_root,
                          .type = "linux",
                          .distro = "fedora",
                          .product_name = "Fedora Linux 39 (Server Edition)",
                          .product_variant = "Server Edition",
                          .major = 39,
                          .minor = 0,
                          .hostname = FEDORA_HOSTNAME,
                          .arch = "aarch64",
                          .package_format = "rpm",
                          .package_management = "dnf",
                          .build_id = "unknown",
                          .mountpoints = mps,
                          .filesystems = fss};
  check_os (g, &e);
}

static void
check_windows (void)
{
  const char *mps[] = {"/", windows_c, NULL};
  const char *fss[] = {windows_c, NULL};
  const char *drives[] = {"C", windows_c, NULL};
  struct expected_os e = {.root = windows_c,
                          .type = "windows",
                          .distro = "windows",
                          .product_name = WINDOWS_PRODUCT_NAME,
                          .product_variant = "Server",
                          .major = 10,
                          .minor = 0,
                          .hostname = WINDOWS_HOSTNAME,
                          .arch = "x86_64",
                          .package_format = "unknown",
                          .package_management = "unknown",
                          .build_id = "20348",
                          .mountpoints = mps,
                          .filesystems = fss,
                          .drives = drives,
                          .systemroot = "/Windows",
                          .software_hive = "/Windows/System32/config/SOFTWARE",
                          .system_hive = "/Windows/System32/config/SYSTEM",
                          .control_set = "ControlSet001"};
  check_os (g, &e);
}

static void
check_ubuntu_in_luks (void)
{
  const char *mps[] = {"/", "/dev/vgubuntu/root", "/boot", luks_boot, NULL};
  const char *fss[] = {"/dev/vgubuntu/root", luks_boot, "/dev/vgubuntu/swap_1",
                       NULL};
  struct expected_os e = {.root = "/dev/vgubuntu/root",
                          .type = "linux",
                          .distro = "ubuntu",
                          .product_name = "Ubuntu 22.04.4 LTS",
                          .product_variant = "unknown",
                          .major = 22,
                          .minor = 4,
                          .hostname = LUKS_HOSTNAME,
                          .arch = "x86_64",
                          .package_format = "deb",
                          .package_management = "apt",
                          .build_id = "unknown",
                          .mountpoints = mps,
                          .filesystems = fss};
  check_os (g, &e);
}

/* The roots, as a set. */
static void
check_roots (char **roots, const char *const *want)
{
  bool ok = roots && list_len (roots) == list_len ((char *const *)want);
  for (size_t i = 0; ok && want[i]; ++i)
    ok = list_has (roots, want[i]);
  if (!ok) {
    fprintf (stderr, "FAIL: roots:");
    for (size_t i = 0; roots && roots[i]; ++i)
      fprintf (stderr, " %s", roots[i]);
    fprintf (stderr, "%s%s\n", roots ? "" : guestfs_last_error (g), "");
    ++test_failures;
  }
  CHECK_LIST (g, guestfs_inspect_get_roots (g), (const char *const *)roots);
  free_list (roots);
}

/* Before inspect_os: no roots, and any root is refused. */
static void
check_before_inspection (void)
{
  const char *none[] = {NULL};
  CHECK_LIST (g, guestfs_inspect_get_roots (g), none);
  CHECK_ERROR_NULL (g, guestfs_inspect_get_type (g, "/dev/sda1"), EINVAL,
                    "not a root");
}

/* Mounting the mountpoints in the order given works. */
static void
check_mount_in_order (const char *root, const char *file)
{
  char **mps = guestfs_inspect_get_mountpoints (g, root);
  CHECK (mps != NULL);
  for (size_t i = 0; mps && mps[i] && mps[i + 1]; i += 2)
    OK (g, guestfs_mount_ro (g, mps[i + 1], mps[i]));
  CHECK (guestfs_is_file (g, file) == 1);
  OK (g, guestfs_umount_all (g));
  free_list (mps);
}

/* Mount root's filesystems read-only, in the order inspection gives. */
static void
mount_root_ro (const char *root)
{
  char **mps = guestfs_inspect_get_mountpoints (g, root);
  CHECK (mps != NULL);
  for (size_t i = 0; mps && mps[i] && mps[i + 1]; i += 2)
    OK (g, guestfs_mount_ro (g, mps[i + 1], mps[i]));
  free_list (mps);
}

static struct guestfs_application2_list *
list_applications_of (const char *root)
{
  mount_root_ro (root);
  struct guestfs_application2_list *apps =
      guestfs_inspect_list_applications2 (g, root);
  if (apps == NULL) {
    fprintf (stderr, "FAIL: inspect_list_applications2 (%s): %s\n", root,
             guestfs_last_error (g));
    ++test_failures;
  }
  return apps;
}

static const struct test_rpm fedora_rpms[] = FEDORA_RPMS;
#define FEDORA_RPM_COUNT (sizeof fedora_rpms / sizeof fedora_rpms[0])

/* The FEDORA_RPMS entry of a, or -1. */
static int
fedora_rpm_of (const struct guestfs_application2 *a)
{
  for (size_t i = 0; i < FEDORA_RPM_COUNT; ++i)
    if (strcmp (a->app2_name, fedora_rpms[i].name) == 0 &&
        strcmp (a->app2_version, fedora_rpms[i].version) == 0)
      return i;
  return -1;
}

static void
check_fedora_application (const struct guestfs_application2 *a,
                          const struct test_rpm *p)
{
  CHECK (a->app2_epoch == p->epoch);
  CHECK_STREQ (a->app2_release, p->release);
  CHECK_STREQ (a->app2_arch, p->arch);
  CHECK_STREQ (a->app2_url, p->url);
  CHECK_STREQ (a->app2_summary, p->summary);
  CHECK_STREQ (a->app2_description, FEDORA_RPM_DESCRIPTION);
  const char *empty[] = {a->app2_display_name, a->app2_install_path,
                         a->app2_trans_path,   a->app2_publisher,
                         a->app2_source_package, a->app2_spare1};
  for (size_t i = 0; i < sizeof empty / sizeof empty[0]; ++i)
    CHECK_STREQ (empty[i], "");
}

/* The fedora guest's rpm database, read by librpm: every package of
 * the recipe, once, with its fields; sorted by name, and the two
 * kernel-core packages in the reverse of their installation order, as
 * libguestfs lists them.  The older list has the same packages. */
static void
check_fedora_applications (void)
{
  struct guestfs_application2_list *apps = list_applications_of (fedora_root);
  if (apps) {
    CHECK (apps->len == FEDORA_RPM_COUNT);
    bool seen[FEDORA_RPM_COUNT] = {false};
    int last = -1;
    for (uint32_t i = 0; i < apps->len; ++i) {
      const struct guestfs_application2 *a = &apps->val[i];
      int k = fedora_rpm_of (a);
      if (k == -1 || seen[k]) {
        fprintf (stderr, "FAIL: unexpected application %s %s\n",
                 a->app2_name, a->app2_version);
        ++test_failures;
        continue;
      }
      seen[k] = true;
      check_fedora_application (a, &fedora_rpms[k]);
      if (i > 0) {
        int c = strcmp (apps->val[i - 1].app2_name, a->app2_name);
        CHECK (c < 0 || (c == 0 && last > k));
      }
      last = k;
    }
    CHECK (strcmp (apps->val[0].app2_name, "bash") == 0);
    guestfs_free_application2_list (apps);
  }
  struct guestfs_application_list *old =
      guestfs_inspect_list_applications (g, fedora_root);
  CHECK (old != NULL && old->len == FEDORA_RPM_COUNT);
  for (uint32_t i = 0; old && i < old->len; ++i) {
    const struct guestfs_application *a = &old->val[i];
    struct guestfs_application2 a2 = {.app2_name = a->app_name,
                                      .app2_version = a->app_version};
    int k = fedora_rpm_of (&a2);
    CHECK (k >= 0 && a->app_epoch == fedora_rpms[k].epoch &&
           strcmp (a->app_release, fedora_rpms[k].release) == 0 &&
           strcmp (a->app_summary, fedora_rpms[k].summary) == 0);
  }
  if (old)
    guestfs_free_application_list (old);
  OK (g, guestfs_umount_all (g));
}

/* The debian guest's dpkg database, sorted; and Windows, whose
 * packages are not read, an empty list. */
static void
check_other_applications (void)
{
  struct guestfs_application2_list *apps =
      list_applications_of ("/dev/debian-vg/root");
  if (apps) {
    CHECK (apps->len == 9);
    for (uint32_t i = 1; i < apps->len; ++i)
      CHECK (strcmp (apps->val[i - 1].app2_name, apps->val[i].app2_name) < 0);
    for (uint32_t i = 0; i < apps->len; ++i)
      if (strcmp (apps->val[i].app2_name, "openssh-server") == 0) {
        CHECK (apps->val[i].app2_epoch == 1);
        CHECK_STREQ (apps->val[i].app2_version, "9.2p1");
        CHECK_STREQ (apps->val[i].app2_release, "2+deb12u2");
      }
    guestfs_free_application2_list (apps);
  }
  OK (g, guestfs_umount_all (g));
  apps = list_applications_of (windows_c);
  CHECK (apps != NULL && apps->len == 0);
  if (apps)
    guestfs_free_application2_list (apps);
  OK (g, guestfs_umount_all (g));
}

/* What the user mounted stays mounted through inspection. */
static void
check_mounts_undisturbed (void)
{
  OK (g, guestfs_mount_ro (g, "/dev/debian-vg/root", "/"));
  OK (g, guestfs_mount_ro (g, debian_boot, "/boot"));
  char **roots = guestfs_inspect_os (g);
  CHECK (list_len (roots) == 3);
  free_list (roots);
  const char *mounted[] = {"/dev/debian-vg/root", debian_boot, NULL};
  CHECK_LIST (g, guestfs_mounts (g), mounted);
  CHECK (guestfs_is_file (g, "/boot/grub/grub.cfg") == 1);
  OK (g, guestfs_umount_all (g));
}

static void
check_luks (void)
{
  OK (g, guestfs_luks_open_ro (g, luks_crypt, LUKS_GUEST_KEY, "cryptroot"));
  OK (g, guestfs_vgscan (g));
  OK (g, guestfs_vg_activate_all (g, 1));
  double t = now ();
  char **roots = guestfs_inspect_os (g);
  printf ("inspect_os with the LUKS guest open: %.1f s\n", now () - t);
  const char *want[] = {"/dev/debian-vg/root", fedora_root, windows_c,
                        "/dev/vgubuntu/root", NULL};
  check_roots (roots, want);
  check_ubuntu_in_luks ();
  /* The other roots are still there, unchanged. */
  check_debian ();
}

/* The getters answer from the handle: they work after the appliance is
 * gone. */
static void
check_cached_after_shutdown (void)
{
  OK (g, guestfs_shutdown (g));
  CHECK (guestfs_is_config (g) == 1);
  check_windows ();
  check_fedora ();
}

static void
check_no_os (void)
{
  const char *images[] = {test_guest_path ("vfat"), NULL};
  guestfs_h *h = launch_with (images);
  char **roots = guestfs_inspect_os (h);
  CHECK (roots != NULL && roots[0] == NULL);
  free_list (roots);
  const char *none[] = {NULL};
  CHECK_LIST (h, guestfs_inspect_get_roots (h), none);
  guestfs_close (h);
}

int
main (void)
{
  struct utsname u;
  uname (&u);
  host_arch = u.machine;
  const char *images[] = {
      test_guest_path ("debian"), test_guest_path ("fedora"),
      test_guest_path ("luks"),   test_guest_path ("windows"),
      test_guest_path ("vfat"),   NULL};
  g = launch_with (images);
  name_devices ();

  check_before_inspection ();
  double t = now ();
  char **roots = guestfs_inspect_os (g);
  printf ("inspect_os: %.1f s\n", now () - t);
  const char *want[] = {"/dev/debian-vg/root", fedora_root, windows_c, NULL};
  check_roots (roots, want);
  check_debian ();
  check_fedora ();
  check_windows ();
  check_mount_in_order ("/dev/debian-vg/root", "/boot/grub/grub.cfg");
  check_mount_in_order (fedora_root, "/boot/efi/EFI/fedora/grub.cfg");
  check_fedora_applications ();
  check_other_applications ();
  check_mounts_undisturbed ();
  check_luks ();
  check_cached_after_shutdown ();
  guestfs_close (g);

  check_no_os ();

  free (debian_boot);
  free (fedora_esp);
  free (fedora_root);
  free (fedora_home);
  free (luks_boot);
  free (luks_crypt);
  free (windows_c);
  return test_result ();
}
