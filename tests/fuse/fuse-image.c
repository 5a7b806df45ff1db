/* guestmount on real disk images, through the appliance: -a, -m with
 * mountpoints, options and types, two filesystems at once, --ro,
 * --format, LUKS with --key and --keys-from-stdin, -i, and start-ups
 * that must fail cleanly (no mount, no guestmount, no qemu left).
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guests.h"
#include "mountenv.h"
#include "servers.h"

#define MiB (1024 * 1024)
#define KEY "correct horse"

static char *dir, *disk, *crypt_img, *garbage, *mnt;
static char *luks_uuid;

static guestfs_h *
open_image (const char *path, bool readonly)
{
  guestfs_h *g = guestfs_create ();
  if (g == NULL)
    skip ("guestfs_create failed");
  guestfs_set_error_handler (g, NULL, NULL);
  if (guestfs_add_drive_opts (g, path, GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
                              GUESTFS_ADD_DRIVE_OPTS_READONLY, readonly,
                              -1) == -1) {
    fprintf (stderr, "FAIL: add_drive %s: %s\n", path,
             guestfs_last_error (g));
    exit (EXIT_FAILURE);
  }
  test_launch_or_skip (g);
  return g;
}

/* disk: two partitions, p1 a small /boot, p2 the root.  crypt_img: LUKS
 * on the whole disk with an ext4 inside. */
static void
make_images (void)
{
  host_create_sized (disk, 200 * MiB);
  guestfs_h *g = open_image (disk, false);
  MUST (g, guestfs_part_init (g, "/dev/sda", "mbr"));
  MUST (g, guestfs_part_add (g, "/dev/sda", "p", 2048, 2048 + 32768 - 1));
  MUST (g, guestfs_part_add (g, "/dev/sda", "p", 34816, 409600 - 2048 - 1));
  MUST (g, guestfs_mkfs (g, "ext4", "/dev/sda1"));
  MUST (g, guestfs_mkfs (g, "ext4", "/dev/sda2"));
  MUST (g, guestfs_mount (g, "/dev/sda2", "/"));
  MUST (g, guestfs_mkdir (g, "/boot"));
  MUST (g, guestfs_mkdir (g, "/etc"));
  MUST (g, guestfs_write (g, "/etc/hostname", "imagehost\n", 10));
  /* Enough of a Debian system for -i to recognise. */
  MUST (g, guestfs_mkdir_p (g, "/usr/bin"));
  MUST (g, guestfs_mkdir_p (g, "/bin"));
  MUST (g, guestfs_mkdir_p (g, "/var/lib/dpkg"));
  MUST (g, guestfs_write (g, "/etc/os-release",
                        "ID=debian\nVERSION_ID=\"12\"\n"
                        "PRETTY_NAME=\"Debian GNU/Linux 12\"\n", 60));
  MUST (g, guestfs_write (g, "/etc/debian_version", "12.5\n", 5));
  MUST (g, guestfs_write (g, "/etc/fstab",
                        "/dev/sda2 / ext4 defaults 0 1\n"
                        "/dev/sda1 /boot ext4 defaults 0 2\n", 64));
  MUST (g, guestfs_write (g, "/root-file", "on the root fs", 14));
  MUST (g, guestfs_ln_s (g, "/etc/hostname", "/abs-link"));
  MUST (g, guestfs_mount (g, "/dev/sda1", "/boot"));
  MUST (g, guestfs_write (g, "/boot/boot-file", "on the boot fs", 14));
  /* The same inode numbers on both filesystems, and hard links. */
  MUST (g, guestfs_ln (g, "/root-file", "/root-link"));
  MUST (g, guestfs_ln (g, "/boot/boot-file", "/boot/boot-link"));
  MUST (g, guestfs_shutdown (g));
  guestfs_close (g);

  host_create_sized (crypt_img, 64 * MiB);
  g = open_image (crypt_img, false);
  MUST (g, guestfs_luks_format (g, "/dev/sda", KEY, 0));
  MUST (g, guestfs_cryptsetup_open (g, "/dev/sda", KEY, "setup", -1));
  MUST (g, guestfs_mkfs (g, "ext4", "/dev/mapper/setup"));
  MUST (g, guestfs_mount (g, "/dev/mapper/setup", "/"));
  MUST (g, guestfs_write (g, "/secret.txt", "the secret", 10));
  luks_uuid = guestfs_vfs_uuid (g, "/dev/sda");
  CHECK (luks_uuid && luks_uuid[0]);
  MUST (g, guestfs_shutdown (g));
  guestfs_close (g);

  const char junk[] = "not a disk image, not a filesystem\n";
  CHECK (write_file (garbage, junk, sizeof junk) == 0);
}

