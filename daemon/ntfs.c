/* NTFS maintenance with ntfs-3g's tools: probing and fixing. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "daemon-actions.h"
#include "storage.h"

int
do_ntfs_3g_probe (int rw, const char *device)
{
  const char *argv[] = {"ntfs-3g.probe", rw ? "--readwrite" : "--readonly",
                        device, NULL};
  char *err = NULL;
  int r = run_capture (argv, NULL, &err);
  /* Its exit status is the answer; only not running it is an error. */
  if (r == -1 || r >= 128)
    reply_with_program_error (0, "ntfs-3g.probe", r, err, "%s", device);
  free (err);
  return r == -1 || r >= 128 ? -1 : r;
}

int
do_ntfsfix (const char *device, int clearbadsectors)
{
  const char *argv[] = {"ntfsfix",
                        OPTARG_SET (0) && clearbadsectors ? "-b" : device,
                        device, NULL};
  if (argv[1] == device)
    argv[2] = NULL;
  return run_or_reply (device, argv, NULL);
}
