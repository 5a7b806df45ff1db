/* Text search, encoding, archives and small utilities against a host
 * guestfsd: grep and its variants, hexdump, strings, zfile,
 * file_architecture, base64, compress_out, cpio_out, the tgz and txz
 * calls, initrd_list/initrd_cat, glob_expand, case_sensitive_path,
 * ls0, llz, mktemp, fill_dir, write_file, fallocate, equal,
 * copy_attributes, rsync, and the daemon utilities.  Outputs of host
 * tools are compared with the same tools run here on the same bytes.
 * (Devices, mount_loop and remount need the appliance: tests/devices.)
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdarg.h>
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

/* The list is exactly the strings given; the list is freed. */
#define LIST_IS(l, ...)                                                      \
  ({                                                                         \
    char **l_ = (l);                                                         \
    bool ok_ = list_is (l_, __VA_ARGS__, NULL);                              \
    free_list (l_);                                                          \
    ok_;                                                                     \
  })

/* Run a host shell command; true if it succeeded. */
static bool __attribute__ ((format (printf, 1, 2)))
run_sh (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *cmd = xvasprintf (fmt, ap);
  va_end (ap);
  int r = system (cmd);
  free (cmd);
  return r == 0;
}

static const char lines[] = "alpha\nBeta\na.c\nabc\ngamma beta\n";

/* ---- grep ---- */

static void
test_grep (void)
{
  put_guest_file (&td, "/t.txt", lines);
  CHECK (LIST_IS (guestfs_grep (g, "eta", "/t.txt"), "Beta", "gamma beta"));
  CHECK (LIST_IS (guestfs_grepi (g, "^beta", "/t.txt"), "Beta"));
  CHECK (LIST_IS (guestfs_egrep (g, "^(alpha|abc)$", "/t.txt"), "alpha",
                  "abc"));
  CHECK (LIST_IS (guestfs_fgrep (g, "a.c", "/t.txt"), "a.c"));
  CHECK (LIST_IS (guestfs_grep (g, "a.c", "/t.txt"), "a.c", "abc"));
  CHECK (LIST_IS (guestfs_fgrepi (g, "BETA", "/t.txt"), "Beta",
                  "gamma beta"));
  CHECK (LIST_IS (guestfs_egrepi (g, "^(ALPHA|abc)$", "/t.txt"), "alpha",
                  "abc"));
  /* No match is an empty list; a pattern like an option is a pattern. */
  CHECK (LIST_IS (guestfs_grep (g, "zzz", "/t.txt"), NULL));
  put_guest_file (&td, "/opt.txt", "-v\nx\n");
  CHECK (LIST_IS (guestfs_grep (g, "-v", "/opt.txt"), "-v"));
  CHECK_ERROR_NULL (g, guestfs_grep_opts (g, "a", "/t.txt",
                                          GUESTFS_GREP_OPTS_EXTENDED, 1,
                                          GUESTFS_GREP_OPTS_FIXED, 1, -1),
                    EINVAL, "extended");
  CHECK_ERROR_NULL (g, guestfs_grep (g, "a", "/nothere"), ENOENT,
                    "/nothere");
  CHECK (guestfs_mkdir (g, "/gdir") == 0);
  CHECK_ERROR_NULL (g, guestfs_grep (g, "a", "/gdir"), EISDIR, "/gdir");
  CHECK_ERROR_NULL (g, guestfs_grep (g, "[", "/t.txt"), 0, "grep");

  /* Compressed: zgrep and its variants. */
  write_host_file (H ("/t.gz.src"), lines, strlen (lines));
  CHECK (run_sh ("gzip -c %s > %s", H ("/t.gz.src"),
                            H ("/t.gz")));
  CHECK (LIST_IS (guestfs_zgrep (g, "eta", "/t.gz"), "Beta", "gamma beta"));
  CHECK (LIST_IS (guestfs_zgrepi (g, "^BETA", "/t.gz"), "Beta"));
  CHECK (LIST_IS (guestfs_zegrep (g, "^(alpha|abc)$", "/t.gz"), "alpha",
                  "abc"));
  CHECK (LIST_IS (guestfs_zfgrep (g, "a.c", "/t.gz"), "a.c"));
  CHECK (LIST_IS (guestfs_zegrepi (g, "^(ALPHA)$", "/t.gz"), "alpha"));
  CHECK (LIST_IS (guestfs_zfgrepi (g, "A.C", "/t.gz"), "a.c"));
  /* zgrep reads uncompressed files too. */
  CHECK (LIST_IS (guestfs_zgrep (g, "alpha", "/t.txt"), "alpha"));
  CHECK (handle_alive (g));
}

