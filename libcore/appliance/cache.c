/* The per-user appliance cache.
 *
 * cachedir (private to the user, see prepare_cachedir) holds one slot
 * per supermin appliance, CACHE_PREFIX<hash of its location>.d, with the
 * built kernel, initrd and root and a stamp: the key of the inputs it
 * was built from.  A launch whose inputs hash to the stamp uses the slot
 * without locking; otherwise it takes cachedir/lock, builds into a
 * temporary directory and swaps it in with one rename, so readers never
 * see a partial appliance and a running qemu keeps its old files.
 */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "appliance-internal.h"
#include "cleanup.h"

/* Bump when the way the appliance is assembled changes, so that caches
 * built by older code are rebuilt. */
#define RECIPE_VERSION "1"

#define STAMP_FILE "stamp"
#define INPUTS_FILE "inputs"
/* Each build tree (each supermin.d) has its own slot in the cache,
 * CACHE_PREFIX<hash of its location>.d, so that two trees sharing a
 * cache (a normal and a sanitizer build, say) do not rebuild each
 * other's appliance at every launch. */
#define CACHE_PREFIX "appliance-"
#define ORIGIN_FILE "origin"

/* ------------------------------------------------------------------ */
/* Cache directory. */

char *
appliance_default_cachedir (void)
{
  const char *xdg = getenv ("XDG_CACHE_HOME");
  const char *tmp;

  if (xdg && xdg[0] == '/')
    return appliance_asprintf ("%s/guestfs", xdg);
  tmp = getenv ("TMPDIR");
  if (tmp == NULL || tmp[0] != '/')
    tmp = "/var/tmp";
  /* Not ".guestfs-UID": that is libguestfs's own cache, and the two
   * appliances must not replace each other when both are installed. */
  return appliance_asprintf ("%s/.guestfs-cache-%ju", tmp, (uintmax_t) geteuid ());
}

/* The cached appliance is trusted code (its /init runs the daemon we
 * talk to), so the directory must be private to us: a directory another
 * user can write to, or one planted for us in a shared /var/tmp, would
 * let them substitute it. */
static int
prepare_cachedir (struct ctx *c, const char *dir)
{
  struct stat st;
  char *copy, *p;

  copy = strdup (dir);
  if (copy == NULL)
    return fail (c, "out of memory");
  /* Create missing parents (e.g. $XDG_CACHE_HOME itself). */
  for (p = copy + 1; *p; ++p) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir (copy, 0700) == -1 && errno != EEXIST) {
      int r = fail_errno (c, "mkdir %s", copy);
      free (copy);
      return r;
    }
    *p = '/';
  }
  free (copy);
  if (mkdir (dir, 0700) == -1 && errno != EEXIST)
    return fail_errno (c, "mkdir %s", dir);
  if (lstat (dir, &st) == -1)
    return fail_errno (c, "%s", dir);
  if (!S_ISDIR (st.st_mode))
    return fail (c, "%s: not a directory", dir);
  if (st.st_uid != geteuid ())
    return fail (c, "%s: owned by uid %ju, not by us (uid %ju); "
                 "remove it or choose another cache directory",
                 dir, (uintmax_t) st.st_uid, (uintmax_t) geteuid ());
  if (st.st_mode & 022)
    return fail (c, "%s: writable by other users (mode %o)",
                 dir, (unsigned) (st.st_mode & 07777));
  return 0;
}

/* ------------------------------------------------------------------ */
/* Cache key: a description of every input the appliance is built from,
 * and a 64-bit FNV-1a hash of it.  File metadata (size, mtime, inode)
 * stands in for contents so that the warm check costs a few stat calls. */

