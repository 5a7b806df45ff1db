/* The extent map of guestfs_fuse_extents: where a file's data lies on
 * the drives, written by the daemon (daemon/extents.c) and checked by
 * guestmount (extent-map.c) before it reads any of those bytes from
 * the image itself.
 *
 * Wire format, every number a big-endian 64-bit word:
 *   file size, number of extents n,
 *   n records of EXTENT_WORDS words: logical offset in the file,
 *   drive index (the order of the added drives), byte offset on the
 *   drive, length, flags.
 * Bytes of the file that no record covers are holes (zeros).  Records
 * with EXTENT_ZERO are allocated but unwritten: zeros too, and their
 * drive and offset mean nothing.
 */
#ifndef GUESTFS_EXTENT_MAP_H
#define GUESTFS_EXTENT_MAP_H

#include <stddef.h>
#include <stdint.h>

#define EXTENT_HEADER_WORDS 2
#define EXTENT_WORDS 5
#define EXTENT_ZERO 1u
/* Alignment of every offset and length the daemon reports. */
#define EXTENT_ALIGN 512
/* The most extents one map holds (the daemon refuses beyond). */
#define EXTENT_MAX 32768

struct extent {
  uint64_t logical, physical, length;
  uint32_t drive;
  uint32_t flags;
};

struct extent_map {
  uint64_t size;        /* the file's size when it was mapped */
  size_t n;
  struct extent *e;     /* sorted by logical, not overlapping */
};

/* Check a map as received (hostile until proven otherwise) against the
 * sizes of the nr_drives drives (0: the drive cannot be read
 * directly).  Returns the map (free with extent_map_free) or NULL with
 * the reason in *why (static text). */
extern struct extent_map *extent_map_parse (const void *buf, size_t len,
                                            const uint64_t *drive_sizes,
                                            size_t nr_drives,
                                            const char **why);
extern void extent_map_free (struct extent_map *m);

#endif
