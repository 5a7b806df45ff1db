/* libcore internals: the handle, its state machine, and the one error
 * idiom every library function follows:
 *
 *   if (something_failed) {
 *     error (g, "%s: what went wrong", name);   (or perrorf)
 *     return -1;                                (or NULL)
 *   }
 */
#ifndef GUESTFS_INTERNAL_H
#define GUESTFS_INTERNAL_H

#include <pthread.h>
#include <stdio.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <rpc/types.h>
#include <rpc/xdr.h>

#include "guestfs.h"

enum state { CONFIG = 0, LAUNCHING = 1, READY = 2, BUSY = 3 };

enum drive_discard { DISCARD_DISABLE = 0, DISCARD_ENABLE, DISCARD_BESTEFFORT };

struct drive {
  char *filename;  /* local path, or the export/path on a server */
  char *format;    /* probed at add time when not given; "auto": let qemu
                    * probe at launch */
  char *name, *label, *cachemode;
  bool readonly;
  bool scratch;    /* delete filename on close */
  int64_t scratch_size;
  int blocksize;   /* 0: default */
  /* Where qemu finds the image (see remote.c): for a local image NULL
   * and NULL; for a remote one its protocol options
   * ("file.driver=nbd,...") and, with a secret, the -object that holds
   * it. */
  char *remote_opts, *secret_object;
  bool copyonread;
  enum drive_discard discard;
};

struct event_cb {
  guestfs_event_callback cb; /* NULL: a deleted slot */
  uint64_t bitmask;
  void *opaque;
  int flags;
};

struct pda_entry {
  char *key;
  void *data;
};

/* What a backend does: start the daemon's end and connect to it. */
struct backend_ops {
  const char *name;
  /* Called in LAUNCHING.  On success g->daemon_fd is connected and the
   * launch flag has been read. */
  int (*launch) (guestfs_h *g, const char *arg);
  /* Stop whatever launch started (the daemon connection is already
   * closed).  graceful: give the appliance time to flush and exit. */
  int (*shutdown) (guestfs_h *g, bool graceful);
  /* Called in READY: a new connection to the same daemon (a
   * non-blocking descriptor, before its launch flag), or -1 with the
   * error set.  NULL: the backend has none. */
  int (*open_channel) (guestfs_h *g);
};

struct guestfs_h {
  pthread_mutex_t lock; /* recursive: implementations call the API */
  enum state state;
  bool verbose, trace, autosync, close_on_exit;
  char *path, *qemu, *append, *backend, *program, *identifier;
  char *cachedir;    /* set_cachedir, LIBGUESTFS_CACHEDIR; NULL: default */
  char *tmpdir_base; /* set_tmpdir, LIBGUESTFS_TMPDIR; NULL: $TMPDIR */
  bool network;      /* set_network: a user-mode network card */
  int smp;           /* set_smp: virtual CPUs (0: 1) */
  /* Recorded for libguestfs's programs; they change nothing here. */
  bool pgroup, recovery_proc, selinux, direct;
  char **backend_settings;
  int memsize;

  struct drive *drives;
  size_t nr_drives;

  /* Errors are per thread: a call's error must reach the thread that
   * made the call. */
  pthread_key_t error_key;
  pthread_mutex_t error_list_lock;
  struct error_data *error_list;
  guestfs_error_handler_cb error_cb;
  void *error_cb_data;
  struct pushed_handler *pushed_handlers; /* guestfs_push_error_handler */
  guestfs_abort_cb abort_cb;

  struct event_cb *events;
  size_t nr_events;
  /* Set by the one-callback-per-type interface. */
  int legacy_handles[5];

  struct pda_entry *pda;
  size_t nr_pda, pda_next;

  /* The connection to the daemon. */
  const struct backend_ops *backend_ops;
  void *backend_data;
  int daemon_fd;
  int console_fd; /* -1 when the backend has no console */
  unsigned serial;
  char *sendbuf, *recvbuf;
  char *tmpdir; /* per-handle: sockets, scratch disks */
  volatile sig_atomic_t user_cancel;
  int cancel_fd;      /* eventfd: guestfs_user_cancel wakes waits */
  int io_timeout_ms;  /* inactivity deadline on the daemon; -1: none */
  struct timespec last_io; /* the last byte to or from the daemon */
  struct timespec call_start;
  unsigned flag_words; /* progress and stray cancel words this call */
  /* What a user cancel does to the call in flight: in a transfer it
   * ends the stream (a cancel chunk or word, then an error reply);
   * otherwise it drops the connection. */
  enum {
    CANCEL_DROPS,          /* no transfer, or cancelled twice */
    CANCEL_AT_NEXT_CHUNK,  /* sending a FileIn: the sender takes it */
    CANCEL_SENDS_WORD,     /* in a FileOut, no cancel word sent yet */
    CANCEL_WORD_SENT,      /* sent for a local write error */
    CANCEL_USER_WORD_SENT, /* sent for the user */
  } transfer_cancel;

