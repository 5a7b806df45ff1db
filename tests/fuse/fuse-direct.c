/* Reads served by guestmount from the raw images (direct.c), through
 * the appliance: the data read through the mount is the data written,
 * on ext4 and XFS, each on a partition, and ext4 on an LVM volume of
 * a second drive (a linear mapping at an offset); btrfs and LUKS are
 * refused and read through the daemon, and so is FAT where the guest
 * kernel has no FIEMAP for it.  Sparse files, files with
 * unwritten extents made through the mount, and a file written
 * through the mount while it is read.  A qcow2 image whose backing
 * file is the first image: read through qemu's NBD export of the drive,
 * the same bytes; and the same bytes again when that export cannot be
 * made (a temporary directory too long for a Unix socket's name).
 * guestmount's -v lines say which files were mapped and how many reads
 * the images (and qemu's NBD exports) served.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mountenv.h"

#define MiB (1024 * 1024)
#define KEY "correct horse"
#define DATA_SIZE (3 * MiB + 123)
#define SPARSE_SIZE (32 * MiB)
#define SPARSE_AT (20 * MiB)
#define PREALLOC_SIZE (8 * MiB)
#define PREALLOC_AT (1 * MiB)

static char *dir, *disk0, *disk1, *data_file, *luks_uuid;
static char *data;               /* the contents of every "data" file */
static char block[4096];         /* written inside the sparse files */

/* Filesystems: where they are mounted (in the guest and so in the
 * mount) and whether their files can be read from the image.  FAT is
 * mapped where the guest kernel's FAT has FIEMAP (not all do). */
enum direct { MAPPED, REFUSED, EITHER };
static const struct fs {
  const char *dir;
  enum direct direct;
  bool sparse;                   /* has holes and unwritten extents */
} filesystems[] = {
  { "", MAPPED, true },
  { "xfs", MAPPED, true },
  { "vfat", EITHER, false },
  { "lvm", MAPPED, true },
  { "btrfs", REFUSED, true },
  { "luks", REFUSED, true },
};
#define NR_FS (sizeof filesystems / sizeof filesystems[0])

static void
make_data (void)
{
  data = malloc (DATA_SIZE);
  if (data == NULL)
    abort ();
  uint64_t x = 0x9e3779b97f4a7c15ull;
  for (size_t i = 0; i < DATA_SIZE; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    data[i] = x >> 24;
  }
  memset (block, 'S', sizeof block);
  CHECK (write_file (data_file, data, DATA_SIZE) == 0);
}

static void
fill_fs (guestfs_h *g, const char *fsdir, bool sparse)
{
  char path[64];
  const char *sep = fsdir[0] ? "/" : "";
  snprintf (path, sizeof path, "/%s%sdata", fsdir, sep);
  MUST (g, guestfs_upload (g, data_file, path));
  snprintf (path, sizeof path, "/%s%ssparse", fsdir, sep);
  MUST (g, guestfs_touch (g, path));
  MUST (g, guestfs_truncate_size (g, path, sparse ? SPARSE_SIZE : 2 * MiB));
  if (sparse)
    MUST (g, guestfs_pwrite (g, path, block, sizeof block, SPARSE_AT));
}

/* Drive 0 (GPT): ext4, XFS, FAT, btrfs.  Drive 1: LUKS, and an LVM
 * physical volume with two volumes, the second one used. */
