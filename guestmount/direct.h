/* Reads served from the disk images by guestmount itself (direct.c).
 *
 * The daemon says where a file's data lies on the drives
 * (guestfs_fuse_extents); guestmount checks that map as hostile
 * (extent-map.h) and then reads the bytes with pread(2) of a raw
 * image, which it opened read-only, or, for images of other formats,
 * with libnbd from the appliance's qemu, which serves the drive
 * read-only over NBD on a private Unix socket (guestfs_fuse_drive_nbd):
 * the host never parses an image format.  A map is used while the node's
 * data generation is the one it was fetched under, so any write,
 * truncation or hole punch through the mount sends reads back to the
 * daemon.
 */
#ifndef GUESTMOUNT_DIRECT_H
#define GUESTMOUNT_DIRECT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "extent-map.h"
#include "guestmount.h"

/* Open the raw images among the drives, and connect to qemu's NBD
 * export of the others (after launch).  Does nothing if disabled
 * (--no-direct-read) or there are no drives. */
extern void direct_init (const struct setup *s, bool enabled);
/* Is any drive readable directly? */
extern bool direct_enabled (void);
/* The checked map of an open daemon handle, or NULL (the reason is a
 * -v message about what, the file's name). */
extern struct extent_map *direct_map (int64_t handle, const char *what);
/* Read up to size bytes at off as m describes them; the count (short
 * only at the end of the file), or -1 if the image could not be read
 * (the caller falls back to the daemon). */
extern ssize_t direct_pread (const struct extent_map *m, char *buf,
                             size_t size, off_t off);
/* A sequential reader will want [off, off + len) next: have the host's
 * kernel start reading those parts of the raw images now. */
extern void direct_prefetch (const struct extent_map *m, uint64_t off,
                             uint64_t len);
/* Close the images; report the count with -v. */
extern void direct_finish (void);

#endif