/* guestmount with args (mnt added at the end), stdin from in_text if
 * not NULL.  Returns its status; *pid is the serving process. */
static int
guestmount (struct mountenv *env, const char *in_text,
            const char *const *args)
{
  const char *argv[32];
  size_t n = 0;
  argv[n++] = "--pid-file";
  argv[n++] = env->pidfile;
  for (size_t i = 0; args[i]; ++i)
    argv[n++] = args[i];
  argv[n++] = env->mnt;
  argv[n] = NULL;
  int p[2] = { -1, -1 };
  if (in_text) {
    CHECK (pipe (p) == 0);
    CHECK (write (p[1], in_text, strlen (in_text)) ==
           (ssize_t) strlen (in_text));
    close (p[1]);
  }
  int saved = dup (0);
  if (in_text)
    dup2 (p[0], 0);
  unsetenv ("LIBGUESTFS_BACKEND");
  int status = run_guestmount (env, argv, "direct");
  dup2 (saved, 0);
  close (saved);
  if (in_text)
    close (p[0]);
  env->gm_pid = 0;
  if (status == 0)
    mountenv_read_pid (env);
  return status;
}

static bool
file_is (const char *path, const char *content)
{
  size_t len;
  char *c = host_read (path, &len);
  bool ok = c && len == strlen (content) && memcmp (c, content, len) == 0;
  if (!ok)
    fprintf (stderr, "%s: \"%s\", expected \"%s\"\n", path,
             c ? c : "(unreadable)", content);
  free (c);
  return ok;
}

static void
unmount_and_wait (struct mountenv *env)
{
  CHECK (run_guestunmount ((const char *[]) { env->mnt, NULL }) == 0);
  CHECK (wait_exit (env->gm_pid, 120) == 0);
  CHECK (access (env->pidfile, F_OK) == -1);
  CHECK (!is_mountpoint (env->mnt));
  /* guestmount waited for qemu: none of ours is left. */
  CHECK (children_named ("qemu-system-x86") == 0);
}

static void
test_two_filesystems (void)
{
  struct mountenv *env = mountenv_new ();
  double t0 = (double) time (NULL);
  CHECK (guestmount (env, NULL, (const char *[]) {
           "-a", disk, "--format=raw", "-m", "/dev/sda2",
           "-m", "/dev/sda1:/boot", NULL }) == 0);
  fprintf (stderr, "mounted in about %.0f s\n", (double) time (NULL) - t0);
  CHECK (file_is (in_mnt (env, "etc/hostname"), "imagehost\n"));
  CHECK (file_is (in_mnt (env, "boot/boot-file"), "on the boot fs"));
  CHECK (file_is (in_mnt (env, "root-file"), "on the root fs"));
  char buf[64];
  ssize_t n = readlink (in_mnt (env, "abs-link"), buf, sizeof buf);
  CHECK (n == 13 && memcmp (buf, "/etc/hostname", 13) == 0);
  /* Two filesystems whose roots both have inode 2 in the guest: the one
   * at / keeps its numbers, the other is told apart (see cache.c). */
  struct stat a, b;
  CHECK (stat (env->mnt, &a) == 0 && stat (in_mnt (env, "boot"), &b) == 0);
  CHECK (a.st_ino == 2 && b.st_ino != 2 && (b.st_ino & 0xffffffff) == 2);
  CHECK (access (in_mnt (env, "boot/lost+found"), F_OK) == 0);
  CHECK (access (in_mnt (env, "boot/etc"), F_OK) == -1);
  CHECK (write_file (in_mnt (env, "boot/written"), "boot!", 5) == 0);
  CHECK (write_file (in_mnt (env, "written"), "root!", 5) == 0);
  /* A bigger file, to check data end to end. */
  size_t big = 6 * MiB + 123;
  char *data = malloc (big);
  for (size_t i = 0; i < big; ++i)
    data[i] = (char) (i * 7 + i / 4096);
  CHECK (write_file (in_mnt (env, "big"), data, big) == 0);
  size_t len;
  char *back = host_read (in_mnt (env, "big"), &len);
  CHECK (back && len == big && memcmp (back, data, big) == 0);
  free (back);
  unmount_and_wait (env);

  /* Everything is on the image: a new read-only mount, with options
   * and a filesystem type, sees it. */
  CHECK (guestmount (env, NULL, (const char *[]) {
           "-a", disk, "--ro", "-m", "/dev/sda2:/:noatime:ext4",
           "-m", "/dev/sda1:/boot", NULL }) == 0);
  CHECK (file_is (in_mnt (env, "boot/written"), "boot!"));
  CHECK (file_is (in_mnt (env, "written"), "root!"));
  back = host_read (in_mnt (env, "big"), &len);
  CHECK (back && len == big && memcmp (back, data, big) == 0);
  free (back);
  free (data);
  errno = 0;
  CHECK (open (in_mnt (env, "new"), O_WRONLY | O_CREAT, 0644) == -1 &&
         errno == EROFS);
  unmount_and_wait (env);
}