static void
make_images (void)
{
  host_create_sized (disk0, 1024 * MiB);
  host_create_sized (disk1, 256 * MiB);
  guestfs_h *g = guestfs_create ();
  if (g == NULL)
    skip ("guestfs_create failed");
  guestfs_set_error_handler (g, NULL, NULL);
  MUST (g, guestfs_add_drive_opts (g, disk0, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 "raw", -1));
  MUST (g, guestfs_add_drive_opts (g, disk1, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 "raw", -1));
  test_launch_or_skip (g);
  MUST (g, guestfs_part_init (g, "/dev/sda", "gpt"));
  MUST (g, guestfs_part_add (g, "/dev/sda", "p", 2048, 133119));
  MUST (g, guestfs_part_add (g, "/dev/sda", "p", 133120, 788479));
  MUST (g, guestfs_part_add (g, "/dev/sda", "p", 788480, 919551));
  MUST (g, guestfs_part_add (g, "/dev/sda", "p", 919552, 1247231));
  MUST (g, guestfs_part_init (g, "/dev/sdb", "gpt"));
  MUST (g, guestfs_part_add (g, "/dev/sdb", "p", 2048, 133119));
  MUST (g, guestfs_part_add (g, "/dev/sdb", "p", 133120, 520191));
  MUST (g, guestfs_mkfs (g, "ext4", "/dev/sda1"));
  MUST (g, guestfs_mkfs (g, "xfs", "/dev/sda2"));
  MUST (g, guestfs_mkfs (g, "vfat", "/dev/sda3"));
  MUST (g, guestfs_mkfs (g, "btrfs", "/dev/sda4"));
  MUST (g, guestfs_luks_format (g, "/dev/sdb1", KEY, 0));
  MUST (g, guestfs_cryptsetup_open (g, "/dev/sdb1", KEY, "setup", -1));
  MUST (g, guestfs_mkfs (g, "ext4", "/dev/mapper/setup"));
  luks_uuid = guestfs_vfs_uuid (g, "/dev/sdb1");
  CHECK (luks_uuid != NULL);
  MUST (g, guestfs_pvcreate (g, "/dev/sdb2"));
  MUST (g, guestfs_vgcreate (g, "vg", (char *[]) { "/dev/sdb2", NULL }));
  MUST (g, guestfs_lvcreate (g, "lv0", "vg", 16));
  MUST (g, guestfs_lvcreate (g, "lv1", "vg", 64));
  MUST (g, guestfs_mkfs (g, "ext4", "/dev/vg/lv1"));
  MUST (g, guestfs_mount (g, "/dev/sda1", "/"));
  static const char *const devs[] = { NULL, "/dev/sda2", "/dev/sda3",
                                      "/dev/vg/lv1", "/dev/sda4",
                                      "/dev/mapper/setup" };
  for (size_t i = 1; i < NR_FS; ++i) {
    char mp[32];
    snprintf (mp, sizeof mp, "/%s", filesystems[i].dir);
    MUST (g, guestfs_mkdir (g, mp));
    MUST (g, guestfs_mount (g, devs[i], mp));
  }
  for (size_t i = 0; i < NR_FS; ++i)
    fill_fs (g, filesystems[i].dir, filesystems[i].sparse);
  MUST (g, guestfs_shutdown (g));
  guestfs_close (g);
}

static int
guestmount (struct mountenv *env)
{
  char *key = NULL, *luks = NULL;
  if (asprintf (&key, "/dev/sdb1:key:%s", KEY) == -1 ||
      asprintf (&luks, "/dev/mapper/luks-%s:/luks", luks_uuid) == -1)
    abort ();
  const char *argv[] = {
    "-v", "--pid-file", env->pidfile, "-a", disk0, "-a", disk1,
    "--key", key, "-m", "/dev/sda1", "-m", "/dev/sda2:/xfs",
    "-m", "/dev/sda3:/vfat", "-m", "/dev/vg/lv1:/lvm",
    "-m", "/dev/sda4:/btrfs", "-m", luks, env->mnt, NULL
  };
  unsetenv ("LIBGUESTFS_BACKEND");
  int status = run_guestmount (env, argv, "direct");
  env->gm_pid = 0;
  if (status == 0)
    mountenv_read_pid (env);
  else {
    char *log = gm_stderr (env);
    fprintf (stderr, "guestmount failed:\n%s\n", log);
    free (log);
  }
  free (key);
  free (luks);
  return status;
}

static char *
fs_path (struct mountenv *env, const struct fs *fs, const char *name)
{
  char rel[64];
  snprintf (rel, sizeof rel, "%s%s%s", fs->dir, fs->dir[0] ? "/" : "",
            name);
  return in_mnt (env, rel);
}

/* The whole file through the mount, in 1 MiB reads (as dd bs=1M). */
static char *
read_all (const char *path, size_t *len)
{
  int fd = open (path, O_RDONLY);
  if (fd == -1) {
    perror (path);
    return NULL;
  }
  size_t cap = 64 * MiB, n = 0;
  char *buf = malloc (cap);
  ssize_t r;
  while (buf && n < cap && (r = read (fd, buf + n, cap - n < MiB ?
                                      cap - n : MiB)) > 0)
    n += r;
  close (fd);
  *len = n;
  return buf;
}

static bool
zeros (const char *p, size_t n)
{
  for (size_t i = 0; i < n; ++i)
    if (p[i])
      return false;
  return true;
}

static void
check_data (struct mountenv *env, const struct fs *fs)
{
  size_t len;
  char *got = read_all (fs_path (env, fs, "data"), &len);
  CHECK (got && len == DATA_SIZE && memcmp (got, data, len) == 0);
  free (got);
  got = read_all (fs_path (env, fs, "sparse"), &len);
  if (fs->sparse)
    CHECK (got && len == SPARSE_SIZE && zeros (got, SPARSE_AT) &&
           memcmp (got + SPARSE_AT, block, sizeof block) == 0 &&
           zeros (got + SPARSE_AT + sizeof block,
                  SPARSE_SIZE - SPARSE_AT - sizeof block));
  else
    CHECK (got && len == 2 * MiB && zeros (got, len));
  free (got);
}

