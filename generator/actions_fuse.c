/* Open-file handles and batched metadata, the calls guestmount is built on.
 *
 * Procedure numbers 500-599: stable, append-only.
 */
#include "generator.h"

const struct action actions_fuse[] = {
  { .name = NULL },
};
