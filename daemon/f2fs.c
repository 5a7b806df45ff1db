/* The f2fs group: growing an f2fs filesystem with resize.f2fs. */
#include <config.h>

#include <stdlib.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"

int
do_f2fs_expand (const char *device)
{
  const char *argv[] = {"resize.f2fs", device, NULL};
  CLEANUP_FREE char *err = NULL;
  int status = run_command (NULL, &err, argv);
  if (status == -1) {
    reply_with_perror ("resize.f2fs");
    return -1;
  }
  return reply_if_command_failed ("resize.f2fs", status, err);
}
