/* Finding the appliance's qemu processes from the outside, through
 * /proc, for the appliance tests. */
#ifndef GUESTFS_TEST_QEMU_PROCS_H
#define GUESTFS_TEST_QEMU_PROCS_H

#include <sys/types.h>

/* How many qemu processes use files whose path holds needle: on their
 * command line or among their open descriptors (qemu is handed its
 * drives as descriptors). */
extern int count_qemu_using (const char *needle);

/* The pid of a qemu whose parent is parent, or -1. */
extern pid_t qemu_child_of (pid_t parent);

#endif