static void
expect_failure (const char *what, const char *in_text,
                const char *const *args, const char *text)
{
  struct mountenv *env = mountenv_new ();
  int status = guestmount (env, in_text, args);
  char *err = gm_stderr (env);
  if (status != 1 || strstr (err, text) == NULL) {
    fprintf (stderr, "FAIL: %s: status %d, stderr:\n%s(expected \"%s\")\n",
             what, status, err, text);
    ++test_failures;
  }
  free (err);
  CHECK (!is_mountpoint (env->mnt));
  CHECK (access (env->pidfile, F_OK) == -1);
  CHECK (children_named ("guestmount") == 0);
  CHECK (children_named ("qemu-system-x86") == 0);
}

static void
test_failed_startups (void)
{
  expect_failure ("no such partition", NULL,
                  (const char *[]) { "-a", disk, "-m", "/dev/sda9", NULL },
                  "/dev/sda9");
  expect_failure ("no such image", NULL,
                  (const char *[]) { "-a", "/nonexistent/disk.img", "-m",
                                     "/dev/sda", NULL },
                  "nonexistent");
  expect_failure ("no filesystem", NULL,
                  (const char *[]) { "-a", garbage, "--format=raw", "-m",
                                     "/dev/sda", NULL },
                  "/dev/sda");
  expect_failure ("wrong key", NULL,
                  (const char *[]) { "-a", crypt_img, "--key",
                                     "/dev/sda:key:wrong", "-m", "/dev/sda",
                                     NULL },
                  "wrong key");
  expect_failure ("nothing to mount", NULL,
                  (const char *[]) { "-a", disk, NULL }, "-m");
}

/* Once the device is open, guestmount holds the key nowhere: not in
 * its memory (a core dump or /proc/PID/mem would show it), not in its
 * arguments. */
static void
check_key_forgotten (struct mountenv *env)
{
  int r = process_memory_holds (env->gm_pid, KEY, strlen (KEY));
  if (r == -1)
    fprintf (stderr, "(guestmount's memory cannot be read: not checked)\n");
  CHECK (r != 1);
  /* The search does find what guestmount keeps (a name it has seen). */
  CHECK (r == -1 || process_memory_holds (env->gm_pid, "secret.txt", 10) == 1);
}

static void
test_luks (void)
{
  char *mapper;
  if (asprintf (&mapper, "/dev/mapper/luks-%s", luks_uuid) == -1)
    abort ();
  char *keyarg, *keyfile, *uuidkey;
  if (asprintf (&keyarg, "/dev/sda:key:%s", KEY) == -1 ||
      asprintf (&keyfile, "%s/keyfile", dir) == -1 ||
      asprintf (&uuidkey, "%s:file:%s", luks_uuid, keyfile) == -1)
    abort ();
  CHECK (write_file (keyfile, KEY "\n", strlen (KEY) + 1) == 0);
  struct mountenv *env = mountenv_new ();
  /* By device name. */
  CHECK (guestmount (env, NULL, (const char *[]) {
           "-a", crypt_img, "--key", keyarg, "-m", mapper, NULL }) == 0);
  CHECK (file_is (in_mnt (env, "secret.txt"), "the secret"));
  check_key_forgotten (env);
  unmount_and_wait (env);
  /* By UUID, from a file. */
  CHECK (guestmount (env, NULL, (const char *[]) {
           "-a", crypt_img, "--ro", "--key", uuidkey, "-m", mapper, NULL }) ==
         0);
  CHECK (file_is (in_mnt (env, "secret.txt"), "the secret"));
  check_key_forgotten (env);
  unmount_and_wait (env);
  /* From stdin. */
  CHECK (guestmount (env, KEY "\n", (const char *[]) {
           "-a", crypt_img, "--keys-from-stdin", "-m", mapper, NULL }) == 0);
  CHECK (file_is (in_mnt (env, "secret.txt"), "the secret"));
  check_key_forgotten (env);
  unmount_and_wait (env);
  free (mapper);
  free (keyarg);
  free (keyfile);
  free (uuidkey);
}

