/* Every action table, and the procedure numbers each may use: the one
 * place the ranges are written.  Procedure numbers are wire ABI, so a
 * range only ever grows into unused numbers. */
#include "generator.h"

const struct action_table action_tables[] = {
  { "actions_config.c", actions_config, 0, 0,
    "library-side: configuration, launch, state" },
  { "actions_core.c", actions_core, 1, 99, "core file operations" },
  { "actions_files.c", actions_files, 100, 299,
    "files, directories, data, transfers" },
  { "actions_devices.c", actions_devices, 300, 499,
    "devices, partitions, LVM, LUKS, filesystems" },
  { "actions_fuse.c", actions_fuse, 500, 599,
    "open-file handles and batched metadata" },
  { "actions_inspect.c", actions_inspect, 600, 699, "inspection" },
  { "actions_unavailable.c", actions_unavailable, 0, 0,
    "libguestfs actions not implemented yet" },
  { "actions_edit.c", actions_edit, 700, 899,
    "editing: augeas, hivex, filesystem maintenance" },
  { "actions_storage.c", actions_storage, 1000, 1199,
    "block devices, partition tables, ext2 attributes, LVM and md" },
  { "actions_text.c", actions_text, 900, 999,
    "text search, archives, checksums, data utilities" },
  { "actions_optional.c", actions_optional, 1300, 1399,
    "optional groups: ACLs, capabilities, SELinux, journal, inotify, "
    "Sleuth Kit, YARA, scrub, squashfs, boot loaders, f2fs, modules" },
  { "actions_btrfs.c", actions_btrfs, 1200, 1299,
    "btrfs: filesystems, devices, subvolumes, quotas, balance, scrub" },
  { "actions_library.c", actions_library, 1400, 1499,
    "library-side: local mounts, libvirt, disk images, tests" },
  { "actions_debug.c", actions_debug, 1500, 1599,
    "debugging and internals: the debug command, appliance uploads" },
  { NULL, NULL, 0, 0, NULL },
};

const struct action *const concurrent_actions = actions_fuse;

/* Optional groups this project provides, even where some of
 * libguestfs's actions in them are not implemented yet: the appliance
 * has their tools, and the implemented actions (mkfs, mount, ...) use
 * them.  Every other group with no implemented action is missing, and
 * guestfs_feature_available says so. */
const char *const provided_groups[] = {
  "btrfs", "gdisk", "linuxxattrs", "luks", "lvm2", "mknod", "ntfs3g",
  "ntfsprogs", "wipefs", "xfs", NULL,
};
