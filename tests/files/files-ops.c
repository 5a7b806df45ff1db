/* The Files group against a host guestfsd: special files, links,
 * owners, times, extended attributes (and POSIX ACLs as xattrs), the
 * batched listings, trees, copies, checksums and text.  Every change
 * is checked from the host side. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "files-util.h"

static struct test_daemon td;
static guestfs_h *g;
static bool xattrs_work; /* user.* xattrs on the scratch filesystem */

#define H(p) host_path (&td, (p))

/* ---- Special files ---- */

static void
test_special_files (void)
{
  CHECK (guestfs_mkfifo (g, 0640, "/fifo") == 0);
  struct stat st = host_lstat (H ("/fifo"));
  CHECK (S_ISFIFO (st.st_mode) && (st.st_mode & 07777) == 0640);
  CHECK (guestfs_is_fifo (g, "/fifo") == 1);
  CHECK (guestfs_is_file (g, "/fifo") == 0);

  CHECK (guestfs_mknod (g, S_IFSOCK | 0600, 0, 0, "/sock") == 0);
  CHECK (S_ISSOCK (host_lstat (H ("/sock")).st_mode));
  CHECK (guestfs_is_socket (g, "/sock") == 1);
  CHECK (guestfs_mknod (g, S_IFREG | 0600, 0, 0, "/reg") == 0);
  CHECK (S_ISREG (host_lstat (H ("/reg")).st_mode));
  CHECK_ERROR (g, guestfs_mknod (g, 0170000 | 0600, 0, 0, "/bad"), EINVAL,
               "mode");
  CHECK_ERROR (g, guestfs_mkfifo (g, S_IFIFO | 0600, "/bad"), EINVAL,
               "mode");
  CHECK_ERROR (g, guestfs_mkfifo (g, 0600, "/fifo"), EEXIST, "/fifo");

  /* On the host, device nodes only where they cannot be opened. */
  struct statvfs sv;
  bool nodev = statvfs (td.root, &sv) == 0 && (sv.f_flag & ST_NODEV);
  if (nodev) {
    CHECK (guestfs_mknod_b (g, 0600, 7, 0, "/blk") == 0);
    CHECK (S_ISBLK (host_lstat (H ("/blk")).st_mode));
    CHECK (host_lstat (H ("/blk")).st_rdev == makedev (7, 0));
    CHECK (guestfs_is_blockdev (g, "/blk") == 1);
  }
  else {
    CHECK_ERROR (g, guestfs_mknod_b (g, 0600, 7, 0, "/blk"), EPERM,
                 "device nodes");
    CHECK_ERROR (g, guestfs_mknod_c (g, 0600, 1, 3, "/chr"), EPERM,
                 "device nodes");
    CHECK (!host_exists (H ("/blk")) && !host_exists (H ("/chr")));
  }
  CHECK (guestfs_is_chardev (g, "/fifo") == 0);
  CHECK (guestfs_is_blockdev (g, "/missing") == 0);

  /* followsymlinks */
  CHECK (guestfs_ln_s (g, "fifo", "/fifolink") == 0);
  CHECK (guestfs_is_symlink (g, "/fifolink") == 1);
  CHECK (guestfs_is_symlink (g, "/fifo") == 0);
  CHECK (guestfs_is_symlink (g, "/missing") == 0);
  CHECK (guestfs_is_fifo (g, "/fifolink") == 0);
  CHECK (guestfs_is_fifo_opts (g, "/fifolink",
                               GUESTFS_IS_FIFO_OPTS_FOLLOWSYMLINKS, 1,
                               -1) == 1);
  CHECK (guestfs_is_socket_opts (g, "/sock",
                                 GUESTFS_IS_SOCKET_OPTS_FOLLOWSYMLINKS, 1,
                                 -1) == 1);
}

/* ---- Links ---- */

