/* End-to-end guestmount tests: a host guestfsd on a scratch directory
 * and guestmount connected to it (LIBGUESTFS_BACKEND=unix:SOCKET),
 * mounted on a temporary directory.  Everything is unmounted, killed
 * and removed at exit, even after a failure.
 */
#ifndef GUESTFS_TEST_MOUNTENV_H
#define GUESTFS_TEST_MOUNTENV_H

#include <stdbool.h>
#include <sys/types.h>

#include "harness.h"

struct mountenv {
  char *dir;      /* temporary directory holding everything */
  char *root;     /* the daemon's sysroot: the guest's / */
  char *mnt;      /* the mountpoint */
  char *sock;
  char *pidfile;
  char *daemon_log; /* guestfsd -v output: one line per request */
  char *gm_err;     /* guestmount's stderr */
  pid_t daemon_pid;
  pid_t gm_pid;
};

/* Skip the test (exit 77 with the reason) unless FUSE mounts work. */
extern void require_fuse (void);

/* Create the directories; the caller may fill env->root before
 * mountenv_mount.  env must live until exit (it is cleaned up then). */
extern void mountenv_init (struct mountenv *env);
/* The same, allocated. */
extern struct mountenv *mountenv_new (void);
/* Start a daemon on env->root and guestmount on env->mnt with extra
 * options (NULL-terminated).  Returns guestmount's exit status. */
extern int mountenv_mount (struct mountenv *env, const char *const *extra);

/* The pieces of mountenv_mount. */
extern void mountenv_start_daemon (struct mountenv *env);
/* env->gm_pid from guestmount's pid file (0 if there is none). */
extern void mountenv_read_pid (struct mountenv *env);
/* Run guestmount with args (NULL-terminated, no program name, nothing
 * added), LIBGUESTFS_BACKEND=backend (NULL: env's socket), stderr
 * appended to env->gm_err.  Waits for it and returns its status. */
extern int run_guestmount (struct mountenv *env, const char *const *args,
                           const char *backend);
/* Run guestunmount with args; returns its exit status. */
extern int run_guestunmount (const char *const *args);
/* guestmount's stderr so far (malloc'd, "" if none). */
extern char *gm_stderr (struct mountenv *env);
/* Processes with this command name (comm) that are our children. */
extern int children_named (const char *comm);
/* guestunmount, then wait for guestmount and the daemon to exit.
 * Returns guestmount's exit status (-1 if it had to be killed). */
extern int mountenv_unmount (struct mountenv *env);

/* A path inside the mount or the root (freed at exit). */
extern char *in_mnt (struct mountenv *env, const char *rel);
extern char *in_root (struct mountenv *env, const char *rel);

/* Requests the daemon has served so far (from its log). */
extern long daemon_requests (struct mountenv *env);

/* Run a bash command (printed); returns its exit status. */
extern int shell (const char *fmt, ...)
  __attribute__ ((format (printf, 1, 2)));

/* Is path a mount point (in /proc/self/mountinfo)? */
extern bool is_mountpoint (const char *path);
/* Wait up to secs for pid to exit; its status, or -1 on timeout. */
extern int wait_exit (pid_t pid, double secs);
/* Is the process alive? */
extern bool alive (pid_t pid);

/* Does a listing of dir hold name? */
extern bool listed (const char *dir, const char *name);

/* Start a child writing to the file name in the mount until a write
 * fails, and once it has written, kill guestmount with SIGKILL (and
 * collect it).  Returns the writer, which exits 0 if its write failed
 * as a dead mount makes it fail (EIO, ENOTCONN, ECONNABORTED). */
extern pid_t kill_during_write (struct mountenv *env, const char *name);

/* Write a whole small file (0 or -1; host_read reads one back). */
extern int write_file (const char *path, const void *data, size_t len);

extern const char *guestmount_path, *guestunmount_path, *guestfsd_path;

#endif
