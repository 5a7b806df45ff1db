/* The watcher: a small process forked at start-up, holding the read
 * end of a pipe whose write end only guestmount has.  When the pipe
 * closes without guestmount having said it is done (it was killed, even
 * by SIGKILL), the watcher detaches the mount guestmount made, so no
 * dead mount ("Transport endpoint is not connected") stays behind,
 * then exits.
 *
 * It touches only that mount: the one guestmount told it about, found
 * again in /proc/self/mountinfo by its id, mountpoint, type
 * (fuse.guestmount) and source.  libfuse's auto_unmount (a fusermount3
 * process) does the same job, but under load it has been seen to exit
 * and leave the mount; the two do not conflict, whichever comes first
 * unmounts.
 *
 * The watcher is forked before the handle exists, so it holds no FUSE
 * descriptor (which would keep a dead connection alive), no drive, no
 * socket to the appliance, and is single-threaded.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs.h"
#include "guestmount.h"
#include "mountinfo.h"
#include "options.h"
#include "watcher.h"

#define MSG_MOUNTED 'M'
#define MSG_DONE 'D'

static int watch_fd = -1;
static pid_t watcher_pid;

/* Keep only the pipe and, with -v, stderr: every other descriptor
 * (the --fd handshake, the daemonizing status pipe, the caller's
 * stdout) must close when guestmount closes it. */
static void
close_all_but (int keep)
{
  int null = open ("/dev/null", O_RDWR);
  if (null >= 0) {
    dup2 (null, 0);
    dup2 (null, 1);
    if (!config.verbose)
      dup2 (null, 2);
    close (null);
  }
  long max = sysconf (_SC_OPEN_MAX);
  for (int fd = 3; fd < (max > 0 ? max : 1024); ++fd)
    if (fd != keep)
      close (fd);
}

static bool
same_mount (const struct mount_entry *a, const struct mount_entry *b)
{
  return a->id == b->id && strcmp (a->fstype, b->fstype) == 0 &&
         strcmp (a->source, b->source) == 0;
}

static void __attribute__ ((noreturn))
watch (int fd, const char *mountpoint)
{
  /* A session of its own: the terminal's signals are for guestmount. */
  setsid ();
  signal (SIGINT, SIG_IGN);
  signal (SIGHUP, SIG_IGN);
  close_all_but (fd);
  forget_keys (&setup); /* guestmount has them */
  struct mount_entry ours;
  bool mounted = false;
  for (;;) {
    char c;
    ssize_t r = read (fd, &c, 1);
    if (r == -1 && errno == EINTR)
      continue;
    if (r == 1 && c == MSG_DONE)
      _exit (EXIT_SUCCESS);
    if (r == 1 && c == MSG_MOUNTED)
      mounted = mountinfo_at (mountpoint, &ours) &&
                strcmp (ours.fstype, "fuse.guestmount") == 0;
    if (r <= 0)
      break;
  }
  /* guestmount is gone without unmounting. */
  struct mount_entry now;
  if (mounted && mountinfo_at (mountpoint, &now) && same_mount (&ours, &now)) {
    debug ("watcher: guestmount died: detaching %s", mountpoint);
    if (fs_unmount (mountpoint, true) == -1)
      gm_message ("%s: could not unmount after guestmount died: %m",
                  mountpoint);
  }
  _exit (EXIT_SUCCESS);
}

int
watcher_start (const char *mountpoint)
{
  int fds[2];
  if (pipe2 (fds, O_CLOEXEC) == -1) {
    gm_message ("pipe: %m");
    return -1;
  }
  pid_t pid = fork ();
  if (pid == -1) {
    gm_message ("fork: %m");
    close (fds[0]);
    close (fds[1]);
    return -1;
  }
  if (pid == 0)
    watch (fds[0], mountpoint);
  close (fds[0]);
  watch_fd = fds[1];
  watcher_pid = pid;
  return 0;
}

static void
tell (char c)
{
  if (watch_fd >= 0 && write (watch_fd, &c, 1) != 1)
    debug ("watcher: %m");
}

void
watcher_mounted (void)
{
  tell (MSG_MOUNTED);
}

void
watcher_done (void)
{
  if (watch_fd < 0)
    return;
  tell (MSG_DONE);
  close (watch_fd);
  watch_fd = -1;
  while (waitpid (watcher_pid, NULL, 0) == -1 && errno == EINTR)
    ;
}
