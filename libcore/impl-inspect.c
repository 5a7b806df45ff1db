/* Inspection, library side: inspect_os asks the daemon once
 * (internal_inspect) and keeps the answer in the handle; the
 * inspect_get_* calls answer from that copy without another round trip,
 * as guestfs(3) promises ("do not re-read the disks").
 *
 * The answer is a flat list of key/value facts in which "root" starts
 * each operating system.  Like everything from the daemon it is checked
 * before it is believed: a reply that does not start with a root, or
 * names a root twice, is refused as a whole.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guestfs-internal.h"
#include "internal-actions.h"

struct inspect_root {
  char *root;
  char **facts; /* key, value, ...: this root's facts but "root" */
  size_t nr_facts;
};

struct guestfs_inspect_data {
  struct inspect_root *roots;
  size_t nr_roots;
};

static void
free_data (struct guestfs_inspect_data *d)
{
  if (d == NULL)
    return;
  for (size_t i = 0; i < d->nr_roots; ++i) {
    free (d->roots[i].root);
    for (size_t j = 0; j < d->roots[i].nr_facts; ++j)
      free (d->roots[i].facts[j]);
    free (d->roots[i].facts);
  }
  free (d->roots);
  free (d);
}

void
guestfs_int_free_inspect_data (guestfs_h *g)
{
  free_data (g->inspect);
  g->inspect = NULL;
}

/* ---- Parsing the daemon's answer ---- */

static struct inspect_root *
find_root_exact (struct guestfs_inspect_data *d, const char *root)
{
  for (size_t i = 0; d && i < d->nr_roots; ++i)
    if (strcmp (d->roots[i].root, root) == 0)
      return &d->roots[i];
  return NULL;
}

static uint64_t
hash_string (const char *s)
{
  uint64_t h = 14695981039346656037ULL;
  for (; *s; ++s)
    h = (h ^ (unsigned char) *s) * 1099511628211ULL;
  return h;
}

/* Does any root name appear twice?  A hash set, so that a hostile
 * answer with many roots costs linear time. */
static bool
duplicate_roots (guestfs_h *g, const struct guestfs_inspect_data *d)
{
  size_t cap = 16;
  while (cap < 2 * d->nr_roots)
    cap *= 2;
  const char **set = safe_calloc (g, cap, sizeof *set);
  bool dup = false;
  for (size_t i = 0; i < d->nr_roots && !dup; ++i) {
    const char *name = d->roots[i].root;
    size_t j = hash_string (name) & (cap - 1);
    while (set[j] && !(dup = strcmp (set[j], name) == 0))
      j = (j + 1) & (cap - 1);
    set[j] = name;
  }
  free (set);
  return dup;
}

/* Take the facts (pairs) into a new data set; they are freed either
 * way.  NULL with the error set if the answer is malformed.  Two passes
 * over the facts, each array allocated once at its final size: the
 * answer comes from the guest's disks and may be large. */
static struct guestfs_inspect_data *
parse_facts (guestfs_h *g, char **facts)
{
  struct guestfs_inspect_data *d = safe_calloc (g, 1, sizeof *d);
  size_t all = guestfs_int_count_strings (facts), n = all & ~(size_t) 1;
  bool bad = n > 0 && strcmp (facts[0], "root") != 0;
  for (size_t i = 0; i < n && !bad; i += 2)
    d->nr_roots += strcmp (facts[i], "root") == 0;
  if (!bad)
    d->roots = safe_calloc (g, d->nr_roots ? d->nr_roots : 1,
                            sizeof *d->roots);
  struct inspect_root *cur = NULL;
  for (size_t i = 0; i < n && !bad; i += 2) {
    if (strcmp (facts[i], "root") == 0) {
      size_t end = i + 2;
      while (end < n && strcmp (facts[end], "root") != 0)
        end += 2;
      cur = cur ? cur + 1 : d->roots;
      cur->root = facts[i + 1];
      facts[i + 1] = NULL;
      cur->facts = safe_calloc (g, end - i - 2 + 1, sizeof *cur->facts);
      continue;
    }
    cur->facts[cur->nr_facts++] = facts[i];
    cur->facts[cur->nr_facts++] = facts[i + 1];
    facts[i] = facts[i + 1] = NULL;
  }
  /* What was not taken (the "root" keys, or all after a bad fact); the
   * list has holes now. */
  for (size_t i = 0; i < all; ++i)
    free (facts[i]);
  free (facts);
  if (!bad)
    bad = duplicate_roots (g, d);
  if (bad) {
    free_data (d);
    guestfs_int_error_errno (g, EIO,
                             "inspect_os: the daemon's answer is "
                             "malformed (a fact outside any root, or a "
                             "root named twice)");
    return NULL;
  }
  return d;
}

static char **
copy_roots (guestfs_h *g, struct guestfs_inspect_data *d)
{
  size_t n = d ? d->nr_roots : 0;
  char **r = safe_calloc (g, n + 1, sizeof (char *));
  for (size_t i = 0; i < n; ++i)
    r[i] = safe_strdup (g, d->roots[i].root);
  return r;
}

