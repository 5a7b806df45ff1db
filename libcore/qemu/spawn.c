/* Starting qemu: a child in its own process group that dies with the
 * process, with only stdio, the passed descriptors and default signal
 * dispositions, optionally as another user.  Every fork is made by one
 * process-lifetime thread (see spawner_main). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileutil.h"
#include "qemu-internal.h"

extern char **environ;


/* In the child: a copy of fd numbered at least min (and so out of the
 * way of the numbers being set up), or -1. */
static int
above (int fd, int min)
{
  return fd < 0 ? -1 : fcntl (fd, F_DUPFD, min);
}

/* In the child, between fork and exec: only async-signal-safe calls.
 * Descriptors first go above every number being set up, whatever
 * numbers they had (the caller may have started with 0, 1 or 2 closed,
 * so a pipe can be one of them), then land on 0-2, 3 (the error pipe)
 * and QEMU_FIRST_PASSED_FD onwards. */
static void __attribute__ ((noreturn))
spawn_child (const char *prog, char *const argv[],
             const struct qemu_spawn_opts *o, int errfd, pid_t parent)
{
  sigset_t all;
  struct sigaction sa;
  int e;

  setpgid (0, 0);
  sigemptyset (&all);
  sigprocmask (SIG_SETMASK, &all, NULL);
  /* Ignored signals stay ignored across exec: qemu gets defaults. */
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP)
      sigaction (sig, &sa, NULL);

  int min = QEMU_FIRST_PASSED_FD + (int) o->npass;
  int err = above (errfd, min);
  int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
  int nul = above (null, min);
  int con = o->console_fd >= 0 ? above (o->console_fd, min) : nul;
  int pass[QEMU_MAX_PASSED_FDS];
  bool ok = err >= 0 && nul >= 0 && con >= 0;
  for (size_t i = 0; ok && i < o->npass; ++i)
    ok = (pass[i] = above (o->pass_fds[i], min)) >= 0;
  if (err >= 0)
    errfd = err;
  if (!ok || dup2 (nul, 0) == -1 || dup2 (con, 1) == -1 ||
      dup2 (con, 2) == -1 || dup3 (errfd, 3, O_CLOEXEC) == -1)
    goto fail;
  errfd = 3;
  for (size_t i = 0; i < o->npass; ++i)
    if (dup2 (pass[i], QEMU_FIRST_PASSED_FD + (int) i) == -1)
      goto fail;
  /* qemu must not hold the library's other descriptors (sockets, the
   * other end of pipes) or their EOFs would never arrive. */
  if (close_range (min, ~0U, 0) == -1) {
    long max = sysconf (_SC_OPEN_MAX);
    for (long fd = min; fd < (max > 0 ? max : 1024); ++fd)
      close ((int) fd);
  }
  if (o->drop_privileges &&
      (setgroups (o->ngroups, o->groups) == -1 ||
       setresgid (o->gid, o->gid, o->gid) == -1 ||
       setresuid (o->uid, o->uid, o->uid) == -1))
    goto fail;
  /* After the change of credentials, which clears it.  The spawning
   * thread lives as long as the process (see spawner_main), so qemu
   * dies with the process, even SIGKILLed, and with nothing else. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != parent)
    _exit (1);
  execve (prog, argv, o->envp ? o->envp : environ);
fail:
  e = errno;
  if (write (errfd, &e, sizeof e) == -1)
    _exit (126);
  _exit (127);
}

struct spawn_job {
  char *const *argv;
  const struct qemu_spawn_opts *opts;
  pid_t pid;
  char *err;
  size_t errlen;
  int r;
  bool done;
};

static int
spawn_now (struct spawn_job *j)
{
  int errpipe[2];
  pid_t parent = getpid ();
  int child_errno = 0;
  ssize_t r;
  char *prog = find_program (j->argv[0]);

  if (prog == NULL) {
    set_err (j->err, j->errlen, "cannot run %s: %s", j->argv[0],
             strerror (errno));
    return -1;
  }
  if (pipe2 (errpipe, O_CLOEXEC) == -1) {
    set_err (j->err, j->errlen, "pipe: %s", strerror (errno));
    free (prog);
    return -1;
  }
  pid_t pid = fork ();
  if (pid == -1) {
    set_err (j->err, j->errlen, "fork: %s", strerror (errno));
    close (errpipe[0]);
    close (errpipe[1]);
    free (prog);
    return -1;
  }
  if (pid == 0)
    spawn_child (prog, j->argv, j->opts, errpipe[1], parent);
  close (errpipe[1]);
  free (prog);
  do
    r = read (errpipe[0], &child_errno, sizeof child_errno);
  while (r == -1 && errno == EINTR);
  close (errpipe[0]);
  if (r == sizeof child_errno) {
    while (waitpid (pid, NULL, 0) == -1 && errno == EINTR)
      ;
    set_err (j->err, j->errlen, "cannot run %s: %s", j->argv[0],
             strerror (child_errno));
    return -1;
  }
  j->pid = pid;
  return 0;
}

/* PR_SET_PDEATHSIG fires when the *thread* that forked exits, so a
 * program that launches from a short-lived thread would lose its
 * appliance with that thread.  Every fork is made by this one thread,
 * started at the first spawn, which never exits: the death signal then
 * follows the process. */
