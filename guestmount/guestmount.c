/* guestmount: a guest filesystem as a host directory (see guestmount(1)).
 *
 * Start-up follows qemu-storage-daemon --daemonize: the process forks
 * at once and the parent waits for a status byte from the child, so
 * the command returns only when the mountpoint is usable (status 0),
 * or with the child's failure status after the child has printed the
 * reason and cleaned up.  The child launches the appliance, mounts
 * the guest filesystems and the FUSE mount, writes and locks the pid
 * file, and only then detaches.  After the FUSE mount ends, the child
 * syncs and stops the appliance before it removes the pid file and
 * exits: a script that waits for the pid finds the image complete.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"
#include "fileio.h"
#include "fs.h"
#include "guestmount.h"

struct gm_config config = {
  .timeout = 60,
  .entry_timeout = -1,
  .attr_timeout = -1,
  .negative_timeout = -1,
};
guestfs_h *g;
const char *program_name = "guestmount";

/* Command line, beyond what is in config. */
static struct setup setup;
static const char *mountpoint;
static char *mountpoint_abs;
static bool no_fork, no_sync;
static const char *pid_file;
static int ready_fd = -1;
static char *fuse_opts;     /* -o options passed on to libfuse */

enum {
  OPT_DIR_CACHE_TIMEOUT = 256, OPT_ECHO_KEYS, OPT_FD, OPT_FORMAT,
  OPT_BLOCKSIZE, OPT_FUSE_HELP, OPT_HELP, OPT_KEY, OPT_KEYS_FROM_STDIN,
  OPT_NO_FORK, OPT_PID_FILE, OPT_LONG_OPTIONS, OPT_SHORT_OPTIONS,
};

static const char short_options[] = "a:m:irwo:nvxV";
static const struct option long_options[] = {
  { "add", required_argument, NULL, 'a' },
  { "blocksize", required_argument, NULL, OPT_BLOCKSIZE },
  { "dir-cache-timeout", required_argument, NULL, OPT_DIR_CACHE_TIMEOUT },
  { "echo-keys", no_argument, NULL, OPT_ECHO_KEYS },
  { "fd", required_argument, NULL, OPT_FD },
  { "format", optional_argument, NULL, OPT_FORMAT },
  { "fuse-help", no_argument, NULL, OPT_FUSE_HELP },
  { "help", no_argument, NULL, OPT_HELP },
  { "inspector", no_argument, NULL, 'i' },
  { "key", required_argument, NULL, OPT_KEY },
  { "keys-from-stdin", no_argument, NULL, OPT_KEYS_FROM_STDIN },
  { "long-options", no_argument, NULL, OPT_LONG_OPTIONS },
  { "mount", required_argument, NULL, 'm' },
  { "no-fork", no_argument, NULL, OPT_NO_FORK },
  { "no-sync", no_argument, NULL, 'n' },
  { "option", required_argument, NULL, 'o' },
  { "pid-file", required_argument, NULL, OPT_PID_FILE },
  { "ro", no_argument, NULL, 'r' },
  { "rw", no_argument, NULL, 'w' },
  { "short-options", no_argument, NULL, OPT_SHORT_OPTIONS },
  { "trace", no_argument, NULL, 'x' },
  { "verbose", no_argument, NULL, 'v' },
  { "version", no_argument, NULL, 'V' },
  { NULL, 0, NULL, 0 },
};

