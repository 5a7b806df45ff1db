/* Servers on this machine for the remote-image tests: qemu-nbd on a
 * Unix socket and an HTTP server (with byte ranges) on 127.0.0.1.
 * Both are stopped at exit if the test has not stopped them.
 */
#ifndef GUESTFS_TEST_SERVERS_H
#define GUESTFS_TEST_SERVERS_H

#include <sys/types.h>

/* Skips the test (exit 77) unless qemu-nbd and qemu's curl block driver
 * are installed. */
extern void require_remote_tools (void);
/* Why they cannot run here, or NULL. */
extern const char *remote_tools_missing (void);

/* qemu-nbd exporting image's bytes as they are (read-only, any number
 * of clients) on the Unix socket sock; returns once it listens.  Exits
 * the test on failure. */
extern pid_t nbd_serve_unix (const char *image, const char *sock);

/* The files of dir over HTTP on 127.0.0.1; returns once it listens,
 * with its port in *port.  Exits the test on failure. */
extern pid_t http_serve (const char *dir, int *port);

/* Stops a server started above (SIGTERM, then waits). */
extern void server_stop (pid_t pid);

#endif
