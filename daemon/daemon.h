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

/* ---- network.c ---- */
/* Configure the appliance's network card (-n). */
extern void network_up (void);

/* ---- proto.c ---- */
/* Both are the serving thread's own (one thread per connection). */
extern __thread uint64_t optargs_bitmask;
/* Optional-argument bits: the n-th optional argument in the table. */
#define OPTARG_SET(n) ((optargs_bitmask & (UINT64_C (1) << (n))) != 0)
/* Name of the procedure being served, for error messages. */
extern __thread const char *current_proc_name;

/* Serve the library on sock until it closes.  The daemon serves its
 * main channel and each extra channel in a thread of its own; the end
 * of the main connection releases the per-client state. */
extern void serve_connection (int sock, bool main_connection);
/* guestfsd.c: send the launch flag again on the extra virtio-serial
 * ports.  Each port's thread sent it when the daemon started; after a
 * restore from the saved appliance, that flag went to the qemu that
 * saved it, and the library reading the port now waits for one.  The
 * ports' threads are then waiting for a first request, so nothing else
 * writes to them. */
extern void announce_extra_ports (void);
/* The request a thread serves: a helper thread that acts and replies
 * for it (run_confined) adopts it for the time of the call. */
struct request_context {
  void *connection;
  const char *proc_name;
  uint64_t optargs_bitmask;
};
extern void request_context_save (struct request_context *rc);
extern void request_context_adopt (const struct request_context *rc);
/* Start a detached thread with every signal blocked.  Returns 0, or -1
 * with errno set. */
extern int start_thread (void *(*fn) (void *), void *arg);

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

/* The data a reply can carry, leaving room for the header.  Batched
 * listings (internal_*list) answer fewer names rather than build a
 * larger reply, and the library asks again for the rest. */
#define REPLY_BUDGET (GUESTFS_MESSAGE_MAX - 65536)

/* Progress for long-running actions: rate-limited here. */
extern void notify_progress (uint64_t position, uint64_t total);

/* ---- stat.c, entry.c ---- */
/* Copy a struct stat into the fields of an XDR struct that spells them
 * st_dev ... st_ctime_nsec (statns, fuse_entry). */
#define COPY_STAT_FIELDS(r, st)                                              \
  do {                                                                       \
    (r)->st_dev = (st)->st_dev;                                              \
    (r)->st_ino = (st)->st_ino;                                              \
    (r)->st_mode = (st)->st_mode;                                            \
    (r)->st_nlink = (st)->st_nlink;                                          \
    (r)->st_uid = (st)->st_uid;                                              \
    (r)->st_gid = (st)->st_gid;                                              \
    (r)->st_rdev = (st)->st_rdev;                                            \
    (r)->st_size = (st)->st_size;                                            \
    (r)->st_blksize = (st)->st_blksize;                                      \
    (r)->st_blocks = (st)->st_blocks;                                        \
    (r)->st_atime_sec = (st)->st_atim.tv_sec;                                \
    (r)->st_atime_nsec = (st)->st_atim.tv_nsec;                              \
    (r)->st_mtime_sec = (st)->st_mtim.tv_sec;                                \
    (r)->st_mtime_nsec = (st)->st_mtim.tv_nsec;                              \
    (r)->st_ctime_sec = (st)->st_ctim.tv_sec;                                \
    (r)->st_ctime_nsec = (st)->st_ctim.tv_nsec;                              \
  } while (0)

/* ---- sysroot.c: resolving guest paths ---- */
extern int check_pathname (const char *argname, const char *path);
/* Open path inside the sysroot, following symlinks within it. */
extern int sysroot_open (const char *path, int flags, mode_t mode);
/* Open the directory holding path's last component and set *base to a
 * malloc'd copy of that component.  Refuses "." and ".." as the last
 * component with EINVAL, and "/" (which has no parent) with EBUSY. */
extern int sysroot_open_parent (const char *path, char **base);
/* A guest path opened for acting on the name itself, without
 * following a final symbolic link: its parent directory (dirfd) and
 * last component (base), or, for "/" and a trailing "." or "..",
 * which have no usable parent and are never links, the directory
 * itself (fd; dirfd -1 and base NULL then). */
