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

  { .name = "fuse_entry",
    .fields = { { F_STRING, "name" }, { F_INT64, "cookie" },
                { F_INT64, "handle" }, { F_INT32, "err" },
                { F_INT32, "flags" },
                { F_INT64, "st_dev" }, { F_INT64, "st_ino" },
                { F_INT64, "st_mode" }, { F_INT64, "st_nlink" },
                { F_INT64, "st_uid" }, { F_INT64, "st_gid" },
                { F_INT64, "st_rdev" }, { F_INT64, "st_size" },
                { F_INT64, "st_blksize" }, { F_INT64, "st_blocks" },
                { F_INT64, "st_atime_sec" }, { F_INT64, "st_atime_nsec" },
                { F_INT64, "st_mtime_sec" }, { F_INT64, "st_mtime_nsec" },
                { F_INT64, "st_ctime_sec" }, { F_INT64, "st_ctime_nsec" },
                { F_STRING, "link" }, { F_BUFFER, "xattrs" },
                { F_BUFFER, "data" } },
    .doc = "A file's status, symbolic link target and extended attributes "
           "in one record: what the C<fuse_*> calls return.  C<name> is "
           "the entry's name in a directory listing (empty elsewhere); "
           "C<cookie> is where a listing resumes after this entry; "
           "C<handle> is the open-file handle of C<guestfs_fuse_open>; "
           "C<err> is the Linux errno of a listed name that could not be "
           "examined (its other fields are then zero).  C<flags> bit 0 "
           "(1) marks the end of a directory, bit 1 (2) says that "
           "C<xattrs> holds every extended attribute.  C<link> is the "
           "target of a symbolic link as stored.  C<xattrs> is a sequence "
           "of records, each a NUL-terminated name, a 4-byte big-endian "
           "length and that many bytes of value.  C<data> is the start "
           "of the file's contents (C<guestfs_fuse_open> with "
           "C<prefetch>)." },

  { .name = "partition",
    .fields = { { F_INT32, "part_num" }, { F_UINT64, "part_start" },
                { F_UINT64, "part_end" }, { F_UINT64, "part_size" } },
    .doc = "A partition table entry: its number and its start, end "
           "(included) and size in bytes." },

  /* The LVM structures have the fields and order of the reports of
   * pvs/vgs/lvs; sizes are in bytes.  UUIDs are strings. */
  { .name = "lvm_pv",
    .fields = { { F_STRING, "pv_name" }, { F_STRING, "pv_uuid" },
                { F_STRING, "pv_fmt" }, { F_UINT64, "pv_size" },
                { F_UINT64, "dev_size" }, { F_UINT64, "pv_free" },
                { F_UINT64, "pv_used" }, { F_STRING, "pv_attr" },
                { F_INT64, "pv_pe_count" }, { F_INT64, "pv_pe_alloc_count" },
                { F_STRING, "pv_tags" }, { F_UINT64, "pe_start" },
                { F_INT64, "pv_mda_count" }, { F_UINT64, "pv_mda_free" } },
    .doc = "An LVM physical volume." },

  { .name = "lvm_vg",
    .fields = { { F_STRING, "vg_name" }, { F_STRING, "vg_uuid" },
                { F_STRING, "vg_fmt" }, { F_STRING, "vg_attr" },
                { F_UINT64, "vg_size" }, { F_UINT64, "vg_free" },
                { F_STRING, "vg_sysid" }, { F_UINT64, "vg_extent_size" },
                { F_INT64, "vg_extent_count" }, { F_INT64, "vg_free_count" },
                { F_INT64, "max_lv" }, { F_INT64, "max_pv" },
                { F_INT64, "pv_count" }, { F_INT64, "lv_count" },
                { F_INT64, "snap_count" }, { F_INT64, "vg_seqno" },
                { F_STRING, "vg_tags" }, { F_INT64, "vg_mda_count" },
                { F_UINT64, "vg_mda_free" } },
    .doc = "An LVM volume group." },

  { .name = "lvm_lv",
    .fields = { { F_STRING, "lv_name" }, { F_STRING, "lv_uuid" },
                { F_STRING, "lv_attr" }, { F_INT64, "lv_major" },
                { F_INT64, "lv_minor" }, { F_INT64, "lv_kernel_major" },
                { F_INT64, "lv_kernel_minor" }, { F_UINT64, "lv_size" },
                { F_INT64, "seg_count" }, { F_STRING, "origin" },
                { F_PERCENT, "snap_percent" }, { F_PERCENT, "copy_percent" },
                { F_STRING, "move_pv" }, { F_STRING, "lv_tags" },
                { F_STRING, "mirror_log" }, { F_STRING, "modules" } },
    .doc = "An LVM logical volume.  C<snap_percent> and C<copy_percent> "
           "are -1 where they do not apply." },

  { .name = "btrfssubvolume",
    .fields = { { F_UINT64, "btrfssubvolume_id" },
                { F_UINT64, "btrfssubvolume_top_level_id" },
                { F_STRING, "btrfssubvolume_path" } },
    .doc = "A btrfs subvolume: its ID, the ID of the subvolume holding it "
           "and its path from the top of the filesystem." },

  { .name = "hivex_node",
    .fields = { { F_INT64, "hivex_node_h" } },
    .doc = "A node (key) of the hive opened with C<guestfs_hivex_open>." },

  { .name = "hivex_value",
    .fields = { { F_INT64, "hivex_value_h" } },
    .doc = "A value of the hive opened with C<guestfs_hivex_open>." },

  { .name = "xfsinfo",
    .fields = { { F_STRING, "xfs_mntpoint" }, { F_UINT32, "xfs_inodesize" },
                { F_UINT32, "xfs_agcount" }, { F_UINT32, "xfs_agsize" },
                { F_UINT32, "xfs_sectsize" }, { F_UINT32, "xfs_attr" },
                { F_UINT32, "xfs_blocksize" }, { F_UINT64, "xfs_datablocks" },
                { F_UINT32, "xfs_imaxpct" }, { F_UINT32, "xfs_sunit" },
                { F_UINT32, "xfs_swidth" }, { F_UINT32, "xfs_dirversion" },
                { F_UINT32, "xfs_dirblocksize" }, { F_UINT32, "xfs_cimode" },
                { F_STRING, "xfs_logname" }, { F_UINT32, "xfs_logblocksize" },
                { F_UINT32, "xfs_logblocks" }, { F_UINT32, "xfs_logversion" },
                { F_UINT32, "xfs_logsectsize" }, { F_UINT32, "xfs_logsunit" },
                { F_UINT32, "xfs_lazycount" }, { F_STRING, "xfs_rtname" },
                { F_UINT32, "xfs_rtextsize" }, { F_UINT64, "xfs_rtblocks" },
                { F_UINT64, "xfs_rtextents" } },
    .doc = "The geometry of an XFS filesystem, as C<xfs_info> shows it.  "
           "A number C<xfs_info> does not show is all ones (-1 cast to the "
           "field's type)." },

  { .name = NULL },
};