static void
usage (FILE *f)
{
  fprintf (f,
    "%s: mount a guest filesystem on the host\n"
    "Usage:\n"
    "  %s [OPTIONS] -a DISK -m DEVICE[:MOUNTPOINT[:OPTIONS[:FSTYPE]]] "
    "MOUNTPOINT\n"
    "  %s [OPTIONS] -a DISK -i MOUNTPOINT\n"
    "Options:\n"
    "  -a, --add IMAGE          add a disk image (repeatable)\n"
    "      --blocksize N        sector size of the next -a (512 or 4096)\n"
    "      --dir-cache-timeout SECS  how long names and attributes are\n"
    "                           cached (default 60)\n"
    "      --echo-keys          show keys as they are typed\n"
    "      --fd FD              write a byte to FD when the mount is ready\n"
    "      --format[=FMT]       format of the next -a (none: probe)\n"
    "      --fuse-help          list the FUSE -o options\n"
    "      --help               this help\n"
    "  -i, --inspector          find an operating system and mount its\n"
    "                           filesystems as it would\n"
    "      --key SELECTOR       key of an encrypted device: ID:key:STRING\n"
    "                           or ID:file:FILENAME\n"
    "      --keys-from-stdin    read keys from stdin\n"
    "      --long-options       list the long options (completion)\n"
    "  -m, --mount DEV[:MOUNTPOINT[:OPTIONS[:FSTYPE]]]\n"
    "                           mount DEV in the guest (repeatable)\n"
    "      --no-fork            stay in the foreground\n"
    "  -n, --no-sync            do not sync the disks at unmount\n"
    "  -o, --option OPTION      FUSE mount option (repeatable)\n"
    "      --pid-file FILE      write the process id there when ready\n"
    "  -r, --ro                 read-only\n"
    "  -w, --rw                 read-write (default)\n"
    "      --short-options      list the short options (completion)\n"
    "  -x, --trace              trace library calls and FUSE operations\n"
    "                           (stays in the foreground)\n"
    "  -v, --verbose            verbose messages\n"
    "  -V, --version            print the version and exit\n"
    "Unmount with guestunmount MOUNTPOINT.\n",
    program_name, program_name, program_name);
}

static void __attribute__ ((noreturn, format (printf, 1, 2)))
usage_error (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  fprintf (stderr, "%s: ", program_name);
  vfprintf (stderr, fmt, ap);
  fprintf (stderr, "\nTry '%s --help' for more information.\n",
           program_name);
  va_end (ap);
  exit (EXIT_FAILURE);
}

static void
list_long_options (void)
{
  for (const struct option *o = long_options; o->name; ++o)
    if (strcmp (o->name, "long-options") != 0 &&
        strcmp (o->name, "short-options") != 0)
      printf ("--%s\n", o->name);
}

static void
list_short_options (void)
{
  for (const char *p = short_options; *p; ++p)
    if (*p != ':')
      printf ("-%c\n", *p);
}

static void
fuse_help (void)
{
  printf ("FUSE options for %s -o (see also mount.fuse3(8)):\n",
          program_name);
  fuse_lowlevel_help ();
  printf ("    -o kernel_cache, -o auto_cache, -o use_ino, -o readdir_ino,\n"
          "    -o hard_remove  accepted for compatibility: always in effect\n"
          "    -o attr_timeout=SECS     kernel attribute cache time\n"
          "    -o entry_timeout=SECS    kernel name cache time\n"
          "    -o negative_timeout=SECS kernel cache time of missing names\n"
          "    -o uid=N, -o gid=N       report every file as owned by N\n"
          "    -o umask=M               clear the bits of M in reported modes\n"
          "    -o direct_io             do not use the kernel page cache\n");
}

/* ---- Numbers ---- */

static bool
parse_uint (const char *s, long long max, long long *out)
{
  char *end;
  errno = 0;
  long long v = strtoll (s, &end, 10);
  if (errno || end == s || *end || v < 0 || v > max)
    return false;
  *out = v;
  return true;
}

static bool
parse_seconds (const char *s, double *out)
{
  char *end;
  errno = 0;
  double v = strtod (s, &end);
  if (errno || end == s || *end || !(v >= 0) || v > 1e9)
    return false;
  *out = v;
  return true;
}

/* ---- -o: options of libfuse's high-level API are handled here ---- */