  /* The end of the console log, quoted when launch fails. */
  char console_tail[8192];
  size_t console_tail_len;
  char *console_line; /* partial line being assembled */
  size_t console_line_len;

  guestfs_h *next; /* all handles, for the atexit handler */

  struct guestfs_inspect_data *inspect; /* impl-inspect.c: inspect_os */

  /* libvirt authentication (libvirt-auth.c): the credential types the
   * program can answer, and while GUESTFS_EVENT_LIBVIRT_AUTH runs,
   * libvirt's virConnectCredential array it is answering. */
  char **libvirt_supported_creds;
  void *libvirt_requested_creds;
  size_t nr_libvirt_requested_creds;

  /* guestfs_config: qemu options added to the command line, as pairs
   * of option and value (NULL: none). */
  char **hv_params;
  size_t nr_hv_params;

  /* internal_test_set_output: where the bindings' test actions print
   * (NULL: stdout). */
  FILE *test_fp;
};

/* ---- drives.c ---- */
/* Free what one drive holds (a scratch drive's file is removed). */
extern void guestfs_int_free_drive (struct drive *d);
/* Remove the drives added after the first n. */
extern void guestfs_int_truncate_drives (guestfs_h *g, size_t n);

/* ---- errors.c ---- */
#define error(g, ...) guestfs_int_error_errno ((g), 0, __VA_ARGS__)
#define perrorf(g, ...) guestfs_int_perrorf ((g), __VA_ARGS__)
extern void guestfs_int_error_errno (guestfs_h *g, int errnum, const char *fs,
                                     ...)
  __attribute__ ((format (printf, 3, 4)));
extern void guestfs_int_perrorf (guestfs_h *g, const char *fs, ...)
  __attribute__ ((format (printf, 2, 3)));
extern void guestfs_int_init_error_handling (guestfs_h *g);
extern void guestfs_int_free_error_data (guestfs_h *g);
extern void *guestfs_int_safe_malloc (guestfs_h *g, size_t n);
extern void *guestfs_int_safe_calloc (guestfs_h *g, size_t n, size_t s);
extern void *guestfs_int_safe_realloc (guestfs_h *g, void *p, size_t n);
extern char *guestfs_int_safe_strdup (guestfs_h *g, const char *s);
extern char *guestfs_int_safe_asprintf (guestfs_h *g, const char *fs, ...)
  __attribute__ ((format (printf, 2, 3)));
#define safe_malloc guestfs_int_safe_malloc
#define safe_calloc guestfs_int_safe_calloc
#define safe_realloc guestfs_int_safe_realloc
#define safe_strdup guestfs_int_safe_strdup
#define safe_asprintf guestfs_int_safe_asprintf

/* ---- handle.c ---- */
extern void guestfs_int_lock (guestfs_h *g);
extern void guestfs_int_unlock (guestfs_h *g);
extern int guestfs_int_check_ready (guestfs_h *g, const char *name);
extern int guestfs_int_check_config (guestfs_h *g, const char *name);
extern int guestfs_int_check_pathname (guestfs_h *g, const char *name,
                                       const char *argname, const char *p);
extern size_t guestfs_int_count_strings (char *const *list);
extern void guestfs_int_free_string_list (char **list);
extern char **guestfs_int_copy_string_list (guestfs_h *g, char *const *l);
extern char **guestfs_int_take_strlist (guestfs_h *g, char **val,
                                        u_int len, int hashtable);
extern const char *guestfs_int_get_backend_setting (guestfs_h *g,
                                                    const char *name);
extern int guestfs_int_lazy_make_tmpdir (guestfs_h *g);
/* The error of an action not implemented yet (FL_UNAVAILABLE). */
extern void guestfs_int_free_pushed_handlers (guestfs_h *g);
extern void guestfs_int_unavailable (guestfs_h *g, const char *name,
                                     const char *group, int group_missing);
#define debug(g, ...)                                                        \
  do {                                                                       \
    if ((g)->verbose)                                                        \
      guestfs_int_debug ((g), __VA_ARGS__);                                  \
  } while (0)
extern void guestfs_int_debug (guestfs_h *g, const char *fs, ...)
  __attribute__ ((format (printf, 2, 3)));

/* ---- events.c ---- */
extern void guestfs_int_call_callbacks_void (guestfs_h *g, uint64_t event);
extern void guestfs_int_call_callbacks_message (guestfs_h *g, uint64_t event,
                                                const char *buf, size_t len);
extern void guestfs_int_call_callbacks_array (guestfs_h *g, uint64_t event,
                                              const uint64_t *array,
                                              size_t len);
extern bool guestfs_int_has_callback (guestfs_h *g, uint64_t event);
extern void guestfs_int_free_legacy_callbacks (guestfs_h *g);

