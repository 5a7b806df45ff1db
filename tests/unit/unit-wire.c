/* Framing and the hand-written XDR pieces: messages, the length-word
 * reader, guestfs_str, progress messages, file chunks and errno names.
 * Everything here is what a hostile peer feeds first, so the cases are
 * mostly about malformed input failing cleanly. */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "errnostring.h"
#include "wire.h"

static char *buf; /* WIRE_BUF_SIZE */

static struct guestfs_message_header
call_header (unsigned proc, unsigned serial)
{
  struct guestfs_message_header h = {
    .prog = GUESTFS_PROGRAM, .vers = GUESTFS_PROTOCOL_VERSION, .proc = proc,
    .direction = GUESTFS_DIRECTION_CALL, .serial = serial,
    .status = GUESTFS_STATUS_OK,
  };
  return h;
}

/* Decode bytes as a guestfs_str.  Returns the string or NULL. */
static char *
decode_str (const void *bytes, size_t len)
{
  XDR xdr;
  char *s = NULL;
  xdrmem_create (&xdr, (char *) bytes, len, XDR_DECODE);
  bool_t ok = xdr_guestfs_str (&xdr, &s);
  xdr_destroy (&xdr);
  if (!ok) {
    CHECK (s == NULL); /* a failed decode leaves nothing to free */
    return NULL;
  }
  return s;
}

static void
test_str (void)
{
  char b[64];
  XDR xdr;
  char *s = (char *) "hello";
  xdrmem_create (&xdr, b, sizeof b, XDR_ENCODE);
  CHECK (xdr_guestfs_str (&xdr, &s));
  CHECK (xdr_getpos (&xdr) == 12); /* length word, 5 bytes, 3 padding */
  xdr_destroy (&xdr);
  CHECK (wire_get_u32 (b) == 5 && memcmp (b + 4, "hello", 5) == 0);
  char *d = decode_str (b, 12);
  CHECK (d && strcmp (d, "hello") == 0);
  free (d);

  /* Every truncation fails, including inside the padding. */
  for (size_t len = 0; len < 12; ++len)
    CHECK (decode_str (b, len) == NULL);

  static const char empty[4] = { 0, 0, 0, 0 };
  d = decode_str (empty, 4);
  CHECK (d && *d == '\0');
  free (d);

  static const char nul[] = { 0, 0, 0, 3, 'a', 0, 'b', 0 };
  CHECK (decode_str (nul, sizeof nul) == NULL);
  static const char nul_end[] = { 0, 0, 0, 1, 0, 0, 0, 0 };
  CHECK (decode_str (nul_end, sizeof nul_end) == NULL);

  /* Length words over the message limit are refused before anything is
   * allocated or read, even with the bytes present. */
  wire_put_u32 (buf, GUESTFS_MESSAGE_MAX + 1);
  memset (buf + 4, 'x', GUESTFS_MESSAGE_MAX + 8);
  CHECK (decode_str (buf, GUESTFS_MESSAGE_MAX + 12) == NULL);
  wire_put_u32 (buf, 0xffffffff);
  CHECK (decode_str (buf, GUESTFS_MESSAGE_MAX + 12) == NULL);
  /* At the limit it is accepted when the data is there, and refused
   * when it is cut short. */
  wire_put_u32 (buf, GUESTFS_MESSAGE_MAX);
  d = decode_str (buf, GUESTFS_MESSAGE_MAX + 4);
  CHECK (d && strlen (d) == GUESTFS_MESSAGE_MAX);
  free (d);
  CHECK (decode_str (buf, GUESTFS_MESSAGE_MAX + 3) == NULL);
  CHECK (decode_str (buf, 1000) == NULL);

  /* NULL cannot be encoded; freeing NULL is fine. */
  char *null = NULL;
  xdrmem_create (&xdr, b, sizeof b, XDR_ENCODE);
  CHECK (!xdr_guestfs_str (&xdr, &null));
  xdr_destroy (&xdr);
  xdr_free ((xdrproc_t) xdr_guestfs_str, (char *) &null);
}

