#include <config.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xdr-str.h"
#include "guestfs_protocol.h"

bool_t
xdr_guestfs_str (XDR *xdrs, guestfs_str *sp)
{
  u_int size;

  switch (xdrs->x_op) {
  case XDR_FREE:
    free (*sp);
    *sp = NULL;
    return TRUE;

  case XDR_ENCODE: {
    if (*sp == NULL)
      return FALSE;
    size_t len = strlen (*sp);
    if (len > GUESTFS_MESSAGE_MAX)
      return FALSE;
    size = len;
    return xdr_u_int (xdrs, &size) && xdr_opaque (xdrs, *sp, size);
  }

  case XDR_DECODE: {
    if (!xdr_u_int (xdrs, &size) || size > GUESTFS_MESSAGE_MAX)
      return FALSE;
    char *s = malloc (size + 1);
    if (s == NULL)
      return FALSE;
    if (!xdr_opaque (xdrs, s, size) || memchr (s, '\0', size) != NULL) {
      free (s);
      return FALSE;
    }
    s[size] = '\0';
    *sp = s;
    return TRUE;
  }
  }
  return FALSE;
}

/* Is this an xdrmem stream (the only kind the protocol decodes from,
 * common/wire.c)?  In one, x_handy is the number of bytes left.  The
 * operations differ with the buffer's alignment: probe both. */
static bool
is_memory_stream (const XDR *xdrs)
{
  int32_t buf[2];
  XDR aligned, unaligned;
  xdrmem_create (&aligned, (char *) buf, 0, XDR_DECODE);
  xdrmem_create (&unaligned, (char *) buf + 1, 0, XDR_DECODE);
  return xdrs->x_ops == aligned.x_ops || xdrs->x_ops == unaligned.x_ops;
}

bool_t
guestfs_int_xdr_array (XDR *xdrs, char **addrp, u_int *sizep, u_int maxsize,
                       u_int elsize, xdrproc_t elproc)
{
  u_int most = GUESTFS_MESSAGE_MAX / 4;
  /* After the count word, each element needs 4 bytes at least: a count
   * the rest of the message cannot hold is refused before anything is
   * allocated. */
  if (xdrs->x_op == XDR_DECODE && is_memory_stream (xdrs)) {
    u_int left = xdrs->x_handy >= 4 ? (xdrs->x_handy - 4) / 4 : 0;
    if (left < most)
      most = left;
  }
  return xdr_array (xdrs, addrp, sizep, maxsize < most ? maxsize : most,
                    elsize, elproc);
}
