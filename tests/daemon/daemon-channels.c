/* Several requests in flight: extra channels to one host guestfsd
 * (guestfs_int_open_channel, common/guestfs-channel.h), each served by
 * a thread of the daemon.  Threads make calls on their own channel
 * handles and on the main handle at the same time, and every reply is
 * checked against its request: the bytes of the file and range asked,
 * the status of the name asked, the names of the directory asked.  The
 * main handle meanwhile makes calls that take the daemon alone (mkdir,
 * write, cat).  Handles of the daemon work across connections, and
 * closing a channel leaves the daemon and the other handles alone.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon-util.h"
#include "entry-format.h"
#include "guestfs-channel.h"

#define NR_CHANNELS 3
#define NR_FILES 8
#define FILE_SIZE (300 * 1024)
#define NR_NAMES 300
#define ROUNDS 150

static struct test_daemon td;
static guestfs_h *g;

/* The byte at offset off of file i. */
static uint8_t
pattern (int i, size_t off)
{
  return (uint8_t) (i * 37 + off / 4096 * 11 + off % 251);
}

static void
make_tree (void)
{
  for (int i = 0; i < NR_FILES; ++i) {
    char *buf = malloc (FILE_SIZE);
    for (size_t k = 0; k < FILE_SIZE; ++k)
      buf[k] = (char) pattern (i, k);
    char *name = xasprintf ("/f%d", i);
    write_host_file (host_path (&td, name), buf, FILE_SIZE);
    free (name);
    free (buf);
  }
  CHECK (mkdir (host_path (&td, "/d"), 0755) == 0);
  for (int i = 0; i < NR_NAMES; ++i) {
    char *name = xasprintf ("/d/n%03d", i);
    write_host_file (host_path (&td, name), "", 0);
    free (name);
  }
}

/* One worker's calls; failures counted here (not in the harness's
 * counter, which is not for threads) and reported by the main thread. */
struct worker {
  guestfs_h *h;
  int id;
  bool exclusive_calls; /* the main handle's worker: mkdir, write, cat */
  int failures;
  int calls;
};

#define WCHECK(w, cond, ...)                                                 \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf (stderr, "worker %d: FAIL: %s: ", (w)->id, #cond);             \
      fprintf (stderr, __VA_ARGS__);                                         \
      fprintf (stderr, "\n");                                                \
      ++(w)->failures;                                                       \
    }                                                                        \
  } while (0)

static void
read_range (struct worker *w, int64_t handle, int file, unsigned *seed)
{
  size_t off = rand_r (seed) % FILE_SIZE;
  size_t count = 1 + rand_r (seed) % (64 * 1024);
  size_t want = off + count > FILE_SIZE ? FILE_SIZE - off : count;
  size_t len = 0;
  char *buf = guestfs_fuse_pread (w->h, handle, count, off, &len);
  ++w->calls;
  WCHECK (w, buf != NULL, "pread f%d: %s", file, guestfs_last_error (w->h));
  if (buf == NULL)
    return;
  WCHECK (w, len == want, "pread f%d at %zu: %zu bytes, not %zu", file, off,
          len, want);
  for (size_t k = 0; k < len && k < want; ++k)
    if ((uint8_t) buf[k] != pattern (file, off + k)) {
      WCHECK (w, false, "pread f%d at %zu: byte %zu is another file's",
              file, off, k);
      break;
    }
  free (buf);
}

static void
stat_name (struct worker *w, int file)
{
  char *name = xasprintf ("/f%d", file);
  /* host_path is not for threads. */
  char *host = xasprintf ("%s%s", td.root, name);
  struct stat st;
  WCHECK (w, stat (host, &st) == 0, "stat %s", host);
  free (host);
  struct guestfs_fuse_entry *e = guestfs_fuse_lstat (w->h, name);
  ++w->calls;
  WCHECK (w, e && e->st_ino == (int64_t) st.st_ino &&
             e->st_size == FILE_SIZE, "lstat %s", name);
  guestfs_free_fuse_entry (e);
  free (name);
}

static void
list_dir (struct worker *w)
{
  int64_t cookie = 0;
  size_t names = 0;
  for (int page = 0; page < NR_NAMES + 2; ++page) {
    struct guestfs_fuse_entry_list *l =
      guestfs_fuse_readdir (w->h, "/d", cookie, 4096);
    ++w->calls;
    WCHECK (w, l != NULL, "readdir /d: %s", guestfs_last_error (w->h));
    if (l == NULL)
      return;
    bool end = false;
    for (uint32_t i = 0; i < l->len; ++i) {
      if (l->val[i].name[0] == '\0')
        end = true;
      else {
        WCHECK (w, strncmp (l->val[i].name, "n", 1) == 0, "readdir /d: %s",
                l->val[i].name);
        ++names;
      }
      cookie = l->val[i].cookie;
    }
    guestfs_free_fuse_entry_list (l);
    if (end)
      break;
  }
  WCHECK (w, names == NR_NAMES, "readdir /d: %zu names", names);
}

