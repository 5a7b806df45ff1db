/* The linuxmodules group: loading kernel modules into the appliance's
 * kernel with modprobe. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"

static bool
is_module_name (const char *name)
{
  if (*name == '\0' || *name == '-')
    return false;
  for (const char *p = name; *p; ++p)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
      return false;
  return true;
}

int
do_modprobe (const char *modulename)
{
  if (!is_module_name (modulename)) {
    reply_with_error_errno (EINVAL, "%s: not a module name", modulename);
    return -1;
  }
  const char *argv[] = {"modprobe", "--", modulename, NULL};
  CLEANUP_FREE char *err = NULL;
  int status = run_command (NULL, &err, argv);
  if (status == -1) {
    reply_with_perror ("modprobe");
    return -1;
  }
  if (status != 0 && err && strstr (err, "not found")) {
    CLEANUP_FREE char *msg = one_line_message (err);
    reply_with_error_errno (ENOENT, "%s", msg ? msg : modulename);
    return -1;
  }
  return reply_if_command_failed ("modprobe", status, err);
}
