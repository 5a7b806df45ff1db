/* A fake daemon for the tests that feed the library bad replies.
 *
 * The test listens on a Unix socket (the unix:PATH backend connects to
 * it) and forks the fake, which accepts one connection, sends its
 * launch word and then hands every call it reads to the test's serve
 * function, until that returns false or the library hangs up.  The
 * send functions write well-formed or deliberately broken replies.
 */
#ifndef GUESTFS_TEST_FAKE_DAEMON_H
#define GUESTFS_TEST_FAKE_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "harness.h"
#include "wire.h"

/* One call read by the fake. */
struct fake_request {
  unsigned proc, serial;
  XDR *args; /* positioned after the header: decode the arguments */
};

/* Answer one call (in the fake's process).  Returns false to hang up. */
typedef bool (*fake_serve_fn) (int sock, const struct fake_request *req,
                               void *opaque);

struct fake_daemon {
  /* Set by the caller before fake_daemon_start. */
  uint32_t launch_word; /* GUESTFS_LAUNCH_FLAG, or something wrong */
  fake_serve_fn serve;  /* NULL: hang up after the launch word */
  void *opaque;
  unsigned timeout; /* seconds before the fake gives up (0: never) */
  /* How many bytes of the launch word to send (0: all 4).  Fewer, and
   * the fake then stalls until the library hangs up. */
  unsigned launch_len;
  /* Set by fake_daemon_start. */
  pid_t pid;
  char *backend; /* "unix:PATH" */
};

/* Listen on path and fork the fake.  Exits the test on failure. */
extern void fake_daemon_start (struct fake_daemon *f, const char *path);
/* Wait for the fake to exit; a failure unless it ended cleanly (or
 * because the library hung up while it was writing). */
extern void fake_daemon_finish (struct fake_daemon *f, const char *name);

/* ---- Replies (in the fake's process) ---- */

/* WIRE_BUF_SIZE + 64 bytes for building a reply by hand. */
extern char *fake_scratch;

/* Raw bytes; exits the fake if the library has hung up. */
extern void fake_send_bytes (int sock, const void *b, size_t len);
extern void fake_send_u32 (int sock, uint32_t v);

/* The header of the right reply to req. */
extern struct guestfs_message_header
fake_reply_header (const struct fake_request *req,
                   enum guestfs_message_status status);
/* A message: header, body encoded by xdrp (NULL: none), then extra raw
 * bytes counted in its length. */
extern void fake_send_message_extra (int sock,
                                     const struct guestfs_message_header *h,
                                     xdrproc_t xdrp, const void *body,
                                     const void *extra, size_t extra_len);
extern void fake_send_message (int sock,
                               const struct guestfs_message_header *h,
                               xdrproc_t xdrp, const void *body);
/* A successful reply to req with this body (xdrp NULL: none). */
extern void fake_send_ok (int sock, const struct fake_request *req,
                          xdrproc_t xdrp, const void *body);
extern void fake_send_error (int sock, const struct fake_request *req,
                             const char *errno_name, const char *msg);
/* A FileOut chunk with arbitrary fields: cancel word, data length word,
 * then `have` bytes of fill, inside a message of the right length. */
extern void fake_send_chunk (int sock, int32_t cancel, uint32_t data_len,
                             size_t have, char fill);
/* Send nothing more: read and drop whatever comes until the library
 * hangs up, then exit. */
extern void fake_stall (int sock) __attribute__ ((noreturn));

#endif
