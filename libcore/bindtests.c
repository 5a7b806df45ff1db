/* The language bindings' test actions (internal_test*), with
 * libguestfs's contract: the first three print their arguments; each
 * internal_test_rTYPE returns a value derived from its argument, and
 * each internal_test_rTYPEerr fails with the message "error".  A
 * binding's test suite calls them to check its argument and return
 * value conversions without an appliance.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guestfs-internal.h"
#include "internal-actions.h"

/* ---- Output ---- */

int
guestfs_impl_internal_test_set_output (guestfs_h *g, const char *filename)
{
  FILE *fp = fopen (filename, "w");
  if (fp == NULL) {
    guestfs_int_perrorf (g, "internal_test_set_output: %s", filename);
    return -1;
  }
  if (guestfs_impl_internal_test_close_output (g) == -1) {
    fclose (fp);
    return -1;
  }
  g->test_fp = fp;
  return 0;
}

int
guestfs_impl_internal_test_close_output (guestfs_h *g)
{
  if (g->test_fp == NULL)
    return 0;
  int r = fclose (g->test_fp);
  g->test_fp = NULL;
  if (r == EOF) {
    guestfs_int_perrorf (g, "internal_test_close_output: fclose");
    return -1;
  }
  return 0;
}

static FILE *
out (guestfs_h *g)
{
  return g->test_fp ? g->test_fp : stdout;
}

static void
print_strings (FILE *fp, char *const *v)
{
  fputc ('[', fp);
  for (size_t i = 0; v[i]; ++i)
    fprintf (fp, "%s\"%s\"", i > 0 ? ", " : "", v[i]);
  fputs ("]\n", fp);
}

/* ---- Argument printers ---- */

/* "NAME: ", then "unset" if the optional argument is not set; whether
 * the caller is to print its value. */
static bool
opt_is_set (FILE *fp, const char *name, bool set)
{
  fprintf (fp, "%s: %s", name, set ? "" : "unset\n");
  return set;
}

int
guestfs_impl_internal_test (guestfs_h *g, const char *str, const char *optstr,
                            char *const *strlist, int b, int integer,
                            int64_t integer64, const char *filein,
                            const char *fileout, const char *bufferin,
                            size_t bufferin_size,
                            const struct guestfs_internal_test_argv *o)
{
  FILE *fp = out (g);
  fprintf (fp, "%s\n", str);
  fprintf (fp, "%s\n", optstr ? optstr : "null");
  print_strings (fp, strlist);
  fprintf (fp, "%s\n", b ? "true" : "false");
  fprintf (fp, "%d\n", integer);
  fprintf (fp, "%" PRIi64 "\n", integer64);
  fprintf (fp, "%s\n", filein);
  fprintf (fp, "%s\n", fileout);
  for (size_t i = 0; i < bufferin_size; ++i)
    fprintf (fp, "<%02x>", (unsigned) (unsigned char) bufferin[i]);
  fputc ('\n', fp);
  uint64_t m = o->bitmask;
  if (opt_is_set (fp, "obool", m & GUESTFS_INTERNAL_TEST_OBOOL_BITMASK))
    fprintf (fp, "%s\n", o->obool ? "true" : "false");
  if (opt_is_set (fp, "oint", m & GUESTFS_INTERNAL_TEST_OINT_BITMASK))
    fprintf (fp, "%i\n", o->oint);
  if (opt_is_set (fp, "oint64", m & GUESTFS_INTERNAL_TEST_OINT64_BITMASK))
    fprintf (fp, "%" PRIi64 "\n", o->oint64);
  if (opt_is_set (fp, "ostring", m & GUESTFS_INTERNAL_TEST_OSTRING_BITMASK))
    fprintf (fp, "%s\n", o->ostring);
  if (opt_is_set (fp, "ostringlist",
                  m & GUESTFS_INTERNAL_TEST_OSTRINGLIST_BITMASK))
    print_strings (fp, o->ostringlist);
  fflush (fp);
  return 0;
}

