/* The Data group against a host guestfsd: pread, pwrite, fill,
 * fill_pattern, upload_offset, download_offset, copy_file_to_file.
 * (Files above 4 GiB: files-large.c.) */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files-util.h"

static struct test_daemon td;
static guestfs_h *g;

#define H(p) host_path (&td, (p))

static const char digits[] = "0123456789";

static void
test_pread (void)
{
  put_guest_file (&td, "/p", digits);
  size_t n;
  char *b = guestfs_pread (g, "/p", 3, 2, &n);
  CHECK (b && n == 3 && memcmp (b, "234", 3) == 0);
  free (b);
  /* Short at the end, empty beyond it: neither is an error. */
  b = guestfs_pread (g, "/p", 5, 8, &n);
  CHECK (b && n == 2 && memcmp (b, "89", 2) == 0);
  free (b);
  b = guestfs_pread (g, "/p", 5, 100, &n);
  CHECK (b && n == 0);
  free (b);
  b = guestfs_pread (g, "/p", 0, 0, &n);
  CHECK (b && n == 0);
  free (b);
  CHECK_ERROR_NULL (g, guestfs_pread (g, "/p", 5 << 20, 0, &n), E2BIG,
                    "count");
  CHECK_ERROR_NULL (g, guestfs_pread (g, "/p", 1, -1, &n), EINVAL,
                    "offset");
  CHECK_ERROR_NULL (g, guestfs_pread (g, "/p", -1, 0, &n), EINVAL, "count");
  CHECK (guestfs_mkdir (g, "/dir") == 0);
  CHECK_ERROR_NULL (g, guestfs_pread (g, "/dir", 1, 0, &n), EISDIR, "/dir");
  CHECK (handle_alive (g));
}

static void
test_pwrite (void)
{
  put_guest_file (&td, "/w", digits);
  CHECK (guestfs_pwrite (g, "/w", "XY", 2, 2) == 2);
  CHECK (host_content_is (H ("/w"), "01XY456789", 10));
  CHECK (guestfs_pwrite (g, "/w", "end", 3, 20) == 3);
  size_t n;
  char *b = host_read (H ("/w"), &n);
  CHECK (b && n == 23 && b[10] == '\0' && memcmp (b + 20, "end", 3) == 0);
  free (b);
  CHECK (guestfs_pwrite (g, "/w", "", 0, 0) == 0);
  CHECK_ERROR (g, guestfs_pwrite (g, "/new", "x", 1, 0), ENOENT, "/new");
  CHECK (!host_exists (H ("/new")));
  CHECK_ERROR (g, guestfs_pwrite (g, "/w", "x", 1, -5), EINVAL, "offset");
  /* More than a message: refused by the library, handle intact. */
  size_t big = 5 << 20;
  char *buf = calloc (1, big);
  CHECK_ERROR (g, guestfs_pwrite (g, "/w", buf, big, 0), E2BIG,
               "message limit");
  free (buf);
  CHECK (handle_alive (g));
  CHECK (host_lstat (H ("/w")).st_size == 23);
}

static void
test_fill (void)
{
  CHECK (guestfs_fill (g, 'A', 100000, "/fa") == 0);
  size_t n;
  char *b = host_read (H ("/fa"), &n);
  bool all_a = b && n == 100000;
  for (size_t i = 0; all_a && i < n; ++i)
    all_a = b[i] == 'A';
  CHECK (all_a);
  free (b);
  CHECK (guestfs_fill (g, 0, 0, "/fa") == 0);
  CHECK (host_lstat (H ("/fa")).st_size == 0);
  CHECK_ERROR (g, guestfs_fill (g, 256, 1, "/fa"), EINVAL, "c");
  CHECK_ERROR (g, guestfs_fill (g, 1, -1, "/fa"), EINVAL, "len");

  CHECK (guestfs_fill_pattern (g, "abc", 10, "/fp") == 0);
  CHECK (host_content_is (H ("/fp"), "abcabcabca", 10));
  /* Longer than the internal block, with a pattern that does not
   * divide it: every byte must still follow the pattern. */
  CHECK (guestfs_fill_pattern (g, "1234567", 3000001, "/fp") == 0);
  b = host_read (H ("/fp"), &n);
  bool ok = b && n == 3000001;
  for (size_t i = 0; ok && i < n; ++i)
    ok = b[i] == '1' + (char) (i % 7);
  CHECK (ok);
  free (b);
  CHECK_ERROR (g, guestfs_fill_pattern (g, "", 5, "/fp"), EINVAL, "pattern");
  CHECK (guestfs_fill_pattern (g, "", 0, "/fp") == 0);
  CHECK (host_lstat (H ("/fp")).st_size == 0);

  /* Progress for a large fill. */
  struct progress_log log = { 0 };
  int eh = guestfs_set_event_callback (g, progress_recorder,
                                       GUESTFS_EVENT_PROGRESS, 0, &log);
  CHECK (guestfs_fill (g, 'p', 16 << 20, "/fbig") == 0);
  guestfs_delete_event_callback (g, eh);
  check_progress ("fill", &log, 16 << 20);
  CHECK (host_lstat (H ("/fbig")).st_size == 16 << 20);
}

