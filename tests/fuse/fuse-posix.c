/* POSIX semantics of the read-write mount, against the kernel's own:
 * every sequence of operations runs twice, once on a directory of the
 * host filesystem (the reference) and once through a mount with -o
 * allow_other,default_permissions of a daemon serving a directory of
 * the same filesystem, and what each shows must be the same.
 *
 * - Ownership: files, directories, FIFOs and symbolic links created by
 *   other users belong to their fsuid and fsgid, with set-group-ID
 *   directories passing on their group; those users can then chmod,
 *   chgrp and open what they created; root's explicit chown works.
 * - ctime and nlink of every name of a hard link after link, unlink
 *   and rename.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mountenv.h"

/* Two users besides root: one in the set-group-ID directory's group,
 * one not. */
#define GROUP_SHARED 4242
#define MEMBER "setpriv --reuid=4000 --regid=4000 --groups=4242"
#define OUTSIDER "setpriv --reuid=65534 --regid=65534 --groups=4243"

static struct mountenv *env;
static char *ref; /* the reference directory on the host filesystem */

/* The same starting point in base: a public directory and a
 * set-group-ID directory of the shared group, both writable by all. */
static void
prepare (const char *base)
{
  char *pub = xasprintf ("%s/pub", base), *sgid = xasprintf ("%s/sgid", base);
  CHECK (mkdir (pub, 0777) == 0 && chmod (pub, 01777) == 0);
  CHECK (mkdir (sgid, 0777) == 0 && chown (sgid, 0, GROUP_SHARED) == 0 &&
         chmod (sgid, 02777) == 0);
  free (pub);
  free (sgid);
}

/* Run script as user (a setpriv prefix, "" for root) in base and
 * return what it printed, with base replaced by "BASE". */
static char *
run_as (const char *user, const char *base, const char *script)
{
  char *out = xasprintf ("%s/out", env->dir);
  int r = shell ("cd '%s' && %s bash -c 'umask 022; %s' >'%s' 2>&1", base,
                 user, script, out);
  char *text = host_read (out, NULL);
  unlink (out);
  free (out);
  char *shown = xasprintf ("exit %d\n%s", r, text ? text : "");
  free (text);
  return shown;
}

/* The script gives the same output on the reference and the mount. */
static void
same_as_kernel (const char *user, const char *script)
{
  char *want = run_as (user, ref, script);
  char *got = run_as (user, env->mnt, script);
  if (strcmp (want, got) != 0) {
    fprintf (stderr, "FAIL: as %s: %s\n--- kernel:\n%s--- mount:\n%s---\n",
             user[0] ? user : "root", script, want, got);
    ++test_failures;
  }
  free (want);
  free (got);
}

#define SHOW "stat -c \"%n %u:%g %A\""

static void
test_ownership (void)
{
  /* Each user creates one of each kind, in both directories. */
  static const char create[] =
    "for d in pub sgid; do "
    "  touch $d/f.$N && mkdir $d/d.$N && mkfifo $d/p.$N && "
    "  mknod $d/n.$N p && ln -s f.$N $d/l.$N || exit 1; "
    "done; " SHOW " pub/*.$N sgid/*.$N";
  char *member = xasprintf ("N=member; %s", create);
  char *outsider = xasprintf ("N=outsider; %s", create);
  char *rootc = xasprintf ("N=root; %s", create);
  same_as_kernel (MEMBER, member);
  same_as_kernel (OUTSIDER, outsider);
  same_as_kernel ("", rootc);
  /* What one may then do with one's own files, and not with others'. */
  same_as_kernel (MEMBER, "chmod 600 pub/f.member && chgrp 4242 pub/f.member "
                          "&& echo data >> pub/f.member && cat pub/f.member "
                          "&& chmod 2755 sgid/d.member && " SHOW
                          " pub/f.member sgid/d.member");
  same_as_kernel (OUTSIDER, "chgrp 4243 sgid/f.outsider && "
                            "chmod g+s sgid/f.outsider; " SHOW
                            " sgid/f.outsider");
  same_as_kernel (OUTSIDER, "chmod 666 pub/f.member || echo refused; "
                            "echo x >> pub/f.member || echo refused; "
                            "chgrp 4242 pub/f.outsider || echo refused");
  /* Root sets owners explicitly, as cp -a, rsync and tar do. */
  same_as_kernel ("", "touch pub/given && chown 4000:4243 pub/given && "
                      "mkdir pub/gdir && chown 65534:4242 pub/gdir && "
                      "ln -s x pub/glink && chown -h 4000:4000 pub/glink && "
                      SHOW " pub/given pub/gdir pub/glink");
  free (member);
  free (outsider);
  free (rootc);
}

/* ---- ctime and nlink ---- */

/* What a step changed, in a form both sides can be compared in: for
 * each name, its link count and whether its ctime moved. */
struct names {
  const char *const *v;
  struct timespec ctime[16];
};

static void
observe (const char *base, struct names *n, FILE *out, const char *step)
{
  fprintf (out, "%s:", step);
  for (size_t i = 0; n->v[i]; ++i) {
    char *p = xasprintf ("%s/links/%s", base, n->v[i]);
    struct stat st;
    if (lstat (p, &st) == -1)
      fprintf (out, " %s=gone", n->v[i]);
    else {
      bool moved = st.st_ctim.tv_sec != n->ctime[i].tv_sec ||
                   st.st_ctim.tv_nsec != n->ctime[i].tv_nsec;
      fprintf (out, " %s=%lu%s", n->v[i], (unsigned long) st.st_nlink,
               moved ? "*" : "");
      n->ctime[i] = st.st_ctim;
    }
    free (p);
  }
  fputc ('\n', out);
}

