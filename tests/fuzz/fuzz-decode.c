/* Fuzz target: every decoder that reads bytes from the other side of
 * the connection.
 *
 * Input: two bytes giving a procedure number (big-endian; numbers are
 * stable, so saved inputs keep their meaning as the table grows), then
 * the bytes to decode.  Those bytes are decoded as that
 * procedure's arguments and return value, as a whole message (header,
 * then the body the header calls for), as an error body, a file chunk,
 * a progress message and a bare string.  Whatever decodes must encode
 * back to bytes that decode to the same encoding, and everything is
 * freed (LeakSanitizer checks).
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proc-table.h"
#include "wire.h"

/* The most a re-encoding can take: decoded input never grows by more
 * than the padding of its opaques and strings. */
#define REENCODE_MAX (2 * GUESTFS_MESSAGE_MAX)

extern int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *encode_buf, *encode_buf2;

/* Encode obj, decode that encoding into a fresh object and encode it
 * again: both encodings must be the same bytes. */
static void
check_round_trip (xdrproc_t xdrp, size_t size, void *obj)
{
  XDR xdr;
  xdrmem_create (&xdr, encode_buf, REENCODE_MAX, XDR_ENCODE);
  bool_t ok = xdrp (&xdr, obj, 0);
  u_int len = xdr_getpos (&xdr);
  xdr_destroy (&xdr);
  if (!ok)
    abort (); /* decoded but cannot be encoded */

  void *copy = calloc (1, size);
  xdrmem_create (&xdr, encode_buf, len, XDR_DECODE);
  ok = xdrp (&xdr, copy, 0) && xdr_getpos (&xdr) == len;
  xdr_destroy (&xdr);
  if (!ok)
    abort (); /* our own encoding does not decode */
  xdrmem_create (&xdr, encode_buf2, REENCODE_MAX, XDR_ENCODE);
  ok = xdrp (&xdr, copy, 0) && xdr_getpos (&xdr) == len &&
       memcmp (encode_buf, encode_buf2, len) == 0;
  xdr_destroy (&xdr);
  xdr_free (xdrp, copy);
  free (copy);
  if (!ok)
    abort (); /* the round trip changed something */
}

/* Decode into a heap object of exactly the struct's size, so that an
 * overrun is caught. */
static void
decode_as (xdrproc_t xdrp, size_t size, const uint8_t *data, size_t len)
{
  void *obj = calloc (1, size ? size : 1);
  XDR xdr;
  xdrmem_create (&xdr, (char *) data, len, XDR_DECODE);
  bool_t ok = xdrp (&xdr, obj, 0);
  xdr_destroy (&xdr);
  if (ok)
    check_round_trip (xdrp, size, obj);
  xdr_free (xdrp, obj);
  free (obj);
}

/* The way the library and the daemon read a message: header, checks,
 * then the body with no bytes left over. */
static void
decode_message (const uint8_t *data, size_t len)
{
  XDR xdr;
  struct guestfs_message_header hdr;
  if (wire_decode_header (&xdr, (const char *) data, len, &hdr) == -1)
    return;
  const struct proc_info *pi = proc_lookup (hdr.proc);
  xdrproc_t body_xdr = NULL;
  size_t body_size = 0;
  if (hdr.status == GUESTFS_STATUS_ERROR) {
    body_xdr = (xdrproc_t) xdr_guestfs_message_error;
    body_size = sizeof (struct guestfs_message_error);
  }
  else if (pi && hdr.direction == GUESTFS_DIRECTION_CALL) {
    body_xdr = pi->args_xdr;
    body_size = pi->args_size;
  }
  else if (pi) {
    body_xdr = pi->ret_xdr;
    body_size = pi->ret_size;
  }
  void *body = calloc (1, body_size ? body_size : 1);
  if (wire_decode_rest (&xdr, len, body_xdr, body) == 0 && body_xdr) {
    check_round_trip (body_xdr, body_size, body);
    xdr_free (body_xdr, body);
  }
  xdr_destroy (&xdr);
  free (body);
}

static void
decode_progress (const uint8_t *data, size_t len)
{
  struct guestfs_progress p;
  if (len >= GUESTFS_PROGRESS_SIZE &&
      wire_decode_progress ((const char *) data, GUESTFS_PROGRESS_SIZE,
                            &p) == 0) {
    char b[WIRE_PROGRESS_LEN];
    wire_encode_progress (b, p.proc, p.serial, p.position, p.total);
    if (memcmp (b + 4, data, GUESTFS_PROGRESS_SIZE) != 0)
      abort ();
  }
  /* Any other length is refused. */
  if (len != GUESTFS_PROGRESS_SIZE &&
      wire_decode_progress ((const char *) data, len, &p) == 0)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (encode_buf == NULL) {
    encode_buf = malloc (REENCODE_MAX);
    encode_buf2 = malloc (REENCODE_MAX);
    if (encode_buf == NULL || encode_buf2 == NULL)
      abort ();
  }
  if (size < 2 || size > GUESTFS_MESSAGE_MAX)
    return 0;
  unsigned proc = (unsigned) data[0] << 8 | data[1];
  data += 2;
  size -= 2;

  const struct proc_info *pi = proc_lookup (proc);
  if (pi && pi->args_xdr)
    decode_as (pi->args_xdr, pi->args_size, data, size);
  if (pi && pi->ret_xdr)
    decode_as (pi->ret_xdr, pi->ret_size, data, size);
  decode_message (data, size);
  decode_as ((xdrproc_t) xdr_guestfs_message_error,
             sizeof (struct guestfs_message_error), data, size);
  decode_as ((xdrproc_t) xdr_guestfs_chunk, sizeof (struct guestfs_chunk),
             data, size);
  decode_as ((xdrproc_t) xdr_guestfs_str, sizeof (guestfs_str), data, size);
  decode_progress (data, size);
  return 0;
}
