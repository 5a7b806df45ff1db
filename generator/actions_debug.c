/* Debugging and internals: the daemon's debug command, uploads into
 * the appliance itself, the daemon's exit, the whole-file writes that
 * guestfs_write used in libguestfs.
 *
 * These are libguestfs's debugging calls (its VDebug and VInternal
 * actions): not a stable part of its API, kept with their signatures
 * so that programs and tools that use them run.
 *
 * Procedure numbers 1500-1599: stable, append-only.
 */
#include "generator.h"

#define DEBUG_ONLY_DOC                                                       \
  "This call is for debugging libguestfs and this library: it is not "      \
  "part of the stable API and may change."

#define UPLOAD_DOC                                                           \
  "Copy the host file C<filename> to the file C<tmpname> of the "           \
  "appliance itself (not of the guest: the path is not under the "         \
  "mounted filesystems), created or truncated with the permission bits "   \
  "C<mode> (less the daemon's umask).  C<tmpname> must be an absolute "    \
  "path, else C<EINVAL>; a directory that does not exist fails with "      \
  "C<ENOENT>.  When the daemon runs on the host instead of in the "        \
  "appliance (the daemon tests), this fails with C<EPERM>, since the "     \
  "path would be the host's."

const struct action actions_debug[] = {
  { .name = "debug", .proc = 1500, .ret = R_STRING,
    .args = { { A_STRING, "subcmd" }, { A_STRINGLIST, "extraargs" } },
    .shortdesc = "debugging and internals",
    .doc =
        "Run the daemon's debugging subcommand C<subcmd> with the "
        "arguments C<extraargs> and return its output.  "
        "C<guestfs_debug (g, \"help\", NULL)> lists the subcommands.  They "
        "are libguestfs's (F<daemon/debug.c> of its source), run in the "
        "appliance, outside the guest's filesystems:\n\n"
        "=over 4\n\n"
        "=item C<help>\n\nThe names of the subcommands.\n\n"
        "=item C<binaries>\n\nThe executable ELF files of the appliance's "
        "root filesystem.\n\n"
        "=item C<bmap_file> I<path>, C<bmap_device> I<device>, C<bmap>\n\n"
        "Prepare a guest file or a device, then read it all with the "
        "caches dropped first (for L<virt-bmap(1)>, which watches which "
        "blocks are read).\n\n"
        "=item C<core_pattern> I<pattern>\n\nSet the appliance's "
        "F</proc/sys/kernel/core_pattern> and lift the daemon's core size "
        "limit, so that crashing programs leave core files.\n\n"
        "=item C<device_speed> I<device> C<r>|C<w> I<secs>\n\nRead (or "
        "write: destroying its contents) the device for I<secs> seconds "
        "and return the bytes copied.\n\n"
        "=item C<env>\n\nThe environment programs run by the daemon get.\n\n"
        "=item C<error> I<n>\n\nFail with C<EROFS> and a message of I<n> "
        "letters (at most 1000000), to test long errors.\n\n"
        "=item C<fds>\n\nThe daemon's open file descriptors.\n\n"
        "=item C<ldd> I<file>\n\nL<ldd(1)> of an appliance file.\n\n"
        "=item C<ls> I<args...>, C<ll> I<args...>\n\nC<ls -a> and C<ls "
        "-la> in the appliance.\n\n"
        "=item C<print> I<args...>\n\nWrite the arguments on the "
        "appliance's console (the appliance log) and return C<ok>.\n\n"
        "=item C<progress> I<secs> [I<rate>]\n\nSend progress messages "
        "for I<secs> seconds (1 to 1000000): every tenth of a second, or "
        "every I<rate> microseconds.\n\n"
        "=item C<qtrace> I<device> C<on>|C<off>\n\nRead the device in the "
        "pattern that starts or stops tracing in a patched qemu.\n\n"
        "=item C<segv>\n\nCrash the daemon on purpose.  The appliance "
        "then powers off, the call fails, and the handle must be "
        "relaunched.  This is the only subcommand that ends the "
        "daemon.\n\n"
        "=item C<setenv> I<name> I<value>\n\nSet an environment variable "
        "of the daemon and of the programs it runs.\n\n"
        "=item C<sh> I<command...>\n\nRun the words, joined with spaces, "
        "with the appliance's F</bin/sh> (not chrooted into the guest, "
        "unlike C<guestfs_sh>), with C<$root> set to the mount point of "
        "the guest filesystems and C<$sd> to the prefix of the disks' "
        "names; return its output and errors together.\n\n"
        "=item C<spew> I<n>\n\nWrite I<n> lines of 72 characters to the "
        "appliance log.\n\n"
        "=back\n\n"
        "An unknown subcommand or wrong arguments fail with C<EINVAL>.  "
        "When the daemon runs on the host instead of in the appliance "
        "(the daemon tests), the subcommands that would act on the host "
        "(C<binaries>, the C<bmap> ones, C<core_pattern>, C<device_speed>, "
        "C<ldd>, C<ls>, C<ll>, C<qtrace>, C<sh>) fail with C<EPERM>.  "
        DEBUG_ONLY_DOC },
  { .name = "debug_upload", .proc = 1501, .ret = R_ERR,
    .args = { { A_FILEIN, "filename" }, { A_STRING, "tmpname" },
              { A_INT, "mode" } },
    .shortdesc = "upload a file to the appliance (internal use only)",
    .doc = UPLOAD_DOC "  " DEBUG_ONLY_DOC },
  { .name = "internal_upload", .proc = 1502, .ret = R_ERR,
    .args = { { A_FILEIN, "filename" }, { A_STRING, "tmpname" },
              { A_INT, "mode" } },
    .shortdesc = "upload a file to the appliance (internal use only)",
    .doc = "The same as C<guestfs_debug_upload>, which libguestfs used "
           "when setting up its appliance.  " UPLOAD_DOC },
  { .name = "internal_exit", .proc = 1503, .ret = R_ERR,
    .shortdesc = "cause the daemon to exit (internal use only)",
    .doc = "Make the daemon reply and then exit normally (libguestfs used "
           "it to check the daemon under valgrind).  In the appliance, "
           "the appliance then powers off, and the handle must be "
           "relaunched.  " DEBUG_ONLY_DOC },
  { .name = "internal_rhbz914931", .proc = 1504, .ret = R_ERR,
    .args = { { A_FILEIN, "filename" }, { A_INT, "count" } },
    .shortdesc = "used only to test rhbz914931 (internal use only)",
    .doc = "Crash the daemon on purpose in the middle of an upload: it "
           "receives C<filename> a chunk a second and crashes at chunk "
           "C<count> (1 to 1000, else C<EINVAL>).  It tests that the "
           "library does not hang when the daemon dies during an upload "
           "(libguestfs's RHBZ#914931): the call fails, the appliance "
           "powers off, and the handle must be relaunched.  A file of "
           "fewer chunks is received whole and the call succeeds.  "
           DEBUG_ONLY_DOC },
  { .name = "internal_write", .proc = 1505, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_BUFFERIN, "content" } },
    .shortdesc = "create a new file",
    .doc = "The same as C<guestfs_write>: create or replace the file "
           "C<path> with C<content> (any 8-bit data).  libguestfs's "
           "C<guestfs_write> used it for small contents." },
  { .name = "internal_write_append", .proc = 1506, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_BUFFERIN, "content" } },
    .shortdesc = "append content to end of file",
    .doc = "The same as C<guestfs_write_append>: append C<content> to the "
           "file C<path>, which is created if it does not exist." },
  { .name = NULL },
};