static void
test_links (void)
{
  put_guest_file (&td, "/a", "aaa");
  CHECK (guestfs_ln (g, "/a", "/hard") == 0);
  struct stat a = host_lstat (H ("/a")), h = host_lstat (H ("/hard"));
  CHECK (a.st_ino == h.st_ino && a.st_nlink == 2);
  CHECK_ERROR (g, guestfs_ln (g, "/a", "/hard"), EEXIST, "/hard");
  put_guest_file (&td, "/other", "other");
  CHECK (guestfs_ln_f (g, "/other", "/hard") == 0);
  CHECK (host_lstat (H ("/hard")).st_ino == host_lstat (H ("/other")).st_ino);
  CHECK (host_lstat (H ("/a")).st_nlink == 1);
  CHECK (guestfs_mkdir (g, "/d") == 0);
  CHECK_ERROR (g, guestfs_ln (g, "/d", "/dlink"), EPERM, "/d");
  CHECK_ERROR (g, guestfs_ln_f (g, "/a", "/d"), EISDIR, "/d");

  CHECK (guestfs_ln_s (g, "/a", "/sym") == 0);
  CHECK (guestfs_ln_sf (g, "other", "/sym") == 0);
  char *t = guestfs_readlink (g, "/sym");
  CHECK (t && strcmp (t, "other") == 0);
  free (t);
  CHECK (guestfs_ln_sf (g, "a", "/newsym") == 0);
  CHECK (host_content_is (H ("/newsym"), "aaa", 3));
  /* ln of a symbolic link links the link itself. */
  CHECK (guestfs_ln (g, "/sym", "/sym2") == 0);
  CHECK (S_ISLNK (host_lstat (H ("/sym2")).st_mode));
}

/* ---- Owner, size, times ---- */

static void
test_owner_and_times (void)
{
  put_guest_file (&td, "/own", "x");
  CHECK (guestfs_ln_s (g, "own", "/ownlink") == 0);
  if (geteuid () == 0) {
    CHECK (guestfs_chown (g, 1234, 5678, "/ownlink") == 0);
    struct stat st = host_lstat (H ("/own"));
    CHECK (st.st_uid == 1234 && st.st_gid == 5678);
    CHECK (host_lstat (H ("/ownlink")).st_uid == 0);
    CHECK (guestfs_lchown (g, 4321, -1, "/ownlink") == 0);
    st = host_lstat (H ("/ownlink"));
    CHECK (st.st_uid == 4321 && st.st_gid == 0);
    CHECK (host_lstat (H ("/own")).st_uid == 1234);
  }
  else {
    /* Unprivileged: giving a file away is refused, keeping it works. */
    CHECK_ERROR (g, guestfs_chown (g, 0, 0, "/own"), EPERM, "/own");
    CHECK (guestfs_chown (g, getuid (), -1, "/own") == 0);
    CHECK (host_lstat (H ("/own")).st_uid == getuid ());
  }
  CHECK_ERROR (g, guestfs_chown (g, -5, 0, "/own"), EINVAL, "owner");

  put_guest_file (&td, "/trunc", "0123456789");
  CHECK (guestfs_truncate (g, "/trunc") == 0);
  CHECK (host_lstat (H ("/trunc")).st_size == 0);

  put_guest_file (&td, "/times", "t");
  CHECK (guestfs_utimens (g, "/times", 1000, 500, 2000, 600) == 0);
  struct stat st = host_lstat (H ("/times"));
  CHECK (st.st_atim.tv_sec == 1000 && st.st_atim.tv_nsec == 500);
  CHECK (st.st_mtim.tv_sec == 2000 && st.st_mtim.tv_nsec == 600);
  /* -2 leaves a time alone, -1 sets it to now. */
  CHECK (guestfs_utimens (g, "/times", 0, -2, 0, -1) == 0);
  st = host_lstat (H ("/times"));
  CHECK (st.st_atim.tv_sec == 1000 && st.st_atim.tv_nsec == 500);
  CHECK (st.st_mtim.tv_sec > time (NULL) - 60);
  CHECK (guestfs_utimens (g, "/times", 5, UTIME_OMIT, 7, 0) == 0);
  st = host_lstat (H ("/times"));
  CHECK (st.st_atim.tv_sec == 1000 && st.st_mtim.tv_sec == 7);
  CHECK_ERROR (g, guestfs_utimens (g, "/times", 0, 1000000000, 0, 0),
               EINVAL, "atnsecs");
  CHECK_ERROR (g, guestfs_utimens (g, "/times", 0, 0, 0, -3), EINVAL,
               "mtnsecs");
  /* A link's own times change, not its target's. */
  CHECK (guestfs_ln_s (g, "times", "/timeslink") == 0);
  CHECK (guestfs_utimens (g, "/timeslink", 3, 0, 4, 0) == 0);
  CHECK (host_lstat (H ("/timeslink")).st_mtim.tv_sec == 4);
  CHECK (host_lstat (H ("/times")).st_mtim.tv_sec == 7);
}

