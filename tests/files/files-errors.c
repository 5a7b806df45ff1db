/* Errors and containment for the Files and Data groups: missing paths
 * (ENOENT), relative paths (EINVAL naming the argument), wrong types,
 * requests over the message limit, and guest paths that try to leave
 * the sysroot with ".." or absolute symbolic links.  After every error
 * the handle must still work.
 *
 * Mutations through a hostile link use a link to a scratch host file
 * (never to a real system file): if containment failed, the damage
 * would stay in the test directory, and the check would see it. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "files-util.h"

static struct test_daemon td;
static guestfs_h *g;

#define H(p) host_path (&td, (p))
#define ALIVE() CHECK (handle_alive (g))

static void
test_missing_paths (void)
{
  size_t n;
  CHECK_ERROR_NULL (g, guestfs_pread (g, "/no", 1, 0, &n), ENOENT, "/no");
  CHECK_ERROR (g, guestfs_pwrite (g, "/no", "x", 1, 0), ENOENT, "/no");
  CHECK_ERROR_NULL (g, guestfs_getxattr (g, "/no", "user.x", &n), ENOENT,
                    "/no");
  CHECK_ERROR_NULL (g, guestfs_getxattrs (g, "/no"), ENOENT, "/no");
  CHECK_ERROR (g, guestfs_setxattr (g, "user.x", "v", 1, "/no"), ENOENT,
               "/no");
  CHECK_ERROR (g, guestfs_chown (g, 0, 0, "/no"), ENOENT, "/no");
  CHECK_ERROR (g, guestfs_utimens (g, "/no", 0, 0, 0, 0), ENOENT, "/no");
  CHECK_ERROR (g, guestfs_truncate (g, "/no"), ENOENT, "/no");
  CHECK_ERROR (g, guestfs_ln (g, "/no", "/x"), ENOENT, "/no");
  CHECK_ERROR (g, guestfs_mkfifo (g, 0600, "/nodir/f"), ENOENT, "/nodir/f");
  CHECK_ERROR_NULL (g, guestfs_checksum (g, "md5", "/no"), ENOENT, "/no");
  CHECK_ERROR_NULL (g, guestfs_read_lines (g, "/no"), ENOENT, "/no");
  CHECK_ERROR (g, guestfs_wc_l (g, "/no"), ENOENT, "/no");
  CHECK_ERROR_NULL (g, guestfs_find (g, "/no"), ENOENT, "/no");
  CHECK_ERROR_NULL (g, guestfs_ll (g, "/no"), ENOENT, "/no");
  CHECK_ERROR_NULL (g, guestfs_statvfs (g, "/no"), ENOENT, "/no");
  CHECK_ERROR (g, guestfs_cp_a (g, "/no", "/x"), ENOENT, "/no");
  CHECK_ERROR (g, guestfs_fill (g, 0, 1, "/nodir/f"), ENOENT, "/nodir/f");
  char **l = guestfs_readlinklist (g, "/no", (char *[]){ "a", NULL });
  CHECK (l == NULL && guestfs_last_errno (g) == ENOENT);
  /* An empty list still checks the directory. */
  l = guestfs_readlinklist (g, "/no", (char *[]){ NULL });
  CHECK (l == NULL && guestfs_last_errno (g) == ENOENT);
  CHECK_ERROR_NULL (g, guestfs_lxattrlist (g, "/no", (char *[]){ NULL }),
                    ENOENT, "/no");
  l = guestfs_readlinklist (g, "/", (char *[]){ NULL });
  CHECK (l && l[0] == NULL);
  free_list (l);
  struct guestfs_xattr_list *x = guestfs_lxattrlist (g, "/", (char *[]){
                                                       NULL });
  CHECK (x && x->len == 0);
  guestfs_free_xattr_list (x);
  ALIVE ();
}

static void
test_relative_paths (void)
{
  size_t n;
  CHECK_ERROR_NULL (g, guestfs_pread (g, "rel", 1, 0, &n), EINVAL, "path");
  CHECK_ERROR (g, guestfs_ln (g, "rel", "/x"), EINVAL, "target");
  CHECK_ERROR (g, guestfs_ln (g, "/x", "rel"), EINVAL, "linkname");
  CHECK_ERROR (g, guestfs_cp (g, "/x", "rel"), EINVAL, "dest");
  CHECK_ERROR (g, guestfs_mv (g, "rel", "/x"), EINVAL, "src");
  CHECK_ERROR (g, guestfs_setxattr (g, "user.x", "v", 1, "rel"), EINVAL,
               "path");
  CHECK_ERROR (g, guestfs_copy_file_to_file (g, "/x", "rel", -1), EINVAL,
               "dest");
  CHECK_ERROR_NULL (g, guestfs_find (g, "rel"), EINVAL, "directory");
  CHECK_ERROR (g, guestfs_tar_out (g, "rel", "/dev/null"), EINVAL,
               "directory");
  ALIVE ();
}

