/* The syslinux, extlinux and grub groups: installing boot loaders
 * with their own tools. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"

static int
run_installer (const char *const *argv)
{
  CLEANUP_FREE char *err = NULL;
  int status = run_command (NULL, &err, argv);
  if (status == -1) {
    reply_with_perror ("%s", argv[0]);
    return -1;
  }
  return reply_if_command_failed (argv[0], status, err);
}

int
do_syslinux (const char *device, const char *directory)
{
  /* syslinux writes the FAT filesystem through mtools: no mount. */
  bool has_dir = (optargs_bitmask & 1) && directory;
  const char *argv[] = {"syslinux",
                        "--install",
                        has_dir ? "--directory" : device,
                        has_dir ? directory : NULL,
                        has_dir ? device : NULL,
                        NULL};
  return run_installer (argv);
}

int
do_extlinux (const char *directory)
{
  CLEANUP_FREE char *dir = sysroot_real_path (directory);
  if (dir == NULL) {
    reply_with_perror ("%s", directory);
    return -1;
  }
  const char *argv[] = {"extlinux", "--install", dir, NULL};
  return run_installer (argv);
}

int
do_grub_install (const char *root, const char *device)
{
  CLEANUP_FREE char *dir = sysroot_real_path (root);
  CLEANUP_FREE char *boot = NULL;
  if (dir == NULL || asprintf (&boot, "--boot-directory=%s%sboot", dir,
                               strcmp (dir, "/") == 0 ? "" : "/") == -1) {
    reply_with_perror ("%s", root);
    return -1;
  }
  const char *argv[] = {"grub-install", "--target=i386-pc", boot, device, NULL};
  return run_installer (argv);
}
