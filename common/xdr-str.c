#include <config.h>

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

bool_t
guestfs_int_xdr_array (XDR *xdrs, char **addrp, u_int *sizep, u_int maxsize,
                       u_int elsize, xdrproc_t elproc)
{
  const u_int most = GUESTFS_MESSAGE_MAX / 4;
  return xdr_array (xdrs, addrp, sizep, maxsize < most ? maxsize : most,
                    elsize, elproc);
}
