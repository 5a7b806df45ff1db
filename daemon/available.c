/* Optional groups of functions (guestfs_available).
 *
 * A group is available when the programs that implement it are
 * installed in the appliance: the test is what the actions themselves
 * need, so a group said to be available works.  Every group of
 * libguestfs 1.48 is known; one none of whose actions is implemented
 * yet (missing_groups, generated from the action table) is not
 * available, as in a libguestfs built without it.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon-actions.h"
#include "proc-table.h"
#include "storage.h"

struct group {
  const char *name;
  const char *programs[3]; /* every one of them is needed */
};

static const struct group groups[] = {
    {"acl", {NULL}},
    {"augeas", {NULL}}, /* libaugeas, linked */
    {"blkdiscard", {NULL}},       /* ioctl BLKDISCARD */
    {"blkdiscardzeroes", {NULL}}, /* ioctl BLKDISCARDZEROES */
    {"btrfs", {"btrfs", "mkfs.btrfs"}},
    {"extlinux", {NULL}},
    {"f2fs", {NULL}},
    {"fstrim", {NULL}},           /* ioctl FITRIM */
    {"gdisk", {"sfdisk"}},   /* GPT partition names */
    {"grub", {NULL}},
    {"hivex", {NULL}},       /* libhivex, linked */
    {"inotify", {NULL}},
    {"journal", {NULL}},
    {"ldm", {NULL}},
    {"libtsk", {NULL}},
    {"libyara", {NULL}},
    {"linuxcaps", {NULL}},
    {"linuxfsuuid", {NULL}}, /* libblkid, linked */
    {"linuxmodules", {NULL}},
    {"linuxxattrs", {NULL}}, /* system calls, always there */
    {"luks", {"cryptsetup"}},
    {"lvm2", {"lvm"}},
    {"mdadm", {NULL}},
    {"mknod", {NULL}},       /* system calls, always there */
    {"ntfs3g", {"ntfs-3g"}}, /* mounting NTFS */
    {"ntfsprogs", {"mkntfs", "ntfslabel"}},
    {"rsync", {NULL}},
    {"scrub", {NULL}},
    {"selinux", {NULL}},
    {"selinuxrelabel", {NULL}},
    {"sleuthkit", {NULL}},
    {"squashfs", {NULL}},
    {"syslinux", {NULL}},
    {"wipefs", {"wipefs"}},
    {"xfs", {"mkfs.xfs", "xfs_admin"}},
    {"xz", {NULL}},
    {"zerofree", {"zerofree"}},
};

static bool
is_missing (const struct group *g)
{
  for (const char *const *m = missing_groups; *m; ++m)
    if (strcmp (*m, g->name) == 0)
      return true;
  return false;
}

static const struct group *
find_group (const char *name)
{
  for (size_t i = 0; i < sizeof groups / sizeof groups[0]; ++i)
    if (strcmp (groups[i].name, name) == 0)
      return &groups[i];
  return NULL;
}

/* NULL if available, else the first missing program. */
static const char *
missing_program (const struct group *g)
{
  for (size_t i = 0; i < 3 && g->programs[i]; ++i)
    if (!program_exists (g->programs[i]))
      return g->programs[i];
  return NULL;
}

bool
group_available (const char *name)
{
  const struct group *g = find_group (name);
  return g && !is_missing (g) && missing_program (g) == NULL;
}

/* 1 if all available, 0 if not (and with report, a reply naming the
 * missing group), -1 after replying for an unknown group. */
static int
check_groups (char *const *names, bool report)
{
  for (size_t i = 0; names[i]; ++i) {
    const struct group *g = find_group (names[i]);
    if (g == NULL) {
      reply_with_error_errno (EINVAL,
                              "%s: unknown group (see "
                              "guestfs_available_all_groups)",
                              names[i]);
      return -1;
    }
    if (is_missing (g)) {
      if (report)
        reply_with_error_errno (ENOTSUP,
                                "%s: group not available: none of its "
                                "functions is implemented yet",
                                names[i]);
      return 0;
    }
    const char *missing = missing_program (g);
    if (missing) {
      if (report)
        reply_with_error_errno (ENOTSUP,
                                "%s: group not available in this "
                                "appliance (%s is not installed)",
                                names[i], missing);
      return 0;
    }
  }
  return 1;
}

int
do_available (char *const *groups_)
{
  return check_groups (groups_, true) == 1 ? 0 : -1;
}

int
do_feature_available (char *const *groups_)
{
  return check_groups (groups_, false);
}

char **
do_available_all_groups (void)
{
  struct stringsbuf sb = {0};
  for (size_t i = 0; i < sizeof groups / sizeof groups[0]; ++i)
    if (add_string (&sb, groups[i].name) == -1) {
      free_stringsbuf (&sb);
      return NULL;
    }
  return take_strings (&sb);
}
