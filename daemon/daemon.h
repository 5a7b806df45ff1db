/* guestfsd internals shared by the protocol loop and the actions.
 *
 * The error idiom: an action that fails calls one of the
 * reply_with_error functions exactly once and returns its error value
 * (-1 or NULL).  The generated dispatcher sends the success reply.
 */
#ifndef GUESTFSD_DAEMON_H
#define GUESTFSD_DAEMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "guestfs_protocol.h"

/* ---- guestfsd.c ---- */
extern bool verbose;
/* Root of the guest filesystems: "/sysroot" in the appliance, "" with
 * -r, or the scratch directory given with --sysroot. */
extern const char *sysroot;
extern size_t sysroot_len;
/* Running on the host against a scratch directory (tests). */
extern bool host_mode;

#define debug(fs, ...)                                                       \
  do {                                                                       \
    if (verbose)                                                             \
      fprintf (stderr, "guestfsd: " fs "\n", ##__VA_ARGS__);                 \
  } while (0)

/* ---- proto.c ---- */
extern uint64_t optargs_bitmask;
/* Name of the procedure being served, for error messages. */
extern const char *current_proc_name;

extern void serve_connection (int sock);

extern void reply (xdrproc_t xdrp, char *ret);
extern void reply_with_error_errno (int err, const char *fs, ...)
  __attribute__ ((format (printf, 2, 3)));
#define reply_with_error(...) reply_with_error_errno (0, __VA_ARGS__)
/* Like reply_with_error, appending ": strerror(errno)". */
#define reply_with_perror(...) reply_with_perror_errno (errno, __VA_ARGS__)
extern void reply_with_perror_errno (int err, const char *fs, ...)
  __attribute__ ((format (printf, 2, 3)));

/* FileIn: read the chunks that follow the request, passing each to cb.
 * Returns 0 when all arrived, -1 on error (after which the caller must
 * reply_with_error), -2 if the library cancelled (no reply is sent). */
typedef int (*receive_cb) (void *opaque, const void *buf, size_t len);
extern int receive_file (receive_cb cb, void *opaque);
/* Refuse the rest of a FileIn transfer (before replying with an error). */
extern int cancel_receive (void);

/* FileOut: send the success reply, then data chunks, then the end
 * chunk.  send_file_write returns -1 if the library cancelled, after
 * which the action must reply_with_error (the end is then a cancel
 * chunk followed by the error reply). */
extern int send_file_write (const void *buf, size_t len);
extern int send_file_end (int cancel);
extern bool file_out_started (void);

/* Progress for long-running actions: rate-limited here. */
extern void notify_progress (uint64_t position, uint64_t total);

/* ---- sysroot.c: resolving guest paths ---- */
extern int check_pathname (const char *argname, const char *path);
/* Open path inside the sysroot, following symlinks within it. */
extern int sysroot_open (const char *path, int flags, mode_t mode);
/* Open the directory holding path's last component and set *base to a
 * malloc'd copy of that component.  Refuses "." and ".." as the last
 * component with EINVAL, and "/" (which has no parent) with EBUSY. */
extern int sysroot_open_parent (const char *path, char **base);
extern int sysroot_lstat (const char *path, struct stat *st);
/* The host path of a guest path, for external commands that need a
 * path: /proc/self/fd/N of an O_PATH descriptor the caller closes. */
extern char *sysroot_fd_path (int fd);

/* ---- devices.c ---- */
extern int resolve_device (const char *argname, char **dev);
extern int resolve_mountable (const char *argname, char **mountable);
extern int resolve_device_list (const char *argname, char **devs, u_int n);

/* ---- utils.c ---- */
extern char **terminate_list (char **val, u_int len);
extern size_t count_strings (char *const *list);
extern void free_strings (char **list);
/* A growable, NULL-terminated string list. */
struct stringsbuf {
  char **argv;
  size_t size, alloc;
};
extern int add_string (struct stringsbuf *sb, const char *s);
extern int add_string_nodup (struct stringsbuf *sb, char *s);
extern char **take_strings (struct stringsbuf *sb); /* adds the NULL */
extern void free_stringsbuf (struct stringsbuf *sb);
extern void sort_strings (char **list, size_t n);

/* ---- autosync.c ---- */
extern int umount_all_under_sysroot (void);

extern void dispatch_incoming_message (unsigned proc, XDR *xdr_in);

#endif
