/* Library-side configuration actions kept from libguestfs: flags that
 * programs set before launch, single backend settings, and the
 * deprecated ways of adding drives. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guestfs-internal.h"
#include "internal-actions.h"

#define FLAG_ACCESSORS(name)                                                 \
  int guestfs_impl_set_##name (guestfs_h *g, int value)                      \
  {                                                                          \
    g->name = value != 0;                                                    \
    return 0;                                                                \
  }                                                                          \
  int guestfs_impl_get_##name (guestfs_h *g) { return g->name; }

FLAG_ACCESSORS (network)
FLAG_ACCESSORS (pgroup)
FLAG_ACCESSORS (recovery_proc)
FLAG_ACCESSORS (selinux)
FLAG_ACCESSORS (direct)

int
guestfs_impl_set_smp (guestfs_h *g, int smp)
{
  if (smp < 1 || smp > 255) {
    guestfs_int_error_errno (g, EINVAL, "set_smp: smp: %d is not 1 to 255",
                             smp);
    return -1;
  }
  g->smp = smp;
  return 0;
}

int
guestfs_impl_get_smp (guestfs_h *g)
{
  return g->smp > 0 ? g->smp : 1;
}

/* Whether setting s is name or name=... */
static bool
setting_is (const char *s, const char *name)
{
  size_t n = strlen (name);
  return strncmp (s, name, n) == 0 && (s[n] == '\0' || s[n] == '=');
}

int
guestfs_impl_clear_backend_setting (guestfs_h *g, const char *name)
{
  int removed = 0;
  size_t j = 0;
  for (size_t i = 0; g->backend_settings && g->backend_settings[i]; ++i) {
    if (setting_is (g->backend_settings[i], name)) {
      free (g->backend_settings[i]);
      ++removed;
    }
    else
      g->backend_settings[j++] = g->backend_settings[i];
  }
  if (g->backend_settings)
    g->backend_settings[j] = NULL;
  return removed;
}

int
guestfs_impl_set_backend_setting (guestfs_h *g, const char *name,
                                  const char *val)
{
  guestfs_impl_clear_backend_setting (g, name);
  size_t n = guestfs_int_count_strings (g->backend_settings);
  g->backend_settings = safe_realloc (g, g->backend_settings,
                                      (n + 2) * sizeof (char *));
  g->backend_settings[n] = safe_asprintf (g, "%s=%s", name, val);
  g->backend_settings[n + 1] = NULL;
  return 0;
}

char *
guestfs_impl_get_backend_setting (guestfs_h *g, const char *name)
{
  const char *v = guestfs_int_get_backend_setting (g, name);
  if (v == NULL) {
    guestfs_int_error_errno (g, ESRCH, "get_backend_setting: setting not "
                             "found: %s", name);
    return NULL;
  }
  /* A setting without "=" reads as "1", as in libguestfs. */
  return safe_strdup (g, *v ? v : "1");
}

int
guestfs_impl_get_pid (guestfs_h *g)
{
  int pid = guestfs_int_qemu_pid (g);
  if (pid == -1)
    guestfs_int_error_errno (g, ESRCH, "get_pid: no qemu is running under "
                             "this handle");
  return pid;
}

int
guestfs_impl_wait_ready (guestfs_h *g)
{
  (void) g;
  return 0;
}

static int
add_with_if (guestfs_h *g, const char *filename, const char *iface,
             bool readonly)
{
  struct guestfs_add_drive_opts_argv o = {
    .bitmask = GUESTFS_ADD_DRIVE_OPTS_IFACE_BITMASK |
               GUESTFS_ADD_DRIVE_OPTS_READONLY_BITMASK,
    .iface = iface,
    .readonly = readonly,
  };
  return guestfs_impl_add_drive (g, filename, &o);
}

int
guestfs_impl_add_drive_with_if (guestfs_h *g, const char *filename,
                                const char *iface)
{
  return add_with_if (g, filename, iface, false);
}

int
guestfs_impl_add_drive_ro_with_if (guestfs_h *g, const char *filename,
                                   const char *iface)
{
  return add_with_if (g, filename, iface, true);
}

int
guestfs_impl_add_cdrom (guestfs_h *g, const char *filename)
{
  return guestfs_impl_add_drive_ro (g, filename);
}
