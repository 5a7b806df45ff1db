/* Library-side actions: handle configuration, launch and state.
 *
 * These have proc = 0: the generated wrapper checks arguments, traces
 * and calls guestfs_impl_NAME in libcore.
 */
#include "generator.h"

const struct action actions_config[] = {
  { .name = "set_verbose", .ret = R_ERR,
    .args = { { A_BOOL, "verbose" } }, .flags = FL_ANY_STATE,
    .shortdesc = "set verbose mode",
    .doc = "If C<verbose> is true, the library prints debugging messages "
           "about what it and the appliance are doing.  The environment "
           "variable C<LIBGUESTFS_DEBUG=1> sets this when the handle is "
           "created." },
  { .name = "get_verbose", .ret = R_BOOL, .flags = FL_ANY_STATE,
    .shortdesc = "get verbose mode",
    .doc = "Return the verbose messages flag." },
  { .name = "set_trace", .ret = R_ERR,
    .args = { { A_BOOL, "trace" } }, .flags = FL_ANY_STATE,
    .shortdesc = "enable or disable command traces",
    .doc = "If C<trace> is true, every API call is traced with its "
           "arguments and return value, as a C<GUESTFS_EVENT_TRACE> "
           "event, or on stderr when no callback takes that event.  "
           "Secret arguments such as keys are printed as C<***>.  "
           "C<LIBGUESTFS_TRACE=1> sets this when the handle is created." },
  { .name = "get_trace", .ret = R_BOOL, .flags = FL_ANY_STATE,
    .shortdesc = "get command trace enabled flag",
    .doc = "Return the command trace flag." },
  { .name = "set_path", .ret = R_ERR,
    .args = { { A_OPTSTRING, "searchpath" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "set the search path",
    .doc = "Set the colon-separated list of directories searched for a "
           "prebuilt (\"fixed\") appliance.  C<NULL> restores the default, "
           "which comes from C<LIBGUESTFS_PATH>." },
  { .name = "get_path", .ret = R_CONSTSTRING, .flags = FL_ANY_STATE,
    .shortdesc = "get the search path",
    .doc = "Return the appliance search path." },
  { .name = "set_qemu", .ret = R_ERR,
    .args = { { A_OPTSTRING, "hv" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "set the hypervisor binary",
    .doc = "Set the qemu binary (or a wrapper that execs qemu, see "
           "L</QEMU WRAPPERS>).  C<NULL> restores the default, which comes "
           "from C<LIBGUESTFS_QEMU>." },
  { .name = "get_qemu", .ret = R_CONSTSTRING, .flags = FL_ANY_STATE,
    .shortdesc = "get the hypervisor binary",
    .doc = "Return the qemu binary that launch will run." },
  { .name = "set_memsize", .ret = R_ERR,
    .args = { { A_INT, "memsize" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "set memory allocated to the appliance",
    .doc = "Set the appliance's memory in megabytes (at least 256).  "
           "C<LIBGUESTFS_MEMSIZE> sets it when the handle is created." },
  { .name = "get_memsize", .ret = R_INT, .flags = FL_ANY_STATE,
    .shortdesc = "get memory allocated to the appliance",
    .doc = "Return the appliance's memory size in megabytes." },
  { .name = "set_append", .ret = R_ERR,
    .args = { { A_OPTSTRING, "append" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "add options to the appliance kernel command line",
    .doc = "Append C<append> to the appliance kernel's command line.  "
           "C<NULL> clears it.  C<LIBGUESTFS_APPEND> sets it when the "
           "handle is created." },
  { .name = "get_append", .ret = R_CONSTSTRING, .flags = FL_ANY_STATE,
    .shortdesc = "get the extra kernel command line",
    .doc = "Return the extra kernel command line, or C<NULL> if none." },
  { .name = "set_backend", .ret = R_ERR,
    .args = { { A_STRING, "backend" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "set the backend",
    .doc = "Choose how the daemon is reached: C<direct> or C<qemu> (the "
           "default) boots the appliance under qemu; C<unix:PATH> connects "
           "to a C<guestfsd> already listening on the Unix socket C<PATH>.  "
           "C<LIBGUESTFS_BACKEND> sets it when the handle is created." },
  { .name = "get_backend", .ret = R_STRING, .flags = FL_ANY_STATE,
    .shortdesc = "get the backend",
    .doc = "Return the backend name." },
  { .name = "set_backend_settings", .ret = R_ERR,
    .args = { { A_STRINGLIST, "settings" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "replace per-backend settings strings",
    .doc = "Replace the backend settings, a list of C<name> or "
           "C<name=value> strings: C<timeout>, C<launch_timeout>, "
           "C<force_tcg> and C<force_kvm> (see L</BACKEND SETTINGS>).  "
           "C<LIBGUESTFS_BACKEND_SETTINGS> (colon-separated) sets them "
           "when the handle is created." },
  { .name = "get_backend_settings", .ret = R_STRINGLIST,
    .flags = FL_ANY_STATE,
    .shortdesc = "get per-backend settings",
    .doc = "Return the backend settings." },
  { .name = "add_drive", .ret = R_ERR,
    .args = { { A_STRING, "filename" } },
    .optargs = { { O_BOOL, "readonly" }, { O_STRING, "format" },
                 { O_STRING, "name" }, { O_STRING, "label" },
                 { O_STRING, "cachemode" }, { O_INT, "blocksize" } },
    .flags = FL_CONFIG_ONLY | FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "add an image to examine or modify",
    .doc = "Add the disk image C<filename>.  The first drive added is "
           "C</dev/sda> in the appliance, the second C</dev/sdb>, and so "
           "on.\n\n"
           "C<format> names the image format (C<raw>, C<qcow2>, C<vmdk>, "
           "...).  Without it the image is treated as raw unless the "
           "caller passes C<format> = C<auto>: probing the format of an "
           "untrusted image is unsafe, since a raw image can pretend to be "
           "a qcow2 one that points at host files.\n\n"
           "C<readonly> adds the drive so that writes fail with C<EROFS> "
           "and the image is never modified.  C<cachemode> is C<writeback> "
           "(default) or C<unsafe>.  C<name> and C<label> are recorded for "
           "the caller.  C<blocksize> sets the logical sector size (512 or "
           "4096).\n\n"
           "An image in use by a running virtual machine must only be "
           "added read-only: two writers corrupt it.  qemu's image locking "
           "refuses a second writer, and launch reports that refusal." },
  { .name = "add_drive_ro", .ret = R_ERR,
    .args = { { A_STRING, "filename" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "add a drive in read-only mode",
    .doc = "The same as C<guestfs_add_drive_opts> with C<readonly> set." },
  { .name = "add_drive_scratch", .ret = R_ERR,
    .args = { { A_INT64, "size" } },
    .optargs = { { O_STRING, "name" }, { O_STRING, "label" },
                 { O_INT, "blocksize" } },
    .flags = FL_CONFIG_ONLY,
    .shortdesc = "add a temporary scratch drive",
    .doc = "Add a zeroed, sparse, temporary disk of C<size> bytes.  It is "
           "deleted when the handle is closed." },
  { .name = "launch", .ret = R_ERR, .flags = FL_CONFIG_ONLY,
    .shortdesc = "launch the backend",
    .doc = "Start the appliance (or connect to the daemon) and wait until "
           "it is ready.  This moves the handle from CONFIG through "
           "LAUNCHING to READY.  When boot fails the error says why and "
           "quotes the end of the appliance's console log." },
  { .name = "shutdown", .ret = R_ERR, .flags = FL_ANY_STATE,
    .shortdesc = "shut down the backend",
    .doc = "Sync and unmount the guest filesystems, stop the appliance and "
           "wait for it to exit, so that everything written is on the "
           "images when this returns.  Returns an error if anything failed "
           "on the way.  The handle goes back to CONFIG." },
  { .name = "kill_subprocess", .ret = R_ERR, .flags = FL_ANY_STATE,
    .shortdesc = "kill the appliance",
    .doc = "Kill the appliance at once, without syncing.  Prefer "
           "C<guestfs_shutdown>." },
  { .name = "get_state", .ret = R_INT, .flags = FL_ANY_STATE,
    .shortdesc = "get the current state",
    .doc = "Return the handle's state: 0 CONFIG, 1 LAUNCHING, 2 READY, "
           "3 BUSY." },
  { .name = "is_config", .ret = R_BOOL, .flags = FL_ANY_STATE,
    .shortdesc = "is in configuration state",
    .doc = "True if the handle is in the CONFIG state." },
  { .name = "is_launching", .ret = R_BOOL, .flags = FL_ANY_STATE,
    .shortdesc = "is launching subprocess",
    .doc = "True if the handle is in the LAUNCHING state." },
  { .name = "is_ready", .ret = R_BOOL, .flags = FL_ANY_STATE,
    .shortdesc = "is ready to accept commands",
    .doc = "True if the handle is in the READY state." },
  { .name = "is_busy", .ret = R_BOOL, .flags = FL_ANY_STATE,
    .shortdesc = "is busy processing a command",
    .doc = "True if the handle is in the BUSY state." },
  { .name = "set_autosync", .ret = R_ERR,
    .args = { { A_BOOL, "autosync" } }, .flags = FL_ANY_STATE,
    .shortdesc = "set autosync mode",
    .doc = "If true (the default), closing the handle unmounts and syncs "
           "the guest filesystems first, as C<guestfs_shutdown> does." },
  { .name = "get_autosync", .ret = R_BOOL, .flags = FL_ANY_STATE,
    .shortdesc = "get autosync mode",
    .doc = "Return the autosync flag." },
  { .name = "version", .ret = R_STRUCT, .ret_struct = "version",
    .flags = FL_ANY_STATE,
    .shortdesc = "get the library version number",
    .doc = "Return the library's version.  See "
           "L</LIBGUESTFS VERSION NUMBERS>." },
  { .name = "set_program", .ret = R_ERR,
    .args = { { A_STRING, "program" } }, .flags = FL_ANY_STATE,
    .shortdesc = "set the program name",
    .doc = "Set the program name used in messages." },
  { .name = "get_program", .ret = R_CONSTSTRING, .flags = FL_ANY_STATE,
    .shortdesc = "get the program name",
    .doc = "Return the program name." },
  { .name = "set_identifier", .ret = R_ERR,
    .args = { { A_STRING, "identifier" } }, .flags = FL_ANY_STATE,
    .shortdesc = "set the handle identifier",
    .doc = "Set a name for the handle, printed in trace messages." },
  { .name = "get_identifier", .ret = R_CONSTSTRING, .flags = FL_ANY_STATE,
    .shortdesc = "get the handle identifier",
    .doc = "Return the handle identifier." },
  { .name = "get_cachedir", .ret = R_STRING, .flags = FL_ANY_STATE,
    .shortdesc = "get the appliance cache directory",
    .doc = "Return the directory where the appliance is built and cached "
           "for this user: C<$XDG_CACHE_HOME/guestfs> when "
           "C<XDG_CACHE_HOME> is set, else C<$TMPDIR/.guestfs-cache-UID> (with "
           "C<TMPDIR> defaulting to F</var/tmp>)." },
  { .name = "list_drives_internal", .ret = R_STRINGLIST,
    .flags = FL_ANY_STATE | FL_INTERNAL,
    .shortdesc = "list the added drives",
    .doc = "Return the file names of the added drives, in order." },
  { .name = "lstatnslist", .ret = R_STRUCTLIST, .ret_struct = "statns",
    .args = { { A_PATHNAME, "path" }, { A_STRINGLIST, "names" } },
    .shortdesc = "lstat on multiple files",
    .doc = "Return the status of each name in C<names>, taken relative to "
           "the directory C<path>, in the same order.  A name that cannot "
           "be examined gives an entry whose C<st_ino> is -1.  The list may "
           "be of any length: the library splits it into as few messages "
           "as the protocol limits allow." },
  { .name = "readdir", .ret = R_STRUCTLIST, .ret_struct = "dirent",
    .args = { { A_PATHNAME, "dir" } },
    .shortdesc = "read directories entries",
    .doc = "Return the entries of the directory C<dir>, including C<.> and "
           "C<..>, in the order the filesystem gives them, each with its "
           "inode number and type.  A directory of any size can be read: "
           "the library fetches it in pages that each fit in a message." },
  { .name = NULL },
};