/* ---- hexdump, strings, zfile, file_architecture ---- */

static void
test_examine (void)
{
  static const char bin[] = "\x01\x02hello world\x00\xff\xfe\x00"
                            "second string\x00\x7f"
                            "ab\x00";
  write_host_file (H ("/bin.dat"), bin, sizeof bin - 1);
  char *want = host_command ("hexdump -C %s", H ("/bin.dat"));
  CHECK_CALL_STREQ (g, guestfs_hexdump (g, "/bin.dat"), want);
  free (want);
  CHECK (LIST_IS (guestfs_strings (g, "/bin.dat"), "hello world",
                  "second string"));
  CHECK (LIST_IS (guestfs_strings_e (g, "S", "/bin.dat"), "hello world",
                  "second string"));
  /* UTF-16LE, as Windows binaries hold their strings. */
  static const char wide[] = "x\0W\0i\0n\0d\0o\0w\0s\0\0\0";
  write_host_file (H ("/wide.dat"), wide, sizeof wide - 1);
  CHECK (LIST_IS (guestfs_strings_e (g, "l", "/wide.dat"), "xWindows"));
  CHECK (LIST_IS (guestfs_strings (g, "/wide.dat"), NULL));
  CHECK_ERROR_NULL (g, guestfs_strings_e (g, "q", "/bin.dat"), EINVAL,
                    "encoding");
  CHECK_ERROR_NULL (g, guestfs_strings_e (g, "--help", "/bin.dat"), EINVAL,
                    "encoding");
  CHECK_ERROR_NULL (g, guestfs_hexdump (g, "/nothere"), ENOENT, "/nothere");

  /* zfile: file(1) on the decompressed bytes. */
  put_guest_file (&td, "/z.src", lines);
  CHECK (run_sh ("gzip -c %s > %s; bzip2 -c %s > %s",
                            H ("/z.src"), H ("/z.gz"), H ("/z.src"),
                            H ("/z.bz2")));
  want = host_command ("zcat %s | file -b - | tr -d '\\n'", H ("/z.gz"));
  CHECK (want != NULL && strstr (want, "text") != NULL);
  CHECK_CALL_STREQ (g, guestfs_zfile (g, "gzip", "/z.gz"), want);
  CHECK_CALL_STREQ (g, guestfs_zfile (g, "bzip2", "/z.bz2"), want);
  free (want);
  CHECK_ERROR_NULL (g, guestfs_zfile (g, "lzma", "/z.gz"), EINVAL, "meth");
  CHECK_ERROR_NULL (g, guestfs_zfile (g, "bzip2", "/z.gz"), 0, "bzcat");

  /* file_architecture: this program's own binaries. */
  if (host_exists ("/bin/ls")) {
    CHECK (run_sh ("cp /bin/ls %s", H ("/ls")));
    char *m = host_command ("uname -m | tr -d '\\n'");
    const char *arch = m && strcmp (m, "i686") == 0 ? "i386" : m;
    CHECK_CALL_STREQ (g, guestfs_file_architecture (g, "/ls"), arch);
    free (m);
  }
  CHECK_ERROR_NULL (g, guestfs_file_architecture (g, "/z.src"), EINVAL,
                    "unknown architecture");
  CHECK_ERROR_NULL (g, guestfs_file_architecture (g, "/nothere"), ENOENT,
                    "/nothere");
  CHECK (handle_alive (g));
}

/* ---- base64, compress_out, cpio_out, tgz, txz ---- */

