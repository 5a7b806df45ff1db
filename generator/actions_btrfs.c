/* btrfs: filesystems, devices, subvolumes, quotas, balance and scrub,
 * beyond the subvolume calls of actions_devices.c.
 *
 * Procedure numbers 1200-1299: stable, append-only.
 *   1200-1209  filesystems: mkfs, resize, sync, show, defragment
 *   1210-1219  devices: add, delete, replace, seeding, btrfstune
 *   1220-1229  subvolumes: snapshot, default, show
 *   1230-1239  quotas and quota groups
 *   1240-1249  balance and scrub
 *   1250-1259  checking and rescue: fsck, rescue, image
 *
 * The btrfs tools run in the appliance, which parses their output and
 * sends structures back.  A guest path argument names a directory (or
 * file) on a mounted btrfs filesystem; one that is on another
 * filesystem fails with C<EINVAL>.
 */
#include "generator.h"

/* The paragraph of every action taking a guest path on a mounted btrfs
 * filesystem. */
#define ON_BTRFS_DOC                                                         \
  "A path that is not on a btrfs filesystem fails with C<EINVAL>, one "      \
  "that does not exist with C<ENOENT>."

/* The quota group calls on a filesystem without quotas. */
#define QUOTAS_OFF_DOC                                                       \
  "On a filesystem without quotas, this fails with C<ENOTSUP>."

#define FS_OR_MOUNTABLE_DOC                                                  \
  "C<fs> is a guest directory on a mounted btrfs filesystem, or a "          \
  "mountable (C</dev/...> or C<btrfsvol:...>), which is then mounted in a "  \
  "private directory for the time of the call."

