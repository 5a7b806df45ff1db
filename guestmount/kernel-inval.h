/* Telling the kernel to drop what it has cached (kernel-inval.c).
 *
 * The kernel keeps its own entry and attribute caches and learns of
 * changes made through the mount by itself.  It must be told about
 * the others: an ACL that changed a mode, or a name that a fresh
 * listing shows changed outside the mount.  It must not be told from
 * inside an operation that holds its locks, so the requests are
 * queued and a thread of their own sends them
 * (fs_start_background, fs_stop_background in fs.h).
 */
#ifndef GUESTMOUNT_KERNEL_INVAL_H
#define GUESTMOUNT_KERNEL_INVAL_H

#include "guestmount.h"

/* Requests go to session se; from now on the cache reports the names
 * it finds changed behind the kernel's back (cache_stale_name_hook). */
extern void kernel_inval_init (struct fuse_session *se);
/* Queue: the attributes of inode ino are stale. */
extern void kernel_inval_attrs (fuse_ino_t ino);

#endif