static void
test_encodings (void)
{
  char *local = local_path (&td, "local.b64");
  make_random_file (H ("/rand"), 300000, 7);
  CHECK (guestfs_base64_out (g, "/rand", local) == 0);
  char *want = host_command ("base64 %s | md5sum", H ("/rand"));
  char *got = host_command ("md5sum < %s", local);
  CHECK (want && got && strcmp (want, got) == 0);
  free (want);
  free (got);
  CHECK (guestfs_base64_in (g, local, "/rand2") == 0);
  CHECK (hash_file (H ("/rand")) == hash_file (H ("/rand2")));
  write_host_file (local, "!!not base64!!\n", 15);
  CHECK_ERROR (g, guestfs_base64_in (g, local, "/rand3"), 0, "base64");
  CHECK (handle_alive (g));
  CHECK_ERROR (g, guestfs_base64_out (g, "/nothere", local), ENOENT,
               "/nothere");
  free (local);

  /* Each compressor, decompressed here. */
  static const char *const kinds[][2] = {
    { "gzip", "zcat" }, { "bzip2", "bzcat" }, { "xz", "xzcat" },
    { "lzop", "lzop -dc" }, { "compress", "uncompress -c" },
  };
  char *z = local_path (&td, "out.z");
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i) {
    CHECK (guestfs_compress_out (g, kinds[i][0], "/rand", z, -1) == 0);
    char *sum = host_command ("%s < %s | md5sum", kinds[i][1], z);
    char *orig = host_command ("md5sum < %s", H ("/rand"));
    if (!(sum && orig && strcmp (sum, orig) == 0))
      fprintf (stderr, "compress_out %s: round trip differs\n", kinds[i][0]);
    CHECK (sum && orig && strcmp (sum, orig) == 0);
    free (sum);
    free (orig);
  }
  CHECK (guestfs_compress_out (g, "gzip", "/rand", z,
                               GUESTFS_COMPRESS_OUT_LEVEL, 1, -1) == 0);
  CHECK_ERROR (g, guestfs_compress_out (g, "gzip", "/rand", z,
                                        GUESTFS_COMPRESS_OUT_LEVEL, 10, -1),
               EINVAL, "level");
  CHECK_ERROR (g, guestfs_compress_out (g, "compress", "/rand", z,
                                        GUESTFS_COMPRESS_OUT_LEVEL, 5, -1),
               EINVAL, "level");
  CHECK_ERROR (g, guestfs_compress_out (g, "zip", "/rand", z, -1), EINVAL,
               "ctype");
  CHECK_ERROR (g, guestfs_compress_out (g, "gzip", "/nothere", z, -1),
               ENOENT, "/nothere");

  /* cpio_out: the tree, links as links, read back by cpio. */
  CHECK (guestfs_mkdir_p (g, "/tree/sub") == 0);
  put_guest_file (&td, "/tree/a", "A\n");
  put_guest_file (&td, "/tree/sub/b", "B\n");
  CHECK (symlink ("/etc/passwd", H ("/tree/link")) == 0);
  char *cpio = local_path (&td, "out.cpio");
  CHECK (guestfs_cpio_out (g, "/tree", cpio, -1) == 0);
  char *list = host_command ("cpio --quiet -it < %s | sort | tr '\\n' ' '",
                             cpio);
  CHECK_STREQ (list, ". a link sub sub/b ");
  free (list);
  char *fmt = host_command ("head -c 6 %s", cpio);
  CHECK_STREQ (fmt, "070701");
  free (fmt);
  CHECK (guestfs_cpio_out (g, "/tree", cpio, GUESTFS_CPIO_OUT_FORMAT, "crc",
                           -1) == 0);
  fmt = host_command ("head -c 6 %s", cpio);
  CHECK_STREQ (fmt, "070702");
  free (fmt);
  CHECK_ERROR (g, guestfs_cpio_out (g, "/tree", cpio, GUESTFS_CPIO_OUT_FORMAT,
                                    "tar", -1),
               EINVAL, "format");
  CHECK_ERROR (g, guestfs_cpio_out (g, "/nothere", cpio, -1), ENOENT,
               "/nothere");
  free (cpio);

  /* tgz and txz: round trips through the guest. */
  char *tgz = local_path (&td, "t.tgz");
  CHECK (guestfs_tgz_out (g, "/tree", tgz) == 0);
  char *magic = host_command ("od -An -tx1 -N2 %s | tr -d ' \\n'", tgz);
  CHECK_STREQ (magic, "1f8b");
  free (magic);
  CHECK (guestfs_mkdir (g, "/untgz") == 0);
  CHECK (guestfs_tgz_in (g, tgz, "/untgz") == 0);
  CHECK (host_content_is (H ("/untgz/sub/b"), "B\n", 2));
  CHECK (guestfs_txz_out (g, "/tree", tgz) == 0);
  magic = host_command ("od -An -tx1 -N6 %s | tr -d ' \\n'", tgz);
  CHECK_STREQ (magic, "fd377a585a00");
  free (magic);
  CHECK (guestfs_mkdir (g, "/untxz") == 0);
  CHECK (guestfs_txz_in (g, tgz, "/untxz") == 0);
  CHECK (host_content_is (H ("/untxz/a"), "A\n", 2));
  CHECK (S_ISLNK (host_lstat (H ("/untxz/link")).st_mode));
  CHECK_ERROR (g, guestfs_tgz_in (g, tgz, "/untgz"), 0, "tar");
  free (tgz);
  free (z);
  CHECK (handle_alive (g));
}

