/* guestfsd: the daemon that serves the library's requests.
 *
 * In the appliance, init starts it with no arguments: it opens the
 * virtio-serial port, sends the launch flag and serves requests on the
 * filesystems mounted under /sysroot.  For tests it runs on the host
 * with --sysroot DIR --listen -c SOCKET, unprivileged, against a
 * scratch directory.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon.h"
#include "wire.h"

#define CHANNEL_DIR "/dev/virtio-ports/"
#define CHANNEL_PREFIX "org.libguestfs.channel."
#define DEFAULT_CHANNEL CHANNEL_DIR CHANNEL_PREFIX "0"
/* Extra channels: org.libguestfs.channel.1 ... in the appliance, or
 * more connections to the --listen socket.  The library opens them for
 * requests that may overlap (guestmount's reads); see serve_extra. */
#define MAX_EXTRA_CHANNELS 8
#define APPLIANCE_SYSROOT "/sysroot"

bool verbose;
const char *sysroot = APPLIANCE_SYSROOT;
size_t sysroot_len = sizeof APPLIANCE_SYSROOT - 1;
bool host_mode;
static bool network;

static void
usage (FILE *f)
{
  fprintf (f,
           "guestfsd: the guest filesystem daemon\n"
           "Usage: guestfsd [OPTIONS]\n"
           "Options:\n"
           "  -c, --channel PATH|fd:N  talk over PATH or descriptor N\n"
           "                           (default " DEFAULT_CHANNEL ")\n"
           "  -l, --listen             create the channel as a Unix socket\n"
           "                           and accept one connection\n"
           "  -n, --network            enable network features\n"
           "  -r                       use / as the root instead of "
           APPLIANCE_SYSROOT "\n"
           "                           and leave filesystems mounted\n"
           "      --sysroot DIR        use DIR as the root (testing on the\n"
           "                           host; devices are refused)\n"
           "  -v, --verbose            verbose messages\n"
           "  -V, --version            print the version and exit\n"
           "  -?, --help               this help\n");
}

/* guestfs_* flags on the kernel command line configure the appliance
 * daemon; on the host they would be the host's, so they are skipped. */
static void
read_cmdline_flags (char **channel)
{
  FILE *f = fopen ("/proc/cmdline", "r");
  if (!f)
    return;
  char *line = NULL;
  size_t n = 0;
  if (getline (&line, &n, f) > 0) {
    char *save = NULL;
    for (char *w = strtok_r (line, " \t\n", &save); w;
         w = strtok_r (NULL, " \t\n", &save)) {
      if (strcmp (w, "guestfs_verbose=1") == 0)
        verbose = true;
      else if (strcmp (w, "guestfs_network=1") == 0)
        network = true;
      else if (strncmp (w, "guestfs_channel=", 16) == 0 && *channel == NULL)
        *channel = strdup (w + 16);
    }
  }
  free (line);
  fclose (f);
}

/* The socket is bound under a temporary name and renamed into place
 * once it listens: whoever waits for path to appear (the tests, a
 * script) can then connect at once, instead of racing bind() and
 * listen() and getting ECONNREFUSED.  The first connection is the main
 * one; the socket stays open for extra connections (accept_extra)
 * until the main one ends. */
static int
listen_socket (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if (strlen (path) + 4 >= sizeof addr.sun_path) {
    fprintf (stderr, "guestfsd: %s: socket path is too long\n", path);
    return -1;
  }
  snprintf (addr.sun_path, sizeof addr.sun_path, "%s.new", path);
  int s = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s == -1) {
    perror ("guestfsd: socket");
    return -1;
  }
  unlink (addr.sun_path);
  if (bind (s, (struct sockaddr *) &addr, sizeof addr) == -1 ||
      listen (s, MAX_EXTRA_CHANNELS + 1) == -1 ||
      rename (addr.sun_path, path) == -1) {
    fprintf (stderr, "guestfsd: %s: %m\n", path);
    unlink (addr.sun_path);
    close (s);
    return -1;
  }
  return s;
}

/* An extra connection: served beside the main one in a thread with a
 * working directory and umask of its own (listing.c changes into the
 * directory it lists; creating a file clears the umask for a moment),
 * so nothing one connection does to them is seen by another. */
static void *
serve_extra (void *arg)
{
  int sock = (int) (intptr_t) arg;
  if (unshare (CLONE_FS) == -1)
    fprintf (stderr, "guestfsd: unshare: %m\n");
  else
    serve_connection (sock, false);
  close (sock);
  return NULL;
}

static void
start_extra (int sock)
{
  if (start_thread (serve_extra, (void *) (intptr_t) sock) == -1) {
    fprintf (stderr, "guestfsd: extra channel: %m\n");
    close (sock);
  }
}

static void *
accept_extra (void *arg)
{
  int listener = (int) (intptr_t) arg;
  for (int n = 0; n < MAX_EXTRA_CHANNELS; ++n) {
    int c = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
    if (c == -1) {
      perror ("guestfsd: accept");
      break;
    }
    debug ("extra connection %d", n + 1);
    start_extra (c);
  }
  return NULL;
}

/* The appliance's extra virtio-serial ports, as opened. */
static int extra_ports[MAX_EXTRA_CHANNELS];
static int nr_extra_ports;

/* The appliance's extra virtio-serial ports, each if it exists. */
static void
open_extra_ports (void)
{
  for (int n = 1; n <= MAX_EXTRA_CHANNELS; ++n) {
    char path[64];
    snprintf (path, sizeof path, CHANNEL_DIR CHANNEL_PREFIX "%d", n);
    int fd = open (path, O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd == -1)
      break;
    debug ("extra channel %s", path);
    extra_ports[nr_extra_ports++] = fd;
    start_extra (fd);
  }
}

