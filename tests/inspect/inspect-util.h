/* Helpers shared by the inspection tests. */
#ifndef TESTS_INSPECT_UTIL_H
#define TESTS_INSPECT_UTIL_H

#include <stdbool.h>

#include "harness.h"

/* What inspection should say about one root.  NULL lists are expected
 * empty; text fields are compared exactly ("unknown" included). */
struct expected_os {
  const char *root;
  const char *type, *distro, *product_name, *product_variant;
  int major, minor;
  const char *hostname, *arch, *package_format, *package_management;
  const char *build_id;
  const char *const *mountpoints; /* dir, mountable, ... in order */
  const char *const *filesystems; /* in order */
  const char *const *drives;      /* letter, device, ... */
  const char *systemroot;         /* NULL: not Windows (must fail) */
  const char *software_hive, *system_hive, *control_set;
};

/* Check every inspect_get_* of e->root against e. */
extern void check_os (guestfs_h *g, const struct expected_os *e);

/* The list (NULL-terminated, freed) equals want (NULL-terminated). */
extern void check_list_ (const char *file, int line, guestfs_h *g,
                         const char *expr, char **got, const char *const *want);
#define CHECK_LIST(g, call, want)                                              \
  check_list_ (__FILE__, __LINE__, (g), #call, (call), (want))


/* A handle with the images added (read-only unless an overlay: names
 * ending in .qcow2 are added read-write as qcow2), launched; skips the
 * test if the appliance cannot be launched. */
extern guestfs_h *launch_with (const char *const *images);

/* The appliance's name of the n-th disk (0-based) and its partition p
 * (0: the disk itself).  malloc'd. */
extern char *disk_name (guestfs_h *g, int n, int p);

#endif