static void
describe_stat (FILE *fp, const char *tag, const char *path)
{
  struct stat st;

  if (stat (path, &st) == -1) {
    fprintf (fp, "%s %s absent\n", tag, path);
    return;
  }
  fprintf (fp, "%s %s %o %jd %ju %jd.%09ld\n", tag, path,
           (unsigned) st.st_mode, (intmax_t) st.st_size,
           (uintmax_t) st.st_ino,
           (intmax_t) st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static void
describe_tree (FILE *fp, const char *tag, const char *dir, int depth)
{
  CLEANUP_FREE_STRING_LIST char **names = list_dir (dir);

  if (names == NULL) {
    fprintf (fp, "%s %s unreadable\n", tag, dir);
    return;
  }
  for (char **name = names; *name; ++name) {
    CLEANUP_FREE char *path = appliance_asprintf ("%s/%s", dir, *name);
    if (path) {
      describe_stat (fp, tag, path);
      if (depth > 0 && is_dir (path))
        describe_tree (fp, tag, path, depth - 1);
    }
  }
}

/* Only the entries whose name starts with prefix (dot files never). */
static void
describe_dir_prefix (FILE *fp, const char *tag, const char *dir,
                     const char *prefix)
{
  CLEANUP_FREE_STRING_LIST char **names = list_dir (dir);

  for (char **name = names; name && *name; ++name) {
    if (strncmp (*name, prefix, strlen (prefix)) == 0 && (*name)[0] != '.') {
      CLEANUP_FREE char *path = appliance_asprintf ("%s/%s", dir, *name);
      if (path)
        describe_stat (fp, tag, path);
    }
  }
}

static const char *const package_dbs[] = {
  "/var/lib/dpkg/status",
  "/var/lib/rpm/rpmdb.sqlite",
  "/var/lib/rpm/Packages",
  "/usr/lib/sysimage/rpm/rpmdb.sqlite",
  "/usr/lib/sysimage/rpm/Packages",
  "/var/lib/pacman/local",
  "/lib/apk/db/installed",
};

static const char *const kernel_env[] = {
  "SUPERMIN_KERNEL", "SUPERMIN_MODULES", "SUPERMIN_KERNEL_VERSION",
};

static char *
describe_inputs (const char *supermin_d)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream (&buf, &len);
  struct utsname u;

  if (fp == NULL)
    return NULL;
  fprintf (fp, "recipe %s\n", RECIPE_VERSION);
  initrd_describe_modules (fp);
  if (uname (&u) == 0)
    fprintf (fp, "machine %s\n", u.machine);
  describe_stat (fp, "supermin.d", supermin_d);
  describe_tree (fp, "supermin.d", supermin_d, 4);
  for (size_t i = 0; i < sizeof package_dbs / sizeof package_dbs[0]; ++i)
    describe_stat (fp, "packages", package_dbs[i]);
  for (size_t i = 0; i < sizeof kernel_env / sizeof kernel_env[0]; ++i) {
    const char *v = getenv (kernel_env[i]);
    fprintf (fp, "env %s=%s\n", kernel_env[i], v ? v : "");
    if (v && v[0] == '/')
      describe_stat (fp, "env", v);
  }
  describe_dir_prefix (fp, "boot", "/boot", "vmlinu");
  describe_dir_prefix (fp, "modules", "/lib/modules", "");
  if (fclose (fp) != 0) {
    free (buf);
    return NULL;
  }
  return buf;
}

/* Fills out from the slot adir if its stamp equals key.  Returns 1 if
 * it did, 0 if the slot is missing, stale or incomplete, -1 on error. */
static int
use_cached (struct ctx *c, const char *adir, const char *key,
            struct appliance_files *out)
{
  CLEANUP_FREE char *stamp_path = appliance_asprintf ("%s/" STAMP_FILE, adir);
  CLEANUP_FREE char *stamp = stamp_path ? read_first_line (stamp_path) : NULL;

  if (stamp == NULL || strcmp (stamp, key) != 0)
    return 0;
  out->kernel = appliance_asprintf ("%s/kernel", adir);
  out->initrd = appliance_asprintf ("%s/initrd", adir);
  out->root = appliance_asprintf ("%s/root", adir);
  if (!out->kernel || !out->initrd || !out->root) {
    appliance_files_free (out);
    return fail (c, "out of memory");
  }
  if (is_file (out->kernel) && is_file (out->initrd) && is_file (out->root))
    return 1;
  appliance_files_free (out);
  return 0;
}

/* A slot's name is CACHE_PREFIX + 16 hex digits + ".d"; anything
 * longer that starts the same way is a build left half-done. */
static bool
is_slot_name (const char *name, bool *temporary)
{
  size_t p = strlen (CACHE_PREFIX);
  if (strncmp (name, CACHE_PREFIX, p) != 0 || strlen (name) < p + 18 ||
      strncmp (name + p + 16, ".d", 2) != 0)
    return false;
  *temporary = name[p + 18] != '\0';
  return true;
}

/* Remove half-built slots, and slots whose build tree is gone (or that
 * predate the slot layout).  Called with the cache lock held. */
static void
prune_cache (const char *cachedir)
{
  DIR *d = opendir (cachedir);
  struct dirent *e;

  if (d == NULL)
    return;
  while ((e = readdir (d)) != NULL) {
    bool temporary = false;
    bool slot = is_slot_name (e->d_name, &temporary);
    if (!slot && strcmp (e->d_name, "appliance.d") != 0 &&
        strncmp (e->d_name, "appliance.d.", 12) != 0)
      continue;
    CLEANUP_FREE char *p = appliance_asprintf ("%s/%s", cachedir, e->d_name);
    CLEANUP_FREE char *o = p ? appliance_asprintf ("%s/" ORIGIN_FILE, p) : NULL;
    CLEANUP_FREE char *origin = o ? read_first_line (o) : NULL;
    bool orphan = !slot || temporary || origin == NULL ||
                  access (origin, F_OK) == -1;
    if (p && orphan)
      remove_tree (p);
  }
  closedir (d);
}

/* Writes a file of the slot dir. */
static int __attribute__((format (printf, 3, 4)))
write_slot_file (const char *dir, const char *name, const char *fmt, ...)
{
  CLEANUP_FREE char *path = appliance_asprintf ("%s/%s", dir, name);
  CLEANUP_FREE char *content = NULL;
  va_list ap;
  int r;

  va_start (ap, fmt);
  r = vasprintf (&content, fmt, ap);
  va_end (ap);
  if (r == -1)
    content = NULL;
  if (path == NULL || content == NULL) {
    errno = ENOMEM;
    return -1;
  }
  return write_file (path, content);
}

/* Swaps the freshly built tmpdir in as adir atomically; a running qemu
 * keeps the old files open, so deleting them afterwards is safe for
 * it. */
static int
swap_in (struct ctx *c, const char *tmpdir, const char *adir)
{
  if (renameat2 (AT_FDCWD, tmpdir, AT_FDCWD, adir, RENAME_EXCHANGE) == 0) {
    remove_tree (tmpdir);
    return 0;
  }
  if (errno != ENOENT && errno != EINVAL && errno != ENOSYS)
    return fail_errno (c, "rename %s", tmpdir);
  /* No old appliance, or a filesystem without RENAME_EXCHANGE. */
  if (errno != ENOENT)
    remove_tree (adir);
  if (rename (tmpdir, adir) == -1)
    return fail_errno (c, "rename %s", tmpdir);
  return 0;
}

static int
build_cached (struct ctx *c, const char *supermin_d, const char *cachedir,
              const char *adir, const char *key, const char *inputs,
              struct appliance_files *out)
{
  CLEANUP_FREE char *tmpl = appliance_asprintf ("%s.XXXXXX", adir);

  if (tmpl == NULL)
    return fail (c, "out of memory");
  prune_cache (cachedir);
  if (mkdtemp (tmpl) == NULL)
    return fail_errno (c, "mkdtemp %s", tmpl);
  chmod (tmpl, 0755);
  if (build_into (c, supermin_d, tmpl) == -1)
    goto cleanup;
  /* The inputs are kept only to explain rebuilds to a human; the origin
   * lets prune_cache drop the slot once its build tree is deleted.  The
   * stamp, written last, is what makes the slot valid. */
  write_slot_file (tmpl, INPUTS_FILE, "%s", inputs);
  write_slot_file (tmpl, ORIGIN_FILE, "%s\n", supermin_d);
  if (write_slot_file (tmpl, STAMP_FILE, "%s\n", key) == -1) {
    fail_errno (c, "%s/" STAMP_FILE, tmpl);
    goto cleanup;
  }
  if (swap_in (c, tmpl, adir) == -1)
    goto cleanup;
  if (use_cached (c, adir, key, out) == 1)
    return 0;
  if (c->err && c->err[0] == '\0')
    fail (c, "%s: appliance incomplete after build", adir);
  return -1;

 cleanup:
  remove_tree (tmpl);
  return -1;
}

/* The cached appliance for supermin_d, built first if needed. */
int
cache_find_or_build (struct ctx *c, const char *supermin_d,
                     const char *cachedir, struct appliance_files *out)
{
  CLEANUP_FREE char *own_cachedir = NULL;
  CLEANUP_FREE char *inputs = NULL, *where = NULL;
  CLEANUP_FREE char *adir = NULL, *lockpath = NULL;
  CLEANUP_CLOSE int lockfd = -1;
  char key[32];
  int r;

  if (cachedir == NULL) {
    cachedir = own_cachedir = appliance_default_cachedir ();
    if (cachedir == NULL)
      return fail (c, "out of memory");
  }
  if (prepare_cachedir (c, cachedir) == -1)
    return -1;

  inputs = describe_inputs (supermin_d);
  where = realpath (supermin_d, NULL);
  adir = appliance_asprintf ("%s/" CACHE_PREFIX "%016" PRIx64 ".d", cachedir,
                    fnv1a64 (FNV1A64_INIT, where ? where : supermin_d));
  lockpath = appliance_asprintf ("%s/lock", cachedir);
  if (!inputs || !adir || !lockpath)
    return fail (c, "out of memory");
  snprintf (key, sizeof key, "%016" PRIx64, fnv1a64 (FNV1A64_INIT, inputs));

  /* Fast path without the lock: the directory is only ever replaced by
   * an atomic rename, and a stamp equal to our key means it was built
   * from exactly our inputs. */
  r = use_cached (c, adir, key, out);
  if (r != 0) {
    if (r > 0)
      debug (c, "using cached appliance %s (key %s)", adir, key);
    return r > 0 ? 0 : -1;
  }

  lockfd = open (lockpath, O_RDWR|O_CREAT|O_CLOEXEC, 0600);
  if (lockfd == -1)
    return fail_errno (c, "%s", lockpath);
  debug (c, "waiting for the appliance lock %s", lockpath);
  while (flock (lockfd, LOCK_EX) == -1)
    if (errno != EINTR)
      return fail_errno (c, "flock %s", lockpath);
  /* Someone else may have built it while we waited. */
  r = use_cached (c, adir, key, out);
  if (r != 0)
    return r > 0 ? 0 : -1;
  debug (c, "building the appliance in %s (key %s)", adir, key);
  return build_cached (c, supermin_d, cachedir, adir, key, inputs, out);
}
