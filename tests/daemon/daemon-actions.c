/* Every core daemon action against a host guestfsd, with the results
 * checked from the host side; the errors each must give (errno and a
 * message naming the path); and attempts to reach outside the sysroot
 * with "..", absolute and chained symbolic links. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon-util.h"

static struct test_daemon td;
static guestfs_h *g;

#define H(p) host_path (&td, (p))

static char *
join (const char *a, const char *b)
{
  char *p;
  if (asprintf (&p, "%s%s", a, b) == -1)
    abort ();
  return p;
}

static mode_t
host_mode (const char *path)
{
  struct stat st;
  return lstat (path, &st) == 0 ? st.st_mode : 0;
}

/* ---- Round trips ---- */

static void
test_dirs (void)
{
  CHECK (guestfs_ping_daemon (g) == 0);
  CHECK (guestfs_mkdir (g, "/d") == 0);
  CHECK (S_ISDIR (host_mode (H ("/d"))));
  CHECK ((host_mode (H ("/d")) & 07777) == 0755); /* 0777 less umask 022 */
  CHECK (guestfs_mkdir_mode (g, "/m", 0710) == 0);
  CHECK ((host_mode (H ("/m")) & 07777) == 0710);
  CHECK (guestfs_mkdir_p (g, "/p/q/r") == 0);
  CHECK (S_ISDIR (host_mode (H ("/p/q/r"))));
  CHECK (guestfs_mkdir_p (g, "/p/q/r") == 0); /* existing: fine */
  CHECK (guestfs_mkdir_p (g, "/p/q/s/") == 0);
  CHECK (S_ISDIR (host_mode (H ("/p/q/s"))));
  CHECK (guestfs_mkdir_p (g, "/") == 0);
  CHECK (guestfs_is_dir (g, "/p/q") == 1);

  CHECK (guestfs_rmdir (g, "/p/q/s") == 0);
  CHECK (!host_exists (H ("/p/q/s")));

  int old = guestfs_umask (g, 077);
  CHECK (old == 022);
  CHECK (guestfs_mkdir (g, "/private") == 0);
  CHECK ((host_mode (H ("/private")) & 07777) == 0700);
  CHECK (guestfs_umask (g, 022) == 077);
  CHECK_ERROR (g, guestfs_umask (g, 01000), EINVAL, "mask");
  CHECK_ERROR (g, guestfs_mkdir_mode (g, "/badmode", 010000), EINVAL, "mode");
}

static void
test_files (void)
{
  static const char data[] = "hello\0world";
  CHECK (guestfs_write (g, "/w", data, 11) == 0);
  CHECK (host_content_is (H ("/w"), data, 11));
  CHECK (guestfs_write (g, "/w", "abc", 3) == 0); /* replaces */
  CHECK (host_content_is (H ("/w"), "abc", 3));
  CHECK (guestfs_write_append (g, "/w", "def\0", 4) == 0);
  CHECK (host_content_is (H ("/w"), "abcdef\0", 7));
  CHECK (guestfs_write_append (g, "/new-append", "x", 1) == 0);
  CHECK (host_content_is (H ("/new-append"), "x", 1));
  CHECK (guestfs_write (g, "/empty", "", 0) == 0);
  CHECK (host_content_is (H ("/empty"), "", 0));

  size_t size = 99;
  char *r = guestfs_read_file (g, "/w", &size);
  CHECK (r && size == 7 && memcmp (r, "abcdef\0", 7) == 0);
  free (r);
  r = guestfs_read_file (g, "/empty", &size);
  CHECK (r != NULL && size == 0);
  free (r);

  write_host_file (H ("/text"), "line 1\nline 2\n", 14);
  r = guestfs_cat (g, "/text");
  CHECK (r && strcmp (r, "line 1\nline 2\n") == 0);
  free (r);
  CHECK_ERROR_NULL (g, guestfs_cat (g, "/w"), EINVAL, "/w");

  CHECK (guestfs_touch (g, "/t") == 0);
  CHECK (S_ISREG (host_mode (H ("/t"))) && file_size (H ("/t")) == 0);
  struct timespec old[2] = { { 1000, 0 }, { 1000, 0 } };
  CHECK (utimensat (AT_FDCWD, H ("/t"), old, 0) == 0);
  CHECK (guestfs_touch (g, "/t") == 0);
  struct stat st;
  CHECK (stat (H ("/t"), &st) == 0 && st.st_mtim.tv_sec > 1000);
  CHECK (file_size (H ("/t")) == 0);

  CHECK (guestfs_truncate_size (g, "/t", 123456) == 0);
  CHECK (file_size (H ("/t")) == 123456);
  CHECK (guestfs_truncate_size (g, "/w", 3) == 0);
  CHECK (host_content_is (H ("/w"), "abc", 3));
  CHECK_ERROR (g, guestfs_truncate_size (g, "/w", -1), EINVAL, "size");

  CHECK (guestfs_chmod (g, 0600, "/w") == 0);
  CHECK ((host_mode (H ("/w")) & 07777) == 0600);
  CHECK (guestfs_chmod (g, 04755, "/w") == 0);
  CHECK ((host_mode (H ("/w")) & 07777) == 04755);
  CHECK_ERROR (g, guestfs_chmod (g, 070000, "/w"), EINVAL, "mode");

  CHECK (guestfs_rename (g, "/w", "/d/renamed") == 0);
  CHECK (!host_exists (H ("/w")) && host_exists (H ("/d/renamed")));
  CHECK (guestfs_rm (g, "/d/renamed") == 0);
  CHECK (!host_exists (H ("/d/renamed")));
  CHECK (guestfs_rm_f (g, "/t") == 0);
  CHECK (!host_exists (H ("/t")));
  CHECK (guestfs_rm_f (g, "/t") == 0);          /* missing: fine */
  CHECK (guestfs_rm_f (g, "/nodir/t") == 0);
  CHECK (guestfs_sync (g) == 0);
}

