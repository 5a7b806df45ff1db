/* Block devices, partition tables, ext2 attributes, LVM and md: the
 * storage maintenance calls of libguestfs beyond actions_devices.c.
 *
 * Procedure numbers 1000-1199: stable, append-only.
 */
#include "generator.h"

#define GUID_DOC                                                             \
  "A GUID is written as 8-4-4-4-12 hexadecimal digits; anything else "      \
  "fails with C<EINVAL>."

#define DEPRECATED_SFDISK_DOC                                                \
  "I<This function is deprecated.>  In new code use C<guestfs_part_add>, "  \
  "C<guestfs_part_list> and the other C<part_*> calls.  The input is "       \
  "util-linux L<sfdisk(8)>'s: the cylinder, head and sector counts of "     \
  "old versions of sfdisk are ignored, as modern sfdisk ignores them."

#define LDM_DOC                                                              \
  "Windows dynamic disks (LDM) are read with L<ldmtool(1)>."

const struct action actions_storage[] = {
  /* ---- ext2/3/4: file attributes ---- */
  { .name = "get_e2attrs", .proc = 1000, .ret = R_STRING,
    .args = { { A_PATHNAME, "file" } },
    .shortdesc = "get ext2 file attributes of a file",
    .doc = "Return the file attributes of C<file> (see L<chattr(1)>) as "
           "the letters L<lsattr(1)> prints, without its dashes: for "
           "example C<e> for a file with extents, or the empty string.  "
           "Any filesystem supporting the C<FS_IOC_GETFLAGS> ioctl "
           "works." },
  { .name = "set_e2attrs", .proc = 1001, .ret = R_ERR,
    .args = { { A_PATHNAME, "file" }, { A_STRING, "attrs" } },
    .optargs = { { O_BOOL, "clear" } },
    .shortdesc = "set ext2 file attributes of a file",
    .doc = "Set (or with C<clear>, clear) the attributes C<attrs> of "
           "C<file>, letters as L<chattr(1)> takes them "
           "(C<AaCcDdEeFijmNPSsTtux>), leaving the others as they are.  An "
           "unknown letter fails with C<EINVAL>; an attribute the "
           "filesystem cannot change fails with the kernel's error." },
  { .name = "get_e2generation", .proc = 1002, .ret = R_INT64,
    .args = { { A_PATHNAME, "file" } },
    .shortdesc = "get ext2 file generation of a file",
    .doc = "Return the generation number of C<file> (an unsigned 32-bit "
           "number: L<lsattr(1)> C<-v>)." },
  { .name = "set_e2generation", .proc = 1003, .ret = R_ERR,
    .args = { { A_PATHNAME, "file" }, { A_INT64, "generation" } },
    .shortdesc = "set ext2 file generation of a file",
    .doc = "Set the generation number of C<file>: 0 to 4294967295, else "
           "C<EINVAL>." },

  /* ---- ext2/3/4: filesystems ---- */
  { .name = "get_e2label", .proc = 0, .ret = R_STRING,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "get the ext2/3/4 filesystem label",
    .doc = "I<Deprecated:> use C<guestfs_vfs_label>, which this calls." },
  { .name = "set_e2label", .proc = 0, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_STRING, "label" } },
    .shortdesc = "set the ext2/3/4 filesystem label",
    .doc = "I<Deprecated:> use C<guestfs_set_label>, which this calls." },
  { .name = "get_e2uuid", .proc = 0, .ret = R_STRING,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "get the ext2/3/4 filesystem UUID",
    .doc = "I<Deprecated:> use C<guestfs_vfs_uuid>, which this calls." },
  { .name = "set_e2uuid", .proc = 1004, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_STRING, "uuid" } },
    .group = "linuxfsuuid",
    .shortdesc = "set the ext2/3/4 filesystem UUID",
    .doc = "Set the UUID of the ext2/3/4 filesystem on C<device> with "
           "C<tune2fs -U>: a UUID, or C<clear>, C<random> or C<time>." },
  { .name = "mke2fs", .proc = 1005, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .optargs = { { O_INT64, "blockscount" }, { O_INT64, "blocksize" },
                 { O_INT64, "fragsize" }, { O_INT64, "blockspergroup" },
                 { O_INT64, "numberofgroups" }, { O_INT64, "bytesperinode" },
                 { O_INT64, "inodesize" }, { O_INT64, "journalsize" },
                 { O_INT64, "numberofinodes" }, { O_INT64, "stridesize" },
                 { O_INT64, "stripewidth" }, { O_INT64, "maxonlineresize" },
                 { O_INT, "reservedblockspercentage" },
                 { O_INT, "mmpupdateinterval" },
                 { O_STRING, "journaldevice" }, { O_STRING, "label" },
                 { O_STRING, "lastmounteddir" }, { O_STRING, "creatoros" },
                 { O_STRING, "fstype" }, { O_STRING, "usagetype" },
                 { O_STRING, "uuid" }, { O_BOOL, "forcecreate" },
                 { O_BOOL, "writesbandgrouponly" },
                 { O_BOOL, "lazyitableinit" }, { O_BOOL, "lazyjournalinit" },
                 { O_BOOL, "testfs" }, { O_BOOL, "discard" },
                 { O_BOOL, "quotatype" }, { O_BOOL, "extent" },
                 { O_BOOL, "filetype" }, { O_BOOL, "flexbg" },
                 { O_BOOL, "hasjournal" }, { O_BOOL, "journaldev" },
                 { O_BOOL, "largefile" }, { O_BOOL, "quota" },
                 { O_BOOL, "resizeinode" }, { O_BOOL, "sparsesuper" },
                 { O_BOOL, "uninitbg" } },
    .shortdesc = "create an ext2/ext3/ext4 filesystem on device",
    .doc = "Run L<mke2fs(8)> on C<device>.  Each optional argument is the "
           "option of the same meaning: C<blockscount> the size in "
           "blocks, C<blocksize> (B<-b>), C<fragsize> (B<-f>), "
           "C<blockspergroup> (B<-g>), C<numberofgroups> (B<-G>), "
           "C<bytesperinode> (B<-i>), C<inodesize> (B<-I>), "
           "C<journalsize> (B<-J size=>, MiB), C<numberofinodes> (B<-N>), "
           "C<stridesize>, C<stripewidth>, C<maxonlineresize>, "
           "C<mmpupdateinterval>, C<lazyitableinit>, C<lazyjournalinit>, "
           "C<testfs>, C<discard> and C<quotatype> (extended options, "
           "B<-E>), C<reservedblockspercentage> (B<-m>), "
           "C<journaldevice> (B<-J device=>), C<label> (B<-L>), "
           "C<lastmounteddir> (B<-M>), C<creatoros> (B<-o>), C<fstype> "
           "(B<-t>), C<usagetype> (B<-T>), C<uuid> (B<-U>), "
           "C<forcecreate> (B<-F>), C<writesbandgrouponly> (B<-S>), and "
           "the features (B<-O>, cleared when false): C<extent>, "
           "C<filetype>, C<flexbg>, C<hasjournal>, C<journaldev>, "
           "C<largefile>, C<quota>, C<resizeinode>, C<sparsesuper>, "
           "C<uninitbg>.  A negative number fails with C<EINVAL>." },
  { .name = "mke2journal", .proc = 1006, .ret = R_ERR,
    .args = { { A_INT, "blocksize" }, { A_DEVICE, "device" } },
    .shortdesc = "make ext2/3/4 external journal",
    .doc = "Make an external ext2/3/4 journal on C<device>, with block "
           "size C<blocksize>.  I<Deprecated:> use C<guestfs_mke2fs>." },
  { .name = "mke2journal_L", .proc = 1007, .ret = R_ERR,
    .args = { { A_INT, "blocksize" }, { A_STRING, "label" },
              { A_DEVICE, "device" } },
    .shortdesc = "make ext2/3/4 external journal with label",
    .doc = "Like C<guestfs_mke2journal>, with the label C<label>." },
  { .name = "mke2journal_U", .proc = 1008, .ret = R_ERR,
    .args = { { A_INT, "blocksize" }, { A_STRING, "uuid" },
              { A_DEVICE, "device" } },
    .group = "linuxfsuuid",
    .shortdesc = "make ext2/3/4 external journal with UUID",
    .doc = "Like C<guestfs_mke2journal>, with the UUID C<uuid>." },
  { .name = "mke2fs_J", .proc = 1009, .ret = R_ERR,
    .args = { { A_STRING, "fstype" }, { A_INT, "blocksize" },
              { A_DEVICE, "device" }, { A_DEVICE, "journal" } },
    .shortdesc = "make ext2/3/4 filesystem with external journal",
    .doc = "Make an ext2/3/4 filesystem of type C<fstype> and block size "
           "C<blocksize> on C<device>, whose journal is the external "
           "journal C<journal> (see C<guestfs_mke2journal>).  "
           "I<Deprecated:> use C<guestfs_mke2fs>." },
  { .name = "mke2fs_JL", .proc = 1010, .ret = R_ERR,
    .args = { { A_STRING, "fstype" }, { A_INT, "blocksize" },
              { A_DEVICE, "device" }, { A_STRING, "label" } },
    .shortdesc = "make ext2/3/4 filesystem with external journal",
    .doc = "Like C<guestfs_mke2fs_J>, the journal being the one labelled "
           "C<label>." },
  { .name = "mke2fs_JU", .proc = 1011, .ret = R_ERR,
    .args = { { A_STRING, "fstype" }, { A_INT, "blocksize" },
              { A_DEVICE, "device" }, { A_STRING, "uuid" } },
    .group = "linuxfsuuid",
    .shortdesc = "make ext2/3/4 filesystem with external journal",
    .doc = "Like C<guestfs_mke2fs_J>, the journal being the one with the "
           "UUID C<uuid>." },
  { .name = "tune2fs", .proc = 1012, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .optargs = { { O_BOOL, "force" }, { O_INT, "maxmountcount" },
                 { O_INT, "mountcount" }, { O_STRING, "errorbehavior" },
                 { O_INT64, "group" }, { O_INT, "intervalbetweenchecks" },
                 { O_INT, "reservedblockspercentage" },
                 { O_STRING, "lastmounteddirectory" },
                 { O_INT64, "reservedblockscount" }, { O_INT64, "user" } },
    .shortdesc = "adjust ext2/ext3/ext4 filesystem parameters",
    .doc = "Change parameters of the ext2/3/4 filesystem on C<device> with "
           "L<tune2fs(8)>: C<force> (B<-f>), C<maxmountcount> (B<-c>), "
           "C<mountcount> (B<-C>), C<errorbehavior> (B<-e>: C<continue>, "
           "C<remount-ro> or C<panic>), C<group> (B<-g>), "
           "C<intervalbetweenchecks> (B<-i>, seconds), "
           "C<reservedblockspercentage> (B<-m>), "
           "C<lastmounteddirectory> (B<-M>), C<reservedblockscount> "
           "(B<-r>), C<user> (B<-u>).  See C<guestfs_tune2fs_l> to read "
           "them back." },
  { .name = "e2fsck_f", .proc = 0, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "check an ext2/ext3 filesystem",
    .doc = "Check the ext2/3/4 filesystem on C<device> even if it is "
           "clean, repairing what needs no question (B<e2fsck -p -f>).  "
           "I<Deprecated:> C<guestfs_e2fsck> with C<correct>, which this "
           "calls." },
  { .name = "mklost_and_found", .proc = 1013, .ret = R_ERR,
    .args = { { A_PATHNAME, "mountpoint" } },
    .shortdesc = "make lost+found directory on an ext2/3/4 filesystem",
    .doc = "Make the C<lost+found> directory, with its preallocated "
           "blocks, in C<mountpoint>, the top of a mounted ext2/3/4 "
           "filesystem (L<mklost+found(8)>)." },
  { .name = "mkfs_b", .proc = 0, .ret = R_ERR,
    .args = { { A_STRING, "fstype" }, { A_INT, "blocksize" },
              { A_DEVICE, "device" } },
    .shortdesc = "make a filesystem with block size",
    .doc = "I<Deprecated:> C<guestfs_mkfs> with C<blocksize>, which this "
           "calls." },

  /* ---- Block devices ---- */
  { .name = "blockdev_getbsz", .proc = 1014, .ret = R_INT,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "get blocksize of block device",
    .doc = "Return the block size the kernel uses for C<device> "
           "(B<blockdev --getbsz>).  It has nothing to do with the block "
           "size of a filesystem on it." },
  { .name = "blockdev_setbsz", .proc = 1015, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "blocksize" } },
    .shortdesc = "set blocksize of block device",
    .doc = "I<Deprecated:> this call does nothing, as in libguestfs, "
           "whose B<blockdev --setbsz> never had a lasting effect.  It "
           "checks C<device>." },
  { .name = "blockdev_setra", .proc = 1016, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "sectors" } },
    .shortdesc = "set readahead",
    .doc = "Set the read-ahead of C<device> to C<sectors> 512-byte "
           "sectors (B<blockdev --setra>).  A negative number fails with "
           "C<EINVAL>." },
  { .name = "device_index", .proc = 1017, .ret = R_INT,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "convert device to index",
    .doc = "Return the index of the whole disk C<device> in "
           "C<guestfs_list_devices>, which is the order the drives were "
           "added in, from 0.  Anything else fails with C<ENOENT>." },
  { .name = "nr_devices", .proc = 1018, .ret = R_INT,
    .shortdesc = "return number of whole block devices (disks) added",
    .doc = "Return the number of whole disks, as C<guestfs_list_devices> "
           "lists them." },
  { .name = "max_disks", .proc = 0, .ret = R_INT, .flags = FL_ANY_STATE,
    .shortdesc = "maximum number of disks that may be added",
    .doc = "Return the most drives that can be added to a handle and "
           "launched: the appliance gives each one a virtio-blk disk, "
           "which takes a PCI slot, so 24." },
  { .name = "is_lv", .proc = 1019, .ret = R_BOOL,
    .args = { { A_MOUNTABLE, "mountable" } },
    .shortdesc = "test if mountable is a logical volume",
    .doc = "True if C<mountable> is an LVM logical volume (by any of its "
           "names); false for anything else, a btrfs subvolume included." },
  { .name = "is_whole_device", .proc = 1020, .ret = R_BOOL,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "test if a device is a whole device",
    .doc = "True if C<device> is a whole disk (C</dev/sda>), false for a "
           "partition, a logical volume or another device-mapper or md "
           "device." },
  { .name = "findfs_label", .proc = 1021, .ret = R_STRING,
    .ret_devices = RD_ALL,
    .args = { { A_STRING, "label" } },
    .shortdesc = "find a filesystem by label",
    .doc = "Return the device holding the filesystem labelled C<label> "
           "(L<findfs(8)>): a logical volume as C</dev/VG/LV>.  None fails "
           "with C<ENOENT>." },
  { .name = "findfs_uuid", .proc = 1022, .ret = R_STRING,
    .ret_devices = RD_ALL,
    .args = { { A_STRING, "uuid" } },
    .shortdesc = "find a filesystem by UUID",
    .doc = "Like C<guestfs_findfs_label>, by filesystem UUID." },
  { .name = "list_disk_labels", .proc = 0, .ret = R_HASHTABLE,
    .shortdesc = "mapping of disk labels to devices",
    .doc = "Return a table of the C<label>s given to C<guestfs_add_drive_opts> "
           "(or C<guestfs_add_drive_scratch>) and the devices those "
           "drives are in the appliance.  Drives without a label are not "
           "listed." },
  { .name = "list_md_devices", .proc = 1023, .ret = R_STRINGLIST,
    .ret_devices = RD_ALL,
    .shortdesc = "list Linux md (RAID) devices",
    .doc = "Return the Linux md (software RAID) devices, C</dev/mdN>, "
           "sorted." },
  { .name = "filesystem_available", .proc = 1024, .ret = R_BOOL,
    .args = { { A_STRING, "filesystem" } },
    .shortdesc = "check if filesystem is available",
    .doc = "True if the appliance's kernel can mount filesystems of type "
           "C<filesystem> (as in F</proc/filesystems>, after loading its "
           "module if there is one).  Mounting may still need other "
           "tools: see C<guestfs_available>." },
  { .name = "drop_caches", .proc = 1025, .ret = R_ERR,
    .args = { { A_INT, "whattodrop" } },
    .shortdesc = "drop kernel page cache, dentries and inodes",
    .doc = "Sync, then write C<whattodrop> to F</proc/sys/vm/drop_caches>: "
           "1 drops the page cache, 2 dentries and inodes, 3 both.  "
           "Anything else fails with C<EINVAL>." },

  /* ---- Partitions ---- */
  { .name = "part_get_mbr_part_type", .proc = 1026, .ret = R_STRING,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" } },
    .shortdesc = "get the MBR partition type",
    .doc = "Return C<primary>, C<extended> or C<logical>: what partition "
           "C<partnum> of C<device> is.  On GPT every partition is "
           "C<primary>." },
  { .name = "part_resize", .proc = 1027, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" },
              { A_INT64, "endsect" } },
    .shortdesc = "resize a partition",
    .doc = "Move the end of partition C<partnum> of C<device> to sector "
           "C<endsect> (inclusive), its start staying where it is.  The "
           "filesystem inside is not resized." },
  { .name = "sfdisk", .proc = 1028, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "cyls" }, { A_INT, "heads" },
              { A_INT, "sectors" }, { A_STRINGLIST, "lines" } },
    .shortdesc = "create partitions on a block device",
    .doc = "Write a new partition table on C<device> from C<lines>, one "
           "partition each, in L<sfdisk(8)>'s input format.  "
           DEPRECATED_SFDISK_DOC },
  { .name = "sfdiskM", .proc = 1029, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_STRINGLIST, "lines" } },
    .shortdesc = "create partitions on a block device",
    .doc = "C<guestfs_sfdisk> with sizes in MiB.  " DEPRECATED_SFDISK_DOC },
  { .name = "sfdisk_N", .proc = 1030, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" }, { A_INT, "cyls" },
              { A_INT, "heads" }, { A_INT, "sectors" }, { A_STRING, "line" } },
    .shortdesc = "modify a single partition on a block device",
    .doc = "Change partition C<partnum> of C<device> as the sfdisk input "
           "C<line> says (B<sfdisk -N>).  " DEPRECATED_SFDISK_DOC },
  { .name = "sfdisk_l", .proc = 1031, .ret = R_STRING,
    .ret_devices = RD_TEXT,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "display the partition table",
    .doc = "Return B<sfdisk -l>'s description of the partition table of "
           "C<device>.  " DEPRECATED_SFDISK_DOC },
  { .name = "sfdisk_kernel_geometry", .proc = 1032, .ret = R_STRING,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "display the kernel geometry",
    .doc = "Return the geometry the kernel gives C<device> (B<sfdisk "
           "-g>).  " DEPRECATED_SFDISK_DOC },
  { .name = "sfdisk_disk_geometry", .proc = 1033, .ret = R_STRING,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "display the disk geometry from the partition table",
    .doc = "Return the geometry of C<device> (B<sfdisk -G>: modern sfdisk "
           "has no geometry of the partition table, and gives the "
           "kernel's).  " DEPRECATED_SFDISK_DOC },

  /* ---- GPT (gdisk) ---- */
  { .name = "part_expand_gpt", .proc = 1034, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } }, .group = "gdisk",
    .shortdesc = "move backup GPT header to the end of the disk",
    .doc = "Move the backup GPT header and table to the end of C<device>, "
           "for a disk that has grown (B<sgdisk -e>)." },
  { .name = "part_get_disk_guid", .proc = 1035, .ret = R_STRING,
    .args = { { A_DEVICE, "device" } }, .group = "gdisk",
    .shortdesc = "get the GUID of a GPT-partitioned disk",
    .doc = "Return the disk GUID of the GPT on C<device>, in capitals.  A "
           "disk without GPT fails with C<EINVAL>." },
  { .name = "part_set_disk_guid", .proc = 1036, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_STRING, "guid" } },
    .group = "gdisk",
    .shortdesc = "set the GUID of a GPT-partitioned disk",
    .doc = "Set the disk GUID of the GPT on C<device>.  " GUID_DOC },
  { .name = "part_set_disk_guid_random", .proc = 1037, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } }, .group = "gdisk",
    .shortdesc = "set the GUID of a GPT-partitioned disk to random value",
    .doc = "Give the GPT on C<device> a new random disk GUID." },
  { .name = "part_get_gpt_guid", .proc = 1038, .ret = R_STRING,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" } },
    .group = "gdisk",
    .shortdesc = "get the GUID of a GPT partition",
    .doc = "Return the unique GUID of partition C<partnum> of the GPT on "
           "C<device>, in capitals." },
  { .name = "part_set_gpt_guid", .proc = 1039, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" },
              { A_STRING, "guid" } },
    .group = "gdisk",
    .shortdesc = "set the GUID of a GPT partition",
    .doc = "Set the unique GUID of partition C<partnum>.  " GUID_DOC },
  { .name = "part_get_gpt_type", .proc = 1040, .ret = R_STRING,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" } },
    .group = "gdisk",
    .shortdesc = "get the type GUID of a GPT partition",
    .doc = "Return the partition type GUID of partition C<partnum> of the "
           "GPT on C<device>, in capitals." },
  { .name = "part_set_gpt_type", .proc = 1041, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" },
              { A_STRING, "guid" } },
    .group = "gdisk",
    .shortdesc = "set the type GUID of a GPT partition",
    .doc = "Set the partition type GUID of partition C<partnum>.  "
           GUID_DOC },
  { .name = "part_get_gpt_attributes", .proc = 1042, .ret = R_INT64,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" } },
    .group = "gdisk",
    .shortdesc = "get the attribute flags of a GPT partition",
    .doc = "Return the 64 attribute bits of partition C<partnum> of the "
           "GPT on C<device>." },
  { .name = "part_set_gpt_attributes", .proc = 1043, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT, "partnum" },
              { A_INT64, "attributes" } },
    .group = "gdisk",
    .shortdesc = "set the attribute flags of a GPT partition",
    .doc = "Set the 64 attribute bits of partition C<partnum>, all of "
           "them, to C<attributes>." },

  /* ---- LVM ---- */
  { .name = "lvrename", .proc = 1044, .ret = R_ERR,
    .args = { { A_STRING, "logvol" }, { A_STRING, "newlogvol" } },
    .shortdesc = "rename an LVM logical volume",
    .doc = "Rename the logical volume C<logvol> (C</dev/VG/LV>) to "
           "C<newlogvol> (C</dev/VG/NEWLV>, in the same volume group)." },
  { .name = "vgrename", .proc = 1045, .ret = R_ERR,
    .args = { { A_STRING, "volgroup" }, { A_STRING, "newvolgroup" } },
    .shortdesc = "rename an LVM volume group",
    .doc = "Rename the volume group C<volgroup> to C<newvolgroup>; the "
           "device nodes of its active logical volumes follow." },
  { .name = "lvm_set_filter", .proc = 1046, .ret = R_ERR,
    .args = { { A_DEVICELIST, "devices" } }, .group = "lvm2",
    .shortdesc = "set LVM device filter",
    .doc = "Make LVM see only C<devices> (whole disks or partitions: a "
           "disk does not bring its partitions).  Every volume group is "
           "deactivated first, then the devices are scanned again.  "
           "C<guestfs_lvm_clear_filter> undoes it." },
  { .name = "lvm_clear_filter", .proc = 1047, .ret = R_ERR,
    .shortdesc = "clear LVM device filter",
    .doc = "Let LVM see every device again, undoing "
           "C<guestfs_lvm_set_filter>: volume groups are deactivated and "
           "the devices scanned again." },
  { .name = "lvm_remove_all", .proc = 1048, .ret = R_ERR, .group = "lvm2",
    .shortdesc = "remove all LVM LVs, VGs and PVs",
    .doc = "Remove every logical volume, volume group and physical volume." },
  { .name = "lvresize_free", .proc = 1049, .ret = R_ERR,
    .args = { { A_DEVICE, "lv" }, { A_INT, "percent" } }, .group = "lvm2",
    .shortdesc = "expand an LV to fill free space",
    .doc = "Grow C<lv> by C<percent> (0 to 100) per cent of the free space "
           "of its volume group." },
  { .name = "pvresize", .proc = 1050, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } }, .group = "lvm2",
    .shortdesc = "resize an LVM physical volume",
    .doc = "Make the physical volume on C<device> fill it, after the "
           "device has grown." },
  { .name = "pvresize_size", .proc = 1051, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT64, "size" } },
    .group = "lvm2",
    .shortdesc = "resize an LVM physical volume (with size)",
    .doc = "Make the physical volume on C<device> C<size> bytes." },
  { .name = "pvchange_uuid", .proc = 1052, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } }, .group = "lvm2",
    .shortdesc = "generate a new random UUID for a physical volume",
    .doc = "Give the physical volume on C<device> a new random UUID." },
  { .name = "pvchange_uuid_all", .proc = 1053, .ret = R_ERR,
    .group = "lvm2",
    .shortdesc = "generate new random UUIDs for all physical volumes",
    .doc = "Give every physical volume a new random UUID." },
  { .name = "vgchange_uuid", .proc = 1054, .ret = R_ERR,
    .args = { { A_STRING, "vg" } }, .group = "lvm2",
    .shortdesc = "generate a new random UUID for a volume group",
    .doc = "Give the volume group C<vg> a new random UUID.  Its logical "
           "volumes must be inactive (C<guestfs_vg_activate>)." },
  { .name = "vgchange_uuid_all", .proc = 1055, .ret = R_ERR,
    .group = "lvm2",
    .shortdesc = "generate new random UUIDs for all volume groups",
    .doc = "Give every volume group a new random UUID (their logical "
           "volumes must be inactive)." },
  { .name = "vgmeta", .proc = 1056, .ret = R_BUFFEROUT,
    .args = { { A_STRING, "vgname" } }, .group = "lvm2",
    .shortdesc = "get volume group metadata",
    .doc = "Return the metadata of the volume group C<vgname>, as "
           "L<vgcfgbackup(8)> writes it." },

  /* ---- XFS ---- */
  { .name = "xfs_admin", .proc = 1057, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .optargs = { { O_BOOL, "extunwritten" }, { O_BOOL, "imgfile" },
                 { O_BOOL, "v2log" }, { O_BOOL, "projid32bit" },
                 { O_BOOL, "lazycounter" }, { O_STRING, "label" },
                 { O_STRING, "uuid" } },
    .group = "xfs",
    .shortdesc = "change parameters of an XFS filesystem",
    .doc = "Change parameters of the unmounted XFS filesystem on "
           "C<device> with L<xfs_admin(8)>: C<extunwritten> (B<-e>), "
           "C<imgfile> (B<-f>), C<v2log> (B<-j>), C<projid32bit> (B<-p>), "
           "C<lazycounter> (B<-c 0|1>), C<label> (B<-L>), C<uuid> "
           "(B<-U>).  The first four can only be turned on, as in "
           "xfs_admin; false leaves them alone." },
  { .name = "xfs_repair", .proc = 1058, .ret = R_INT,
    .args = { { A_DEVICE, "device" } },
    .optargs = { { O_BOOL, "forcelogzero" }, { O_BOOL, "nomodify" },
                 { O_BOOL, "noprefetch" }, { O_BOOL, "forcegeometry" },
                 { O_INT64, "maxmem" }, { O_INT64, "ihashsize" },
                 { O_INT64, "bhashsize" }, { O_INT64, "agstride" },
                 { O_STRING, "logdev" }, { O_STRING, "rtdev" } },
    .group = "xfs",
    .shortdesc = "repair an XFS filesystem",
    .doc = "Check and repair the unmounted XFS filesystem on C<device> "
           "with L<xfs_repair(8)>: C<forcelogzero> (B<-L>), C<nomodify> "
           "(B<-n>: check only), C<noprefetch> (B<-P>), C<forcegeometry>, "
           "C<ihashsize>, C<bhashsize>, C<agstride> (B<-o>), C<maxmem> "
           "(B<-m>, MiB), C<logdev> (B<-l>), C<rtdev> (B<-r>).  Returns 0 "
           "if the filesystem is sound (or was repaired), 1 if "
           "C<nomodify> found damage." },

  /* ---- NTFS ---- */
  { .name = "ntfs_3g_probe", .proc = 1059, .ret = R_INT,
    .args = { { A_BOOL, "rw" }, { A_DEVICE, "device" } },
    .group = "ntfs3g",
    .shortdesc = "probe NTFS volume",
    .doc = "Return the exit status of L<ntfs-3g.probe(8)> for C<device>, "
           "asking for a read-write mount if C<rw> is true: 0 if it can "
           "be mounted, otherwise the reason's number (12: not NTFS, 14: "
           "hibernated Windows, 15: unclean, ...)." },
  { .name = "ntfsfix", .proc = 1060, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .optargs = { { O_BOOL, "clearbadsectors" } }, .group = "ntfs3g",
    .shortdesc = "fix common errors and force Windows to check NTFS",
    .doc = "Fix common inconsistencies of the NTFS filesystem on "
           "C<device>, reset its journal and mark it for Windows to "
           "check (L<ntfsfix(8)>); C<clearbadsectors> (B<-b>) also "
           "clears the bad sector list." },
  { .name = "ntfsresize_size", .proc = 0, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT64, "size" } },
    .group = "ntfsprogs",
    .shortdesc = "resize an NTFS filesystem (with size)",
    .doc = "I<Deprecated:> C<guestfs_ntfsresize> with C<size>, which this "
           "calls." },

  /* ---- LUKS ---- */
  { .name = "luks_format_cipher", .proc = 1061, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_KEY, "key" }, { A_INT, "keyslot" },
              { A_STRING, "cipher" } },
    .group = "luks",
    .shortdesc = "format a block device as a LUKS encrypted device",
    .doc = "Like C<guestfs_luks_format>, with the cipher C<cipher> (for "
           "example C<aes-xts-plain64>; see L<cryptsetup(8)>)." },
  { .name = "luks_kill_slot", .proc = 1062, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_KEY, "key" }, { A_INT, "keyslot" } },
    .group = "luks",
    .shortdesc = "remove a key from a LUKS encrypted device",
    .doc = "Remove key slot C<keyslot> of the LUKS device C<device>.  "
           "C<key> must open one of the other slots: a wrong key fails "
           "with C<EPERM>." },

  /* ---- md (software RAID) ---- */
  { .name = "md_create", .proc = 1063, .ret = R_ERR,
    .args = { { A_STRING, "name" }, { A_DEVICELIST, "devices" } },
    .optargs = { { O_INT64, "missingbitmap" }, { O_INT, "nrdevices" },
                 { O_INT, "spare" }, { O_INT64, "chunk" },
                 { O_STRING, "level" } },
    .group = "mdadm",
    .shortdesc = "create a Linux md (RAID) device",
    .doc = "Create the md array C</dev/md/NAME> from C<devices> with "
           "L<mdadm(8)>.  C<missingbitmap>: bit I<i> set means slot I<i> "
           "of the array is C<missing> (the devices fill the other "
           "slots); C<nrdevices> the number of slots (default: devices "
           "plus missing ones, minus spares); C<spare> the number of "
           "spare devices; C<chunk> the chunk size in bytes; C<level> the "
           "RAID level (C<linear>, C<raid0>, C<raid1> (the default), "
           "C<raid4>, C<raid5>, C<raid6>, C<raid10>, ...)." },
  { .name = "md_detail", .proc = 1064, .ret = R_HASHTABLE,
    .args = { { A_DEVICE, "md" } }, .group = "mdadm",
    .shortdesc = "obtain metadata for an MD device",
    .doc = "Return what B<mdadm -D --export> says of C<md>, keys without "
           "their C<MD_> prefix and in lower case: C<level>, C<devices>, "
           "C<metadata>, C<uuid>, C<name>, ..." },
  { .name = "md_stat", .proc = 1065, .ret = R_STRUCTLIST,
    .ret_struct = "mdstat",
    .args = { { A_DEVICE, "md" } }, .group = "mdadm",
    .shortdesc = "get underlying devices from an MD device",
    .doc = "Return the devices of the md array C<md>, from "
           "F</proc/mdstat>: each one's name, index in the array, and "
           "flags: C<W> write-mostly, C<F> faulty, C<S> spare, C<R> "
           "replacement." },
  { .name = "md_stop", .proc = 1066, .ret = R_ERR,
    .args = { { A_DEVICE, "md" } }, .group = "mdadm",
    .shortdesc = "stop a Linux md (RAID) device",
    .doc = "Stop the md array C<md>: its devices are released." },

  /* ---- Windows dynamic disks (ldm) ---- */
  { .name = "ldmtool_scan", .proc = 1067, .ret = R_STRINGLIST,
    .group = "ldm",
    .shortdesc = "scan for Windows dynamic disks",
    .doc = "Return the GUIDs of the disk groups found on all the devices.  "
           LDM_DOC },
  { .name = "ldmtool_scan_devices", .proc = 1068, .ret = R_STRINGLIST,
    .args = { { A_DEVICELIST, "devices" } }, .group = "ldm",
    .shortdesc = "scan for Windows dynamic disks",
    .doc = "Like C<guestfs_ldmtool_scan>, looking only at C<devices>." },
  { .name = "ldmtool_diskgroup_name", .proc = 1069, .ret = R_STRING,
    .args = { { A_STRING, "diskgroup" } }, .group = "ldm",
    .shortdesc = "return the name of a Windows dynamic disk group",
    .doc = "Return the name of the disk group with GUID C<diskgroup>." },
  { .name = "ldmtool_diskgroup_volumes", .proc = 1070, .ret = R_STRINGLIST,
    .args = { { A_STRING, "diskgroup" } }, .group = "ldm",
    .shortdesc = "return the volumes in a Windows dynamic disk group",
    .doc = "Return the names of the volumes of the disk group "
           "C<diskgroup>." },
  { .name = "ldmtool_diskgroup_disks", .proc = 1071, .ret = R_STRINGLIST,
    .ret_devices = RD_ALL,
    .args = { { A_STRING, "diskgroup" } }, .group = "ldm",
    .shortdesc = "return the disks in a Windows dynamic disk group",
    .doc = "Return the names of the disks of the disk group "
           "C<diskgroup>." },
  { .name = "ldmtool_volume_type", .proc = 1072, .ret = R_STRING,
    .args = { { A_STRING, "diskgroup" }, { A_STRING, "volume" } },
    .group = "ldm",
    .shortdesc = "return the type of a Windows dynamic disk volume",
    .doc = "Return the type of volume C<volume> of disk group "
           "C<diskgroup>: C<simple>, C<spanned>, C<striped>, C<mirrored>, "
           "C<raid5>, ..." },
  { .name = "ldmtool_volume_hint", .proc = 1073, .ret = R_STRING,
    .args = { { A_STRING, "diskgroup" }, { A_STRING, "volume" } },
    .group = "ldm",
    .shortdesc = "return the hint field of a Windows dynamic disk volume",
    .doc = "Return the hint of the volume (the drive letter Windows gave "
           "it, often), or the empty string." },
  { .name = "ldmtool_volume_partitions", .proc = 1074, .ret = R_STRINGLIST,
    .ret_devices = RD_ALL,
    .args = { { A_STRING, "diskgroup" }, { A_STRING, "volume" } },
    .group = "ldm",
    .shortdesc = "return the partitions in a Windows dynamic disk volume",
    .doc = "Return the names of the partitions of the volume." },
  { .name = "ldmtool_create_all", .proc = 1075, .ret = R_ERR, .group = "ldm",
    .shortdesc = "scan and create Windows dynamic disk volumes",
    .doc = "Make a device-mapper device for every volume and partition of "
           "every disk group found: C</dev/mapper/ldm_vol_*> and "
           "C</dev/mapper/ldm_part_*>." },
  { .name = "ldmtool_remove_all", .proc = 1076, .ret = R_ERR, .group = "ldm",
    .shortdesc = "remove all Windows dynamic disk volumes",
    .doc = "Remove the devices C<guestfs_ldmtool_create_all> made." },
  { .name = "list_ldm_volumes", .proc = 1077, .ret = R_STRINGLIST,
    .ret_devices = RD_ALL,
    .group = "ldm",
    .shortdesc = "list all Windows dynamic disk volumes",
    .doc = "Return the C</dev/mapper/ldm_vol_*> devices, sorted." },
  { .name = "list_ldm_partitions", .proc = 1078, .ret = R_STRINGLIST,
    .ret_devices = RD_ALL,
    .group = "ldm",
    .shortdesc = "list all Windows dynamic disk partitions",
    .doc = "Return the C</dev/mapper/ldm_part_*> devices, sorted." },
  { .name = NULL },
};