struct sysroot_name {
  int dirfd;
  char *base;
  int fd;
};
extern int sysroot_open_name (const char *path, struct sysroot_name *n);
/* Close what sysroot_open_name opened (errno is kept). */
extern void sysroot_close_name (struct sysroot_name *n);
extern int sysroot_lstat (const char *path, struct stat *st);
/* The host path of a guest path, for external commands that need a
 * path: /proc/self/fd/N of an O_PATH descriptor the caller closes. */
extern char *sysroot_fd_path (int fd);
/* The path of a guest path resolved inside the sysroot, without
 * symbolic links (malloc'd; NULL with errno), for programs that must
 * be given a real path.  The guest could change its tree after the
 * check, so this works only in the appliance (which is the sandbox):
 * on the host it fails with ENOTSUP. */
extern char *sysroot_real_path (const char *path);
/* Run fn on the parent directory of path and its last component (see
 * sysroot_open_parent).  Replies "PATH: strerror" if either fails. */
typedef int (*at_fn) (int dirfd, const char *base, void *opaque);
extern int at_parent (const char *path, at_fn fn, void *opaque);
/* at_parent for a name about to be created: "/", "." and ".." are
 * refused with EEXIST (they always exist) instead of EBUSY/EINVAL. */
extern int at_new_name (const char *path, at_fn fn, void *opaque);
/* The owner the caller gives what it creates (create.c): uid and gid
 * are the optional arguments of the fuse_* creating actions, each -1
 * when not given.  give_new_owner makes base in dirfd (just created
 * with mode) theirs, as a kernel filesystem makes a new file its
 * creator's: in a set-group-ID directory the group stays the
 * directory's.  Returns 0, or -1 with errno. */
struct new_owner {
  int64_t uid, gid;
};
extern struct new_owner new_owner_of (unsigned uid_optarg, int64_t uid,
                                      unsigned gid_optarg, int64_t gid);
extern int give_new_owner (int dirfd, const char *base,
                           const struct new_owner *o, mode_t mode);
/* The same with the parents of two paths (rename, link).  Replies
 * "PATH1 to PATH2: strerror" if fn fails. */
typedef int (*at2_fn) (int dir1, const char *base1, int dir2,
                       const char *base2, void *opaque);
extern int at_parents (const char *path1, const char *path2, at2_fn fn,
                       void *opaque);
/* A name inside a directory that is not one plain component ("", ".",
 * "..", or holding a slash) must be resolved from the sysroot. */
extern bool name_needs_full_resolution (const char *name);
/* sysroot_open_parent for the entry name of directory dir, open as
 * dirfd: a plain name is taken in dirfd itself. */
extern int sysroot_open_entry_parent (int dirfd, const char *dir,
                                      const char *name, char **base);
/* Run fn on an O_PATH descriptor of path: the symbolic link itself
 * unless follow.  Replies "PATH: strerror" if either fails. */
typedef int (*fd_fn) (int fd, void *opaque);
extern int at_path_fd (const char *path, bool follow, fd_fn fn,
                       void *opaque);

/* ---- devices.c ---- */
/* The Augeas handle holds its root directory open, which would keep a
 * filesystem busy: close it before unmounting the filesystem mounted
 * at mountpoint, if its root is there (NULL: before unmounting them
 * all).  Augeas calls then need aug_init again, as after aug_close. */
extern void augeas_release_for_unmount (const char *mountpoint);
extern int resolve_device (const char *argname, char **dev);
extern int resolve_mountable (const char *argname, char **mountable);
extern int resolve_device_list (const char *argname, char **devs, u_int n);
/* Device names in replies as callers name disks, in place: /dev/vdb2
 * becomes /dev/sdb2 (also inside btrfsvol:...); other names are left
 * as they are.  callers_device_names renames names[first],
 * names[first + step], ...; callers_names_in_text every whole disk or
 * partition name in a text (messages, tool output). */
