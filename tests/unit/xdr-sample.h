/* Valid XDR encodings of any protocol type, without knowing its layout.
 *
 * The tests and the fuzzer's corpus generator need a well-formed
 * encoding of every procedure's arguments and return value, and the
 * procedure list grows all the time.  Rather than describe each struct
 * by hand, decode one from a stream that answers every integer read
 * with the same small number and every byte read with 'a's (so strings
 * get that many letters, lists that many elements), then encode the
 * result normally.
 */
#ifndef GUESTFS_TEST_XDR_SAMPLE_H
#define GUESTFS_TEST_XDR_SAMPLE_H

#include <stddef.h>
#include <sys/types.h>

#include <rpc/types.h>
#include <rpc/xdr.h>

/* Encode into buf a value of the type that xdrp handles (its C struct
 * is size bytes), in which every integer, length and count is value.
 * Returns the encoded length, or -1 if it does not fit. */
extern ssize_t xdr_sample_encode (xdrproc_t xdrp, size_t size, unsigned value,
                                  char *buf, size_t bufsize);

#endif