static void
test_links_and_lists (void)
{
  CHECK (guestfs_mkdir (g, "/ls") == 0);
  write_host_file (H ("/ls/c"), "c", 1);
  write_host_file (H ("/ls/a"), "a", 1);
  CHECK (mkdir (H ("/ls/b"), 0755) == 0);
  CHECK (guestfs_ln_s (g, "a", "/ls/link") == 0);

  char target[64];
  ssize_t n = readlink (H ("/ls/link"), target, sizeof target - 1);
  CHECK (n == 1 && target[0] == 'a');
  char *t = guestfs_readlink (g, "/ls/link");
  CHECK (t && strcmp (t, "a") == 0);
  free (t);
  CHECK (guestfs_ln_s (g, "../../some/where/else", "/ls/dangling") == 0);
  t = guestfs_readlink (g, "/ls/dangling");
  CHECK (t && strcmp (t, "../../some/where/else") == 0);
  free (t);
  CHECK_ERROR_NULL (g, guestfs_readlink (g, "/ls/a"), EINVAL, "/ls/a");

  char **l = guestfs_ls (g, "/ls");
  CHECK (l && l[0] && strcmp (l[0], "a") == 0 && strcmp (l[1], "b") == 0 &&
         strcmp (l[2], "c") == 0 && strcmp (l[3], "dangling") == 0 &&
         strcmp (l[4], "link") == 0 && l[5] == NULL);
  free_list (l);

  struct guestfs_dirent_list *dl = guestfs_readdir (g, "/ls");
  CHECK (dl && dl->len == 7);
  int seen = 0;
  for (size_t i = 0; dl && i < dl->len; ++i) {
    const struct guestfs_dirent *e = &dl->val[i];
    struct stat st;
    char p[PATH_MAX];
    snprintf (p, sizeof p, "%s/ls/%s", td.root, e->name);
    CHECK (lstat (p, &st) == 0 && (uint64_t) e->ino == st.st_ino);
    char want = 0;
    if (strcmp (e->name, "a") == 0)
      seen |= 1, want = 'r';
    else if (strcmp (e->name, "b") == 0)
      seen |= 2, want = 'd';
    else if (strcmp (e->name, "link") == 0)
      seen |= 4, want = 'l';
    else if (strcmp (e->name, ".") == 0 || strcmp (e->name, "..") == 0)
      seen |= 8, want = 'd';
    CHECK (want == 0 || e->ftyp == want);
  }
  CHECK (seen == 15);
  guestfs_free_dirent_list (dl);

  struct stat st;
  struct guestfs_statns *s = guestfs_lstatns (g, "/ls/link");
  CHECK (lstat (H ("/ls/link"), &st) == 0);
  CHECK (s && S_ISLNK (s->st_mode) && (uint64_t) s->st_ino == st.st_ino &&
         s->st_size == 1);
  guestfs_free_statns (s);
  s = guestfs_statns (g, "/ls/link");
  CHECK (stat (H ("/ls/a"), &st) == 0);
  CHECK (s && S_ISREG (s->st_mode) && (uint64_t) s->st_ino == st.st_ino &&
         s->st_size == 1 && s->st_mtime_sec == st.st_mtim.tv_sec &&
         s->st_mtime_nsec == st.st_mtim.tv_nsec && s->st_nlink == 1);
  guestfs_free_statns (s);

  CHECK (guestfs_exists (g, "/ls/a") == 1);
  CHECK (guestfs_exists (g, "/ls/link") == 1);
  CHECK (guestfs_exists (g, "/ls/dangling") == 0);
  CHECK (guestfs_exists (g, "/ls/nothing") == 0);
  CHECK (guestfs_exists (g, "/ls/a/under-a-file") == 0);
  CHECK (guestfs_is_file (g, "/ls/a") == 1);
  CHECK (guestfs_is_file (g, "/ls/b") == 0);
  CHECK (guestfs_is_file (g, "/ls/link") == 0); /* not followed */
  CHECK (guestfs_is_file_opts (g, "/ls/link",
                               GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS, 1,
                               -1) == 1);
  CHECK (guestfs_is_dir (g, "/ls/b") == 1);
  CHECK (guestfs_is_dir (g, "/ls/a") == 0);
  CHECK (guestfs_is_dir (g, "/") == 1);

  char *names[] = { (char *) "a", (char *) "missing", (char *) "link",
                    (char *) "..", (char *) "b/../a", NULL };
  struct guestfs_statns_list *sl = guestfs_lstatnslist (g, "/ls", names);
  CHECK (sl && sl->len == 5);
  if (sl && sl->len == 5) {
    CHECK (stat (H ("/ls/a"), &st) == 0);
    CHECK ((uint64_t) sl->val[0].st_ino == st.st_ino);
    CHECK (sl->val[1].st_ino == -1);
    CHECK (S_ISLNK (sl->val[2].st_mode));
    CHECK (stat (td.root, &st) == 0);
    CHECK ((uint64_t) sl->val[3].st_ino == st.st_ino); /* ".." of /ls */
    CHECK (stat (H ("/ls/a"), &st) == 0);
    CHECK ((uint64_t) sl->val[4].st_ino == st.st_ino);
  }
  guestfs_free_statns_list (sl);

  CHECK (guestfs_rm_rf (g, "/ls") == 0);
  CHECK (!host_exists (H ("/ls")));
  CHECK (guestfs_rm_rf (g, "/ls") == 0); /* missing: fine */
}

