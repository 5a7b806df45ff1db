/* The FUSE side of guestmount, as the rest of it sees it.  fs.c's
 * operations table lists every operation and the file that
 * implements it; fs-ops.h is the FUSE side's own header. */
#ifndef GUESTMOUNT_FS_H
#define GUESTMOUNT_FS_H

#include "guestmount.h"

/* A session serving the guest filesystem (the cache must be set up). */
extern struct fuse_session *fs_new_session (struct fuse_args *args);
/* The thread that passes invalidations to the kernel
 * (kernel-inval.c). */
extern int fs_start_background (void);
extern void fs_stop_background (void);

#endif
