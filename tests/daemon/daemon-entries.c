/* The entry and handle procedures (guestfs_fuse_*, procedures 500-522)
 * against a host guestfsd, through the public API: every returned
 * status, link target, extended attribute and byte is checked against
 * the scratch directory, and every error against the errno the
 * documentation promises.
 */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "daemon-util.h"
#include "entry-format.h"

static struct test_daemon td;
static guestfs_h *g;

#define H(p) host_path (&td, (p))

/* ---- Comparing entries with the host ---- */

/* The entry describes the host file as lstat sees it now. */
#define CHECK_ENTRY(e, path) check_entry_ (__FILE__, __LINE__, (e), (path))

static void
fail_at (const char *file, int line, const char *what, const char *path)
{
  fprintf (stderr, "%s:%d: FAIL: %s: %s\n", file, line, path, what);
  ++test_failures;
}

static void
check_entry_ (const char *file, int line, const struct guestfs_fuse_entry *e,
              const char *path)
{
  struct stat st;
  if (e == NULL) {
    fail_at (file, line, guestfs_last_error (g), path);
    return;
  }
  if (lstat (path, &st) == -1) {
    fail_at (file, line, "missing on the host", path);
    return;
  }
  if (e->err != 0)
    fail_at (file, line, "entry has an error", path);
  if (e->st_ino != (int64_t)st.st_ino || e->st_dev != (int64_t)st.st_dev)
    fail_at (file, line, "another file (dev/ino)", path);
  if (e->st_mode != st.st_mode || e->st_nlink != (int64_t)st.st_nlink ||
      e->st_uid != st.st_uid || e->st_gid != st.st_gid ||
      e->st_rdev != (int64_t)st.st_rdev)
    fail_at (file, line, "mode, links, owner or rdev differ", path);
  if (e->st_size != st.st_size || e->st_blocks != st.st_blocks)
    fail_at (file, line, "size or blocks differ", path);
  /* Not the access time: the call may have read the file after
   * examining it (relatime then moves the access time on). */
  if (e->st_mtime_sec != st.st_mtim.tv_sec ||
      e->st_mtime_nsec != st.st_mtim.tv_nsec ||
      e->st_ctime_sec != st.st_ctim.tv_sec ||
      e->st_ctime_nsec != st.st_ctim.tv_nsec)
    fail_at (file, line, "times differ", path);
  if (S_ISLNK (st.st_mode)) {
    char t[4096];
    ssize_t n = readlink (path, t, sizeof t - 1);
    t[n < 0 ? 0 : n] = '\0';
    if (e->link == NULL || strcmp (e->link, t) != 0)
      fail_at (file, line, "link target differs", path);
  } else if (e->link && e->link[0])
    fail_at (file, line, "a link target on a non-link", path);
}

/* The entry's xattrs are complete, well formed, and hold name = value
 * (len bytes). */
static bool
entry_has_xattr (const struct guestfs_fuse_entry *e, const char *name,
                 const void *value, size_t len)
{
  const char *v;
  size_t got_len;
  return (e->flags & ENTRY_XATTRS_COMPLETE) &&
         xattrs_names (e->xattrs, e->xattrs_len, NULL, NULL) == 0 &&
         xattrs_find (e->xattrs, e->xattrs_len, name, &v, &got_len) == 1 &&
         got_len == len && memcmp (v, value, len) == 0;
}

static void
host_setxattr (const char *path, const char *name, const void *v, size_t len)
{
  if (lsetxattr (path, name, v, len, 0) == -1) {
    perror (path);
    exit (EXIT_FAILURE);
  }
}

static void
host_mkdir (const char *path)
{
  if (mkdir (path, 0755) == -1) {
    perror (path);
    exit (EXIT_FAILURE);
  }
}

static void
host_symlink (const char *target, const char *path)
{
  if (symlink (target, path) == -1) {
    perror (path);
    exit (EXIT_FAILURE);
  }
}

/* ---- lstat ---- */

static const char bin_value[] = {'a', 0, 'b', (char)0xff};

static void
test_lstat (void)
{
  write_host_file (H ("/f"), "hello", 5);
  host_setxattr (H ("/f"), "user.text", "one", 3);
  host_setxattr (H ("/f"), "user.bin", bin_value, sizeof bin_value);
  host_mkdir (H ("/d"));
  host_symlink ("f", H ("/l"));
  host_symlink ("/nowhere/at/all", H ("/dangling"));
  CHECK (mkfifo (H ("/fifo"), 0600) == 0);

  struct guestfs_fuse_entry *e = guestfs_fuse_lstat (g, "/f");
  CHECK_ENTRY (e, H ("/f"));
  CHECK (e && entry_has_xattr (e, "user.text", "one", 3));
  CHECK (e && entry_has_xattr (e, "user.bin", bin_value, sizeof bin_value));
  CHECK (e && e->data_len == 0 && e->handle == 0);
  guestfs_free_fuse_entry (e);

  const char *const others[] = {"/d", "/l", "/dangling", "/fifo", "/"};
  for (size_t i = 0; i < sizeof others / sizeof others[0]; ++i) {
    e = guestfs_fuse_lstat (g, others[i]);
    CHECK_ENTRY (e, H (others[i]));
    guestfs_free_fuse_entry (e);
  }
  /* A link is described, not followed. */
  e = guestfs_fuse_lstat (g, "/l");
  CHECK (e && S_ISLNK (e->st_mode) && strcmp (e->link, "f") == 0);
  guestfs_free_fuse_entry (e);

  CHECK_ERROR_NULL (g, guestfs_fuse_lstat (g, "/missing"), ENOENT, "missing");
  CHECK_ERROR_NULL (g, guestfs_fuse_lstat (g, "/f/x"), ENOTDIR, NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_lstat (g, "relative"), EINVAL, NULL);
}

/* ---- Listings ---- */

enum { MANY = 1500 };

static void
make_many (void)
{
  host_mkdir (H ("/many"));
  for (int i = 0; i < MANY; ++i) {
    char *p = xasprintf ("%s/many/name-%04d-with-a-longer-tail", td.root, i);
    write_host_file (p, p, i % 7);
    free (p);
  }
  host_setxattr (H ("/many/name-0042-with-a-longer-tail"), "user.mark", "42",
                 2);
  host_symlink ("name-0001-with-a-longer-tail", H ("/many/zz-link"));
  host_mkdir (H ("/many/zz-dir"));
}