/* ---- Extended attributes ---- */

/* A POSIX access ACL (version 2): user::rw- user:1000:r-- group::r--
 * mask::rw- other::---, in the kernel's little-endian xattr form. */
static size_t
make_acl (char *buf)
{
  static const struct {
    unsigned short tag, perm;
    unsigned id;
  } e[] = {
    { 0x01, 6, 0xffffffff }, { 0x02, 4, 1000 }, { 0x04, 4, 0xffffffff },
    { 0x10, 6, 0xffffffff }, { 0x20, 0, 0xffffffff },
  };
  size_t n = 0;
  unsigned version = 2;
  memcpy (buf, &version, 4);
  n = 4;
  for (size_t i = 0; i < sizeof e / sizeof e[0]; ++i) {
    memcpy (buf + n, &e[i].tag, 2);
    memcpy (buf + n + 2, &e[i].perm, 2);
    memcpy (buf + n + 4, &e[i].id, 4);
    n += 8;
  }
  return n;
}

static void
test_xattrs (void)
{
  put_guest_file (&td, "/x", "x");
  static const char val[] = "bin\0ary\xff";
  CHECK (guestfs_setxattr (g, "user.one", val, sizeof val, "/x") == 0);
  char hv[64];
  CHECK (getxattr (H ("/x"), "user.one", hv, sizeof hv) == sizeof val &&
         memcmp (hv, val, sizeof val) == 0);
  size_t size;
  char *v = guestfs_getxattr (g, "/x", "user.one", &size);
  CHECK (v && size == sizeof val && memcmp (v, val, size) == 0);
  free (v);
  CHECK (guestfs_setxattr (g, "user.empty", "", 0, "/x") == 0);
  v = guestfs_getxattr (g, "/x", "user.empty", &size);
  CHECK (v && size == 0);
  free (v);

  struct guestfs_xattr_list *l = guestfs_getxattrs (g, "/x");
  CHECK (l && l->len == 2);
  for (uint32_t i = 0; l && i < l->len; ++i)
    if (strcmp (l->val[i].attrname, "user.one") == 0)
      CHECK (l->val[i].attrval_len == sizeof val &&
             memcmp (l->val[i].attrval, val, sizeof val) == 0);
    else
      CHECK (strcmp (l->val[i].attrname, "user.empty") == 0 &&
             l->val[i].attrval_len == 0);
  guestfs_free_xattr_list (l);

  /* Through a link: getxattrs follows, lgetxattrs does not. */
  CHECK (guestfs_ln_s (g, "x", "/xlink") == 0);
  l = guestfs_getxattrs (g, "/xlink");
  CHECK (l && l->len == 2);
  guestfs_free_xattr_list (l);
  l = guestfs_lgetxattrs (g, "/xlink");
  CHECK (l && l->len == 0);
  guestfs_free_xattr_list (l);
  if (geteuid () == 0) {
    /* trusted.* may be set on a link itself. */
    CHECK (guestfs_lsetxattr (g, "trusted.l", "L", 1, "/xlink") == 0);
    CHECK (lgetxattr (H ("/xlink"), "trusted.l", hv, sizeof hv) == 1);
    CHECK (getxattr (H ("/x"), "trusted.l", hv, sizeof hv) == -1);
    v = guestfs_lgetxattr (g, "/xlink", "trusted.l", &size);
    CHECK (v && size == 1 && v[0] == 'L');
    free (v);
    CHECK (guestfs_lremovexattr (g, "trusted.l", "/xlink") == 0);
    CHECK (lgetxattr (H ("/xlink"), "trusted.l", hv, sizeof hv) == -1);
  }

  CHECK (guestfs_removexattr (g, "user.one", "/xlink") == 0);
  CHECK (getxattr (H ("/x"), "user.one", hv, sizeof hv) == -1 &&
         errno == ENODATA);
  CHECK_ERROR (g, guestfs_removexattr (g, "user.one", "/x"), ENODATA, "/x");
  CHECK_ERROR_NULL (g, guestfs_getxattr (g, "/x", "user.one", &size),
                    ENODATA, "/x");
  char longname[300];
  memset (longname, 'n', sizeof longname - 1);
  memcpy (longname, "user.", 5);
  longname[sizeof longname - 1] = '\0';
  CHECK_ERROR (g, guestfs_setxattr (g, longname, "v", 1, "/x"), EINVAL,
               "xattr");
  CHECK_ERROR (g, guestfs_setxattr (g, "", "v", 1, "/x"), EINVAL, "xattr");
  CHECK_ERROR_NULL (g, guestfs_getxattr (g, "/x", "", &size), EINVAL,
                    "name");
  CHECK_ERROR (g, guestfs_setxattr (g, "nonamespace", "v", 1, "/x"),
               EOPNOTSUPP, "/x");
  char *big = calloc (1, 70000);
  CHECK_ERROR (g, guestfs_setxattr (g, "user.big", big, 70000, "/x"), E2BIG,
               "val");
  free (big);

  /* A POSIX ACL carried as its xattr, as guestmount does. */
  char acl[64];
  size_t alen = make_acl (acl);
  put_guest_file (&td, "/acl", "acl");
  if (guestfs_setxattr (g, "system.posix_acl_access", acl, alen, "/acl")
      == 0) {
    v = guestfs_getxattr (g, "/acl", "system.posix_acl_access", &size);
    CHECK (v && size == alen && memcmp (v, acl, alen) == 0);
    free (v);
    CHECK (getxattr (H ("/acl"), "system.posix_acl_access", hv, sizeof hv)
           == (ssize_t) alen && memcmp (hv, acl, alen) == 0);
    /* The group bits of the mode now show the mask. */
    CHECK ((host_lstat (H ("/acl")).st_mode & 0070) == 0060);
    char *facl = host_command ("getfacl -n '%s' 2>/dev/null", H ("/acl"));
    if (facl)
      CHECK (strstr (facl, "user:1000:r--") != NULL);
    free (facl);
  }
  else
    CHECK (guestfs_last_errno (g) == EOPNOTSUPP);
}