/* ---- trace.c ---- */
struct guestfs_int_trace;
static inline bool
guestfs_int_trace_on (guestfs_h *g)
{
  return g->trace;
}
extern struct guestfs_int_trace *guestfs_int_trace_open (guestfs_h *g,
                                                         const char *name);
extern void guestfs_int_trace_send (guestfs_h *g,
                                    struct guestfs_int_trace *tb);
extern void guestfs_int_trace_ptr (struct guestfs_int_trace *tb,
                                   const void *p);
extern void guestfs_int_trace_str (struct guestfs_int_trace *tb,
                                   const char *s);
extern void guestfs_int_trace_optstr (struct guestfs_int_trace *tb,
                                      const char *s);
extern void guestfs_int_trace_secret (struct guestfs_int_trace *tb,
                                      const char *s);
extern void guestfs_int_trace_int (struct guestfs_int_trace *tb, int i);
extern void guestfs_int_trace_int64 (struct guestfs_int_trace *tb, int64_t i);
extern void guestfs_int_trace_bool (struct guestfs_int_trace *tb, int b);
extern void guestfs_int_trace_strlist (struct guestfs_int_trace *tb,
                                       char *const *l);
extern void guestfs_int_trace_buffer (struct guestfs_int_trace *tb,
                                      size_t size);
extern void guestfs_int_trace_opt_bool (struct guestfs_int_trace *tb,
                                        const char *n, int b);
extern void guestfs_int_trace_opt_int (struct guestfs_int_trace *tb,
                                       const char *n, int i);
extern void guestfs_int_trace_opt_int64 (struct guestfs_int_trace *tb,
                                         const char *n, int64_t i);
extern void guestfs_int_trace_opt_str (struct guestfs_int_trace *tb,
                                       const char *n, const char *s);
extern void guestfs_int_trace_opt_secret (struct guestfs_int_trace *tb,
                                          const char *n, const char *s);
extern void guestfs_int_trace_opt_strlist (struct guestfs_int_trace *tb,
                                           const char *n, char *const *l);
extern void guestfs_int_trace_ret_int (guestfs_h *g, const char *name,
                                       int r);
extern void guestfs_int_trace_ret_bool (guestfs_h *g, const char *name,
                                        int r);
extern void guestfs_int_trace_ret_int64 (guestfs_h *g, const char *name,
                                         int64_t r);
extern void guestfs_int_trace_ret_str (guestfs_h *g, const char *name,
                                       const char *r);
extern void guestfs_int_trace_ret_secret (guestfs_h *g, const char *name,
                                          const void *r);
extern void guestfs_int_trace_ret_strlist (guestfs_h *g, const char *name,
                                           char *const *r);
extern void guestfs_int_trace_ret_hash (guestfs_h *g, const char *name,
                                        char *const *r);
extern void guestfs_int_trace_ret_ptr (guestfs_h *g, const char *name,
                                       const void *r);
extern void guestfs_int_trace_ret_buffer (guestfs_h *g, const char *name,
                                          const char *r, size_t size);

/* ---- proto.c ---- */
struct guestfs_int_call {
  const char *name;
  unsigned proc;
  xdrproc_t args_xdr; /* NULL: no arguments */
  void *args;
  xdrproc_t ret_xdr; /* NULL: no return value */
  void *ret;
  const char *file_in;  /* FileIn: host file to send */
  const char *file_out; /* FileOut: host file to receive into */
  bool secret;          /* has Key arguments: see send_request */
};
/* Make one call: request, chunks, reply.  Returns 0 or -1 (error set;
 * the handle stays READY unless the connection was lost). */
extern int guestfs_int_rpc (guestfs_h *g, struct guestfs_int_call *call);
/* Wait for the daemon's launch flag, reading the console meanwhile.
 * Returns 0, -1 (error set), or -2 if timeout_ms passed (no error set). */
extern int guestfs_int_wait_for_launch_flag (guestfs_h *g, int timeout_ms);
/* Read whatever the console has and pass it to the log event. */
extern void guestfs_int_drain_console (guestfs_h *g);
extern void guestfs_int_console_output (guestfs_h *g, const char *buf,
                                        size_t len);
/* Clear a pending guestfs_user_cancel; returns whether there was one. */
extern bool guestfs_int_take_user_cancel (guestfs_h *g);
/* The daemon went away: tear down, back to CONFIG, event. */
extern void guestfs_int_connection_lost (guestfs_h *g);

/* ---- impl-inspect.c ---- */
extern void guestfs_int_free_inspect_data (guestfs_h *g);

/* ---- launch.c ---- */
extern const struct backend_ops guestfs_int_backend_unix;
extern const struct backend_ops guestfs_int_backend_qemu;
/* A channel handle's (channel.c). */
extern const struct backend_ops guestfs_int_backend_channel;
/* qemu's pid while the qemu backend runs, else -1. */
extern int guestfs_int_qemu_pid (guestfs_h *g);
extern void guestfs_int_close_connection (guestfs_h *g);

#endif
