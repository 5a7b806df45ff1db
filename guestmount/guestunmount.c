/* guestunmount: unmount a guestmount mountpoint (see guestunmount(1)).
 *
 * Exit status: 0 unmounted, 1 error, 2 still busy after the retries,
 * 3 not mounted.  Only FUSE mounts are touched, so that a mistyped
 * path never unmounts anything else even when run as root.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sanitize.h"

#define EXIT_BUSY 2
#define EXIT_NOT_MOUNTED 3

static const char *program_name = "guestunmount";
static bool quiet, verbose;

enum { OPT_FD = 256, OPT_HELP, OPT_NO_RETRY, OPT_RETRY, OPT_LONG_OPTIONS,
       OPT_SHORT_OPTIONS };

static const char short_options[] = "qvV";
static const struct option long_options[] = {
  { "fd", required_argument, NULL, OPT_FD },
  { "help", no_argument, NULL, OPT_HELP },
  { "long-options", no_argument, NULL, OPT_LONG_OPTIONS },
  { "no-retry", no_argument, NULL, OPT_NO_RETRY },
  { "quiet", no_argument, NULL, 'q' },
  { "retry", required_argument, NULL, OPT_RETRY },
  { "short-options", no_argument, NULL, OPT_SHORT_OPTIONS },
  { "verbose", no_argument, NULL, 'v' },
  { "version", no_argument, NULL, 'V' },
  { NULL, 0, NULL, 0 },
};

static void
usage (FILE *f)
{
  fprintf (f,
    "%s: unmount a filesystem mounted by guestmount\n"
    "Usage:\n"
    "  %s [OPTIONS] MOUNTPOINT\n"
    "Options:\n"
    "      --fd FD          wait until the pipe FD is closed, then unmount\n"
    "      --help           this help\n"
    "      --long-options   list the long options (completion)\n"
    "      --no-retry       try once only\n"
    "  -q, --quiet          no error messages (the exit status remains)\n"
    "      --retry N        retry N times while busy (default 5)\n"
    "      --short-options  list the short options (completion)\n"
    "  -v, --verbose        say what is being done\n"
    "  -V, --version        print the version and exit\n"
    "Exit status: 0 unmounted, 1 error, 2 still busy, 3 not mounted.\n",
    program_name, program_name);
}

static void __attribute__ ((noreturn, format (printf, 1, 2)))
usage_error (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  fprintf (stderr, "%s: ", program_name);
  guestfs_int_vfprintf_sanitized (stderr, 0, fmt, ap);
  va_end (ap);
  fprintf (stderr, "\nTry '%s --help' for more information.\n",
           program_name);
  exit (EXIT_FAILURE);
}

/* Paths and fusermount3's words may hold anything: printed escaped
 * (see common/sanitize.h). */
static void __attribute__ ((format (printf, 1, 0)))
vmessage (const char *fmt, va_list ap)
{
  fprintf (stderr, "%s: ", program_name);
  guestfs_int_vfprintf_sanitized (stderr, 0, fmt, ap);
  fputc ('\n', stderr);
}

/* An error (not with -q). */
static void __attribute__ ((format (printf, 1, 2)))
message (const char *fmt, ...)
{
  if (quiet)
    return;
  va_list ap;
  va_start (ap, fmt);
  vmessage (fmt, ap);
  va_end (ap);
}

/* What is being done (with -v). */
static void __attribute__ ((format (printf, 1, 2)))
verbose_message (const char *fmt, ...)
{
  if (!verbose)
    return;
  va_list ap;
  va_start (ap, fmt);
  vmessage (fmt, ap);
  va_end (ap);
}

static bool
parse_count (const char *s, int *out)
{
  char *end;
  errno = 0;
  long v = strtol (s, &end, 10);
  if (errno || end == s || *end || v < 0 || v > INT_MAX)
    return false;
  *out = v;
  return true;
}