/* Check one listed entry against the host file dir/name and count it
 * in seen[] (by the number in its name, MANY for the others). */
static void
check_listed (const char *dir, const struct guestfs_fuse_entry *e, int *seen)
{
  char *p = xasprintf ("%s%s/%s", td.root, dir, e->name);
  CHECK_ENTRY (e, p);
  free (p);
  CHECK (strcmp (e->name, ".") != 0 && strcmp (e->name, "..") != 0);
  CHECK (strchr (e->name, '/') == NULL);
  CHECK (e->flags & ENTRY_XATTRS_COMPLETE);
  int n;
  if (sscanf (e->name, "name-%d-", &n) == 1 && n >= 0 && n < MANY)
    ++seen[n];
  else
    ++seen[MANY];
  if (strcmp (e->name, "name-0042-with-a-longer-tail") == 0)
    CHECK (entry_has_xattr (e, "user.mark", "42", 2));
}

static void
test_readdir_pages (void)
{
  make_many ();
  int *seen = calloc (MANY + 1, sizeof *seen);
  int64_t cookie = 0;
  int pages = 0;
  bool ended = false;
  while (!ended && pages < 1000) {
    struct guestfs_fuse_entry_list *l =
        guestfs_fuse_readdir (g, "/many", cookie, 0);
    CHECK (l != NULL && l->len > 0);
    if (l == NULL || l->len == 0)
      break;
    ++pages;
    for (uint32_t i = 0; i < l->len; ++i) {
      const struct guestfs_fuse_entry *e = &l->val[i];
      if (e->flags & ENTRY_END) {
        /* The end marker: empty name, last of the page. */
        CHECK (e->name[0] == '\0' && i == l->len - 1);
        ended = true;
        continue;
      }
      check_listed ("/many", e, seen);
      cookie = e->cookie;
    }
    guestfs_free_fuse_entry_list (l);
  }
  CHECK (ended);
  CHECK (pages > 1); /* the smallest page holds far fewer names */
  for (int i = 0; i < MANY; ++i)
    if (seen[i] != 1) {
      fprintf (stderr, "FAIL: name %d listed %d times\n", i, seen[i]);
      ++test_failures;
      break;
    }
  CHECK (seen[MANY] == 2); /* zz-link and zz-dir */
  free (seen);

  /* A page as large as allowed holds every name at once. */
  struct guestfs_fuse_entry_list *l =
      guestfs_fuse_readdir (g, "/many", 0, 3 * 1024 * 1024);
  CHECK (l && l->len == MANY + 3 && (l->val[l->len - 1].flags & ENTRY_END));
  guestfs_free_fuse_entry_list (l);

  /* An empty directory: only the end marker. */
  host_mkdir (H ("/empty"));
  l = guestfs_fuse_readdir (g, "/empty", 0, 0);
  CHECK (l && l->len == 1 && (l->val[0].flags & ENTRY_END) &&
         l->val[0].name[0] == '\0');
  guestfs_free_fuse_entry_list (l);

  CHECK_ERROR_NULL (g, guestfs_fuse_readdir (g, "/missing", 0, 0), ENOENT,
                    NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_readdir (g, "/f", 0, 0), ENOTDIR, NULL);
}

/* The number of names in the host directory path, less . and .. */
static size_t
host_count (const char *path)
{
  DIR *d = opendir (path);
  size_t n = 0;
  for (struct dirent *de; d && (de = readdir (d));)
    n += strcmp (de->d_name, ".") != 0 && strcmp (de->d_name, "..") != 0;
  if (d)
    closedir (d);
  return d ? n : (size_t)-1;
}

static void
test_readdir_tree (void)
{
  host_mkdir (H ("/tree"));
  host_mkdir (H ("/tree/a"));
  host_mkdir (H ("/tree/a/b"));
  host_mkdir (H ("/tree/c"));
  write_host_file (H ("/tree/top"), "t", 1);
  write_host_file (H ("/tree/a/in-a"), "aa", 2);
  write_host_file (H ("/tree/a/b/in-b"), "bbb", 3);
  host_symlink ("a", H ("/tree/link-to-a")); /* not followed */

  struct guestfs_fuse_entry_list *l =
      guestfs_fuse_readdir_tree (g, "/tree", 0, 100);
  CHECK (l != NULL);
  /* Sections breadth first: "", then a and c (in listing order), then
   * a/b; each is the directory's own status, then its entries, then
   * the end marker. */
  const char *sections[8];
  size_t nsections = 0;
  for (uint32_t i = 0; l && i < l->len;) {
    const struct guestfs_fuse_entry *s = &l->val[i];
    CHECK (s->flags & ENTRY_SECTION);
    if (!(s->flags & ENTRY_SECTION) || nsections == 8)
      break;
    sections[nsections++] = s->name;
    char *rel = xasprintf ("%s%s", s->name[0] ? "/" : "", s->name);
    char *dir = xasprintf ("%s/tree%s", td.root, rel);
    CHECK_ENTRY (s, dir);
    size_t entries = 0;
    for (++i; i < l->len && !(l->val[i].flags & (ENTRY_END | ENTRY_SECTION));
         ++i, ++entries) {
      char *p = xasprintf ("%s/%s", dir, l->val[i].name);
      CHECK_ENTRY (&l->val[i], p);
      free (p);
    }
    CHECK (entries == host_count (dir));
    CHECK (i < l->len && (l->val[i].flags & ENTRY_END));
    ++i;
    free (rel);
    free (dir);
  }
  CHECK (nsections == 4 && sections[0][0] == '\0' &&
         strcmp (sections[3], "a/b") == 0);
  CHECK (nsections == 4 &&
         ((strcmp (sections[1], "a") == 0 && strcmp (sections[2], "c") == 0) ||
          (strcmp (sections[1], "c") == 0 && strcmp (sections[2], "a") == 0)));
  guestfs_free_fuse_entry_list (l);

  /* maxdirs bounds the sections. */
  l = guestfs_fuse_readdir_tree (g, "/tree", 0, 1);
  size_t n = 0;
  for (uint32_t i = 0; l && i < l->len; ++i)
    n += (l->val[i].flags & ENTRY_SECTION) != 0;
  CHECK (l && n == 1 && (l->val[l->len - 1].flags & ENTRY_END));
  guestfs_free_fuse_entry_list (l);

  /* A large directory fills the reply: the last section lacks its end
   * marker and is continued with fuse_readdir from its last cookie. */
  l = guestfs_fuse_readdir_tree (g, "/many", 0, 100);
  CHECK (l && l->len > 1 && (l->val[0].flags & ENTRY_SECTION) &&
         !(l->val[l->len - 1].flags & ENTRY_END));
  if (l && l->len > 1) {
    struct guestfs_fuse_entry_list *rest =
        guestfs_fuse_readdir (g, "/many", l->val[l->len - 1].cookie, 3 << 20);
    CHECK (rest && (l->len - 1) + rest->len == MANY + 3);
    guestfs_free_fuse_entry_list (rest);
  }
  guestfs_free_fuse_entry_list (l);

  CHECK_ERROR_NULL (g, guestfs_fuse_readdir_tree (g, "/missing", 0, 10), ENOENT,
                    NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_readdir_tree (g, "/f", 0, 10), ENOTDIR,
                    NULL);
}