static pthread_mutex_t spawner_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t spawner_cond = PTHREAD_COND_INITIALIZER;
static struct spawn_job *spawner_job;
static bool spawner_running;

static void *
spawner_main (void *arg)
{
  (void) arg;
  pthread_mutex_lock (&spawner_lock);
  for (;;) {
    while (spawner_job == NULL || spawner_job->done)
      pthread_cond_wait (&spawner_cond, &spawner_lock);
    spawner_job->r = spawn_now (spawner_job);
    spawner_job->done = true;
    pthread_cond_broadcast (&spawner_cond);
  }
  return NULL;
}

/* A forked child of the program has no spawner thread. */
static void
spawner_after_fork (void)
{
  pthread_mutex_init (&spawner_lock, NULL);
  pthread_cond_init (&spawner_cond, NULL);
  spawner_job = NULL;
  spawner_running = false;
}

static void
register_atfork (void)
{
  pthread_atfork (NULL, NULL, spawner_after_fork);
}

static int
start_spawner (char *err, size_t errlen)
{
  static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
  pthread_once (&atfork_once, register_atfork);
  if (spawner_running)
    return 0;
  sigset_t all, old;
  sigfillset (&all);
  pthread_sigmask (SIG_SETMASK, &all, &old); /* signals are the program's */
  pthread_t t;
  int r = pthread_create (&t, NULL, spawner_main, NULL);
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  if (r != 0) {
    set_err (err, errlen, "pthread_create: %s", strerror (r));
    return -1;
  }
  pthread_detach (t);
  spawner_running = true;
  return 0;
}

int
qemu_spawn (char *const argv[], const struct qemu_spawn_opts *opts,
            pid_t *pid_out, char *err, size_t errlen)
{
  if (opts->npass > QEMU_MAX_PASSED_FDS) {
    set_err (err, errlen, "too many descriptors for qemu (%zu)",
             opts->npass);
    return -1;
  }
  struct spawn_job j = {
    .argv = argv, .opts = opts, .err = err, .errlen = errlen,
  };
  pthread_mutex_lock (&spawner_lock);
  if (start_spawner (err, errlen) == -1) {
    pthread_mutex_unlock (&spawner_lock);
    return -1;
  }
  while (spawner_job != NULL)
    pthread_cond_wait (&spawner_cond, &spawner_lock);
  spawner_job = &j;
  pthread_cond_broadcast (&spawner_cond);
  while (!j.done)
    pthread_cond_wait (&spawner_cond, &spawner_lock);
  spawner_job = NULL;
  pthread_cond_broadcast (&spawner_cond);
  pthread_mutex_unlock (&spawner_lock);
  if (j.r == 0)
    *pid_out = j.pid;
  return j.r;
}
