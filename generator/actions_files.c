/* Files, directories, data and transfers.
 *
 * Procedure numbers 100-299: stable, append-only.
 */
#include "generator.h"

const struct action actions_files[] = {
  { .name = NULL },
};