/* Allocated but unwritten space, made through the mount, with one
 * written block; read back after its pages left the host's cache. */
static void
check_prealloc (struct mountenv *env, const struct fs *fs)
{
  const char *path = fs_path (env, fs, "prealloc");
  int fd = open (path, O_CREAT | O_RDWR, 0644);
  CHECK (fd >= 0);
  if (fd < 0)
    return;
  int r = posix_fallocate (fd, 0, PREALLOC_SIZE);
  CHECK (r == 0);
  CHECK (pwrite (fd, block, sizeof block, PREALLOC_AT) ==
         (ssize_t) sizeof block);
  CHECK (fsync (fd) == 0);
  CHECK (posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED) == 0);
  close (fd);
  size_t len;
  char *got = read_all (path, &len);
  CHECK (got && len == PREALLOC_SIZE && zeros (got, PREALLOC_AT) &&
         memcmp (got + PREALLOC_AT, block, sizeof block) == 0 &&
         zeros (got + PREALLOC_AT + sizeof block,
                PREALLOC_SIZE - PREALLOC_AT - sizeof block));
  free (got);
}

/* Read (mapped), write through the same open file, read again: the
 * new bytes, not the image's stale ones; and so does a new open. */
static void
check_write_while_read (struct mountenv *env, const struct fs *fs)
{
  char *want = malloc (DATA_SIZE);
  if (want == NULL)
    abort ();
  memcpy (want, data, DATA_SIZE);
  const char *path = fs_path (env, fs, "data");
  int fd = open (path, O_RDWR);
  CHECK (fd >= 0);
  if (fd < 0) {
    free (want);
    return;
  }
  char buf[8192];
  CHECK (pread (fd, buf, sizeof buf, MiB) == (ssize_t) sizeof buf &&
         memcmp (buf, want + MiB, sizeof buf) == 0);
  CHECK (pwrite (fd, block, sizeof block, MiB + 4096) ==
         (ssize_t) sizeof block);
  CHECK (posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED) == 0);
  CHECK (pread (fd, buf, sizeof buf, MiB) == (ssize_t) sizeof buf &&
         memcmp (buf, want + MiB, 4096) == 0 &&
         memcmp (buf + 4096, block, 4096) == 0);
  CHECK (fsync (fd) == 0);
  close (fd);
  memcpy (want + MiB + 4096, block, sizeof block);
  size_t len;
  char *got = read_all (path, &len);
  CHECK (got && len == DATA_SIZE && memcmp (got, want, len) == 0);
  free (got);
  free (want);
}

static bool
log_has (const char *log, const char *dir, const char *what)
{
  char line[256];
  snprintf (line, sizeof line, "direct read: %s%s", dir, what);
  bool found = strstr (log, line) != NULL;
  if (!found) {
    fprintf (stderr, "guestmount -v printed no \"%s\"; about %s:\n", line,
             dir);
    snprintf (line, sizeof line, "direct read: %s/", dir);
    for (const char *p = strstr (log, line); p; p = strstr (p + 1, line))
      fprintf (stderr, "  %.*s\n", (int) strcspn (p, "\n"), p);
  }
  return found;
}

static void
check_log (const char *log)
{
  for (size_t i = 0; i < NR_FS; ++i) {
    const struct fs *fs = &filesystems[i];
    char p[64];
    snprintf (p, sizeof p, "%s%s", fs->dir[0] ? "/" : "", fs->dir);
    if (fs->direct == MAPPED) {
      CHECK (log_has (log, p, "/data: mapped"));
      CHECK (log_has (log, p, "/sparse: mapped"));
    } else if (fs->direct == REFUSED)
      CHECK (log_has (log, p, "/data: no map"));
  }
  const char *count = strstr (log, "bytes served from the images");
  CHECK (count != NULL);
  if (count == NULL)
    return;
  const char *line = count;
  while (line > log && line[-1] != '\n')
    --line;
  unsigned long long reads = 0;
  CHECK (sscanf (line, "guestmount: direct read: %llu reads", &reads) == 1);
  /* At least the 1 MiB reads of every mapped data file. */
  CHECK (reads >= 3 * 4);
}

/* From guestmount's last -v line: the reads the images served and,
 * of their extents, those read through qemu's NBD export. */
