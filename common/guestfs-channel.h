/* Extra channels to a launched appliance: an internal interface of
 * libguestfs.so for guestmount, not part of the guestfs(3) API.
 *
 * guestfs_int_open_channel opens another connection to the daemon of
 * the launched handle g (the qemu backend gives the appliance a few
 * extra virtio-serial ports; guestfsd --listen accepts a few more
 * connections) and returns a new handle that makes its calls on it.
 * The daemon serves each connection in a thread of its own, so calls
 * on different channel handles run at the same time; within one handle
 * they stay serialised, as guestfs(3) documents, and FileIn/FileOut
 * streams stay on their connection.
 *
 * The channel handle is READY at once and has g's error handler.  It
 * owns no appliance: closing or shutting it down only closes the
 * connection (no sync), and a lost connection on it touches nothing
 * else.
 * Close every channel handle before g.  Returns NULL with the error set
 * on g if the backend has no extra channel left (or none at all). */
#ifndef GUESTFS_CHANNEL_H
#define GUESTFS_CHANNEL_H

#include "guestfs.h"

extern guestfs_h *guestfs_int_open_channel (guestfs_h *g);

#endif
