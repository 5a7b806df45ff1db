/* Debugging and internals: the debug command's subcommands (those of
 * libguestfs 1.48), uploads into the appliance itself, the daemon's
 * exit, and the upload that crashes the daemon on purpose
 * (internal_rhbz914931).
 *
 * The subcommands act on the appliance, not on the guest: on the host
 * (host_mode, the daemon tests) those that would act on the host's
 * files, devices or kernel are refused.  Only "segv" and
 * internal_rhbz914931 end the daemon, which is what they are for.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon.h"
#include "daemon-actions.h"

typedef char *(*debug_fn) (size_t argc, char *const *argv);

struct subcommand {
  const char *name;
  debug_fn fn;
  bool host_ok; /* harmless when the daemon runs on the host */
};

static char *debug_help (size_t argc, char *const *argv);

static char *
ok (void)
{
  char *r = strdup ("ok");
  if (r == NULL)
    reply_with_perror ("strdup");
  return r;
}

/* Parse a decimal number from 0 to max; false if it is not one. */
static bool
parse_number (const char *s, uint64_t max, uint64_t *v)
{
  char *end;
  errno = 0;
  unsigned long long n = strtoull (s, &end, 10);
  if (errno || end == s || *end || s[0] == '-' || n > max)
    return false;
  *v = n;
  return true;
}

static char *
usage_error (const char *usage)
{
  reply_with_error_errno (EINVAL, "usage: %s", usage);
  return NULL;
}

/* Run argv in the appliance and return its standard output (with its
 * standard error after it if both). */
static char *
program_output (const char *const *argv, bool both)
{
  char *out = NULL, *err = NULL;
  int status = run_command (&out, &err, argv);
  if (status == -1) {
    reply_with_perror ("%s", argv[0]);
    free (err);
    return NULL;
  }
  if (reply_if_command_failed (argv[0], status, err) == -1) {
    free (out);
    free (err);
    return NULL;
  }
  if (both && err && *err) {
    char *all;
    if (asprintf (&all, "%s%s", out, err) == -1) {
      reply_with_perror ("asprintf");
      all = NULL;
    }
    free (out);
    out = all;
  }
  free (err);
  return out;
}

/* ---- env, setenv, fds ---- */

static char *
debug_env (size_t argc, char *const *argv)
{
  (void)argc, (void)argv;
  const char *const cmd[] = {"printenv", NULL};
  return program_output (cmd, false);
}

/* For the daemon and the programs it runs from now on. */
static char *
debug_setenv (size_t argc, char *const *argv)
{
  if (argc != 2)
    return usage_error ("setenv NAME VALUE");
  if (setenv (argv[0], argv[1], 1) == -1) {
    reply_with_perror ("setenv: %s", argv[0]);
    return NULL;
  }
  return ok ();
}

/* The daemon's open descriptors and what each one is. */
static char *
debug_fds (size_t argc, char *const *argv)
{
  (void)argc, (void)argv;
  DIR *dir = opendir ("/proc/self/fd");
  if (dir == NULL) {
    reply_with_perror ("/proc/self/fd");
    return NULL;
  }
  char *r = NULL;
  size_t len = 0;
  FILE *fp = open_memstream (&r, &len);
  if (fp == NULL) {
    reply_with_perror ("open_memstream");
    closedir (dir);
    return NULL;
  }
  struct dirent *d;
  while ((d = readdir (dir)) != NULL) {
    if (d->d_name[0] == '.')
      continue;
    char target[4096];
    ssize_t n = readlinkat (dirfd (dir), d->d_name, target, sizeof target - 1);
    /* The directory's own descriptor is gone by now: skip what went. */
    if (n == -1)
      continue;
    target[n] = '\0';
    fprintf (fp, "%2s %s\n", d->d_name, target);
  }
  closedir (dir);
  if (fclose (fp) == EOF) {
    reply_with_perror ("open_memstream");
    free (r);
    return NULL;
  }
  return r;
}

/* ---- the console: print, spew ---- */

/* The daemon's stderr is the appliance's console, which the library
 * shows as the appliance log. */
static char *
debug_print (size_t argc, char *const *argv)
{
  for (size_t i = 0; i < argc; ++i)
    fprintf (stderr, "%s%s", i > 0 ? " " : "", argv[i]);
  fputc ('\n', stderr);
  return ok ();
}