/* ---- initrd ---- */

static void
test_initrd (void)
{
  CHECK (run_sh ("mkdir -p %s/ird/bin && printf '#!/bin/sh\\n' "
                            "> %s/ird/init && printf 'x' > '%s/ird/bin/a*b' "
                            "&& printf 'y' > %s/ird/bin/axb && cd %s/ird && "
                            "find . | sort | cpio --quiet -o -H newc > "
                            "../ird.cpio && gzip -c ../ird.cpio > "
                            "../ird.gz && xz -c ../ird.cpio > ../ird.xz",
                 td.root, td.root, td.root, td.root, td.root));
  /* The names as cpio lists them here. */
  char *want = host_command ("cpio --quiet -it < %s | tr '\\n' ' '",
                             H ("/ird.cpio"));
  CHECK_STREQ (want, ". bin bin/a*b bin/axb init ");
  free (want);
  static const char *const images[] = { "/ird.cpio", "/ird.gz", "/ird.xz" };
  for (size_t i = 0; i < 3; ++i) {
    CHECK (LIST_IS (guestfs_initrd_list (g, images[i]), ".", "bin",
                    "bin/a*b", "bin/axb", "init"));
    size_t n;
    char *b = guestfs_initrd_cat (g, images[i], "init", &n);
    CHECK (b && n == 10 && memcmp (b, "#!/bin/sh\n", 10) == 0);
    free (b);
    /* A wildcard in the name is the name only. */
    b = guestfs_initrd_cat (g, images[i], "bin/a*b", &n);
    CHECK (b && n == 1 && b[0] == 'x');
    free (b);
  }
  size_t n;
  CHECK_ERROR_NULL (g, guestfs_initrd_cat (g, "/ird.gz", "nothere", &n),
                    ENOENT, "nothere");
  CHECK_ERROR_NULL (g, guestfs_initrd_cat (g, "/ird.gz", "/init", &n),
                    EINVAL, "filename");
  CHECK_ERROR_NULL (g, guestfs_initrd_list (g, "/t.txt"), EINVAL,
                    "not an initramfs");
  CHECK_ERROR_NULL (g, guestfs_initrd_list (g, "/nothere"), ENOENT,
                    "/nothere");
  CHECK (handle_alive (g));
}

/* ---- Paths ---- */