static void
test_read_files (void)
{
  host_mkdir (H ("/rf"));
  write_host_file (H ("/rf/small"), "small file\n", 11);
  write_host_file (H ("/rf/empty"), "", 0);
  host_setxattr (H ("/rf/small"), "user.x", "y", 1);
  host_symlink ("small", H ("/rf/link"));
  host_mkdir (H ("/rf/sub"));
  char *names[] = {"small", "missing", "link", "empty", "sub", NULL};
  struct guestfs_fuse_entry_list *l =
      guestfs_fuse_read_files (g, "/rf", names, 0);
  CHECK (l && l->len == 5);
  if (l && l->len == 5) {
    CHECK_ENTRY (&l->val[0], H ("/rf/small"));
    CHECK (l->val[0].data_len == 11 &&
           memcmp (l->val[0].data, "small file\n", 11) == 0);
    CHECK (entry_has_xattr (&l->val[0], "user.x", "y", 1));
    CHECK (l->val[1].err == ENOENT);
    CHECK_ENTRY (&l->val[2], H ("/rf/link"));
    CHECK (l->val[2].data_len == 0); /* not followed */
    CHECK_ENTRY (&l->val[3], H ("/rf/empty"));
    CHECK (l->val[3].data_len == 0);
    CHECK_ENTRY (&l->val[4], H ("/rf/sub"));
    for (size_t i = 0; i < 5; ++i)
      CHECK (l->val[i].name && strcmp (l->val[i].name, names[i]) == 0);
  }
  guestfs_free_fuse_entry_list (l);

  /* Files larger than half the smallest reply: one per call, the
   * first always. */
  enum { BIG = 40 * 1024 };
  char *big = malloc (BIG);
  memset (big, 'b', BIG);
  write_host_file (H ("/rf/big1"), big, BIG);
  write_host_file (H ("/rf/big2"), big, BIG);
  char *bigs[] = {"big1", "big2", NULL};
  l = guestfs_fuse_read_files (g, "/rf", bigs, 0);
  CHECK (l && l->len == 1 && l->val[0].data_len == BIG &&
         memcmp (l->val[0].data, big, BIG) == 0);
  guestfs_free_fuse_entry_list (l);
  l = guestfs_fuse_read_files (g, "/rf", bigs + 1, 0);
  CHECK (l && l->len == 1 && strcmp (l->val[0].name, "big2") == 0 &&
         l->val[0].data_len == BIG);
  guestfs_free_fuse_entry_list (l);
  free (big);

  char *slash[] = {"sub/x", NULL};
  CHECK_ERROR_NULL (g, guestfs_fuse_read_files (g, "/rf", slash, 0), EINVAL,
                    "sub/x");
  CHECK_ERROR_NULL (g, guestfs_fuse_read_files (g, "/missing", names, 0),
                    ENOENT, NULL);
}

/* ---- Handles ---- */

static int
close_handle (int64_t h)
{
  char b[HANDLE_LIST_ITEM];
  entry_put_be64 (b, h);
  return guestfs_fuse_close (g, b, sizeof b);
}

/* Open path and return its handle (0 after a failure, reported). */
static int64_t
open_handle (const char *path, int flags, int mode)
{
  struct guestfs_fuse_entry *e =
      guestfs_fuse_open (g, path, flags, mode, 0, "", 0);
  CHECK (e != NULL && e->handle != 0);
  int64_t h = e ? e->handle : 0;
  guestfs_free_fuse_entry (e);
  return h;
}

/* Every handle call refuses h with EBADF. */
static void
check_stale (int64_t h)
{
  size_t n;
  CHECK_ERROR_NULL (g, guestfs_fuse_pread (g, h, 1, 0, &n), EBADF, NULL);
  CHECK_ERROR (g, guestfs_fuse_pwrite (g, h, "x", 1, 0), EBADF, NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_fstat (g, h), EBADF, NULL);
  CHECK_ERROR (g, guestfs_fuse_fsync (g, h, 0), EBADF, NULL);
  CHECK_ERROR (g, guestfs_fuse_fallocate (g, h, 0, 0, 1), EBADF, NULL);
  CHECK_ERROR (g, guestfs_fuse_lseek (g, h, 0, SEEK_DATA), EBADF, NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_extents (g, h, &n), EBADF, NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_fsetattr (g, h, -1), EBADF, NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_pwrite_setattr (g, h, "x", 1, 0, -1), EBADF,
                    NULL);
  CHECK_ERROR (g, close_handle (h), EBADF, NULL);
}

