/* Inspection answers made in the library from what inspect_os found
 * and from the guest's own files: the libosinfo ID, the icon, and the
 * installed packages (dpkg's status file read here, the rpm database
 * read by the daemon: internal_list_rpm_applications). */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "guestfs-internal.h"
#include "internal-actions.h"

/* ---- libosinfo short IDs, as libguestfs derives them ---- */

static char *
windows_osinfo (guestfs_h *g, const char *root, int major, int minor)
{
  CLEANUP_FREE char *variant = guestfs_inspect_get_product_variant (g, root);
  bool server = variant && strcmp (variant, "Server") == 0;
  CLEANUP_FREE char *build_id = NULL;
  if (major == 10 && minor == 0) {
    guestfs_push_error_handler (g, NULL, NULL);
    build_id = guestfs_inspect_get_build_id (g, root);
    guestfs_pop_error_handler (g);
    long build = build_id ? strtol (build_id, NULL, 10) : 0;
    if (server)
      return safe_strdup (g, build >= 20348 ? "win2k22"
                             : build >= 17763 ? "win2k19" : "win2k16");
    return safe_strdup (g, build >= 22000 ? "win11" : "win10");
  }
  static const struct { int major, minor; const char *client, *server; } v[] = {
    { 6, 3, "win8.1", "win2k12r2" }, { 6, 2, "win8", "win2k12" },
    { 6, 1, "win7", "win2k8r2" },    { 6, 0, "winvista", "win2k8" },
    { 5, 2, "winxp", "win2k3" },     { 5, 1, "winxp", "winxp" },
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; ++i)
    if (v[i].major == major && v[i].minor == minor)
      return safe_strdup (g, server ? v[i].server : v[i].client);
  return safe_strdup (g, "unknown");
}

char *
guestfs_impl_inspect_get_osinfo (guestfs_h *g, const char *root)
{
  CLEANUP_FREE char *type = guestfs_inspect_get_type (g, root);
  CLEANUP_FREE char *distro = guestfs_inspect_get_distro (g, root);
  if (type == NULL || distro == NULL)
    return NULL;
  int major = guestfs_inspect_get_major_version (g, root);
  int minor = guestfs_inspect_get_minor_version (g, root);
  if (major < 0 || minor < 0)
    return NULL;
  if (strcmp (type, "windows") == 0)
    return windows_osinfo (g, root, major, minor);
  if (strcmp (type, "linux") != 0 || major == 0)
    return safe_strdup (g, "unknown");
  if (strcmp (distro, "debian") == 0 || strcmp (distro, "fedora") == 0 ||
      strcmp (distro, "archlinux") == 0)
    return safe_asprintf (g, "%s%d", distro, major);
  if (strcmp (distro, "ubuntu") == 0)
    return safe_asprintf (g, "ubuntu%d.%02d", major, minor);
  if (strcmp (distro, "rhel") == 0 || strcmp (distro, "centos") == 0 ||
      strcmp (distro, "rocky") == 0 || strcmp (distro, "opensuse") == 0 ||
      strcmp (distro, "sles") == 0)
    return safe_asprintf (g, "%s%d.%d", distro, major, minor);
  return safe_strdup (g, "unknown");
}

char *
guestfs_impl_inspect_get_icon (guestfs_h *g, const char *root,
                               size_t *size_r,
                               const struct guestfs_inspect_get_icon_argv *o)
{
  (void) o;
  CLEANUP_FREE char *type = guestfs_inspect_get_type (g, root);
  if (type == NULL)
    return NULL;
  /* No icon found: an empty, non-NULL buffer, as libguestfs returns. */
  *size_r = 0;
  return safe_strdup (g, "");
}

/* ---- Installed packages ---- */

struct app {
  char *name, *version, *release, *arch, *summary, *description;
  int epoch;
};

static void
free_app (struct app *a)
{
  free (a->name);
  free (a->version);
  free (a->release);
  free (a->arch);
  free (a->summary);
  free (a->description);
}

/* "EPOCH:UPSTREAM-REVISION" */
static void
split_deb_version (guestfs_h *g, const char *v, struct app *a)
{
  const char *colon = strchr (v, ':');
  a->epoch = colon ? atoi (v) : 0;
  if (colon)
    v = colon + 1;
  const char *dash = strrchr (v, '-');
  a->version = dash ? safe_asprintf (g, "%.*s", (int) (dash - v), v)
                    : safe_strdup (g, v);
  a->release = safe_strdup (g, dash ? dash + 1 : "");
}

