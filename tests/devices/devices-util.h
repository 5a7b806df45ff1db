/* Helpers shared by the device tests that run in the appliance. */
#ifndef DEVICES_UTIL_H
#define DEVICES_UTIL_H

#include <stdio.h>

#include "harness.h"

/* var = call, which returns a pointer; a NULL is a failure, reported
 * with the error of the test's handle g. */
#define OKP(var, call)                                                         \
  do {                                                                         \
    var = (call);                                                              \
    if (var == NULL) {                                                         \
      fprintf (stderr, "%s:%d: FAIL: %s: %s\n", __FILE__, __LINE__, #call,     \
               guestfs_last_error (g));                                        \
      ++test_failures;                                                         \
    }                                                                          \
  } while (0)

/* Starts the section called name (NULL: none), printing how long the
 * previous one took. */
extern void section (const char *name);

#endif
