/* Does a block device hold an LVM2 physical volume?  Used where running
 * the lvm tool (a few hundred ms under emulation) only to find that
 * there is nothing to do would be wasted: the appliance's init at boot,
 * and the daemon after drives are hot-added into a restored appliance.
 *
 * A physical volume carries a label in one of its first four sectors:
 * "LABELONE" at the start of the sector and the type string "LVM2 001"
 * at offset 24.
 */
#ifndef GUESTFS_LVM_LABEL_H
#define GUESTFS_LVM_LABEL_H

#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

static inline bool
has_lvm_label (const char *dev)
{
  unsigned char buf[4 * 512];
  int fd = open (dev, O_RDONLY | O_CLOEXEC);
  if (fd == -1)
    return false;
  ssize_t r = pread (fd, buf, sizeof buf, 0);
  close (fd);
  for (ssize_t off = 0; off + 512 <= r; off += 512)
    if (memcmp (buf + off, "LABELONE", 8) == 0 &&
        memcmp (buf + off + 24, "LVM2 001", 8) == 0)
      return true;
  return false;
}

#endif /* GUESTFS_LVM_LABEL_H */