static void
test_open (void)
{
  /* Created with exactly the mode (no umask), status returned. */
  struct guestfs_fuse_entry *e =
      guestfs_fuse_open (g, "/new", O_RDWR | O_CREAT | O_EXCL, 0666, 0, "", 0);
  CHECK_ENTRY (e, H ("/new"));
  CHECK (e && e->handle != 0 && (e->st_mode & 07777) == 0666);
  int64_t h = e ? e->handle : 0;
  guestfs_free_fuse_entry (e);
  CHECK (close_handle (h) == 0);
  check_stale (h);

  CHECK_ERROR_NULL (
      g,
      guestfs_fuse_open (g, "/new", O_RDWR | O_CREAT | O_EXCL, 0600, 0, "", 0),
      EEXIST, NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_open (g, "/nothere", O_RDONLY, 0, 0, "", 0),
                    ENOENT, NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_open (g, "/l", O_RDONLY, 0, 0, "", 0),
                    ELOOP, NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_open (g, "/f/x", O_RDONLY, 0, 0, "", 0),
                    ENOTDIR, NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_open (g, "/d", O_RDWR, 0, 0, "", 0), EISDIR,
                    NULL);

  /* Prefetch: the start of the file comes with the open. */
  e = guestfs_fuse_open (g, "/f", O_RDONLY, 0, 3, "", 0);
  CHECK (e && e->data_len == 3 && memcmp (e->data, "hel", 3) == 0);
  int64_t h1 = e ? e->handle : 0;
  guestfs_free_fuse_entry (e);
  e = guestfs_fuse_open (g, "/f", O_RDONLY, 0, 100, "", 0);
  CHECK (e && e->data_len == 5 && memcmp (e->data, "hello", 5) == 0);
  int64_t h2 = e ? e->handle : 0;
  guestfs_free_fuse_entry (e);
  CHECK (h1 != h2);

  /* Handles released with the next open. */
  char *rel = handle_list_pack ((int64_t[]) { h1, h2 }, 2);
  CHECK (rel != NULL);
  e = guestfs_fuse_open (g, "/f", O_RDONLY, 0, 0, rel, 2 * HANDLE_LIST_ITEM);
  free (rel);
  CHECK (e && e->handle != h1 && e->handle != h2);
  int64_t h3 = e ? e->handle : 0;
  guestfs_free_fuse_entry (e);
  check_stale (h1);
  check_stale (h2);

  /* O_TRUNC empties the file. */
  write_host_file (H ("/t"), "to be cut", 9);
  int64_t ht = open_handle ("/t", O_WRONLY | O_TRUNC, 0);
  CHECK (host_content_is (H ("/t"), "", 0));

  /* fuse_close: several at once; a stale one among them is reported,
   * and the others are released anyway. */
  char *both = handle_list_pack ((int64_t[]) { h3, h1, ht }, 3);
  CHECK (both != NULL);
  CHECK_ERROR (g, guestfs_fuse_close (g, both, 3 * HANDLE_LIST_ITEM), EBADF,
               NULL);
  check_stale (h3);
  check_stale (ht);
  CHECK_ERROR (g, guestfs_fuse_close (g, both, 7), EINVAL, NULL);
  free (both);
  CHECK (guestfs_fuse_close (g, "", 0) == 0);
  /* Numbers the daemon never gave out. */
  check_stale (0);
  check_stale (-1);
  check_stale (INT64_MAX);
}

/* The daemon holds at most 1024 handles; one fuse_close releases any
 * number of them. */
static void
test_handle_limit (void)
{
  enum { LIMIT = 1024 };
  int64_t *handles = malloc (LIMIT * sizeof *handles);
  if (handles == NULL)
    abort ();
  size_t n = 0;
  while (n < LIMIT) {
    struct guestfs_fuse_entry *e =
        guestfs_fuse_open (g, "/f", O_RDONLY, 0, 0, "", 0);
    if (e == NULL)
      break;
    handles[n++] = e->handle;
    guestfs_free_fuse_entry (e);
  }
  CHECK (n == LIMIT);
  CHECK_ERROR_NULL (g, guestfs_fuse_open (g, "/f", O_RDONLY, 0, 0, "", 0),
                    EMFILE, NULL);
  char *list = handle_list_pack (handles, n);
  CHECK (list != NULL &&
         guestfs_fuse_close (g, list, n * HANDLE_LIST_ITEM) == 0);
  int64_t h = open_handle ("/f", O_RDONLY, 0);
  CHECK (close_handle (h) == 0);
  free (list);
  free (handles);
}

static void
test_io (void)
{
  int64_t h = open_handle ("/io", O_RDWR | O_CREAT, 0644);
  CHECK (guestfs_fuse_pwrite (g, h, "0123456789", 10, 0) == 10);
  CHECK (host_content_is (H ("/io"), "0123456789", 10));
  CHECK (guestfs_fuse_pwrite (g, h, "AB", 2, 4) == 2);
  CHECK (host_content_is (H ("/io"), "0123AB6789", 10));
  size_t n;
  char *b = guestfs_fuse_pread (g, h, 4, 3, &n);
  CHECK (b && n == 4 && memcmp (b, "3AB6", 4) == 0);
  free (b);
  /* Short only at the end of the file; empty beyond it. */
  b = guestfs_fuse_pread (g, h, 100, 8, &n);
  CHECK (b && n == 2 && memcmp (b, "89", 2) == 0);
  free (b);
  b = guestfs_fuse_pread (g, h, 100, 1000, &n);
  CHECK (b && n == 0);
  free (b);

  /* A large write and read, at the limit. */
  char *big = malloc (IO_MAX + 1);
  for (size_t i = 0; i < IO_MAX + 1; ++i)
    big[i] = (char)(i * 7 + i / 4096);
  CHECK (guestfs_fuse_pwrite (g, h, big, IO_MAX, 10) == IO_MAX);
  b = guestfs_fuse_pread (g, h, IO_MAX, 10, &n);
  CHECK (b && n == IO_MAX && memcmp (b, big, IO_MAX) == 0);
  free (b);
  CHECK_ERROR (g, guestfs_fuse_pwrite (g, h, big, IO_MAX + 1, 0), EINVAL,
               NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_pread (g, h, IO_MAX + 1, 0, &n), EINVAL,
                    NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_pread (g, h, 1, -1, &n), EINVAL, NULL);
  CHECK_ERROR (g, guestfs_fuse_pwrite (g, h, "x", 1, -1), EINVAL, NULL);
  free (big);

  struct guestfs_fuse_entry *e = guestfs_fuse_fstat (g, h);
  CHECK_ENTRY (e, H ("/io"));
  CHECK (e && e->st_size == 10 + IO_MAX);
  guestfs_free_fuse_entry (e);
  CHECK (guestfs_fuse_fsync (g, h, 0) == 0);
  CHECK (guestfs_fuse_fsync (g, h, 1) == 0);

  /* A read-only handle does not write. */
  int64_t ro = open_handle ("/io", O_RDONLY, 0);
  CHECK_ERROR (g, guestfs_fuse_pwrite (g, ro, "x", 1, 0), EBADF, NULL);
  CHECK (close_handle (ro) == 0);

  /* The open file outlives its name. */
  CHECK (unlink (H ("/io")) == 0);
  e = guestfs_fuse_fstat (g, h);
  CHECK (e && e->st_nlink == 0 && e->st_size == 10 + IO_MAX);
  guestfs_free_fuse_entry (e);
  b = guestfs_fuse_pread (g, h, 4, 0, &n);
  CHECK (b && n == 4 && memcmp (b, "0123", 4) == 0);
  free (b);
  CHECK (close_handle (h) == 0);
}

