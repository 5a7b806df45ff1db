/* The hivex group against a host guestfsd, on a hive made in the
 * scratch directory: building keys and values through the API,
 * committing, reopening and reading everything back; committing to
 * another file (never through a symbolic link); and the errors. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon-util.h"
#include "regf.h"

static struct test_daemon td;
static guestfs_h *g;

#define HIVE "/hives/TEST"
#define REG_SZ 1
#define REG_BINARY 3
#define REG_DWORD 4

static int
open_hive (const char *path, bool write)
{
  struct guestfs_hivex_open_argv o = {
      .bitmask = GUESTFS_HIVEX_OPEN_WRITE_BITMASK, .write = write};
  return guestfs_hivex_open_argv (g, path, &o);
}

/* The child of node called name, or 0. */
static int64_t
child (int64_t node, const char *name)
{
  return guestfs_hivex_node_get_child (g, node, name);
}

static bool
string_value_is (int64_t node, const char *key, const char *want)
{
  int64_t v = guestfs_hivex_node_get_value (g, node, key);
  char *s = v > 0 ? guestfs_hivex_value_string (g, v) : NULL;
  bool same = s && strcmp (s, want) == 0;
  if (!same)
    fprintf (stderr, "value %s: %s, expected %s\n", key, s ? s : "(none)",
             want);
  free (s);
  return same;
}

static void
test_before_open (void)
{
  CHECK_ERROR (g, guestfs_hivex_root (g), 0, "hivex-open");
  CHECK_ERROR (g, guestfs_hivex_close (g), 0, "hivex-open");
  CHECK_ERROR (g, guestfs_hivex_open (g, "/hives/NOPE", -1), ENOENT,
               "/hives/NOPE");
  /* Big enough to be a hive, but with no hive header. */
  static char text[8192];
  memset (text, 'x', sizeof text);
  CHECK (guestfs_write (g, "/hives/notahive", text, sizeof text) == 0);
  CHECK_ERROR (g, guestfs_hivex_open (g, "/hives/notahive", -1), ENOTSUP, NULL);
  CHECK (guestfs_write (g, "/hives/short", "just text", 9) == 0);
  CHECK_ERROR (g, guestfs_hivex_open (g, "/hives/short", -1), EINVAL, NULL);
  CHECK (guestfs_mkfifo (g, 0600, "/hives/fifo") == 0);
  CHECK_ERROR (g, guestfs_hivex_open (g, "/hives/fifo", -1), EINVAL,
               "not a regular file");
}

/* SZ "Name" = "Test Machine", DWORD "Count" = 42, BINARY "Blob",
 * under \Software\Vendor, plus \Software\Other to delete. */
static void
test_build (void)
{
  CHECK (open_hive (HIVE, true) == 0);
  int64_t root = guestfs_hivex_root (g);
  CHECK (root > 0);
  char *name = guestfs_hivex_node_name (g, root);
  CHECK (name && strcmp (name, "ROOT") == 0);
  free (name);
  CHECK (child (root, "Software") == 0);
  int64_t sw = guestfs_hivex_node_add_child (g, root, "Software");
  CHECK (sw > 0);
  int64_t vendor = guestfs_hivex_node_add_child (g, sw, "Vendor");
  int64_t other = guestfs_hivex_node_add_child (g, sw, "Other");
  CHECK (vendor > 0 && other > 0);
  static const char name_utf16[] = "T\0e\0s\0t\0 \0M\0a\0c\0h\0i\0n\0e\0\0";
  CHECK (guestfs_hivex_node_set_value (g, vendor, "Name", REG_SZ, name_utf16,
                                       sizeof name_utf16) == 0);
  static const char count[4] = {42, 0, 0, 0};
  CHECK (guestfs_hivex_node_set_value (g, vendor, "Count", REG_DWORD, count,
                                       4) == 0);
  CHECK (guestfs_hivex_node_set_value (g, vendor, "Blob", REG_BINARY,
                                       "\x01\x00\xff", 3) == 0);
  CHECK (guestfs_hivex_node_delete_child (g, other) == 0);
  CHECK (guestfs_hivex_commit (g, NULL) == 0);
  CHECK (guestfs_hivex_close (g) == 0);
}

