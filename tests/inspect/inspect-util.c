#define _GNU_SOURCE 1
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inspect-util.h"

static void
print_list (const char *label, char *const *l)
{
  fprintf (stderr, "  %s:", label);
  for (size_t i = 0; l && l[i]; ++i)
    fprintf (stderr, " \"%s\"", l[i]);
  fprintf (stderr, "\n");
}

void
check_list_ (const char *file, int line, guestfs_h *g, const char *expr,
             char **got, const char *const *want)
{
  bool same = got != NULL;
  size_t n = list_len (got), m = list_len ((char *const *)want);
  same = same && n == m;
  for (size_t i = 0; same && i < n; ++i)
    same = strcmp (got[i], want[i]) == 0;
  if (!same) {
    fprintf (stderr, "%s:%d: FAIL: %s%s%s\n", file, line, expr, got ? "" : ": ",
             got ? "" : guestfs_last_error (g));
    print_list ("got", got);
    print_list ("expected", (char *const *)want);
    ++test_failures;
  }
  free_list (got);
}

static const char *const empty_list[] = {NULL};

static const char *const *
or_empty (const char *const *l)
{
  return l ? l : empty_list;
}

static void
check_int (guestfs_h *g, const char *what, const char *root, int got, int want)
{
  if (got != want) {
    fprintf (stderr, "FAIL: %s (%s) is %d, expected %d%s%s\n", what, root, got,
             want, got == -1 ? ": " : "",
             got == -1 ? guestfs_last_error (g) : "");
    ++test_failures;
  }
}

/* A call only Windows roots answer. */
static void
check_windows_only (guestfs_h *g, const char *what, char *got, const char *want)
{
  if (want)
    check_call_streq_ (__FILE__, __LINE__, g, what, got, want);
  else {
    if (got != NULL) {
      fprintf (stderr,
               "FAIL: %s answered \"%s\" for a root that is not "
               "Windows\n",
               what, got);
      ++test_failures;
    } else if (guestfs_last_errno (g) != EINVAL) {
      fprintf (stderr, "FAIL: %s: errno %d, expected EINVAL\n", what,
               guestfs_last_errno (g));
      ++test_failures;
    }
    free (got);
  }
}

void
check_os (guestfs_h *g, const struct expected_os *e)
{
  const char *r = e->root;
  printf ("checking %s (%s)\n", r, e->product_name);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_type (g, r), e->type);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_distro (g, r), e->distro);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_product_name (g, r),
                    e->product_name);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_product_variant (g, r),
                    e->product_variant);
  check_int (g, "major_version", r, guestfs_inspect_get_major_version (g, r),
             e->major);
  check_int (g, "minor_version", r, guestfs_inspect_get_minor_version (g, r),
             e->minor);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_hostname (g, r), e->hostname);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_arch (g, r), e->arch);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_package_format (g, r),
                    e->package_format);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_package_management (g, r),
                    e->package_management);
  CHECK_CALL_STREQ (g, guestfs_inspect_get_format (g, r), "installed");
  CHECK_CALL_STREQ (g, guestfs_inspect_get_build_id (g, r), e->build_id);
  CHECK_LIST (g, guestfs_inspect_get_mountpoints (g, r),
              or_empty (e->mountpoints));
  CHECK_LIST (g, guestfs_inspect_get_filesystems (g, r),
              or_empty (e->filesystems));
  CHECK_LIST (g, guestfs_inspect_get_drive_mappings (g, r),
              or_empty (e->drives));
  check_windows_only (g, "inspect_get_windows_systemroot",
                      guestfs_inspect_get_windows_systemroot (g, r),
                      e->systemroot);
  check_windows_only (g, "inspect_get_windows_software_hive",
                      guestfs_inspect_get_windows_software_hive (g, r),
                      e->software_hive);
  check_windows_only (g, "inspect_get_windows_system_hive",
                      guestfs_inspect_get_windows_system_hive (g, r),
                      e->system_hive);
  check_windows_only (g, "inspect_get_windows_current_control_set",
                      guestfs_inspect_get_windows_current_control_set (g, r),
                      e->control_set);
}

guestfs_h *
launch_with (const char *const *images)
{
  guestfs_h *g = guestfs_create ();
  if (g == NULL)
    skip ("guestfs_create failed");
  /* Expected errors are checked, not printed. */
  guestfs_set_error_handler (g, NULL, NULL);
  for (size_t i = 0; images[i]; ++i) {
    size_t len = strlen (images[i]);
    bool overlay = len > 6 && strcmp (images[i] + len - 6, ".qcow2") == 0;
    if (guestfs_add_drive_opts (g, images[i], GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                overlay ? "qcow2" : "raw",
                                GUESTFS_ADD_DRIVE_OPTS_READONLY, !overlay,
                                -1) == -1)
      skip ("add_drive %s: %s", images[i], guestfs_last_error (g));
  }
  if (guestfs_launch (g) == -1)
    skip ("launch: %s", guestfs_last_error (g));
  return g;
}

char *
disk_name (guestfs_h *g, int n, int p)
{
  char **devs = guestfs_list_devices (g);
  if (devs == NULL || (size_t)n >= list_len (devs)) {
    fprintf (stderr, "FAIL: no disk %d\n", n);
    exit (EXIT_FAILURE);
  }
  char *r = p ? xasprintf ("%s%d", devs[n], p) : strdup (devs[n]);
  free_list (devs);
  return r;
}