/* Host lseek on path, for comparison (-1: errno). */
static off_t
host_seek (const char *path, off_t off, int whence)
{
  int fd = open (path, O_RDONLY);
  off_t r = fd == -1 ? -1 : lseek (fd, off, whence);
  int saved = errno;
  if (fd != -1)
    close (fd);
  errno = saved;
  return r;
}

/* The extent map of a host file: the host's disks are not drives the
 * library added (their serials are not "d<index>"), and the scratch
 * directory may be on any filesystem, so the daemon refuses with
 * EOPNOTSUPP; a map, if a host ever gives one, must describe the
 * file. */
static void
check_extents (int64_t h, uint64_t size)
{
  size_t n = 0;
  char *m = guestfs_fuse_extents (g, h, &n);
  if (m == NULL)
    CHECK (guestfs_last_errno (g) == EOPNOTSUPP);
  else {
    uint64_t got = 0;
    for (int i = 0; i < 8; ++i)
      got = got << 8 | (unsigned char) m[i];
    CHECK (n >= 16 && (n - 16) % 40 == 0 && got == size);
  }
  free (m);
}

static void
test_sparse (void)
{
  enum { MiB = 1024 * 1024 };
  int64_t h = open_handle ("/sparse", O_RDWR | O_CREAT, 0644);
  CHECK (guestfs_fuse_pwrite (g, h, "data", 4, 0) == 4);
  CHECK (guestfs_fuse_pwrite (g, h, "more", 4, 4 * MiB) == 4);
  int64_t size = 4 * MiB + 4;
  /* Where data and holes start, as the host sees them. */
  for (int64_t off = 0; off < size; off += MiB / 2) {
    int whences[] = {SEEK_DATA, SEEK_HOLE};
    for (int w = 0; w < 2; ++w) {
      off_t want = host_seek (H ("/sparse"), off, whences[w]);
      int64_t got = guestfs_fuse_lseek (g, h, off, whences[w]);
      CHECK (want >= 0 && got == want);
    }
  }
  CHECK (guestfs_fuse_lseek (g, h, 0, SEEK_HOLE) < size); /* a real hole */
  CHECK_ERROR (g, guestfs_fuse_lseek (g, h, size + 1, SEEK_DATA), ENXIO, NULL);
  CHECK_ERROR (g, guestfs_fuse_lseek (g, h, 0, SEEK_SET), EINVAL, NULL);

  /* fallocate: keep the size, then punch the start out. */
  CHECK (guestfs_fuse_fallocate (g, h, FALLOC_FL_KEEP_SIZE, size, MiB) == 0);
  struct stat st;
  CHECK (lstat (H ("/sparse"), &st) == 0 && st.st_size == size);
  CHECK (guestfs_fuse_fallocate (g, h, 0, 0, 8 * MiB) == 0);
  CHECK (lstat (H ("/sparse"), &st) == 0 && st.st_size == 8 * MiB);
  CHECK (guestfs_fuse_fallocate (
             g, h, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096) == 0);
  size_t n;
  char *b = guestfs_fuse_pread (g, h, 4, 0, &n);
  CHECK (b && n == 4 && memcmp (b, "\0\0\0\0", 4) == 0);
  free (b);
  CHECK (guestfs_fuse_lseek (g, h, 0, SEEK_HOLE) == 0);
  CHECK_ERROR (g, guestfs_fuse_fallocate (g, h, 0, 0, 0), EINVAL, NULL);
  struct guestfs_fuse_entry *e = guestfs_fuse_fstat (g, h);
  CHECK_ENTRY (e, H ("/sparse"));
  guestfs_free_fuse_entry (e);
  check_extents (h, 8 * MiB);
  CHECK (close_handle (h) == 0);
}

/* ---- Attributes ---- */

static bool
host_times_are (const char *path, int64_t a_sec, int64_t a_nsec, int64_t m_sec,
                int64_t m_nsec)
{
  struct stat st;
  return lstat (path, &st) == 0 && st.st_atim.tv_sec == a_sec &&
         st.st_atim.tv_nsec == a_nsec && st.st_mtim.tv_sec == m_sec &&
         st.st_mtim.tv_nsec == m_nsec;
}