/* lxattrlist over more than one reply, and over more names than one
 * request carries. */
static void
test_lxattrlist (void)
{
  CHECK (guestfs_mkdir (g, "/xl") == 0);
  put_guest_file (&td, "/xl/a", "a");
  put_guest_file (&td, "/xl/b", "b");
  CHECK (setxattr (H ("/xl/a"), "user.k1", "v1", 2, 0) == 0);
  CHECK (setxattr (H ("/xl/a"), "user.k2", "value2", 6, 0) == 0);
  CHECK (symlink ("a", H ("/xl/link")) == 0);
  char *names[] = { "a", "b", "missing", "link", "..", NULL };
  struct guestfs_xattr_list *l = guestfs_lxattrlist (g, "/xl", names);
  /* a: header "2" + 2, b: "0", missing: "", link: "0", ..: "0". */
  CHECK (l && l->len == 7);
  if (l && l->len == 7) {
    CHECK (l->val[0].attrname[0] == '\0' && l->val[0].attrval_len == 1 &&
           l->val[0].attrval[0] == '2');
    CHECK (strncmp (l->val[1].attrname, "user.k", 6) == 0);
    CHECK (l->val[3].attrname[0] == '\0' && l->val[3].attrval_len == 1 &&
           l->val[3].attrval[0] == '0');
    CHECK (l->val[4].attrname[0] == '\0' && l->val[4].attrval_len == 0);
    CHECK (l->val[5].attrval_len == 1 && l->val[5].attrval[0] == '0');
  }
  guestfs_free_xattr_list (l);

  /* 1200 files with 3000-byte values: more than one 4 MiB reply. */
  enum { NFILES = 1200, VLEN = 3000 };
  char **many = calloc (NFILES + 1, sizeof (char *));
  char *value = malloc (VLEN);
  memset (value, 'v', VLEN);
  CHECK (guestfs_mkdir (g, "/xm") == 0);
  for (int i = 0; i < NFILES; ++i) {
    if (asprintf (&many[i], "f%04d", i) == -1)
      abort ();
    char *p;
    if (asprintf (&p, "/xm/%s", many[i]) == -1)
      abort ();
    write_host_file (H (p), "", 0);
    value[0] = (char) ('0' + i % 10);
    CHECK (setxattr (H (p), "user.big", value, VLEN, 0) == 0);
    free (p);
  }
  l = guestfs_lxattrlist (g, "/xm", many);
  CHECK (l && l->len == 2 * NFILES);
  for (int i = 0; l && l->len == 2 * NFILES && i < NFILES; ++i) {
    struct guestfs_xattr *x = &l->val[2 * i + 1];
    CHECK (x->attrval_len == VLEN && x->attrval[0] == '0' + i % 10);
  }
  guestfs_free_xattr_list (l);
  free (value);
  free_list (many);

  /* 20000 names: more than one request. */
  enum { NNAMES = 20000 };
  many = calloc (NNAMES + 1, sizeof (char *));
  for (int i = 0; i < NNAMES; ++i)
    many[i] = strdup (i % 2 ? "a" : "nothere");
  l = guestfs_lxattrlist (g, "/xl", many);
  CHECK (l && l->len == NNAMES / 2 * 4);
  guestfs_free_xattr_list (l);
  char **targets = guestfs_readlinklist (g, "/xl", many);
  CHECK (targets && targets[NNAMES] == NULL && targets[0][0] == '\0');
  free_list (targets);
  free_list (many);
}

