/* For the tests of the test guests themselves (guests-check.c). */
#ifndef TEST_GUESTS_GUESTS_INTERNAL_H
#define TEST_GUESTS_GUESTS_INTERNAL_H

/* Like test_guest_path, but a guest that cannot be built is reported
 * (NULL, with *reason malloc'd) instead of skipping: for the test
 * whose job is to build them.  The path is malloc'd. */
extern char *test_guest_build (const char *kind, char **reason);

#endif
