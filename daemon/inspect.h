/* Inspection in the daemon: shared by inspect.c (the driver: candidate
 * filesystems, private mounts, the device index, the reply),
 * inspect-fs.c (reading guest files safely), inspect-linux.c and
 * inspect-windows.c.  The parsers are in inspect-parse.h.
 *
 * The answer is a flat list of facts, key then value (see
 * internal_inspect in generator/actions_inspect.c): the library parses
 * it into its cache.
 */
#ifndef GUESTFSD_INSPECT_H
#define GUESTFSD_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon.h"

/* No file of the guest is read beyond this many bytes. */
#define INSPECT_MAX_FILE (1024 * 1024)
/* Limits on what one system can contribute to the answer. */
#define INSPECT_MAX_MOUNTPOINTS 256
#define INSPECT_MAX_TEXT 1024 /* product names and the like */

/* What libblkid says about a device, for matching /etc/fstab's
 * UUID=, LABEL=, PARTUUID= and PARTLABEL= (empty strings if absent). */
struct device_info {
  char *dev;  /* as list_filesystems names it */
  char *type; /* its filesystem type there */
  char *uuid, *label, *partuuid, *partlabel;
};

struct inspect_ctx {
  char **filesystems;          /* list_filesystems: mountable, type, ... */
  char **disks;                /* the whole disks, in order */
  char **lvs;                  /* /dev/VG/LV, or NULL */
  struct device_info *devices; /* probed on first use */
  size_t nr_devices;
  bool devices_probed;
  struct stringsbuf facts; /* the answer */
  bool failed;             /* out of memory: the answer is incomplete */
};

/* A candidate filesystem while it is examined. */
struct inspect_fs {
  const char *mountable;
  const char *fstype;
  int root_fd; /* O_PATH descriptor of its root (a private mount) */
};

/* ---- inspect.c ---- */
/* Add one fact (a key and a value) to the answer. */
extern void add_fact (struct inspect_ctx *ctx, const char *key,
                      const char *value);
extern void add_fact_int (struct inspect_ctx *ctx, const char *key, int v);
/* The filesystem type of a mountable in the list_filesystems result,
 * or NULL if it is not there. */
extern const char *listed_type (struct inspect_ctx *ctx, const char *mountable);
/* The probed devices (probing them the first time). */
extern const struct device_info *inspect_devices (struct inspect_ctx *ctx,
                                                  size_t *n);
/* The kernel name (vda2) and, for a partition, the disk it belongs to
 * (vda) and its first 512-byte sector.  Returns false for anything
 * that is not a partition. */
extern bool partition_position (const char *dev, char **disk_kname,
                                uint64_t *start_sector);

/* ---- inspect-fs.c: guest files, resolved inside the candidate ---- */
/* openat2 under root_fd with every path (and symlink) resolved inside
 * it; O_CLOEXEC | O_NOCTTY | O_NONBLOCK are added.  -1 with errno. */
extern int guest_open (int root_fd, const char *path, int flags);
/* The first max bytes of a regular file, NUL-terminated (*len excludes
 * the NUL).  NULL if it is absent, not a regular file or unreadable. */
extern char *guest_read (int root_fd, const char *path, size_t max,
                         size_t *len);
extern bool guest_is_dir (int root_fd, const char *path);
extern bool guest_is_file (int root_fd, const char *path);
/* Resolve path one name at a time, each compared without regard to
 * ASCII case (an exact match preferred), following no symbolic link.
 * Returns the path as spelt on the disk (malloc'd), or NULL. */
extern char *guest_find_nocase (int root_fd, const char *path);

/* ---- inspect-linux.c ---- */
extern bool is_linux_root (int root_fd);
extern void inspect_linux (struct inspect_ctx *ctx,
                           const struct inspect_fs *fs);

/* ---- inspect-windows.c ---- */
/* The Windows directory (as spelt on the disk, malloc'd) if the
 * filesystem holds a Windows system, else NULL. */
extern char *windows_systemroot (int root_fd);
extern void inspect_windows (struct inspect_ctx *ctx,
                             const struct inspect_fs *fs,
                             const char *systemroot);

#endif