static void
test_paths (void)
{
  CHECK (guestfs_mkdir_p (g, "/g/sub") == 0);
  put_guest_file (&td, "/g/a.txt", "");
  put_guest_file (&td, "/g/b.txt", "");
  put_guest_file (&td, "/g/.hidden", "");
  CHECK (symlink ("/g", H ("/g/up")) == 0); /* absolute: the guest's /g */
  CHECK (LIST_IS (guestfs_glob_expand (g, "/g/*.txt"), "/g/a.txt",
                  "/g/b.txt"));
  CHECK (LIST_IS (guestfs_glob_expand (g, "/g/*"), "/g/a.txt", "/g/b.txt",
                  "/g/sub/", "/g/up/"));
  CHECK (LIST_IS (guestfs_glob_expand_opts (
                      g, "/g/*", GUESTFS_GLOB_EXPAND_OPTS_DIRECTORYSLASH, 0,
                      -1),
                  "/g/a.txt", "/g/b.txt", "/g/sub", "/g/up"));
  CHECK (LIST_IS (guestfs_glob_expand (g, "/g/.h*"), "/g/.hidden"));
  CHECK (LIST_IS (guestfs_glob_expand (g, "/g/{b,a}.txt"), "/g/b.txt",
                  "/g/a.txt"));
  CHECK (LIST_IS (guestfs_glob_expand (g, "/g/up/up/a.t?t"),
                  "/g/up/up/a.txt"));
  CHECK (LIST_IS (guestfs_glob_expand (g, "/g/*/"), "/g/sub/", "/g/up/"));
  CHECK (LIST_IS (guestfs_glob_expand_opts (
                      g, "/g/*/", GUESTFS_GLOB_EXPAND_OPTS_DIRECTORYSLASH, 0,
                      -1),
                  "/g/sub/", "/g/up/"));
  CHECK (LIST_IS (guestfs_glob_expand (g, "/g/sub"), "/g/sub/"));
  CHECK (LIST_IS (guestfs_glob_expand (g, "/g/nothing*"), NULL));
  CHECK (LIST_IS (guestfs_glob_expand (g, "/nothere/*"), NULL));
  CHECK_ERROR_NULL (g, guestfs_glob_expand (g, "g/*"), EINVAL, "pattern");

  CHECK (guestfs_mkdir_p (g, "/Windows/System32") == 0);
  put_guest_file (&td, "/Windows/System32/netkvm.sys", "");
  CHECK_CALL_STREQ (g, guestfs_case_sensitive_path (
                           g, "/windows/system32/NETKVM.sys"),
                    "/Windows/System32/netkvm.sys");
  CHECK_CALL_STREQ (g, guestfs_case_sensitive_path (
                           g, "/windows/system32/NoSuchFile"),
                    "/Windows/System32/NoSuchFile");
  CHECK_CALL_STREQ (g, guestfs_case_sensitive_path (g, "/"), "/");
  CHECK_ERROR_NULL (g, guestfs_case_sensitive_path (
                           g, "/windows/system33/netkvm.sys"),
                    ENOENT, "system33");
  CHECK_ERROR_NULL (g, guestfs_case_sensitive_path (g, "/windows/../x"),
                    EINVAL, "..");

  /* ls0, llz. */
  char *out = local_path (&td, "ls0.out");
  CHECK (guestfs_ls0 (g, "/g", out) == 0);
  size_t len;
  char *names = host_read (out, &len);
  size_t count = 0;
  bool found_hidden = false;
  for (size_t i = 0; names && i < len; i += strlen (names + i) + 1) {
    ++count;
    found_hidden |= strcmp (names + i, ".hidden") == 0;
  }
  CHECK (count == 5 && found_hidden && names[len - 1] == '\0');
  free (names);
  CHECK_ERROR (g, guestfs_ls0 (g, "/g/a.txt", out), ENOTDIR, "/g/a.txt");
  free (out);
  char *llz = guestfs_llz (g, "/g");
  CHECK (llz && strstr (llz, "a.txt") && strstr (llz, "up -> /g"));
  free (llz);
  CHECK (handle_alive (g));
}

/* ---- Making files ---- */