void
announce_extra_ports (void)
{
  char flag[4];
  wire_put_u32 (flag, GUESTFS_LAUNCH_FLAG);
  for (int i = 0; i < nr_extra_ports; ++i)
    if (wire_write_full (extra_ports[i], flag, sizeof flag) == -1)
      fprintf (stderr, "guestfsd: extra channel %d: %m\n", i + 1);
}

static int
connect_socket (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if (strlen (path) >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  strcpy (addr.sun_path, path);
  int s = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s == -1)
    return -1;
  if (connect (s, (struct sockaddr *) &addr, sizeof addr) == -1) {
    int saved = errno;
    close (s);
    errno = saved;
    return -1;
  }
  return s;
}

static int
open_channel (const char *channel, bool listen_mode)
{
  bool is_default = strcmp (channel, DEFAULT_CHANNEL) == 0;
  if (strncmp (channel, "fd:", 3) == 0) {
    char *end;
    errno = 0;
    long fd = strtol (channel + 3, &end, 10);
    if (errno || *end || end == channel + 3 || fd < 0 || fd > 65535 ||
        fcntl (fd, F_GETFD) == -1) {
      fprintf (stderr, "guestfsd: %s: not an open file descriptor\n",
               channel);
      return -1;
    }
    return fd;
  }
  if (listen_mode) {
    int listener = listen_socket (channel);
    if (listener == -1)
      return -1;
    int c = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
    if (c == -1)
      perror ("guestfsd: accept");
    else if (start_thread (accept_extra, (void *) (intptr_t) listener) == -1)
      perror ("guestfsd: accept thread");
    return c;
  }
  struct stat st;
  if (stat (channel, &st) == 0 && S_ISSOCK (st.st_mode)) {
    int s = connect_socket (channel);
    if (s == -1)
      fprintf (stderr, "guestfsd: connect %s: %m\n", channel);
    return s;
  }
  int fd = open (channel, O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd == -1)
    fprintf (stderr, "guestfsd: open %s: %m\n", channel);
  else if (is_default)
    open_extra_ports ();
  return fd;
}

static int
use_scratch_sysroot (const char *dir)
{
  char *real = realpath (dir, NULL);
  if (real == NULL) {
    fprintf (stderr, "guestfsd: --sysroot %s: %m\n", dir);
    return -1;
  }
  if (strcmp (real, "/") == 0) {
    fprintf (stderr, "guestfsd: --sysroot must not be the host's /; use -r "
                     "for that\n");
    free (real);
    return -1;
  }
  sysroot = real;
  sysroot_len = strlen (real);
  host_mode = true;
  return 0;
}

enum { OPT_SYSROOT = 256 };

int
main (int argc, char *argv[])
{
  static const struct option long_options[] = {
    { "channel", required_argument, NULL, 'c' },
    { "help", no_argument, NULL, 'h' },
    { "listen", no_argument, NULL, 'l' },
    { "network", no_argument, NULL, 'n' },
    { "sysroot", required_argument, NULL, OPT_SYSROOT },
    { "verbose", no_argument, NULL, 'v' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
  };
  char *channel = NULL;
  bool listen_mode = false, live = false;
  const char *scratch = NULL;
  int c;

  /* Not an option for users: the daemon runs itself this way. */
  if (argc == 4 && strcmp (argv[1], RPM_LIST_OPTION) == 0)
    return rpm_list_database (argv[2], argv[3]);

  opterr = 0;
  while ((c = getopt_long (argc, argv, "c:lnrvV?", long_options, NULL)) !=
         -1) {
    switch (c) {
    case 'c': free (channel); channel = strdup (optarg); break;
    case 'l': listen_mode = true; break;
    case 'n': network = true; break;
    case 'r': live = true; break;
    case 'v': verbose = true; break;
    case 'V': printf ("guestfsd %s\n", PACKAGE_VERSION); return EXIT_SUCCESS;
    case OPT_SYSROOT: scratch = optarg; break;
    case 'h': usage (stdout); return EXIT_SUCCESS;
    case '?':
      if (strcmp (argv[optind - 1], "-?") == 0) {
        usage (stdout);
        return EXIT_SUCCESS;
      }
      fprintf (stderr, "guestfsd: unknown or incomplete option %s\n",
               argv[optind - 1]);
      usage (stderr);
      return EXIT_FAILURE;
    }
  }
  if (optind < argc) {
    fprintf (stderr, "guestfsd: unexpected argument %s\n", argv[optind]);
    return EXIT_FAILURE;
  }
  if (scratch && live) {
    fprintf (stderr, "guestfsd: -r and --sysroot cannot be combined\n");
    return EXIT_FAILURE;
  }
  if (scratch && use_scratch_sysroot (scratch) == -1)
    return EXIT_FAILURE;
  if (live) {
    sysroot = "";
    sysroot_len = 0;
  }
  if (!host_mode)
    read_cmdline_flags (&channel);
  if (channel == NULL) {
    if (listen_mode) {
      fprintf (stderr, "guestfsd: --listen needs --channel PATH\n");
      return EXIT_FAILURE;
    }
    channel = strdup (DEFAULT_CHANNEL);
  }
  if (network && !host_mode)
    network_up ();

  signal (SIGPIPE, SIG_IGN);
  umask (022);
  if (!host_mode && !live)
    mkdir (APPLIANCE_SYSROOT, 0755);

  int sock = open_channel (channel, listen_mode);
  CLEANUP_FREE char *socket_path = channel;
  if (sock == -1)
    return EXIT_FAILURE;
  debug ("serving, sysroot \"%s\"", sysroot);
  serve_connection (sock, true);
  close (sock);
  if (listen_mode)
    unlink (socket_path);
  sync ();
  return EXIT_SUCCESS;
}