/* ---- Paths ---- */

static void
test_readlinklist_realpath (void)
{
  CHECK (guestfs_mkdir_p (g, "/rl/sub") == 0);
  CHECK (symlink ("/etc/passwd", H ("/rl/abs")) == 0);
  CHECK (symlink ("sub", H ("/rl/rel")) == 0);
  put_guest_file (&td, "/rl/file", "f");
  char *names[] = { "abs", "file", "rel", "none", "sub/../rel", NULL };
  char **t = guestfs_readlinklist (g, "/rl", names);
  CHECK (list_is (t, "/etc/passwd", "", "sub", "", "sub", NULL));
  free_list (t);

  CHECK (guestfs_mkdir_p (g, "/etc") == 0);
  put_guest_file (&td, "/etc/passwd", "guest\n");
  char *r = guestfs_realpath (g, "/rl/abs");
  CHECK (r && strcmp (r, "/etc/passwd") == 0);
  free (r);
  r = guestfs_realpath (g, "/rl/./sub/../rel/");
  CHECK (r && strcmp (r, "/rl/sub") == 0);
  free (r);
  r = guestfs_realpath (g, "/../../..");
  CHECK (r && strcmp (r, "/") == 0);
  free (r);
  CHECK_ERROR_NULL (g, guestfs_realpath (g, "/rl/none"), ENOENT,
                    "/rl/none");

  char *tmp = guestfs_mkdtemp (g, "/rl/tmpXXXXXX");
  CHECK (tmp && strncmp (tmp, "/rl/tmp", 7) == 0 && strlen (tmp) == 13 &&
         strcmp (tmp + 7, "XXXXXX") != 0);
  if (tmp) {
    struct stat st = host_lstat (H (tmp));
    CHECK (S_ISDIR (st.st_mode) && (st.st_mode & 0777) == 0700);
  }
  char *tmp2 = guestfs_mkdtemp (g, "/rl/tmpXXXXXX");
  CHECK (tmp && tmp2 && strcmp (tmp, tmp2) != 0);
  free (tmp);
  free (tmp2);
  CHECK_ERROR_NULL (g, guestfs_mkdtemp (g, "/rl/tmpXXXX"), EINVAL, "tmpl");
  CHECK_ERROR_NULL (g, guestfs_mkdtemp (g, "/rl/XXXXXX/"), EINVAL, "tmpl");

  struct guestfs_statvfs *sv = guestfs_statvfs (g, "/rl");
  struct statvfs hsv;
  CHECK (sv && statvfs (td.root, &hsv) == 0);
  if (sv) {
    CHECK (sv->bsize == (int64_t) hsv.f_bsize);
    CHECK (sv->blocks == (int64_t) hsv.f_blocks);
    CHECK (sv->namemax == (int64_t) hsv.f_namemax);
  }
  guestfs_free_statvfs (sv);
}

/* ---- Trees ---- */