static bool
take_fuse_option (const char *opt)
{
  static const char *const no_ops[] = {
    "kernel_cache", "auto_cache", "use_ino", "readdir_ino", "hard_remove",
    "intr", NULL,
  };
  for (size_t i = 0; no_ops[i]; ++i)
    if (strcmp (opt, no_ops[i]) == 0)
      return true;
  const char *eq = strchr (opt, '=');
  if (eq == NULL) {
    if (strcmp (opt, "direct_io") == 0)
      return config.direct_io = true;
    return false;
  }
  size_t klen = eq - opt;
  const char *v = eq + 1;
  long long n;
  double *t = NULL;
  if (klen == 12 && strncmp (opt, "attr_timeout", 12) == 0)
    t = &config.attr_timeout;
  else if (klen == 13 && strncmp (opt, "entry_timeout", 13) == 0)
    t = &config.entry_timeout;
  else if (klen == 16 && strncmp (opt, "negative_timeout", 16) == 0)
    t = &config.negative_timeout;
  if (t) {
    if (!parse_seconds (v, t))
      usage_error ("-o %s: not a number of seconds", opt);
    return true;
  }
  if (klen == 3 && strncmp (opt, "uid", 3) == 0) {
    if (!parse_uint (v, UINT32_MAX - 1, &n))
      usage_error ("-o %s: not a user id", opt);
    config.force_uid = true;
    config.uid = n;
    return true;
  }
  if (klen == 3 && strncmp (opt, "gid", 3) == 0) {
    if (!parse_uint (v, UINT32_MAX - 1, &n))
      usage_error ("-o %s: not a group id", opt);
    config.force_gid = true;
    config.gid = n;
    return true;
  }
  if (klen == 5 && strncmp (opt, "umask", 5) == 0) {
    char *end;
    unsigned long m = strtoul (v, &end, 8);
    if (end == v || *end || m > 07777)
      usage_error ("-o %s: not an octal mode", opt);
    config.umask_set = true;
    config.umask = m;
    return true;
  }
  return false;
}

static void
append_fuse_option (const char *opt, size_t len)
{
  size_t old = fuse_opts ? strlen (fuse_opts) : 0;
  char *n = realloc (fuse_opts, old + len + 2);
  if (n == NULL) {
    perror ("realloc");
    exit (EXIT_FAILURE);
  }
  if (old)
    n[old++] = ',';
  memcpy (n + old, opt, len);
  n[old + len] = '\0';
  fuse_opts = n;
}

/* Split -o A,B,C (a backslash escapes a comma) and keep what libfuse
 * must see. */
static void
add_fuse_options (const char *arg)
{
  char *copy = strdup (arg);
  if (copy == NULL) {
    perror ("strdup");
    exit (EXIT_FAILURE);
  }
  char *start = copy;
  for (char *p = copy;; ++p) {
    if (*p == '\\' && p[1]) {
      ++p;
      continue;
    }
    if (*p != ',' && *p != '\0')
      continue;
    char end = *p;
    *p = '\0';
    if (*start && !take_fuse_option (start))
      append_fuse_option (start, strlen (start));
    if (end == '\0')
      break;
    start = p + 1;
  }
  free (copy);
}

