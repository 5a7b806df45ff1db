/* The environment variables of libguestfs 1.48 that configure a new
 * handle, and the calls that set the same things. */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static bool
str_is (char *s, const char *want)
{
  bool r = s && strcmp (s, want) == 0;
  if (!r)
    fprintf (stderr, "got \"%s\", want \"%s\"\n", s ? s : "(null)", want);
  free (s);
  return r;
}

static int
count_entries (const char *dir, const char *prefix)
{
  DIR *d = opendir (dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir (d)) != NULL)
    n += strncmp (e->d_name, prefix, strlen (prefix)) == 0;
  if (d)
    closedir (d);
  return n;
}

static void
clear_environment (void)
{
  unsetenv ("LIBGUESTFS_HV");
  unsetenv ("LIBGUESTFS_QEMU");
  unsetenv ("LIBGUESTFS_BACKEND");
  unsetenv ("LIBGUESTFS_ATTACH_METHOD");
  unsetenv ("LIBGUESTFS_CACHEDIR");
  unsetenv ("LIBGUESTFS_TMPDIR");
}

static void
test_hv (void)
{
  setenv ("LIBGUESTFS_QEMU", "/opt/old-name", 1);
  guestfs_h *g = guestfs_create ();
  CHECK (str_is (guestfs_get_hv (g), "/opt/old-name"));
  guestfs_close (g);
  /* LIBGUESTFS_HV wins over its older name. */
  setenv ("LIBGUESTFS_HV", "/opt/qemu-wrapper", 1);
  g = guestfs_create ();
  CHECK (str_is (guestfs_get_hv (g), "/opt/qemu-wrapper"));
  CHECK (strcmp (guestfs_get_qemu (g), "/opt/qemu-wrapper") == 0);
  CHECK (guestfs_set_hv (g, "/opt/other") == 0);
  CHECK (str_is (guestfs_get_hv (g), "/opt/other"));
  guestfs_close (g);
  /* Without the environment, a handle has its own. */
  g = guestfs_create_flags (GUESTFS_CREATE_NO_ENVIRONMENT);
  char *hv = guestfs_get_hv (g);
  CHECK (hv && strcmp (hv, "/opt/qemu-wrapper") != 0);
  free (hv);
  guestfs_close (g);
  clear_environment ();
}

static void
test_backend (void)
{
  setenv ("LIBGUESTFS_ATTACH_METHOD", "appliance", 1);
  guestfs_h *g = guestfs_create ();
  CHECK (str_is (guestfs_get_backend (g), "direct"));
  CHECK (str_is (guestfs_get_attach_method (g), "direct"));
  guestfs_close (g);
  /* LIBGUESTFS_BACKEND wins. */
  setenv ("LIBGUESTFS_BACKEND", "unix:/nowhere", 1);
  g = guestfs_create ();
  CHECK (str_is (guestfs_get_backend (g), "unix:/nowhere"));
  CHECK (guestfs_set_attach_method (g, "appliance") == 0);
  CHECK (str_is (guestfs_get_backend (g), "direct"));
  guestfs_set_error_handler (g, NULL, NULL);
  CHECK_ERROR (g, guestfs_set_attach_method (g, "bogus"), EINVAL, "bogus");
  guestfs_close (g);
  clear_environment ();
}

static void
test_dirs (void)
{
  char *tmp = test_tmpdir (), *want;
  setenv ("LIBGUESTFS_CACHEDIR", tmp, 1);
  setenv ("LIBGUESTFS_TMPDIR", tmp, 1);
  guestfs_h *g = guestfs_create ();
  if (asprintf (&want, "%s/.guestfs-cache-%ju", tmp, (uintmax_t) geteuid ())
      == -1)
    abort ();
  CHECK (str_is (guestfs_get_cachedir (g), want));
  free (want);
  CHECK (str_is (guestfs_get_tmpdir (g), tmp));
  CHECK (str_is (guestfs_get_sockdir (g), tmp));
  /* The handle's temporary files go there. */
  CHECK (count_entries (tmp, "libguestfs") == 0);
  CHECK (guestfs_add_drive_scratch (g, 1024 * 1024, -1) == 0);
  CHECK (count_entries (tmp, "libguestfs") == 1);
  guestfs_close (g);
  CHECK (count_entries (tmp, "libguestfs") == 0);
  clear_environment ();

  g = guestfs_create ();
  CHECK (guestfs_set_cachedir (g, "/srv/cache") == 0);
  if (asprintf (&want, "/srv/cache/.guestfs-cache-%ju", (uintmax_t) geteuid ())
      == -1)
    abort ();
  CHECK (str_is (guestfs_get_cachedir (g), want));
  free (want);
  CHECK (guestfs_set_tmpdir (g, "/srv/tmp") == 0);
  CHECK (str_is (guestfs_get_tmpdir (g), "/srv/tmp"));
  CHECK (guestfs_set_tmpdir (g, NULL) == 0);
  setenv ("TMPDIR", tmp, 1);
  CHECK (str_is (guestfs_get_tmpdir (g), tmp));
  unsetenv ("TMPDIR");
  CHECK (str_is (guestfs_get_tmpdir (g), "/tmp"));
  guestfs_close (g);
  free (tmp);
}

int
main (void)
{
  clear_environment ();
  test_hv ();
  test_backend ();
  test_dirs ();
  return test_result ();
}