static void
test_transfer_round_trip (void)
{
  char *local, *back;
  if (asprintf (&local, "%s/local", td.dir) == -1 ||
      asprintf (&back, "%s/back", td.dir) == -1)
    abort ();
  make_random_file (local, 3 * 1024 * 1024 + 17, 42);
  CHECK (guestfs_upload (g, local, "/up") == 0);
  CHECK (hash_file (H ("/up")) == hash_file (local));
  CHECK (guestfs_download (g, "/up", back) == 0);
  CHECK (hash_file (back) == hash_file (local));
  CHECK (guestfs_upload (g, "/dev/null", "/up") == 0); /* not a file */
  CHECK (file_size (H ("/up")) == 0);
  CHECK_ERROR (g, guestfs_upload (g, "/nonexistent/local", "/up"), ENOENT,
               "/nonexistent/local");
  CHECK_ERROR (g, guestfs_download (g, "/up", "/nonexistent/local"), ENOENT,
               "/nonexistent/local");
  CHECK (guestfs_rm (g, "/up") == 0);
  free (local);
  free (back);
}

/* ---- Errors ---- */

static void
test_errors (void)
{
  CHECK_ERROR (g, guestfs_mkdir (g, "/nope/x"), ENOENT, "/nope/x");
  CHECK_ERROR_NULL (g, guestfs_cat (g, "/missing"), ENOENT, "/missing");
  CHECK_ERROR (g, guestfs_rm (g, "/missing"), ENOENT, "/missing");
  CHECK_ERROR (g, guestfs_rmdir (g, "/missing"), ENOENT, "/missing");
  CHECK_ERROR_NULL (g, guestfs_ls (g, "/missing"), ENOENT, "/missing");
  CHECK_ERROR_NULL (g, guestfs_lstatns (g, "/missing"), ENOENT, "/missing");
  CHECK_ERROR_NULL (g, guestfs_statns (g, "/missing"), ENOENT, "/missing");
  CHECK_ERROR (g, guestfs_chmod (g, 0644, "/missing"), ENOENT, "/missing");
  CHECK_ERROR (g, guestfs_rename (g, "/missing", "/x"), ENOENT, "/missing");
  CHECK_ERROR (g, guestfs_truncate_size (g, "/missing", 0), ENOENT,
               "/missing");
  CHECK_ERROR_NULL (g, guestfs_readlink (g, "/missing"), ENOENT, "/missing");
  CHECK_ERROR_NULL (g, guestfs_lstatnslist (g, "/missing",
                                                (char *[]) { "x", NULL }),
                    ENOENT, "/missing");
  CHECK (guestfs_is_file (g, "/missing") == 0);

  CHECK_ERROR (g, guestfs_mkdir (g, "/d"), EEXIST, "/d");
  CHECK_ERROR (g, guestfs_mkdir_mode (g, "/d", 0700), EEXIST, "/d");
  write_host_file (H ("/file"), "x", 1);
  CHECK_ERROR (g, guestfs_ln_s (g, "t", "/file"), EEXIST, "/file");
  CHECK_ERROR (g, guestfs_mkdir_p (g, "/file"), 0, "/file");

  CHECK_ERROR (g, guestfs_mkdir (g, "/file/x"), ENOTDIR, "/file/x");
  CHECK_ERROR_NULL (g, guestfs_ls (g, "/file"), ENOTDIR, "/file");
  CHECK_ERROR (g, guestfs_rmdir (g, "/file"), ENOTDIR, "/file");
  CHECK_ERROR (g, guestfs_mkdir_p (g, "/file/a/b"), ENOTDIR, "/file");

  CHECK_ERROR (g, guestfs_rm (g, "/d"), EISDIR, "/d");
  CHECK_ERROR (g, guestfs_rm_f (g, "/d"), EISDIR, "/d");
  size_t sz;
  CHECK_ERROR_NULL (g, guestfs_read_file (g, "/d", &sz), EISDIR, "/d");
  CHECK_ERROR (g, guestfs_write (g, "/d", "x", 1), EISDIR, "/d");
  char *dl;
  if (asprintf (&dl, "%s/dl", td.dir) == -1)
    abort ();
  CHECK_ERROR (g, guestfs_download (g, "/d", dl), EISDIR, "/d");
  free (dl);

  CHECK (guestfs_mkdir (g, "/full") == 0 && guestfs_touch (g, "/full/f") == 0);
  CHECK_ERROR (g, guestfs_rmdir (g, "/full"), ENOTEMPTY, "/full");
  CHECK (host_exists (H ("/full/f")));

  /* Relative paths: refused, naming the argument. */
  CHECK_ERROR (g, guestfs_mkdir (g, "rel"), EINVAL, "path");
  CHECK_ERROR (g, guestfs_mkdir (g, "rel"), EINVAL, "\"rel\"");
  CHECK_ERROR (g, guestfs_mkdir (g, ""), EINVAL, "path");
  CHECK_ERROR (g, guestfs_ln_s (g, "x", "rel"), EINVAL, "linkname");
  CHECK_ERROR (g, guestfs_rename (g, "/d", "rel"), EINVAL, "newpath");
  CHECK_ERROR (g, guestfs_rename (g, "rel", "/d"), EINVAL, "oldpath");
  CHECK_ERROR (g, guestfs_download (g, "rel", "/tmp/x"), EINVAL,
               "remotefilename");
  CHECK_ERROR (g, guestfs_upload (g, "/dev/null", "rel"), EINVAL,
               "remotefilename");
  CHECK_ERROR_NULL (g, guestfs_ls (g, "rel/x"), EINVAL, "directory");
  CHECK (!host_exists (H ("/rel")));

  /* "." and ".." cannot be created or removed by name. */
  CHECK_ERROR (g, guestfs_rmdir (g, "/d/.."), EINVAL, NULL);
  CHECK_ERROR (g, guestfs_rm (g, "/"), 0, "/");
  CHECK (host_exists (td.root));

  /* The handle is fine after all of that. */
  CHECK (guestfs_get_state (g) == 2);
  CHECK (guestfs_ping_daemon (g) == 0);
}