/* n lines of 72 characters, n * 73 bytes of log. */
static char *
debug_spew (size_t argc, char *const *argv)
{
  uint64_t n;
  if (argc != 1 || !parse_number (argv[0], 10000000, &n))
    return usage_error ("spew LINES (0 to 10000000)");
  for (uint64_t i = 0; i < n; ++i)
    fputs ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
           "01234567890123456789\n",
           stderr);
  return ok ();
}

/* ---- errors, progress, crashes ---- */

/* An error of n letters, with an errno no other path gives. */
static char *
debug_error (size_t argc, char *const *argv)
{
  uint64_t n;
  if (argc != 1 || !parse_number (argv[0], 1000000, &n))
    return usage_error ("error LENGTH (0 to 1000000)");
  CLEANUP_FREE char *msg = malloc (n + 1);
  if (msg == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  memset (msg, 'a', n);
  msg[n] = '\0';
  reply_with_error_errno (EROFS, "%s", msg);
  return NULL;
}

/* Progress messages for secs seconds: every tenth of a second, or
 * every rate microseconds (then as many as the rate limit lets
 * through). */
static char *
debug_progress (size_t argc, char *const *argv)
{
  uint64_t secs, rate = 100000;
  if (argc < 1 || argc > 2 || !parse_number (argv[0], 1000000, &secs) ||
      secs == 0 ||
      (argc == 2 && (!parse_number (argv[1], 1000000, &rate) || rate == 0)))
    return usage_error ("progress SECONDS (1 to 1000000) [RATE "
                        "(microseconds, 1 to 1000000)]");
  const uint64_t total = secs * 1000000;
  for (uint64_t t = rate; t <= total; t += rate) {
    usleep (rate);
    notify_progress (t, total);
  }
  notify_progress (total, total);
  return ok ();
}

static void __attribute__ ((noreturn)) deliberately_crash (void)
{
  fprintf (stderr, "guestfsd: %s: crashing on purpose\n", current_proc_name);
  __builtin_trap ();
}

static char *
debug_segv (size_t argc, char *const *argv)
{
  (void)argc, (void)argv;
  deliberately_crash ();
}

/* ---- programs of the appliance: sh, ls, ll, ldd, binaries ---- */

/* The words joined with spaces (guestfish splits a command line into
 * them), run by /bin/sh with its errors in its output, as libguestfs
 * does.  $root is where the guest's filesystems are mounted, $sd the
 * prefix of the disks' kernel names. */
static char *
debug_sh (size_t argc, char *const *argv)
{
  if (argc < 1)
    return usage_error ("sh COMMAND...");
  static const char *const prefixes[] = {"sd", "hd", "ubd", "vd"};
  const char *sd = "";
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; ++i) {
    char sys[64];
    snprintf (sys, sizeof sys, "/sys/block/%sa", prefixes[i]);
    if (access (sys, F_OK) == 0) {
      sd = prefixes[i];
      break;
    }
  }
  char *script = NULL;
  size_t len = 0;
  FILE *fp = open_memstream (&script, &len);
  if (fp == NULL) {
    reply_with_perror ("open_memstream");
    return NULL;
  }
  fprintf (fp, "root=%s sd=%s; export root sd; exec 2>&1\n", sysroot, sd);
  for (size_t i = 0; i < argc; ++i)
    fprintf (fp, "%s%s", i > 0 ? " " : "", argv[i]);
  if (fclose (fp) == EOF) {
    reply_with_perror ("open_memstream");
    free (script);
    return NULL;
  }
  const char *const cmd[] = {"/bin/sh", "-c", script, NULL};
  char *out = NULL;
  int status = run_command (&out, NULL, cmd);
  free (script);
  if (status == -1) {
    reply_with_perror ("/bin/sh");
    return NULL;
  }
  if (status != 0) {
    reply_with_error ("sh: %s", out ? out : "");
    free (out);
    return NULL;
  }
  return out;
}

/* prog, the options, then the caller's arguments. */
static char *
run_with_args (const char *prog, const char *options, size_t argc,
               char *const *argv)
{
  CLEANUP_FREE const char **cmd = calloc (argc + 3, sizeof *cmd);
  if (cmd == NULL) {
    reply_with_perror ("calloc");
    return NULL;
  }
  size_t n = 0;
  cmd[n++] = prog;
  cmd[n++] = options;
  for (size_t i = 0; i < argc; ++i)
    cmd[n++] = argv[i];
  return program_output (cmd, false);
}

static char *
debug_ls (size_t argc, char *const *argv)
{
  return run_with_args ("ls", "-a", argc, argv);
}

