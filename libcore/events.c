/* Events: the callback registry, and the one-callback-per-type
 * interface built on top of it. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guestfs-internal.h"

GUESTFS_DLL_PUBLIC int
guestfs_set_event_callback (guestfs_h *g, guestfs_event_callback cb,
                            uint64_t event_bitmask, int flags, void *opaque)
{
  if (cb == NULL || event_bitmask == 0 ||
      (event_bitmask & ~(uint64_t) GUESTFS_EVENT_ALL) || flags != 0) {
    guestfs_int_error_errno (g, EINVAL, "set_event_callback: %s",
                             cb == NULL ? "callback cannot be NULL"
                             : flags != 0 ? "flags must be 0"
                             : "bad event bitmask");
    return -1;
  }
  guestfs_int_lock (g);
  size_t i;
  for (i = 0; i < g->nr_events; ++i)
    if (g->events[i].cb == NULL)
      break;
  if (i == g->nr_events) {
    g->events = safe_realloc (g, g->events,
                              (g->nr_events + 1) * sizeof *g->events);
    ++g->nr_events;
  }
  g->events[i] = (struct event_cb) {
    .cb = cb, .bitmask = event_bitmask, .opaque = opaque, .flags = flags,
  };
  guestfs_int_unlock (g);
  return i;
}

GUESTFS_DLL_PUBLIC void
guestfs_delete_event_callback (guestfs_h *g, int handle)
{
  guestfs_int_lock (g);
  if (handle >= 0 && (size_t) handle < g->nr_events)
    g->events[handle].cb = NULL;
  guestfs_int_unlock (g);
}

static const char *const event_names[] = {
  "close", "subprocess_quit", "launch_done", "progress", "appliance",
  "library", "trace", "enter", "libvirt_auth", "warning",
};

GUESTFS_DLL_PUBLIC char *
guestfs_event_to_string (uint64_t event)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);
  if (f == NULL)
    return NULL;
  bool first = true;
  for (size_t i = 0; i < sizeof event_names / sizeof event_names[0]; ++i)
    if (event & (UINT64_C (1) << i)) {
      fprintf (f, "%s%s", first ? "" : ",", event_names[i]);
      first = false;
    }
  fclose (f);
  if (event & ~(uint64_t) GUESTFS_EVENT_ALL) {
    free (buf);
    errno = EINVAL;
    return NULL;
  }
  return buf;
}

bool
guestfs_int_has_callback (guestfs_h *g, uint64_t event)
{
  for (size_t i = 0; i < g->nr_events; ++i)
    if (g->events[i].cb && (g->events[i].bitmask & event))
      return true;
  return false;
}

static void
call_callbacks (guestfs_h *g, uint64_t event, const char *buf, size_t len,
                const uint64_t *array, size_t array_len)
{
  /* A callback may register or delete callbacks: index, don't cache. */
  for (size_t i = 0; i < g->nr_events; ++i) {
    struct event_cb e = g->events[i];
    if (e.cb && (e.bitmask & event))
      e.cb (g, e.opaque, event, i, 0, buf, len, array, array_len);
  }
}

void
guestfs_int_call_callbacks_void (guestfs_h *g, uint64_t event)
{
  call_callbacks (g, event, NULL, 0, NULL, 0);
}

void
guestfs_int_call_callbacks_message (guestfs_h *g, uint64_t event,
                                    const char *buf, size_t len)
{
  bool handled = guestfs_int_has_callback (g, event);
  call_callbacks (g, event, buf, len, NULL, 0);
  /* Unclaimed debug, trace and appliance messages go to stderr when
   * the user asked for them. */
  if (handled)
    return;
  if ((event == GUESTFS_EVENT_LIBRARY && g->verbose) ||
      (event == GUESTFS_EVENT_WARNING) ||
      (event == GUESTFS_EVENT_APPLIANCE && g->verbose))
    fprintf (stderr, "%s%.*s%s",
             event == GUESTFS_EVENT_WARNING ? "libguestfs: warning: "
             : event == GUESTFS_EVENT_LIBRARY ? "libguestfs: " : "",
             (int) len, buf, event == GUESTFS_EVENT_APPLIANCE ? "" : "\n");
  else if (event == GUESTFS_EVENT_TRACE && g->trace)
    fprintf (stderr, "libguestfs: trace: %.*s\n", (int) len, buf);
}

