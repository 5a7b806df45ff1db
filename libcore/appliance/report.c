/* Progress messages and error text of the appliance builder.  The
 * builder does not depend on the library handle: messages go to the
 * caller's callback and errors into the caller's buffer (struct ctx). */

#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "appliance-internal.h"

void
debug (struct ctx *c, const char *fmt, ...)
{
  va_list ap;
  char buf[1024];

  if (!c->verbose || c->log == NULL)
    return;
  va_start (ap, fmt);
  vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  c->log (c->opaque, buf);
}

int
fail (struct ctx *c, const char *fmt, ...)
{
  va_list ap;

  if (c->err && c->errlen > 0) {
    va_start (ap, fmt);
    vsnprintf (c->err, c->errlen, fmt, ap);
    va_end (ap);
  }
  return -1;
}

/* Like fail, with ": strerror(errno)" appended. */
int
fail_errno (struct ctx *c, const char *fmt, ...)
{
  int e = errno;
  va_list ap;
  char buf[1024];

  va_start (ap, fmt);
  vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  return fail (c, "%s: %s", buf, strerror (e));
}

char *
appliance_asprintf (const char *fmt, ...)
{
  va_list ap;
  char *s;
  int r;

  va_start (ap, fmt);
  r = vasprintf (&s, fmt, ap);
  va_end (ap);
  return r == -1 ? NULL : s;
}