static bool
served (const char *log, unsigned long long *reads,
        unsigned long long *nbd)
{
  const char *count = strstr (log, "bytes served from the images");
  if (count == NULL)
    return false;
  while (count > log && count[-1] != '\n')
    --count;
  unsigned long long bytes;
  return sscanf (count, "guestmount: direct read: %llu reads, %llu bytes "
                 "served from the images (%llu extent reads", reads, &bytes,
                 nbd) == 3;
}

/* Mounts overlay (qcow2 over disk0) read-only: ext4 and XFS; returns
 * guestmount's -v output, after checking the data. */
static char *
mount_overlay (const char *overlay)
{
  struct mountenv *env = mountenv_new ();
  const char *argv[] = {
    "-v", "--ro", "--pid-file", env->pidfile, "-a", overlay,
    "--format=qcow2", "-m", "/dev/sda1", "-m", "/dev/sda2:/xfs", env->mnt,
    NULL
  };
  int status = run_guestmount (env, argv, "direct");
  CHECK (status == 0);
  char *log = NULL;
  if (status == 0) {
    mountenv_read_pid (env);
    check_data (env, &filesystems[0]);
    check_data (env, &filesystems[1]);
    CHECK (run_guestunmount ((const char *[]) { env->mnt, NULL }) == 0);
    CHECK (wait_exit (env->gm_pid, 120) == 0);
  }
  log = gm_stderr (env);
  if (status != 0)
    fprintf (stderr, "guestmount failed:\n%s\n", log);
  return log;
}

static void
check_qcow2 (void)
{
  char *overlay, *cmd;
  if (asprintf (&overlay, "%s/overlay.qcow2", dir) == -1 ||
      asprintf (&cmd, "qemu-img create -q -f qcow2 -F raw -b %s %s", disk0,
                overlay) == -1)
    abort ();
  CHECK (system (cmd) == 0);
  free (cmd);

  char *log = mount_overlay (overlay);
  CHECK (strstr (log, "is not raw: read through qemu's NBD export") != NULL);
  CHECK (log_has (log, "", "/data: mapped"));
  CHECK (log_has (log, "/xfs", "/data: mapped"));
  /* At least the 1 MiB reads of both data files, through NBD. */
  unsigned long long reads = 0, nbd = 0;
  CHECK (served (log, &reads, &nbd));
  CHECK (reads >= 3 * 2 && nbd >= 3 * 2);
  free (log);

  /* No socket name fits: read through the appliance, as before. */
  char *longdir;
  if (asprintf (&longdir, "%s/%0100d", dir, 0) == -1)
    abort ();
  CHECK (mkdir (longdir, 0700) == 0);
  const char *old = getenv ("TMPDIR");
  char *saved = old ? strdup (old) : NULL;
  setenv ("TMPDIR", longdir, 1);
  log = mount_overlay (overlay);
  if (saved)
    setenv ("TMPDIR", saved, 1);
  else
    unsetenv ("TMPDIR");
  free (saved);
  CHECK (strstr (log, "qemu cannot serve it: read through the appliance") !=
         NULL);
  CHECK (strstr (log, "NBD export nbd+unix") == NULL);
  free (log);
  free (longdir);
  free (overlay);
}

int
main (void)
{
  require_fuse ();
  dir = test_tmpdir ();
  if (asprintf (&disk0, "%s/disk0.img", dir) == -1 ||
      asprintf (&disk1, "%s/disk1.img", dir) == -1 ||
      asprintf (&data_file, "%s/data", dir) == -1)
    abort ();
  make_data ();
  make_images ();
  struct mountenv *env = mountenv_new ();
  CHECK (guestmount (env) == 0);
  if (env->gm_pid > 0) {
    for (size_t i = 0; i < NR_FS; ++i)
      check_data (env, &filesystems[i]);
    for (size_t i = 0; i < NR_FS; ++i)
      if (filesystems[i].sparse)
        check_prealloc (env, &filesystems[i]);
    check_write_while_read (env, &filesystems[0]);
    check_write_while_read (env, &filesystems[1]);
    /* Both data files now hold block at MiB + 4096. */
    memcpy (data + MiB + 4096, block, sizeof block);
    CHECK (run_guestunmount ((const char *[]) { env->mnt, NULL }) == 0);
    CHECK (wait_exit (env->gm_pid, 120) == 0);
    char *log = gm_stderr (env);
    check_log (log);
    free (log);
  }
  check_qcow2 ();
  free (disk0);
  free (disk1);
  free (data_file);
  free (data);
  free (luks_uuid);
  return test_result ();
}