/* The daemon's error names the internal call: name the caller's. */
static void
rename_error (guestfs_h *g)
{
  static const char internal[] = "internal_inspect: ";
  const char *msg = guestfs_last_error (g);
  if (msg == NULL)
    return;
  if (strncmp (msg, internal, sizeof internal - 1) == 0)
    msg += sizeof internal - 1;
  char *rest = safe_strdup (g, msg);
  guestfs_int_error_errno (g, guestfs_last_errno (g), "inspect_os: %s", rest);
  free (rest);
}

char **
guestfs_impl_inspect_os (guestfs_h *g)
{
  /* Hold the handler back so that the caller hears of a failure once,
   * under this call's name. */
  void *handler_data;
  guestfs_error_handler_cb handler =
      guestfs_get_error_handler (g, &handler_data);
  guestfs_set_error_handler (g, NULL, NULL);
  char **facts = guestfs_internal_inspect (g);
  guestfs_set_error_handler (g, handler, handler_data);
  if (facts == NULL) {
    rename_error (g);
    return NULL;
  }
  struct guestfs_inspect_data *d = parse_facts (g, facts);
  if (d == NULL)
    return NULL;
  guestfs_int_free_inspect_data (g);
  g->inspect = d;
  return copy_roots (g, d);
}

char **
guestfs_impl_inspect_get_roots (guestfs_h *g)
{
  return copy_roots (g, g->inspect);
}

/* ---- Looking facts up ---- */

/* The disk part of a device name without the kind of disk: sda2, vda2
 * and hda2 all name the second partition of the first disk, and the
 * caller may use either spelling (see BLOCK DEVICE NAMING). */
static bool
same_device (const char *a, const char *b)
{
  static const char prefix[] = "btrfsvol:";
  size_t plen = sizeof prefix - 1;
  bool va = strncmp (a, prefix, plen) == 0, vb = strncmp (b, prefix, plen) == 0;
  if (va != vb)
    return false;
  if (va) {
    a += plen;
    b += plen;
  }
  if (strncmp (a, "/dev/", 5) != 0 || strncmp (b, "/dev/", 5) != 0 ||
      !strchr ("shv", a[5]) || !strchr ("shv", b[5]) || a[5] == '\0' ||
      b[5] == '\0' || a[6] != 'd' || b[6] != 'd')
    return false;
  return strcmp (a + 6, b + 6) == 0;
}

static struct inspect_root *
find_root (guestfs_h *g, const char *name, const char *root)
{
  struct guestfs_inspect_data *d = g->inspect;
  struct inspect_root *r = find_root_exact (d, root);
  for (size_t i = 0; r == NULL && d && i < d->nr_roots; ++i)
    if (same_device (d->roots[i].root, root))
      r = &d->roots[i];
  if (r == NULL)
    guestfs_int_error_errno (g, EINVAL,
                             "%s: %s: not a root that "
                             "guestfs_inspect_os found%s",
                             name, root, d ? "" : " (it has not been called)");
  return r;
}

static const char *
fact (struct inspect_root *r, const char *key)
{
  for (size_t i = 0; i + 1 < r->nr_facts; i += 2)
    if (strcmp (r->facts[i], key) == 0)
      return r->facts[i + 1];
  return NULL;
}

/* A text fact, or "unknown" when inspection did not find it. */
static char *
text_fact (guestfs_h *g, const char *name, const char *root, const char *key)
{
  struct inspect_root *r = find_root (g, name, root);
  if (r == NULL)
    return NULL;
  const char *v = fact (r, key);
  return safe_strdup (g, v ? v : "unknown");
}

/* A fact only some systems have: an error for the others. */
static char *
required_fact (guestfs_h *g, const char *name, const char *root,
               const char *key, const char *what)
{
  struct inspect_root *r = find_root (g, name, root);
  if (r == NULL)
    return NULL;
  const char *v = fact (r, key);
  if (v == NULL) {
    guestfs_int_error_errno (g, EINVAL, "%s: %s: %s", name, root, what);
    return NULL;
  }
  return safe_strdup (g, v);
}

static int
int_fact (guestfs_h *g, const char *name, const char *root, const char *key)
{
  struct inspect_root *r = find_root (g, name, root);
  if (r == NULL)
    return -1;
  const char *v = fact (r, key);
  if (v == NULL)
    return 0;
  char *end;
  errno = 0;
  long n = strtol (v, &end, 10);
  if (errno || *end || end == v || n < 0 || n > INT_MAX)
    return 0;
  return (int)n;
}

/* The facts whose keys start with prefix, as a hashtable of the rest
 * of the key to the value. */
static char **
prefixed_facts (guestfs_h *g, const char *name, const char *root,
                const char *prefix)
{
  struct inspect_root *r = find_root (g, name, root);
  if (r == NULL)
    return NULL;
  size_t plen = strlen (prefix), n = 0;
  char **h = safe_calloc (g, r->nr_facts + 1, sizeof (char *));
  for (size_t i = 0; i + 1 < r->nr_facts; i += 2)
    if (strncmp (r->facts[i], prefix, plen) == 0 && r->facts[i][plen]) {
      h[n++] = safe_strdup (g, r->facts[i] + plen);
      h[n++] = safe_strdup (g, r->facts[i + 1]);
    }
  return h;
}