static bool
has_fuse_option (const char *name)
{
  size_t n = strlen (name);
  for (const char *p = fuse_opts; p && *p;) {
    if (strncmp (p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
      return true;
    p = strchr (p, ',');
    p = p ? p + 1 : NULL;
  }
  return false;
}

/* ---- Parsing ---- */

static void
add_drive_arg (const char *file, const char *format, int blocksize)
{
  struct drive_opt *v =
    realloc (setup.drives, (setup.nr_drives + 1) * sizeof *v);
  if (v == NULL) {
    perror ("realloc");
    exit (EXIT_FAILURE);
  }
  setup.drives = v;
  struct drive_opt *d = &v[setup.nr_drives++];
  const char *why;
  *d = (struct drive_opt) {
    .format = format ? strdup (format) : NULL,
    .blocksize = blocksize,
  };
  if (drive_opt_from_uri (file, d, &why) == -1) {
    if (why == NULL) {
      perror ("strdup");
      exit (EXIT_FAILURE);
    }
    usage_error ("-a %s: %s", file, why);
  }
}

static void
add_mount_arg (const char *arg)
{
  struct mount_opt m;
  if (parse_mount_arg (arg, &m) == -1)
    usage_error ("-m %s: expected DEVICE[:MOUNTPOINT[:OPTIONS[:FSTYPE]]] "
                 "with an absolute MOUNTPOINT", arg);
  struct mount_opt *v =
    realloc (setup.mounts, (setup.nr_mounts + 1) * sizeof *v);
  if (v == NULL) {
    perror ("realloc");
    exit (EXIT_FAILURE);
  }
  setup.mounts = v;
  v[setup.nr_mounts++] = m;
}

static void
add_key_arg (const char *arg)
{
  struct key_opt k;
  if (parse_key_arg (arg, &k) == -1)
    usage_error ("--key: expected ID:key:KEY_STRING or ID:file:FILENAME");
  struct key_opt *v = realloc (setup.keys, (setup.nr_keys + 1) * sizeof *v);
  if (v == NULL) {
    perror ("realloc");
    exit (EXIT_FAILURE);
  }
  setup.keys = v;
  v[setup.nr_keys++] = k;
}

/* The option as the user wrote it, for error messages. */
static const char *
bad_option (int argc, char *argv[], int c)
{
  static char buf[8];
  if (c == '?' && optopt && optopt < 256 && optind > 0 &&
      argv[optind - 1][0] == '-' && argv[optind - 1][1] != '-') {
    snprintf (buf, sizeof buf, "-%c", optopt);
    return buf;
  }
  return optind > 0 && optind <= argc ? argv[optind - 1] : "?";
}

static void
parse_args (int argc, char *argv[])
{
  const char *format = NULL;
  int blocksize = 0;
  int c;
  long long n;
  opterr = 0;
  while ((c = getopt_long (argc, argv, short_options, long_options, NULL)) !=
         -1) {
    switch (c) {
    case 'a': add_drive_arg (optarg, format, blocksize); break;
    case 'm': add_mount_arg (optarg); break;
    case 'i': setup.inspector = true; break;
    case 'r': config.read_only = true; break;
    case 'w': config.read_only = false; break;
    case 'o': add_fuse_options (optarg); break;
    case 'n': no_sync = true; break;
    case 'v': config.verbose = true; break;
    case 'x': config.trace = true; break;
    case 'V': printf ("%s %s\n", program_name, PACKAGE_VERSION); exit (0);
    case OPT_BLOCKSIZE:
      if (!parse_uint (optarg, 65536, &n) || (n != 512 && n != 4096))
        usage_error ("--blocksize %s: must be 512 or 4096", optarg);
      blocksize = n;
      break;
    case OPT_DIR_CACHE_TIMEOUT:
      if (!parse_seconds (optarg, &config.timeout))
        usage_error ("--dir-cache-timeout %s: not a number of seconds",
                     optarg);
      break;
    case OPT_ECHO_KEYS: setup.echo_keys = true; break;
    case OPT_FD:
      if (!parse_uint (optarg, INT_MAX, &n) || fcntl (n, F_GETFD) == -1)
        usage_error ("--fd %s: not an open file descriptor", optarg);
      ready_fd = n;
      break;
    case OPT_FORMAT:
      format = optarg && *optarg ? optarg : NULL;
      break;
    case OPT_FUSE_HELP: fuse_help (); exit (0);
    case OPT_HELP: usage (stdout); exit (0);
    case OPT_KEY: add_key_arg (optarg); break;
    case OPT_KEYS_FROM_STDIN: setup.keys_from_stdin = true; break;
    case OPT_LONG_OPTIONS: list_long_options (); exit (0);
    case OPT_SHORT_OPTIONS: list_short_options (); exit (0);
    case OPT_NO_FORK: no_fork = true; break;
    case OPT_PID_FILE: pid_file = optarg; break;
    case ':':
      usage_error ("option %s needs an argument", bad_option (argc, argv, c));
    default:
      usage_error ("unknown option %s", bad_option (argc, argv, c));
    }
  }
  if (optind != argc - 1)
    usage_error (optind == argc ? "no mountpoint given"
                                : "expected exactly one mountpoint, got %d",
                 argc - optind);
  mountpoint = argv[optind];
  if (setup.inspector && setup.nr_mounts > 0)
    usage_error ("-i and -m cannot be used together");
  if (config.trace)
    no_fork = true; /* the trace goes to this terminal */
  if (config.entry_timeout < 0)
    config.entry_timeout = config.timeout;
  if (config.attr_timeout < 0)
    config.attr_timeout = config.timeout;
  if (config.negative_timeout < 0)
    config.negative_timeout = config.timeout;
}

/* ---- The mountpoint ---- */

/* The device ("major:minor") of what is mounted at path (absolute,
 * resolved; the topmost mount), in dev.  Returns whether there is
 * one. */
static bool
mount_device (const char *path, char dev[32])
{
  FILE *f = fopen ("/proc/self/mountinfo", "r");
  if (f == NULL)
    return false;
  char *line = NULL;
  size_t cap = 0;
  bool found = false;
  while (getline (&line, &cap, f) > 0) {
    char mp[PATH_MAX + 1], d[32];
    /* id parent major:minor root mountpoint ... (octal escapes) */
    if (sscanf (line, "%*s %*s %31s %*s %4096s", d, mp) != 2)
      continue;
    char *o = mp;
    for (const char *i = mp; *i; ++o)
      if (i[0] == '\\' && i[1] >= '0' && i[1] <= '3' && i[2] && i[3]) {
        *o = (char) ((i[1] - '0') * 64 + (i[2] - '0') * 8 + (i[3] - '0'));
        i += 4;
      } else
        *o = *i++;
    *o = '\0';
    if (strcmp (mp, path) == 0) {
      found = true;
      strcpy (dev, d);
    }
  }
  free (line);
  fclose (f);
  return found;
}

static bool
is_mounted (const char *path)
{
  char dev[32];
  return mount_device (path, dev);
}

/* The kernel reads ahead only 128 KiB at a time on a FUSE mount,
 * which makes a sequential reader cost eight requests per MiB.  Let it
 * send requests as large as the mount allows (root only; harmless if
 * it cannot be done). */
static void
raise_read_ahead (void)
{
  char dev[32], *path;
  if (!mount_device (mountpoint_abs, dev) ||
      asprintf (&path, "/sys/class/bdi/%s/read_ahead_kb", dev) == -1)
    return;
  FILE *f = fopen (path, "r+");
  unsigned kb = 0;
  if (f && fscanf (f, "%u", &kb) == 1 && kb < FUSE_IO_MAX / 1024) {
    rewind (f);
    fprintf (f, "%u\n", FUSE_IO_MAX / 1024);
    debug ("%s: read-ahead %u KiB", path, FUSE_IO_MAX / 1024);
  }
  if (f)
    fclose (f);
  free (path);
}

static int
check_mountpoint (void)
{
  struct stat st;
  if (stat (mountpoint, &st) == -1) {
    fprintf (stderr, "%s: %s: %m\n", program_name, mountpoint);
    return -1;
  }
  if (!S_ISDIR (st.st_mode)) {
    fprintf (stderr, "%s: %s: not a directory\n", program_name, mountpoint);
    return -1;
  }
  free (mountpoint_abs);
  mountpoint_abs = realpath (mountpoint, NULL);
  if (mountpoint_abs == NULL) {
    fprintf (stderr, "%s: %s: %m\n", program_name, mountpoint);
    return -1;
  }
  if (is_mounted (mountpoint_abs)) {
    fprintf (stderr, "%s: %s: something is mounted there already (busy)\n",
             program_name, mountpoint);
    return -1;
  }
  return 0;
}

/* ---- Daemonizing ---- */

static int status_pipe = -1;

/* Fork; the parent waits for the child's status and exits with it. */
static void
daemonize_start (void)
{
  int fds[2];
  if (pipe2 (fds, O_CLOEXEC) == -1) {
    perror ("pipe2");
    exit (EXIT_FAILURE);
  }
  pid_t pid = fork ();
  if (pid == -1) {
    perror ("fork");
    exit (EXIT_FAILURE);
  }
  if (pid > 0) {
    close (fds[1]);
    char b;
    ssize_t r;
    while ((r = read (fds[0], &b, 1)) == -1 && errno == EINTR)
      ;
    if (r == 1 && b == 0)
      _exit (EXIT_SUCCESS);
    /* No status byte: the child failed (and said why). */
    int status;
    while (waitpid (pid, &status, 0) == -1 && errno == EINTR)
      ;
    _exit (WIFEXITED (status) && WEXITSTATUS (status) != 0
             ? WEXITSTATUS (status)
             : EXIT_FAILURE);
  }
  close (fds[0]);
  status_pipe = fds[1];
}

/* The mount is ready: detach from the terminal and tell the parent. */
static void
daemonize_ready (void)
{
  if (status_pipe == -1)
    return;
  setsid ();
  if (chdir ("/") == -1)
    debug ("chdir /: %m");
  int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    dup2 (null, 0);
    dup2 (null, 1);
    if (!config.verbose)
      dup2 (null, 2);
    close (null);
  }
  char b = 0;
  if (write (status_pipe, &b, 1) != 1)
    debug ("status pipe: %m");
  close (status_pipe);
  status_pipe = -1;
}

/* ---- Pid file ---- */

static int pid_fd = -1;

/* Open and lock the pid file before anything else, so that a second
 * guestmount using it fails early; its contents come when ready. */
static int
pid_file_lock (void)
{
  if (pid_file == NULL)
    return 0;
  pid_fd = open (pid_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (pid_fd == -1) {
    fprintf (stderr, "%s: --pid-file %s: %m\n", program_name, pid_file);
    return -1;
  }
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
  if (fcntl (pid_fd, F_SETLK, &fl) == -1) {
    fprintf (stderr, "%s: --pid-file %s: in use by another process\n",
             program_name, pid_file);
    close (pid_fd);
    pid_fd = -1;
    return -1;
  }
  return 0;
}

static int
pid_file_write (void)
{
  if (pid_fd == -1)
    return 0;
  char buf[32];
  int n = snprintf (buf, sizeof buf, "%ld\n", (long) getpid ());
  if (ftruncate (pid_fd, 0) == -1 || pwrite (pid_fd, buf, n, 0) != n) {
    fprintf (stderr, "%s: --pid-file %s: %m\n", program_name, pid_file);
    return -1;
  }
  return 0;
}

static void
pid_file_remove (void)
{
  if (pid_fd == -1)
    return;
  unlink (pid_file);
  close (pid_fd);
  pid_fd = -1;
}

static void
signal_ready_fd (void)
{
  if (ready_fd < 0)
    return;
  char b = 0;
  if (write (ready_fd, &b, 1) != 1)
    debug ("--fd %d: %m", ready_fd);
  close (ready_fd);
  ready_fd = -1;
}

/* ---- Start-up and shut-down ---- */

static bool
backend_is_unix (void)
{
  char *b = guestfs_get_backend (g);
  bool r = b && strncmp (b, "unix:", 5) == 0;
  free (b);
  return r;
}

static int
create_handle (void)
{
  g = guestfs_create ();
  if (g == NULL) {
    fprintf (stderr, "%s: could not create the libguestfs handle\n",
             program_name);
    return -1;
  }
  guestfs_set_program (g, program_name);
  if (config.verbose)
    guestfs_set_verbose (g, 1);
  if (config.trace)
    guestfs_set_trace (g, 1);
  guestfs_set_autosync (g, !no_sync);
  return 0;
}

/* The status of the guest's "/" for the root node. */
static int
init_root (void)
{
  struct rentry e;
  int r = remote_lstat ("/", &e);
  if (r < 0) {
    fprintf (stderr, "%s: the guest's / cannot be examined: %s\n",
             program_name, strerror (-r));
    return -1;
  }
  if (!S_ISDIR (e.st.st_mode)) {
    fprintf (stderr, "%s: the guest's / is not a directory\n", program_name);
    rentry_free (&e);
    return -1;
  }
  r = cache_init (&e);
  rentry_free (&e);
  if (r == -1)
    fprintf (stderr, "%s: out of memory\n", program_name);
  return r;
}

static char *
escape_commas (const char *s)
{
  char *out = malloc (strlen (s) * 2 + 1), *o = out;
  if (out == NULL)
    return NULL;
  for (; *s; ++s) {
    if (*s == ',' || *s == '\\')
      *o++ = '\\';
    *o++ = *s;
  }
  *o = '\0';
  return out;
}

/* The -o string for libfuse: our defaults, then the user's. */
static char *
mount_options (void)
{
  /* The first image's name; an NBD export may have none, and the
   * kernel refuses an empty fsname. */
  const struct drive_opt *first = setup.nr_drives ? &setup.drives[0] : NULL;
  char *fsname = escape_commas (first && first->filename[0] ? first->filename
                                : first && first->protocol  ? first->protocol
                                                            : "guestmount");
  char *opts;
  bool allow_other = has_fuse_option ("allow_other");
  if (fsname == NULL ||
      asprintf (&opts, "fsname=%s,subtype=guestmount,nosuid,nodev%s%s%s%s",
                fsname, config.read_only ? ",ro" : "",
                allow_other ? ",default_permissions" : "",
                fuse_opts ? "," : "", fuse_opts ? fuse_opts : "") == -1)
    opts = NULL;
  free (fsname);
  return opts;
}

static struct fuse_session *
mount_fuse (void)
{
  char *opts = mount_options ();
  if (opts == NULL)
    return NULL;
  char *argv[] = { (char *) program_name, (char *) "-o", opts, NULL };
  struct fuse_args args = FUSE_ARGS_INIT (3, argv);
  struct fuse_session *se = fs_new_session (&args);
  fuse_opt_free_args (&args);
  free (opts);
  if (se == NULL) {
    fprintf (stderr, "%s: the FUSE options were refused (see --fuse-help)\n",
             program_name);
    return NULL;
  }
  if (check_mountpoint () == -1 ||
      fuse_session_mount (se, mountpoint_abs) != 0) {
    fprintf (stderr, "%s: %s: the FUSE mount failed\n", program_name,
             mountpoint);
    fuse_session_destroy (se);
    return NULL;
  }
  if (geteuid () == 0)
    raise_read_ahead ();
  return se;
}

static int
run_loop (struct fuse_session *se)
{
  struct fuse_loop_config *lc = fuse_loop_cfg_create ();
  if (lc == NULL)
    return -1;
  fuse_loop_cfg_set_max_threads (lc, 16);
  fuse_loop_cfg_set_idle_threads (lc, 4);
  int r = fuse_session_loop_mt (se, lc);
  fuse_loop_cfg_destroy (lc);
  return r;
}

/* Stop the appliance, syncing first unless -n. */
static int
finish_guest (void)
{
  if (g == NULL)
    return 0;
  int r = 0;
  if (guestfs_is_ready (g) == 1) {
    double t = now ();
    guestfs_set_error_handler (g, NULL, NULL);
    if (no_sync)
      guestfs_kill_subprocess (g);
    else if (guestfs_shutdown (g) == -1) {
      fprintf (stderr, "%s: syncing the disks failed: %s\n", program_name,
               guestfs_last_error (g));
      r = -1;
    }
    debug ("appliance stopped in %.2f s", now () - t);
  }
  guestfs_close (g);
  g = NULL;
  return r;
}

/* Until the mount exists, SIGINT, SIGTERM and SIGHUP only note that
 * start-up must stop.  (They are not blocked yet: qemu, started
 * meanwhile, would inherit the mask.) */
static volatile sig_atomic_t interrupted;

static void
note_interrupt (int sig)
{
  (void) sig;
  interrupted = 1;
}

static void
catch_startup_signals (void)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = note_interrupt;
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGHUP, &sa, NULL);
}

