/* The control thread: unmount on SIGINT, SIGTERM or SIGHUP, or when
 * the daemon goes away; once a second, expire the cache and send
 * writes and releases that have waited too long.
 *
 * The mount is taken down by unmounting it while the FUSE loop is
 * still serving, so that whatever the kernel still has to say (a
 * last release, a flush) is answered; the loop then ends by itself.
 * A busy mount is detached instead (it disappears from the namespace
 * and ends when its last user leaves).  If the daemon is gone, or a
 * second signal arrives, nothing can be saved by waiting: the loop is
 * stopped, which aborts the FUSE connection.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"
#include "fileio.h"
#include "fs.h"

static int sigfd = -1;
static int wake_pipe[2] = { -1, -1 };
static pthread_t thread, main_thread;
static bool started;
static char *mountpoint;
static struct fuse_session *session;
static atomic_bool lost;
static atomic_bool loop_done;
static int signals_seen;

static void
wake (char c)
{
  if (wake_pipe[1] >= 0 && write (wake_pipe[1], &c, 1) == -1)
    return; /* the pipe is full: the thread is awake anyway */
}

void
control_daemon_lost (void)
{
  if (!atomic_exchange (&lost, true)) {
    gm_message ("the appliance or daemon went away: unmounting %s",
                mountpoint ? mountpoint : "");
    wake ('L');
  }
}

bool
control_daemon_was_lost (void)
{
  return atomic_load (&lost);
}

/* Unmount; a busy mount is detached.  The loop ends once the kernel
 * lets go of the mount. */
static void
unmount (bool lazy)
{
  debug ("unmounting %s%s", mountpoint, lazy ? " (lazily)" : "");
  if (!lazy && fs_unmount (mountpoint, false) == 0)
    return;
  if (fs_unmount (mountpoint, true) == -1)
    debug ("unmount %s: %s", mountpoint, strerror (errno));
}

static void
wake_handler (int sig)
{
  (void) sig;
}

/* Stop the FUSE loop now.  Its main thread waits in a semaphore that
 * a signal interrupts: keep poking until it has left. */
static void
stop_loop (void)
{
  fuse_session_exit (session);
  for (int i = 0; i < 100 && !atomic_load (&loop_done); ++i) {
    pthread_kill (main_thread, SIGUSR2);
    usleep (50000);
  }
}

static void
on_signal (void)
{
  struct signalfd_siginfo si;
  if (read (sigfd, &si, sizeof si) != sizeof si)
    return;
  ++signals_seen;
  debug ("signal %u", si.ssi_signo);
  if (signals_seen == 1)
    unmount (false);
  else
    stop_loop ();
}

static void *
control_main (void *arg)
{
  (void) arg;
  for (;;) {
    struct pollfd fds[2] = {
      { .fd = sigfd, .events = POLLIN },
      { .fd = wake_pipe[0], .events = POLLIN },
    };
    int r = poll (fds, 2, 1000);
    if (r == -1 && errno != EINTR)
      break;
    if (r <= 0) {
      fs_maintenance ();
      continue;
    }
    if (fds[0].revents & POLLIN)
      on_signal ();
    if (fds[1].revents & POLLIN) {
      char c;
      if (read (wake_pipe[0], &c, 1) != 1)
        continue;
      if (c == 'Q')
        break;
      if (c == 'L') {
        unmount (true);
        /* Let the requests that failed reach their callers (EIO); if
         * users keep the detached mount alive, abort it. */
        for (int i = 0; i < 40 && !atomic_load (&loop_done); ++i)
          usleep (50000);
        stop_loop ();
      }
    }
  }
  return NULL;
}

int
control_block_signals (void)
{
  sigset_t set;
  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGHUP);
  if (pthread_sigmask (SIG_BLOCK, &set, NULL) != 0)
    return -1;
  sigfd = signalfd (-1, &set, SFD_CLOEXEC);
  return sigfd == -1 ? -1 : 0;
}

int
control_start (const char *mp, struct fuse_session *se)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = wake_handler; /* no SA_RESTART: interrupts sem_wait */
  sigaction (SIGUSR2, &sa, NULL);
  mountpoint = strdup (mp);
  session = se;
  main_thread = pthread_self ();
  if (mountpoint == NULL || pipe2 (wake_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
    return -1;
  if (pthread_create (&thread, NULL, control_main, NULL) != 0)
    return -1;
  started = true;
  return 0;
}

void
control_loop_done (void)
{
  atomic_store (&loop_done, true);
}

void
control_stop (void)
{
  if (started) {
    wake ('Q');
    pthread_join (thread, NULL);
    started = false;
  }
  free (mountpoint);
  mountpoint = NULL;
}