static void
test_message_round_trip (void)
{
  struct guestfs_message_header h = call_header (GUESTFS_PROC_WRITE, 42);
  struct guestfs_write_args a = {
    .path = (char *) "/dir/file",
    .content = { .content_len = 5, .content_val = (char *) "a\0b\0c" },
  };
  ssize_t n = wire_encode_message (buf, WIRE_BUF_SIZE, &h,
                                   (xdrproc_t) xdr_guestfs_write_args, &a);
  CHECK (n > 4);
  CHECK (wire_get_u32 (buf) == (uint32_t) n - 4);

  size_t len = n - 4;
  XDR xdr;
  struct guestfs_message_header h2;
  CHECK (wire_decode_header (&xdr, buf + 4, len, &h2) == 0);
  CHECK (h2.prog == GUESTFS_PROGRAM && h2.vers == GUESTFS_PROTOCOL_VERSION &&
         h2.proc == GUESTFS_PROC_WRITE && h2.serial == 42 &&
         h2.direction == GUESTFS_DIRECTION_CALL &&
         h2.status == GUESTFS_STATUS_OK);
  struct guestfs_write_args a2;
  memset (&a2, 0, sizeof a2);
  CHECK (wire_decode_rest (&xdr, len, (xdrproc_t) xdr_guestfs_write_args,
                           &a2) == 0);
  xdr_destroy (&xdr);
  CHECK (a2.path && strcmp (a2.path, "/dir/file") == 0);
  CHECK (a2.content.content_len == 5 &&
         memcmp (a2.content.content_val, "a\0b\0c", 5) == 0);
  xdr_free ((xdrproc_t) xdr_guestfs_write_args, (char *) &a2);

  /* Every truncated body fails, and frees what it had decoded (the
   * sanitizer build would report a leak). */
  for (size_t cut = 24; cut < len; ++cut) {
    memset (&a2, 0, sizeof a2);
    CHECK (wire_decode_header (&xdr, buf + 4, cut, &h2) == 0);
    CHECK (wire_decode_rest (&xdr, cut, (xdrproc_t) xdr_guestfs_write_args,
                             &a2) == -1);
    xdr_destroy (&xdr);
  }
  /* A truncated header fails and destroys the stream itself. */
  for (size_t cut = 0; cut < 24; ++cut)
    CHECK (wire_decode_header (&xdr, buf + 4, cut, &h2) == -1);

  /* Trailing garbage is a malformed message. */
  memcpy (buf + 4 + len, "JUNK", 4);
  memset (&a2, 0, sizeof a2);
  CHECK (wire_decode_header (&xdr, buf + 4, len + 4, &h2) == 0);
  CHECK (wire_decode_rest (&xdr, len + 4,
                           (xdrproc_t) xdr_guestfs_write_args, &a2) == -1);
  xdr_destroy (&xdr);

  /* A message with no body. */
  h = call_header (GUESTFS_PROC_PING_DAEMON, 7);
  n = wire_encode_message (buf, WIRE_BUF_SIZE, &h, NULL, NULL);
  CHECK (n == 4 + 24);
  CHECK (wire_decode_header (&xdr, buf + 4, n - 4, &h2) == 0);
  CHECK (wire_decode_rest (&xdr, n - 4, NULL, NULL) == 0);
  xdr_destroy (&xdr);
  CHECK (wire_decode_header (&xdr, buf + 4, n, &h2) == 0);
  CHECK (wire_decode_rest (&xdr, n, NULL, NULL) == -1);
  xdr_destroy (&xdr);
}

static void
test_message_limit (void)
{
  struct guestfs_message_header h = call_header (GUESTFS_PROC_WRITE, 1);
  char *content = calloc (1, GUESTFS_MESSAGE_MAX);
  /* header 24 + path "/x" 8 + content length word 4 */
  const size_t fits = GUESTFS_MESSAGE_MAX - 36;
  struct guestfs_write_args a = {
    .path = (char *) "/x",
    .content = { .content_len = fits, .content_val = content },
  };
  ssize_t n = wire_encode_message (buf, WIRE_BUF_SIZE, &h,
                                   (xdrproc_t) xdr_guestfs_write_args, &a);
  CHECK (n == GUESTFS_MESSAGE_MAX + 4);
  CHECK (wire_get_u32 (buf) == GUESTFS_MESSAGE_MAX);

  a.content.content_len = fits + 1;
  errno = 0;
  CHECK (wire_encode_message (buf, WIRE_BUF_SIZE, &h,
                              (xdrproc_t) xdr_guestfs_write_args, &a) == -1);
  CHECK (errno == E2BIG);
  a.content.content_len = GUESTFS_MESSAGE_MAX;
  CHECK (wire_encode_message (buf, WIRE_BUF_SIZE, &h,
                              (xdrproc_t) xdr_guestfs_write_args, &a) == -1);
  /* A small buffer limits the message too. */
  a.content.content_len = 100;
  errno = 0;
  CHECK (wire_encode_message (buf, 64, &h,
                              (xdrproc_t) xdr_guestfs_write_args, &a) == -1);
  CHECK (errno == E2BIG);
  free (content);
}

