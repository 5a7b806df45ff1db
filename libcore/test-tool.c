/* guestfs-test-tool: the first thing to run when launch fails.
 *
 * Prints the environment, the qemu version, the accelerator verdict
 * and why, and where the appliance is; then boots it, makes a scratch
 * disk, partitions it, makes and mounts a filesystem and writes a file,
 * timing each step.  Exit status 0 means the whole chain works.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "guestfs.h"
#include "appliance.h"
#include "qemu.h"

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double step_start;

static void
begin (const char *what)
{
  printf ("%-44s", what);
  fflush (stdout);
  step_start = now ();
}

static void
done (int ok)
{
  printf ("%s  %6.2f s\n", ok ? "ok  " : "FAIL", now () - step_start);
}

static void
print_environment (void)
{
  struct utsname u;
  if (uname (&u) == 0)
    printf ("host:         %s %s %s\n", u.sysname, u.release, u.machine);
  printf ("library:      " PACKAGE_NAME " " PACKAGE_VERSION "\n");
  extern char **environ;
  for (char **e = environ; *e; ++e)
    if (strncmp (*e, "LIBGUESTFS_", 11) == 0 || strncmp (*e, "TMPDIR=", 7) ==
        0 || strncmp (*e, "XDG_CACHE_HOME=", 15) == 0)
      printf ("env:          %s\n", *e);
}

static void
print_qemu_version (const char *qemu)
{
  char *cmd;
  if (asprintf (&cmd, "'%s' -version 2>&1 | head -1", qemu) == -1)
    return;
  printf ("qemu:         %s\n              ", qemu);
  fflush (stdout);
  if (system (cmd) != 0)
    printf ("(could not run it)\n");
  free (cmd);
}

static void
print_accel (const char *qemu, const char *cachedir)
{
  const char *s = getenv ("LIBGUESTFS_BACKEND_SETTINGS");
  unsigned flags = qemu_accel_flags_from_settings (s ? s : "");
  char reason[512];
  enum qemu_accel_choice c =
    qemu_choose_accel (qemu, cachedir, flags, 0, reason, sizeof reason);
  printf ("accelerator:  %s (%s)\n", c == QEMU_ACCEL_KVM ? "kvm" : "tcg",
          reason);
}

static int
print_appliance (const char *cachedir)
{
  char err[4096];
  struct appliance_files ap = { NULL, NULL, NULL };
  const char *path = getenv ("LIBGUESTFS_PATH");
  begin ("find or build the appliance");
  int r = appliance_locate (path, appliance_default_supermin_d (), cachedir,
                            0, NULL, NULL, &ap, err, sizeof err);
  done (r == 0);
  if (r == -1) {
    printf ("  %s\n", err);
    return -1;
  }
  printf ("  kernel:     %s\n  initrd:     %s\n  root:       %s\n",
          ap.kernel, ap.initrd, ap.root ? ap.root : "(none)");
  appliance_files_free (&ap);
  return 0;
}

/* Run one step; on failure print the library's error and give up. */
#define STEP(what, call)                                                     \
  do {                                                                       \
    begin (what);                                                            \
    int ok_ = (call) != -1;                                                  \
    done (ok_);                                                              \
    if (!ok_) {                                                              \
      printf ("  %s\n", guestfs_last_error (g));                             \
      guestfs_close (g);                                                     \
      return EXIT_FAILURE;                                                   \
    }                                                                        \
  } while (0)

static int
exercise_appliance (void)
{
  guestfs_h *g = guestfs_create ();
  if (g == NULL) {
    perror ("guestfs_create");
    return EXIT_FAILURE;
  }
  guestfs_set_error_handler (g, NULL, NULL);
  /* What this tool checks is the boot: never the saved appliance. */
  if (guestfs_set_backend_setting (g, "saved_appliance", "0") == -1) {
    printf ("  %s\n", guestfs_last_error (g));
    guestfs_close (g);
    return EXIT_FAILURE;
  }
  double t0 = now ();
  STEP ("add a 100 MiB scratch disk",
        guestfs_add_drive_scratch (g, 100 * 1024 * 1024, -1));
  STEP ("launch the appliance", guestfs_launch (g));
  STEP ("partition it (MBR)", guestfs_part_disk (g, "/dev/sda", "mbr"));
  STEP ("make an ext4 filesystem", guestfs_mkfs (g, "ext4", "/dev/sda1"));
  STEP ("mount it", guestfs_mount (g, "/dev/sda1", "/"));
  STEP ("write a file", guestfs_write (g, "/hello", "hello\n", 6));
  begin ("read it back");
  char *s = guestfs_cat (g, "/hello");
  done (s && strcmp (s, "hello\n") == 0);
  free (s);
  STEP ("shut down (unmount, sync, stop qemu)", guestfs_shutdown (g));
  guestfs_close (g);
  printf ("%-44s      %6.2f s\n", "total", now () - t0);
  return EXIT_SUCCESS;
}

int
main (int argc, char *argv[])
{
  static const struct option opts[] = {
    { "help", no_argument, NULL, 'h' },
    { "verbose", no_argument, NULL, 'v' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
  };
  int c;
  while ((c = getopt_long (argc, argv, "hvV", opts, NULL)) != -1) {
    switch (c) {
    case 'v': setenv ("LIBGUESTFS_DEBUG", "1", 1); break;
    case 'V': printf ("guestfs-test-tool " PACKAGE_VERSION "\n"); return 0;
    case 'h':
      printf ("usage: guestfs-test-tool [-v]\n"
              "Check that the appliance can boot, step by step.\n");
      return EXIT_SUCCESS;
    default:
      return EXIT_FAILURE;
    }
  }
  print_environment ();
  const char *qemu = qemu_default_binary ();
  print_qemu_version (qemu);
  char *cachedir = appliance_default_cachedir ();
  printf ("cache:        %s\n", cachedir ? cachedir : "(none)");
  print_accel (qemu, cachedir);
  int r = print_appliance (cachedir);
  free (cachedir);
  if (r == -1)
    return EXIT_FAILURE;
  return exercise_appliance ();
}