static void
test_read_back (void)
{
  CHECK (open_hive (HIVE, false) == 0);
  int64_t root = guestfs_hivex_root (g);
  int64_t sw = child (root, "software"); /* case-insensitive */
  CHECK (sw > 0);
  struct guestfs_hivex_node_list *kids = guestfs_hivex_node_children (g, sw);
  CHECK (kids && kids->len == 1);
  int64_t vendor = kids && kids->len ? kids->val[0].hivex_node_h : 0;
  guestfs_free_hivex_node_list (kids);
  CHECK (guestfs_hivex_node_parent (g, vendor) == sw);
  CHECK (guestfs_hivex_node_parent (g, sw) == root);
  CHECK_ERROR (g, guestfs_hivex_node_parent (g, root), 0, NULL);

  struct guestfs_hivex_value_list *vals = guestfs_hivex_node_values (g, vendor);
  CHECK (vals && vals->len == 3);
  guestfs_free_hivex_value_list (vals);
  CHECK (string_value_is (vendor, "Name", "Test Machine"));
  int64_t cnt = guestfs_hivex_node_get_value (g, vendor, "Count");
  CHECK (cnt > 0 && guestfs_hivex_value_type (g, cnt) == REG_DWORD);
  char *key = guestfs_hivex_value_key (g, cnt);
  CHECK (key && strcmp (key, "Count") == 0);
  free (key);
  size_t size;
  char *data = guestfs_hivex_value_value (g, cnt, &size);
  CHECK (data && size == 4 && memcmp (data, "\x2a\0\0\0", 4) == 0);
  free (data);
  int64_t blob = guestfs_hivex_node_get_value (g, vendor, "Blob");
  data = guestfs_hivex_value_value (g, blob, &size);
  CHECK (data && size == 3 && memcmp (data, "\x01\x00\xff", 3) == 0);
  free (data);
  char *utf8 = guestfs_hivex_value_utf8 (
      g, guestfs_hivex_node_get_value (g, vendor, "Name"));
  CHECK (utf8 && strcmp (utf8, "Test Machine") == 0);
  free (utf8);

  /* Not found is 0, not an error. */
  CHECK (guestfs_hivex_node_get_value (g, vendor, "Nope") == 0);
  CHECK (child (sw, "Other") == 0);
  /* Errors. */
  CHECK_ERROR_NULL (g, guestfs_hivex_value_string (g, cnt), EINVAL, NULL);
  CHECK_ERROR_NULL (g, guestfs_hivex_node_name (g, 12345), EINVAL, NULL);
  CHECK_ERROR_NULL (g, guestfs_hivex_value_key (g, 12345), EINVAL, NULL);
  CHECK_ERROR (g, guestfs_hivex_node_add_child (g, root, "X"), EROFS, NULL);
  CHECK_ERROR (g, guestfs_hivex_commit (g, NULL), EROFS, NULL);
  CHECK (guestfs_hivex_close (g) == 0);
}

/* A commit to another file leaves the hive as it was; a symbolic link
 * at the new name is not followed. */
static void
test_commit_elsewhere (void)
{
  CHECK (open_hive (HIVE, true) == 0);
  int64_t root = guestfs_hivex_root (g);
  CHECK (guestfs_hivex_node_add_child (g, root, "Added") > 0);
  CHECK (guestfs_hivex_commit (g, "/hives/COPY") == 0);
  CHECK_ERROR (g, guestfs_hivex_commit (g, "relative"), EINVAL, "absolute");
  CHECK (guestfs_ln_s (g, "/hives/TEST", "/hives/LINK") == 0);
  CHECK_ERROR (g, guestfs_hivex_commit (g, "/hives/LINK"), ELOOP, NULL);
  CHECK (guestfs_hivex_close (g) == 0);

  CHECK (open_hive ("/hives/COPY", false) == 0);
  CHECK (child (guestfs_hivex_root (g), "Added") > 0);
  CHECK (open_hive (HIVE, false) == 0); /* closes the other */
  CHECK (child (guestfs_hivex_root (g), "Added") == 0);
  CHECK (guestfs_hivex_close (g) == 0);
}

int
main (void)
{
  g = test_daemon_start (&td);
  CHECK (guestfs_mkdir (g, "/hives") == 0);
  if (regf_write_empty (host_path (&td, HIVE), "ROOT", "TEST") == -1) {
    perror (HIVE);
    return 1;
  }
  test_before_open ();
  test_build ();
  test_read_back ();
  test_commit_elsewhere ();
  test_daemon_stop (&td, g);
  return test_result ();
}
