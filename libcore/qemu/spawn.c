/* Starting qemu: a child in its own process group that dies with us,
 * with only the console descriptor and default signal dispositions. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileutil.h"
#include "qemu-internal.h"

int
qemu_spawn (char *const argv[], int console_fd, pid_t *pid_out,
            char *err, size_t errlen)
{
  int errpipe[2];
  pid_t parent = getpid ();
  pid_t pid;
  int child_errno = 0;
  ssize_t r;
  char *prog = find_program (argv[0]);

  if (prog == NULL) {
    set_err (err, errlen, "cannot run %s: %s", argv[0], strerror (errno));
    return -1;
  }
  if (pipe2 (errpipe, O_CLOEXEC) == -1) {
    set_err (err, errlen, "pipe: %s", strerror (errno));
    free (prog);
    return -1;
  }
  pid = fork ();
  if (pid == -1) {
    set_err (err, errlen, "fork: %s", strerror (errno));
    close (errpipe[0]);
    close (errpipe[1]);
    free (prog);
    return -1;
  }
  if (pid == 0) {
    /* Only async-signal-safe calls from here to exec. */
    sigset_t all;
    struct sigaction sa;
    int null, e;

    prctl (PR_SET_PDEATHSIG, SIGKILL);
    /* If the parent died before prctl, the death signal will never
     * come: we were already reparented. */
    if (getppid () != parent)
      _exit (1);
    setpgid (0, 0);
    sigemptyset (&all);
    sigprocmask (SIG_SETMASK, &all, NULL);
    /* Ignored signals stay ignored across exec: qemu gets defaults. */
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig)
      if (sig != SIGKILL && sig != SIGSTOP)
        sigaction (sig, &sa, NULL);
    null = open ("/dev/null", O_RDWR);
    if (null == -1)
      goto fail;
    if (console_fd == -1)
      console_fd = null;
    if (dup2 (null, 0) == -1 || dup2 (console_fd, 1) == -1 ||
        dup2 (console_fd, 2) == -1)
      goto fail;
    /* qemu must not hold the library's other descriptors (sockets,
     * the other end of pipes) or their EOFs would never arrive.  The
     * error pipe moves to fd 3; it is O_CLOEXEC and so closes itself
     * when exec succeeds. */
    if (errpipe[1] != 3) {
      if (dup3 (errpipe[1], 3, O_CLOEXEC) == -1)
        goto fail;
      errpipe[1] = 3;
    }
    if (close_range (4, ~0U, 0) == -1) {
      long max = sysconf (_SC_OPEN_MAX);
      for (long fd = 4; fd < (max > 0 ? max : 1024); ++fd)
        close ((int) fd);
    }
    execv (prog, argv);
  fail:
    e = errno;
    if (write (errpipe[1], &e, sizeof e) == -1)
      _exit (126);
    _exit (127);
  }
  close (errpipe[1]);
  free (prog);
  do
    r = read (errpipe[0], &child_errno, sizeof child_errno);
  while (r == -1 && errno == EINTR);
  close (errpipe[0]);
  if (r == sizeof child_errno) {
    while (waitpid (pid, NULL, 0) == -1 && errno == EINTR)
      ;
    set_err (err, errlen, "cannot run %s: %s", argv[0], strerror (child_errno));
    return -1;
  }
  *pid_out = pid;
  return 0;
}
