/* A minimal QMP (qemu's JSON monitor) client: enough to stop, save,
 * restore and hot-plug.  The monitor is one end of a socket pair that
 * qemu is given (-chardev socket,fd=N -mon chardev=...,mode=control),
 * so descriptors can be sent along with commands.  Errors go into a
 * caller-supplied buffer.
 */
#ifndef GUESTFS_QMP_H
#define GUESTFS_QMP_H

#include <stddef.h>

struct qmp {
  int fd;
  size_t len; /* bytes buffered in buf */
  char buf[16384];
};

/* Reads qemu's greeting and enters command mode. */
int qmp_handshake (struct qmp *m, int timeout_ms, char *err, size_t errlen);

/* Sends one command (a complete JSON object) and waits for its answer,
 * skipping asynchronous events.  Returns 0 and, if reply is not NULL,
 * the heap-allocated "return" line; -1 with the error in err. */
int qmp_execute (struct qmp *m, const char *command, int timeout_ms,
                 char **reply, char *err, size_t errlen);

/* The same, with descriptor fd sent along (SCM_RIGHTS), for commands
 * that take one: add-fd, getfd. */
int qmp_execute_fd (struct qmp *m, const char *command, int fd,
                    int timeout_ms, char **reply, char *err, size_t errlen);

/* A JSON string literal (quotes included) of s; heap-allocated. */
char *qmp_quote (const char *s);

#endif /* GUESTFS_QMP_H */