static ino_t
ino_of (struct mountenv *env, const char *name)
{
  struct stat st;
  return stat (in_mnt (env, name), &st) == 0 ? st.st_ino : 0;
}

/* Two guest filesystems number their inodes alike (both roots are 2),
 * but one mount has one st_dev: inode numbers must still be unique, so
 * that find sees no loop and hard links stay links. */
static void
test_inode_numbers (struct mountenv *env)
{
  CHECK (ino_of (env, ".") != ino_of (env, "boot"));
  CHECK (ino_of (env, "root-file") == ino_of (env, "root-link"));
  CHECK (ino_of (env, "boot/boot-file") == ino_of (env, "boot/boot-link"));
  CHECK (ino_of (env, "root-file") != ino_of (env, "boot/boot-file"));
  char *cmd;
  if (asprintf (&cmd, "find '%s' -xdev >/dev/null 2>%s/find.err && "
                "test ! -s %s/find.err", in_mnt (env, "."), dir, dir) == -1)
    abort ();
  CHECK (system (cmd) == 0);
  free (cmd);
}

/* -i: the filesystems where the guest's fstab puts them. */
static void
test_inspector (void)
{
  struct mountenv *env = mountenv_new ();
  int status = guestmount (env, NULL, (const char *[]) {
                             "-a", disk, "-i", "--ro", NULL });
  char *err = gm_stderr (env);
  if (status != 0 && strstr (err, "no inspection")) {
    fprintf (stderr, "(-i: this build has no inspection; not tested)\n");
    free (err);
    return;
  }
  free (err);
  CHECK (status == 0);
  if (status != 0)
    return;
  CHECK (file_is (in_mnt (env, "etc/hostname"), "imagehost\n"));
  CHECK (file_is (in_mnt (env, "boot/boot-file"), "on the boot fs"));
  test_inode_numbers (env);
  unmount_and_wait (env);
}

/* guestmount killed by SIGKILL during a write through the appliance:
 * the mount goes away by itself, qemu with it, and the image is
 * consistent (the journal replays) with the data synced before. */
static void
test_sigkill (void)
{
  struct mountenv *env = mountenv_new ();
  CHECK (guestmount (env, NULL, (const char *[]) {
           "-a", disk, "--format=raw", "-m", "/dev/sda2", NULL }) == 0);
  if (env->gm_pid == 0)
    return;
  int fd = open (in_mnt (env, "synced"), O_WRONLY | O_CREAT, 0644);
  CHECK (fd >= 0 && write (fd, "synced data", 11) == 11 && fsync (fd) == 0 &&
         close (fd) == 0);
  pid_t writer = kill_during_write (env, "stream");
  for (int i = 0; i < 3000 && (is_mountpoint (env->mnt) ||
                               children_named ("qemu-system-x86") > 0 ||
                               children_named ("fusermount3") > 0 ||
                               children_named ("guestmount") > 0); ++i)
    usleep (10000);
  /* No mount left, and nothing that unmounted it (the watcher, the
   * auto_unmount helper) nor qemu is left running. */
  CHECK (!is_mountpoint (env->mnt));
  CHECK (children_named ("qemu-system-x86") == 0);
  CHECK (children_named ("fusermount3") == 0);
  CHECK (children_named ("guestmount") == 0);
  CHECK (wait_exit (writer, 30) == 0);
  guestfs_h *g = open_image (disk, false);
  /* The journal replays (a repair, not an error); then it is clean. */
  MUST (g, guestfs_e2fsck (g, "/dev/sda2", GUESTFS_E2FSCK_CORRECT, 1, -1));
  MUST (g, guestfs_e2fsck (g, "/dev/sda2", -1));
  MUST (g, guestfs_mount (g, "/dev/sda2", "/"));
  size_t len;
  char *c = guestfs_read_file (g, "/synced", &len);
  CHECK (c && len == 11 && memcmp (c, "synced data", 11) == 0);
  free (c);
  MUST (g, guestfs_rm_f (g, "/stream"));
  MUST (g, guestfs_shutdown (g));
  guestfs_close (g);
}

/* -a alone: the format is probed, and -i finds the OS, whatever the
 * image's format. */