static void
test_setattr (void)
{
  write_host_file (H ("/attr"), "0123456789", 10);
  struct guestfs_fuse_entry *e =
      guestfs_fuse_setattr (g, "/attr", GUESTFS_FUSE_SETATTR_MODE, 0604, -1);
  CHECK_ENTRY (e, H ("/attr"));
  CHECK (e && (e->st_mode & 07777) == 0604);
  guestfs_free_fuse_entry (e);

  e = guestfs_fuse_setattr (g, "/attr", GUESTFS_FUSE_SETATTR_SIZE, (int64_t)4,
                            -1);
  CHECK_ENTRY (e, H ("/attr"));
  CHECK (host_content_is (H ("/attr"), "0123", 4));
  guestfs_free_fuse_entry (e);
  e = guestfs_fuse_setattr (g, "/attr", GUESTFS_FUSE_SETATTR_SIZE, (int64_t)6,
                            -1);
  CHECK (host_content_is (H ("/attr"), "0123\0\0", 6));
  guestfs_free_fuse_entry (e);

  e = guestfs_fuse_setattr (
      g, "/attr", GUESTFS_FUSE_SETATTR_ATIME_SEC, (int64_t)1000000000,
      GUESTFS_FUSE_SETATTR_ATIME_NSEC, (int64_t)5,
      GUESTFS_FUSE_SETATTR_MTIME_SEC, (int64_t)1200000000,
      GUESTFS_FUSE_SETATTR_MTIME_NSEC, (int64_t)123456789, -1);
  CHECK_ENTRY (e, H ("/attr"));
  CHECK (host_times_are (H ("/attr"), 1000000000, 5, 1200000000, 123456789));
  guestfs_free_fuse_entry (e);
  /* UTIME_OMIT leaves a time alone. */
  e = guestfs_fuse_setattr (g, "/attr", GUESTFS_FUSE_SETATTR_ATIME_NSEC,
                            (int64_t)UTIME_OMIT, GUESTFS_FUSE_SETATTR_MTIME_SEC,
                            (int64_t)1300000000,
                            GUESTFS_FUSE_SETATTR_MTIME_NSEC, (int64_t)0, -1);
  CHECK (host_times_are (H ("/attr"), 1000000000, 5, 1300000000, 0));
  guestfs_free_fuse_entry (e);
  /* UTIME_NOW: the daemon's clock, long after the times set above. */
  e = guestfs_fuse_setattr (g, "/attr", GUESTFS_FUSE_SETATTR_ATIME_NSEC,
                            (int64_t)UTIME_NOW, -1);
  CHECK_ENTRY (e, H ("/attr"));
  CHECK (e && e->st_atime_sec > 1300000000 && e->st_mtime_sec == 1300000000);
  guestfs_free_fuse_entry (e);

  if (geteuid () == 0) {
    e = guestfs_fuse_setattr (g, "/attr", GUESTFS_FUSE_SETATTR_UID,
                              (int64_t)1234, GUESTFS_FUSE_SETATTR_GID,
                              (int64_t)5678, -1);
    CHECK_ENTRY (e, H ("/attr"));
    CHECK (e && e->st_uid == 1234 && e->st_gid == 5678);
    guestfs_free_fuse_entry (e);
    /* -1: unchanged. */
    e = guestfs_fuse_setattr (g, "/attr", GUESTFS_FUSE_SETATTR_UID, (int64_t)-1,
                              GUESTFS_FUSE_SETATTR_GID, (int64_t)99, -1);
    CHECK (e && e->st_uid == 1234 && e->st_gid == 99);
    guestfs_free_fuse_entry (e);
    /* A link's own owner, not its target's. */
    e = guestfs_fuse_setattr (g, "/l", GUESTFS_FUSE_SETATTR_UID, (int64_t)4321,
                              -1);
    CHECK_ENTRY (e, H ("/l"));
    CHECK (e && e->st_uid == 4321);
    guestfs_free_fuse_entry (e);
    struct stat st;
    CHECK (lstat (H ("/f"), &st) == 0 && st.st_uid == 0);
  } else
    printf ("not root: owner changes not tested\n");

  /* No attribute at all: the status, nothing changed. */
  e = guestfs_fuse_setattr (g, "/attr", -1);
  CHECK_ENTRY (e, H ("/attr"));
  guestfs_free_fuse_entry (e);

  CHECK_ERROR_NULL (
      g, guestfs_fuse_setattr (g, "/l", GUESTFS_FUSE_SETATTR_MODE, 0600, -1),
      EOPNOTSUPP, NULL);
  CHECK_ERROR_NULL (
      g,
      guestfs_fuse_setattr (g, "/missing", GUESTFS_FUSE_SETATTR_MODE, 0600, -1),
      ENOENT, NULL);
  CHECK_ERROR_NULL (
      g,
      guestfs_fuse_setattr (g, "/d", GUESTFS_FUSE_SETATTR_SIZE, (int64_t)0, -1),
      EISDIR, NULL);
  CHECK_ERROR_NULL (g,
                    guestfs_fuse_setattr (g, "/attr", GUESTFS_FUSE_SETATTR_SIZE,
                                          (int64_t)-5, -1),
                    EINVAL, NULL);
}

