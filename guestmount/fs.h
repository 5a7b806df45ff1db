/* The FUSE side of guestmount (fs.c). */
#ifndef GUESTMOUNT_FS_H
#define GUESTMOUNT_FS_H

#include "guestmount.h"

/* A session serving the guest filesystem (the cache must be set up). */
extern struct fuse_session *fs_new_session (struct fuse_args *args);
/* The thread that passes invalidations to the kernel. */
extern int fs_start_background (void);
extern void fs_stop_background (void);

#endif
