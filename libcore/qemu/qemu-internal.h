/* The qemu module's private interface.  Its files:
 *
 *   cmdline.c  the qemu command line and the kernel command line
 *   spawn.c    starting qemu (qemu_spawn)
 *   accel.c    choosing KVM or TCG: the KVM probe and its remembered
 *              verdict
 *   qmp.c      a minimal QMP client (qmp.h), for the saved appliance
 *
 * File utilities it shares with the appliance builder are in
 * libcore/appliance/fileutil.h.
 */

#ifndef GUESTFS_QEMU_INTERNAL_H
#define GUESTFS_QEMU_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>

#include "qemu.h"

/* Formats an error message (or a reason) into the caller's buffer,
 * which may be NULL. */
static inline void __attribute__((format (printf, 3, 4)))
set_err (char *err, size_t errlen, const char *fmt, ...)
{
  va_list ap;

  if (err == NULL || errlen == 0)
    return;
  va_start (ap, fmt);
  vsnprintf (err, errlen, fmt, ap);
  va_end (ap);
}

#endif /* GUESTFS_QEMU_INTERNAL_H */
