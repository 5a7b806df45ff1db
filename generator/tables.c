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
  { NULL, NULL, 0, 0, NULL },
};
