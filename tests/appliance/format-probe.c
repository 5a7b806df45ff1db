/* Drives added with no format: probed with qemu-img as libguestfs does,
 * the result in the verbose log, backing chains checked, and the
 * guest's OS found whatever the format.  One launch, three guests:
 * debian as qcow2, fedora as vmdk, windows as raw. */
#define _GNU_SOURCE 1
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "guests.h"
#include "harness.h"

static char *tmp;
static struct test_log launch_log;

static char *
tmp_path (const char *name)
{
  char *p;
  if (asprintf (&p, "%s/%s", tmp, name) == -1)
    abort ();
  return p;
}

static void
run_or_fail (const char *fmt, ...)
{
  char *cmd;
  va_list ap;
  va_start (ap, fmt);
  if (vasprintf (&cmd, fmt, ap) == -1)
    abort ();
  va_end (ap);
  int r = system (cmd);
  if (!WIFEXITED (r) || WEXITSTATUS (r) != 0) {
    fprintf (stderr, "failed: %s\n", cmd);
    exit (EXIT_FAILURE);
  }
  free (cmd);
}

static guestfs_h *
verbose_handle (void)
{
  guestfs_h *g = guestfs_create ();
  CHECK (g != NULL);
  guestfs_set_error_handler (g, NULL, NULL);
  guestfs_set_verbose (g, 1);
  CHECK (test_log_attach (g, &launch_log, GUESTFS_EVENT_LIBRARY) == 0);
  return g;
}

/* Backing chains: a regular file is followed, anything else refused. */
static void
test_backing_chains (const char *qcow2)
{
  char *overlay = tmp_path ("overlay.qcow2");
  char *to_dev = tmp_path ("to-dev.qcow2");
  char *to_nbd = tmp_path ("to-nbd.qcow2");
  char *fifo = tmp_path ("fifo");
  char *to_fifo = tmp_path ("to-fifo.qcow2");
  run_or_fail ("qemu-img create -q -f qcow2 -b %s -F qcow2 %s", qcow2,
               overlay);
  run_or_fail ("qemu-img create -q -f qcow2 -u -b /dev/zero -F raw %s 1M",
               to_dev);
  run_or_fail ("qemu-img create -q -f qcow2 -u -b nbd://127.0.0.1:1/x -F raw "
               "%s 1M", to_nbd);
  CHECK (mkfifo (fifo, 0600) == 0);
  run_or_fail ("qemu-img create -q -f qcow2 -u -b %s -F raw %s 1M", fifo,
               to_fifo);

  guestfs_h *g = verbose_handle ();
  CHECK (guestfs_add_drive_ro (g, overlay) == 0);
  CHECK (test_log_has (&launch_log, "format probed: qcow2"));
  CHECK (test_log_has (&launch_log, "backing file"));
  CHECK_ERROR (g, guestfs_add_drive_ro (g, to_dev), EPERM, "/dev/zero");
  CHECK_ERROR (g, guestfs_add_drive_ro (g, to_nbd), EPERM, "nbd://");
  CHECK_ERROR (g, guestfs_add_drive_ro (g, to_fifo), EPERM, "not a regular");
  /* Naming the format trusts the image: nothing is probed. */
  CHECK (guestfs_add_drive_opts (g, to_dev, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 "qcow2", GUESTFS_ADD_DRIVE_OPTS_READONLY, 1,
                                 -1) == 0);

  char *fmt = guestfs_disk_format (g, overlay);
  CHECK (fmt && strcmp (fmt, "qcow2") == 0);
  free (fmt);
  CHECK (guestfs_disk_has_backing_file (g, overlay) == 1);
  CHECK (guestfs_disk_has_backing_file (g, qcow2) == 0);
  CHECK (guestfs_disk_virtual_size (g, overlay) ==
         guestfs_disk_virtual_size (g, qcow2));
  CHECK (guestfs_disk_virtual_size (g, qcow2) == 1024LL * 1024 * 1024);
  CHECK (guestfs_get_state (g) == 0);
  guestfs_close (g);
  free (overlay); free (to_dev); free (to_nbd); free (fifo); free (to_fifo);
}

static void
test_inspect_each_format (const char *qcow2, const char *vmdk,
                          const char *raw)
{
  test_log_clear (&launch_log);
  guestfs_h *g = verbose_handle ();
  CHECK (guestfs_add_drive_ro (g, qcow2) == 0);
  CHECK (guestfs_add_drive_opts (g, vmdk, GUESTFS_ADD_DRIVE_OPTS_READONLY, 1,
                                 -1) == 0);
  struct guestfs_add_drive_opts_argv o = {
    .bitmask = GUESTFS_ADD_DRIVE_OPTS_READONLY_BITMASK, .readonly = 1,
  };
  CHECK (guestfs_add_drive_opts_argv (g, raw, &o) == 0);
  CHECK (test_log_has (&launch_log, "format probed: qcow2"));
  CHECK (test_log_has (&launch_log, "format probed: vmdk"));
  CHECK (test_log_has (&launch_log, "format probed: raw"));
  guestfs_set_verbose (g, 0);
  if (guestfs_launch (g) == -1) {
    fprintf (stderr, "launch: %s\n", guestfs_last_error (g));
    CHECK (!"launch");
    guestfs_close (g);
    return;
  }
  /* The devices' names, as the library gives them. */
  char **devs = guestfs_list_devices (g);
  CHECK (devs && devs[0] && devs[1] && devs[2] && !devs[3]);
  char *fedora_root, *windows_c;
  if (asprintf (&fedora_root, "btrfsvol:%s2/root", devs[1]) == -1 ||
      asprintf (&windows_c, "%s2", devs[2]) == -1)
    abort ();
  for (size_t i = 0; devs && devs[i]; ++i)
    free (devs[i]);
  free (devs);
  char **roots = guestfs_inspect_os (g);
  CHECK (roots != NULL);
  bool debian = false, fedora = false, windows = false;
  for (size_t i = 0; roots && roots[i]; ++i) {
    char *distro = guestfs_inspect_get_distro (g, roots[i]);
    printf ("%s: %s\n", roots[i], distro ? distro : "(error)");
    debian |= distro && strcmp (distro, "debian") == 0 &&
              strncmp (roots[i], "/dev/debian-vg/", 15) == 0;
    fedora |= distro && strcmp (distro, "fedora") == 0 &&
              strcmp (roots[i], fedora_root) == 0;
    windows |= distro && strcmp (distro, "windows") == 0 &&
               strcmp (roots[i], windows_c) == 0;
    free (distro);
    free (roots[i]);
  }
  free (roots);
  free (fedora_root);
  free (windows_c);
  CHECK (debian);
  CHECK (fedora);
  CHECK (windows);
  CHECK (guestfs_shutdown (g) == 0);
  guestfs_close (g);
}

int
main (void)
{
  if (system ("qemu-img --version >/dev/null 2>&1") != 0)
    skip ("qemu-img is not installed");
  const char *debian = test_guest_path ("debian");
  const char *fedora = test_guest_path ("fedora");
  const char *windows = test_guest_path ("windows");
  tmp = test_tmpdir ();
  char *qcow2 = tmp_path ("debian.qcow2");
  char *vmdk = tmp_path ("fedora.vmdk");
  run_or_fail ("qemu-img convert -O qcow2 %s %s", debian, qcow2);
  run_or_fail ("qemu-img convert -O vmdk %s %s", fedora, vmdk);

  test_backing_chains (qcow2);
  test_inspect_each_format (qcow2, vmdk, windows);

  free (qcow2);
  free (vmdk);
  test_log_clear (&launch_log);
  return test_result ();
}
