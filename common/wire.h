/* Framing shared by the library and the daemon.
 *
 * A message is a 4-byte big-endian length word followed by that many
 * bytes: an XDR guestfs_message_header and then the XDR arguments,
 * return value or error.  A length word above GUESTFS_MESSAGE_MAX is
 * one of the flag words (launch, cancel, progress) or a protocol error.
 */
#ifndef GUESTFS_WIRE_H
#define GUESTFS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "guestfs_protocol.h"

/* Room for the length word plus the largest message. */
#define WIRE_BUF_SIZE (GUESTFS_MESSAGE_MAX + 4)

/* What wire_read_full returns at a clean end of file. */
#define WIRE_EOF (-2)

extern int wire_write_full (int fd, const void *buf, size_t len);
extern int wire_read_full (int fd, void *buf, size_t len);

extern uint32_t wire_get_u32 (const void *p);
extern void wire_put_u32 (void *p, uint32_t v);

/* Encode header and body (body may be NULL) into buf, length word
 * included.  Returns the total length, or -1 with errno E2BIG if it
 * does not fit in a message. */
extern ssize_t wire_encode_message (char *buf, size_t bufsize,
                                    const struct guestfs_message_header *hdr,
                                    xdrproc_t body_xdr, const void *body);

/* Encode a file chunk (length word included).  Returns the length. */
extern ssize_t wire_encode_chunk (char *buf, size_t bufsize, int cancel,
                                  const char *data, size_t len);

/* Encode a progress message: the flag word and the fixed-size body. */
#define WIRE_PROGRESS_LEN (4 + GUESTFS_PROGRESS_SIZE)
extern void wire_encode_progress (char buf[WIRE_PROGRESS_LEN], unsigned proc,
                                  unsigned serial, uint64_t position,
                                  uint64_t total);
extern int wire_decode_progress (const char *buf, size_t len,
                                 struct guestfs_progress *p);

/* Decode the header at the start of a message body (after the length
 * word).  On success xdr is left positioned after the header, ready
 * for the rest; the caller must xdr_destroy it.  Returns 0 or -1. */
extern int wire_decode_header (XDR *xdr, const char *body, size_t len,
                               struct guestfs_message_header *hdr);

/* Decode the remaining body with body_xdr and check that every byte
 * was consumed: trailing garbage is a malformed message.  On failure
 * whatever was decoded into body has been freed. */
extern int wire_decode_rest (XDR *xdr, size_t len, xdrproc_t body_xdr,
                             void *body);

#endif
