/* A minimal QMP (qemu's JSON monitor) client: enough to stop, save,
 * restore and hot-plug.  The caller listens on a Unix socket and qemu
 * connects to it (-chardev socket,path=... -mon chardev=...,mode=control),
 * so there is no polling for a socket file.  Errors go into a
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

/* A JSON string literal (quotes included) of s; heap-allocated. */
char *qmp_quote (const char *s);

#endif /* GUESTFS_QMP_H */
