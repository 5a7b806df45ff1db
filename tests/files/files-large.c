/* Files above 4 GiB: a sparse 5 GiB file with markers, moved with
 * upload, download, upload_offset, download_offset, pread and
 * copy_file_to_file.  Holes keep it fast and small on disk, and the
 * checks that it stays sparse matter as much as the markers. */
#define _GNU_SOURCE 1
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

#define GiB (UINT64_C (1) << 30)
#define SIZE (5 * GiB)

static const struct {
  uint64_t off;
  const char *text;
} markers[] = {
  { 0, "start" },
  { 4 * GiB + 7, "past-4GiB" },
  { SIZE - 8, "the-end!" },
};
#define NMARKERS (sizeof markers / sizeof markers[0])

static void
make_sparse (const char *path)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK (fd != -1);
  for (size_t i = 0; i < NMARKERS; ++i)
    CHECK (pwrite (fd, markers[i].text, strlen (markers[i].text),
                   markers[i].off) == (ssize_t) strlen (markers[i].text));
  close (fd);
}

/* The file has SIZE bytes, the markers, and few allocated blocks. */
static bool
is_marked_sparse (const char *path)
{
  struct stat st;
  if (stat (path, &st) == -1 || (uint64_t) st.st_size != SIZE) {
    fprintf (stderr, "%s: wrong size\n", path);
    return false;
  }
  if ((uint64_t) st.st_blocks * 512 > 64 << 20) {
    fprintf (stderr, "%s: not sparse (%lld blocks)\n", path,
             (long long) st.st_blocks);
    return false;
  }
  int fd = open (path, O_RDONLY);
  bool ok = fd != -1;
  for (size_t i = 0; ok && i < NMARKERS; ++i) {
    char b[32];
    size_t n = strlen (markers[i].text);
    ok = pread (fd, b, n, markers[i].off) == (ssize_t) n &&
         memcmp (b, markers[i].text, n) == 0;
  }
  if (fd != -1)
    close (fd);
  return ok;
}

int
main (void)
{
  g = test_daemon_start (&td);
  make_sparse (H ("/big"));

  /* Reads past 4 GiB. */
  size_t n;
  char *b = guestfs_pread (g, "/big", 9, 4 * GiB + 7, &n);
  CHECK (b && n == 9 && memcmp (b, "past-4GiB", 9) == 0);
  free (b);
  b = guestfs_pread (g, "/big", 100, SIZE - 8, &n);
  CHECK (b && n == 8 && memcmp (b, "the-end!", 8) == 0);
  free (b);
  char *out = local_path (&td, "range");
  CHECK (guestfs_download_offset (g, "/big", out, 4 * GiB, 16) == 0);
  CHECK (host_content_is (out, "\0\0\0\0\0\0\0past-4GiB", 16));
  free (out);

  /* Writes past 4 GiB, without truncating. */
  char *piece = local_path (&td, "piece");
  write_host_file (piece, "upload-offset", 13);
  CHECK (guestfs_upload_offset (g, piece, "/big", SIZE + 100) == 0);
  CHECK (host_lstat (H ("/big")).st_size == (off_t) (SIZE + 113));
  b = guestfs_pread (g, "/big", 13, SIZE + 100, &n);
  CHECK (b && n == 13 && memcmp (b, "upload-offset", 13) == 0);
  free (b);
  CHECK (guestfs_pwrite (g, "/big", "pw", 2, 4 * GiB + 1) == 2);
  b = guestfs_pread (g, "/big", 2, 4 * GiB + 1, &n);
  CHECK (b && n == 2 && memcmp (b, "pw", 2) == 0);
  free (b);
  CHECK (guestfs_truncate_size (g, "/big", SIZE) == 0);
  CHECK (guestfs_pwrite (g, "/big", "\0\0", 2, 4 * GiB + 1) == 2);
  free (piece);

  /* A sparse block copy of the whole file. */
  CHECK (guestfs_copy_file_to_file (g, "/big", "/copy",
                                    GUESTFS_COPY_FILE_TO_FILE_SPARSE, 1,
                                    -1) == 0);
  CHECK (is_marked_sparse (H ("/copy")));
  CHECK (guestfs_copy_file_to_file (
           g, "/big", "/part", GUESTFS_COPY_FILE_TO_FILE_SRCOFFSET,
           (int64_t) (4 * GiB), GUESTFS_COPY_FILE_TO_FILE_SIZE, (int64_t) 16,
           -1) == 0);
  CHECK (host_content_is (H ("/part"), "\0\0\0\0\0\0\0past-4GiB", 16));

  /* Whole-file transfers both ways stay sparse. */
  char *down = local_path (&td, "down");
  CHECK (guestfs_download (g, "/big", down) == 0);
  CHECK (is_marked_sparse (down));
  CHECK (guestfs_upload (g, down, "/up") == 0);
  CHECK (is_marked_sparse (H ("/up")));
  free (down);

  CHECK (handle_alive (g));
  test_daemon_stop (&td, g);
  return test_result ();
}
