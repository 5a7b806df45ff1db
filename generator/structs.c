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
   * pvs/vgs/lvs; sizes are in bytes.  UUIDs are libguestfs's 32 bytes
   * without dashes and without a terminating NUL. */
  { .name = "lvm_pv",
    .fields = { { F_STRING, "pv_name" }, { F_UUID, "pv_uuid" },
                { F_STRING, "pv_fmt" }, { F_UINT64, "pv_size" },
                { F_UINT64, "dev_size" }, { F_UINT64, "pv_free" },
                { F_UINT64, "pv_used" }, { F_STRING, "pv_attr" },
                { F_INT64, "pv_pe_count" }, { F_INT64, "pv_pe_alloc_count" },
                { F_STRING, "pv_tags" }, { F_UINT64, "pe_start" },
                { F_INT64, "pv_mda_count" }, { F_UINT64, "pv_mda_free" } },
    .doc = "An LVM physical volume." },

  { .name = "lvm_vg",
    .fields = { { F_STRING, "vg_name" }, { F_UUID, "vg_uuid" },
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
    .fields = { { F_STRING, "lv_name" }, { F_UUID, "lv_uuid" },
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

  /* libguestfs 1.48's other structures, field for field. */
  { .name = "application",
    .fields = { { F_STRING, "app_name" }, { F_STRING, "app_display_name" },
                { F_INT32, "app_epoch" }, { F_STRING, "app_version" },
                { F_STRING, "app_release" },
                { F_STRING, "app_install_path" },
                { F_STRING, "app_trans_path" },
                { F_STRING, "app_publisher" }, { F_STRING, "app_url" },
                { F_STRING, "app_source_package" },
                { F_STRING, "app_summary" }, { F_STRING, "app_description" } },
    .doc = "An installed application (see C<guestfs_inspect_list_applications>)." },

  { .name = "application2",
    .fields = { { F_STRING, "app2_name" }, { F_STRING, "app2_display_name" },
                { F_INT32, "app2_epoch" }, { F_STRING, "app2_version" },
                { F_STRING, "app2_release" }, { F_STRING, "app2_arch" },
                { F_STRING, "app2_install_path" },
                { F_STRING, "app2_trans_path" },
                { F_STRING, "app2_publisher" }, { F_STRING, "app2_url" },
                { F_STRING, "app2_source_package" },
                { F_STRING, "app2_summary" },
                { F_STRING, "app2_description" },
                { F_STRING, "app2_spare1" }, { F_STRING, "app2_spare2" },
                { F_STRING, "app2_spare3" }, { F_STRING, "app2_spare4" } },
    .doc = "An installed application (see C<guestfs_inspect_list_applications2>): name, epoch, version, release, architecture and descriptions as the package database has them." },

  { .name = "btrfsbalance",
    .fields = { { F_STRING, "btrfsbalance_status" },
                { F_UINT64, "btrfsbalance_total" },
                { F_UINT64, "btrfsbalance_balanced" },
                { F_UINT64, "btrfsbalance_considered" },
                { F_UINT64, "btrfsbalance_left" } },
    .doc = "The status of a btrfs balance." },

  { .name = "btrfsqgroup",
    .fields = { { F_STRING, "btrfsqgroup_id" },
                { F_UINT64, "btrfsqgroup_rfer" },
                { F_UINT64, "btrfsqgroup_excl" } },
    .doc = "A btrfs quota group." },

  { .name = "btrfsscrub",
    .fields = { { F_UINT64, "btrfsscrub_data_extents_scrubbed" },
                { F_UINT64, "btrfsscrub_tree_extents_scrubbed" },
                { F_UINT64, "btrfsscrub_data_bytes_scrubbed" },
                { F_UINT64, "btrfsscrub_tree_bytes_scrubbed" },
                { F_UINT64, "btrfsscrub_read_errors" },
                { F_UINT64, "btrfsscrub_csum_errors" },
                { F_UINT64, "btrfsscrub_verify_errors" },
                { F_UINT64, "btrfsscrub_no_csum" },
                { F_UINT64, "btrfsscrub_csum_discards" },
                { F_UINT64, "btrfsscrub_super_errors" },
                { F_UINT64, "btrfsscrub_malloc_errors" },
                { F_UINT64, "btrfsscrub_uncorrectable_errors" },
                { F_UINT64, "btrfsscrub_unverified_errors" },
                { F_UINT64, "btrfsscrub_corrected_errors" },
                { F_UINT64, "btrfsscrub_last_physical" } },
    .doc = "The status of a btrfs scrub." },

  { .name = "hivex_node",
    .fields = { { F_INT64, "hivex_node_h" } },
    .doc = "A node handle of the hivex API." },

  { .name = "hivex_value",
    .fields = { { F_INT64, "hivex_value_h" } },
    .doc = "A value handle of the hivex API." },

  { .name = "inotify_event",
    .fields = { { F_INT64, "in_wd" }, { F_UINT32, "in_mask" },
                { F_UINT32, "in_cookie" }, { F_STRING, "in_name" } },
    .doc = "An inotify event." },

  { .name = "isoinfo",
    .fields = { { F_STRING, "iso_system_id" }, { F_STRING, "iso_volume_id" },
                { F_UINT32, "iso_volume_space_size" },
                { F_UINT32, "iso_volume_set_size" },
                { F_UINT32, "iso_volume_sequence_number" },
                { F_UINT32, "iso_logical_block_size" },
                { F_STRING, "iso_volume_set_id" },
                { F_STRING, "iso_publisher_id" },
                { F_STRING, "iso_data_preparer_id" },
                { F_STRING, "iso_application_id" },
                { F_STRING, "iso_copyright_file_id" },
                { F_STRING, "iso_abstract_file_id" },
                { F_STRING, "iso_bibliographic_file_id" },
                { F_INT64, "iso_volume_creation_t" },
                { F_INT64, "iso_volume_modification_t" },
                { F_INT64, "iso_volume_expiration_t" },
                { F_INT64, "iso_volume_effective_t" } },
    .doc = "The primary volume descriptor of an ISO image." },

  { .name = "mdstat",
    .fields = { { F_STRING, "mdstat_device" }, { F_INT32, "mdstat_index" },
                { F_STRING, "mdstat_flags" } },
    .doc = "A device of an MD array." },

  { .name = "stat",
    .fields = { { F_INT64, "dev" }, { F_INT64, "ino" }, { F_INT64, "mode" },
                { F_INT64, "nlink" }, { F_INT64, "uid" }, { F_INT64, "gid" },
                { F_INT64, "rdev" }, { F_INT64, "size" },
                { F_INT64, "blksize" }, { F_INT64, "blocks" },
                { F_INT64, "atime" }, { F_INT64, "mtime" },
                { F_INT64, "ctime" } },
    .doc = "File status as stat(2) gives it, with times in seconds (see C<guestfs_statns>)." },

  { .name = "tsk_dirent",
    .fields = { { F_UINT64, "tsk_inode" }, { F_CHAR, "tsk_type" },
                { F_INT64, "tsk_size" }, { F_STRING, "tsk_name" },
                { F_UINT32, "tsk_flags" }, { F_INT64, "tsk_atime_sec" },
                { F_INT64, "tsk_atime_nsec" }, { F_INT64, "tsk_mtime_sec" },
                { F_INT64, "tsk_mtime_nsec" }, { F_INT64, "tsk_ctime_sec" },
                { F_INT64, "tsk_ctime_nsec" }, { F_INT64, "tsk_crtime_sec" },
                { F_INT64, "tsk_crtime_nsec" }, { F_INT64, "tsk_nlink" },
                { F_STRING, "tsk_link" }, { F_INT64, "tsk_spare1" } },
    .doc = "A directory entry found by The Sleuth Kit." },

  { .name = "utsname",
    .fields = { { F_STRING, "uts_sysname" }, { F_STRING, "uts_release" },
                { F_STRING, "uts_version" }, { F_STRING, "uts_machine" } },
    .doc = "The kernel of the appliance, as uname(2) gives it." },

  { .name = "xfsinfo",
    .fields = { { F_STRING, "xfs_mntpoint" }, { F_UINT32, "xfs_inodesize" },
                { F_UINT32, "xfs_agcount" }, { F_UINT32, "xfs_agsize" },
                { F_UINT32, "xfs_sectsize" }, { F_UINT32, "xfs_attr" },
                { F_UINT32, "xfs_blocksize" },
                { F_UINT64, "xfs_datablocks" }, { F_UINT32, "xfs_imaxpct" },
                { F_UINT32, "xfs_sunit" }, { F_UINT32, "xfs_swidth" },
                { F_UINT32, "xfs_dirversion" },
                { F_UINT32, "xfs_dirblocksize" }, { F_UINT32, "xfs_cimode" },
                { F_STRING, "xfs_logname" },
                { F_UINT32, "xfs_logblocksize" },
                { F_UINT32, "xfs_logblocks" },
                { F_UINT32, "xfs_logversion" },
                { F_UINT32, "xfs_logsectsize" },
                { F_UINT32, "xfs_logsunit" }, { F_UINT32, "xfs_lazycount" },
                { F_STRING, "xfs_rtname" }, { F_UINT32, "xfs_rtextsize" },
                { F_UINT64, "xfs_rtblocks" }, { F_UINT64, "xfs_rtextents" } },
    .doc = "The geometry of an XFS filesystem." },

  { .name = "yara_detection",
    .fields = { { F_STRING, "yara_name" }, { F_STRING, "yara_rule" } },
    .doc = "A Yara rule matching a file." },

  { .name = "internal_mountable",
    .fields = { { F_INT32, "im_type" }, { F_STRING, "im_device" },
                { F_STRING, "im_volume" } },
    .doc = "A mountable parsed by the library: device or btrfs subvolume." },

  { .name = NULL },
};
