/* tar_in and tar_out against a host guestfsd: round trips with each
 * compression, excludes, numeric owners, xattrs and ACLs, failures
 * with tar's own message, and archives or guest links that try to
 * write outside the target directory. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "files-util.h"

static struct test_daemon td;
static guestfs_h *g;

#define H(p) host_path (&td, (p))

static void
make_tree (void)
{
  CHECK (guestfs_mkdir_p (g, "/src/sub") == 0);
  write_host_file (H ("/src/a.txt"), "alpha\n", 6);
  write_host_file (H ("/src/sub/b.txt"), "beta\n", 5);
  write_host_file (H ("/src/skip.log"), "log\n", 4);
  CHECK (symlink ("/etc/passwd", H ("/src/link")) == 0);
}

static bool
tree_copied (const char *top)
{
  char p[256];
  snprintf (p, sizeof p, "%s/a.txt", top);
  bool ok = host_content_is (H (p), "alpha\n", 6);
  snprintf (p, sizeof p, "%s/sub/b.txt", top);
  ok = ok && host_content_is (H (p), "beta\n", 5);
  snprintf (p, sizeof p, "%s/link", top);
  ok = ok && S_ISLNK (host_lstat (H (p)).st_mode);
  return ok;
}

static void
test_round_trips (void)
{
  static const char *const kinds[] = { NULL, "gzip", "bzip2", "xz",
                                       "zstd" };
  char *tarball = local_path (&td, "t.tar");
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i) {
    const char *z = kinds[i];
    char dest[64];
    snprintf (dest, sizeof dest, "/dest%zu", i);
    CHECK (guestfs_mkdir (g, dest) == 0);
    if (z == NULL) {
      CHECK (guestfs_tar_out (g, "/src", tarball) == 0);
      CHECK (guestfs_tar_in (g, tarball, dest) == 0);
    }
    else {
      CHECK (guestfs_tar_out_opts (g, "/src", tarball,
                                   GUESTFS_TAR_OUT_OPTS_COMPRESS, z, -1)
             == 0);
      CHECK (guestfs_tar_in_opts (g, tarball, dest,
                                  GUESTFS_TAR_IN_OPTS_COMPRESS, z, -1) == 0);
    }
    if (!tree_copied (dest))
      fprintf (stderr, "FAIL: round trip with %s\n", z ? z : "no compression");
    CHECK (tree_copied (dest));
  }
  /* The host's tar reads what tar_out wrote; names start with ./ */
  CHECK (guestfs_tar_out (g, "/src", tarball) == 0);
  char *list = host_command ("tar -tf '%s' | sort", tarball);
  CHECK (list && strstr (list, "./a.txt\n") && strstr (list, "./sub/b.txt\n"));
  free (list);

  /* Excludes and numeric owners. */
  char *ex[] = { "*.log", "./sub", NULL };
  CHECK (guestfs_tar_out_opts (g, "/src", tarball,
                               GUESTFS_TAR_OUT_OPTS_EXCLUDES, ex,
                               GUESTFS_TAR_OUT_OPTS_NUMERICOWNER, 1, -1)
         == 0);
  list = host_command ("tar -tvf '%s'", tarball);
  CHECK (list && strstr (list, "a.txt") && !strstr (list, "skip.log") &&
         !strstr (list, "b.txt"));
  char owner[32];
  snprintf (owner, sizeof owner, " %d/%d ", (int) getuid (), (int) getgid ());
  CHECK (list && strstr (list, owner));
  free (list);
  free (tarball);
}

static void
test_xattrs_and_acls (void)
{
  if (setxattr (H ("/src/a.txt"), "user.tar", "kept", 4, 0) == -1) {
    printf ("no user xattrs here: tar xattr checks skipped\n");
    return;
  }
  char *tarball = local_path (&td, "x.tar");
  CHECK (guestfs_tar_out_opts (g, "/src", tarball,
                               GUESTFS_TAR_OUT_OPTS_XATTRS, 1, -1) == 0);
  CHECK (guestfs_mkdir (g, "/xdest") == 0);
  CHECK (guestfs_tar_in_opts (g, tarball, "/xdest",
                              GUESTFS_TAR_IN_OPTS_XATTRS, 1, -1) == 0);
  char v[16];
  CHECK (getxattr (H ("/xdest/a.txt"), "user.tar", v, sizeof v) == 4 &&
         memcmp (v, "kept", 4) == 0);
  /* Without the flag, none. */
  CHECK (guestfs_mkdir (g, "/nxdest") == 0);
  CHECK (guestfs_tar_in (g, tarball, "/nxdest") == 0);
  CHECK (getxattr (H ("/nxdest/a.txt"), "user.tar", v, sizeof v) == -1);

  char *acl = host_command ("setfacl -m u:1000:r '%s' 2>/dev/null && echo ok",
                            H ("/src/sub/b.txt"));
  if (acl) {
    CHECK (guestfs_tar_out_opts (g, "/src", tarball,
                                 GUESTFS_TAR_OUT_OPTS_ACLS, 1, -1) == 0);
    CHECK (guestfs_mkdir (g, "/adest") == 0);
    CHECK (guestfs_tar_in_opts (g, tarball, "/adest",
                                GUESTFS_TAR_IN_OPTS_ACLS, 1, -1) == 0);
    char *facl = host_command ("getfacl -n '%s' 2>/dev/null",
                               H ("/adest/sub/b.txt"));
    CHECK (facl && strstr (facl, "user:1000:r--"));
    free (facl);
  }
  else
    printf ("setfacl unavailable: tar ACL check skipped\n");
  free (acl);
  free (tarball);
}

