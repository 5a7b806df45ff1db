/* Large and interrupted transfers against a host guestfsd: 100 MiB
 * each way with checksums and progress, cancellation from either end,
 * sparse files, requests over the message limit, and lstatnslist
 * batches. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon-util.h"
#include "guestfs_protocol.h"

#define BIG (100 * 1024 * 1024)

static struct test_daemon td;
static guestfs_h *g;
static char *big_local, *big_back;

#define H(p) host_path (&td, (p))

static char *
local_path (const char *name)
{
  char *p;
  if (asprintf (&p, "%s/%s", td.dir, name) == -1)
    abort ();
  return p;
}

static int
watch_progress (struct progress_log *log)
{
  memset (log, 0, sizeof *log);
  return guestfs_set_event_callback (g, progress_recorder,
                                     GUESTFS_EVENT_PROGRESS, 0, log);
}

static void
test_big_round_trip (void)
{
  struct progress_log log;
  uint64_t want = hash_file (big_local);

  int cb = watch_progress (&log);
  CHECK (guestfs_upload (g, big_local, "/big") == 0);
  guestfs_delete_event_callback (g, cb);
  CHECK (file_size (H ("/big")) == BIG);
  CHECK (hash_file (H ("/big")) == want);
  check_progress ("upload", &log, BIG);
  CHECK (log.proc == GUESTFS_PROC_UPLOAD);

  cb = watch_progress (&log);
  CHECK (guestfs_download (g, "/big", big_back) == 0);
  guestfs_delete_event_callback (g, cb);
  CHECK (file_size (big_back) == BIG);
  CHECK (hash_file (big_back) == want);
  check_progress ("download", &log, BIG);
  CHECK (log.proc == GUESTFS_PROC_DOWNLOAD);
  CHECK (log.first_pos == 0);
}

static void
check_usable_after (const char *what)
{
  if (guestfs_get_state (g) != 2) {
    fprintf (stderr, "%s: FAIL: state %d after the call\n", what,
             guestfs_get_state (g));
    ++test_failures;
  }
  CHECK (guestfs_ping_daemon (g) == 0);
  CHECK (guestfs_write (g, "/small", "small file", 10) == 0);
  char *p = local_path ("small");
  CHECK (guestfs_download (g, "/small", p) == 0);
  CHECK (file_size (p) == 10);
  free (p);
}

static void
test_cancel (void)
{
  struct progress_log log;

  /* Cancelled from the progress callback, on the first event. */
  int cb = watch_progress (&log);
  log.cancel_after = 1;
  CHECK_ERROR (g, guestfs_download (g, "/big", big_back), EINTR, "cancel");
  guestfs_delete_event_callback (g, cb);
  CHECK (log.n >= 1);
  check_usable_after ("cancelled download");
  /* And a whole download still works afterwards. */
  CHECK (guestfs_download (g, "/big", big_back) == 0);
  CHECK (hash_file (big_back) == hash_file (big_local));

  cb = watch_progress (&log);
  log.cancel_after = 1;
  CHECK_ERROR (g, guestfs_upload (g, big_local, "/cancelled"), EINTR,
               "cancel");
  guestfs_delete_event_callback (g, cb);
  CHECK (log.n >= 1);
  CHECK (file_size (H ("/cancelled")) < BIG);
  check_usable_after ("cancelled upload");

  /* A cancel requested while idle does not hit the next call. */
  guestfs_user_cancel (g);
  CHECK (guestfs_upload (g, big_local, "/cancelled") == 0);
  CHECK (file_size (H ("/cancelled")) == BIG);
  CHECK (guestfs_rm (g, "/cancelled") == 0);

  /* The daemon refuses a FileIn part-way (it cannot create the file):
   * its error, and the stream is resynchronised. */
  CHECK_ERROR (g, guestfs_upload (g, big_local, "/no/such/dir/file"), ENOENT,
               "/no/such/dir/file");
  check_usable_after ("daemon-cancelled upload");
  CHECK_ERROR (g, guestfs_upload (g, "/dev/null", "/no/such/dir/file"),
               ENOENT, "/no/such/dir/file");
  check_usable_after ("daemon-cancelled empty upload");
}

