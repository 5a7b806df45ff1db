/* Remote images through qemu's block drivers, against servers on this
 * machine only: qemu-nbd on a Unix socket serving a qcow2 guest, and an
 * HTTP server on 127.0.0.1 serving a raw vfat image.  Neither drive
 * names its format, so both are probed over the network too. */
#define _GNU_SOURCE 1
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guests.h"
#include "harness.h"
#include "servers.h"

#define SECRET "not-on-the-command-line"

static char *tmp;
static struct test_log launch_log;

static void
test_argument_errors (const char *sock)
{
  guestfs_h *g = guestfs_create ();
  guestfs_set_error_handler (g, NULL, NULL);
  char *unix_server[] = { xasprintf ("unix:%s", sock), NULL };
  char *two[] = { (char *) "a", (char *) "b", NULL };
  char *none[] = { NULL };
  CHECK_ERROR (g, guestfs_add_drive_opts (g, "x",
                                          GUESTFS_ADD_DRIVE_OPTS_PROTOCOL,
                                          "gopher",
                                          GUESTFS_ADD_DRIVE_OPTS_SERVER,
                                          unix_server, -1),
               EINVAL, "gopher");
  CHECK_ERROR (g, guestfs_add_drive_opts (g, "", GUESTFS_ADD_DRIVE_OPTS_PROTOCOL,
                                          "nbd", GUESTFS_ADD_DRIVE_OPTS_SERVER,
                                          none, -1),
               EINVAL, "exactly one server");
  CHECK_ERROR (g, guestfs_add_drive_opts (g, "", GUESTFS_ADD_DRIVE_OPTS_PROTOCOL,
                                          "nbd", GUESTFS_ADD_DRIVE_OPTS_SERVER,
                                          two, -1),
               EINVAL, "exactly one server");
  CHECK_ERROR (g, guestfs_add_drive_opts (g, "/x.img",
                                          GUESTFS_ADD_DRIVE_OPTS_PROTOCOL,
                                          "http", GUESTFS_ADD_DRIVE_OPTS_SERVER,
                                          unix_server, -1),
               EINVAL, "Unix socket");
  char *bad_host[] = { (char *) "tcp:evil,file.driver=file", NULL };
  CHECK_ERROR (g, guestfs_add_drive_opts (g, "/x.img",
                                          GUESTFS_ADD_DRIVE_OPTS_PROTOCOL,
                                          "http", GUESTFS_ADD_DRIVE_OPTS_SERVER,
                                          bad_host, -1),
               EINVAL, "server");
  char *bad_port[] = { (char *) "localhost:99999", NULL };
  CHECK_ERROR (g, guestfs_add_drive_opts (g, "/x.img",
                                          GUESTFS_ADD_DRIVE_OPTS_PROTOCOL,
                                          "ssh", GUESTFS_ADD_DRIVE_OPTS_SERVER,
                                          bad_port, -1),
               EINVAL, "server");
  char *host[] = { (char *) "localhost", NULL };
  CHECK_ERROR (g, guestfs_add_drive_opts (g, "/x.img",
                                          GUESTFS_ADD_DRIVE_OPTS_PROTOCOL,
                                          "ssh", GUESTFS_ADD_DRIVE_OPTS_SERVER,
                                          host, GUESTFS_ADD_DRIVE_OPTS_SECRET,
                                          "pw", -1),
               EINVAL, "ssh");
  CHECK_ERROR (g, guestfs_add_drive_opts (g, "/x.img",
                                          GUESTFS_ADD_DRIVE_OPTS_SERVER, host,
                                          -1),
               EINVAL, "protocol");
  CHECK_ERROR (g, guestfs_add_drive_opts (g, "/x.img",
                                          GUESTFS_ADD_DRIVE_OPTS_IFACE, "ide",
                                          -1),
               EINVAL, "iface");
  CHECK_ERROR (g, guestfs_add_drive_opts (g, "/x.img",
                                          GUESTFS_ADD_DRIVE_OPTS_DISCARD, "always",
                                          -1),
               EINVAL, "discard");
  CHECK (guestfs_get_state (g) == 0);
  guestfs_close (g);
  free (unix_server[0]);
}