static void
test_tar_failures (void)
{
  char *bad = local_path (&td, "bad.tar");
  write_host_file (bad, "this is not a tar file at all", 29);
  CHECK (guestfs_mkdir (g, "/bad") == 0);
  CHECK_ERROR (g, guestfs_tar_in (g, bad, "/bad"), 0, "tar: exited");
  CHECK (handle_alive (g));
  CHECK_ERROR (g, guestfs_tar_in_opts (g, bad, "/bad",
                                       GUESTFS_TAR_IN_OPTS_COMPRESS, "rar",
                                       -1),
               EINVAL, "compress");
  CHECK_ERROR (g, guestfs_tar_in_opts (g, bad, "/bad",
                                       GUESTFS_TAR_IN_OPTS_COMPRESS, "gzip",
                                       -1),
               0, "tar");
  CHECK_ERROR (g, guestfs_tar_in (g, bad, "/nothere"), ENOENT, "/nothere");
  CHECK_ERROR (g, guestfs_tar_out (g, "/nothere", bad), ENOENT, "/nothere");
  CHECK_ERROR (g, guestfs_tar_out_opts (g, "/src", bad,
                                        GUESTFS_TAR_OUT_OPTS_COMPRESS, "zip",
                                        -1),
               EINVAL, "compress");
  CHECK (handle_alive (g));
  free (bad);
}

/* Writes must stay in the target directory: neither ".." members nor
 * a guest symbolic link to a host directory may take them out. */
static void
test_confinement (void)
{
  char *outside = local_path (&td, "outside");
  CHECK (mkdir (outside, 0755) == 0);
  CHECK (guestfs_mkdir (g, "/jail") == 0);
  /* An absolute link means the guest's root to the guest, but tar on
   * the host would follow it to the host directory. */
  CHECK (symlink (outside, H ("/jail/evil")) == 0);

  char *stage = local_path (&td, "stage");
  char *tarball = local_path (&td, "evil.tar");
  char *r = host_command (
    "mkdir -p '%s/evil' && echo pwned > '%s/evil/pwned' && "
    "tar -cf '%s' -C '%s' evil/pwned && echo ok",
    stage, stage, tarball, stage);
  CHECK (r != NULL);
  free (r);
  int ok = guestfs_tar_in (g, tarball, "/jail");
  char pwned[512];
  snprintf (pwned, sizeof pwned, "%s/pwned", outside);
  CHECK (!host_exists (pwned));
  /* tar may replace the link with a directory, or fail: either way
   * nothing was written on the host. */
  if (ok == 0)
    CHECK (!S_ISLNK (host_lstat (H ("/jail/evil")).st_mode) ||
           !host_exists (pwned));
  CHECK (handle_alive (g));

  /* A member named ../escape. */
  r = host_command ("cd '%s' && echo x > escape && mkdir -p in && "
                    "tar -cf '%s' -P in/../escape && echo ok",
                    stage, tarball);
  free (r);
  guestfs_tar_in (g, tarball, "/jail");
  CHECK (!host_exists (H ("/escape")));
  CHECK (handle_alive (g));

  free (outside);
  free (stage);
  free (tarball);
}

int
main (void)
{
  g = test_daemon_start (&td);
  if (guestfs_mkdir (g, "/probe") == 0 &&
      guestfs_tar_in (g, "/dev/null", "/probe") == -1 &&
      guestfs_last_errno (g) == ENOTSUP) {
    test_daemon_stop (&td, g);
    skip ("this kernel has no Landlock, which tar_in needs on the host");
  }
  make_tree ();
  test_round_trips ();
  test_xattrs_and_acls ();
  test_tar_failures ();
  test_confinement ();
  CHECK (handle_alive (g));
  test_daemon_stop (&td, g);
  return test_result ();
}