static void
make_tree (const char *top)
{
  char p[256];
  CHECK (guestfs_mkdir (g, top) == 0);
  snprintf (p, sizeof p, "%s/sub", top);
  CHECK (guestfs_mkdir (g, p) == 0);
  snprintf (p, sizeof p, "%s/sub/deep.txt", top);
  put_guest_file (&td, p, "deep\n");
  snprintf (p, sizeof p, "%s/top.txt", top);
  put_guest_file (&td, p, "top\n");
  snprintf (p, sizeof p, "%s/link", top);
  CHECK (symlink ("/etc", H (p)) == 0);
}

static void
test_find_and_du (void)
{
  make_tree ("/tree");
  char **l = guestfs_find (g, "/tree");
  CHECK (list_is (l, "link", "sub", "sub/deep.txt", "top.txt", NULL));
  free_list (l);
  l = guestfs_find (g, "/tree/sub");
  CHECK (list_is (l, "deep.txt", NULL));
  free_list (l);
  CHECK_ERROR_NULL (g, guestfs_find (g, "/tree/top.txt"), ENOTDIR,
                    "/tree/top.txt");

  char *out = NULL;
  if (asprintf (&out, "%s/find0.out", td.dir) == -1)
    abort ();
  CHECK (guestfs_find0 (g, "/tree", out) == 0);
  size_t n;
  char *b = host_read (out, &n);
  /* Unsorted, NUL after each name. */
  int count = 0;
  for (size_t i = 0; b && i < n; i += strlen (b + i) + 1) {
    ++count;
    CHECK (strcmp (b + i, "link") == 0 || strcmp (b + i, "sub") == 0 ||
           strcmp (b + i, "sub/deep.txt") == 0 ||
           strcmp (b + i, "top.txt") == 0);
  }
  CHECK (b && count == 4 && b[n - 1] == '\0');
  free (b);
  free (out);

  CHECK (guestfs_fill (g, 'z', 300000, "/tree/sub/big") == 0);
  CHECK (link (H ("/tree/sub/big"), H ("/tree/big2")) == 0);
  int64_t du = guestfs_du (g, "/tree");
  char *ref = host_command ("du -sk '%s'", H ("/tree"));
  CHECK (ref && du == atoll (ref));
  CHECK (du >= 293); /* the hard link counts once */
  free (ref);
  CHECK (guestfs_du (g, "/tree/link") >= 0);
  CHECK_ERROR (g, guestfs_du (g, "/nothere"), ENOENT, "/nothere");

  char *ll = guestfs_ll (g, "/tree");
  CHECK (ll && strstr (ll, "top.txt") && strstr (ll, "link -> /etc") &&
         strstr (ll, ".."));
  free (ll);
}

static void
test_file (void)
{
  put_guest_file (&td, "/text", "hello world\n");
  char *f = guestfs_file (g, "/text");
  CHECK (f && strcmp (f, "ASCII text") == 0);
  free (f);
  char *gz = host_command ("printf 'hello\\n' | gzip -c > '%s' && echo ok",
                           H ("/text.gz"));
  free (gz);
  f = guestfs_file (g, "/text.gz");
  CHECK (f && strstr (f, "gzip compressed") != NULL);
  free (f);
  f = guestfs_file (g, "/tree");
  CHECK (f && strcmp (f, "directory") == 0);
  free (f);
  f = guestfs_file (g, "/tree/link");
  CHECK (f && strcmp (f, "symbolic link") == 0);
  free (f);
  f = guestfs_file (g, "/fifo");
  CHECK (f && strcmp (f, "FIFO") == 0);
  free (f);
  CHECK_ERROR_NULL (g, guestfs_file (g, "/nothere"), ENOENT, "/nothere");
}