static void
test_sparse (void)
{
  const off_t size = 64 * 1024 * 1024;
  char *local = local_path ("sparse"), *back = local_path ("sparse-back");
  int fd = open (local, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK (fd >= 0);
  CHECK (pwrite (fd, "head", 4, 0) == 4);
  CHECK (pwrite (fd, "middle", 6, size / 2) == 6);
  CHECK (ftruncate (fd, size) == 0);
  close (fd);

  CHECK (guestfs_upload (g, local, "/sparse") == 0);
  struct stat st;
  CHECK (stat (H ("/sparse"), &st) == 0);
  CHECK (st.st_size == size);
  CHECK (st.st_blocks * 512 < 1024 * 1024); /* holes, not 64 MiB of zeros */
  CHECK (hash_file (H ("/sparse")) == hash_file (local));

  /* The library makes holes of whole zero chunks (1 MiB). */
  CHECK (guestfs_download (g, "/sparse", back) == 0);
  CHECK (stat (back, &st) == 0 && st.st_size == size);
  CHECK (st.st_blocks * 512 <= 4 * 1024 * 1024);
  CHECK (hash_file (back) == hash_file (local));

  /* A file ending in a hole keeps its length. */
  CHECK (guestfs_truncate_size (g, "/sparse", size + 12345) == 0);
  CHECK (guestfs_download (g, "/sparse", back) == 0);
  CHECK (file_size (back) == size + 12345);
  CHECK (guestfs_rm (g, "/sparse") == 0);
  unlink (back);
  free (local);
  free (back);
}

static void
test_message_limit (void)
{
  size_t n = 5 * 1024 * 1024;
  char *b = malloc (n);
  memset (b, 'q', n);
  CHECK_ERROR (g, guestfs_write (g, "/toobig", b, n), E2BIG, "limit");
  CHECK (guestfs_get_state (g) == 2);
  /* Exactly the limit of content: the request around it is over. */
  CHECK_ERROR (g, guestfs_write (g, "/toobig", b, GUESTFS_MESSAGE_MAX),
               E2BIG, "limit");
  CHECK_ERROR (g, guestfs_write_append (g, "/toobig", b, n), E2BIG, "limit");
  CHECK (access (H ("/toobig"), F_OK) == -1);
  check_usable_after ("E2BIG");
  /* Just under it works. */
  CHECK (guestfs_write (g, "/fits", b, GUESTFS_MESSAGE_MAX - 4096) == 0);
  CHECK (file_size (H ("/fits")) == GUESTFS_MESSAGE_MAX - 4096);

  /* A reply that cannot fit: read_file says so and points at download. */
  write_host_file (H ("/huge"), b, n);
  size_t sz;
  CHECK_ERROR_NULL (g, guestfs_read_file (g, "/huge", &sz), EFBIG, "/huge");
  check_usable_after ("EFBIG");
  free (b);
}

static void
test_lstatnslist_batches (void)
{
  enum { FILES = 1000, NAMES = 50000 };
  CHECK (guestfs_mkdir (g, "/many") == 0);
  for (int i = 0; i < FILES; ++i) {
    char p[64];
    snprintf (p, sizeof p, "/many/f%d", i);
    write_host_file (H (p), p, i % 7);
  }
  char **names = calloc (NAMES + 1, sizeof (char *));
  for (int i = 0; i < NAMES; ++i)
    if (asprintf (&names[i], "f%d", i % (2 * FILES)) == -1)
      abort ();
  struct guestfs_statns_list *l = guestfs_lstatnslist (g, "/many", names);
  CHECK (l && l->len == NAMES);
  int wrong = 0;
  for (int i = 0; l && i < (int) l->len; ++i) {
    int f = i % (2 * FILES);
    if (f >= FILES) {
      wrong += l->val[i].st_ino != -1;
      continue;
    }
    char p[64];
    struct stat st;
    snprintf (p, sizeof p, "/many/f%d", f);
    if (lstat (H (p), &st) != 0 || (uint64_t) l->val[i].st_ino != st.st_ino ||
        l->val[i].st_size != f % 7)
      ++wrong;
  }
  CHECK (wrong == 0);
  guestfs_free_statns_list (l);
  for (int i = 0; i < NAMES; ++i)
    free (names[i]);

  /* Long names fill batches by bytes before the count limit. */
  for (int i = 0; i < 20000; ++i) {
    names[i] = malloc (256);
    memset (names[i], 'n', 255);
    names[i][255] = '\0';
    names[i][0] = 'a' + i % 26;
  }
  names[20000] = NULL;
  l = guestfs_lstatnslist (g, "/many", names);
  CHECK (l && l->len == 20000 && l->val[19999].st_ino == -1);
  guestfs_free_statns_list (l);
  for (int i = 0; i < 20000; ++i)
    free (names[i]);

  names[0] = NULL;
  l = guestfs_lstatnslist (g, "/many", names);
  CHECK (l && l->len == 0);
  guestfs_free_statns_list (l);
  free (names);
  CHECK (guestfs_rm_rf (g, "/many") == 0);
}

/* 100k entries with long names: about 21 MB of entries, read in pages
 * with no message-size ceiling, each name once, plus "." and "..". */
static void
test_readdir_100k (void)
{
  enum { N = 100000 };
  char *dir = strdup (H ("/readdir-100k"));
  CHECK (mkdir (dir, 0755) == 0);
  char name[256];
  memset (name, 'n', 200);
  for (int i = 0; i < N; ++i) {
    char *p;
    snprintf (name + 200, sizeof name - 200, "%06d", i);
    if (asprintf (&p, "%s/%s", dir, name) == -1)
      abort ();
    int fd = open (p, O_WRONLY | O_CREAT, 0644);
    CHECK (fd >= 0);
    close (fd);
    free (p);
  }
  struct guestfs_dirent_list *dl = guestfs_readdir (g, "/readdir-100k");
  CHECK (dl && dl->len == N + 2);
  char *seen = calloc (N, 1);
  size_t dots = 0, dups = 0, bad = 0;
  for (uint32_t i = 0; dl && i < dl->len; ++i) {
    const char *n = dl->val[i].name;
    if (strcmp (n, ".") == 0 || strcmp (n, "..") == 0) {
      ++dots;
      continue;
    }
    int k = atoi (n + 200);
    if (strlen (n) != 206 || k < 0 || k >= N || dl->val[i].ftyp != 'r')
      ++bad;
    else if (seen[k]++)
      ++dups;
  }
  CHECK (dots == 2 && dups == 0 && bad == 0);
  free (seen);
  guestfs_free_dirent_list (dl);
  CHECK (guestfs_rm_rf (g, "/readdir-100k") == 0);
  free (dir);
}

int
main (void)
{
  g = test_daemon_start (&td);
  guestfs_set_error_handler (g, NULL, NULL);
  big_local = local_path ("big");
  big_back = local_path ("big-back");
  make_random_file (big_local, BIG, 7);

  test_big_round_trip ();
  test_cancel ();
  test_sparse ();
  test_message_limit ();
  test_lstatnslist_batches ();
  test_readdir_100k ();

  /* 300 MiB of scratch: gone now rather than at exit. */
  CHECK (guestfs_rm (g, "/big") == 0);
  unlink (big_local);
  unlink (big_back);
  test_daemon_stop (&td, g);
  free (big_local);
  free (big_back);
  return test_result ();
}
