/* What is mounted where, from /proc/self/mountinfo (mountinfo.c). */
#ifndef GUESTMOUNT_MOUNTINFO_H
#define GUESTMOUNT_MOUNTINFO_H

#include <stdbool.h>

struct mount_entry {
  long id;           /* the mount's id, unique while it is mounted */
  char dev[32];      /* "major:minor" */
  char fstype[64];   /* "fuse.guestmount" for ours */
  char source[4097]; /* what it was mounted from (our fsname) */
};

/* The topmost mount at path (absolute, resolved) into *e.  Returns
 * whether there is one. */
extern bool mountinfo_at (const char *path, struct mount_entry *e);

#endif