static void
test_making (void)
{
  char *t = guestfs_mktemp (g, "/g/tmpXXXXXX", -1);
  CHECK (t && strncmp (t, "/g/tmp", 6) == 0 && strlen (t) == 12);
  if (t) {
    struct stat st = host_lstat (H (t));
    CHECK (S_ISREG (st.st_mode) && (st.st_mode & 0777) == 0600);
  }
  free (t);
  t = guestfs_mktemp (g, "/g/tXXXXXX", GUESTFS_MKTEMP_SUFFIX, ".txt", -1);
  CHECK (t && strlen (t) == 14 && strcmp (t + 10, ".txt") == 0 &&
         S_ISREG (host_lstat (H (t)).st_mode));
  free (t);
  CHECK_ERROR_NULL (g, guestfs_mktemp (g, "/g/tmpXXXX", -1), EINVAL, "tmpl");
  CHECK_ERROR_NULL (g, guestfs_mktemp (g, "/g/tXXXXXX", GUESTFS_MKTEMP_SUFFIX,
                                       "/x", -1),
                    EINVAL, "suffix");
  CHECK_ERROR_NULL (g, guestfs_mktemp (g, "/nothere/tXXXXXX", -1), ENOENT,
                    "/nothere");

  CHECK (guestfs_mkdir (g, "/fd") == 0);
  CHECK (guestfs_fill_dir (g, "/fd", 3) == 0);
  CHECK (LIST_IS (guestfs_ls (g, "/fd"), "00000000", "00000001",
                  "00000002"));
  CHECK (guestfs_fill_dir (g, "/fd", 0) == 0);
  CHECK_ERROR (g, guestfs_fill_dir (g, "/fd", -1), EINVAL, "nr");
  CHECK_ERROR (g, guestfs_fill_dir (g, "/nothere", 1), ENOENT, "/nothere");

  CHECK (guestfs_write_file (g, "/wf", "hello", 0) == 0);
  CHECK (host_content_is (H ("/wf"), "hello", 5));
  CHECK (guestfs_write_file (g, "/wf", "hello", 3) == 0);
  CHECK (host_content_is (H ("/wf"), "hel", 3));
  CHECK_ERROR (g, guestfs_write_file (g, "/wf", "hello", 6), EINVAL, "size");
  CHECK_ERROR (g, guestfs_write_file (g, "/wf", "hello", -1), EINVAL, "size");

  CHECK (guestfs_fallocate64 (g, "/fa", 1 << 20) == 0);
  struct stat st = host_lstat (H ("/fa"));
  CHECK (st.st_size == 1 << 20 && st.st_blocks * 512 >= 1 << 20);
  put_guest_file (&td, "/fb", "old contents");
  CHECK (guestfs_fallocate (g, "/fb", 4096) == 0);
  CHECK (host_lstat (H ("/fb")).st_size == 4096);
  char *zeros = calloc (1, 4096);
  CHECK (host_content_is (H ("/fb"), zeros, 4096));
  free (zeros);
  CHECK_ERROR (g, guestfs_fallocate64 (g, "/fa", 0), EINVAL, "len");
  CHECK_ERROR (g, guestfs_fallocate (g, "/nothere/x", 10), ENOENT,
               "/nothere");

  put_guest_file (&td, "/e1", lines);
  put_guest_file (&td, "/e2", lines);
  put_guest_file (&td, "/e3", "alpha\n");
  CHECK (guestfs_equal (g, "/e1", "/e2") == 1);
  CHECK (guestfs_equal (g, "/e1", "/e3") == 0);
  CHECK (guestfs_equal (g, "/rand", "/rand2") == 1);
  CHECK_ERROR (g, guestfs_equal (g, "/e1", "/nothere"), ENOENT, "/nothere");
  CHECK_ERROR (g, guestfs_equal (g, "/e1", "/g"), EISDIR, "/g");

  /* copy_attributes: nothing by default, then what is asked. */
  put_guest_file (&td, "/ca-src", "");
  put_guest_file (&td, "/ca-dst", "");
  /* chown first: it clears the set-user-ID bit. */
  CHECK (chown (H ("/ca-src"), 1234, 5678) == 0);
  CHECK (chmod (H ("/ca-src"), 04751) == 0 && chmod (H ("/ca-dst"), 0600) == 0);
  bool xattrs = setxattr (H ("/ca-src"), "user.test", "v", 1, 0) == 0;
  CHECK (guestfs_copy_attributes (g, "/ca-src", "/ca-dst", -1) == 0);
  CHECK ((host_lstat (H ("/ca-dst")).st_mode & 07777) == 0600);
  CHECK (guestfs_copy_attributes (g, "/ca-src", "/ca-dst",
                                  GUESTFS_COPY_ATTRIBUTES_MODE, 1, -1) == 0);
  st = host_lstat (H ("/ca-dst"));
  CHECK ((st.st_mode & 07777) == 04751 && st.st_uid == 0);
  CHECK (guestfs_copy_attributes (g, "/ca-src", "/ca-dst",
                                  GUESTFS_COPY_ATTRIBUTES_ALL, 1,
                                  GUESTFS_COPY_ATTRIBUTES_MODE, 0, -1) == 0);
  st = host_lstat (H ("/ca-dst"));
  CHECK (st.st_uid == 1234 && st.st_gid == 5678);
  if (xattrs) {
    char v[4];
    CHECK (getxattr (H ("/ca-dst"), "user.test", v, sizeof v) == 1 &&
           v[0] == 'v');
  }
  CHECK_ERROR (g, guestfs_copy_attributes (g, "/nothere", "/ca-dst",
                                           GUESTFS_COPY_ATTRIBUTES_ALL, 1,
                                           -1),
               ENOENT, "/nothere");
  CHECK (handle_alive (g));
}

