/* Open-file handles of the fuse_* actions (handles.c). */
#ifndef GUESTFSD_HANDLES_H
#define GUESTFSD_HANDLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most handles a client may hold at once. */
#define MAX_HANDLES 1024

/* Register an open descriptor; returns its handle, or -1 with errno
 * EMFILE when the table is full (the caller still owns fd then). */
extern int64_t handle_add (int fd);
/* A duplicate of the descriptor of a handle, which the caller closes,
 * or -1 after replying (EBADF for an unknown handle). */
extern int handle_fd (int64_t handle);
/* Note a read of len bytes at offset; true if it continues the
 * previous read of the handle (a sequential reader). */
extern bool handle_read_continues (int64_t handle, int64_t offset,
                                   size_t len);
/* The handle was written through. */
extern void handle_note_write (int64_t handle);
/* Close a handle: 0, or -1 with errno (EBADF for an unknown handle). */
extern int handle_close (int64_t handle);
/* Close every handle: when the client disconnects, and before the
 * guest filesystems are unmounted (an open file would keep them busy). */
extern void handles_release_all (void);
/* The same, in the form of a cleanup attribute function. */
extern void handles_release_at_end (int *unused);

#endif
