/* gen: turn the action table into code and docs.
 *
 * Usage: gen OUTDIR HEADER_TEMPLATE
 *
 * Checks the table (check.c), then writes into OUTDIR, one emitter per
 * output (the private interface is gen.h):
 *   guestfs_protocol.x   emit_xdr.c             XDR description, for rpcgen
 *   guestfs.h            emit_header.c          public header (HEADER_TEMPLATE
 *                                               with the declarations spliced in)
 *   client-actions.c     emit_client.c          libcore: one stub per action
 *   internal-actions.h   emit_internal_header.c libcore: internal prototypes
 *   proc-table.c         emit_proc_table.c      procedure number -> codecs
 *   daemon-actions.h     emit_daemon_header.c   guestfsd: do_* prototypes
 *   daemon-dispatch.c    emit_daemon_dispatch.c guestfsd: decoding, dispatch
 *   guestfs-actions.pod  emit_pod.c             the actions of guestfs(3)
 *   actions.list         emit_actions_list.c    public action names (tests)
 */
#include <stdio.h>
#include <stdlib.h>

#include "gen.h"

int
main (int argc, char *argv[])
{
  if (argc != 3) {
    fprintf (stderr, "usage: gen OUTDIR HEADER_TEMPLATE\n");
    return EXIT_FAILURE;
  }
  check_table (action_tables);
  set_output_dir (argv[1]);
  gen_protocol_x ();
  gen_header (argv[2]);
  gen_internal_header ();
  gen_client ();
  gen_proc_table ();
  gen_daemon_header ();
  gen_daemon_dispatch ();
  gen_pod ();
  gen_actions_list ();
  return EXIT_SUCCESS;
}