static void
test_offsets (void)
{
  put_guest_file (&td, "/u", digits);
  char *in = local_path (&td, "in");
  write_host_file (in, "XYZ", 3);
  CHECK (guestfs_upload_offset (g, in, "/u", 3) == 0);
  CHECK (host_content_is (H ("/u"), "012XYZ6789", 10));
  CHECK (guestfs_upload_offset (g, in, "/u", 9) == 0);
  CHECK (host_content_is (H ("/u"), "012XYZ678XYZ", 12));
  CHECK (guestfs_upload_offset (g, in, "/unew", 5) == 0);
  CHECK (host_content_is (H ("/unew"), "\0\0\0\0\0XYZ", 8));
  CHECK_ERROR (g, guestfs_upload_offset (g, in, "/u", -1), EINVAL,
               "offset");
  CHECK_ERROR (g, guestfs_upload_offset (g, in, "/nodir/x", 0), ENOENT,
               "/nodir/x");
  CHECK (handle_alive (g));

  char *out = local_path (&td, "out");
  CHECK (guestfs_download_offset (g, "/u", out, 2, 4) == 0);
  CHECK (host_content_is (out, "2XYZ", 4));
  CHECK (guestfs_download_offset (g, "/u", out, 12, 0) == 0);
  CHECK (host_content_is (out, "", 0));
  CHECK_ERROR (g, guestfs_download_offset (g, "/u", out, 10, 3), EINVAL,
               "beyond the end");
  CHECK_ERROR (g, guestfs_download_offset (g, "/u", out, -1, 3), EINVAL,
               "offset");
  CHECK_ERROR (g, guestfs_download_offset (g, "/dir", out, 0, 1), EISDIR,
               "/dir");
  CHECK (handle_alive (g));

  /* Several megabytes, with progress. */
  make_random_file (H ("/rand"), 5 << 20, 42);
  struct progress_log log = { 0 };
  int eh = guestfs_set_event_callback (g, progress_recorder,
                                       GUESTFS_EVENT_PROGRESS, 0, &log);
  CHECK (guestfs_download_offset (g, "/rand", out, 1000, 4 << 20) == 0);
  guestfs_delete_event_callback (g, eh);
  check_progress ("download_offset", &log, 4 << 20);
  char *want = local_path (&td, "want");
  char *cmd = host_command ("dd if='%s' of='%s' bs=1000 skip=1 count=4195 "
                            "2>/dev/null && truncate -s %d '%s' && echo ok",
                            H ("/rand"), want, 4 << 20, want);
  CHECK (cmd && hash_file (out) == hash_file (want));
  free (cmd);
  free (want);
  free (in);
  free (out);
}

