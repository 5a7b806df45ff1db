/* Inspection.
 *
 * Procedure numbers 600-699: stable, append-only.
 */
#include "generator.h"

const struct action actions_inspect[] = {
  { .name = NULL },
};
