/* Library-side storage calls: drive labels and limits, and libguestfs's
 * deprecated storage calls that are one newer call with set arguments.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "guestfs-internal.h"
#include "internal-actions.h"
#include "qemu.h"

int
guestfs_impl_max_disks (guestfs_h *g)
{
  (void) g;
  /* The qemu backend gives every drive a virtio-blk disk. */
  return QEMU_MAX_DRIVES_BLK;
}

/* Drive i is the i-th whole disk the appliance lists: list_devices
 * sorts them in the order the drives were added. */
char **
guestfs_impl_list_disk_labels (guestfs_h *g)
{
  CLEANUP_FREE_STRING_LIST char **devs = guestfs_list_devices (g);
  if (devs == NULL)
    return NULL;
  size_t n = 0;
  while (devs[n])
    ++n;
  char **r = safe_malloc (g, (2 * n + 1) * sizeof *r);
  size_t k = 0;
  for (size_t i = 0; i < g->nr_drives && i < n; ++i) {
    if (g->drives[i].label == NULL)
      continue;
    r[k++] = safe_strdup (g, g->drives[i].label);
    r[k++] = safe_strdup (g, devs[i]);
  }
  r[k] = NULL;
  return r;
}

char *
guestfs_impl_get_e2label (guestfs_h *g, const char *device)
{
  return guestfs_vfs_label (g, device);
}

int
guestfs_impl_set_e2label (guestfs_h *g, const char *device, const char *label)
{
  return guestfs_set_label (g, device, label);
}

char *
guestfs_impl_get_e2uuid (guestfs_h *g, const char *device)
{
  return guestfs_vfs_uuid (g, device);
}

int
guestfs_impl_e2fsck_f (guestfs_h *g, const char *device)
{
  return guestfs_e2fsck (g, device, GUESTFS_E2FSCK_CORRECT, 1, -1);
}

int
guestfs_impl_mkfs_b (guestfs_h *g, const char *fstype, int blocksize,
                     const char *device)
{
  return guestfs_mkfs_opts (g, fstype, device, GUESTFS_MKFS_OPTS_BLOCKSIZE,
                            blocksize, -1);
}

int
guestfs_impl_ntfsresize_size (guestfs_h *g, const char *device, int64_t size)
{
  return guestfs_ntfsresize_opts (g, device, GUESTFS_NTFSRESIZE_OPTS_SIZE,
                                  size, -1);
}