static int
check_interrupted (void)
{
  if (!interrupted)
    return 0;
  fprintf (stderr, "%s: interrupted\n", program_name);
  return -1;
}

/* libfuse's messages: during start-up they explain a refused mount;
 * once the session is over, it complains about a mount that is
 * already gone, which is no news. */
static bool fuse_quiet;

static void
fuse_log_message (enum fuse_log_level level, const char *fmt, va_list ap)
{
  if (fuse_quiet && !config.verbose)
    return;
  if (level > FUSE_LOG_NOTICE && !config.verbose)
    return;
  fprintf (stderr, "%s: ", program_name);
  vfprintf (stderr, fmt, ap);
}

/* Everything after the handle exists.  Returns the exit status. */
static int
serve (void)
{
  bool unix_backend = backend_is_unix ();
  if (setup.nr_drives == 0 && !unix_backend) {
    fprintf (stderr, "%s: no disk image: use -a IMAGE\n", program_name);
    return EXIT_FAILURE;
  }
  if (setup.nr_drives > 0 && !setup.inspector && setup.nr_mounts == 0) {
    fprintf (stderr, "%s: nothing to mount: use -m DEVICE or -i\n",
             program_name);
    return EXIT_FAILURE;
  }
  if (setup_guest (&setup, unix_backend) == -1 ||
      guestfs_umask (g, 0) == -1 || init_root () == -1)
    return EXIT_FAILURE;
  /* From here on signals go to the control thread (blocked before any
   * thread starts); one that came during start-up ends it now. */
  if (control_block_signals () == -1) {
    perror ("signalfd");
    return EXIT_FAILURE;
  }
  if (check_interrupted () == -1)
    return EXIT_FAILURE;
  /* From here on, errors are answers to FUSE requests, not messages. */
  guestfs_set_error_handler (g, NULL, NULL);
  struct fuse_session *se = mount_fuse ();
  if (se == NULL)
    return EXIT_FAILURE;
  if (control_start (mountpoint_abs, se) == -1 || fs_start_background () ||
      pid_file_write () == -1) {
    fprintf (stderr, "%s: start-up failed\n", program_name);
    fuse_session_unmount (se);
    fuse_session_destroy (se);
    control_stop ();
    fs_stop_background ();
    return EXIT_FAILURE;
  }
  debug ("%s is ready", mountpoint_abs);
  signal_ready_fd ();
  daemonize_ready ();
  run_loop (se);
  control_loop_done ();
  /* Unmounts if the loop was stopped rather than unmounted; otherwise
   * it only notes that the mount is gone. */
  fuse_quiet = true;
  fuse_session_unmount (se);
  fs_stop_background ();
  fuse_session_destroy (se); /* sends the last writes and releases */
  control_stop ();
  debug ("%llu daemon calls; %zu nodes and %zu names cached at the end",
         (unsigned long long) remote_calls (), cache_nr_nodes (),
         cache_nr_dentries ());
  return control_daemon_was_lost () ? EXIT_FAILURE : EXIT_SUCCESS;
}

int
main (int argc, char *argv[])
{
  signal (SIGPIPE, SIG_IGN);
  fuse_set_log_func (fuse_log_message);
  parse_args (argc, argv);
  if (check_mountpoint () == -1)
    exit (EXIT_FAILURE);
  if (!no_fork)
    daemonize_start ();
  catch_startup_signals ();
  int status = EXIT_FAILURE;
  if (pid_file_lock () == 0 && create_handle () == 0)
    status = serve ();
  if (finish_guest () == -1)
    status = EXIT_FAILURE;
  pid_file_remove ();
  exit (status);
}