static char *
append_line (guestfs_h *g, char *text, const char *line)
{
  char *r = safe_asprintf (g, "%s%s%s", text ? text : "", text ? "\n" : "",
                           line);
  free (text);
  return r;
}

/* One stanza of /var/lib/dpkg/status, lines already split.  Returns
 * true for an installed package, filling a. */
static bool
parse_stanza (guestfs_h *g, char **lines, size_t n, struct app *a)
{
  bool installed = false, in_description = false;
  memset (a, 0, sizeof *a);
  for (size_t i = 0; i < n; ++i) {
    const char *l = lines[i];
    if (in_description && l[0] == ' ') {
      const char *text = strcmp (l, " .") == 0 ? "" : l + 1;
      a->description = append_line (g, a->description, text);
      continue;
    }
    in_description = false;
    if (strncmp (l, "Package: ", 9) == 0 && !a->name)
      a->name = safe_strdup (g, l + 9);
    else if (strncmp (l, "Status: ", 8) == 0)
      installed = strstr (l + 8, " installed") != NULL &&
                  strncmp (l + 8, "install ", 8) == 0;
    else if (strncmp (l, "Version: ", 9) == 0 && !a->version)
      split_deb_version (g, l + 9, a);
    else if (strncmp (l, "Architecture: ", 14) == 0 && !a->arch)
      a->arch = safe_strdup (g, l + 14);
    else if (strncmp (l, "Description: ", 13) == 0 && !a->summary) {
      a->summary = safe_strdup (g, l + 13);
      in_description = true;
    }
  }
  if (!installed || !a->name || !a->version) {
    free_app (a);
    return false;
  }
  return true;
}

/* The installed packages of the dpkg database at path (host file). */
static struct app *
read_dpkg_status (guestfs_h *g, const char *path, size_t *n_r)
{
  CLEANUP_FCLOSE FILE *f = fopen (path, "r");
  struct app *apps = NULL;
  size_t napps = 0;
  char **lines = NULL;
  size_t nlines = 0;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  *n_r = 0;
  if (f == NULL) {
    perrorf (g, "%s", path);
    return NULL;
  }
  for (;;) {
    len = getline (&line, &cap, f);
    if (len > 0 && line[len - 1] == '\n')
      line[--len] = '\0';
    if (len > 0) {
      lines = safe_realloc (g, lines, (nlines + 1) * sizeof *lines);
      lines[nlines++] = safe_strdup (g, line);
      continue;
    }
    /* A blank line or the end: one stanza done. */
    struct app a;
    if (nlines && parse_stanza (g, lines, nlines, &a)) {
      apps = safe_realloc (g, apps, (napps + 1) * sizeof *apps);
      apps[napps++] = a;
    }
    for (size_t i = 0; i < nlines; ++i)
      free (lines[i]);
    nlines = 0;
    if (len == -1)
      break;
  }
  free (lines);
  free (line);
  *n_r = napps;
  return apps ? apps : safe_calloc (g, 1, sizeof *apps);
}

/* The installed packages of the dpkg database, in its order. */
static struct app *
list_deb_apps (guestfs_h *g, size_t *n_r)
{
  *n_r = 0;
  const char *status = "/var/lib/dpkg/status";
  if (guestfs_is_file (g, status) != 1)
    return safe_calloc (g, 1, sizeof (struct app));
  if (guestfs_int_lazy_make_tmpdir (g) == -1)
    return NULL;
  CLEANUP_FREE char *local = safe_asprintf (g, "%s/dpkg-status", g->tmpdir);
  if (guestfs_download (g, status, local) == -1)
    return NULL;
  struct app *apps = read_dpkg_status (g, local, n_r);
  unlink (local);
  return apps;
}

static char *
or_empty (guestfs_h *g, char *s)
{
  return s ? s : safe_strdup (g, "");
}

