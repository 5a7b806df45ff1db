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

#endif