static void
test_checksums (void)
{
  put_guest_file (&td, "/sum", "hello\n");
  static const struct {
    const char *type, *want;
  } sums[] = {
    { "md5", "b1946ac92492d2347c6235b4d2611184" },
    { "sha1", "f572d396fae9206628714fb2ce00f72e94f2258f" },
    { "sha256",
      "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03" },
    { "crc", "3015617425" },
  };
  for (size_t i = 0; i < sizeof sums / sizeof sums[0]; ++i) {
    char *s = guestfs_checksum (g, sums[i].type, "/sum");
    CHECK (s && strcmp (s, sums[i].want) == 0);
    free (s);
  }
  char *s = guestfs_checksum (g, "sha512", "/sum");
  CHECK (s && strlen (s) == 128);
  free (s);
  CHECK_ERROR_NULL (g, guestfs_checksum (g, "md4", "/sum"), EINVAL,
                    "csumtype");
  CHECK_ERROR_NULL (g, guestfs_checksum (g, "md5", "/tree"), EINVAL,
                    "/tree");

  char *out = NULL;
  if (asprintf (&out, "%s/sums.out", td.dir) == -1)
    abort ();
  CHECK (guestfs_checksums_out (g, "md5", "/tree/sub", out) == 0);
  char *b = host_read (out, NULL);
  char *ref = host_command ("cd '%s' && find . -type f -print0 | sort -z | "
                            "xargs -0 md5sum | sort", H ("/tree/sub"));
  char *sorted = host_command ("sort '%s'", out);
  CHECK (b && ref && sorted && strcmp (sorted, ref) == 0);
  free (b);
  free (ref);
  free (sorted);
  CHECK (guestfs_checksums_out (g, "crc", "/tree/sub", out) == 0);
  b = host_read (out, NULL);
  CHECK (b && strstr (b, "./deep.txt\n") && strstr (b, " 5 ./deep.txt"));
  free (b);
  free (out);
}

/* ---- Text ---- */

static void
test_lines (void)
{
  put_guest_file (&td, "/lines", "a\nb\r\nc");
  char **l = guestfs_read_lines (g, "/lines");
  CHECK (list_is (l, "a", "b", "c", NULL));
  free_list (l);
  put_guest_file (&td, "/empty", "");
  l = guestfs_read_lines (g, "/empty");
  CHECK (list_is (l, NULL));
  free_list (l);

  FILE *f = fopen (H ("/n25"), "w");
  for (int i = 1; i <= 25; ++i)
    fprintf (f, "%d\n", i);
  fclose (f);
  l = guestfs_head (g, "/n25");
  CHECK (l && l[0] && strcmp (l[0], "1") == 0 && l[9] &&
         strcmp (l[9], "10") == 0 && l[10] == NULL);
  free_list (l);
  l = guestfs_head_n (g, 3, "/n25");
  CHECK (list_is (l, "1", "2", "3", NULL));
  free_list (l);
  l = guestfs_head_n (g, -23, "/n25");
  CHECK (list_is (l, "1", "2", NULL));
  free_list (l);
  l = guestfs_head_n (g, 0, "/n25");
  CHECK (list_is (l, NULL));
  free_list (l);
  l = guestfs_tail (g, "/n25");
  CHECK (l && l[0] && strcmp (l[0], "16") == 0 && l[9] &&
         strcmp (l[9], "25") == 0 && l[10] == NULL);
  free_list (l);
  l = guestfs_tail_n (g, 2, "/n25");
  CHECK (list_is (l, "24", "25", NULL));
  free_list (l);
  l = guestfs_tail_n (g, -24, "/n25");
  CHECK (list_is (l, "24", "25", NULL));
  free_list (l);
  l = guestfs_tail_n (g, 100, "/n25");
  CHECK (l && l[24] && strcmp (l[24], "25") == 0 && l[25] == NULL);
  free_list (l);
  CHECK_ERROR_NULL (g, guestfs_tail (g, "/nothere"), ENOENT, "/nothere");

  put_guest_file (&td, "/words", "one two\tthree\n  four\n\nfive");
  CHECK (guestfs_wc_l (g, "/words") == 3);
  CHECK (guestfs_wc_w (g, "/words") == 5);
  CHECK (guestfs_wc_c (g, "/words") == 26);
  CHECK (guestfs_wc_l (g, "/empty") == 0);
}

/* ---- Copies ---- */