static void
test_fsetattr (void)
{
  int64_t h = open_handle ("/fattr", O_RDWR | O_CREAT, 0600);
  CHECK (guestfs_fuse_pwrite (g, h, "abcdef", 6, 0) == 6);
  struct guestfs_fuse_entry *e = guestfs_fuse_fsetattr (
      g, h, GUESTFS_FUSE_FSETATTR_SIZE, (int64_t)3, GUESTFS_FUSE_FSETATTR_MODE,
      0640, GUESTFS_FUSE_FSETATTR_MTIME_SEC, (int64_t)1100000000,
      GUESTFS_FUSE_FSETATTR_MTIME_NSEC, (int64_t)42, -1);
  CHECK_ENTRY (e, H ("/fattr"));
  CHECK (e && (e->st_mode & 07777) == 0640 && e->st_size == 3 &&
         e->st_mtime_sec == 1100000000 && e->st_mtime_nsec == 42);
  CHECK (host_content_is (H ("/fattr"), "abc", 3));
  guestfs_free_fuse_entry (e);
  if (geteuid () == 0) {
    e = guestfs_fuse_fsetattr (g, h, GUESTFS_FUSE_FSETATTR_UID, (int64_t)777,
                               GUESTFS_FUSE_FSETATTR_GID, (int64_t)888, -1);
    CHECK_ENTRY (e, H ("/fattr"));
    CHECK (e && e->st_uid == 777 && e->st_gid == 888);
    guestfs_free_fuse_entry (e);
  }

  /* pwrite_setattr: the write, then the times, in one call. */
  e = guestfs_fuse_pwrite_setattr (
      g, h, "XYZ", 3, 3, GUESTFS_FUSE_PWRITE_SETATTR_MTIME_SEC,
      (int64_t)1234567890, GUESTFS_FUSE_PWRITE_SETATTR_MTIME_NSEC, (int64_t)7,
      -1);
  CHECK_ENTRY (e, H ("/fattr"));
  CHECK (e && e->st_size == 6 && e->st_mtime_sec == 1234567890 &&
         e->st_mtime_nsec == 7);
  CHECK (host_content_is (H ("/fattr"), "abcXYZ", 6));
  guestfs_free_fuse_entry (e);
  /* Without attributes it is a write that returns the status. */
  e = guestfs_fuse_pwrite_setattr (g, h, "!", 1, 6, -1);
  CHECK_ENTRY (e, H ("/fattr"));
  CHECK (host_content_is (H ("/fattr"), "abcXYZ!", 7));
  guestfs_free_fuse_entry (e);

  /* A failed write changes nothing. */
  struct stat before, after;
  int64_t ro = open_handle ("/fattr", O_RDONLY, 0);
  CHECK (lstat (H ("/fattr"), &before) == 0);
  CHECK_ERROR_NULL (
      g,
      guestfs_fuse_pwrite_setattr (g, ro, "no", 2, 0,
                                   GUESTFS_FUSE_PWRITE_SETATTR_MODE, 0777, -1),
      EBADF, NULL);
  CHECK (lstat (H ("/fattr"), &after) == 0 && after.st_mode == before.st_mode &&
         after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
         after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  CHECK (host_content_is (H ("/fattr"), "abcXYZ!", 7));
  CHECK (close_handle (ro) == 0);

  /* On a file that has lost its name. */
  CHECK (unlink (H ("/fattr")) == 0);
  e = guestfs_fuse_fsetattr (g, h, GUESTFS_FUSE_FSETATTR_SIZE, (int64_t)1, -1);
  CHECK (e && e->st_size == 1 && e->st_nlink == 0);
  guestfs_free_fuse_entry (e);
  CHECK (close_handle (h) == 0);
}

/* ---- Creating ---- */

static void
test_create (void)
{
  struct guestfs_fuse_entry *e = guestfs_fuse_mkdir (g, "/nd", 0705);
  CHECK_ENTRY (e, H ("/nd"));
  CHECK (e && S_ISDIR (e->st_mode) && (e->st_mode & 07777) == 0705);
  guestfs_free_fuse_entry (e);
  CHECK_ERROR_NULL (g, guestfs_fuse_mkdir (g, "/nd", 0755), EEXIST, NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_mkdir (g, "/no/such", 0755), ENOENT, NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_mkdir (g, "/f/sub", 0755), ENOTDIR, NULL);

  e = guestfs_fuse_mknod (g, "/nd/fifo", S_IFIFO | 0620, 0);
  CHECK_ENTRY (e, H ("/nd/fifo"));
  CHECK (e && S_ISFIFO (e->st_mode) && (e->st_mode & 07777) == 0620);
  guestfs_free_fuse_entry (e);
  e = guestfs_fuse_mknod (g, "/nd/reg", S_IFREG | 0601, 0);
  CHECK_ENTRY (e, H ("/nd/reg"));
  CHECK (e && S_ISREG (e->st_mode) && (e->st_mode & 07777) == 0601);
  guestfs_free_fuse_entry (e);
  e = guestfs_fuse_mknod (g, "/nd/sock", S_IFSOCK | 0600, 0);
  CHECK_ENTRY (e, H ("/nd/sock"));
  guestfs_free_fuse_entry (e);
  if (geteuid () == 0) {
    e = guestfs_fuse_mknod (g, "/nd/null", S_IFCHR | 0666, makedev (1, 3));
    CHECK_ENTRY (e, H ("/nd/null"));
    CHECK (e && S_ISCHR (e->st_mode) && e->st_rdev == (int64_t)makedev (1, 3));
    guestfs_free_fuse_entry (e);
  }
  CHECK_ERROR_NULL (g, guestfs_fuse_mknod (g, "/nd/reg", S_IFREG | 0600, 0),
                    EEXIST, NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_mknod (g, "/nd/dir", S_IFDIR | 0700, 0),
                    EINVAL, NULL);

  /* A symbolic link stores its target as given. */
  const char *const targets[] = {"../f", "/absolute/nowhere", "x y\tz"};
  for (size_t i = 0; i < 3; ++i) {
    char *p = xasprintf ("/nd/sym%zu", i);
    e = guestfs_fuse_symlink (g, targets[i], p);
    CHECK_ENTRY (e, H (p));
    CHECK (e && S_ISLNK (e->st_mode) && strcmp (e->link, targets[i]) == 0);
    guestfs_free_fuse_entry (e);
    free (p);
  }
  CHECK_ERROR_NULL (g, guestfs_fuse_symlink (g, "x", "/nd/sym0"), EEXIST, NULL);

  /* A hard link: both names, two links; a link to a symbolic link
   * links the link itself. */
  e = guestfs_fuse_link (g, "/nd/reg", "/nd/reg2");
  CHECK_ENTRY (e, H ("/nd/reg2"));
  CHECK (e && e->st_nlink == 2);
  guestfs_free_fuse_entry (e);
  struct stat a, b;
  CHECK (lstat (H ("/nd/reg"), &a) == 0 && lstat (H ("/nd/reg2"), &b) == 0 &&
         a.st_ino == b.st_ino);
  e = guestfs_fuse_link (g, "/nd/sym0", "/nd/sym0-hard");
  CHECK_ENTRY (e, H ("/nd/sym0-hard"));
  CHECK (e && S_ISLNK (e->st_mode) && strcmp (e->link, "../f") == 0);
  guestfs_free_fuse_entry (e);
  CHECK_ERROR_NULL (g, guestfs_fuse_link (g, "/nd/reg", "/nd/reg2"), EEXIST,
                    NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_link (g, "/nd/gone", "/nd/x"), ENOENT,
                    NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_link (g, "/nd", "/nd-hard"), EPERM, NULL);
}

static void
test_rename (void)
{
  host_mkdir (H ("/rn"));
  write_host_file (H ("/rn/a"), "A", 1);
  write_host_file (H ("/rn/b"), "B", 1);
  CHECK (guestfs_fuse_rename (g, "/rn/a", "/rn/c", 0) == 0);
  CHECK (!host_exists (H ("/rn/a")) && host_content_is (H ("/rn/c"), "A", 1));
  CHECK (guestfs_fuse_rename (g, "/rn/c", "/rn/b", 0) == 0); /* replaces */
  CHECK (!host_exists (H ("/rn/c")) && host_content_is (H ("/rn/b"), "A", 1));

  write_host_file (H ("/rn/a"), "new A", 5);
  CHECK_ERROR (g, guestfs_fuse_rename (g, "/rn/a", "/rn/b", RENAME_NOREPLACE),
               EEXIST, NULL);
  CHECK (host_content_is (H ("/rn/a"), "new A", 5) &&
         host_content_is (H ("/rn/b"), "A", 1));
  CHECK (guestfs_fuse_rename (g, "/rn/a", "/rn/n", RENAME_NOREPLACE) == 0);
  CHECK (host_content_is (H ("/rn/n"), "new A", 5));

  /* Exchange: a file and a directory trade places. */
  host_mkdir (H ("/rn/dir"));
  CHECK (guestfs_fuse_rename (g, "/rn/n", "/rn/dir", RENAME_EXCHANGE) == 0);
  struct stat st;
  CHECK (lstat (H ("/rn/n"), &st) == 0 && S_ISDIR (st.st_mode));
  CHECK (host_content_is (H ("/rn/dir"), "new A", 5));
  CHECK_ERROR (g, guestfs_fuse_rename (g, "/rn/b", "/rn/none", RENAME_EXCHANGE),
               ENOENT, NULL);
  CHECK_ERROR (g,
               guestfs_fuse_rename (g, "/rn/b", "/rn/x",
                                    RENAME_EXCHANGE | RENAME_NOREPLACE),
               EINVAL, NULL);
  CHECK_ERROR (g, guestfs_fuse_rename (g, "/rn/b", "/rn/x", 64), EINVAL, NULL);
  CHECK_ERROR (g, guestfs_fuse_rename (g, "/rn/none", "/rn/x", 0), ENOENT,
               NULL);
  CHECK_ERROR (g, guestfs_fuse_rename (g, "/rn/b", "/rn/n", 0), EISDIR, NULL);
  CHECK_ERROR (g, guestfs_fuse_rename (g, "/rn", "/rn/n/inside", 0), EINVAL,
               NULL);
}

/* ---- Extended attributes ---- */

static bool
host_xattr_is (const char *path, const char *name, const void *v, size_t len)
{
  char buf[256];
  ssize_t n = lgetxattr (path, name, buf, sizeof buf);
  return n == (ssize_t)len && memcmp (buf, v, len) == 0;
}

static void
test_xattrs (void)
{
  write_host_file (H ("/x"), "", 0);
  CHECK (guestfs_fuse_setxattr (g, "/x", "user.bin", bin_value,
                                sizeof bin_value, 0) == 0);
  CHECK (host_xattr_is (H ("/x"), "user.bin", bin_value, sizeof bin_value));
  size_t n;
  char *v = guestfs_fuse_getxattr (g, "/x", "user.bin", &n);
  CHECK (v && n == sizeof bin_value && memcmp (v, bin_value, n) == 0);
  free (v);
  /* An empty value is a value. */
  CHECK (guestfs_fuse_setxattr (g, "/x", "user.empty", "", 0, 0) == 0);
  v = guestfs_fuse_getxattr (g, "/x", "user.empty", &n);
  CHECK (v && n == 0);
  free (v);
  struct guestfs_fuse_entry *e = guestfs_fuse_lstat (g, "/x");
  CHECK (e && entry_has_xattr (e, "user.bin", bin_value, sizeof bin_value) &&
         entry_has_xattr (e, "user.empty", "", 0));
  guestfs_free_fuse_entry (e);

  CHECK_ERROR (
      g, guestfs_fuse_setxattr (g, "/x", "user.bin", "v", 1, XATTR_CREATE),
      EEXIST, NULL);
  CHECK_ERROR (
      g, guestfs_fuse_setxattr (g, "/x", "user.none", "v", 1, XATTR_REPLACE),
      ENODATA, NULL);
  CHECK (guestfs_fuse_setxattr (g, "/x", "user.bin", "v2", 2, XATTR_REPLACE) ==
         0);
  CHECK (host_xattr_is (H ("/x"), "user.bin", "v2", 2));
  CHECK_ERROR (g, guestfs_fuse_setxattr (g, "/x", "user.bin", "v", 1, 8),
               EINVAL, NULL);

  CHECK (guestfs_fuse_removexattr (g, "/x", "user.bin") == 0);
  CHECK (lgetxattr (H ("/x"), "user.bin", NULL, 0) == -1 && errno == ENODATA);
  CHECK_ERROR (g, guestfs_fuse_removexattr (g, "/x", "user.bin"), ENODATA,
               NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_getxattr (g, "/x", "user.bin", &n), ENODATA,
                    NULL);
  CHECK_ERROR_NULL (g, guestfs_fuse_getxattr (g, "/missing", "user.x", &n),
                    ENOENT, NULL);
  CHECK_ERROR (g, guestfs_fuse_setxattr (g, "/missing", "user.x", "v", 1, 0),
               ENOENT, NULL);

  /* A final symbolic link is not followed: /l's target /f has
   * user.text, the link itself has none. */
  CHECK_ERROR_NULL (g, guestfs_fuse_getxattr (g, "/l", "user.text", &n),
                    ENODATA, NULL);
  /* Linux keeps user attributes off symbolic links. */
  CHECK_ERROR (g, guestfs_fuse_removexattr (g, "/l", "user.text"), EPERM, NULL);
  CHECK_ERROR (g, guestfs_fuse_setxattr (g, "/l", "user.text", "v", 1, 0),
               EPERM, NULL);
  CHECK (host_xattr_is (H ("/f"), "user.text", "one", 3));
}

int
main (void)
{
  g = test_daemon_start (&td);
  guestfs_set_error_handler (g, NULL, NULL);
  test_lstat ();
  test_readdir_pages ();
  test_readdir_tree ();
  test_read_files ();
  test_open ();
  test_handle_limit ();
  test_io ();
  test_sparse ();
  test_setattr ();
  test_fsetattr ();
  test_create ();
  test_rename ();
  test_xattrs ();
  CHECK (guestfs_ping_daemon (g) == 0);
  test_daemon_stop (&td, g);
  return test_result ();
}
