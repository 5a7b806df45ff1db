/* The library-side actions of actions_library.c that need no
 * appliance: the bindings' test actions (their output and return
 * values, libguestfs's contract), c_pointer, config's checks, the
 * drive list and remove_drive, and disk_create's images read back by
 * qemu-img. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

static char *tmp;

static char *
read_output (const char *path)
{
  size_t len;
  char *s = host_read (path, &len);
  CHECK (s != NULL);
  return s;
}

static void
test_printers (guestfs_h *g)
{
  char *path = xasprintf ("%s/bindtests.out", tmp);
  OK (g, guestfs_internal_test_set_output (g, path));
  char *strlist[] = { (char *) "1", (char *) "2", NULL };
  char *ostrings[] = { (char *) "x", NULL };
  OK (g, guestfs_internal_test (g, "abc", NULL, strlist, 1, 42, -7, "/in",
                                "/out", "\001a", 2,
                                GUESTFS_INTERNAL_TEST_OINT, 5,
                                GUESTFS_INTERNAL_TEST_OSTRINGLIST, ostrings,
                                -1));
  OK (g, guestfs_internal_test (g, "", "opt", strlist + 2, 0, 0, 0, "", "",
                                "", 0, GUESTFS_INTERNAL_TEST_OBOOL, 0,
                                GUESTFS_INTERNAL_TEST_OINT64, INT64_MIN,
                                GUESTFS_INTERNAL_TEST_OSTRING, "s", -1));
  OK (g, guestfs_internal_test_only_optargs (g, -1));
  OK (g, guestfs_internal_test_only_optargs (
           g, GUESTFS_INTERNAL_TEST_ONLY_OPTARGS_TEST, 3, -1));
  OK (g, guestfs_internal_test_63_optargs (
           g, GUESTFS_INTERNAL_TEST_63_OPTARGS_OPT1, 1,
           GUESTFS_INTERNAL_TEST_63_OPTARGS_OPT63, 63, -1));
  OK (g, guestfs_internal_test_close_output (g));
  char *text = read_output (path);
  char *want63 = xasprintf ("opt1: 1\n");
  for (int i = 2; i < 63; ++i) {
    char *n = xasprintf ("%sopt%d: unset\n", want63, i);
    free (want63);
    want63 = n;
  }
  char *want = xasprintf (
    "abc\nnull\n[\"1\", \"2\"]\ntrue\n42\n-7\n/in\n/out\n<01><61>\n"
    "obool: unset\noint: 5\noint64: unset\nostring: unset\n"
    "ostringlist: [\"x\"]\n"
    "\nopt\n[]\nfalse\n0\n0\n\n\n\n"
    "obool: false\noint: unset\noint64: -9223372036854775808\n"
    "ostring: s\nostringlist: unset\n"
    "test: unset\ntest: 3\n%sopt63: 63\n", want63);
  CHECK_STREQ (text, want);
  free (want);
  free (want63);
  free (text);
  CHECK_ERROR (g, guestfs_internal_test_set_output (g, "/nonexistent/x"),
               ENOENT, "/nonexistent/x");
  free (path);
}

static void
test_return_values (guestfs_h *g)
{
  CHECK (guestfs_internal_test_rint (g, "10") == 10);
  CHECK_ERROR (g, guestfs_internal_test_rint (g, "x"), EINVAL, "int");
  CHECK (guestfs_internal_test_rint64 (g, "-9000000000") == -9000000000LL);
  CHECK (guestfs_internal_test_rbool (g, "true") == 1);
  CHECK (guestfs_internal_test_rbool (g, "false") == 0);
  CHECK_STREQ (guestfs_internal_test_rconststring (g, "x"), "static string");
  CHECK_STREQ (guestfs_internal_test_rconstoptstring (g, "x"),
               "static string");
  CHECK_CALL_STREQ (g, guestfs_internal_test_rstring (g, "abc"), "abc");
  char **l = guestfs_internal_test_rstringlist (g, "3");
  CHECK (l && list_len (l) == 3 && strcmp (l[2], "2") == 0);
  free_list (l);
  l = guestfs_internal_test_rstringlist (g, "0");
  CHECK (l && l[0] == NULL);
  free_list (l);
  l = guestfs_internal_test_rhashtable (g, "2");
  CHECK (l && list_len (l) == 4 && strcmp (hash_get (l, "1"), "1") == 0);
  free_list (l);
  struct guestfs_lvm_pv *pv = guestfs_internal_test_rstruct (g, "unused");
  CHECK (pv && strcmp (pv->pv_name, "pv0") == 0 && pv->pv_size == 0 &&
         memcmp (pv->pv_uuid, "12345678901234567890123456789012", 32) == 0);
  guestfs_free_lvm_pv (pv);
  struct guestfs_lvm_pv_list *pvs = guestfs_internal_test_rstructlist (g, "2");
  CHECK (pvs && pvs->len == 2 && strcmp (pvs->val[1].pv_name, "pv1") == 0 &&
         pvs->val[1].pv_pe_count == 1 &&
         strcmp (pvs->val[1].pv_tags, "tag1") == 0);
  guestfs_free_lvm_pv_list (pvs);
  size_t size = 0;
  char *buf = guestfs_internal_test_rbufferout (g, "xyz", &size);
  CHECK (buf && size == 3 && memcmp (buf, "xyz", 3) == 0);
  free (buf);

  CHECK_ERROR (g, guestfs_internal_test_rinterr (g), 0, "error");
  CHECK_ERROR (g, guestfs_internal_test_rint64err (g), 0, "error");
  CHECK_ERROR (g, guestfs_internal_test_rboolerr (g), 0, "error");
  CHECK_ERROR_NULL (g, guestfs_internal_test_rstringerr (g), 0, "error");
  CHECK_ERROR_NULL (g, guestfs_internal_test_rstringlisterr (g), 0, "error");
  CHECK_ERROR_NULL (g, guestfs_internal_test_rhashtableerr (g), 0, "error");
  CHECK_ERROR_NULL (g, guestfs_internal_test_rstructerr (g), 0, "error");
  CHECK_ERROR_NULL (g, guestfs_internal_test_rstructlisterr (g), 0, "error");
  CHECK_ERROR_NULL (g, guestfs_internal_test_rbufferouterr (g, &size), 0,
                    "error");
  CHECK (guestfs_internal_test_rconststringerr (g) == NULL);
  CHECK (guestfs_internal_test_rconstoptstringerr (g) == NULL);
  CHECK_STREQ (guestfs_last_error (g), "error");
}

static void
test_config_and_drives (guestfs_h *g)
{
  CHECK (guestfs_c_pointer (g) == (int64_t) (intptr_t) g);
  CHECK_ERROR (g, guestfs_config (g, "nodash", NULL), EINVAL, "begin with -");
  CHECK_ERROR (g, guestfs_config (g, "-kernel", "/x"), EINVAL, "isn't allowed");
  OK (g, guestfs_config (g, "-device", "virtio-rng-pci"));
  OK (g, guestfs_config (g, "-no-hpet", NULL));

  char *a = xasprintf ("%s/a.img", tmp), *b = xasprintf ("%s/b.img", tmp);
  OK (g, guestfs_disk_create (g, a, "raw", 1024 * 1024, -1));
  OK (g, guestfs_disk_create (g, b, "raw", 1024 * 1024, -1));
  OK (g, guestfs_add_drive_opts (g, a, GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
                                 GUESTFS_ADD_DRIVE_OPTS_LABEL, "first",
                                 GUESTFS_ADD_DRIVE_OPTS_READONLY, 1, -1));
  OK (g, guestfs_add_drive_opts (g, b, GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
                                 GUESTFS_ADD_DRIVE_OPTS_LABEL, "second", -1));
  char **d = guestfs_debug_drives (g);
  char *want0 = xasprintf ("path=%s format=raw readonly label=first", a);
  CHECK (d && list_len (d) == 2);
  if (d && d[0])
    CHECK_STREQ (d[0], want0);
  free_list (d);
  CHECK_ERROR (g, guestfs_remove_drive (g, "nosuch"), ENOENT, "nosuch");
  OK (g, guestfs_remove_drive (g, "first"));
  d = guestfs_debug_drives (g);
  CHECK (d && list_len (d) == 1 && strstr (d[0], "label=second"));
  free_list (d);
  free (want0);
  free (a);
  free (b);
}

/* A field of qemu-img info's JSON is there, as qemu-img prints it. */
static bool
info_has (const char *image, const char *text)
{
  char *cmd = xasprintf ("qemu-img info -U --output=json %s", image);
  FILE *p = popen (cmd, "r");
  free (cmd);
  char buf[8192];
  size_t n = p ? fread (buf, 1, sizeof buf - 1, p) : 0;
  buf[n] = '\0';
  if (p)
    pclose (p);
  return strstr (buf, text) != NULL;
}