static char *
debug_ll (size_t argc, char *const *argv)
{
  return run_with_args ("ls", "-la", argc, argv);
}

/* ldd prints errors on either output: both are returned. */
static char *
debug_ldd (size_t argc, char *const *argv)
{
  if (argc != 1)
    return usage_error ("ldd FILE");
  const char *const cmd[] = {"ldd", "-r", argv[0], NULL};
  return program_output (cmd, true);
}

/* The executable programs of the appliance's root filesystem. */
static char *
debug_binaries (size_t argc, char *const *argv)
{
  (void)argc, (void)argv;
  const char *const cmd[] = {
      "/bin/sh", "-c",
      "find / -xdev -type f -perm /111 -exec file -N -i -F '|' {} + "
      "| grep -E '[|] application/x-(pie-)?executable' | cut -d'|' -f1",
      NULL};
  return program_output (cmd, false);
}

/* ---- the kernel: core_pattern ---- */

/* Where crashing programs leave their cores (relative to their root,
 * the guest's for programs run with guestfs_command); the daemon and
 * its children may then dump cores of any size. */
static char *
debug_core_pattern (size_t argc, char *const *argv)
{
  if (argc != 1)
    return usage_error ("core_pattern PATTERN");
  static const char file[] = "/proc/sys/kernel/core_pattern";
  int fd = open (file, O_WRONLY | O_CLOEXEC);
  size_t len = strlen (argv[0]);
  if (fd == -1 || write (fd, argv[0], len) != (ssize_t)len) {
    reply_with_perror ("%s", file);
    if (fd != -1)
      close (fd);
    return NULL;
  }
  if (close (fd) == -1) {
    reply_with_perror ("%s", file);
    return NULL;
  }
  struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
  if (setrlimit (RLIMIT_CORE, &unlimited) == -1) {
    reply_with_perror ("setrlimit");
    return NULL;
  }
  return ok ();
}

/* ---- devices: device_speed, qtrace ---- */

/* argv[0] as a device of the guest (/dev/sda is the appliance's
 * /dev/vda), opened with flags; -1 after replying. */
static int
open_guest_device (const char *name, int flags)
{
  CLEANUP_FREE char *dev = strdup (name);
  if (dev == NULL) {
    reply_with_perror ("strdup");
    return -1;
  }
  if (resolve_device ("device", &dev) == -1)
    return -1;
  int fd = open (dev, flags | O_CLOEXEC);
  if (fd == -1)
    reply_with_perror ("%s", name);
  return fd;
}

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define SPEED_BUFSIZE (64 * 1024)

/* Read or write the device in a loop for secs seconds (O_DIRECT, so
 * that the cache is not measured); the bytes copied. */
static char *
debug_device_speed (size_t argc, char *const *argv)
{
  uint64_t secs;
  bool writing = false;
  if (argc != 3 || !parse_number (argv[2], 86400, &secs))
    return usage_error ("device_speed DEVICE r|w SECONDS");
  if (strcmp (argv[1], "w") == 0 || strcmp (argv[1], "write") == 0)
    writing = true;
  else if (strcmp (argv[1], "r") != 0 && strcmp (argv[1], "read") != 0)
    return usage_error ("device_speed DEVICE r|w SECONDS");
  CLEANUP_CLOSE int fd =
      open_guest_device (argv[0], (writing ? O_WRONLY : O_RDONLY) | O_DIRECT);
  if (fd == -1)
    return NULL;
  uint64_t size;
  if (ioctl (fd, BLKGETSIZE64, &size) == -1) {
    reply_with_perror ("%s", argv[0]);
    return NULL;
  }
  if (size < SPEED_BUFSIZE) {
    reply_with_error_errno (EINVAL, "%s: the device is too small", argv[0]);
    return NULL;
  }
  CLEANUP_FREE void *buf = NULL;
  int e = posix_memalign (&buf, 4096, SPEED_BUFSIZE);
  if (e != 0) {
    reply_with_perror_errno (e, "posix_memalign");
    return NULL;
  }
  memset (buf, 100, SPEED_BUFSIZE);
  uint64_t pos = 0, copied = 0;
  for (double end = now () + secs; now () < end; pos += SPEED_BUFSIZE) {
    if (size - pos < SPEED_BUFSIZE)
      pos = 0;
    ssize_t r = writing ? pwrite (fd, buf, SPEED_BUFSIZE, pos)
                        : pread (fd, buf, SPEED_BUFSIZE, pos);
    if (r <= 0) {
      reply_with_perror_errno (r == 0 ? EIO : errno, "%s", argv[0]);
      return NULL;
    }
    copied += r;
  }
  char *ret;
  if (asprintf (&ret, "%" PRIu64, copied) == -1) {
    reply_with_perror ("asprintf");
    return NULL;
  }
  return ret;
}