/* ---- rsync ---- */

static void
test_rsync (void)
{
  CHECK (guestfs_mkdir (g, "/rs") == 0);
  /* Without archive (no recursion) a directory is skipped. */
  CHECK (guestfs_rsync (g, "/tree/", "/rs/copy", -1) == 0);
  CHECK (!host_exists (H ("/rs/copy/a")));
  CHECK (guestfs_rsync (g, "/tree/", "/rs/copy", GUESTFS_RSYNC_ARCHIVE, 1,
                        -1) == 0);
  CHECK (host_content_is (H ("/rs/copy/sub/b"), "B\n", 2));
  CHECK (guestfs_rsync (g, "/tree", "/rs", GUESTFS_RSYNC_ARCHIVE, 1, -1) ==
         0);
  CHECK (host_content_is (H ("/rs/tree/a"), "A\n", 2));
  CHECK (S_ISLNK (host_lstat (H ("/rs/tree/link")).st_mode));
  put_guest_file (&td, "/rs/tree/extra", "");
  CHECK (guestfs_rsync (g, "/tree/", "/rs/tree", GUESTFS_RSYNC_ARCHIVE, 1,
                        GUESTFS_RSYNC_DELETEDEST, 1, -1) == 0);
  CHECK (!host_exists (H ("/rs/tree/extra")));
  CHECK_ERROR (g, guestfs_rsync (g, "/nothere/", "/rs", -1), ENOENT,
               "/nothere");
  CHECK_ERROR (g, guestfs_rsync_in (g, "--help", "/rs", -1), EINVAL,
               "remote");
  CHECK_ERROR (g, guestfs_rsync_out (g, "/tree", "-e x", -1), EINVAL,
               "remote");
  /* Nothing listens there. */
  CHECK_ERROR (g, guestfs_rsync_out (g, "/tree", "rsync://127.0.0.1:1/m",
                                     -1),
               0, "rsync");
  CHECK (handle_alive (g));
}

/* ---- The daemon ---- */

static void
test_daemon_utils (void)
{
  char *words[] = { "hello", "", "world", NULL };
  CHECK_CALL_STREQ (g, guestfs_echo_daemon (g, words), "hello  world");
  char *none[] = { NULL };
  CHECK_CALL_STREQ (g, guestfs_echo_daemon (g, none), "");
  CHECK (guestfs_sleep (g, 0) == 0);
  CHECK_ERROR (g, guestfs_sleep (g, -1), EINVAL, "secs");
  int old = guestfs_umask (g, 027);
  CHECK (old >= 0 && guestfs_get_umask (g) == 027);
  CHECK (guestfs_umask (g, old) == 027 && guestfs_get_umask (g) == old);
  struct guestfs_utsname *u = guestfs_utsname (g);
  CHECK (u && strcmp (u->uts_sysname, "Linux") == 0 && *u->uts_release);
  guestfs_free_utsname (u);
  char *df = guestfs_df (g);
  CHECK (df && strncmp (df, "Filesystem", 10) == 0);
  free (df);
  df = guestfs_df_h (g);
  CHECK (df && strstr (df, "Size"));
  free (df);
  CHECK (guestfs_mkmountpoint (g, "/mp") == 0);
  CHECK (S_ISDIR (host_lstat (H ("/mp")).st_mode));
  CHECK (guestfs_rmmountpoint (g, "/mp") == 0);
  CHECK (!host_exists (H ("/mp")));
  CHECK_ERROR (g, guestfs_mkmountpoint (g, "mp"), EINVAL, "exemptpath");
  CHECK_ERROR (g, guestfs_mount_loop (g, "/rand", "/g"), EPERM, "host");
  CHECK_ERROR (g, guestfs_remount (g, "/", -1), EINVAL, "rw");
  CHECK (handle_alive (g));
}

int
main (void)
{
  g = test_daemon_start (&td);
  test_grep ();
  test_examine ();
  test_encodings ();
  test_initrd ();
  test_paths ();
  test_making ();
  test_rsync ();
  test_daemon_utils ();
  CHECK (handle_alive (g));
  test_daemon_stop (&td, g);
  return test_result ();
}
