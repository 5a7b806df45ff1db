#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "xdr-sample.h"

struct sample_source {
  unsigned value;
  u_int pos;
};

static bool_t
sample_getlong (XDR *xdrs, long *lp)
{
  struct sample_source *s = (struct sample_source *) xdrs->x_private;
  *lp = s->value;
  s->pos += 4;
  return TRUE;
}

static bool_t
sample_getbytes (XDR *xdrs, char *p, u_int n)
{
  struct sample_source *s = (struct sample_source *) xdrs->x_private;
  memset (p, 'a', n);
  s->pos += n;
  return TRUE;
}

static bool_t
sample_putlong (XDR *xdrs, const long *lp)
{
  (void) xdrs;
  (void) lp;
  return FALSE;
}

static bool_t
sample_putbytes (XDR *xdrs, const char *p, u_int n)
{
  (void) xdrs;
  (void) p;
  (void) n;
  return FALSE;
}

static u_int
sample_getpostn (XDR *xdrs)
{
  return ((struct sample_source *) xdrs->x_private)->pos;
}

static bool_t
sample_setpostn (XDR *xdrs, u_int pos)
{
  (void) xdrs;
  (void) pos;
  return FALSE;
}

/* NULL makes rpcgen's code fall back to one call per field. */
static int32_t *
sample_inline (XDR *xdrs, u_int len)
{
  (void) xdrs;
  (void) len;
  return NULL;
}

static void
sample_destroy (XDR *xdrs)
{
  (void) xdrs;
}

static bool_t
sample_control (XDR *xdrs, int req, void *info)
{
  (void) xdrs;
  (void) req;
  (void) info;
  return FALSE;
}

static const struct xdr_ops sample_ops = {
  .x_getlong = sample_getlong,
  .x_putlong = sample_putlong,
  .x_getbytes = sample_getbytes,
  .x_putbytes = sample_putbytes,
  .x_getpostn = sample_getpostn,
  .x_setpostn = sample_setpostn,
  .x_inline = sample_inline,
  .x_destroy = sample_destroy,
  .x_control = sample_control,
};

ssize_t
xdr_sample_encode (xdrproc_t xdrp, size_t size, unsigned value, char *buf,
                   size_t bufsize)
{
  void *obj = calloc (1, size ? size : 1);
  if (obj == NULL)
    return -1;
  struct sample_source src = { .value = value };
  XDR in = { .x_op = XDR_DECODE, .x_ops = &sample_ops,
             .x_private = (char *) &src };
  ssize_t r = -1;
  if (xdrp (&in, obj, 0)) {
    XDR out;
    xdrmem_create (&out, buf, bufsize, XDR_ENCODE);
    if (xdrp (&out, obj, 0))
      r = xdr_getpos (&out);
    xdr_destroy (&out);
  }
  xdr_free (xdrp, obj);
  free (obj);
  return r;
}
