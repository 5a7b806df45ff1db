/* What each procedure number means on the wire: generated from the
 * action table into proc-table.c, and shared by the library (for
 * debug messages), the daemon and the fuzzer. */
#ifndef GUESTFS_PROC_TABLE_H
#define GUESTFS_PROC_TABLE_H

#include <stddef.h>
#include "guestfs_protocol.h"

struct proc_info {
  const char *name;     /* NULL for an unused number */
  xdrproc_t args_xdr;   /* NULL if the call has no arguments */
  size_t args_size;
  xdrproc_t ret_xdr;    /* NULL if the reply carries no value */
  size_t ret_size;
  int file_in;          /* chunks follow the request */
  int file_out;         /* chunks follow the reply */
  int has_key;          /* the request carries a key: wipe it after use */
};

extern const struct proc_info proc_table[GUESTFS_PROC_NR_PROCS];

/* The optional groups every action of which is unavailable in this
 * build (FL_UNAVAILABLE in the table), NULL-terminated. */
extern const char *const missing_groups[];

static inline const struct proc_info *
proc_lookup (unsigned proc)
{
  if (proc >= GUESTFS_PROC_NR_PROCS || proc_table[proc].name == NULL)
    return NULL;
  return &proc_table[proc];
}

#endif
