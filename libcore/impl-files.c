/* Library-side file actions built on daemon calls. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guestfs-internal.h"
#include "internal-actions.h"
#include "guestfs_protocol.h"

/* A batch must fit in a request (the names) and in a reply (one
 * statns each); leave room for headers and length words. */
#define BATCH_NAME_BYTES (GUESTFS_MESSAGE_MAX / 2)
#define BATCH_MAX_NAMES 16384

static size_t
batch_size (char *const *names)
{
  size_t n = 0, bytes = 0;
  while (names[n] && n < BATCH_MAX_NAMES) {
    size_t b = strlen (names[n]) + 8; /* length word plus padding */
    if (n > 0 && bytes + b > BATCH_NAME_BYTES)
      break;
    bytes += b;
    ++n;
  }
  return n;
}

struct guestfs_statns_list *
guestfs_impl_lstatnslist (guestfs_h *g, const char *path, char *const *names)
{
  size_t total = guestfs_int_count_strings (names);
  struct guestfs_statns_list *r = safe_malloc (g, sizeof *r);
  r->len = 0;
  r->val = safe_calloc (g, total ? total : 1, sizeof *r->val);
  size_t done = 0;
  while (done < total) {
    size_t n = batch_size (names + done);
    char **batch = safe_calloc (g, n + 1, sizeof (char *));
    memcpy (batch, names + done, n * sizeof (char *));
    struct guestfs_statns_list *part =
      guestfs_internal_lstatnslist (g, path, batch);
    free (batch);
    if (part == NULL) {
      guestfs_free_statns_list (r);
      return NULL;
    }
    if (part->len != n) {
      guestfs_int_error_errno (g, EIO, "lstatnslist: the daemon returned "
                               "%u entries for %zu names", part->len, n);
      guestfs_free_statns_list (part);
      guestfs_free_statns_list (r);
      return NULL;
    }
    memcpy (r->val + done, part->val, n * sizeof *r->val);
    free (part->val); /* the entries' contents moved to r */
    free (part);
    done += n;
    r->len = done;
  }
  return r;
}

char *
guestfs_impl_get_cachedir (guestfs_h *g)
{
  const char *xdg = getenv ("XDG_CACHE_HOME");
  if (xdg && *xdg == '/')
    return safe_asprintf (g, "%s/guestfs", xdg);
  const char *home = getenv ("HOME");
  if (home && *home == '/')
    return safe_asprintf (g, "%s/.cache/guestfs", home);
  const char *tmp = getenv ("TMPDIR");
  return safe_asprintf (g, "%s/guestfs-%d", tmp && *tmp ? tmp : "/var/tmp",
                        (int) geteuid ());
}