#define QTRACE_SECTOR 512

/* Reads of sectors in a pattern that a patched qemu takes as the start
 * or the end of tracing (libguestfs's contrib/visualize-alignment). */
static char *
debug_qtrace (size_t argc, char *const *argv)
{
  static const int patterns[2][4] = {
      {2, 15, 21, 2}, /* off */
      {2, 21, 15, 2}, /* on */
  };
  int on;
  if (argc != 2)
    return usage_error ("qtrace DEVICE on|off");
  if (strcmp (argv[1], "on") == 0)
    on = 1;
  else if (strcmp (argv[1], "off") == 0)
    on = 0;
  else
    return usage_error ("qtrace DEVICE on|off");
  if (do_drop_caches (3) == -1)
    return NULL;
  CLEANUP_CLOSE int fd = open_guest_device (argv[0], O_RDONLY | O_DIRECT);
  if (fd == -1)
    return NULL;
  CLEANUP_FREE void *buf = NULL;
  int e = posix_memalign (&buf, QTRACE_SECTOR, QTRACE_SECTOR);
  if (e != 0) {
    reply_with_perror_errno (e, "posix_memalign");
    return NULL;
  }
  for (size_t i = 0; i < 4; ++i)
    if (pread (fd, buf, QTRACE_SECTOR,
               (off_t)patterns[on][i] * QTRACE_SECTOR) == -1) {
      reply_with_perror ("%s", argv[0]);
      return NULL;
    }
  if (do_drop_caches (3) == -1)
    return NULL;
  return ok ();
}

/* ---- bmap_file, bmap_device, bmap (for virt-bmap) ---- */

/* What bmap_file or bmap_device prepared, for the next bmap. */
static int bmap_fd = -1;

static char *
bmap_prepare (int fd, const char *what)
{
  if (fd == -1) {
    reply_with_perror ("%s", what);
    return NULL;
  }
  if (bmap_fd != -1)
    close (bmap_fd);
  bmap_fd = fd;
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL | POSIX_FADV_NOREUSE);
  return ok ();
}

static char *
debug_bmap_file (size_t argc, char *const *argv)
{
  if (argc != 1 || argv[0][0] != '/')
    return usage_error ("bmap_file /PATH");
  return bmap_prepare (
      sysroot_open (argv[0], O_RDONLY | O_NOCTTY | O_NONBLOCK, 0), argv[0]);
}

static char *
debug_bmap_device (size_t argc, char *const *argv)
{
  if (argc != 1)
    return usage_error ("bmap_device DEVICE");
  int fd = open_guest_device (argv[0], O_RDONLY);
  return fd == -1 ? NULL : bmap_prepare (fd, argv[0]);
}

/* Read what was prepared (a directory: its entries) once, the caches
 * dropped first, so that every block of it is read from the disk. */
static char *
debug_bmap (size_t argc, char *const *argv)
{
  (void)argv;
  if (argc != 0)
    return usage_error ("bmap");
  if (bmap_fd == -1) {
    reply_with_error_errno (EINVAL, "bmap: call bmap_file or bmap_device "
                                    "first");
    return NULL;
  }
  int fd = bmap_fd;
  bmap_fd = -1;
  struct stat st;
  if (do_drop_caches (3) == -1) {
    close (fd);
    return NULL;
  }
  if (fstat (fd, &st) == -1) {
    reply_with_perror ("bmap");
    close (fd);
    return NULL;
  }
  if (S_ISDIR (st.st_mode)) {
    DIR *dir = fdopendir (fd);
    if (dir == NULL) {
      reply_with_perror ("bmap");
      close (fd);
      return NULL;
    }
    errno = 0;
    while (readdir (dir) != NULL)
      ;
    int err = errno;
    closedir (dir);
    if (err) {
      reply_with_perror_errno (err, "bmap: readdir");
      return NULL;
    }
    return ok ();
  }
  CLEANUP_FREE char *buf = malloc (SPEED_BUFSIZE);
  ssize_t r = buf ? 0 : -1;
  while (buf && (r = read (fd, buf, SPEED_BUFSIZE)) > 0)
    ;
  int err = errno;
  close (fd);
  if (r == -1) {
    reply_with_perror_errno (err, "bmap: read");
    return NULL;
  }
  return ok ();
}

