/* Helpers shared by the device, partition, LVM, LUKS, filesystem and
 * mount actions (blockdev.c, blkid.c, parted.c, lvm.c, luks.c, mkfs.c,
 * mount.c, btrfs.c, listfs.c, available.c, storage.c).
 */
#ifndef GUESTFSD_STORAGE_H
#define GUESTFSD_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon.h"

/* ---- storage.c: running the storage tools ----
 *
 * Wrappers of command.c's run_command for tools run on the appliance's
 * own root: the exit status is decoded (0..255, or 128+N for death by
 * signal N; -1 with errno if the program could not be run), and the
 * command line is logged in verbose mode.  Secrets go only through
 * stdin, written from the caller's buffer: never on a command line,
 * never logged, never copied.
 */
extern int run_capture (const char *const *argv, char **out, char **err);
extern int run_with_input (const char *const *argv, const void *in, size_t len,
                           char **out, char **err);

/* Reply with "PREFIX: PROGRAM: its error output" for a program that
 * failed (status as from run_capture, err its stderr or NULL), with
 * errno value errnum. */
extern void reply_with_program_error (int errnum, const char *program,
                                      int status, const char *err,
                                      const char *fs, ...)
    __attribute__ ((format (printf, 5, 6)));

/* run_capture, and on failure reply as above with subject (the
 * argument the action was given) as the prefix.  Returns 0 or -1. */
extern int run_or_reply (const char *subject, const char *const *argv,
                         char **out);

/* True if the program can be found in PATH. */
extern bool program_exists (const char *name);

/* ---- blockdev.c ---- */
/* The whole disks of the guest, sorted (the appliance's own disk
 * excluded).  Replies on error. */
extern char **list_guest_disks (void);
/* The appliance's own disk (or a partition of it): never the caller's. */
extern bool is_appliance_device (const char *path);
/* Sort device names so that /dev/sdb < /dev/sdaa and sda2 < sda10. */
extern void sort_device_names (char **list, size_t n);
/* Make the kernel see the partition table of disk now on disk, then
 * wait for its partition nodes.  Replies on error. */
extern int reread_partitions (const char *disk);
/* The kernel name (sda1) of a device path, from its device number:
 * follows symlinks such as /dev/VG/LV.  malloc'd, NULL (errno) if not
 * a block device. */
extern char *block_kernel_name (const char *dev);
/* Flush and drop the kernel's cached blocks of dev, so that a probe
 * sees what other devices (the whole disk, a partition) wrote. */
extern void flush_block_cache (const char *dev);

/* ---- blkid.c ---- */
/* The value of tag (TYPE, LABEL, UUID, ...) of the filesystem or other
 * signature on dev: malloc'd, "" if none.  NULL with a reply on error. */
extern char *probe_tag (const char *dev, const char *tag);
/* The TYPE, without replying: NULL on any error. */
extern char *probe_type_quiet (const char *dev);
/* Is dev an MBR extended partition (a container, not a filesystem)? */
extern bool is_mbr_extended_partition (const char *dev);

/* ---- devices.c: mountables ---- */
/* Split a resolved mountable into its device and btrfs subvolume
 * (NULL for a plain device).  Both malloc'd.  Replies on error. */
extern int split_mountable (const char *mountable, char **dev, char **subvol);

/* ---- btrfs.c ---- */
/* The host path of a guest directory, resolved inside the sysroot,
 * for a tool that must be given a mount point (malloc'd).  Replies on
 * error. */
extern char *resolve_dir (const char *path);

/* ---- mkfs.c ---- */
/* mkswap on device, with a label and a UUID unless NULL.  Replies on
 * error. */
extern int mkswap_device (const char *device, const char *label,
                          const char *uuid);

/* ---- mount.c ---- */
struct mount_entry {
  char *source;     /* as the kernel reports it, e.g. /dev/mapper/vg-lv */
  char *mountpoint; /* host path, unescaped */
  char *fstype;
  char *root; /* the mounted subtree (btrfs subvolume) */
};
/* Mounts at or under the sysroot, in mount order.  Replies on error. */
extern struct mount_entry *list_sysroot_mounts (size_t *n);
extern void free_mount_entries (struct mount_entry *m, size_t n);
/* Mount dev (with options, possibly "") on dir, a host directory or
 * /proc/self/fd/N, type fstype (NULL: detect).  Replies on error,
 * naming subject. */
extern int mount_device_at (const char *subject, const char *dev,
                            const char *fstype, const char *options,
                            const char *dir);
/* A private scratch mount of dev, for actions that need a mounted
 * filesystem (btrfs subvolumes): returns the malloc'd directory, or
 * NULL with a reply.  release_scratch_mount unmounts and removes it. */
extern char *scratch_mount (const char *dev, const char *fstype,
                            const char *options);
extern void release_scratch_mount (char *dir);

/* ---- lvm.c ---- */
/* Run "lvm CMD ..." with the appliance's fixed configuration (as
 * run_capture; -1 with EPERM on the host, whose LVM is not ours). */
extern int run_lvm (const char *const *args, char **out, char **err);
/* The logical volumes as /dev/VG/LV, sorted.  NULL on error, without
 * replying. */
extern char **list_logical_volumes (void);
/* The canonical name of a device: /dev/VG/LV for logical volumes,
 * otherwise the name given.  malloc'd. */
extern char *canonical_device_name (const char *dev);
/* True if the device-mapper device (dm-N kernel name) is an LVM LV. */
extern bool dm_is_logical_volume (const char *kname);

/* ---- btrfs.c ---- */
/* Subvolume paths of the btrfs filesystem on dev.  NULL on error,
 * without replying. */
extern char **list_btrfs_subvolume_paths (const char *dev);

/* ---- available.c ---- */
extern bool group_available (const char *group);

#endif
