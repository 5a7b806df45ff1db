/* guestmount's command line: usage, the options, -o handling (see
 * guestmount(1)).  What is not part of config is kept here, in the
 * variables options.h declares.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sanitize.h"
#include "guestmount.h"
#include "fs.h"
#include "options.h"

/* Command line, beyond what is in config. */
struct setup setup;
const char *mountpoint;
bool no_fork, no_sync;
const char *pid_file;
int ready_fd = -1;
char *fuse_opts;     /* -o options passed on to libfuse */

enum {
  OPT_DIR_CACHE_TIMEOUT = 256, OPT_ECHO_KEYS, OPT_FD, OPT_FORMAT,
  OPT_BLOCKSIZE, OPT_FUSE_HELP, OPT_HELP, OPT_KEY, OPT_KEYS_FROM_STDIN,
  OPT_NO_FORK, OPT_NO_DIRECT_READ, OPT_NO_SAVED_APPLIANCE, OPT_PID_FILE,
  OPT_LONG_OPTIONS, OPT_SHORT_OPTIONS,
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
  { "no-direct-read", no_argument, NULL, OPT_NO_DIRECT_READ },
  { "no-fork", no_argument, NULL, OPT_NO_FORK },
  { "no-saved-appliance", no_argument, NULL, OPT_NO_SAVED_APPLIANCE },
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
    "      --no-direct-read     read files only through the appliance\n"
    "      --no-fork            stay in the foreground\n"
    "      --no-saved-appliance boot the appliance instead of restoring\n"
    "                           the saved one\n"
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
  guestfs_int_vfprintf_sanitized (stderr, 0, fmt, ap);
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

bool
has_fuse_option (const char *name)
{
  return fuse_option_in (fuse_opts, name);
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
add_key_arg (char *arg)
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

void
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
    case OPT_NO_DIRECT_READ: config.no_direct_read = true; break;
    case OPT_NO_FORK: no_fork = true; break;
    case OPT_NO_SAVED_APPLIANCE: config.no_saved_appliance = true; break;
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