/* Block until the other end of fd is closed. */
static void
wait_for_close (int fd)
{
  char buf[256];
  for (;;) {
    ssize_t r = read (fd, buf, sizeof buf);
    if (r == 0 || (r == -1 && errno != EINTR && errno != EAGAIN))
      return;
    if (r == -1 && errno == EAGAIN) {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      poll (&p, 1, -1);
    }
  }
}

/* An absolute path without resolving the last component, which may be
 * a mount whose server died (stat fails with ENOTCONN). */
static char *
absolute (const char *path)
{
  char *r = realpath (path, NULL);
  if (r)
    return r;
  char *cwd = path[0] == '/' ? strdup ("") : getcwd (NULL, 0);
  if (cwd == NULL || asprintf (&r, "%s/%s", cwd, path) == -1)
    r = NULL;
  free (cwd);
  if (r == NULL)
    return NULL;
  size_t len = strlen (r);
  while (len > 1 && r[len - 1] == '/')
    r[--len] = '\0';
  /* Collapse "//" and "/./" left by joining. */
  char *o = r;
  for (const char *i = r; *i;) {
    if (i[0] == '/' && (i[1] == '/' || (i[1] == '.' && (i[2] == '/' ||
                                                        i[2] == '\0')))) {
      i += i[1] == '/' ? 1 : 2;
      continue;
    }
    *o++ = *i++;
  }
  *o = '\0';
  if (r[0] == '\0')
    strcpy (r, "/");
  return r;
}

static void
unescape (char *s)
{
  char *o = s;
  for (const char *i = s; *i; ++o)
    if (i[0] == '\\' && i[1] >= '0' && i[1] <= '3' && i[2] && i[3]) {
      *o = (char) ((i[1] - '0') * 64 + (i[2] - '0') * 8 + (i[3] - '0'));
      i += 4;
    } else
      *o = *i++;
  *o = '\0';
}

/* The type of the filesystem mounted at path (topmost), or NULL. */
static char *
mounted_type (const char *path)
{
  FILE *f = fopen ("/proc/self/mountinfo", "r");
  if (f == NULL)
    return NULL;
  char *line = NULL, *type = NULL;
  size_t cap = 0;
  while (getline (&line, &cap, f) > 0) {
    char mp[PATH_MAX + 1], fstype[256];
    /* id parent dev root mountpoint options [optional...] - type ... */
    if (sscanf (line, "%*s %*s %*s %*s %4096s", mp) != 1)
      continue;
    const char *sep = strstr (line, " - ");
    if (sep == NULL || sscanf (sep + 3, "%255s", fstype) != 1)
      continue;
    unescape (mp);
    if (strcmp (mp, path) == 0) {
      free (type);
      type = strdup (fstype);
    }
  }
  free (line);
  fclose (f);
  return type;
}

enum result { DONE, BUSY, NOT_MOUNTED, FAILED };

/* fusermount3 -u, for mounts of unprivileged users. */
static enum result
run_fusermount (const char *mp)
{
  int errpipe[2];
  if (pipe2 (errpipe, O_CLOEXEC) == -1)
    return FAILED;
  pid_t pid = fork ();
  if (pid == -1)
    return FAILED;
  if (pid == 0) {
    dup2 (errpipe[1], 2);
    execlp ("fusermount3", "fusermount3", "-u", mp, (char *) NULL);
    fprintf (stderr, "fusermount3: %m\n");
    _exit (127);
  }
  close (errpipe[1]);
  char out[1024];
  size_t len = 0;
  ssize_t r;
  while ((r = read (errpipe[0], out + len, sizeof out - 1 - len)) > 0)
    len += r;
  out[len] = '\0';
  close (errpipe[0]);
  int status;
  while (waitpid (pid, &status, 0) == -1 && errno == EINTR)
    ;
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return DONE;
  if (strstr (out, strerror (EBUSY)))
    return BUSY;
  if (strstr (out, "not found") || strstr (out, "not mounted"))
    return NOT_MOUNTED;
  size_t n = strlen (out);
  while (n > 0 && out[n - 1] == '\n')
    out[--n] = '\0';
  message ("%s", out[0] ? out : "fusermount3 failed");
  return FAILED;
}

