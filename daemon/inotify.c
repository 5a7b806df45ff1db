/* The inotify group: one inotify instance per daemon, as in
 * libguestfs.  Watches are added on /proc/self/fd/N of the path
 * resolved inside the sysroot, so the guest cannot make the daemon
 * watch its own files.  Reads never wait. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"

#define MAX_USER_EVENTS_FILE "/proc/sys/fs/inotify/max_queued_events"
/* One read's worth of events: well within a reply. */
#define READ_BYTES 65536

static int inotify_fd = -1;

static int
need_inotify (void)
{
  if (inotify_fd == -1) {
    reply_with_error ("you must call 'inotify_init' first to initialize "
                      "inotify");
    return -1;
  }
  return 0;
}

/* The queue length is the kernel's, for every instance: set only in
 * the appliance, which is ours. */
static int
set_max_events (int maxevents)
{
  if (maxevents == 0 || host_mode)
    return 0;
  FILE *f = fopen (MAX_USER_EVENTS_FILE, "we");
  if (f == NULL || fprintf (f, "%d\n", maxevents) < 0 || fclose (f) != 0) {
    reply_with_perror ("%s", MAX_USER_EVENTS_FILE);
    return -1;
  }
  return 0;
}

int
do_inotify_init (int maxevents)
{
  if (maxevents < 0) {
    reply_with_error_errno (EINVAL, "maxevents: %d is negative", maxevents);
    return -1;
  }
  if (set_max_events (maxevents) == -1)
    return -1;
  if (inotify_fd != -1)
    close (inotify_fd);
  inotify_fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd == -1) {
    reply_with_perror ("inotify_init");
    return -1;
  }
  return 0;
}

int64_t
do_inotify_add_watch (const char *path, int mask)
{
  if (need_inotify () == -1)
    return -1;
  CLEANUP_CLOSE int fd = sysroot_open (path, O_PATH, 0);
  CLEANUP_FREE char *p = fd == -1 ? NULL : sysroot_fd_path (fd);
  int wd = p ? inotify_add_watch (inotify_fd, p, (uint32_t)mask) : -1;
  if (wd == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  return wd;
}

int
do_inotify_rm_watch (int wd)
{
  if (need_inotify () == -1)
    return -1;
  if (inotify_rm_watch (inotify_fd, wd) == -1) {
    reply_with_perror ("%d", wd);
    return -1;
  }
  return 0;
}

int
do_inotify_close (void)
{
  if (need_inotify () == -1)
    return -1;
  close (inotify_fd);
  inotify_fd = -1;
  return 0;
}

/* One read of queued events into buf: its length, 0 if none are
 * queued, -1 after replying. */
static ssize_t
read_events (char *buf, size_t len)
{
  ssize_t n;
  do
    n = read (inotify_fd, buf, len);
  while (n == -1 && errno == EINTR);
  if (n == -1 && errno == EAGAIN)
    return 0;
  if (n == -1)
    reply_with_perror ("read");
  return n;
}

typedef int (*event_fn) (const struct inotify_event *ev, void *opaque);

/* Call fn on each event in the n bytes of buf. */
static int
for_each_event (const char *buf, size_t n, event_fn fn, void *opaque)
{
  for (size_t off = 0; off + sizeof (struct inotify_event) <= n;) {
    const struct inotify_event *ev = (const void *)(buf + off);
    if (fn (ev, opaque) == -1)
      return -1;
    off += sizeof *ev + ev->len;
  }
  return 0;
}

static const char *
event_name (const struct inotify_event *ev)
{
  return ev->len ? ev->name : "";
}

static int
add_event (const struct inotify_event *ev, void *opaque)
{
  guestfs_int_inotify_event_list *l = opaque;
  guestfs_int_inotify_event *e = &l->guestfs_int_inotify_event_list_val
                                      [l->guestfs_int_inotify_event_list_len];
  e->in_wd = ev->wd;
  e->in_mask = ev->mask;
  e->in_cookie = ev->cookie;
  e->in_name = strdup (event_name (ev));
  if (e->in_name == NULL) {
    reply_with_perror ("strdup");
    return -1;
  }
  l->guestfs_int_inotify_event_list_len++;
  return 0;
}

guestfs_int_inotify_event_list *
do_inotify_read (void)
{
  if (need_inotify () == -1)
    return NULL;
  static char buf[READ_BYTES]
      __attribute__ ((aligned (__alignof__(struct inotify_event))));
  ssize_t n = read_events (buf, sizeof buf);
  if (n == -1)
    return NULL;
  guestfs_int_inotify_event_list *l = calloc (1, sizeof *l);
  /* At most one event per header's worth of bytes. */
  size_t most = (size_t)n / sizeof (struct inotify_event) + 1;
  if (l)
    l->guestfs_int_inotify_event_list_val =
        calloc (most, sizeof (*l->guestfs_int_inotify_event_list_val));
  if (l == NULL || l->guestfs_int_inotify_event_list_val == NULL) {
    reply_with_perror ("calloc");
  } else if (for_each_event (buf, n, add_event, l) == 0)
    return l;
  if (l) {
    for (u_int i = 0; i < l->guestfs_int_inotify_event_list_len; ++i)
      free (l->guestfs_int_inotify_event_list_val[i].in_name);
    free (l->guestfs_int_inotify_event_list_val);
  }
  free (l);
  return NULL;
}

static int
add_name (const struct inotify_event *ev, void *opaque)
{
  struct stringsbuf *sb = opaque;
  const char *name = event_name (ev);
  if (*name == '\0') /* the watched file itself */
    return 0;
  for (size_t i = 0; i < sb->size; ++i)
    if (strcmp (sb->argv[i], name) == 0)
      return 0;
  if (add_string (sb, name) == -1) {
    reply_with_perror ("add_string");
    return -1;
  }
  return 0;
}

/* Names, not events, so a bounded number of reads: NAME_MAX bytes
 * each, within a reply. */
#define FILES_MAX_READS 16

char **
do_inotify_files (void)
{
  if (need_inotify () == -1)
    return NULL;
  static char buf[READ_BYTES]
      __attribute__ ((aligned (__alignof__(struct inotify_event))));
  struct stringsbuf sb = {0};
  for (int i = 0; i < FILES_MAX_READS; ++i) {
    ssize_t n = read_events (buf, sizeof buf);
    if (n == -1 || (n > 0 && for_each_event (buf, n, add_name, &sb) == -1)) {
      free_stringsbuf (&sb);
      return NULL;
    }
    if (n == 0)
      break;
  }
  sort_strings (sb.argv, sb.size);
  return take_strings (&sb);
}
