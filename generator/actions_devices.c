/* Devices, partitions, LVM, LUKS, filesystems and mounting.
 *
 * Procedure numbers 300-499: stable, append-only.
 */
#include "generator.h"

#define DEVICE_NAMES_DOC                                                     \
  "Disks are named C</dev/sda>, C</dev/sdb>, ... in the order they were "   \
  "added, whatever the appliance's kernel calls them.  See "                 \
  "L</BLOCK DEVICE NAMING>."

#define MOUNTABLE_DOC                                                        \
  "C<mountable> is a device, or C<btrfsvol:DEVICE/SUBVOLUME> for a btrfs "   \
  "subvolume."

#define MOUNTPOINT_DOC                                                       \
  "C<mountpoint> is a directory in the guest filesystem, resolved inside "   \
  "it like any other path: a symbolic link or C<..> cannot lead outside.  "  \
  "Mounting on C</> mounts the root of the guest filesystem, which must "    \
  "come first."

#define LVM_CHANGES_DOC                                                      \
  "Device nodes (C</dev/VG/LV> and C</dev/mapper/VG-LV>) are in place when " \
  "the call returns."

#define PARTNUM_DOC                                                          \
  "Partitions are numbered from 1; on an MBR disk logical partitions are "   \
  "numbered from 5."