/* Permission checks need an unprivileged daemon: root bypasses them.
 * As root, run a second daemon and handle in a child that has become
 * nobody. */
static void
eacces_checks (guestfs_h *h)
{
  CHECK (guestfs_mkdir_mode (h, "/locked", 0) == 0);
  CHECK (guestfs_write (h, "/noread", "secret", 6) == 0);
  CHECK (guestfs_chmod (h, 0, "/noread") == 0);
  CHECK_ERROR_NULL (h, guestfs_ls (h, "/locked"), EACCES, "/locked");
  CHECK_ERROR (h, guestfs_touch (h, "/locked/f"), EACCES, "/locked/f");
  CHECK_ERROR (h, guestfs_mkdir (h, "/locked/sub"), EACCES, "/locked/sub");
  CHECK_ERROR_NULL (h, guestfs_cat (h, "/noread"), EACCES, "/noread");
  char *dl;
  if (asprintf (&dl, "%s/dl-eacces", getenv ("TMPDIR")) == -1)
    abort ();
  CHECK_ERROR (h, guestfs_download (h, "/noread", dl), EACCES, "/noread");
  unlink (dl);
  free (dl);
  CHECK (guestfs_chmod (h, 0700, "/locked") == 0);
  CHECK (guestfs_touch (h, "/locked/f") == 0);
  CHECK (guestfs_ping_daemon (h) == 0);
}