static void
test_disk_create (guestfs_h *g)
{
  char *sparse = xasprintf ("%s/sparse.img", tmp);
  char *full = xasprintf ("%s/full.img", tmp);
  char *q = xasprintf ("%s/q.qcow2", tmp);
  char *overlay = xasprintf ("%s/overlay.qcow2", tmp);
  char *meta = xasprintf ("%s/meta.qcow2", tmp);
  struct stat st;
  OK (g, guestfs_disk_create (g, sparse, "raw", 8 << 20,
                              GUESTFS_DISK_CREATE_PREALLOCATION, "sparse",
                              -1));
  CHECK (stat (sparse, &st) == 0 && st.st_size == 8 << 20 &&
         st.st_blocks < 1024);
  OK (g, guestfs_disk_create (g, full, "raw", 1 << 20,
                              GUESTFS_DISK_CREATE_PREALLOCATION, "full", -1));
  CHECK (stat (full, &st) == 0 && st.st_size == 1 << 20 &&
         st.st_blocks >= (1 << 20) / 512);
  CHECK (info_has (full, "\"format\": \"raw\""));

  OK (g, guestfs_disk_create (g, q, "qcow2", 64 << 20,
                              GUESTFS_DISK_CREATE_COMPAT, "0.10",
                              GUESTFS_DISK_CREATE_CLUSTERSIZE, 4096, -1));
  CHECK (info_has (q, "\"format\": \"qcow2\""));
  CHECK (info_has (q, "\"cluster-size\": 4096"));
  CHECK (info_has (q, "\"compat\": \"0.10\""));
  CHECK (guestfs_disk_virtual_size (g, q) == 64 << 20);

  OK (g, guestfs_disk_create (g, overlay, "qcow2", -1,
                              GUESTFS_DISK_CREATE_BACKINGFILE, q,
                              GUESTFS_DISK_CREATE_BACKINGFORMAT, "qcow2", -1));
  CHECK (guestfs_disk_has_backing_file (g, overlay) == 1);
  CHECK (guestfs_disk_virtual_size (g, overlay) == 64 << 20);
  CHECK (info_has (overlay, "\"backing-filename-format\": \"qcow2\""));

  OK (g, guestfs_disk_create (g, meta, "qcow2", 16 << 20,
                              GUESTFS_DISK_CREATE_PREALLOCATION, "metadata",
                              -1));
  CHECK (info_has (meta, "\"format\": \"qcow2\""));
  CHECK (guestfs_disk_has_backing_file (g, meta) == 0);

  CHECK_ERROR (g, guestfs_disk_create (g, q, "vmdk", 1 << 20, -1), EINVAL,
               "format");
  CHECK_ERROR (g, guestfs_disk_create (g, q, "raw", -1, -1), EINVAL, "size");
  CHECK_ERROR (g, guestfs_disk_create (g, q, "raw", 1 << 20,
                                       GUESTFS_DISK_CREATE_BACKINGFILE, full,
                                       -1),
               EINVAL, "for qcow2");
  CHECK_ERROR (g, guestfs_disk_create (g, q, "qcow2", 1 << 20,
                                       GUESTFS_DISK_CREATE_CLUSTERSIZE, 1000,
                                       -1),
               EINVAL, "clustersize");
  CHECK_ERROR (g, guestfs_disk_create (g, q, "qcow2", 1 << 20,
                                       GUESTFS_DISK_CREATE_COMPAT, "2", -1),
               EINVAL, "compat");
  CHECK_ERROR (g, guestfs_disk_create (g, q, "raw", 1 << 20,
                                       GUESTFS_DISK_CREATE_PREALLOCATION,
                                       "metadata", -1),
               EINVAL, "preallocation");
  char *nodir = xasprintf ("%s/no/such.qcow2", tmp);
  CHECK_ERROR (g, guestfs_disk_create (g, nodir, "qcow2", 1 << 20, -1), EIO,
               "qemu-img create");
  CHECK_ERROR (g, guestfs_disk_create (g, nodir, "raw", 1 << 20, -1), ENOENT,
               "no/such");
  free (nodir);
  free (sparse);
  free (full);
  free (q);
  free (overlay);
  free (meta);
}

int
main (void)
{
  if (system ("qemu-img --version >/dev/null 2>&1") != 0)
    skip ("qemu-img is not installed");
  tmp = test_tmpdir ();
  guestfs_h *g = guestfs_create ();
  CHECK (g != NULL);
  guestfs_set_error_handler (g, NULL, NULL);
  test_printers (g);
  test_return_values (g);
  test_config_and_drives (g);
  test_disk_create (g);
  CHECK_ERROR_NULL (g, guestfs_list_9p (g), EINVAL, "launch");
  guestfs_close (g);
  return test_result ();
}