static void
print_int_optarg (FILE *fp, const char *name, bool set, int value)
{
  if (opt_is_set (fp, name, set))
    fprintf (fp, "%i\n", value);
}

int
guestfs_impl_internal_test_only_optargs (
  guestfs_h *g, const struct guestfs_internal_test_only_optargs_argv *o)
{
  FILE *fp = out (g);
  print_int_optarg (fp, "test",
                    o->bitmask & GUESTFS_INTERNAL_TEST_ONLY_OPTARGS_TEST_BITMASK,
                    o->test);
  fflush (fp);
  return 0;
}

#define OPT(n) offsetof (struct guestfs_internal_test_63_optargs_argv, opt##n)
static const size_t opt_offsets[63] = {
  OPT (1),  OPT (2),  OPT (3),  OPT (4),  OPT (5),  OPT (6),  OPT (7),
  OPT (8),  OPT (9),  OPT (10), OPT (11), OPT (12), OPT (13), OPT (14),
  OPT (15), OPT (16), OPT (17), OPT (18), OPT (19), OPT (20), OPT (21),
  OPT (22), OPT (23), OPT (24), OPT (25), OPT (26), OPT (27), OPT (28),
  OPT (29), OPT (30), OPT (31), OPT (32), OPT (33), OPT (34), OPT (35),
  OPT (36), OPT (37), OPT (38), OPT (39), OPT (40), OPT (41), OPT (42),
  OPT (43), OPT (44), OPT (45), OPT (46), OPT (47), OPT (48), OPT (49),
  OPT (50), OPT (51), OPT (52), OPT (53), OPT (54), OPT (55), OPT (56),
  OPT (57), OPT (58), OPT (59), OPT (60), OPT (61), OPT (62), OPT (63),
};
#undef OPT

int
guestfs_impl_internal_test_63_optargs (
  guestfs_h *g, const struct guestfs_internal_test_63_optargs_argv *o)
{
  FILE *fp = out (g);
  for (size_t i = 0; i < 63; ++i) {
    int v;
    memcpy (&v, (const char *) o + opt_offsets[i], sizeof v);
    char name[8];
    snprintf (name, sizeof name, "opt%zu", i + 1);
    print_int_optarg (fp, name, o->bitmask & (UINT64_C (1) << i), v);
  }
  fflush (fp);
  return 0;
}

/* ---- Return values ---- */

static bool
parse_count (guestfs_h *g, const char *fn, const char *val, size_t *n)
{
  if (sscanf (val, "%zu", n) == 1 && *n <= 1000000)
    return true;
  guestfs_int_error_errno (g, EINVAL, "%s: expecting int argument", fn);
  return false;
}

static void
fill_lvm_pv (guestfs_h *g, struct guestfs_lvm_pv *pv, size_t i)
{
  pv->pv_name = safe_asprintf (g, "pv%zu", i);
  memcpy (pv->pv_uuid, "12345678901234567890123456789012", 32);
  pv->pv_fmt = safe_strdup (g, "unknown");
  pv->pv_size = pv->dev_size = pv->pv_free = pv->pv_used = i;
  pv->pv_attr = safe_asprintf (g, "attr%zu", i);
  pv->pv_pe_count = pv->pv_pe_alloc_count = (int64_t) i;
  pv->pv_tags = safe_asprintf (g, "tag%zu", i);
  pv->pe_start = i;
  pv->pv_mda_count = (int64_t) i;
  pv->pv_mda_free = i;
}

int
guestfs_impl_internal_test_rint (guestfs_h *g, const char *val)
{
  int r;
  if (sscanf (val, "%d", &r) != 1) {
    guestfs_int_error_errno (g, EINVAL, "%s: expecting int argument",
                             "internal_test_rint");
    return -1;
  }
  return r;
}

