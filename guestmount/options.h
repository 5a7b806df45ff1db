/* guestmount's command line (options.c): what parse_args leaves
 * outside config.
 */
#ifndef GUESTMOUNT_OPTIONS_H
#define GUESTMOUNT_OPTIONS_H

#include "guestmount.h"

extern struct setup setup;     /* -a, -m, -i, --key and friends */
extern const char *mountpoint; /* as given */
extern bool no_fork, no_sync;
extern const char *pid_file; /* --pid-file, or NULL */
extern int ready_fd;         /* --fd, or -1 */
extern char *fuse_opts;      /* -o options passed on to libfuse */

/* Parse the command line into config and the above.  Exits with a
 * message on a usage error, and after --help, --version and the
 * like. */
extern void parse_args (int argc, char *argv[]);
/* Whether -o passed the option name on to libfuse. */
extern bool has_fuse_option (const char *name);

#endif