void
guestfs_int_call_callbacks_array (guestfs_h *g, uint64_t event,
                                  const uint64_t *array, size_t len)
{
  call_callbacks (g, event, NULL, 0, array, len);
}

/* ---- One callback per type ---- */

enum { LEGACY_LOG, LEGACY_QUIT, LEGACY_LAUNCH, LEGACY_CLOSE, LEGACY_PROGRESS };

struct legacy {
  void (*fn) (void);
  void *opaque;
};

static void
legacy_dispatch (guestfs_h *g, void *opaque, uint64_t event, int handle,
                 int flags, const char *buf, size_t buf_len,
                 const uint64_t *array, size_t array_len)
{
  (void) handle;
  (void) flags;
  struct legacy *l = opaque;
  switch (event) {
  case GUESTFS_EVENT_APPLIANCE:
    ((guestfs_log_message_cb) l->fn) (g, l->opaque, (char *) buf, buf_len);
    break;
  case GUESTFS_EVENT_SUBPROCESS_QUIT:
    ((guestfs_subprocess_quit_cb) l->fn) (g, l->opaque);
    break;
  case GUESTFS_EVENT_LAUNCH_DONE:
    ((guestfs_launch_done_cb) l->fn) (g, l->opaque);
    break;
  case GUESTFS_EVENT_CLOSE:
    ((guestfs_close_cb) l->fn) (g, l->opaque);
    break;
  case GUESTFS_EVENT_PROGRESS:
    if (array_len >= 4)
      ((guestfs_progress_cb) l->fn) (g, l->opaque, array[0], array[1],
                                     array[2], array[3]);
    break;
  }
}

static void
set_legacy (guestfs_h *g, int which, uint64_t event, void (*fn) (void),
            void *opaque)
{
  guestfs_int_lock (g);
  int h = g->legacy_handles[which] - 1;
  if (h >= 0) {
    free (g->events[h].opaque);
    guestfs_delete_event_callback (g, h);
    g->legacy_handles[which] = 0;
  }
  if (fn) {
    struct legacy *l = safe_malloc (g, sizeof *l);
    l->fn = fn;
    l->opaque = opaque;
    h = guestfs_set_event_callback (g, legacy_dispatch, event, 0, l);
    g->legacy_handles[which] = h + 1;
  }
  guestfs_int_unlock (g);
}

void
guestfs_int_free_legacy_callbacks (guestfs_h *g)
{
  for (int i = 0; i < 5; ++i)
    if (g->legacy_handles[i] > 0)
      free (g->events[g->legacy_handles[i] - 1].opaque);
}

GUESTFS_DLL_PUBLIC void
guestfs_set_log_message_callback (guestfs_h *g, guestfs_log_message_cb cb,
                                  void *opaque)
{
  set_legacy (g, LEGACY_LOG, GUESTFS_EVENT_APPLIANCE, (void (*) (void)) cb,
              opaque);
}

GUESTFS_DLL_PUBLIC void
guestfs_set_subprocess_quit_callback (guestfs_h *g,
                                      guestfs_subprocess_quit_cb cb,
                                      void *opaque)
{
  set_legacy (g, LEGACY_QUIT, GUESTFS_EVENT_SUBPROCESS_QUIT,
              (void (*) (void)) cb, opaque);
}

GUESTFS_DLL_PUBLIC void
guestfs_set_launch_done_callback (guestfs_h *g, guestfs_launch_done_cb cb,
                                  void *opaque)
{
  set_legacy (g, LEGACY_LAUNCH, GUESTFS_EVENT_LAUNCH_DONE,
              (void (*) (void)) cb, opaque);
}

GUESTFS_DLL_PUBLIC void
guestfs_set_close_callback (guestfs_h *g, guestfs_close_cb cb, void *opaque)
{
  set_legacy (g, LEGACY_CLOSE, GUESTFS_EVENT_CLOSE, (void (*) (void)) cb,
              opaque);
}

GUESTFS_DLL_PUBLIC void
guestfs_set_progress_callback (guestfs_h *g, guestfs_progress_cb cb,
                               void *opaque)
{
  set_legacy (g, LEGACY_PROGRESS, GUESTFS_EVENT_PROGRESS,
              (void (*) (void)) cb, opaque);
}
