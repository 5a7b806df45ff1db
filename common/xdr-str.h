/* guestfs_str: the wire type of every string in the protocol.
 *
 * rpcgen's own string type decodes a length word and then allocates
 * that much, and it silently truncates at an embedded NUL.  This one
 * bounds the length by the message size and rejects NUL bytes, so a
 * hostile peer can neither make a decoder allocate gigabytes nor
 * smuggle a different string past a check.
 */
#ifndef GUESTFS_XDR_STR_H
#define GUESTFS_XDR_STR_H

#include <rpc/types.h>
#include <rpc/xdr.h>

typedef char *guestfs_str;

extern bool_t xdr_guestfs_str (XDR *xdrs, guestfs_str *sp);

/* rpcgen declares lists of structs without a bound (<>), so xdr_array
 * would believe a count of up to 4 G / element size from a 4-byte
 * length word, allocate it, and on failure walk every (empty) element
 * again to free it: a few bytes from a hostile peer would cost
 * gigabytes.  The generated code is compiled with xdr_array defined as
 * this, which caps the count at what the rest of the message can hold:
 * every element takes at least 4 bytes on the wire. */
extern bool_t guestfs_int_xdr_array (XDR *xdrs, char **addrp, u_int *sizep,
                                     u_int maxsize, u_int elsize,
                                     xdrproc_t elproc);

#endif