/* Read from a pipe holding `have` bytes whose writer has gone. */
static int
read_closed_pipe (size_t have, size_t want, int *err)
{
  int p[2];
  if (pipe (p) == -1)
    abort ();
  static const char data[16] = "0123456789abcdef";
  if (have && write (p[1], data, have) != (ssize_t) have)
    abort ();
  close (p[1]);
  char in[16];
  errno = 0;
  int r = wire_read_full (p[0], in, want);
  *err = errno;
  close (p[0]);
  if (r == 0)
    CHECK (memcmp (in, data, want) == 0);
  return r;
}

static void
test_read_full (void)
{
  int err;
  /* alarm: a reader that waits for bytes which never come fails the
   * test instead of hanging it. */
  alarm (10);
  CHECK (read_closed_pipe (0, 8, &err) == WIRE_EOF);
  CHECK (read_closed_pipe (3, 8, &err) == -1 && err == EPROTO);
  CHECK (read_closed_pipe (7, 8, &err) == -1 && err == EPROTO);
  CHECK (read_closed_pipe (8, 8, &err) == 0);
  CHECK (read_closed_pipe (16, 8, &err) == 0);
  CHECK (read_closed_pipe (0, 0, &err) == 0);
  /* A bad descriptor is an error, not EOF. */
  char c;
  CHECK (wire_read_full (-1, &c, 1) == -1);
  alarm (0);

  unsigned char b[4];
  wire_put_u32 (b, 0x01020304);
  CHECK (b[0] == 1 && b[1] == 2 && b[2] == 3 && b[3] == 4);
  CHECK (wire_get_u32 (b) == 0x01020304);
  wire_put_u32 (b, GUESTFS_LAUNCH_FLAG);
  CHECK (wire_get_u32 (b) == GUESTFS_LAUNCH_FLAG);
}

static void
test_progress (void)
{
  char b[WIRE_PROGRESS_LEN];
  const uint64_t big = UINT64_C (0x123456789abcdef0);
  wire_encode_progress (b, GUESTFS_PROC_DOWNLOAD, 99, big - 1, big);
  CHECK (wire_get_u32 (b) == GUESTFS_PROGRESS_FLAG);
  struct guestfs_progress p;
  CHECK (wire_decode_progress (b + 4, GUESTFS_PROGRESS_SIZE, &p) == 0);
  CHECK (p.proc == GUESTFS_PROC_DOWNLOAD && p.serial == 99 &&
         p.position == big - 1 && p.total == big);
  CHECK (wire_decode_progress (b + 4, GUESTFS_PROGRESS_SIZE - 1, &p) == -1);
  CHECK (wire_decode_progress (b + 4, GUESTFS_PROGRESS_SIZE + 1, &p) == -1);
  CHECK (wire_decode_progress (b + 4, 0, &p) == -1);
  /* The flag word cannot be mistaken for a message length. */
  CHECK (GUESTFS_PROGRESS_FLAG > GUESTFS_MESSAGE_MAX &&
         GUESTFS_CANCEL_FLAG > GUESTFS_MESSAGE_MAX &&
         GUESTFS_LAUNCH_FLAG > GUESTFS_MESSAGE_MAX);
}

static int
decode_chunk (const char *b, size_t len, struct guestfs_chunk *c)
{
  XDR xdr;
  memset (c, 0, sizeof *c);
  xdrmem_create (&xdr, (char *) b, len, XDR_DECODE);
  bool_t ok = xdr_guestfs_chunk (&xdr, c);
  xdr_destroy (&xdr);
  if (!ok)
    xdr_free ((xdrproc_t) xdr_guestfs_chunk, (char *) c);
  return ok ? 0 : -1;
}