static void
test_eacces (void)
{
  if (geteuid () != 0) {
    /* The daemon is unprivileged already. */
    setenv ("TMPDIR", td.dir, 1);
    eacces_checks (g);
    return;
  }
  struct passwd *pw = getpwnam ("nobody");
  if (pw == NULL) {
    printf ("EACCES checks skipped: running as root and there is no user "
            "nobody to drop to\n");
    return;
  }
  /* A directory the child can write in, removed by this process. */
  char *dir = test_tmpdir ();
  if (chown (dir, pw->pw_uid, pw->pw_gid) == -1) {
    perror ("chown");
    ++test_failures;
    return;
  }
  fflush (NULL);
  pid_t pid = fork ();
  if (pid == 0) {
    /* _exit throughout: the parent's handle and atexit handlers must
     * not run here. */
    if (setgroups (0, NULL) == -1 || setgid (pw->pw_gid) == -1 ||
        setuid (pw->pw_uid) == -1) {
      perror ("dropping privileges");
      _exit (2);
    }
    setenv ("TMPDIR", dir, 1);
    test_failures = 0;
    struct test_daemon ctd;
    guestfs_h *h = test_daemon_start (&ctd);
    eacces_checks (h);
    test_daemon_stop (&ctd, h);
    fflush (NULL);
    _exit (test_failures ? 1 : 0);
  }
  int status;
  CHECK (pid > 0 && waitpid (pid, &status, 0) == pid);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    fprintf (stderr, "FAIL: EACCES checks as nobody: status %#x\n", status);
    ++test_failures;
  }
  free (dir);
}

/* ---- Staying inside the sysroot ---- */

