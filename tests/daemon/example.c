/* A small program using libguestfs: connect to a guestfsd listening on
 * a Unix socket, write a file and read it back, show a clean error for
 * a missing file, and download a file while printing progress.
 *
 *   cc example.c $(pkg-config libguestfs --cflags --libs) -o example
 *   ./example /path/to/guestfsd.sock
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <guestfs.h>

static int progress_events;
static uint64_t last_position, last_total;

static void
on_progress (guestfs_h *g, void *opaque, uint64_t event, int event_handle,
             int flags, const char *buf, size_t buf_len,
             const uint64_t *array, size_t array_len)
{
  (void) g, (void) opaque, (void) event, (void) event_handle, (void) flags;
  (void) buf, (void) buf_len;
  /* array: procedure, serial, position, total. */
  if (array_len >= 4) {
    ++progress_events;
    last_position = array[2];
    last_total = array[3];
    printf ("progress: %" PRIu64 " of %" PRIu64 " bytes\n", array[2],
            array[3]);
  }
}

int
main (int argc, char *argv[])
{
  if (argc != 3) {
    fprintf (stderr, "usage: %s SOCKET LOCAL-DOWNLOAD-FILE\n", argv[0]);
    return EXIT_FAILURE;
  }

  guestfs_h *g = guestfs_create ();
  if (g == NULL) {
    perror ("guestfs_create");
    return EXIT_FAILURE;
  }

  /* The unix: backend talks to a daemon that is already running. */
  char backend[4096];
  snprintf (backend, sizeof backend, "unix:%s", argv[1]);
  if (guestfs_set_backend (g, backend) == -1 || guestfs_launch (g) == -1)
    return EXIT_FAILURE; /* the error has been printed */

  const char *text = "Hello from libguestfs\n";
  if (guestfs_write (g, "/hello.txt", text, strlen (text)) == -1)
    return EXIT_FAILURE;
  char *back = guestfs_cat (g, "/hello.txt");
  if (back == NULL)
    return EXIT_FAILURE;
  printf ("read back: %s", back);
  if (strcmp (back, text) != 0) {
    fprintf (stderr, "content differs\n");
    return EXIT_FAILURE;
  }
  free (back);

  /* Errors carry an errno and a message naming what failed.  Keep the
   * default handler from printing this expected one. */
  guestfs_set_error_handler (g, NULL, NULL);
  char *missing = guestfs_cat (g, "/no/such/file");
  if (missing != NULL || guestfs_last_errno (g) != ENOENT ||
      strstr (guestfs_last_error (g), "/no/such/file") == NULL) {
    fprintf (stderr, "expected ENOENT for /no/such/file\n");
    return EXIT_FAILURE;
  }
  printf ("expected error: %s\n", guestfs_last_error (g));

  /* Progress events arrive during long transfers. */
  if (guestfs_set_event_callback (g, on_progress, GUESTFS_EVENT_PROGRESS, 0,
                                  NULL) == -1)
    return EXIT_FAILURE;
  /* A 50 MiB file (sparse, so quick to make) to download. */
  if (guestfs_touch (g, "/big") == -1 ||
      guestfs_truncate_size (g, "/big", 50 * 1024 * 1024) == -1 ||
      guestfs_download (g, "/big", argv[2]) == -1) {
    fprintf (stderr, "download: %s\n", guestfs_last_error (g));
    return EXIT_FAILURE;
  }
  if (progress_events < 2 || last_position != last_total) {
    fprintf (stderr, "expected progress events\n");
    return EXIT_FAILURE;
  }

  if (guestfs_shutdown (g) == -1)
    return EXIT_FAILURE;
  guestfs_close (g);
  printf ("done\n");
  return EXIT_SUCCESS;
}