static void
test_remote_guests (const char *sock, int port)
{
  guestfs_h *g = guestfs_create ();
  guestfs_set_error_handler (g, NULL, NULL);
  guestfs_set_verbose (g, 1);
  CHECK (test_log_attach (g, &launch_log, GUESTFS_EVENT_LIBRARY) == 0);
  char *nbd_server[] = { xasprintf ("unix:%s", sock), NULL };
  char *http_server[] = { xasprintf ("127.0.0.1:%d", port), NULL };
  int r = guestfs_add_drive_opts (g, "", GUESTFS_ADD_DRIVE_OPTS_READONLY, 1,
                                  GUESTFS_ADD_DRIVE_OPTS_PROTOCOL, "nbd",
                                  GUESTFS_ADD_DRIVE_OPTS_SERVER, nbd_server,
                                  GUESTFS_ADD_DRIVE_OPTS_IFACE, "virtio", -1);
  if (r == -1)
    fprintf (stderr, "nbd: %s\n", guestfs_last_error (g));
  CHECK (r == 0);
  r = guestfs_add_drive_opts (g, "/images/vfat image.img",
                              GUESTFS_ADD_DRIVE_OPTS_READONLY, 1,
                              GUESTFS_ADD_DRIVE_OPTS_PROTOCOL, "http",
                              GUESTFS_ADD_DRIVE_OPTS_SERVER, http_server,
                              GUESTFS_ADD_DRIVE_OPTS_USERNAME, "guest",
                              GUESTFS_ADD_DRIVE_OPTS_SECRET, SECRET, -1);
  if (r == -1)
    fprintf (stderr, "http: %s\n", guestfs_last_error (g));
  CHECK (r == 0);
  CHECK (test_log_has (&launch_log, "format probed: qcow2"));
  CHECK (test_log_has (&launch_log, "format probed: raw"));
  if (guestfs_launch (g) == -1) {
    fprintf (stderr, "launch: %s\n", guestfs_last_error (g));
    CHECK (!"launch");
    guestfs_close (g);
    free (nbd_server[0]);
    free (http_server[0]);
    return;
  }
  /* The password went to qemu in a file, never in its arguments. */
  CHECK (test_log_has (&launch_log, "file.password-secret="));
  CHECK (!test_log_has (&launch_log, SECRET));
  guestfs_set_verbose (g, 0);

  char **roots = guestfs_inspect_os (g);
  CHECK (roots && roots[0] && !roots[1]);
  if (roots && roots[0]) {
    char *distro = guestfs_inspect_get_distro (g, roots[0]);
    CHECK (distro && strcmp (distro, "debian") == 0);
    free (distro);
  }
  for (size_t i = 0; roots && roots[i]; ++i)
    free (roots[i]);
  free (roots);

  char **devs = guestfs_list_devices (g);
  CHECK (devs && devs[0] && devs[1] && !devs[2]);
  if (devs && devs[0] && devs[1]) {
    CHECK (guestfs_mount_ro (g, devs[1], "/") == 0);
    char *readme = guestfs_cat (g, "/README.TXT");
    CHECK (readme && readme[0]);
    free (readme);
  }
  for (size_t i = 0; devs && devs[i]; ++i)
    free (devs[i]);
  free (devs);
  CHECK (guestfs_shutdown (g) == 0);
  guestfs_close (g);
  free (nbd_server[0]);
  free (http_server[0]);
}

int
main (void)
{
  require_remote_tools ();
  const char *debian = test_guest_path ("debian");
  const char *vfat = test_guest_path ("vfat");
  tmp = test_tmpdir ();
  char *qcow2 = xasprintf ("%s/debian.qcow2", tmp);
  char *cmd = xasprintf ("qemu-img convert -O qcow2 %s %s && mkdir %s/images "
                         "&& ln -s %s '%s/images/vfat image.img'", debian,
                         qcow2, tmp, vfat, tmp);
  CHECK (system (cmd) == 0);
  free (cmd);

  /* The qcow2 file's bytes, exported as they are: the probe sees qcow2
   * over NBD. */
  char *sock = xasprintf ("%s/nbd.sock", tmp);
  pid_t nbd = nbd_serve_unix (qcow2, sock);
  int port;
  pid_t http = http_serve (tmp, &port);

  test_argument_errors (sock);
  test_remote_guests (sock, port);

  server_stop (nbd);
  server_stop (http);
  free (sock);
  free (qcow2);
  test_log_clear (&launch_log);
  return test_result ();
}
