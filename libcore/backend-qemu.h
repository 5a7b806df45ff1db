/* The qemu backend's pieces shared by backend-qemu.c (cold boot) and
 * snapshot.c (launch from the saved appliance). */
#ifndef GUESTFS_BACKEND_QEMU_H
#define GUESTFS_BACKEND_QEMU_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "guestfs-internal.h"
#include "appliance.h"
#include "qemu.h"

struct qemu_data {
  pid_t pid;
  int listen_fd;
  char *sock_path;
};

long guestfs_int_elapsed_ms (const struct timespec *start);
int guestfs_int_qemu_listen_unix (guestfs_h *g, const char *path, int *fd);
int guestfs_int_qemu_choose_accel (guestfs_h *g, const char *qemu,
                                   const char *cachedir, const char **accel);
/* Starts qemu with cfg, its console on a pipe read by g->console_fd. */
int guestfs_int_qemu_start (guestfs_h *g, struct qemu_data *q,
                            const struct qemu_config *cfg);
/* Accepts one connection from qemu on listen_fd into *fd. */
int guestfs_int_qemu_accept (guestfs_h *g, struct qemu_data *q, int listen_fd,
                             int *fd, int timeout_ms,
                             const struct timespec *start);
int guestfs_int_qemu_launch_timeout_ms (guestfs_h *g);
int guestfs_int_qemu_wait_for_daemon (guestfs_h *g, struct qemu_data *q,
                                      int timeout_ms,
                                      const struct timespec *start);
bool guestfs_int_qemu_wait_exit (guestfs_h *g, struct qemu_data *q, int ms,
                                 int *status);

/* snapshot.c: launch from the saved appliance, if the "saved_appliance"
 * backend setting asks for it.  1: launched; 0: not used, the caller
 * cold-boots (the reason is in the debug output), with q as it was. */
int guestfs_int_saved_launch (guestfs_h *g, struct qemu_data *q,
                              const struct appliance_files *ap,
                              const char *qemu, const char *accel,
                              const struct timespec *start);

#endif /* GUESTFS_BACKEND_QEMU_H */
