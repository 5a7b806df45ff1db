/* Running the guest's own programs, chrooted into the sysroot. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "daemon-actions.h"

/* On the host the sysroot is a scratch directory: a chroot there would
 * still run its binaries with the daemon's rights on the host. */
static int
refuse_on_host (void)
{
  if (!host_mode)
    return 0;
  reply_with_error_errno (EPERM, "running guest programs is not allowed "
                          "when the daemon runs on the host (they would "
                          "run as host programs)");
  return -1;
}

static char *
run_in_guest (const char *const *argv)
{
  if (refuse_on_host () == -1)
    return NULL;
  if (argv[0] == NULL || argv[0][0] == '\0') {
    reply_with_error_errno (EINVAL, "arguments: no program to run");
    return NULL;
  }
  struct command_opts opts = COMMAND_OPTS_INIT;
  opts.chroot_sysroot = true;
  char *out = NULL, *err = NULL;
  int status = run_command_opts (&out, &err, argv, &opts);
  if (status == -1) {
    if (errno == E2BIG)
      reply_with_error_errno (E2BIG, "%s: the output does not fit in a "
                              "reply (see PROTOCOL LIMITS)", argv[0]);
    else
      reply_with_perror ("%s", argv[0]);
    free (err);
    return NULL;
  }
  int r = reply_if_command_failed (argv[0], status, err);
  free (err);
  if (r == -1) {
    free (out);
    return NULL;
  }
  return out;
}

char *
do_command (char *const *arguments)
{
  return run_in_guest ((const char *const *) arguments);
}

char **
do_command_lines (char *const *arguments)
{
  return split_lines (do_command (arguments));
}

char *
do_sh (const char *command)
{
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  return run_in_guest (argv);
}

char **
do_sh_lines (const char *command)
{
  return split_lines (do_sh (command));
}
