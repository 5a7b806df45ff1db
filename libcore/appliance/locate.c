/* Finding the appliance: a fixed appliance along the search path
 * (LIBGUESTFS_PATH), else the one the cache builds from a supermin
 * appliance.  Also where the build inputs are expected to be.
 *
 * The appliance is made of three files:
 *   kernel  the host's kernel, unpacked to an ELF vmlinux when it can be
 *           (kernel.c);
 *   initrd  a minimal initramfs: our /init plus only the modules needed
 *           (initrd.c);
 *   root    an ext2 image of the host's packages made by supermin --build
 *           (build.c).
 */

#include <config.h>

#include <dlfcn.h>
#include <libgen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "appliance-internal.h"
#include "cleanup.h"

/* ------------------------------------------------------------------ */
/* Where the inputs are: the one place that knows. */

/* The real directory of the file (library or program) this code was
 * linked into, or NULL. */
static char *
own_directory (void)
{
  Dl_info info;
  if (dladdr ((void *) appliance_default_supermin_d, &info) == 0 ||
      info.dli_fname == NULL)
    return NULL;
  /* The name as the loader has it if it cannot be resolved (realpath
   * does not work in a program that loaded the sanitizers' runtime
   * late, as this library's own sanitizer build in Debian's tools). */
  char *file = realpath (info.dli_fname, NULL);
  if (file == NULL && info.dli_fname[0] == '/')
    file = strdup (info.dli_fname);
  if (file == NULL)
    return NULL;
  char *dir = strdup (dirname (file));
  free (file);
  return dir;
}

/* Is dir the build tree or inside it? */
static int
in_build_tree (const char *dir)
{
  CLEANUP_FREE char *build = realpath (BUILD_DIR, NULL);
  if (build == NULL)
    build = strdup (BUILD_DIR);
  if (build == NULL)
    return 0;
  size_t n = strlen (build);
  return strncmp (dir, build, n) == 0 && (dir[n] == '/' || dir[n] == '\0');
}

/* The installed supermin.d next to dir: dir is the library directory
 * (libguestfs.so) or the program directory (guestfs-test-tool). */
static char *
installed_supermin_d (const char *dir)
{
  static const char *const from[] = { APPLIANCE_FROM_LIBDIR,
                                      APPLIANCE_FROM_BINDIR };
  for (size_t i = 0; i < sizeof from / sizeof from[0]; ++i) {
    char *p = appliance_asprintf ("%s/%s/supermin.d", dir, from[i]);
    if (p && is_dir (p))
      return p;
    free (p);
  }
  return NULL;
}

static const char *default_supermin_d;

static void
find_default_supermin_d (void)
{
  CLEANUP_FREE char *dir = own_directory ();
  /* Built code uses the build tree's inputs; installed code never
   * does, even while the build tree exists. */
  if (dir && in_build_tree (dir))
    default_supermin_d = BUILD_APPLIANCE_DIR "/supermin.d";
  else if (dir)
    default_supermin_d = installed_supermin_d (dir);
  if (default_supermin_d == NULL)
    default_supermin_d = INSTALLED_APPLIANCE_DIR "/supermin.d";
}

/* The supermin appliance the build prepared (appliance/CMakeLists.txt):
 * the build tree's for code run from the build tree, else the one
 * installed with this code, found relative to where it is installed
 * (so a tree installed with DESTDIR or another --prefix works where it
 * is), else the configured install location. */
const char *
appliance_default_supermin_d (void)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once (&once, find_default_supermin_d);
  return default_supermin_d;
}

/* ------------------------------------------------------------------ */
/* Fixed appliances and the search path. */

/* A fixed appliance is a directory made by make-fixed-appliance (or by
 * hand): README.fixed, kernel, initrd and optionally root. */
static int
try_fixed (struct ctx *c, const char *dir, struct appliance_files *out)
{
  CLEANUP_FREE char *readme = appliance_asprintf ("%s/README.fixed", dir);
  CLEANUP_FREE char *kernel = appliance_asprintf ("%s/kernel", dir);
  CLEANUP_FREE char *initrd = appliance_asprintf ("%s/initrd", dir);
  CLEANUP_FREE char *root = appliance_asprintf ("%s/root", dir);

  if (!readme || !kernel || !initrd || !root)
    return fail (c, "out of memory");
  if (!is_file (readme) || !is_file (kernel) || !is_file (initrd))
    return 0;
  out->kernel = realpath (kernel, NULL);
  out->initrd = realpath (initrd, NULL);
  out->root = is_file (root) ? realpath (root, NULL) : NULL;
  if (!out->kernel || !out->initrd) {
    appliance_files_free (out);
    return fail_errno (c, "%s", dir);
  }
  debug (c, "using fixed appliance %s", dir);
  return 1;
}

/* Calls fn for each element of a colon-separated path; an empty element
 * is the current directory.  Stops at the first non-zero return. */
static int
for_each_path_elem (const char *path,
                    int (*fn) (struct ctx *, const char *, void *),
                    struct ctx *c, void *data)
{
  const char *p = path;

  if (path == NULL)
    return 0;
  for (;;) {
    size_t len = strcspn (p, ":");
    char *dir = len == 0 ? strdup (".") : strndup (p, len);
    int r;

    if (dir == NULL)
      return fail (c, "out of memory");
    r = fn (c, dir, data);
    free (dir);
    if (r != 0)
      return r;
    if (p[len] == '\0')
      return 0;
    p += len + 1;
  }
}

static int
fixed_cb (struct ctx *c, const char *dir, void *data)
{
  return try_fixed (c, dir, data);
}

static int
supermin_d_cb (struct ctx *c, const char *dir, void *data)
{
  char **res = data;
  char *p = appliance_asprintf ("%s/supermin.d", dir);

  if (p == NULL)
    return fail (c, "out of memory");
  if (is_dir (p)) {
    *res = p;
    return 1;
  }
  free (p);
  return 0;
}
int
appliance_locate (const char *search_path, const char *supermin_d,
                  const char *cachedir, int verbose,
                  appliance_log_fn log, void *opaque,
                  struct appliance_files *out,
                  char *err, size_t errlen)
{
  struct ctx c = { verbose, log, opaque, err, errlen };
  CLEANUP_FREE char *found_sd = NULL;
  int r;

  memset (out, 0, sizeof *out);
  if (err && errlen)
    err[0] = '\0';

  r = for_each_path_elem (search_path, fixed_cb, &c, out);
  if (r != 0)
    return r > 0 ? 0 : -1;

  if (supermin_d == NULL) {
    r = for_each_path_elem (search_path, supermin_d_cb, &c, &found_sd);
    if (r < 0)
      return -1;
    supermin_d = found_sd;
  }
  if (supermin_d == NULL || !is_dir (supermin_d))
    return fail (&c, "no appliance found: no fixed appliance in the path "
                 "\"%s\" and no supermin appliance%s%s",
                 search_path ? search_path : "",
                 supermin_d ? " at " : "", supermin_d ? supermin_d : "");
  debug (&c, "appliance inputs: %s", supermin_d);
  return cache_find_or_build (&c, supermin_d, cachedir, out);
}

void
appliance_files_free (struct appliance_files *files)
{
  if (files == NULL)
    return;
  free (files->kernel);
  free (files->initrd);
  free (files->root);
  files->kernel = files->initrd = files->root = NULL;
}
