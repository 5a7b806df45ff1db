/* Helpers shared by the editing tests. */
#ifndef GUESTFS_TEST_EDIT_UTIL_H
#define GUESTFS_TEST_EDIT_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "harness.h"

/* guestfs_aug_get (g, augpath) gives want; if not, says what it gave. */
extern bool aug_get_is (guestfs_h *g, const char *augpath, const char *want);

#endif
