/* NTFS maintenance with ntfs-3g's tools: probing and fixing, images
 * (ntfsclone) and files by inode (ntfscat). */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ntfsclone's options for the optional arguments of ntfsclone_out, in
 * the table's order. */
static const char *const ntfsclone_out_options[] = {
  "--metadata", "--rescue", "--ignore-fs-check", "--preserve-timestamps",
  "--force",
};
#define NTFSCLONE_OUT_OPTIONS                                                \
  (sizeof ntfsclone_out_options / sizeof ntfsclone_out_options[0])

int
do_ntfsclone_out (const char *device, int metadataonly, int rescue,
                  int ignorefscheck, int preservetimestamps, int force)
{
  const int values[NTFSCLONE_OUT_OPTIONS] = {
    metadataonly, rescue, ignorefscheck, preservetimestamps, force,
  };
  const char *argv[6 + NTFSCLONE_OUT_OPTIONS];
  size_t n = 0;
  argv[n++] = "ntfsclone";
  argv[n++] = "--save-image";
  argv[n++] = "--output";
  argv[n++] = "-";
  for (size_t i = 0; i < NTFSCLONE_OUT_OPTIONS; ++i)
    if (OPTARG_SET (i) && values[i])
      argv[n++] = ntfsclone_out_options[i];
  argv[n++] = device;
  argv[n] = NULL;
  struct command_opts opts = COMMAND_OPTS_INIT;
  return command_send_output (device, argv, &opts, NULL, NULL);
}

int
do_ntfsclone_in (const char *device)
{
  const char *argv[] = {"ntfsclone", "--restore-image", "--overwrite",
                        device, "-", NULL};
  struct command_opts opts = COMMAND_OPTS_INIT;
  return command_receive_input (device, argv, &opts);
}

int
do_ntfscat_i (const char *device, int64_t inode)
{
  if (strncmp (device, "btrfsvol:", 9) == 0) {
    reply_with_error_errno (EINVAL, "%s: a btrfs subvolume is not NTFS",
                            device);
    return -1;
  }
  if (inode < 0) {
    reply_with_error_errno (EINVAL, "inode: %" PRIi64 " is negative", inode);
    return -1;
  }
  char num[32];
  snprintf (num, sizeof num, "%" PRIi64, inode);
  const char *argv[] = {"ntfscat", "--inode", num, device, NULL};
  struct command_opts opts = COMMAND_OPTS_INIT;
  return command_send_output (device, argv, &opts, NULL, NULL);
}