static void
test_copy_file_to_file (void)
{
  put_guest_file (&td, "/src", digits);
  CHECK (guestfs_copy_file_to_file (g, "/src", "/dst", -1) == 0);
  CHECK (host_content_is (H ("/dst"), digits, 10));
  put_guest_file (&td, "/dst", "this is longer than the source");
  CHECK (guestfs_copy_file_to_file (
           g, "/src", "/dst", GUESTFS_COPY_FILE_TO_FILE_SRCOFFSET,
           (int64_t) 2, GUESTFS_COPY_FILE_TO_FILE_DESTOFFSET, (int64_t) 1,
           GUESTFS_COPY_FILE_TO_FILE_SIZE, (int64_t) 3, -1) == 0);
  /* Truncated first, then written from offset 1. */
  CHECK (host_content_is (H ("/dst"), "\0" "234", 4));
  CHECK (guestfs_copy_file_to_file (
           g, "/src", "/dst", GUESTFS_COPY_FILE_TO_FILE_APPEND, 1,
           GUESTFS_COPY_FILE_TO_FILE_SIZE, (int64_t) 2, -1) == 0);
  CHECK (host_content_is (H ("/dst"), "\0" "23401", 6));
  CHECK_ERROR (g, guestfs_copy_file_to_file (
                    g, "/src", "/dst", GUESTFS_COPY_FILE_TO_FILE_APPEND, 1,
                    GUESTFS_COPY_FILE_TO_FILE_DESTOFFSET, (int64_t) 1, -1),
               EINVAL, "append");
  CHECK_ERROR (g, guestfs_copy_file_to_file (g, "/src", "/src", -1), EINVAL,
               "same file");
  CHECK (host_content_is (H ("/src"), digits, 10));
  CHECK_ERROR (g, guestfs_copy_file_to_file (
                    g, "/src", "/dst", GUESTFS_COPY_FILE_TO_FILE_SIZE,
                    (int64_t) 20, -1),
               EIO, "end of file");
  CHECK (host_content_is (H ("/dst"), digits, 10));
  CHECK_ERROR (g, guestfs_copy_file_to_file (g, "/nothere", "/dst", -1),
               ENOENT, "/nothere");
  CHECK_ERROR (g, guestfs_copy_file_to_file (
                    g, "/src", "/dst", GUESTFS_COPY_FILE_TO_FILE_SIZE,
                    (int64_t) -2, -1),
               EINVAL, "size");

  /* sparse: zero blocks and holes of src become holes of dst. */
  int fd = open (H ("/sparse"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  char *zeros = calloc (1, 4 << 20);
  CHECK (fd != -1 && write (fd, "head", 4) == 4 &&
         pwrite (fd, zeros, 4 << 20, 4096) == 4 << 20 &&
         pwrite (fd, "tail", 4, 64 << 20) == 4);
  close (fd);
  free (zeros);
  CHECK (guestfs_copy_file_to_file (g, "/sparse", "/sparse2",
                                    GUESTFS_COPY_FILE_TO_FILE_SPARSE, 1,
                                    -1) == 0);
  struct stat st = host_lstat (H ("/sparse2"));
  CHECK (st.st_size == (64 << 20) + 4);
  CHECK (st.st_blocks * 512 < 1 << 20);
  CHECK (hash_file (H ("/sparse")) == hash_file (H ("/sparse2")));
  /* Without sparse the zeros are written. */
  CHECK (guestfs_copy_file_to_file (g, "/sparse", "/dense", -1) == 0);
  CHECK (host_lstat (H ("/dense")).st_blocks * 512 >= 4 << 20);
  CHECK (hash_file (H ("/sparse")) == hash_file (H ("/dense")));
  CHECK (handle_alive (g));
}

/* dd and copy_size between guest files (devices need the appliance:
 * tests/devices), overwriting in place, and refusing host devices. */
static void
test_dd_copy_size (void)
{
  put_guest_file (&td, "/dd-src", digits);
  put_guest_file (&td, "/dd-dst", "abcdefghijklmnop");
  CHECK (guestfs_dd (g, "/dd-src", "/dd-dst") == 0);
  CHECK (host_content_is (H ("/dd-dst"), "0123456789klmnop", 16));
  CHECK (guestfs_dd (g, "/dd-src", "/dd-new") == 0);
  CHECK (host_content_is (H ("/dd-new"), digits, 10));
  CHECK (guestfs_copy_size (g, "/dd-src", "/dd-dst", 3) == 0);
  CHECK (host_content_is (H ("/dd-dst"), "0123456789klmnop", 16));
  CHECK_ERROR (g, guestfs_copy_size (g, "/dd-src", "/dd-dst", 11), EIO,
               "end of file");
  CHECK_ERROR (g, guestfs_copy_size (g, "/dd-src", "/dd-dst", -1), EINVAL,
               "size");
  CHECK_ERROR (g, guestfs_dd (g, "dd-src", "/x"), EINVAL, "src");
  CHECK_ERROR (g, guestfs_dd (g, "/nothere", "/x"), ENOENT, "/nothere");
  CHECK_ERROR (g, guestfs_dd (g, "/dev/sda", "/x"), EPERM, "on the host");
  CHECK (handle_alive (g));
}

int
main (void)
{
  g = test_daemon_start (&td);
  test_pread ();
  test_pwrite ();
  test_fill ();
  test_offsets ();
  test_copy_file_to_file ();
  test_dd_copy_size ();
  CHECK (handle_alive (g));
  test_daemon_stop (&td, g);
  return test_result ();
}