static void
mount_inspected (const char *image, const char *file, const char *content)
{
  struct mountenv *env = mountenv_new ();
  int status = guestmount (env, NULL, (const char *[]) {
                             "-a", image, "-i", "--ro", NULL });
  CHECK (status == 0);
  if (status != 0) {
    char *err = gm_stderr (env);
    fprintf (stderr, "guestmount -a %s -i: %s\n", image, err);
    free (err);
    return;
  }
  char *path = in_mnt (env, file);
  if (content)
    CHECK (file_is (path, content));
  else
    CHECK (access (path, F_OK) == 0);
  unmount_and_wait (env);
}

static void
test_probed_formats (void)
{
  char *qcow2, *vmdk;
  const char *debian = test_guest_path ("debian");
  const char *fedora = test_guest_path ("fedora");
  const char *windows = test_guest_path ("windows");
  if (asprintf (&qcow2, "%s/debian.qcow2", dir) == -1 ||
      asprintf (&vmdk, "%s/fedora.vmdk", dir) == -1)
    abort ();
  CHECK (shell ("qemu-img convert -O qcow2 %s %s", debian, qcow2) == 0);
  CHECK (shell ("qemu-img convert -O vmdk %s %s", fedora, vmdk) == 0);
  mount_inspected (qcow2, "etc/hostname", DEBIAN_HOSTNAME "\n");
  mount_inspected (vmdk, "etc/hostname", FEDORA_HOSTNAME "\n");
  mount_inspected (windows, "Windows/System32", NULL);
  free (vmdk);
  free (qcow2);
}

/* -a URI: the remote images of libguestfs's guestmount. */
static void
test_uris (void)
{
  const char *why = remote_tools_missing ();
  if (why) {
    fprintf (stderr, "(-a URI: not tested: %s)\n", why);
    return;
  }
  char *sock, *images, *qcow2, *nbd_uri, *http_uri;
  if (asprintf (&sock, "%s/nbd.sock", dir) == -1 ||
      asprintf (&images, "%s/served", dir) == -1 ||
      asprintf (&qcow2, "%s/debian.qcow2", dir) == -1 ||
      asprintf (&nbd_uri, "nbd+unix:///?socket=%s", sock) == -1)
    abort ();
  CHECK (mkdir (images, 0700) == 0);
  CHECK (shell ("ln -s %s %s/vfat.img", test_guest_path ("vfat"), images) == 0);
  pid_t nbd = nbd_serve_unix (qcow2, sock);
  int port;
  pid_t http = http_serve (images, &port);
  if (asprintf (&http_uri, "http://127.0.0.1:%d/vfat.img", port) == -1)
    abort ();
  mount_inspected (nbd_uri, "etc/hostname", DEBIAN_HOSTNAME "\n");

  struct mountenv *env = mountenv_new ();
  int status = guestmount (env, NULL, (const char *[]) {
                             "-a", http_uri, "-m", "/dev/sda", "--ro", NULL });
  CHECK (status == 0);
  if (status == 0) {
    CHECK (file_is (in_mnt (env, "README.TXT"),
                    "A vfat filesystem for the tests.\r\n"));
    unmount_and_wait (env);
  }
  /* A URI guestmount cannot use is a usage error, before any launch. */
  env = mountenv_new ();
  CHECK (guestmount (env, NULL, (const char *[]) {
                       "-a", "gopher://127.0.0.1/x", "-i", "--ro", NULL }) != 0);
  char *err = gm_stderr (env);
  CHECK (strstr (err, "unknown scheme") != NULL);
  free (err);
  CHECK (guestmount (env, NULL, (const char *[]) {
                       "-a", "nbd+unix:///", "-i", "--ro", NULL }) != 0);
  server_stop (nbd);
  server_stop (http);
  free (sock); free (images); free (qcow2); free (nbd_uri); free (http_uri);
}

int
main (void)
{
  require_fuse ();
  dir = test_tmpdir ();
  if (asprintf (&disk, "%s/disk.img", dir) == -1 ||
      asprintf (&crypt_img, "%s/crypt_img.img", dir) == -1 ||
      asprintf (&garbage, "%s/garbage.img", dir) == -1 ||
      asprintf (&mnt, "%s/mnt", dir) == -1)
    abort ();
  make_images ();
  test_two_filesystems ();
  test_failed_startups ();
  test_luks ();
  test_inspector ();
  test_sigkill ();
  test_probed_formats ();
  test_uris ();
  free (disk);
  free (crypt_img);
  free (garbage);
  free (mnt);
  free (luks_uuid);
  return test_result ();
}
