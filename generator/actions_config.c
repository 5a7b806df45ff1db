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
  /* The optional arguments are libguestfs's, in its order: their
   * numbers and bitmasks are ABI. */
  { .name = "add_drive", .ret = R_ERR,
    .args = { { A_STRING, "filename" } },
    .optargs = { { O_BOOL, "readonly" }, { O_STRING, "format" },
                 { O_STRING, "iface" }, { O_STRING, "name" },
                 { O_STRING, "label" }, { O_STRING, "protocol" },
                 { O_STRINGLIST, "server" }, { O_STRING, "username" },
                 { O_STRING, "secret" }, { O_STRING, "cachemode" },
                 { O_STRING, "discard" }, { O_BOOL, "copyonread" },
                 { O_INT, "blocksize" } },
    .flags = FL_CONFIG_ONLY | FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "add an image to examine or modify",
    .doc = "Add the disk image C<filename>.  The first drive added is "
           "C</dev/sda> in the appliance, the second C</dev/sdb>, and so "
           "on.\n\n"
           "C<format> names the image format (C<raw>, C<qcow2>, C<vmdk>, "
           "...).  Without it the format is probed, as libguestfs does: "
           "C<qemu-img info> reads the image on the host (with its memory "
           "and CPU time limited) and the format it reports is used; the "
           "verbose log says which.  An image probed as anything but raw "
           "whose backing chain leads to something other than a regular "
           "file (a device, a socket, a network address) is refused.\n\n"
           "Probing is unsafe for an untrusted image that should be raw: "
           "a guest that can write to its raw disk can make it look like a "
           "qcow2 image backed by a host file, and the next probe would "
           "give the guest that file.  Always name the format of untrusted "
           "raw images (C<format> = C<raw>).  C<format> = C<auto> lets "
           "qemu itself probe, with no check of the backing chain.\n\n"
           "C<readonly> adds the drive so that writes fail with C<EROFS> "
           "and the image is never modified.  C<cachemode> is C<writeback> "
           "(default) or C<unsafe>.  C<name> and C<label> are recorded for "
           "the caller.  C<blocksize> sets the logical sector size (512 or "
           "4096).  C<iface> may only be C<virtio>, the interface every "
           "drive uses.  C<discard> is C<disable> (default), C<enable> "
           "(guest discards free space in the image; launch fails if the "
           "format or protocol cannot) or C<besteffort> (discard where "
           "possible).  C<copyonread> copies data read from a backing file "
           "into the image.\n\n"
           "C<protocol> reaches a remote image through qemu's own block "
           "drivers: C<file> (default, a local file or block device), "
           "C<nbd>, C<http>, C<https>, C<ftp>, C<ftps> or C<ssh>.  "
           "C<server> is then a list of one server: C<HOST>, C<HOST:PORT>, "
           "C<tcp:HOST:PORT> or C<unix:/SOCKET> (C<nbd> only).  "
           "C<filename> is the NBD export name, or the path on the server.  "
           "C<username> logs in as that user (C<http>, C<https>, C<ftp>, "
           "C<ftps>, C<ssh>); C<secret> is the password (C<http>, C<https>, "
           "C<ftp>, C<ftps>), handed to qemu in a private file, never on "
           "its command line.\n\n"
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
           "for this user: C<CACHEDIR/.guestfs-cache-UID> when "
           "C<guestfs_set_cachedir> or C<LIBGUESTFS_CACHEDIR> gave a "
           "C<CACHEDIR>, else C<$XDG_CACHE_HOME/guestfs> when "
           "C<XDG_CACHE_HOME> is set, else C<$TMPDIR/.guestfs-cache-UID> (with "
           "C<TMPDIR> defaulting to F</var/tmp>)." },
  { .name = "set_hv", .ret = R_ERR,
    .args = { { A_STRING, "hv" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "set the hypervisor binary",
    .doc = "The same as C<guestfs_set_qemu>.  C<LIBGUESTFS_HV> sets it "
           "when the handle is created (before C<LIBGUESTFS_QEMU>)." },
  { .name = "get_hv", .ret = R_STRING, .flags = FL_ANY_STATE,
    .shortdesc = "get the hypervisor binary",
    .doc = "Return the qemu binary that launch will run." },
  { .name = "set_attach_method", .ret = R_ERR,
    .args = { { A_STRING, "backend" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "set the backend",
    .doc = "The former name of C<guestfs_set_backend>.  "
           "C<LIBGUESTFS_ATTACH_METHOD> is read when C<LIBGUESTFS_BACKEND> "
           "is not set." },
  { .name = "get_attach_method", .ret = R_STRING, .flags = FL_ANY_STATE,
    .shortdesc = "get the backend",
    .doc = "The former name of C<guestfs_get_backend>." },
  { .name = "set_cachedir", .ret = R_ERR,
    .args = { { A_OPTSTRING, "cachedir" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "set the appliance cache directory",
    .doc = "Build and keep the appliance under C<cachedir> (in "
           "C<cachedir/.guestfs-cache-UID>) instead of the default place "
           "(see C<guestfs_get_cachedir>).  C<NULL> restores the default.  "
           "C<LIBGUESTFS_CACHEDIR> sets it when the handle is created." },
  { .name = "set_tmpdir", .ret = R_ERR,
    .args = { { A_OPTSTRING, "tmpdir" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "set the temporary directory",
    .doc = "Make the handle's temporary files (sockets, scratch disks, "
           "overlays) under C<tmpdir>.  C<NULL> restores the default: "
           "C<LIBGUESTFS_TMPDIR>, else C<TMPDIR>, else F</tmp>." },
  { .name = "get_tmpdir", .ret = R_STRING, .flags = FL_ANY_STATE,
    .shortdesc = "get the temporary directory",
    .doc = "Return the directory under which the handle makes its "
           "temporary files." },
  { .name = "get_sockdir", .ret = R_STRING, .flags = FL_ANY_STATE,
    .shortdesc = "get the temporary directory for sockets",
    .doc = "Return the directory under which the handle makes its "
           "sockets: the same as C<guestfs_get_tmpdir>." },
  { .name = "disk_format", .ret = R_STRING,
    .args = { { A_STRING, "filename" } }, .flags = FL_ANY_STATE,
    .shortdesc = "detect the disk format of a disk image",
    .doc = "Return the format of the image C<filename> as C<qemu-img info> "
           "probes it (C<raw>, C<qcow2>, ...).  See the warning in "
           "C<guestfs_add_drive_opts> about probing untrusted images." },
  { .name = "disk_has_backing_file", .ret = R_BOOL,
    .args = { { A_STRING, "filename" } }, .flags = FL_ANY_STATE,
    .shortdesc = "return whether disk has a backing file",
    .doc = "Return true if the probed format of C<filename> names a "
           "backing file." },
  { .name = "disk_virtual_size", .ret = R_INT64,
    .args = { { A_STRING, "filename" } }, .flags = FL_ANY_STATE,
    .shortdesc = "return virtual size of a disk",
    .doc = "Return the size in bytes of the disk that C<filename> holds, "
           "as the guest sees it." },
  { .name = "set_network", .ret = R_ERR,
    .args = { { A_BOOL, "network" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "set enable network flag",
    .doc = "If C<network> is true, the appliance gets a network card on qemu's "
           "user-mode network (outgoing connections only).  Off by default." },
  { .name = "get_network", .ret = R_BOOL, .flags = FL_ANY_STATE,
    .shortdesc = "get the network flag",
    .doc = "Return the flag set by C<guestfs_set_network>." },
  { .name = "set_smp", .ret = R_ERR,
    .args = { { A_INT, "smp" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "set number of virtual CPUs in appliance",
    .doc = "Give the appliance C<smp> virtual CPUs (1 to 255; 1 by "
           "default)." },
  { .name = "get_smp", .ret = R_INT, .flags = FL_ANY_STATE,
    .shortdesc = "get number of virtual CPUs in appliance",
    .doc = "Return the number of virtual CPUs of the appliance." },
  { .name = "set_pgroup", .ret = R_ERR,
    .args = { { A_BOOL, "pgroup" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "set process group flag",
    .doc = "Recorded for libguestfs compatibility.  qemu always runs in a "
           "process group of its own, so that a terminal's ^C reaches the "
           "program and not qemu." },
  { .name = "get_pgroup", .ret = R_BOOL, .flags = FL_ANY_STATE,
    .shortdesc = "get the pgroup flag",
    .doc = "Return the flag set by C<guestfs_set_pgroup>." },
  { .name = "set_recovery_proc", .ret = R_ERR,
    .args = { { A_BOOL, "recovery_proc" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "enable or disable the recovery process",
    .doc = "Recorded for libguestfs compatibility.  No recovery process is "
           "needed: qemu is killed by the kernel when the thread that "
           "launched it exits (C<PR_SET_PDEATHSIG>)." },
  { .name = "get_recovery_proc", .ret = R_BOOL, .flags = FL_ANY_STATE,
    .shortdesc = "get the recovery_proc flag",
    .doc = "Return the flag set by C<guestfs_set_recovery_proc>." },
  { .name = "set_selinux", .ret = R_ERR,
    .args = { { A_BOOL, "selinux" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "set SELinux enabled or disabled at appliance boot",
    .doc = "Recorded for libguestfs compatibility; the appliance does not "
           "enable SELinux." },
  { .name = "get_selinux", .ret = R_BOOL, .flags = FL_ANY_STATE,
    .shortdesc = "get the selinux flag",
    .doc = "Return the flag set by C<guestfs_set_selinux>." },
  { .name = "set_direct", .ret = R_ERR,
    .args = { { A_BOOL, "direct" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "enable or disable direct appliance mode",
    .doc = "Recorded for libguestfs compatibility.  Direct mode (the console "
           "on stdin/stdout) is not supported." },
  { .name = "get_direct", .ret = R_BOOL, .flags = FL_ANY_STATE,
    .shortdesc = "get the direct flag",
    .doc = "Return the flag set by C<guestfs_set_direct>." },
  { .name = "set_backend_setting", .ret = R_ERR,
    .args = { { A_STRING, "name" }, { A_STRING, "val" } },
    .flags = FL_CONFIG_ONLY,
    .shortdesc = "set a single per-backend settings string",
    .doc = "Set C<name=val> in the backend settings, replacing any "
           "setting C<name> there." },
  { .name = "get_backend_setting", .ret = R_STRING,
    .args = { { A_STRING, "name" } }, .flags = FL_ANY_STATE,
    .shortdesc = "get a single per-backend settings string",
    .doc = "Return the value of the backend setting C<name> (C<1> for a "
           "setting without C<=>); an C<ESRCH> error if there is none." },
  { .name = "clear_backend_setting", .ret = R_INT,
    .args = { { A_STRING, "name" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "remove a single per-backend settings string",
    .doc = "Remove every backend setting C<name> or C<name=...>; return "
           "how many there were." },
  { .name = "get_pid", .ret = R_INT, .flags = FL_ANY_STATE,
    .shortdesc = "get PID of hypervisor",
    .doc = "Return the process ID of qemu.  An error if the appliance is "
           "not running under this handle." },
  { .name = "wait_ready", .ret = R_ERR, .flags = FL_ANY_STATE,
    .shortdesc = "wait until the hypervisor launches (no op)",
    .doc = "Does nothing: C<guestfs_launch> returns once the appliance is "
           "ready.  Kept for old programs." },
  { .name = "parse_environment", .ret = R_ERR, .flags = FL_ANY_STATE,
    .shortdesc = "parse the environment and set handle flags accordingly",
    .doc = "Read the C<LIBGUESTFS_*> environment variables again, as "
           "C<guestfs_create> does, and set the handle from them." },
  { .name = "parse_environment_list", .ret = R_ERR,
    .args = { { A_STRINGLIST, "environment" } }, .flags = FL_ANY_STATE,
    .shortdesc = "parse the environment and set handle flags accordingly",
    .doc = "Like C<guestfs_parse_environment>, but from a list of "
           "C<NAME=VALUE> strings instead of the process environment." },
  { .name = "add_drive_with_if", .ret = R_ERR,
    .args = { { A_STRING, "filename" }, { A_STRING, "iface" } },
    .flags = FL_CONFIG_ONLY,
    .shortdesc = "add a drive specifying the QEMU block emulation to use",
    .doc = "The same as C<guestfs_add_drive_opts> with C<iface>." },
  { .name = "add_drive_ro_with_if", .ret = R_ERR,
    .args = { { A_STRING, "filename" }, { A_STRING, "iface" } },
    .flags = FL_CONFIG_ONLY,
    .shortdesc = "add a drive read-only specifying the QEMU block emulation "
                 "to use",
    .doc = "The same as C<guestfs_add_drive_opts> with C<iface> and "
           "C<readonly>." },
  { .name = "add_cdrom", .ret = R_ERR,
    .args = { { A_STRING, "filename" } }, .flags = FL_CONFIG_ONLY,
    .shortdesc = "add a CD-ROM disk image to examine",
    .doc = "The same as C<guestfs_add_drive_ro>: the image is a read-only "
           "disk, whose format is probed." },
  /* Library-side conveniences of libguestfs, made from daemon calls. */
  { .name = "canonical_device_name", .ret = R_STRING,
    .args = { { A_STRING, "device" } },
    .shortdesc = "return canonical device name",
    .doc = "Return the name libguestfs's programs print for C<device>: "
           "C</dev/vdX> and C</dev/hdX> become C</dev/sdX>, and a "
           "device-mapper name of a logical volume (C</dev/mapper/VG-LV>) "
           "becomes C</dev/VG/LV>.  Anything else is returned unchanged." },
  { .name = "lvm_canonical_lv_name", .ret = R_STRING,
    .args = { { A_STRING, "lvname" } },
    .shortdesc = "get canonical name of an LV",
    .doc = "Return C</dev/VG/LV> for a logical volume named either that "
           "way or C</dev/mapper/VG-LV>.  An C<EINVAL> error if C<lvname> "
           "is not a logical volume." },
  { .name = "mountable_device", .ret = R_STRING,
    .args = { { A_STRING, "mountable" } },
    .shortdesc = "extract the device part of a mountable",
    .doc = "Return the device of C<mountable>: itself, or C<DEVICE> of a "
           "btrfs subvolume C<btrfsvol:DEVICE/SUBVOLUME>." },
  { .name = "mountable_subvolume", .ret = R_STRING,
    .args = { { A_STRING, "mountable" } },
    .shortdesc = "extract the subvolume part of a mountable",
    .doc = "Return C<SUBVOLUME> of a btrfs subvolume "
           "C<btrfsvol:DEVICE/SUBVOLUME>; an C<EINVAL> error for anything "
           "else." },
  { .name = "stat", .ret = R_STRUCT, .ret_struct = "stat",
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "get file information",
    .doc = "C<guestfs_statns> with times in whole seconds: the file's "
           "status, following symbolic links." },
  { .name = "lstat", .ret = R_STRUCT, .ret_struct = "stat",
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "get file information for a symbolic link",
    .doc = "C<guestfs_lstatns> with times in whole seconds." },
  { .name = "lstatlist", .ret = R_STRUCTLIST, .ret_struct = "stat",
    .args = { { A_PATHNAME, "path" }, { A_STRINGLIST, "names" } },
    .shortdesc = "lstat on multiple files",
    .doc = "C<guestfs_lstatnslist> with times in whole seconds." },
  { .name = "filesize", .ret = R_INT64,
    .args = { { A_PATHNAME, "file" } },
    .shortdesc = "return the size of the file in bytes",
    .doc = "Return the size of C<file> in bytes, following symbolic "
           "links." },
  { .name = "copy_in", .ret = R_ERR,
    .args = { { A_STRING, "localpath" }, { A_PATHNAME, "remotedir" } },
    .shortdesc = "copy local files or directories into an image",
    .doc = "Copy the host file or directory C<localpath> (recursively) "
           "into the guest directory C<remotedir>, through "
           "C<guestfs_tar_in>." },
  { .name = "copy_out", .ret = R_ERR,
    .args = { { A_PATHNAME, "remotepath" }, { A_STRING, "localdir" } },
    .shortdesc = "copy remote files or directories out of an image",
    .doc = "Copy the guest file or directory C<remotepath> (recursively) "
           "into the host directory C<localdir>: a file through "
           "C<guestfs_download>, a directory through C<guestfs_tar_out>." },
  { .name = "luks_uuid", .ret = R_STRING,
    .args = { { A_STRING, "device" } }, .group = "luks",
    .shortdesc = "get the UUID of a LUKS device",
    .doc = "Return the UUID of the LUKS header on C<device>." },
  { .name = "lvm_scan", .ret = R_ERR,
    .args = { { A_BOOL, "activate" } }, .group = "lvm2",
    .shortdesc = "scan for LVM physical volumes, volume groups and logical "
                 "volumes",
    .doc = "The volumes are found afresh by every LVM call, so this only "
           "activates every logical volume when C<activate> is true." },
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
