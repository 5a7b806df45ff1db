/* Describing a file as a fuse_entry (entry.c), for the files of the
 * fuse_* actions: listing.c, handles.c, setattr.c and create.c. */
#ifndef GUESTFSD_ENTRY_H
#define GUESTFSD_ENTRY_H

#include <stdbool.h>
#include <sys/stat.h>

#include "daemon.h"

/* Status fields of e from st. */
extern void entry_fill_stat (guestfs_int_fuse_entry *e, const struct stat *st);
/* Start e with name (copied) and empty strings elsewhere: the strings
 * of an XDR struct must never be NULL.  0, or -1 (ENOMEM). */
extern int entry_init (guestfs_int_fuse_entry *e, const char *name);
/* Free a malloc'd entry and everything it holds (NULL is allowed). */
extern void entry_free (guestfs_int_fuse_entry *e);
/* The target of the symbolic link dirfd/base into e->link. */
extern int entry_read_link (guestfs_int_fuse_entry *e, int dirfd,
                            const char *base);
/* Every extended attribute into e->xattrs, packed, and the flag
 * ENTRY_XATTRS_COMPLETE if they all fit; of the object path names (a
 * symbolic link itself, not its target), or of the open fd. */
extern void entry_collect_xattrs_at (guestfs_int_fuse_entry *e,
                                     const char *path);
extern void entry_collect_xattrs_fd (guestfs_int_fuse_entry *e, int fd);

/* A malloc'd entry for dirfd/base, the object of a guest name, or an
 * open descriptor.  They reply with an error and return NULL on
 * failure; path is for messages. */
extern guestfs_int_fuse_entry *entry_at (const char *path, int dirfd,
                                         const char *base);
extern guestfs_int_fuse_entry *entry_of_name (const char *path,
                                              const struct sysroot_name *n);
extern guestfs_int_fuse_entry *entry_of_fd (int fd);

#endif
