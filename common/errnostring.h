/* errno <-> name, so that errors cross the wire by name: the daemon's
 * and the library's numbering need not agree. */
#ifndef GUESTFS_ERRNOSTRING_H
#define GUESTFS_ERRNOSTRING_H

/* The name of errnum ("ENOENT"), or NULL if it has none. */
extern const char *guestfs_int_errno_to_string (int errnum);

/* The host's errno for a name, or EINVAL if the name is unknown. */
extern int guestfs_int_string_to_errno (const char *name);

#endif
