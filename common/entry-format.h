/* The fuse_entry format: what the bytes inside a fuse_entry mean.
 *
 * The XDR struct (generator/structs.c, guestfs(3)) carries a flags
 * word and two opaque buffers whose layout is ours: the packed
 * extended attributes and, in the arguments of fuse_open and
 * fuse_close, lists of handles.  The daemon writes them and guestmount
 * reads them; both go through this module, so the format is written
 * down once.  The reader treats its input as hostile: every length is
 * checked against the bytes that are really there.
 *
 * These numbers are internal protocol between the daemon and
 * guestmount, which always come from the same build.
 */
#ifndef GUESTFS_ENTRY_FORMAT_H
#define GUESTFS_ENTRY_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- fuse_entry.flags ---- */

/* The empty-named entry after the last name of a directory. */
#define ENTRY_END 1
/* xattrs holds every extended attribute of the file (otherwise some
 * are missing, and a reader asks for single attributes). */
#define ENTRY_XATTRS_COMPLETE 2
/* fuse_readdir_tree: the entry starts the section of one directory
 * (its name is the path relative to the top, "" for the top itself). */
#define ENTRY_SECTION 4

/* The largest fuse_pread or fuse_pwrite the daemon accepts. */
#define IO_MAX (2 * 1024 * 1024)

/* ---- Big-endian 64-bit numbers ---- */

extern uint64_t entry_get_be64 (const void *p);
extern void entry_put_be64 (void *p, uint64_t v);

/* ---- Packed extended attributes ----
 *
 * A sequence of records, each a NUL-terminated non-empty name, a
 * 4-byte big-endian length and that many bytes of value. */

/* Bytes one record takes, for a name of name_len bytes (without its
 * NUL) and a value of value_len bytes. */
#define XATTR_RECORD_SIZE(name_len, value_len) ((name_len) + 5 + (value_len))

/* A growing packed block (start with all fields zero). */
struct xattr_packer {
  char *buf;
  size_t len, cap;
};

/* Append one record.  0, or -1 (errno ENOMEM, or EINVAL for an empty
 * name or a value that does not fit the length field). */
extern int xattr_pack (struct xattr_packer *p, const char *name,
                       const void *value, size_t value_len);

/* Walks a packed block without trusting it. */
struct xattr_iter {
  const char *p, *end;
};

extern void xattr_iter_init (struct xattr_iter *it, const char *blk,
                             size_t len);
/* The next record: 1 (name, value and value_len set), 0 at the end, or
 * -1 if the rest of the block is not a record. */
extern int xattr_iter_next (struct xattr_iter *it, const char **name,
                            const char **value, size_t *value_len);

/* Find name in a packed block: 1 found, 0 not, -1 malformed. */
extern int xattrs_find (const char *blk, size_t len, const char *name,
                        const char **value, size_t *value_len);
/* Check a packed block; lists its names (NUL-terminated each) into
 * *names if names is not NULL.  Returns 0, or -1 if malformed (or out
 * of memory). */
extern int xattrs_names (const char *blk, size_t len, char **names,
                         size_t *names_len);

/* ---- Handle lists: 8-byte big-endian handles, back to back ---- */

#define HANDLE_LIST_ITEM 8

/* A list of n handles (malloc'd, n * HANDLE_LIST_ITEM bytes), or NULL. */
extern char *handle_list_pack (const int64_t *handles, size_t n);
/* True if size bytes are a whole number of handles. */
extern bool handle_list_whole (size_t size);
/* The number of whole handles in size bytes (a trailing partial one
 * does not count). */
extern size_t handle_list_count (size_t size);
/* Handle i of a list (i < handle_list_count). */
extern int64_t handle_list_get (const char *list, size_t i);

#endif