extern void callers_device_name (char *name);
extern void callers_device_names (char **names, size_t first, size_t step);
extern void callers_names_in_text (char *text);

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
/* Split a program's output (taken over, may be NULL) into lines,
 * dropping the last newline.  NULL after replying if out of memory. */
extern char **split_lines (char *out);
/* Read up to len bytes at off, retrying short reads; fewer only at
 * the end of the file.  Returns the bytes read or -1. */
extern ssize_t pread_full (int fd, char *buf, size_t len, off_t off);
/* pwrite(2) all of buf, retrying short writes. */
extern int pwrite_all (int fd, const char *buf, size_t len, off_t off);
/* The same, leaving holes where buf holds 64 KiB pieces of zeros: the
 * file (a regular one, already the right size or extended later)
 * stays sparse. */
extern int pwrite_sparse (int fd, const char *buf, size_t len, off_t off);
/* Call fn for each entry of the directory open as fd (which this takes
 * over and closes), "." and ".." aside.  Stops at the first fn that
 * returns -1; returns -1 with errno set if fn or reading failed. */
typedef int (*dirent_fn) (int dirfd, const char *name, void *opaque);
extern int for_each_entry (int fd, dirent_fn fn, void *opaque);
/* An inode, in the sets (tsearch) of hard-linked files already seen;
 * a struct that starts with one can be compared with it. */
struct inode_key {
  dev_t dev;
  ino_t ino;
};
extern int compare_inode_keys (const void *a, const void *b);
/* After receive_file returned r (errno err): reply "NAME: cancelled"
 * for -2 or "NAME: strerror" for -1.  Returns 0 if r is 0, else -1. */
extern int reply_if_receive_failed (int r, int err, const char *name);

/* ---- command.c: running programs without a shell ---- */
struct command_opts {
  int stdin_fd;    /* the child's stdin, or -1 for /dev/null */
  bool stdin_pipe; /* give it a pipe instead, fed with command_write */
  int cwd_fd;      /* directory to start in, or -1 */
  bool chroot_sysroot; /* chroot into the sysroot (guest programs) */
  /* Host mode: the child may only write beneath this directory. */
  int confine_fd;
  /* Given to the child as descriptor 3 (its /proc/self/fd/3), or -1. */
  int keep_fd;
  /* Stream stdout to this instead of capturing it (-1: stop). */
  int (*stdout_cb) (void *opaque, const void *buf, size_t len);
  void *opaque;
};
#define COMMAND_OPTS_INIT                                                    \
  { .stdin_fd = -1, .cwd_fd = -1, .confine_fd = -1, .keep_fd = -1 }
struct command_buf {
  char *data;
  size_t len, alloc, max;
  bool truncated;
};
struct command {
  pid_t pid;
  int in_fd, out_fd, err_fd;
  const struct command_opts *opts;
  struct command_buf out, err;
  bool cancelled; /* stdout_cb asked to stop */
};
/* Start argv[0] (found in PATH).  Returns 0 or -1 with errno set. */
extern int command_start (struct command *cmd, const char *const *argv,
                          const struct command_opts *opts);
/* Feed the child's stdin pipe, draining its output meanwhile.  -1 with
 * errno EPIPE if the child stopped reading. */
extern int command_write (struct command *cmd, const void *buf, size_t len);
/* Close stdin, drain the output, reap the child.  Returns its wait
 * status, or -1 (E2BIG: more stdout than a reply carries).  Sets
 * *stdout_r (NULL after -1) and *stderr_r, NUL-terminated, for the
 * caller to free; either pointer may be NULL. */
extern int command_finish (struct command *cmd, char **stdout_r,
                           char **stderr_r);
/* Run argv with no input; capture both outputs.  Returns the wait
 * status, or -1 if it could not be run. */
extern int run_command (char **stdout_r, char **stderr_r,
                        const char *const *argv);
extern int run_command_opts (char **stdout_r, char **stderr_r,
                             const char *const *argv,
                             const struct command_opts *opts);
/* If status is not a clean exit, reply with an error naming what and
 * including the program's stderr, and return -1; else return 0. */
extern int reply_if_command_failed (const char *what, int status,
                                    const char *err);