static void
test_copies (void)
{
  put_guest_file (&td, "/c1", "copy me");
  CHECK (chmod (H ("/c1"), 0751) == 0);
  CHECK (guestfs_cp (g, "/c1", "/c2") == 0);
  CHECK (host_content_is (H ("/c2"), "copy me", 7));
  CHECK ((host_lstat (H ("/c2")).st_mode & 0777) == (0751 & ~022));
  CHECK (guestfs_mkdir (g, "/cd") == 0);
  CHECK (guestfs_cp (g, "/c1", "/cd") == 0);
  CHECK (host_content_is (H ("/cd/c1"), "copy me", 7));
  put_guest_file (&td, "/c2", "overwritten later");
  CHECK (guestfs_cp (g, "/c1", "/c2") == 0);
  CHECK (host_content_is (H ("/c2"), "copy me", 7));
  CHECK_ERROR (g, guestfs_cp (g, "/tree", "/treecopy"), EISDIR, "/tree");
  CHECK_ERROR (g, guestfs_cp (g, "/nothere", "/x"), ENOENT, "/nothere");

  /* cp_r: the tree, links as links, no metadata. */
  CHECK (guestfs_utimens (g, "/tree/top.txt", 10, 0, 10, 0) == 0);
  CHECK (guestfs_cp_r (g, "/tree", "/tree_r") == 0);
  CHECK (host_content_is (H ("/tree_r/sub/deep.txt"), "deep\n", 5));
  CHECK (S_ISLNK (host_lstat (H ("/tree_r/link")).st_mode));
  CHECK (host_lstat (H ("/tree_r/top.txt")).st_mtim.tv_sec != 10);
  CHECK (guestfs_cp_r (g, "/tree", "/tree_r") == 0); /* into it */
  CHECK (host_exists (H ("/tree_r/tree/sub/deep.txt")));
  CHECK_ERROR (g, guestfs_cp_r (g, "/tree", "/tree/sub"), EINVAL, "/tree");
  CHECK (!host_exists (H ("/tree/sub/tree")));

  /* cp_a: modes, times, xattrs, hard links. */
  CHECK (chmod (H ("/tree/sub"), 0701) == 0);
  if (xattrs_work)
    CHECK (setxattr (H ("/tree/top.txt"), "user.keep", "k", 1, 0) == 0);
  CHECK (guestfs_cp_a (g, "/tree", "/tree_a") == 0);
  CHECK (host_lstat (H ("/tree_a/top.txt")).st_mtim.tv_sec == 10);
  CHECK ((host_lstat (H ("/tree_a/sub")).st_mode & 07777) == 0701);
  CHECK (host_lstat (H ("/tree_a/sub/big")).st_ino ==
         host_lstat (H ("/tree_a/big2")).st_ino);
  char v[8];
  if (xattrs_work)
    CHECK (getxattr (H ("/tree_a/top.txt"), "user.keep", v, sizeof v) == 1);
  char *t = guestfs_readlink (g, "/tree_a/link");
  CHECK (t && strcmp (t, "/etc") == 0);
  free (t);

  /* mv: rename, and into a directory. */
  CHECK (guestfs_mv (g, "/c2", "/c3") == 0);
  CHECK (!host_exists (H ("/c2")) && host_content_is (H ("/c3"), "copy me", 7));
  CHECK (guestfs_mv (g, "/c3", "/cd") == 0);
  CHECK (host_content_is (H ("/cd/c3"), "copy me", 7));
  CHECK (guestfs_mv (g, "/tree_r", "/cd") == 0);
  CHECK (host_exists (H ("/cd/tree_r/sub/deep.txt")));
  CHECK_ERROR (g, guestfs_mv (g, "/nothere", "/cd"), ENOENT, "/nothere");
}

static void
test_commands_refused (void)
{
  char *argv[] = { "/bin/true", NULL };
  CHECK_ERROR_NULL (g, guestfs_command (g, argv), EPERM, "on the host");
  char **l = guestfs_command_lines (g, argv);
  CHECK (l == NULL && guestfs_last_errno (g) == EPERM);
  CHECK_ERROR_NULL (g, guestfs_sh (g, "true"), EPERM, "guest programs");
  l = guestfs_sh_lines (g, "echo hi");
  CHECK (l == NULL && guestfs_last_errno (g) == EPERM);
  CHECK (handle_alive (g));
}

int
main (void)
{
  g = test_daemon_start (&td);
  xattrs_work = setxattr (td.root, "user.probe", "p", 1, 0) == 0;
  if (xattrs_work)
    removexattr (td.root, "user.probe");
  test_special_files ();
  test_links ();
  test_owner_and_times ();
  if (xattrs_work) {
    test_xattrs ();
    test_lxattrlist ();
  }
  else
    printf ("user xattrs unsupported on %s: xattr checks skipped\n", td.root);
  test_readlinklist_realpath ();
  test_find_and_du ();
  test_file ();
  test_checksums ();
  test_lines ();
  test_copies ();
  test_commands_refused ();
  CHECK (handle_alive (g));
  test_daemon_stop (&td, g);
  return test_result ();
}
