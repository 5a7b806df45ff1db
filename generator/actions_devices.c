/* Devices, partitions, LVM, LUKS, filesystems and mounting.
 *
 * Procedure numbers 300-499: stable, append-only.
 */
#include "generator.h"

const struct action actions_devices[] = {
  { .name = NULL },
};