/* A program's stderr as one line for an error message (malloc'd):
 * trimmed, with its line breaks as "; ". */
extern char *one_line_message (const char *text);

/* ---- data.c ---- */
/* Open a regular file for reading (O_NONBLOCK, so that a FIFO the
 * guest planted is never waited on); replies on failure, with EISDIR
 * for a directory and EINVAL for anything else not a regular file. */
extern int open_regular_file (const char *path);

/* ---- find.c ---- */
/* Run a host tool with stdin_fd and cwd_fd (each -1 for none) and
 * return its stdout, or NULL after replying (it failed, or its output
 * does not fit in a reply: E2BIG). */
extern char *run_tool (const char *const *argv, int stdin_fd, int cwd_fd);
/* Walking trees: fn is called for every entry below directory, with
 * name inside dirfd, rel its path from the top ("a/b") and st its
 * lstat; it returns 0 or -1 (errno).  Replies on failure. */
typedef int (*walk_fn) (int dirfd, const char *name, const char *rel,
                        const struct stat *st, void *opaque);
extern int walk_tree (const char *directory, walk_fn fn, void *opaque);

/* ---- stream.c: FileIn and FileOut through a program ---- */
/* Run argv (with opts) fed with the FileIn upload on its stdin.
 * Replies on failure, naming subject or quoting the program. */
extern int command_receive_input (const char *subject,
                                  const char *const *argv,
                                  struct command_opts *opts);
/* Run argv (with opts) and send its stdout as the FileOut download,
 * then the end chunk.  Replies on failure.  If feed is not NULL, the
 * program's stdin is a pipe that feed writes (command_write) before it
 * is closed; feed replies and returns -1 on failure. */
typedef int (*command_feed_fn) (struct command *cmd, void *opaque);
extern int command_send_output (const char *subject, const char *const *argv,
                                struct command_opts *opts,
                                command_feed_fn feed, void *feed_opaque);
/* Run first (reading in_fd) piped into second and return second's
 * stdout (its length in *len_r if not NULL), or NULL after replying.
 * The first program stopped because the second read all it wanted is
 * not a failure. */
extern char *run_pipeline (const char *const *first, int in_fd,
                           const char *const *second, size_t *len_r);

/* ---- landlock.c ---- */
/* Landlock is usable, so that host-mode code can be confined. */
extern bool can_confine_commands (void);
/* In a child process: from now on, writes are only allowed beneath
 * dirfd.  Reading stays unrestricted (programs need their libraries). */
extern int confine_writes (int dirfd);
/* Run fn (which replies on error) in a thread confined to reading and
 * writing beneath dirfd and reading beneath the directories of
 * read_only (NULL-terminated, or NULL).  Returns what fn returned, or
 * -1 after replying if the thread could not be confined. */
extern int run_confined (int dirfd, const char *const *read_only,
                         int (*fn) (void *opaque), void *opaque);

/* ---- augeas.c, hivex.c ---- */
/* Close the handle at the end of a connection (a cleanup attribute). */
extern void augeas_close_at_end (int *unused);
extern void hivex_close_at_end (int *unused);

/* ---- xattr.c ---- */
/* Copy every extended attribute between two O_PATH descriptors, as
 * many as can be; -1 (errno) if any could not be copied. */
extern int copy_xattrs (int src_fd, int dest_fd);
/* The value of attribute name of the object path p names (or, unless
 * follow, of a symbolic link itself), read whole even if it grows
 * meanwhile: malloc'd, its length in *len_r; NULL with errno. */
extern char *xattr_read_value (const char *p, const char *name, bool follow,
                               size_t *len_r);

/* ---- autosync.c ---- */
extern int umount_all_under_sysroot (void);

/* ---- rpm-list.c ---- */
/* "guestfsd --list-rpm-database BACKEND DBPATH": the child that reads an
 * rpm database with librpm for internal_list_rpm_applications (rpm.c).
 * Returns the process's exit status. */
#define RPM_LIST_OPTION "--list-rpm-database"
extern int rpm_list_database (const char *backend, const char *dbpath);

extern void dispatch_incoming_message (unsigned proc, XDR *xdr_in);

#endif