static const struct subcommand subcommands[] = {
    {"help", debug_help, true},
    {"binaries", debug_binaries, false},
    {"bmap", debug_bmap, false},
    {"bmap_device", debug_bmap_device, false},
    {"bmap_file", debug_bmap_file, false},
    {"core_pattern", debug_core_pattern, false},
    {"device_speed", debug_device_speed, false},
    {"env", debug_env, true},
    {"error", debug_error, true},
    {"fds", debug_fds, true},
    {"ldd", debug_ldd, false},
    {"ls", debug_ls, false},
    {"ll", debug_ll, false},
    {"print", debug_print, true},
    {"progress", debug_progress, true},
    {"qtrace", debug_qtrace, false},
    {"segv", debug_segv, true},
    {"setenv", debug_setenv, true},
    {"sh", debug_sh, false},
    {"spew", debug_spew, true},
    {NULL, NULL, false},
};

/* The names of the subcommands, in the table's order. */
static char *
debug_help (size_t argc, char *const *argv)
{
  (void)argc, (void)argv;
  char *r = NULL;
  size_t len = 0;
  FILE *fp = open_memstream (&r, &len);
  if (fp == NULL) {
    reply_with_perror ("open_memstream");
    return NULL;
  }
  fputs ("Commands supported:", fp);
  for (const struct subcommand *c = subcommands; c->name; ++c)
    fprintf (fp, " %s", c->name);
  if (fclose (fp) == EOF) {
    reply_with_perror ("open_memstream");
    free (r);
    return NULL;
  }
  return r;
}

char *
do_debug (const char *subcmd, char *const *extraargs)
{
  for (const struct subcommand *c = subcommands; c->name; ++c) {
    if (strcasecmp (subcmd, c->name) != 0)
      continue;
    if (host_mode && !c->host_ok) {
      reply_with_error_errno (EPERM,
                              "%s: not allowed when the daemon runs "
                              "on the host (it would act on the host)",
                              c->name);
      return NULL;
    }
    return c->fn (count_strings (extraargs), extraargs);
  }
  reply_with_error_errno (EINVAL,
                          "%s: unknown subcommand (use 'debug help' "
                          "to list them)",
                          subcmd);
  return NULL;
}

/* ---- uploads into the appliance ---- */

static int
write_chunk (void *opaque, const void *buf, size_t len)
{
  int fd = *(int *)opaque;
  for (const char *p = buf; len > 0;) {
    ssize_t r = write (fd, p, len);
    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1)
      return -1;
    p += r;
    len -= r;
  }
  return 0;
}

/* Not chrooted: the path is the appliance's own. */
int
do_debug_upload (const char *tmpname, int mode)
{
  if (host_mode) {
    reply_with_error_errno (EPERM,
                            "%s: not allowed when the daemon runs on "
                            "the host (it would write the host's file)",
                            tmpname);
    return -1;
  }
  if (tmpname[0] != '/') {
    reply_with_error_errno (EINVAL, "%s: not an absolute path", tmpname);
    return -1;
  }
  int fd = open (tmpname, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY | O_CLOEXEC,
                 mode & 07777);
  if (fd == -1) {
    reply_with_perror ("%s", tmpname);
    return -1;
  }
  int r = receive_file (write_chunk, &fd);
  int err = errno;
  if (close (fd) == -1 && r == 0)
    r = -1, err = errno;
  return reply_if_receive_failed (r, err, tmpname);
}

int
do_internal_upload (const char *tmpname, int mode)
{
  return do_debug_upload (tmpname, mode);
}

/* ---- ending the daemon ---- */

int
do_internal_exit (void)
{
  /* The reply first, so that the call succeeds. */
  reply (NULL, NULL);
  sync ();
  exit (EXIT_SUCCESS);
}

/* Each chunk takes a second; the count-th crashes the daemon. */
static int
crash_at_count (void *opaque, const void *buf, size_t len)
{
  (void)buf, (void)len;
  int *count = opaque;
  sleep (1);
  if (--*count == 0)
    deliberately_crash ();
  return 0;
}

int
do_internal_rhbz914931 (int count)
{
  if (count <= 0 || count > 1000) {
    reply_with_error_errno (EINVAL, "count: %d is not from 1 to 1000", count);
    return -1;
  }
  int r = receive_file (crash_at_count, &count);
  return reply_if_receive_failed (r, errno, "upload");
}