static void
test_wrong_types (void)
{
  CHECK (guestfs_mkdir (g, "/dir") == 0);
  write_host_file (H ("/file"), "f", 1);
  CHECK_ERROR (g, guestfs_ln (g, "/dir", "/dirlink"), EPERM, "/dir");
  CHECK (!host_exists (H ("/dirlink")));
  ALIVE ();
  CHECK_ERROR (g, guestfs_rmdir (g, "/file"), ENOTDIR, "/file");
  CHECK (host_exists (H ("/file")));
  ALIVE ();
  CHECK_ERROR (g, guestfs_pwrite (g, "/dir", "x", 1, 0), EISDIR, "/dir");
  CHECK_ERROR_NULL (g, guestfs_find (g, "/file"), ENOTDIR, "/file");
  CHECK_ERROR (g, guestfs_cp (g, "/dir", "/dir2"), EISDIR, "/dir");
  CHECK_ERROR (g, guestfs_fill (g, 'x', 1, "/dir"), EISDIR, "/dir");
  CHECK_ERROR (g, guestfs_copy_file_to_file (g, "/dir", "/x", -1), EISDIR,
               "/dir");
  ALIVE ();
}

/* A FIFO with no writer must not hang the daemon. */
static void
test_fifo_does_not_hang (void)
{
  CHECK (guestfs_mkfifo (g, 0600, "/fifo") == 0);
  size_t n;
  free (guestfs_pread (g, "/fifo", 10, 0, &n));
  free_list (guestfs_read_lines (g, "/fifo"));
  free_list (guestfs_tail (g, "/fifo"));
  guestfs_wc_l (g, "/fifo");
  guestfs_pwrite (g, "/fifo", "x", 1, 0);
  guestfs_copy_file_to_file (g, "/fifo", "/fifocopy", -1);
  guestfs_download_offset (g, "/fifo", "/dev/null", 0, 1);
  free (guestfs_checksum (g, "md5", "/fifo"));
  free (guestfs_file (g, "/fifo"));
  CHECK (S_ISFIFO (host_lstat (H ("/fifo")).st_mode));
  ALIVE ();
}

static void
test_limits (void)
{
  write_host_file (H ("/small"), "0123456789", 10);
  size_t n;
  char *b = guestfs_pread (g, "/small", 100, 5, &n);
  CHECK (b && n == 5 && memcmp (b, "56789", 5) == 0);
  free (b);
  size_t big = 5 << 20;
  char *buf = malloc (big);
  memset (buf, 'q', big);
  CHECK_ERROR (g, guestfs_pwrite (g, "/small", buf, big, 0), E2BIG, NULL);
  CHECK_ERROR (g, guestfs_setxattr (g, "user.x", buf, big, "/small"), E2BIG,
               NULL);
  free (buf);
  ALIVE ();
  CHECK (host_content_is (H ("/small"), "0123456789", 10));
}

/* ---- Containment ---- */

static char *host_victim; /* a host file outside the sysroot */

static void
setup_links (void)
{
  CHECK (guestfs_mkdir_p (g, "/etc") == 0);
  write_host_file (H ("/etc/passwd"), "guest passwd\n", 13);
  CHECK (symlink ("/etc/passwd", H ("/evil")) == 0);
  CHECK (symlink ("../../../../../../../../etc/passwd", H ("/evil_rel"))
         == 0);
  if (asprintf (&host_victim, "%s/victim", td.dir) == -1)
    abort ();
  write_host_file (host_victim, "host data\n", 10);
  /* To the guest this names <root>/<td.dir>/victim, which does not
   * exist; to the host it is the victim. */
  CHECK (symlink (host_victim, H ("/hostlink")) == 0);
  CHECK (guestfs_mkdir_p (g, "/jail/dir") == 0);
}