const struct action actions_btrfs[] = {
  /* ---- Filesystems ---- */
  { .name = "mkfs_btrfs", .proc = 1200, .ret = R_ERR,
    .args = { { A_DEVICELIST, "devices" } },
    .optargs = { { O_INT64, "allocstart" }, { O_INT64, "bytecount" },
                 { O_STRING, "datatype" }, { O_INT, "leafsize" },
                 { O_STRING, "label" }, { O_STRING, "metadata" },
                 { O_INT, "nodesize" }, { O_INT, "sectorsize" } },
    .group = "btrfs",
    .shortdesc = "create a btrfs filesystem",
    .doc = "Create a btrfs filesystem spanning C<devices> (a non-empty "
           "list), with the settings of L<mkfs.btrfs(8)>: C<bytecount> (the "
           "size used on each device), C<datatype> and C<metadata> (the "
           "profiles: C<single>, C<dup>, C<raid0>, C<raid1> or C<raid10>), "
           "C<label>, and C<leafsize>, C<nodesize> and C<sectorsize> (powers "
           "of two).  C<allocstart> is accepted and ignored, as the tool no "
           "longer has it.  Whatever the devices held before is "
           "overwritten.  A bad value fails with C<EINVAL>.\n\n"
           "To create other filesystems, use C<guestfs_mkfs>." },
  { .name = "btrfs_filesystem_resize", .proc = 1201, .ret = R_ERR,
    .args = { { A_PATHNAME, "mountpoint" } },
    .optargs = { { O_INT64, "size" } },
    .group = "btrfs",
    .shortdesc = "resize a btrfs filesystem",
    .doc = "Resize the btrfs filesystem mounted at C<mountpoint> to C<size> "
           "bytes, or, without C<size>, to the whole of its device.  Unlike "
           "the other resize calls, the filesystem has to be mounted (btrfs "
           "itself requires it).  A C<size> of zero or less fails with "
           "C<EINVAL>.  " ON_BTRFS_DOC "\n\nSee also L<btrfs(8)>." },
  { .name = "btrfs_filesystem_sync", .proc = 1202, .ret = R_ERR,
    .args = { { A_PATHNAME, "fs" } },
    .group = "btrfs",
    .shortdesc = "sync a btrfs filesystem",
    .doc = "Force a sync of the btrfs filesystem mounted at C<fs>.  "
           ON_BTRFS_DOC },
  { .name = "btrfs_filesystem_show", .proc = 1203, .ret = R_STRINGLIST,
    .ret_devices = RD_ALL,
    .args = { { A_DEVICE, "device" } },
    .group = "btrfs",
    .shortdesc = "list devices for btrfs filesystem",
    .doc = "Return the devices that the btrfs filesystem on C<device> spans, "
           "in the order of their btrfs device IDs.\n\n"
           "If some of its devices are missing, this fails with C<ENODEV>; "
           "if C<device> holds no btrfs filesystem, with C<EINVAL>." },
  { .name = "btrfs_filesystem_defragment", .proc = 1204, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .optargs = { { O_BOOL, "flush" }, { O_STRING, "compress" } },
    .group = "btrfs",
    .shortdesc = "defragment a file or directory",
    .doc = "Defragment the file C<path>, or every file under the directory "
           "C<path>, on a btrfs filesystem.  With C<flush>, the data is "
           "flushed after each file.  C<compress> (C<zlib>, C<lzo> or "
           "C<zstd>) compresses the data as it is rewritten; another value "
           "fails with C<EINVAL>.  " ON_BTRFS_DOC },
  { .name = "btrfs_filesystem_balance", .proc = 1205, .ret = R_ERR,
    .args = { { A_PATHNAME, "fs" } },
    .group = "btrfs",
    .shortdesc = "balance a btrfs filesystem",
    .doc = "Balance the chunks of the btrfs filesystem mounted at C<fs> "
           "across its devices (a full balance), and return when it is "
           "done.  " ON_BTRFS_DOC },

  /* ---- Devices ---- */
  { .name = "btrfs_device_add", .proc = 1210, .ret = R_ERR,
    .args = { { A_DEVICELIST, "devices" }, { A_PATHNAME, "fs" } },
    .group = "btrfs",
    .shortdesc = "add devices to a btrfs filesystem",
    .doc = "Add C<devices> to the btrfs filesystem mounted at C<fs>.  "
           "Whatever they held before is overwritten.  If C<devices> is an "
           "empty list, this does nothing.  " ON_BTRFS_DOC },
  { .name = "btrfs_device_delete", .proc = 1211, .ret = R_ERR,
    .args = { { A_DEVICELIST, "devices" }, { A_PATHNAME, "fs" } },
    .group = "btrfs",
    .shortdesc = "remove devices from a btrfs filesystem",
    .doc = "Remove C<devices> from the btrfs filesystem mounted at C<fs>, "
           "moving their data to the other devices first.  If C<devices> "
           "is an empty list, this does nothing.  " ON_BTRFS_DOC },
  { .name = "btrfs_replace", .proc = 1212, .ret = R_ERR,
    .args = { { A_DEVICE, "srcdev" }, { A_DEVICE, "targetdev" },
              { A_PATHNAME, "mntpoint" } },
    .group = "btrfs",
    .shortdesc = "replace a btrfs managed device with another device",
    .doc = "Replace the device C<srcdev> of the btrfs filesystem mounted at "
           "C<mntpoint> by C<targetdev>: the data stored on C<srcdev> is "
           "copied to C<targetdev>, then C<srcdev> is wiped and removed from "
           "the filesystem.  The call returns when the copy is done.\n\n"
           "C<targetdev> must be at least as large as C<srcdev>, and must "
           "not be mounted.  " ON_BTRFS_DOC },
  { .name = "btrfs_set_seeding", .proc = 1213, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_BOOL, "seeding" } },
    .group = "btrfs",
    .shortdesc = "enable or disable the seeding feature of device",
    .doc = "Enable or disable the seeding feature of the btrfs filesystem on "
           "the unmounted C<device>.  A seeding filesystem is mounted "
           "read-only; a new device added to it makes a writable filesystem "
           "based on it." },
  { .name = "btrfstune_seeding", .proc = 1214, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_BOOL, "seeding" } },
    .group = "btrfs",
    .shortdesc = "enable or disable seeding of a btrfs device",
    .doc = "Like C<guestfs_btrfs_set_seeding>: enable seeding of the btrfs "
           "filesystem on C<device>, which forces it read-only so that it "
           "can be the base of other filesystems, or disable it." },
  { .name = "btrfstune_enable_extended_inode_refs", .proc = 1215,
    .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "btrfs",
    .shortdesc = "enable extended inode refs",
    .doc = "Enable extended inode references (more hard links to a file in "
           "one directory) on the btrfs filesystem on the unmounted "
           "C<device>." },
  { .name = "btrfstune_enable_skinny_metadata_extent_refs", .proc = 1216,
    .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "btrfs",
    .shortdesc = "enable skinny metadata extent refs",
    .doc = "Enable skinny metadata extent references (smaller metadata) on "
           "the btrfs filesystem on the unmounted C<device>." },

  /* ---- Subvolumes ---- */
  { .name = "btrfs_subvolume_snapshot", .proc = 1220, .ret = R_ERR,
    .args = { { A_PATHNAME, "source" }, { A_PATHNAME, "dest" } },
    .optargs = { { O_BOOL, "ro" }, { O_STRING, "qgroupid" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .group = "btrfs",
    .shortdesc = "create a btrfs snapshot",
    .doc = "Create a snapshot of the btrfs subvolume C<source>.  C<dest> is "
           "the new name, in a directory of the same filesystem "
           "(F</path/to/dest/name>).  The snapshot is writable, or read-only "
           "if C<ro> is true; with C<qgroupid> it is added to that quota "
           "group.  " ON_BTRFS_DOC },
  { .name = "btrfs_subvolume_set_default", .proc = 1221, .ret = R_ERR,
    .args = { { A_INT64, "id" }, { A_PATHNAME, "fs" } },
    .group = "btrfs",
    .shortdesc = "set default btrfs subvolume",
    .doc = "Set the subvolume of the btrfs filesystem mounted at C<fs> that "
           "is mounted when no subvolume is named, by its ID (see "
           "C<guestfs_btrfs_subvolume_list>; 5 is the top of the "
           "filesystem).  " ON_BTRFS_DOC },
  { .name = "btrfs_subvolume_get_default", .proc = 1222, .ret = R_INT64,
    .args = { { A_STRING, "fs" } },
    .group = "btrfs",
    .shortdesc = "get the default subvolume or snapshot of a filesystem",
    .doc = "Return the ID of the default subvolume or snapshot of a btrfs "
           "filesystem (5, the top of the filesystem, unless "
           "C<guestfs_btrfs_subvolume_set_default> changed it).  "
           FS_OR_MOUNTABLE_DOC },
  { .name = "btrfs_subvolume_show", .proc = 1223, .ret = R_HASHTABLE,
    .args = { { A_PATHNAME, "subvolume" } },
    .group = "btrfs",
    .shortdesc = "return detailed information of the subvolume",
    .doc = "Return what btrfs knows of the subvolume C<subvolume>, as pairs "
           "of L<btrfs-subvolume(8)>'s keys and values: C<path> (from the "
           "top of the filesystem), C<Name>, C<UUID>, C<Parent UUID>, "
           "C<Creation time>, C<Subvolume ID>, C<Generation>, C<Parent ID>, "
           "C<Top level ID>, C<Flags>, C<Snapshot(s)> (a comma-separated "
           "list) and whatever else the tool reports.  A value of C<-> is "
           "given as an empty string.\n\n"
           "A directory that is not a subvolume fails with C<EINVAL>.  "
           ON_BTRFS_DOC },

  /* ---- Quotas ---- */
  { .name = "btrfs_quota_enable", .proc = 1230, .ret = R_ERR,
    .args = { { A_STRING, "fs" }, { A_BOOL, "enable" } },
    .group = "btrfs",
    .shortdesc = "enable or disable subvolume quota support",
    .doc = "Enable or disable subvolume quotas on a btrfs filesystem.  "
           FS_OR_MOUNTABLE_DOC },
  { .name = "btrfs_quota_rescan", .proc = 1231, .ret = R_ERR,
    .args = { { A_STRING, "fs" } },
    .group = "btrfs",
    .shortdesc = "trash all qgroup numbers and scan the metadata again with "
                 "the current config",
    .doc = "Recount the usage of every quota group of a btrfs filesystem "
           "with quotas enabled, and return when it is done.  "
           FS_OR_MOUNTABLE_DOC 
    "  " QUOTAS_OFF_DOC },
  { .name = "btrfs_qgroup_limit", .proc = 1232, .ret = R_ERR,
    .args = { { A_PATHNAME, "subvolume" }, { A_INT64, "size" } },
    .group = "btrfs",
    .shortdesc = "limit the size of a subvolume",
    .doc = "Limit the data referenced by the subvolume C<subvolume> to "
           "C<size> bytes (quotas must be enabled).  A negative C<size> "
           "fails with C<EINVAL>.  " ON_BTRFS_DOC 
    "  " QUOTAS_OFF_DOC },
  { .name = "btrfs_qgroup_create", .proc = 1233, .ret = R_ERR,
    .args = { { A_STRING, "qgroupid" }, { A_PATHNAME, "subvolume" } },
    .group = "btrfs",
    .shortdesc = "create a subvolume quota group",
    .doc = "Create the quota group C<qgroupid> (C<LEVEL/ID>, as C<1/100>) "
           "on the filesystem of C<subvolume>.  A C<qgroupid> of another "
           "form fails with C<EINVAL>.  " ON_BTRFS_DOC 
    "  " QUOTAS_OFF_DOC },
  { .name = "btrfs_qgroup_destroy", .proc = 1234, .ret = R_ERR,
    .args = { { A_STRING, "qgroupid" }, { A_PATHNAME, "subvolume" } },
    .group = "btrfs",
    .shortdesc = "destroy a subvolume quota group",
    .doc = "Destroy the quota group C<qgroupid> of the filesystem of "
           "C<subvolume>.  " ON_BTRFS_DOC 
    "  " QUOTAS_OFF_DOC },
  { .name = "btrfs_qgroup_show", .proc = 1235, .ret = R_STRUCTLIST,
    .ret_struct = "btrfsqgroup",
    .args = { { A_PATHNAME, "path" } },
    .group = "btrfs",
    .shortdesc = "show subvolume quota groups",
    .doc = "Return the quota groups of the btrfs filesystem of C<path>, "
           "with the bytes each references and the bytes it alone holds "
           "(exclusive).  Quotas must be enabled.  " ON_BTRFS_DOC 
    "  " QUOTAS_OFF_DOC },
  { .name = "btrfs_qgroup_assign", .proc = 1236, .ret = R_ERR,
    .args = { { A_STRING, "src" }, { A_STRING, "dst" },
              { A_PATHNAME, "path" } },
    .group = "btrfs",
    .shortdesc = "add a qgroup to a parent qgroup",
    .doc = "Make the quota group C<src> a member of the quota group C<dst> "
           "(of a higher level), so that they share its limit.  "
           ON_BTRFS_DOC 
    "  " QUOTAS_OFF_DOC },
  { .name = "btrfs_qgroup_remove", .proc = 1237, .ret = R_ERR,
    .args = { { A_STRING, "src" }, { A_STRING, "dst" },
              { A_PATHNAME, "path" } },
    .group = "btrfs",
    .shortdesc = "remove a qgroup from its parent qgroup",
    .doc = "Remove the quota group C<src> from its parent C<dst>.  "
           ON_BTRFS_DOC 
    "  " QUOTAS_OFF_DOC },

  /* ---- Balance and scrub ---- */
  { .name = "btrfs_balance_pause", .proc = 1240, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .group = "btrfs",
    .shortdesc = "pause a running balance",
    .doc = "Pause the balance running on the btrfs filesystem of C<path>.  "
           "Since C<guestfs_btrfs_filesystem_balance> returns only when its "
           "balance is done, a balance to pause is one that the kernel "
           "resumed when the filesystem was mounted; with none, this fails "
           "with C<ENOENT>.  " ON_BTRFS_DOC },
  { .name = "btrfs_balance_cancel", .proc = 1241, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .group = "btrfs",
    .shortdesc = "cancel a running or paused balance",
    .doc = "Cancel the balance running or paused on the btrfs filesystem of "
           "C<path>.  With none, this fails with C<ENOENT>.  " ON_BTRFS_DOC },
  { .name = "btrfs_balance_resume", .proc = 1242, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .group = "btrfs",
    .shortdesc = "resume a paused balance",
    .doc = "Resume the balance paused on the btrfs filesystem of C<path>, "
           "and return when it is done.  With none, this fails with "
           "C<ENOENT>.  " ON_BTRFS_DOC },
  { .name = "btrfs_balance_status", .proc = 1243, .ret = R_STRUCT,
    .ret_struct = "btrfsbalance",
    .args = { { A_PATHNAME, "path" } },
    .group = "btrfs",
    .shortdesc = "show the status of a running or paused balance",
    .doc = "Return the state of the balance of the btrfs filesystem of "
           "C<path>: C<btrfsbalance_status> is C<running>, C<paused> or "
           "C<none>; for a running or paused balance, the other fields count "
           "the chunks balanced, considered and in all, and the percentage "
           "left.  " ON_BTRFS_DOC },
  { .name = "btrfs_scrub_start", .proc = 1244, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .group = "btrfs",
    .shortdesc = "read all data from all disks and verify checksums",
    .doc = "Read all the data and metadata of the btrfs filesystem of "
           "C<path>, check them against their checksums and repair what "
           "can be repaired from another copy.  The call returns when the "
           "scrub is done; C<guestfs_btrfs_scrub_status> then reports what "
           "it found.  " ON_BTRFS_DOC },
  { .name = "btrfs_scrub_cancel", .proc = 1245, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .group = "btrfs",
    .shortdesc = "cancel a running scrub",
    .doc = "Cancel the scrub running on the btrfs filesystem of C<path>.  "
           "Since C<guestfs_btrfs_scrub_start> returns only when its scrub "
           "is done, there is none to cancel in this appliance, and this "
           "fails with C<ENOENT>.  " ON_BTRFS_DOC },
  { .name = "btrfs_scrub_resume", .proc = 1246, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .group = "btrfs",
    .shortdesc = "resume a previously canceled or interrupted scrub",
    .doc = "Resume a cancelled or interrupted scrub of the btrfs filesystem "
           "of C<path>, and return when it is done.  With none to resume, "
           "this fails with C<ENOENT>.  " ON_BTRFS_DOC },
  { .name = "btrfs_scrub_status", .proc = 1247, .ret = R_STRUCT,
    .ret_struct = "btrfsscrub",
    .args = { { A_PATHNAME, "path" } },
    .group = "btrfs",
    .shortdesc = "show status of running or finished scrub",
    .doc = "Return the counters of the last scrub of the btrfs filesystem "
           "of C<path> (all zero if there was none): extents and bytes "
           "scrubbed, and errors found and corrected.  " ON_BTRFS_DOC },

  /* ---- Checking and rescue ---- */
  { .name = "btrfs_fsck", .proc = 1250, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .optargs = { { O_INT64, "superblock" }, { O_BOOL, "repair" } },
    .group = "btrfs",
    .shortdesc = "check a btrfs filesystem",
    .doc = "Check the btrfs filesystem on the unmounted C<device>, using the "
           "superblock copy C<superblock> (0, 1 or 2) if given, and repair "
           "it if C<repair> is true.  A filesystem with errors fails with "
           "C<EIO>; a negative C<superblock> with C<EINVAL>." },
  { .name = "btrfs_rescue_chunk_recover", .proc = 1251, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "btrfs",
    .shortdesc = "recover the chunk tree of btrfs filesystem",
    .doc = "Rebuild the chunk tree of the btrfs filesystem on the unmounted "
           "C<device> by scanning its devices one by one." },
  { .name = "btrfs_rescue_super_recover", .proc = 1252, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "btrfs",
    .shortdesc = "recover bad superblocks from good copies",
    .doc = "Overwrite the bad superblocks of the btrfs filesystem on the "
           "unmounted C<device> with a good copy." },
  { .name = "btrfs_image", .proc = 1253, .ret = R_ERR,
    .args = { { A_DEVICELIST, "source" }, { A_PATHNAME, "image" } },
    .optargs = { { O_INT, "compresslevel" } },
    .group = "btrfs",
    .shortdesc = "create an image of a btrfs filesystem",
    .doc = "Write an image of the btrfs filesystem on the unmounted devices "
           "C<source> (a non-empty list) to the guest file C<image>: its "
           "metadata, with all file data zeroed, for debugging.  "
           "C<compresslevel> (0 to 9) compresses it.  An empty list or a "
           "level out of range fails with C<EINVAL>." },

  { .name = NULL },
};
