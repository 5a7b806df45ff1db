/* guestfsd's heartbeats: while a request is being served and nothing
 * else goes to the library for a few seconds, the daemon sends a
 * progress message, so that the library's inactivity deadline (the
 * timeout backend setting) never cuts honest slow work.  An action
 * that reports no progress of its own gets a pulse: 0 of 1, closed by
 * 1 of 1 before the reply.
 *
 * The slow work here is an upload whose source pauses: the daemon
 * waits for the next chunk, as it would wait for mkfs or a sync in
 * the appliance. */
#define _GNU_SOURCE 1
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon-util.h"

/* Longer than two heartbeat intervals (5 s, daemon/proto.c). */
#define PAUSE_S 12

struct pulses {
  int open, closed;
};

static void
count_pulses (guestfs_h *g, void *opaque, uint64_t event, int h, int flags,
              const char *buf, size_t len, const uint64_t *array,
              size_t array_len)
{
  struct pulses *p = opaque;
  (void) g, (void) event, (void) h, (void) flags, (void) buf, (void) len;
  if (array_len == 4 && array[3] == 1)
    ++*(array[2] == 0 ? &p->open : &p->closed);
}

static void *
slow_writer (void *arg)
{
  int fd = open (arg, O_WRONLY);
  if (fd == -1 || write (fd, "hello ", 6) != 6)
    abort ();
  sleep (PAUSE_S);
  if (write (fd, "world", 5) != 5)
    abort ();
  close (fd);
  return NULL;
}

int
main (void)
{
  struct test_daemon td;
  guestfs_h *g = test_daemon_start (&td);
  char *fifo;
  if (asprintf (&fifo, "%s/source", td.dir) == -1 || mkfifo (fifo, 0600))
    abort ();
  struct pulses p = { 0, 0 };
  CHECK (guestfs_set_event_callback (g, count_pulses, GUESTFS_EVENT_PROGRESS,
                                     0, &p) >= 0);
  pthread_t t;
  if (pthread_create (&t, NULL, slow_writer, fifo) != 0)
    abort ();
  CHECK (guestfs_upload (g, fifo, "/uploaded") == 0);
  pthread_join (t, NULL);
  CHECK (p.open >= 1);
  CHECK (p.closed == 1);
  char *s = guestfs_cat (g, "/uploaded");
  CHECK (s && strcmp (s, "hello world") == 0);
  free (s);
  free (fifo);
  test_daemon_stop (&td, g);
  return test_result ();
}