static void
test_reads_stay_inside (void)
{
  char *s = guestfs_cat (g, "/evil");
  CHECK (s && strcmp (s, "guest passwd\n") == 0);
  free (s);
  size_t n;
  char *b = guestfs_pread (g, "/evil_rel", 5, 0, &n);
  CHECK (b && n == 5 && memcmp (b, "guest", 5) == 0);
  free (b);
  b = guestfs_pread (g, "/../../../../etc/passwd", 5, 0, &n);
  CHECK (b && n == 5 && memcmp (b, "guest", 5) == 0);
  free (b);
  s = guestfs_realpath (g, "/evil");
  CHECK (s && strcmp (s, "/etc/passwd") == 0);
  free (s);
  s = guestfs_checksum (g, "md5", "/jail/../../evil");
  char *want = host_command ("md5sum < '%s' | cut -d' ' -f1 | tr -d '\\n'",
                             H ("/etc/passwd"));
  CHECK (s && want && strcmp (s, want) == 0);
  free (s);
  free (want);
  char **l = guestfs_read_lines (g, "/evil");
  CHECK (list_is (l, "guest passwd", NULL));
  free_list (l);
  CHECK_ERROR_NULL (g, guestfs_pread (g, "/hostlink", 4, 0, &n), ENOENT,
                    "/hostlink");
  CHECK_ERROR_NULL (g, guestfs_getxattrs (g, "/hostlink"), ENOENT,
                    "/hostlink");
  /* Copies through a link copy the guest's file. */
  CHECK (guestfs_copy_file_to_file (g, "/evil", "/copied", -1) == 0);
  CHECK (host_content_is (H ("/copied"), "guest passwd\n", 13));
  CHECK (guestfs_cp (g, "/evil", "/copied2") == 0);
  CHECK (host_content_is (H ("/copied2"), "guest passwd\n", 13));
  l = guestfs_find (g, "/jail/../..");
  CHECK (l && l[0] != NULL);
  for (size_t i = 0; l && l[i]; ++i)
    CHECK (strstr (l[i], "victim") == NULL);
  free_list (l);
  ALIVE ();
}

static void
check_victim_untouched (const struct stat *before)
{
  struct stat now = host_lstat (host_victim);
  CHECK (host_content_is (host_victim, "host data\n", 10));
  CHECK (now.st_uid == before->st_uid && now.st_mode == before->st_mode);
  CHECK (now.st_mtim.tv_sec == before->st_mtim.tv_sec &&
         now.st_mtim.tv_nsec == before->st_mtim.tv_nsec);
  char v[8];
  CHECK (getxattr (host_victim, "user.t", v, sizeof v) == -1);
}

static void
test_writes_stay_inside (void)
{
  struct stat before = host_lstat (host_victim);
  size_t n;
  /* Each either fails (the guest target does not exist) or acts on
   * the link or the guest's side: never on the host file. */
  guestfs_pwrite (g, "/hostlink", "XX", 2, 0);
  guestfs_chown (g, 4242, 4242, "/hostlink");
  guestfs_setxattr (g, "user.t", "v", 1, "/hostlink");
  guestfs_truncate (g, "/hostlink");
  guestfs_fill (g, 'F', 4, "/hostlink");
  guestfs_utimens (g, "/hostlink", 1, 0, 1, 0);
  guestfs_copy_file_to_file (g, "/copied", "/hostlink", -1);
  guestfs_cp (g, "/copied", "/hostlink");
  guestfs_upload_offset (g, "/dev/null", "/hostlink", 0);
  guestfs_mknod (g, S_IFIFO | 0600, 0, 0, "/hostlink/x");
  guestfs_ln (g, "/copied", "/hostlink");
  guestfs_ln_sf (g, "x", "/hostlink");
  free (guestfs_pread (g, "/hostlink", 1, 0, &n));
  check_victim_untouched (&before);
  ALIVE ();

  /* Through a guest link to the guest's /etc/passwd, changes land on
   * the guest's file. */
  CHECK (guestfs_setxattr (g, "user.t", "in", 2, "/evil") == 0);
  char v[8];
  CHECK (getxattr (H ("/etc/passwd"), "user.t", v, sizeof v) == 2);
  CHECK (getxattr ("/etc/passwd", "user.t", v, sizeof v) == -1);
  CHECK (guestfs_pwrite (g, "/evil_rel", "GUEST", 5, 0) == 5);
  CHECK (host_content_is (H ("/etc/passwd"), "GUEST passwd\n", 13));
  if (geteuid () == 0) {
    struct stat real = host_lstat ("/etc/passwd");
    CHECK (guestfs_chown (g, 4242, 4242, "/evil") == 0);
    CHECK (host_lstat (H ("/etc/passwd")).st_uid == 4242);
    CHECK (host_lstat ("/etc/passwd").st_uid == real.st_uid);
  }
  CHECK (guestfs_utimens (g, "/evil", 1, 0, 1, 0) == 0);
  CHECK (host_lstat (H ("/evil")).st_mtim.tv_sec == 1);
  CHECK (host_lstat ("/etc/passwd").st_mtim.tv_sec != 1);
  ALIVE ();
}

int
main (void)
{
  g = test_daemon_start (&td);
  test_missing_paths ();
  test_relative_paths ();
  test_wrong_types ();
  test_fifo_does_not_hang ();
  test_limits ();
  setup_links ();
  test_reads_stay_inside ();
  test_writes_stay_inside ();
  free (host_victim);
  CHECK (handle_alive (g));
  test_daemon_stop (&td, g);
  return test_result ();
}
