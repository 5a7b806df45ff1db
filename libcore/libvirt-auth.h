/* The library's libvirt connections (libvirt-auth.c): opened with the
 * program's GUESTFS_EVENT_LIBVIRT_AUTH handlers answering libvirt's
 * questions, or libvirt's command-line prompts. */
#ifndef GUESTFS_LIBVIRT_AUTH_H
#define GUESTFS_LIBVIRT_AUTH_H

#include "guestfs-internal.h"

struct libvirt_auth {
  guestfs_h *g;
  const char *uri;
};

/* A virConnectPtr to uri (NULL: libvirt's default), opened with flags
 * (virConnectFlags); NULL with the error set. */
extern void *guestfs_int_open_libvirt_connection (guestfs_h *g,
                                                  const char *uri,
                                                  unsigned flags);

#endif