const struct action actions_devices[] = {
  /* ---- Discovery ---- */
  { .name = "list_devices", .proc = 300, .ret = R_STRINGLIST,
    .ret_devices = RD_ALL,
    .shortdesc = "list the block devices",
    .doc = "Return the whole disks added to the handle, sorted so that "
           "C</dev/sdb> comes before C</dev/sdaa>.  The appliance's own disk "
           "is not among them.  " DEVICE_NAMES_DOC },
  { .name = "list_partitions", .proc = 301, .ret = R_STRINGLIST,
    .ret_devices = RD_ALL,
    .shortdesc = "list the partitions",
    .doc = "Return the partitions of every disk, sorted, including MBR "
           "extended partitions.  Logical volumes are not partitions: see "
           "C<guestfs_lvs>.  " DEVICE_NAMES_DOC },
  { .name = "list_filesystems", .proc = 302, .ret = R_HASHTABLE,
    .ret_devices = RD_KEYS,
    .shortdesc = "list filesystems",
    .doc = "Look at every disk, partition, logical volume and other "
           "device-mapper device (such as an opened LUKS device) and return "
           "a table of mountable to filesystem type, as C<guestfs_vfs_type> "
           "reports it.  A device holding no recognisable signature is "
           "listed as C<unknown>; swap and C<crypto_LUKS> devices are "
           "listed too, so not everything here can be mounted.  Partitioned "
           "disks, MBR extended partitions and LVM physical volumes are "
           "left out, being containers rather than filesystems.  Each "
           "subvolume of a btrfs filesystem is listed as well, as "
           "C<btrfsvol:DEVICE/SUBVOLUME>.\n\n"
           "Nothing mounted is disturbed: btrfs filesystems are examined "
           "through a private read-only mount." },
  { .name = "list_dm_devices", .proc = 303, .ret = R_STRINGLIST,
    .ret_devices = RD_ALL,
    .shortdesc = "list device mapper devices",
    .doc = "Return the device-mapper devices, C</dev/mapper/NAME>, sorted, "
           "such as those C<guestfs_luks_open> creates.  Logical volumes "
           "are left out: see C<guestfs_lvs>." },
  { .name = "vfs_type", .proc = 304, .ret = R_STRING,
    .args = { { A_MOUNTABLE, "mountable" } },
    .shortdesc = "get the Linux VFS type corresponding to a mounted device",
    .doc = "Return the type of the filesystem or other signature on "
           "C<mountable>, as libblkid names it: C<ext4>, C<xfs>, C<vfat>, "
           "C<btrfs>, C<ntfs>, C<swap>, C<crypto_LUKS>, C<LVM2_member> and "
           "so on, or the empty string if nothing is recognised.  "
           MOUNTABLE_DOC },
  { .name = "vfs_label", .proc = 305, .ret = R_STRING,
    .args = { { A_MOUNTABLE, "mountable" } },
    .shortdesc = "get the filesystem label",
    .doc = "Return the label of the filesystem on C<mountable>, or the "
           "empty string if it has none." },
  { .name = "vfs_uuid", .proc = 306, .ret = R_STRING,
    .args = { { A_MOUNTABLE, "mountable" } },
    .shortdesc = "get the filesystem UUID",
    .doc = "Return the UUID of the filesystem on C<mountable> (for a FAT "
           "filesystem, its serial number), or the empty string if it has "
           "none." },
  { .name = "blockdev_getsize64", .proc = 307, .ret = R_INT64,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "get total size of device in bytes",
    .doc = "Return the size of C<device> in bytes." },
  { .name = "blockdev_getss", .proc = 308, .ret = R_INT,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "get sectorsize of block device",
    .doc = "Return the logical sector size of C<device>, usually 512: the "
           "unit of the sector numbers of C<guestfs_part_add>." },
  { .name = "blkid", .proc = 309, .ret = R_HASHTABLE,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "print block device attributes",
    .doc = "Probe C<device> with libblkid and return what it finds as a "
           "table of tag to value: C<TYPE>, C<UUID>, C<LABEL>, C<USAGE>, "
           "C<VERSION>, C<PTTYPE> and, for a partition, the "
           "C<PART_ENTRY_*> tags describing its partition table entry.  "
           "Tags not found are left out." },
  { .name = "available", .proc = 310, .ret = R_ERR,
    .args = { { A_STRINGLIST, "groups" } },
    .shortdesc = "test availability of some parts of the API",
    .doc = "Check that every group of functions named in C<groups> works "
           "in this appliance, and fail naming the first one that does not "
           "(or that is not a known group).  An empty list always "
           "succeeds.  See also C<guestfs_feature_available> and "
           "C<guestfs_available_all_groups>.\n\n"
           "The groups are: C<augeas>, C<blkdiscard>, C<blkdiscardzeroes>, "
           "C<btrfs>, C<fstrim>, C<gdisk> (GPT partition names, GUIDs and "
           "attributes), C<hivex>, C<ldm> (Windows dynamic disks), "
           "C<linuxfsuuid>, C<linuxxattrs>, C<luks>, C<lvm2>, C<mdadm> "
           "(Linux software RAID), C<ntfs3g> "
           "(mounting NTFS), C<ntfsprogs> (creating, checking and resizing "
           "NTFS), C<xfs>, C<zerofree>." },
  { .name = "feature_available", .proc = 311, .ret = R_BOOL,
    .args = { { A_STRINGLIST, "groups" } },
    .shortdesc = "test availability of some parts of the API",
    .doc = "Like C<guestfs_available>, but return false instead of "
           "failing when a group is missing.  An unknown group is still "
           "an error." },
  { .name = "available_all_groups", .proc = 312, .ret = R_STRINGLIST,
    .shortdesc = "return a list of all optional groups",
    .doc = "Return every group C<guestfs_available> knows, whether or not "
           "it is available in this appliance." },
  { .name = "blockdev_getsz", .proc = 313, .ret = R_INT64,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "get total size of device in 512-byte sectors",
    .doc = "Return the size of C<device> in 512-byte units, whatever its "
           "sector size." },
  { .name = "blockdev_rereadpt", .proc = 314, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "reread partition table",
    .doc = "Make the kernel read the partition table of C<device> again.  "
           "Fails with C<EBUSY> while one of its partitions is in use.  The "
           "partition actions do this themselves." },
  { .name = "blockdev_flushbufs", .proc = 315, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "flush device buffers",
    .doc = "Write out the kernel's buffers for C<device> and drop its "
           "cached blocks." },
  { .name = "blockdev_getro", .proc = 316, .ret = R_BOOL,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "is block device set to read-only",
    .doc = "True if C<device> is read-only in the kernel." },
  { .name = "blockdev_setro", .proc = 317, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "set block device to read-only",
    .doc = "Make C<device> read-only in the kernel." },
  { .name = "blockdev_setrw", .proc = 318, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "set block device to read-write",
    .doc = "Make C<device> writable again after C<guestfs_blockdev_setro>." },

  /* ---- Partitions ---- */
  { .name = "part_init", .proc = 319, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_STRING, "parttype" } },
    .shortdesc = "create an empty partition table",
    .doc = "Write an empty partition table of type C<parttype> to "
           "C<device>, replacing whatever partition table or filesystem "
           "signature was there.  C<parttype> is C<mbr> (or its synonyms "
           "C<msdos> and C<dos>) for a DOS/MBR table, limited to 2 TiB, or "
           "C<gpt> (or C<efi>) for a GUID partition table." },
  { .name = "part_add", .proc = 320, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_STRING, "prlogex" },
              { A_INT64, "startsect" }, { A_INT64, "endsect" } },
    .shortdesc = "add a partition to the device",
    .doc = "Add a partition to C<device> from sector C<startsect> to sector "
           "C<endsect> included, in units of the device's logical sector "
           "size (C<guestfs_blockdev_getss>).  A negative C<endsect> counts "
           "from the end of the disk: C<-1> is the last usable sector.  No "
           "alignment is applied.\n\n"
           "C<prlogex> is C<p> (or C<primary>), C<e> (C<extended>) or C<l> "
           "(C<logical>); only primary partitions exist on GPT, and a "
           "logical one must lie inside the extended partition.  The new "
           "partition gets the Linux type and the next free number.  "
           PARTNUM_DOC },
  { .name = "part_disk", .proc = 321, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_STRING, "parttype" } },
    .shortdesc = "partition whole disk with a single primary partition",
    .doc = "Like C<guestfs_part_init> followed by one partition covering "
           "the disk from sector 2048 (1 MiB) on: the common case." },
  { .name = "part_del", .proc = 322, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" } },
    .shortdesc = "delete a partition",
    .doc = "Delete partition C<partnum> of C<device>.  The other partitions "
           "keep their numbers, except that removing a logical partition "
           "renumbers those after it.  " PARTNUM_DOC },
  { .name = "part_list", .proc = 323, .ret = R_STRUCTLIST,
    .ret_struct = "partition",
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "list partitions on a device",
    .doc = "Return the partitions in the partition table of C<device>, in "
           "table order: each one's number and its start, end (included) "
           "and size, all in bytes." },
  { .name = "part_get_parttype", .proc = 324, .ret = R_STRING,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "get the partition table type",
    .doc = "Return the type of the partition table on C<device>: C<msdos> "
           "or C<gpt>.  A disk without a partition table is an error "
           "(C<EINVAL>)." },
  { .name = "part_to_dev", .proc = 325, .ret = R_STRING,
    .ret_devices = RD_ALL,
    .args = { { A_DEVICE, "partition" } },
    .shortdesc = "convert partition name to device name",
    .doc = "Return the disk that holds C<partition>, for example "
           "C</dev/sdb> for C</dev/sdb1>.  Fails with C<EINVAL> if "
           "C<partition> is not a partition." },
  { .name = "part_to_partnum", .proc = 326, .ret = R_INT,
    .args = { { A_DEVICE, "partition" } },
    .shortdesc = "convert partition name to partition number",
    .doc = "Return the number of C<partition>, for example 1 for "
           "C</dev/sdb1>.  Fails with C<EINVAL> if C<partition> is not a "
           "partition." },
  { .name = "part_get_mbr_id", .proc = 327, .ret = R_INT,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" } },
    .shortdesc = "get the MBR type byte (ID byte) from a partition",
    .doc = "Return the type byte of MBR partition C<partnum> (for example "
           "C<0x83> for Linux).  Fails with C<EINVAL> on a GPT disk." },
  { .name = "part_set_mbr_id", .proc = 328, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" },
              { A_INT, "idbyte" } },
    .shortdesc = "set the MBR type byte (ID byte) of a partition",
    .doc = "Set the type byte of MBR partition C<partnum> to C<idbyte> "
           "(1 to 255).  Only the byte changes, not the content of the "
           "partition." },
  { .name = "part_get_bootable", .proc = 329, .ret = R_BOOL,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" } },
    .shortdesc = "return true if a partition is bootable",
    .doc = "On MBR, return the active (boot) flag of partition C<partnum>; "
           "on GPT, its legacy BIOS bootable attribute." },
  { .name = "part_set_bootable", .proc = 330, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" },
              { A_BOOL, "bootable" } },
    .shortdesc = "make a partition bootable",
    .doc = "Set or clear the flag C<guestfs_part_get_bootable> reads.  On "
           "MBR at most one partition is active, so setting it clears it on "
           "the others." },
  { .name = "part_set_name", .proc = 331, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" },
              { A_STRING, "name" } },
    .group = "gdisk",
    .shortdesc = "set partition name",
    .doc = "Set the name of GPT partition C<partnum> to C<name> (at most 36 "
           "UTF-16 characters).  MBR partitions have no names: C<EINVAL>." },
  { .name = "part_get_name", .proc = 332, .ret = R_STRING,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" } },
    .group = "gdisk",
    .shortdesc = "get partition name",
    .doc = "Return the name of GPT partition C<partnum>, possibly empty." },

  /* ---- LVM ---- */
  { .name = "pvcreate", .proc = 333, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "lvm2",
    .shortdesc = "create an LVM physical volume",
    .doc = "Make C<device>, usually a partition, an LVM physical volume." },
  { .name = "vgcreate", .proc = 334, .ret = R_ERR,
    .args = { { A_STRING, "volgroup" }, { A_DEVICELIST, "physvols" } },
    .group = "lvm2",
    .shortdesc = "create an LVM volume group",
    .doc = "Create the volume group C<volgroup> from the physical volumes "
           "C<physvols>." },
  { .name = "lvcreate", .proc = 335, .ret = R_ERR,
    .args = { { A_STRING, "logvol" }, { A_STRING, "volgroup" },
              { A_INT, "mbytes" } },
    .group = "lvm2",
    .shortdesc = "create an LVM logical volume",
    .doc = "Create the logical volume C<logvol> of C<mbytes> MiB in the "
           "volume group C<volgroup>.  Its first blocks are zeroed and old "
           "signatures wiped.  " LVM_CHANGES_DOC },
  { .name = "lvcreate_free", .proc = 336, .ret = R_ERR,
    .args = { { A_STRING, "logvol" }, { A_STRING, "volgroup" },
              { A_INT, "percent" } },
    .group = "lvm2",
    .shortdesc = "create an LVM logical volume in % remaining free space",
    .doc = "Like C<guestfs_lvcreate>, sized as C<percent> (1 to 100) of "
           "the free space of the volume group." },
  { .name = "pvs", .proc = 337, .ret = R_STRINGLIST,
    .ret_devices = RD_ALL,
    .group = "lvm2",
    .shortdesc = "list the LVM physical volumes (PVs)",
    .doc = "Return the device names of the LVM physical volumes, sorted.  "
           "See also C<guestfs_pvs_full>." },
  { .name = "vgs", .proc = 338, .ret = R_STRINGLIST,
    .group = "lvm2",
    .shortdesc = "list the LVM volume groups (VGs)",
    .doc = "Return the names of the LVM volume groups, sorted.  See also "
           "C<guestfs_vgs_full>." },
  { .name = "lvs", .proc = 339, .ret = R_STRINGLIST,
    .ret_devices = RD_ALL,
    .group = "lvm2",
    .shortdesc = "list the LVM logical volumes (LVs)",
    .doc = "Return the logical volumes as C</dev/VG/LV>, sorted, leaving "
           "out LVM's internal ones (thin pool metadata and the like).  See "
           "also C<guestfs_lvs_full>." },
  { .name = "pvs_full", .proc = 340, .ret = R_STRUCTLIST,
    .ret_struct = "lvm_pv",
    .group = "lvm2",
    .shortdesc = "list the LVM physical volumes (PVs)",
    .doc = "Return every LVM physical volume with the fields LVM reports "
           "for it (sizes in bytes)." },
  { .name = "vgs_full", .proc = 341, .ret = R_STRUCTLIST,
    .ret_struct = "lvm_vg",
    .group = "lvm2",
    .shortdesc = "list the LVM volume groups (VGs)",
    .doc = "Return every LVM volume group with the fields LVM reports for "
           "it (sizes in bytes)." },
  { .name = "lvs_full", .proc = 342, .ret = R_STRUCTLIST,
    .ret_struct = "lvm_lv",
    .group = "lvm2",
    .shortdesc = "list the LVM logical volumes (LVs)",
    .doc = "Return every LVM logical volume, internal ones included, with "
           "the fields LVM reports for it (sizes in bytes)." },
  { .name = "vgscan", .proc = 343, .ret = R_ERR,
    .group = "lvm2",
    .shortdesc = "rescan for LVM physical volumes, volume groups and "
                 "logical volumes",
    .doc = "Look again at every device for LVM metadata, for example after "
           "opening a LUKS device that holds a physical volume." },
  { .name = "vg_activate_all", .proc = 344, .ret = R_ERR,
    .args = { { A_BOOL, "activate" } },
    .group = "lvm2",
    .shortdesc = "activate or deactivate all volume groups",
    .doc = "Activate (make the logical volumes' devices appear) or "
           "deactivate every volume group.  " LVM_CHANGES_DOC },
  { .name = "vg_activate", .proc = 345, .ret = R_ERR,
    .args = { { A_BOOL, "activate" }, { A_STRINGLIST, "volgroups" } },
    .group = "lvm2",
    .shortdesc = "activate or deactivate some volume groups",
    .doc = "Like C<guestfs_vg_activate_all> for the volume groups named in "
           "C<volgroups> only; an empty list means all of them." },
  { .name = "lvremove", .proc = 346, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "lvm2",
    .shortdesc = "remove an LVM logical volume",
    .doc = "Remove the logical volume C<device> (C</dev/VG/LV>), even if "
           "active.  It must not be mounted." },
  { .name = "vgremove", .proc = 347, .ret = R_ERR,
    .args = { { A_STRING, "vgname" } },
    .group = "lvm2",
    .shortdesc = "remove an LVM volume group",
    .doc = "Remove the volume group C<vgname> and every logical volume in "
           "it." },
  { .name = "pvremove", .proc = 348, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "lvm2",
    .shortdesc = "remove an LVM physical volume",
    .doc = "Wipe the LVM label from C<device>.  It must no longer belong to "
           "a volume group." },
  { .name = "lvresize", .proc = 349, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "mbytes" } },
    .group = "lvm2",
    .shortdesc = "resize an LVM logical volume",
    .doc = "Change the size of the logical volume C<device> to C<mbytes> "
           "MiB.  Shrinking it cuts off the end of whatever it holds: the "
           "filesystem in it is not resized." },

  /* ---- LUKS ---- */
  { .name = "luks_format", .proc = 350, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_KEY, "key" },
              { A_INT, "keyslot" } },
    .group = "luks",
    .shortdesc = "format a block device as a LUKS encrypted device",
    .doc = "Make C<device> a LUKS2 encrypted device with C<key> in key slot "
           "C<keyslot> (0 to 31), destroying its content.  The key "
           "derivation is Argon2id with its memory cost capped at 64 MiB, "
           "so that the device can be opened in the appliance's small "
           "memory." },
  { .name = "luks_open", .proc = 351, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_KEY, "key" },
              { A_STRING, "mapname" } },
    .group = "luks",
    .shortdesc = "open a LUKS-encrypted block device",
    .doc = "Unlock the LUKS device C<device> with C<key> and create "
           "C</dev/mapper/MAPNAME>, through which its decrypted content is "
           "read and written.  A key that opens no key slot fails with "
           "C<EPERM>.  Volume groups inside become visible after "
           "C<guestfs_vgscan> and C<guestfs_vg_activate_all>." },
  { .name = "luks_open_ro", .proc = 352, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_KEY, "key" },
              { A_STRING, "mapname" } },
    .group = "luks",
    .shortdesc = "open a LUKS-encrypted block device read-only",
    .doc = "Like C<guestfs_luks_open>, but the mapper device is read-only." },
  { .name = "luks_close", .proc = 353, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "luks",
    .shortdesc = "close a LUKS device",
    .doc = "Remove the mapper device C<device> (C</dev/mapper/MAPNAME>, not "
           "the encrypted device) that C<guestfs_luks_open> created.  "
           "Nothing on it may be mounted or active." },
  { .name = "luks_add_key", .proc = 354, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_KEY, "key" }, { A_KEY, "newkey" },
              { A_INT, "keyslot" } },
    .group = "luks",
    .shortdesc = "add a key on a LUKS encrypted device",
    .doc = "Add C<newkey> to the LUKS device C<device> in key slot "
           "C<keyslot>, which must be free; C<key> is one of the existing "
           "keys." },
  { .name = "cryptsetup_open", .proc = 355, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_KEY, "key" },
              { A_STRING, "mapname" } },
    .optargs = { { O_BOOL, "readonly" }, { O_STRING, "crypttype" },
                 { O_STRING, "cipher" } },
    .group = "luks",
    .shortdesc = "open an encrypted block device",
    .doc = "Unlock the encrypted C<device> with C<key> as "
           "C</dev/mapper/MAPNAME>.  C<crypttype> is C<luks> or C<bitlk> "
           "(BitLocker); without it the type is detected.  C<cipher> is "
           "passed to C<cryptsetup --cipher>.  C<readonly> makes the mapper "
           "device read-only.  A wrong key fails with C<EPERM>." },
  { .name = "cryptsetup_close", .proc = 356, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "luks",
    .shortdesc = "close an encrypted device",
    .doc = "Remove the mapper device C<device> that C<guestfs_cryptsetup_open> "
           "created." },

  /* ---- Filesystems ---- */
  { .name = "mkfs", .proc = 357, .ret = R_ERR,
    .args = { { A_STRING, "fstype" }, { A_DEVICE, "device" } },
    .optargs = { { O_INT, "blocksize" }, { O_STRING, "features" },
                 { O_INT, "inode" }, { O_INT, "sectorsize" },
                 { O_STRING, "label" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "make a filesystem",
    .doc = "Create a filesystem of type C<fstype> on C<device>: C<ext2>, "
           "C<ext3>, C<ext4>, C<xfs>, C<vfat> (also C<fat> and C<msdos>), "
           "C<btrfs>, C<ntfs> or C<swap>.  Any other type fails with "
           "C<EINVAL>.\n\n"
           "C<blocksize> is the block size in bytes (the cluster size for "
           "C<vfat> and C<ntfs>); C<features> is passed to C<mke2fs -O> "
           "(ext only); C<inode> is the inode size in bytes (ext and xfs); "
           "C<sectorsize> is the sector size in bytes (xfs, vfat, ntfs); "
           "C<label> is the filesystem label.  An option the filesystem "
           "type has no use for fails with C<EINVAL>." },
  { .name = "mkswap", .proc = 358, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .optargs = { { O_STRING, "label" }, { O_STRING, "uuid" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "create a swap partition",
    .doc = "Make C<device> a Linux swap area, optionally with a C<label> "
           "and a given C<uuid>." },
  { .name = "wipefs", .proc = 359, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "wipefs",
    .shortdesc = "wipe a filesystem signature from a device",
    .doc = "Erase every filesystem, RAID, LVM and partition table signature "
           "libblkid finds on C<device>, leaving the rest of the data "
           "alone, so that nothing recognises it any more." },
  { .name = "zero", .proc = 360, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .flags = FL_PROGRESS,
    .shortdesc = "write zeroes to the device",
    .doc = "Overwrite the first and the last MiB of C<device> with zeroes: "
           "enough to remove partition tables and filesystem superblocks, "
           "not to erase the data (see C<guestfs_zero_device>).  Blocks "
           "already zero are not written, so sparse disks stay sparse." },
  { .name = "zero_device", .proc = 361, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .flags = FL_PROGRESS,
    .shortdesc = "write zeroes to an entire device",
    .doc = "Overwrite all of C<device> with zeroes.  Blocks already zero "
           "are not written.  Sends progress events." },
  { .name = "fsck", .proc = 362, .ret = R_INT,
    .args = { { A_STRING, "fstype" }, { A_DEVICE, "device" } },
    .shortdesc = "run the filesystem checker",
    .doc = "Check the C<fstype> filesystem on C<device> with C<fsck -a>, "
           "repairing what is safe to repair, and return its status: 0 "
           "means clean, otherwise a sum of C<fsck(8)>'s bits (1 errors "
           "corrected, 4 errors left uncorrected, 8 operational error, "
           "...).  The filesystem must not be mounted.  Some checkers "
           "(xfs, btrfs) do nothing in this mode and always return 0." },
  { .name = "e2fsck", .proc = 363, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .optargs = { { O_BOOL, "correct" }, { O_BOOL, "forceall" } },
    .shortdesc = "check an ext2/ext3 filesystem",
    .doc = "Check the ext2/3/4 filesystem on C<device>, even if it looks "
           "clean.  Without options nothing is changed (C<e2fsck -n>) and "
           "any problem is an error.  C<correct> makes the repairs that are "
           "safe without a human's judgement (C<-p>); C<forceall> answers "
           "yes to every question (C<-y>).  The two exclude each other.  "
           "Errors found and corrected are not an error." },
  { .name = "set_label", .proc = 364, .ret = R_ERR,
    .args = { { A_MOUNTABLE, "mountable" }, { A_STRING, "label" } },
    .shortdesc = "set filesystem label",
    .doc = "Set the label of the filesystem on C<mountable>: ext2/3/4, "
           "xfs, vfat, btrfs, ntfs or swap.  Others fail with C<ENOTSUP>.  "
           "Each type has its own length limit (16 bytes for ext, 12 for "
           "xfs, 11 for vfat)." },
  { .name = "set_uuid", .proc = 365, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_STRING, "uuid" } },
    .shortdesc = "set the filesystem UUID",
    .doc = "Set the UUID of the filesystem on C<device>: ext2/3/4, xfs, "
           "btrfs or swap.  Others fail with C<ENOTSUP>.  xfs and btrfs "
           "must not be mounted." },

  /* ---- Mounting ---- */
  { .name = "mount", .proc = 366, .ret = R_ERR,
    .args = { { A_MOUNTABLE, "mountable" }, { A_PATHNAME, "mountpoint" } },
    .shortdesc = "mount a guest disk at a position in the filesystem",
    .doc = "Mount the filesystem on C<mountable> at C<mountpoint>, its type "
           "detected, with the kernel's default options (read-write).  "
           MOUNTABLE_DOC "  " MOUNTPOINT_DOC "\n\n"
           "NTFS is mounted with the kernel's C<ntfs3> driver when it has "
           "one, else with C<ntfs-3g>." },
  { .name = "mount_ro", .proc = 367, .ret = R_ERR,
    .args = { { A_MOUNTABLE, "mountable" }, { A_PATHNAME, "mountpoint" } },
    .shortdesc = "mount a guest disk, read-only",
    .doc = "Like C<guestfs_mount>, read-only." },
  { .name = "mount_options", .proc = 368, .ret = R_ERR,
    .args = { { A_STRING, "options" }, { A_MOUNTABLE, "mountable" },
              { A_PATHNAME, "mountpoint" } },
    .shortdesc = "mount a guest disk with mount options",
    .doc = "Like C<guestfs_mount> with the comma-separated mount "
           "C<options> of C<mount(8)> (the empty string for none), such as "
           "C<ro,noatime> or C<subvol=NAME> for btrfs." },
  { .name = "mount_vfs", .proc = 369, .ret = R_ERR,
    .args = { { A_STRING, "options" }, { A_STRING, "vfstype" },
              { A_MOUNTABLE, "mountable" }, { A_PATHNAME, "mountpoint" } },
    .shortdesc = "mount a guest disk with mount options and vfstype",
    .doc = "Like C<guestfs_mount_options>, with the filesystem type given "
           "as C<vfstype> instead of detected.  A type that does not match "
           "the filesystem fails, naming the device." },
  { .name = "umount", .proc = 370, .ret = R_ERR,
    .args = { { A_STRING, "pathordevice" } },
    .optargs = { { O_BOOL, "force" }, { O_BOOL, "lazyunmount" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "unmount a filesystem",
    .doc = "Unmount the filesystem mounted at the guest directory "
           "C<pathordevice>, or, if it starts with C</dev/>, the one where "
           "that device is mounted.  C<force> and C<lazyunmount> are "
           "C<umount2(2)>'s C<MNT_FORCE> and C<MNT_DETACH>." },
  { .name = "umount_all", .proc = 371, .ret = R_ERR,
    .shortdesc = "unmount all filesystems",
    .doc = "Unmount every guest filesystem, innermost first." },
  { .name = "mounts", .proc = 372, .ret = R_STRINGLIST,
    .ret_devices = RD_ALL,
    .shortdesc = "show mounted filesystems",
    .doc = "Return the devices mounted in the guest filesystem, in mount "
           "order.  A logical volume is given as C</dev/VG/LV>, a btrfs "
           "subvolume as C<btrfsvol:DEVICE/SUBVOLUME>." },
  { .name = "mountpoints", .proc = 373, .ret = R_HASHTABLE,
    .ret_devices = RD_KEYS,
    .shortdesc = "show mountpoints",
    .doc = "Like C<guestfs_mounts>, as a table of device to the guest "
           "directory it is mounted on." },

  /* ---- btrfs ---- */
  { .name = "btrfs_subvolume_list", .proc = 374, .ret = R_STRUCTLIST,
    .ret_struct = "btrfssubvolume",
    .args = { { A_STRING, "fs" } },
    .group = "btrfs",
    .shortdesc = "list btrfs snapshots and subvolumes",
    .doc = "Return the subvolumes and snapshots of a btrfs filesystem: "
           "their ID, the ID of their parent and their path from the top "
           "of the filesystem.  C<fs> is either a guest directory on a "
           "mounted btrfs filesystem or a mountable (C</dev/...> or "
           "C<btrfsvol:...>), which is then examined through a private "
           "read-only mount." },
  { .name = "btrfs_subvolume_create", .proc = 375, .ret = R_ERR,
    .args = { { A_PATHNAME, "dest" } },
    .optargs = { { O_STRING, "qgroupid" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .group = "btrfs",
    .shortdesc = "create a btrfs subvolume",
    .doc = "Create the subvolume C<dest>, a new name in a directory of a "
           "mounted btrfs filesystem, optionally in quota group "
           "C<qgroupid>." },
  { .name = "btrfs_subvolume_delete", .proc = 376, .ret = R_ERR,
    .args = { { A_PATHNAME, "subvolume" } },
    .group = "btrfs",
    .shortdesc = "delete a btrfs subvolume or snapshot",
    .doc = "Delete the subvolume or snapshot C<subvolume> of a mounted "
           "btrfs filesystem." },
  { .name = "pread_device", .proc = 377, .ret = R_BUFFEROUT,
    .args = { { A_DEVICE, "device" }, { A_INT, "count" },
              { A_INT64, "offset" } },
    .shortdesc = "read part of a device",
    .doc = "Read up to C<count> bytes of C<device> from byte C<offset>; "
           "fewer come back only at its end.  C<count> is limited by the "
           "message size (see L</PROTOCOL LIMITS>)." },
  { .name = "pwrite_device", .proc = 378, .ret = R_INT,
    .args = { { A_DEVICE, "device" }, { A_BUFFERIN, "content" },
              { A_INT64, "offset" } },
    .shortdesc = "write to part of a device",
    .doc = "Write C<content> to C<device> at byte C<offset> and return the "
           "number of bytes written, as L<pwrite(2)> does.  Writing over a "
           "mounted filesystem's device corrupts it." },
  { .name = "dd", .proc = 379, .ret = R_ERR,
    .args = { { A_STRING, "src" }, { A_STRING, "dest" } },
    .flags = FL_PROGRESS,
    .shortdesc = "copy from a device or file to another",
    .doc = "Copy all of C<src> to C<dest>, each a device (C</dev/...>, "
           "name-translated) or an absolute path in the guest.  C<dest> is "
           "not truncated: a file is overwritten in place, and created if "
           "missing.  Copying to a device smaller than C<src> is an "
           "error." },
  { .name = "copy_size", .proc = 380, .ret = R_ERR,
    .args = { { A_STRING, "src" }, { A_STRING, "dest" },
              { A_INT64, "size" } },
    .flags = FL_PROGRESS,
    .shortdesc = "copy size bytes from a device or file to another",
    .doc = "Copy the first C<size> bytes of C<src> to C<dest>, each a device "
           "or an absolute path in the guest, as for C<guestfs_dd>.  It is "
           "an error if C<src> is shorter than C<size>." },
  { .name = "pvuuid", .proc = 381, .ret = R_STRING,
    .args = { { A_DEVICE, "device" } }, .group = "lvm2",
    .shortdesc = "get the UUID of a physical volume",
    .doc = "Return the UUID of the LVM PV C<device>, as LVM prints it." },
  { .name = "vguuid", .proc = 382, .ret = R_STRING,
    .args = { { A_STRING, "vgname" } }, .group = "lvm2",
    .shortdesc = "get the UUID of a volume group",
    .doc = "Return the UUID of the volume group C<vgname>." },
  { .name = "lvuuid", .proc = 383, .ret = R_STRING,
    .args = { { A_DEVICE, "device" } }, .group = "lvm2",
    .shortdesc = "get the UUID of a logical volume",
    .doc = "Return the UUID of the logical volume C<device>." },
  { .name = "vgpvuuids", .proc = 384, .ret = R_STRINGLIST,
    .args = { { A_STRING, "vgname" } }, .group = "lvm2",
    .shortdesc = "get the PV UUIDs containing the volume group",
    .doc = "Return the UUIDs of the physical volumes of C<vgname>." },
  { .name = "vglvuuids", .proc = 385, .ret = R_STRINGLIST,
    .args = { { A_STRING, "vgname" } }, .group = "lvm2",
    .shortdesc = "get the LV UUIDs of all LVs in the volume group",
    .doc = "Return the UUIDs of the logical volumes of C<vgname>." },
  { .name = NULL },
};
