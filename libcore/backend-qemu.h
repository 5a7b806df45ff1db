/* The qemu backend's pieces shared by backend-qemu.c (cold boot) and
 * snapshot.c (launch from the saved appliance). */
#ifndef GUESTFS_BACKEND_QEMU_H
#define GUESTFS_BACKEND_QEMU_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "guestfs-internal.h"
#include "appliance.h"
#include "qemu.h"
#include "qmp.h"

/* Descriptors for qemu, in the order they get qemu's numbers
 * (QEMU_FIRST_PASSED_FD onwards), and the fdsets made of them. */
struct passed {
  int fds[QEMU_MAX_PASSED_FDS];
  size_t n;
  struct qemu_add_fd sets[QEMU_MAX_PASSED_FDS];
  size_t nsets;
  int next_set; /* for backing files */
};

/* Extra channels, handed out by qemu_open_channel, each once.  Three
 * (one each for a small pool of guestmount's workers) was chosen by
 * measurement: see HACKING.md, "Several requests in flight". */
#define EXTRA_CHANNELS 3

struct qemu_data {
  pid_t pid;
  int extra[EXTRA_CHANNELS]; /* the library's ends; -1: handed out */
  size_t next_extra;
  /* qemu's monitor, one end of a socket pair (-1: none); the greeting
   * is read at its first use (mon_ready). */
  struct qmp mon;
  bool mon_ready;
  /* Drives exported read-only over NBD (bit i: drive i), on the Unix
   * socket nbd_sock in the handle's directory (drive-export.c). */
  uint64_t nbd_exported;
  char *nbd_sock;
};

/* The running qemu backend's data, or NULL. */
struct qemu_data *guestfs_int_qemu_data (guestfs_h *g);
/* The monitor's arguments for qemu (-chardev socket,fd=QMP_FD -mon),
 * appended to v (NULL-terminated, heap; NULL if out of memory). */
char **guestfs_int_qemu_monitor_args (char **v, int qmp_fd);
/* Opens the monitor: a socket pair, qemu's end passed in p. */
int guestfs_int_qemu_monitor_pass (guestfs_h *g, struct qemu_data *q,
                                   struct passed *p);

/* One qemu being started: what it is passed, and as whom it runs. */
struct qemu_start {
  struct passed p;
  struct qemu_spawn_opts opts;
  gid_t groups[1];
  char kernel[32], initrd[32];
  int extra[EXTRA_CHANNELS]; /* the library's ends of the extra channels */
};

/* Begins s: qemu's user, the channel (the library's end in
 * g->daemon_fd), the kernel and initrd.  End s with
 * guestfs_int_qemu_start_end whatever happens. */
int guestfs_int_qemu_start_begin (guestfs_h *g, struct qemu_start *s,
                                  const struct appliance_files *ap,
                                  const char *accel);
/* Starts qemu with cfg and what s passes (cfg's kernel, initrd,
 * channel and add_fds are filled in from s), its console on a pipe read
 * by g->console_fd. */
int guestfs_int_qemu_start_spawn (guestfs_h *g, struct qemu_data *q,
                                  struct qemu_start *s,
                                  struct qemu_config *cfg);
/* Closes the library's copies of what s passed. */
void guestfs_int_qemu_start_end (struct qemu_start *s);

/* Adds fd (owned from now on) to p; returns qemu's number for it. */
int guestfs_int_qemu_pass_fd (guestfs_h *g, struct passed *p, int fd);
/* Opens path for qemu; returns qemu's number for it, or -1. */
int guestfs_int_qemu_pass_file (guestfs_h *g, struct passed *p,
                                const char *path, int flags);
/* Opens path as fdset set (read-only, and read-write unless readonly). */
int guestfs_int_qemu_pass_fdset (guestfs_h *g, struct passed *p,
                                 const char *path, bool readonly, int set);
/* The handle's drives as qemu sees them, their files opened into p
 * (drive i as fdset i + 1, backing files from p->next_set). */
struct qemu_drive *guestfs_int_qemu_make_drives (
    guestfs_h *g, struct passed *p, const struct qemu_spawn_opts *o);
void guestfs_int_qemu_free_drives (struct qemu_drive *d, size_t n);

int guestfs_int_qemu_choose_accel (guestfs_h *g, const char *qemu,
                                   const char *cachedir, const char **accel);
int guestfs_int_qemu_launch_timeout_ms (guestfs_h *g);
int guestfs_int_qemu_wait_for_daemon (guestfs_h *g, struct qemu_data *q,
                                      int timeout_ms,
                                      const struct timespec *start);

/* snapshot.c: launch from the saved appliance unless the
 * "saved_appliance" backend setting is 0.  1: launched; 0: not used,
 * the caller cold-boots (the reason is in the debug output), with q as
 * it was. */
int guestfs_int_saved_launch (guestfs_h *g, struct qemu_data *q,
                              const struct appliance_files *ap,
                              const char *qemu, const char *accel,
                              const struct timespec *start);

#endif /* GUESTFS_BACKEND_QEMU_H */