int64_t
guestfs_impl_internal_test_rint64 (guestfs_h *g, const char *val)
{
  int64_t r;
  if (sscanf (val, "%" SCNi64, &r) != 1) {
    guestfs_int_error_errno (g, EINVAL, "%s: expecting int64 argument",
                             "internal_test_rint64");
    return -1;
  }
  return r;
}

int
guestfs_impl_internal_test_rbool (guestfs_h *g, const char *val)
{
  return strcmp (val, "true") == 0;
}

/* A static string, so that a caller that frees it crashes. */
const char *
guestfs_impl_internal_test_rconststring (guestfs_h *g, const char *val)
{
  return "static string";
}

const char *
guestfs_impl_internal_test_rconstoptstring (guestfs_h *g, const char *val)
{
  return "static string";
}

char *
guestfs_impl_internal_test_rstring (guestfs_h *g, const char *val)
{
  return safe_strdup (g, val);
}

/* n strings "0", "1", ... (each twice if pairs: a hash table). */
static char **
numbers (guestfs_h *g, size_t n, bool pairs)
{
  size_t per = pairs ? 2 : 1;
  char **r = safe_malloc (g, (n * per + 1) * sizeof *r);
  for (size_t i = 0; i < n * per; ++i)
    r[i] = safe_asprintf (g, "%zu", i / per);
  r[n * per] = NULL;
  return r;
}

char **
guestfs_impl_internal_test_rstringlist (guestfs_h *g, const char *val)
{
  size_t n;
  if (!parse_count (g, "internal_test_rstringlist", val, &n))
    return NULL;
  return numbers (g, n, false);
}

char **
guestfs_impl_internal_test_rhashtable (guestfs_h *g, const char *val)
{
  size_t n;
  if (!parse_count (g, "internal_test_rhashtable", val, &n))
    return NULL;
  return numbers (g, n, true);
}

struct guestfs_lvm_pv *
guestfs_impl_internal_test_rstruct (guestfs_h *g, const char *val)
{
  struct guestfs_lvm_pv *r = safe_malloc (g, sizeof *r);
  fill_lvm_pv (g, r, 0);
  return r;
}

struct guestfs_lvm_pv_list *
guestfs_impl_internal_test_rstructlist (guestfs_h *g, const char *val)
{
  size_t n;
  if (!parse_count (g, "internal_test_rstructlist", val, &n))
    return NULL;
  struct guestfs_lvm_pv_list *r = safe_malloc (g, sizeof *r);
  r->len = (uint32_t) n;
  r->val = safe_malloc (g, (n ? n : 1) * sizeof *r->val);
  for (size_t i = 0; i < n; ++i)
    fill_lvm_pv (g, &r->val[i], i);
  return r;
}

char *
guestfs_impl_internal_test_rbufferout (guestfs_h *g, const char *val,
                                       size_t *size_r)
{
  *size_r = strlen (val);
  return safe_strdup (g, val);
}

/* ---- Errors ---- */

#define TEST_ERROR(name, type, value)                                        \
  type guestfs_impl_internal_test_##name (guestfs_h *g)                      \
  {                                                                          \
    guestfs_int_error_errno (g, 0, "error");                                 \
    return value;                                                            \
  }

TEST_ERROR (rinterr, int, -1)
TEST_ERROR (rint64err, int64_t, -1)
TEST_ERROR (rboolerr, int, -1)
TEST_ERROR (rconststringerr, const char *, NULL)
TEST_ERROR (rconstoptstringerr, const char *, NULL)
TEST_ERROR (rstringerr, char *, NULL)
TEST_ERROR (rstringlisterr, char **, NULL)
TEST_ERROR (rhashtableerr, char **, NULL)
TEST_ERROR (rstructerr, struct guestfs_lvm_pv *, NULL)
TEST_ERROR (rstructlisterr, struct guestfs_lvm_pv_list *, NULL)

char *
guestfs_impl_internal_test_rbufferouterr (guestfs_h *g, size_t *size_r)
{
  guestfs_int_error_errno (g, 0, "error");
  return NULL;
}
