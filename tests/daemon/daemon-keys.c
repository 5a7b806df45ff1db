/* Keys leave no copy in the daemon: once a call carrying one has been
 * answered, whether its action ran or was refused before running,
 * neither the received message nor the decoded argument holds it. */
#include <string.h>

#include "harness.h"

#define KEY "unlikely-passphrase-4f1c9e2b7a"

int
main (void)
{
  struct test_daemon td;
  guestfs_h *g = test_daemon_start (&td);
  guestfs_set_error_handler (g, NULL, NULL);
  /* Refused after decoding (a host daemon has no devices), and by the
   * action itself (a key slot out of range). */
  CHECK (guestfs_cryptsetup_open (g, "/dev/sda", KEY, "m", -1) == -1);
  CHECK (guestfs_luks_format (g, "/dev/sda", KEY "-2", 0) == -1);
  /* The daemon serves one request at a time: once the next (a call
   * with no arguments, too short to overwrite the last message's key)
   * is answered, it is done with the one before. */
  CHECK (guestfs_ping_daemon (g) == 0);
  int r = process_memory_holds (td.pid, KEY, strlen (KEY));
  if (r == -1)
    skip ("the daemon's memory cannot be read (/proc/PID/mem)");
  CHECK (r == 0);
  /* The search does find what the daemon keeps (its sysroot). */
  CHECK (process_memory_holds (td.pid, td.root, strlen (td.root)) == 1);
  test_daemon_stop (&td, g);
  return test_result ();
}