/* Run the steps on base; returns what was observed after each. */
static char *
link_story (const char *base)
{
  static const char *const names[] = { ".", "a", "b", "c", "d", "e", "f",
                                       "s", "t", NULL };
  struct names n = { .v = names };
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  char *dir = xasprintf ("%s/links", base);
  CHECK (mkdir (dir, 0755) == 0);
  CHECK (chdir (dir) == 0);
  CHECK (write_file ("a", "x", 1) == 0 && write_file ("e", "y", 1) == 0);
  CHECK (link ("e", "f") == 0);
  observe (base, &n, out, "start");
  /* Coarse timestamps: let the clock move between steps. */
  struct timespec pause = { .tv_nsec = 20 * 1000 * 1000 };
#define STEP(call)                                                           \
  do {                                                                       \
    nanosleep (&pause, NULL);                                                \
    CHECK ((call) == 0);                                                     \
    observe (base, &n, out, #call);                                          \
  } while (0)
  STEP (link ("a", "b"));
  STEP (link ("b", "c"));
  STEP (unlink ("c"));
  STEP (rename ("b", "d"));
  STEP (rename ("d", "e")); /* replaces e: f loses a link */
  STEP (unlink ("a"));
  STEP (chmod ("e", 0600));
  /* Directories: their own links and their parent's. */
  STEP (mkdir ("s", 0755));
  STEP (mkdir ("s/sub", 0755));
  STEP (rename ("s", "t"));
  STEP (mkdir ("s", 0755));
  STEP (rename ("t/sub", "s/sub"));
  STEP (rename ("s", "t")); /* replaces the empty t */
  STEP (rmdir ("t/sub"));
#undef STEP
  CHECK (chdir ("/") == 0);
  free (dir);
  fclose (out);
  return buf;
}

/* A story told on the reference and on the mount must read the same. */
static void
same_story (const char *what, char *(*story) (const char *base))
{
  char *want = story (ref);
  char *got = story (env->mnt);
  if (strcmp (want, got) != 0) {
    fprintf (stderr, "FAIL: %s\n--- kernel:\n%s--- mount:\n%s---\n", what,
             want, got);
    ++test_failures;
  }
  free (want);
  free (got);
}

/* ---- Deep trees ---- */

/* The outcome of one call, for comparing. */
static void
note (FILE *out, const char *what, int r)
{
  if (r == -1)
    fprintf (out, "%s: %s\n", what, strerror (errno));
  else
    fprintf (out, "%s: ok\n", what);
}

static void
note_stat (FILE *out, int dirfd, const char *name)
{
  struct stat st;
  if (fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
    fprintf (out, "stat %s: %s\n", name, strerror (errno));
  else
    fprintf (out, "stat %s: mode %o size %lld nlink %lu\n", name,
             (unsigned) st.st_mode, (long long) st.st_size,
             (unsigned long) st.st_nlink);
}

/* A tree deeper than PATH_MAX (20 names of 250 bytes), walked with
 * directory descriptors as programs do (no single path would do), and
 * what can be done at its bottom. */
static char *
deep_story (const char *base)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  int fd = open (base, O_PATH | O_DIRECTORY);
  char name[NAME_MAX + 2];
  for (int i = 0; i < 20 && fd >= 0; ++i) {
    memset (name, 'a' + i, 250);
    name[250] = '\0';
    if (mkdirat (fd, name, 0755) == -1)
      note (out, "mkdir", -1);
    int next = openat (fd, name, O_PATH | O_DIRECTORY);
    close (fd);
    fd = next;
  }
  note (out, "descend", fd);
  if (fd >= 0) {
    int f = openat (fd, "f", O_WRONLY | O_CREAT | O_EXCL, 0640);
    note (out, "create", f);
    if (f >= 0) {
      note (out, "write", write (f, "deep", 4) == 4 ? 0 : -1);
      close (f);
    }
    note_stat (out, fd, "f");
    note (out, "link", linkat (fd, "f", fd, "g", 0));
    note_stat (out, fd, "f");
    note (out, "rename", renameat (fd, "g", fd, "h"));
    note_stat (out, fd, "h");
    note (out, "unlink", unlinkat (fd, "f", 0));
    note_stat (out, fd, "h");
    note (out, "mkdir", mkdirat (fd, "sub", 0700));
    note (out, "symlink", symlinkat ("h", fd, "sub/l"));
    note_stat (out, fd, "sub/l");
    note (out, "unlink link", unlinkat (fd, "sub/l", 0));
    note (out, "rmdir", unlinkat (fd, "sub", AT_REMOVEDIR));
    /* A name over NAME_MAX is still too long. */
    memset (name, 'z', NAME_MAX + 1);
    name[NAME_MAX + 1] = '\0';
    note (out, "long name", mkdirat (fd, name, 0755));
    close (fd);
  }
  fclose (out);
  return buf;
}

int
main (void)
{
  require_fuse ();
  if (geteuid () != 0 || system ("command -v setpriv >/dev/null") != 0)
    skip ("needs root and setpriv to act as several users");
  env = mountenv_new ();
  ref = xasprintf ("%s/ref", env->dir);
  CHECK (chmod (env->dir, 0755) == 0 && mkdir (ref, 0755) == 0);
  prepare (ref);
  prepare (env->root);
  CHECK (mountenv_mount (env, (const char *[]) {
           "-o", "allow_other,default_permissions", NULL }) == 0);
  test_ownership ();
  same_story ("links (name=nlink, * ctime changed)", link_story);
  same_story ("a tree deeper than PATH_MAX", deep_story);
  CHECK (mountenv_unmount (env) == 0);
  return test_result ();
}
