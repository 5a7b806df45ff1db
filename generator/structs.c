/* Structures returned by actions (R_STRUCT and R_STRUCTLIST).
 *
 * Each becomes struct guestfs_NAME and struct guestfs_NAME_list in
 * guestfs.h, an XDR struct guestfs_int_NAME with the same layout, and
 * guestfs_free_NAME / guestfs_free_NAME_list.  Append fields only at
 * the end: the layout is ABI.
 */
#include "generator.h"

const struct api_struct api_structs[] = {
  { .name = "int_bool",
    .fields = { { F_INT32, "i" }, { F_INT32, "b" } },
    .doc = "An integer and a boolean." },

  { .name = "version",
    .fields = { { F_INT64, "major" }, { F_INT64, "minor" },
                { F_INT64, "release" }, { F_STRING, "extra" } },
    .doc = "A version number: major.minor.release plus a free-form "
           "extra string." },

  { .name = "statns",
    .fields = { { F_INT64, "st_dev" }, { F_INT64, "st_ino" },
                { F_INT64, "st_mode" }, { F_INT64, "st_nlink" },
                { F_INT64, "st_uid" }, { F_INT64, "st_gid" },
                { F_INT64, "st_rdev" }, { F_INT64, "st_size" },
                { F_INT64, "st_blksize" }, { F_INT64, "st_blocks" },
                { F_INT64, "st_atime_sec" }, { F_INT64, "st_atime_nsec" },
                { F_INT64, "st_mtime_sec" }, { F_INT64, "st_mtime_nsec" },
                { F_INT64, "st_ctime_sec" }, { F_INT64, "st_ctime_nsec" },
                { F_INT64, "st_spare1" }, { F_INT64, "st_spare2" },
                { F_INT64, "st_spare3" }, { F_INT64, "st_spare4" },
                { F_INT64, "st_spare5" }, { F_INT64, "st_spare6" } },
    .doc = "File status with nanosecond times, as lstat(2) gives it.  "
           "In a list, an entry whose C<st_ino> is -1 stands for a "
           "name that could not be examined." },

  { .name = "dirent",
    .fields = { { F_INT64, "ino" }, { F_CHAR, "ftyp" },
                { F_STRING, "name" } },
    .doc = "A directory entry.  C<ftyp> is one of C<b> (block device), "
           "C<c> (character device), C<d> (directory), C<f> (FIFO), "
           "C<l> (symbolic link), C<r> (regular file), C<s> (socket), "
           "C<u> (unknown) or C<?> (could not be determined)." },

  { .name = "xattr",
    .fields = { { F_STRING, "attrname" }, { F_BUFFER, "attrval" } },
    .doc = "An extended attribute: its name and its value (binary)." },

  { .name = "statvfs",
    .fields = { { F_INT64, "bsize" }, { F_INT64, "frsize" },
                { F_INT64, "blocks" }, { F_INT64, "bfree" },
                { F_INT64, "bavail" }, { F_INT64, "files" },
                { F_INT64, "ffree" }, { F_INT64, "favail" },
                { F_INT64, "fsid" }, { F_INT64, "flag" },
                { F_INT64, "namemax" } },
    .doc = "Filesystem statistics, as statvfs(3) gives them." },

  { .name = NULL },
};
