/* Servers for the remote-image tests.  See servers.h. */
#define _GNU_SOURCE 1
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "servers.h"

#define MAX_SERVERS 8

static pid_t servers[MAX_SERVERS];

static void
stop_all (void)
{
  for (size_t i = 0; i < MAX_SERVERS; ++i)
    server_stop (servers[i]);
}

static void
remember (pid_t pid)
{
  static bool registered;
  if (!registered) {
    atexit (stop_all);
    registered = true;
  }
  for (size_t i = 0; i < MAX_SERVERS; ++i)
    if (servers[i] == 0) {
      servers[i] = pid;
      return;
    }
  abort ();
}

void
server_stop (pid_t pid)
{
  if (pid <= 0)
    return;
  for (size_t i = 0; i < MAX_SERVERS; ++i)
    if (servers[i] == pid)
      servers[i] = 0;
  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
}

const char *
remote_tools_missing (void)
{
  if (system ("qemu-nbd --version >/dev/null 2>&1") != 0)
    return "qemu-nbd is not installed";
  if (system ("qemu-img info --image-opts "
              "file.driver=http,file.url=http://127.0.0.1:1/ 2>&1 | "
              "grep -q 'Unknown driver'") == 0)
    return "qemu's curl block driver is not installed (qemu-block-extra)";
  return NULL;
}

void
require_remote_tools (void)
{
  const char *why = remote_tools_missing ();
  if (why)
    skip ("%s", why);
}

/* Starts argv, its stdout into a pipe returned in *out_fd. */
static pid_t
start (char *const argv[], int *out_fd)
{
  int p[2];
  if (pipe (p) == -1)
    abort ();
  pid_t pid = fork ();
  if (pid == -1)
    abort ();
  if (pid == 0) {
    dup2 (p[1], 1);
    close (p[0]);
    close (p[1]);
    execvp (argv[0], argv);
    _exit (127);
  }
  close (p[1]);
  *out_fd = p[0];
  remember (pid);
  return pid;
}

static void
fail (const char *what)
{
  fprintf (stderr, "FAIL: %s did not start\n", what);
  exit (EXIT_FAILURE);
}

pid_t
nbd_serve_unix (const char *image, const char *sock)
{
  char *argv[] = { (char *) "qemu-nbd", (char *) "--read-only",
                   (char *) "--persistent", (char *) "--format=raw",
                   (char *) "--shared=8", (char *) "--socket", (char *) sock,
                   (char *) image, NULL };
  int out;
  pid_t pid = start (argv, &out);
  close (out);
  for (int i = 0; i < 300; ++i) {
    struct stat st;
    if (stat (sock, &st) == 0 && S_ISSOCK (st.st_mode))
      return pid;
    if (waitpid (pid, NULL, WNOHANG) == pid)
      break;
    struct timespec ts = { 0, 100 * 1000 * 1000 };
    nanosleep (&ts, NULL);
  }
  fail ("qemu-nbd");
  return -1;
}

pid_t
http_serve (const char *dir, int *port)
{
  char *argv[] = { (char *) "python3",
                   (char *) SERVERS_DIR "/http-range-server.py",
                   (char *) dir, NULL };
  int out;
  pid_t pid = start (argv, &out);
  char buf[16] = "";
  size_t got = 0;
  while (got < sizeof buf - 1 && !memchr (buf, '\n', got)) {
    ssize_t n = read (out, buf + got, sizeof buf - 1 - got);
    if (n <= 0)
      break;
    got += (size_t) n;
  }
  close (out);
  *port = memchr (buf, '\n', got) ? atoi (buf) : 0;
  if (*port <= 0)
    fail ("the HTTP server");
  return pid;
}