/* The number of names in a path (runs of non-slash characters). */
static size_t
depth (const char *p)
{
  size_t n = 0;
  for (bool in = false; *p; ++p)
    if (*p == '/')
      in = false;
    else if (!in) {
      in = true;
      ++n;
    }
  return n;
}

static int
compare_mount_pairs (const void *a, const void *b)
{
  const char *const *x = a, *const *y = b;
  size_t dx = depth (x[0]), dy = depth (y[0]);
  if (dx != dy)
    return dx < dy ? -1 : 1;
  return strcmp (x[0], y[0]);
}

/* ---- The getters ---- */

char *
guestfs_impl_inspect_get_type (guestfs_h *g, const char *root)
{
  return text_fact (g, "inspect_get_type", root, "type");
}

char *
guestfs_impl_inspect_get_distro (guestfs_h *g, const char *root)
{
  return text_fact (g, "inspect_get_distro", root, "distro");
}

char *
guestfs_impl_inspect_get_product_name (guestfs_h *g, const char *root)
{
  return text_fact (g, "inspect_get_product_name", root, "product_name");
}

char *
guestfs_impl_inspect_get_product_variant (guestfs_h *g, const char *root)
{
  return text_fact (g, "inspect_get_product_variant", root, "product_variant");
}

char *
guestfs_impl_inspect_get_hostname (guestfs_h *g, const char *root)
{
  return text_fact (g, "inspect_get_hostname", root, "hostname");
}

char *
guestfs_impl_inspect_get_arch (guestfs_h *g, const char *root)
{
  return text_fact (g, "inspect_get_arch", root, "arch");
}

char *
guestfs_impl_inspect_get_package_format (guestfs_h *g, const char *root)
{
  return text_fact (g, "inspect_get_package_format", root, "package_format");
}

char *
guestfs_impl_inspect_get_package_management (guestfs_h *g, const char *root)
{
  return text_fact (g, "inspect_get_package_management", root,
                    "package_management");
}

char *
guestfs_impl_inspect_get_format (guestfs_h *g, const char *root)
{
  return text_fact (g, "inspect_get_format", root, "format");
}

char *
guestfs_impl_inspect_get_build_id (guestfs_h *g, const char *root)
{
  return text_fact (g, "inspect_get_build_id", root, "build_id");
}

int
guestfs_impl_inspect_get_major_version (guestfs_h *g, const char *root)
{
  return int_fact (g, "inspect_get_major_version", root, "major_version");
}

int
guestfs_impl_inspect_get_minor_version (guestfs_h *g, const char *root)
{
  return int_fact (g, "inspect_get_minor_version", root, "minor_version");
}

char **
guestfs_impl_inspect_get_mountpoints (guestfs_h *g, const char *root)
{
  char **h = prefixed_facts (g, "inspect_get_mountpoints", root, "mountpoint:");
  if (h == NULL)
    return NULL;
  /* The daemon sorts them; sorting again keeps the promise whatever it
   * sent. */
  qsort (h, guestfs_int_count_strings (h) / 2, 2 * sizeof (char *),
         compare_mount_pairs);
  return h;
}

char **
guestfs_impl_inspect_get_filesystems (guestfs_h *g, const char *root)
{
  struct inspect_root *r = find_root (g, "inspect_get_filesystems", root);
  if (r == NULL)
    return NULL;
  size_t n = 0;
  char **l = safe_calloc (g, r->nr_facts / 2 + 1, sizeof (char *));
  for (size_t i = 0; i + 1 < r->nr_facts; i += 2)
    if (strcmp (r->facts[i], "filesystem") == 0)
      l[n++] = safe_strdup (g, r->facts[i + 1]);
  return l;
}

char **
guestfs_impl_inspect_get_drive_mappings (guestfs_h *g, const char *root)
{
  return prefixed_facts (g, "inspect_get_drive_mappings", root, "drive:");
}

char *
guestfs_impl_inspect_get_windows_systemroot (guestfs_h *g, const char *root)
{
  return required_fact (g, "inspect_get_windows_systemroot", root,
                        "windows_systemroot", "not a Windows system");
}

char *
guestfs_impl_inspect_get_windows_software_hive (guestfs_h *g, const char *root)
{
  return required_fact (g, "inspect_get_windows_software_hive", root,
                        "windows_software_hive",
                        "no readable SOFTWARE hive (or not Windows)");
}

char *
guestfs_impl_inspect_get_windows_system_hive (guestfs_h *g, const char *root)
{
  return required_fact (g, "inspect_get_windows_system_hive", root,
                        "windows_system_hive",
                        "no readable SYSTEM hive (or not Windows)");
}

char *
guestfs_impl_inspect_get_windows_current_control_set (guestfs_h *g,
                                                      const char *root)
{
  return required_fact (g, "inspect_get_windows_current_control_set", root,
                        "windows_current_control_set",
                        "the SYSTEM hive names no current control set "
                        "(or not Windows)");
}