/* The main handle's own kind of call: each takes the daemon alone. */
static void
exclusive_round (struct worker *w, int round)
{
  char *dir = xasprintf ("/x%d", round);
  char *file = xasprintf ("/x%d/w", round);
  char *text = xasprintf ("round %d", round);
  WCHECK (w, guestfs_mkdir (w->h, dir) == 0, "mkdir %s", dir);
  WCHECK (w, guestfs_write (w->h, file, text, strlen (text)) == 0,
          "write %s", file);
  char *got = guestfs_cat (w->h, file);
  WCHECK (w, got && strcmp (got, text) == 0, "cat %s: %s", file,
          got ? got : guestfs_last_error (w->h));
  w->calls += 3;
  free (got);
  free (text);
  free (file);
  free (dir);
}

static void *
work (void *arg)
{
  struct worker *w = arg;
  unsigned seed = (unsigned) w->id * 7919u + 1;
  for (int round = 0; round < ROUNDS; ++round) {
    int file = (w->id * 3 + round) % NR_FILES;
    char *name = xasprintf ("/f%d", file);
    struct guestfs_fuse_entry *e =
      guestfs_fuse_open (w->h, name, O_RDONLY, 0, 0, "", 0);
    ++w->calls;
    WCHECK (w, e && e->handle >= 0 && e->st_size == FILE_SIZE, "open %s: %s",
            name, e ? "wrong status" : guestfs_last_error (w->h));
    if (e) {
      for (int k = 0; k < 3; ++k)
        read_range (w, e->handle, file, &seed);
      char *list = handle_list_pack (&e->handle, 1);
      WCHECK (w, guestfs_fuse_close (w->h, list, HANDLE_LIST_ITEM) == 0,
              "close %s", name);
      ++w->calls;
      free (list);
    }
    guestfs_free_fuse_entry (e);
    free (name);
    stat_name (w, (file + 1) % NR_FILES);
    if (round % 10 == 0)
      list_dir (w);
    if (w->exclusive_calls && round % 5 == 0)
      exclusive_round (w, round);
  }
  return NULL;
}

static void
test_concurrent_calls (guestfs_h *const *channels)
{
  struct worker w[NR_CHANNELS + 1];
  pthread_t t[NR_CHANNELS + 1];
  for (int i = 0; i <= NR_CHANNELS; ++i) {
    w[i] = (struct worker) {
      .h = i < NR_CHANNELS ? channels[i] : g, .id = i,
      .exclusive_calls = i == NR_CHANNELS,
    };
    CHECK (pthread_create (&t[i], NULL, work, &w[i]) == 0);
  }
  int failures = 0, calls = 0;
  for (int i = 0; i <= NR_CHANNELS; ++i) {
    pthread_join (t[i], NULL);
    failures += w[i].failures;
    calls += w[i].calls;
  }
  CHECK (failures == 0);
  printf ("%d calls on %d connections at once\n", calls, NR_CHANNELS + 1);
  /* What the main handle's worker made is there. */
  CHECK (host_content_is (host_path (&td, "/x0/w"), "round 0", 7));
}

/* A daemon handle is the daemon's, whatever connection opened it. */
static void
test_handles_across_channels (guestfs_h *const *channels)
{
  struct guestfs_fuse_entry *e =
    guestfs_fuse_open (channels[0], "/f1", O_RDONLY, 0, 0, "", 0);
  CHECK (e != NULL);
  if (e == NULL)
    return;
  struct worker w = { .h = channels[1], .id = 100 };
  unsigned seed = 5;
  read_range (&w, e->handle, 1, &seed);
  w.h = g;
  read_range (&w, e->handle, 1, &seed);
  CHECK (w.failures == 0);
  char *list = handle_list_pack (&e->handle, 1);
  CHECK (guestfs_fuse_close (channels[2], list, HANDLE_LIST_ITEM) == 0);
  free (list);
  size_t len;
  CHECK_ERROR_NULL (g, guestfs_fuse_pread (g, e->handle, 10, 0, &len), EBADF,
                    "not open");
  guestfs_free_fuse_entry (e);
}

static void
test_channel_handle_limits (guestfs_h *h)
{
  /* It owns no appliance. */
  CHECK_ERROR (h, guestfs_launch (h), 0, NULL);
  /* A handle that is not launched has no channels. */
  guestfs_h *config = guestfs_create ();
  guestfs_push_error_handler (config, NULL, NULL);
  CHECK (guestfs_int_open_channel (config) == NULL);
  CHECK (guestfs_last_errno (config) == EINVAL);
  guestfs_close (config);
  /* Shutting a channel down only closes it: the main handle's mounts
   * and the daemon stay. */
  CHECK (guestfs_shutdown (h) == 0);
  CHECK (guestfs_is_config (h) == 1);
  char **l = guestfs_ls (g, "/");
  CHECK (l && list_has (l, "f0") && list_has (l, "d"));
  free_list (l);
}

int
main (void)
{
  g = test_daemon_start (&td);
  make_tree ();
  guestfs_h *channels[NR_CHANNELS];
  for (int i = 0; i < NR_CHANNELS; ++i) {
    channels[i] = guestfs_int_open_channel (g);
    CHECK (channels[i] != NULL);
    if (channels[i] == NULL) {
      fprintf (stderr, "open channel: %s\n", guestfs_last_error (g));
      return test_result ();
    }
  }
  test_concurrent_calls (channels);
  test_handles_across_channels (channels);
  test_channel_handle_limits (channels[0]);
  for (int i = 0; i < NR_CHANNELS; ++i)
    guestfs_close (channels[i]);
  /* The daemon goes on serving the main handle. */
  CHECK (guestfs_mkdir (g, "/after") == 0);
  test_daemon_stop (&td, g);
  return test_result ();
}