static struct guestfs_application2_list *
list_deb_applications (guestfs_h *g)
{
  size_t n;
  struct app *apps = list_deb_apps (g, &n);
  if (apps == NULL)
    return NULL;
  struct guestfs_application2_list *r = safe_malloc (g, sizeof *r);
  r->len = n;
  r->val = safe_calloc (g, n ? n : 1, sizeof *r->val);
  for (size_t i = 0; i < n; ++i) {
    struct guestfs_application2 *o = &r->val[i];
    struct app *a = &apps[i];
    o->app2_name = a->name;
    o->app2_display_name = safe_strdup (g, "");
    o->app2_epoch = a->epoch;
    o->app2_version = a->version;
    o->app2_release = a->release;
    o->app2_arch = or_empty (g, a->arch);
    o->app2_install_path = safe_strdup (g, "");
    o->app2_trans_path = safe_strdup (g, "");
    o->app2_publisher = safe_strdup (g, "");
    o->app2_url = safe_strdup (g, "");
    o->app2_source_package = safe_strdup (g, "");
    o->app2_summary = or_empty (g, a->summary);
    o->app2_description = or_empty (g, a->description);
    o->app2_spare1 = safe_strdup (g, "");
    o->app2_spare2 = safe_strdup (g, "");
    o->app2_spare3 = safe_strdup (g, "");
    o->app2_spare4 = safe_strdup (g, "");
  }
  free (apps);
  return r;
}

/* Sorting the dpkg database's packages by name, stably: packages of one
 * name keep the order the database gave them, as in libguestfs, whose
 * sort is glibc's merge sort.  (The rpm list comes sorted, in
 * libguestfs's order, from the daemon.) */
struct sort_entry {
  struct guestfs_application2 app;
  size_t pos;
};

static int
compare_entries (const void *x, const void *y)
{
  const struct sort_entry *a = x, *b = y;
  int c = strcmp (a->app.app2_name, b->app.app2_name);
  if (c)
    return c;
  return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static void
sort_applications (guestfs_h *g, struct guestfs_application2_list *l)
{
  if (l->len < 2)
    return;
  struct sort_entry *e = safe_malloc (g, l->len * sizeof *e);
  for (size_t i = 0; i < l->len; ++i)
    e[i] = (struct sort_entry){ l->val[i], i };
  qsort (e, l->len, sizeof *e, compare_entries);
  for (size_t i = 0; i < l->len; ++i)
    l->val[i] = e[i].app;
  free (e);
}

struct guestfs_application2_list *
guestfs_impl_inspect_list_applications2 (guestfs_h *g, const char *root)
{
  CLEANUP_FREE char *type = guestfs_inspect_get_type (g, root);
  if (type == NULL)
    return NULL;
  CLEANUP_FREE char *format = guestfs_inspect_get_package_format (g, root);
  if (format == NULL)
    return NULL;
  bool linux_like = strcmp (type, "linux") == 0 || strcmp (type, "hurd") == 0;
  struct guestfs_application2_list *r;
  if (linux_like && strcmp (format, "rpm") == 0)
    r = guestfs_internal_list_rpm_applications (g);
  else if (linux_like && strcmp (format, "deb") == 0) {
    r = list_deb_applications (g);
    if (r)
      sort_applications (g, r);
  }
  else {
    /* Not an error, as in libguestfs: nothing is known. */
    debug (g, "inspect_list_applications2: %s packages (%s) are not read",
           format, type);
    r = safe_malloc (g, sizeof *r);
    r->len = 0;
    r->val = safe_calloc (g, 1, sizeof *r->val);
  }
  return r;
}

struct guestfs_application_list *
guestfs_impl_inspect_list_applications (guestfs_h *g, const char *root)
{
  struct guestfs_application2_list *l2 =
    guestfs_impl_inspect_list_applications2 (g, root);
  if (l2 == NULL)
    return NULL;
  struct guestfs_application_list *r = safe_malloc (g, sizeof *r);
  r->len = l2->len;
  r->val = safe_calloc (g, l2->len ? l2->len : 1, sizeof *r->val);
  for (uint32_t i = 0; i < l2->len; ++i) {
    const struct guestfs_application2 *a = &l2->val[i];
    struct guestfs_application *o = &r->val[i];
    o->app_name = safe_strdup (g, a->app2_name);
    o->app_display_name = safe_strdup (g, a->app2_display_name);
    o->app_epoch = a->app2_epoch;
    o->app_version = safe_strdup (g, a->app2_version);
    o->app_release = safe_strdup (g, a->app2_release);
    o->app_install_path = safe_strdup (g, a->app2_install_path);
    o->app_trans_path = safe_strdup (g, a->app2_trans_path);
    o->app_publisher = safe_strdup (g, a->app2_publisher);
    o->app_url = safe_strdup (g, a->app2_url);
    o->app_source_package = safe_strdup (g, a->app2_source_package);
    o->app_summary = safe_strdup (g, a->app2_summary);
    o->app_description = safe_strdup (g, a->app2_description);
  }
  guestfs_free_application2_list (l2);
  return r;
}