static void
test_sysroot_escapes (void)
{
  /* td.dir is the sysroot's parent: a real directory outside it. */
  char *outside = join (td.dir, "/outside");
  char *precious = join (outside, "/precious");
  CHECK (mkdir (outside, 0755) == 0);
  write_host_file (precious, "keep me", 7);

  /* ".." stops at the guest's root. */
  CHECK (guestfs_mkdir (g, "/../../../escape") == 0);
  CHECK (S_ISDIR (host_mode (H ("/escape"))));
  char *p = join (td.dir, "/escape");
  CHECK (!host_exists (p));
  free (p);
  CHECK (guestfs_write (g, "/../outside/new", "x", 1) == -1);
  p = join (outside, "/new");
  CHECK (!host_exists (p));
  free (p);
  CHECK (guestfs_mkdir_p (g, "/../up/../../up/deeper") == 0);
  CHECK (S_ISDIR (host_mode (H ("/up/deeper"))));
  p = join (td.dir, "/up");
  CHECK (!host_exists (p));
  free (p);
  char **l = guestfs_ls (g, "/..");
  CHECK (l != NULL);
  for (size_t i = 0; l && l[i]; ++i)
    CHECK (strcmp (l[i], "outside") != 0 && strcmp (l[i], "root") != 0);
  free_list (l);

  /* An absolute link means the guest's /: <root>/etc/passwd. */
  CHECK (guestfs_ln_s (g, "/etc/passwd", "/pw") == 0);
  CHECK_ERROR_NULL (g, guestfs_cat (g, "/pw"), ENOENT, "/pw");
  CHECK (guestfs_exists (g, "/pw") == 0);
  CHECK (guestfs_mkdir (g, "/etc") == 0);
  CHECK (guestfs_write (g, "/etc/passwd", "guest:x:0:0\n", 12) == 0);
  char *s = guestfs_cat (g, "/pw");
  CHECK (s && strcmp (s, "guest:x:0:0\n") == 0);
  free (s);
  /* Relative links climbing past the root land there too. */
  CHECK (guestfs_ln_s (g, "../../../../../../etc/passwd", "/d/relpw") == 0);
  s = guestfs_cat (g, "/d/relpw");
  CHECK (s && strcmp (s, "guest:x:0:0\n") == 0);
  free (s);
  /* Chains of links, absolute and relative. */
  CHECK (guestfs_ln_s (g, "/c2", "/c1") == 0);
  CHECK (guestfs_ln_s (g, "d/../c3", "/c2") == 0);
  CHECK (guestfs_ln_s (g, "../../etc/../etc/passwd", "/c3") == 0);
  s = guestfs_cat (g, "/c1");
  CHECK (s && strcmp (s, "guest:x:0:0\n") == 0);
  free (s);
  CHECK (guestfs_is_file_opts (g, "/c1", GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS,
                               1, -1) == 1);
  CHECK (guestfs_ln_s (g, "/loop2", "/loop1") == 0);
  CHECK (guestfs_ln_s (g, "/loop1", "/loop2") == 0);
  CHECK_ERROR_NULL (g, guestfs_cat (g, "/loop1"), ELOOP, "/loop1");
  /* Writing through a link creates the file inside. */
  CHECK (guestfs_ln_s (g, "/etc/created-through-link", "/wlink") == 0);
  CHECK (guestfs_write (g, "/wlink", "in", 2) == 0);
  CHECK (host_content_is (H ("/etc/created-through-link"), "in", 2));

  /* A link holding a real host path (made from the host, as a guest
   * image could hold one) still resolves inside the guest. */
  CHECK (symlink (outside, H ("/victim")) == 0);
  CHECK_ERROR_NULL (g, guestfs_ls (g, "/victim"), ENOENT, "/victim");
  CHECK_ERROR_NULL (g, guestfs_cat (g, "/victim/precious"), ENOENT,
                    "/victim/precious");
  CHECK_ERROR (g, guestfs_chmod (g, 0777, "/victim"), ENOENT, "/victim");
  CHECK_ERROR (g, guestfs_write (g, "/victim/new", "x", 1), ENOENT,
               "/victim/new");
  CHECK_ERROR (g, guestfs_truncate_size (g, "/victim/precious", 0), ENOENT,
               NULL);
  CHECK ((host_mode (outside) & 07777) == 0755);

  /* rm_rf removes links, never what they point to. */
  CHECK (guestfs_mkdir (g, "/tree") == 0);
  CHECK (symlink (outside, H ("/tree/abs")) == 0);
  CHECK (symlink ("../../outside", H ("/tree/rel")) == 0);
  CHECK (guestfs_rm_rf (g, "/victim/precious") == 0);
  CHECK (guestfs_rm_rf (g, "/tree/abs/") == 0);
  CHECK (!host_exists (H ("/tree/abs")));
  CHECK (guestfs_rm_rf (g, "/tree") == 0);
  CHECK (!host_exists (H ("/tree")));
  CHECK (guestfs_rm_rf (g, "/victim") == 0);
  CHECK (!host_exists (H ("/victim")));
  CHECK (host_content_is (precious, "keep me", 7));
  CHECK (guestfs_rm (g, "/pw") == 0);
  CHECK (host_exists (H ("/etc/passwd")));
  CHECK (host_exists ("/etc/passwd"));
  free (outside);
  free (precious);
}

int
main (void)
{
  g = test_daemon_start (&td);
  /* Expected errors are checked, not printed. */
  guestfs_set_error_handler (g, NULL, NULL);
  test_dirs ();
  test_files ();
  test_links_and_lists ();
  test_transfer_round_trip ();
  test_errors ();
  test_sysroot_escapes ();
  test_eacces ();
  test_daemon_stop (&td, g);
  return test_result ();
}