static enum result
unmount_once (const char *mp)
{
  if (geteuid () != 0)
    return run_fusermount (mp);
  if (umount2 (mp, UMOUNT_NOFOLLOW) == 0)
    return DONE;
  if (errno == EBUSY)
    return BUSY;
  if (errno == EINVAL || errno == ENOENT)
    return NOT_MOUNTED;
  message ("%s: %m", mp);
  return FAILED;
}

int
main (int argc, char *argv[])
{
  int fd = -1, retries = 5, c, n;
  opterr = 0;
  while ((c = getopt_long (argc, argv, short_options, long_options, NULL)) !=
         -1) {
    switch (c) {
    case OPT_FD:
      if (!parse_count (optarg, &fd) || fcntl (fd, F_GETFD) == -1)
        usage_error ("--fd %s: not an open file descriptor", optarg);
      break;
    case OPT_HELP: usage (stdout); return EXIT_SUCCESS;
    case OPT_NO_RETRY: retries = 0; break;
    case OPT_RETRY:
      if (!parse_count (optarg, &n))
        usage_error ("--retry %s: not a number of retries", optarg);
      retries = n;
      break;
    case OPT_LONG_OPTIONS:
      for (const struct option *o = long_options; o->name; ++o)
        if (strcmp (o->name, "long-options") != 0 &&
            strcmp (o->name, "short-options") != 0)
          printf ("--%s\n", o->name);
      return EXIT_SUCCESS;
    case OPT_SHORT_OPTIONS:
      for (const char *p = short_options; *p; ++p)
        if (*p != ':')
          printf ("-%c\n", *p);
      return EXIT_SUCCESS;
    case 'q': quiet = true; break;
    case 'v': verbose = true; break;
    case 'V': printf ("%s %s\n", program_name, PACKAGE_VERSION); return 0;
    case ':':
      usage_error ("option %s needs an argument", argv[optind - 1]);
    default:
      if (optopt && optopt < 256 && argv[optind - 1][1] != '-') {
        char opt[3] = { '-', (char) optopt, '\0' };
        usage_error ("unknown option %s", opt);
      }
      usage_error ("unknown option %s", argv[optind - 1]);
    }
  }
  if (optind != argc - 1)
    usage_error ("%s", optind == argc ? "no mountpoint given"
                                      : "expected exactly one mountpoint");
  if (fd >= 0) {
    verbose_message ("waiting for descriptor %d to close", fd);
    wait_for_close (fd);
  }
  char *mp = absolute (argv[optind]);
  if (mp == NULL) {
    message ("%s: %m", argv[optind]);
    return EXIT_FAILURE;
  }
  char *type = mounted_type (mp);
  if (type == NULL) {
    message ("%s is not mounted", mp);
    return EXIT_NOT_MOUNTED;
  }
  bool fuse = strncmp (type, "fuse", 4) == 0;
  free (type);
  if (!fuse) {
    message ("%s is not a FUSE mount: refusing to unmount it", mp);
    return EXIT_FAILURE;
  }
  unsigned delay = 1;
  for (int attempt = 0;; ++attempt) {
    verbose_message ("unmounting %s (attempt %d)", mp, attempt + 1);
    enum result r = unmount_once (mp);
    if (r == DONE)
      return EXIT_SUCCESS;
    if (r == NOT_MOUNTED) {
      message ("%s is not mounted", mp);
      return EXIT_NOT_MOUNTED;
    }
    if (r == FAILED)
      return EXIT_FAILURE;
    if (attempt >= retries) {
      message ("%s: still busy after %d attempt(s)", mp, attempt + 1);
      return EXIT_BUSY;
    }
    sleep (delay);
    delay *= 2;
  }
}
