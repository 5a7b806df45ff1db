#include <config.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "wire.h"

int
wire_write_full (int fd, const void *buf, size_t len)
{
  const char *p = buf;
  while (len > 0) {
    ssize_t r = write (fd, p, len);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += r;
    len -= r;
  }
  return 0;
}

int
wire_read_full (int fd, void *buf, size_t len)
{
  char *p = buf;
  size_t got = 0;
  while (got < len) {
    ssize_t r = read (fd, p + got, len - got);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (r == 0) {
      /* EOF between messages is clean; EOF inside one is truncation. */
      if (got == 0)
        return WIRE_EOF;
      errno = EPROTO;
      return -1;
    }
    got += r;
  }
  return 0;
}

uint32_t
wire_get_u32 (const void *p)
{
  const unsigned char *b = p;
  return ((uint32_t) b[0] << 24) | ((uint32_t) b[1] << 16) |
         ((uint32_t) b[2] << 8) | b[3];
}

void
wire_put_u32 (void *p, uint32_t v)
{
  unsigned char *b = p;
  b[0] = v >> 24;
  b[1] = v >> 16;
  b[2] = v >> 8;
  b[3] = v;
}

ssize_t
wire_encode_message (char *buf, size_t bufsize,
                     const struct guestfs_message_header *hdr,
                     xdrproc_t body_xdr, const void *body)
{
  XDR xdr;
  size_t room = bufsize - 4;
  if (room > GUESTFS_MESSAGE_MAX)
    room = GUESTFS_MESSAGE_MAX;
  xdrmem_create (&xdr, buf + 4, room, XDR_ENCODE);
  bool_t ok = xdr_guestfs_message_header (&xdr,
                                          (struct guestfs_message_header *) hdr);
  if (ok && body_xdr)
    ok = body_xdr (&xdr, (void *) body, 0);
  size_t len = xdr_getpos (&xdr);
  xdr_destroy (&xdr);
  if (!ok) {
    errno = E2BIG;
    return -1;
  }
  wire_put_u32 (buf, len);
  return len + 4;
}

ssize_t
wire_encode_chunk (char *buf, size_t bufsize, int cancel, const char *data,
                   size_t len)
{
  struct guestfs_chunk chunk = {
    .cancel = cancel,
    .data = { .data_len = len, .data_val = (char *) data },
  };
  XDR xdr;
  xdrmem_create (&xdr, buf + 4, bufsize - 4, XDR_ENCODE);
  bool_t ok = xdr_guestfs_chunk (&xdr, &chunk);
  size_t n = xdr_getpos (&xdr);
  xdr_destroy (&xdr);
  if (!ok) {
    errno = E2BIG;
    return -1;
  }
  wire_put_u32 (buf, n);
  return n + 4;
}

void
wire_encode_progress (char buf[WIRE_PROGRESS_LEN], unsigned proc,
                      unsigned serial, uint64_t position, uint64_t total)
{
  struct guestfs_progress p = {
    .proc = proc, .serial = serial, .position = position, .total = total,
  };
  XDR xdr;
  wire_put_u32 (buf, GUESTFS_PROGRESS_FLAG);
  xdrmem_create (&xdr, buf + 4, GUESTFS_PROGRESS_SIZE, XDR_ENCODE);
  /* Cannot fail: the body has a fixed size that fits. */
  (void) xdr_guestfs_progress (&xdr, &p);
  xdr_destroy (&xdr);
}

int
wire_decode_progress (const char *buf, size_t len, struct guestfs_progress *p)
{
  XDR xdr;
  if (len != GUESTFS_PROGRESS_SIZE)
    return -1;
  xdrmem_create (&xdr, (char *) buf, len, XDR_DECODE);
  bool_t ok = xdr_guestfs_progress (&xdr, p);
  xdr_destroy (&xdr);
  return ok ? 0 : -1;
}

int
wire_decode_header (XDR *xdr, const char *body, size_t len,
                    struct guestfs_message_header *hdr)
{
  xdrmem_create (xdr, (char *) body, len, XDR_DECODE);
  if (!xdr_guestfs_message_header (xdr, hdr)) {
    xdr_destroy (xdr);
    return -1;
  }
  return 0;
}

int
wire_decode_rest (XDR *xdr, size_t len, xdrproc_t body_xdr, void *body)
{
  if (body_xdr && !body_xdr (xdr, body, 0)) {
    /* A decoder that fails half-way leaves what it allocated (a list,
     * the strings before the bad one) in body. */
    xdr_free (body_xdr, body);
    return -1;
  }
  if (xdr_getpos (xdr) != len) {
    if (body_xdr)
      xdr_free (body_xdr, body);
    return -1;
  }
  return 0;
}
