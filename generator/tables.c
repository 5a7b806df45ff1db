/* Every action table, in the order the docs do not care about. */
#include "generator.h"

const struct action *const action_tables[] = {
  actions_config, actions_core,  actions_files,   actions_devices,
  actions_fuse,   actions_inspect, NULL,
};