static void
test_chunks (void)
{
  struct guestfs_chunk c;
  ssize_t n = wire_encode_chunk (buf, WIRE_BUF_SIZE, 0, "data\0x", 6);
  CHECK (n == 4 + 4 + 4 + 8);
  CHECK (wire_get_u32 (buf) == (uint32_t) n - 4);
  CHECK (decode_chunk (buf + 4, n - 4, &c) == 0);
  CHECK (c.cancel == 0 && c.data.data_len == 6 &&
         memcmp (c.data.data_val, "data\0x", 6) == 0);
  xdr_free ((xdrproc_t) xdr_guestfs_chunk, (char *) &c);
  for (ssize_t cut = 0; cut < n - 4; ++cut)
    CHECK (decode_chunk (buf + 4, cut, &c) == -1);

  /* The end of a stream and a cancel: no data. */
  n = wire_encode_chunk (buf, WIRE_BUF_SIZE, 1, NULL, 0);
  CHECK (n == 12);
  CHECK (decode_chunk (buf + 4, n - 4, &c) == 0);
  CHECK (c.cancel == 1 && c.data.data_len == 0);
  xdr_free ((xdrproc_t) xdr_guestfs_chunk, (char *) &c);

  /* The largest chunk round-trips, one byte more is refused both ways. */
  char *data = malloc (GUESTFS_MAX_CHUNK_SIZE + 1);
  memset (data, 'z', GUESTFS_MAX_CHUNK_SIZE + 1);
  n = wire_encode_chunk (buf, WIRE_BUF_SIZE, 0, data, GUESTFS_MAX_CHUNK_SIZE);
  CHECK (n == 12 + GUESTFS_MAX_CHUNK_SIZE);
  errno = 0;
  CHECK (wire_encode_chunk (buf, WIRE_BUF_SIZE, 0, data,
                            GUESTFS_MAX_CHUNK_SIZE + 1) == -1);
  CHECK (errno == E2BIG);
  wire_put_u32 (buf, 0);
  wire_put_u32 (buf + 4, GUESTFS_MAX_CHUNK_SIZE + 1);
  memcpy (buf + 8, data, GUESTFS_MAX_CHUNK_SIZE + 1);
  CHECK (decode_chunk (buf, 8 + GUESTFS_MAX_CHUNK_SIZE + 4, &c) == -1);
  /* A data length past the end of the message. */
  wire_put_u32 (buf + 4, 100);
  CHECK (decode_chunk (buf, 8 + 50, &c) == -1);
  wire_put_u32 (buf + 4, 0xfffffffc);
  CHECK (decode_chunk (buf, 8 + 50, &c) == -1);
  /* Too small a buffer. */
  CHECK (wire_encode_chunk (buf, 16, 0, data, 100) == -1);
  free (data);
}

static void
test_errno_names (void)
{
  static const int common[] = { ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY,
                                EACCES, EINVAL, EIO, E2BIG, EINTR, EPERM,
                                ENOSPC, EROFS, ECANCELED, EPROTO };
  for (size_t i = 0; i < sizeof common / sizeof common[0]; ++i) {
    const char *name = guestfs_int_errno_to_string (common[i]);
    CHECK (name != NULL);
    if (name)
      CHECK (guestfs_int_string_to_errno (name) == common[i]);
  }
  CHECK (strcmp (guestfs_int_errno_to_string (ENOENT), "ENOENT") == 0);
  /* Every named errno maps back to itself. */
  for (int e = 1; e < 200; ++e) {
    const char *name = guestfs_int_errno_to_string (e);
    if (name)
      CHECK (guestfs_int_string_to_errno (name) == e);
  }
  CHECK (guestfs_int_errno_to_string (0) == NULL);
  CHECK (guestfs_int_errno_to_string (-1) == NULL);
  CHECK (guestfs_int_errno_to_string (100000) == NULL);
  CHECK (guestfs_int_string_to_errno ("EBOGUS") == EINVAL);
  CHECK (guestfs_int_string_to_errno ("") == EINVAL);
  CHECK (guestfs_int_string_to_errno (NULL) == EINVAL);
  CHECK (guestfs_int_string_to_errno ("enoent") == EINVAL);
}

int
main (void)
{
  buf = malloc (WIRE_BUF_SIZE + 16);
  if (buf == NULL)
    abort ();
  test_str ();
  test_message_round_trip ();
  test_message_limit ();
  test_read_full ();
  test_progress ();
  test_chunks ();
  test_errno_names ();
  free (buf);
  return test_result ();
}
