/* The actions of libguestfs 1.48 that this library does not implement
 * yet.  Each exists with libguestfs's signature, so that programs built
 * against libguestfs link and run, and fails with ENOTSUP: naming its
 * optional group as libguestfs does on a build without that group (see
 * AVAILABILITY in guestfs(3)), or saying that it is not implemented yet.
 *
 * Implementing one means moving its entry to the file of its area, with
 * a procedure number (daemon) or a guestfs_impl_NAME (library), and
 * dropping FL_UNAVAILABLE.
 *
 * The file is long because it is a table, one entry per action, and
 * has no logic to split; it shrinks as actions are implemented.
 */
#include "generator.h"

#define UNAVAILABLE_DOC                                                        \
  "This library does not implement this function yet: it fails with "          \
  "C<ENOTSUP>.  When it belongs to an optional group of which nothing is "     \
  "implemented, the error is the one libguestfs gives when that group is "     \
  "missing from its build, and C<guestfs_feature_available> says that the "    \
  "group is not available.  See L</AVAILABILITY>."

const struct action actions_unavailable[] = {
    {.name = "internal_get_console_socket",
     .ret = R_INT,
     .flags = FL_UNAVAILABLE,
     .shortdesc = "get the appliance console socket",
     .doc = "libguestfs returns here the library's end of a socket pair "
            "that is qemu's stdin and stdout (the serial console), for "
            "L<virt-rescue(1)> to pass keystrokes.  This library does not "
            "implement it yet: it fails with C<ENOTSUP>.  Its console "
            "output comes back on a pipe and qemu's stdin is F</dev/null>.  "
            "A Unix socket pair in their place works, but qemu's serial "
            "port writes one byte at a time and each byte costs a socket "
            "buffer several hundred bytes, so the socket holds only a few "
            "hundred bytes of console output: whenever the library is not "
            "reading the console (between calls, or while only extra "
            "channels are busy, as in guestmount's verbose mode) the "
            "appliance stalls on its console.  A pseudo-terminal would "
            "not have that limit."},
    {.name = NULL},
};
