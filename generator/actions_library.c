/* Library-side actions that are not handle configuration: local FUSE
 * mounts of the handle (libcore/mount-local.c over guestmount's
 * operations), libvirt domains, disk images, and the actions the
 * language bindings' tests call.  Most have proc = 0; the range
 * 1400-1499 is for daemon actions they may need.
 */
#include "generator.h"

const struct action actions_library[] = {
  { .name = "mount_local", .ret = R_ERR,
    .args = { { A_STRING, "localmountpoint" } },
    .optargs = { { O_INT, "readonly" }, { O_STRING, "options" },
                 { O_INT, "cachetimeout" }, { O_INT, "debugcalls" } },
    .shortdesc = "mount on the local filesystem",
    .doc = "Mount the guest's filesystems, as mounted in the appliance, on "
           "the local directory C<localmountpoint> through FUSE.  The mount "
           "is served only while C<guestfs_mount_local_run> runs, which "
           "the program calls next (often in a thread of its own); until "
           "then, accesses to the mountpoint wait.  The operations are "
           "guestmount(1)'s, with its caching.\n\n"
           "C<readonly>: refuse writes (the mount is C<ro>).  C<options>: "
           "a comma-separated list of FUSE mount options, as for "
           "guestmount's C<-o> (C<allow_other> adds "
           "C<default_permissions>).  C<cachetimeout>: seconds names and "
           "attributes are cached, here and in the kernel (default 60).  "
           "C<debugcalls>: print each FUSE operation on stderr.\n\n"
           "One local mount at a time may exist in a process, and a "
           "process serves one local mount in its life: the cache is "
           "guestmount's, which is per process.  A second fails with "
           "C<EBUSY>.  See L</MOUNT LOCAL>." },
  { .name = "mount_local_run", .ret = R_ERR,
    .shortdesc = "run main loop of mount on the local filesystem",
    .doc = "Serve the mount made by C<guestfs_mount_local> until it is "
           "unmounted, by C<guestfs_umount_local> (from another thread or "
           "process) or by C<fusermount3 -u> (C<umount> as root).  While "
           "it runs, the FUSE operations make calls on this handle from "
           "worker threads, and the handle's error handler is not called "
           "for their failures.  The last writes and releases are sent "
           "before it returns.  If the appliance goes away, the mount is "
           "detached and this returns." },
  { .name = "umount_local", .ret = R_ERR,
    .optargs = { { O_INT, "retry" } },
    .shortdesc = "unmount a locally mounted filesystem",
    .doc = "Unmount the mount made by C<guestfs_mount_local>; "
           "C<guestfs_mount_local_run> then returns.  It fails with "
           "C<EBUSY> if the mount is in use, unless C<retry> is true, "
           "when it tries again each second for 5 seconds." },

  /* libvirt domains (libcore/libvirt.c, libvirt-auth.c). */
  { .name = "add_domain", .ret = R_INT,
    .args = { { A_STRING, "dom" } },
    .optargs = { { O_STRING, "libvirturi" }, { O_INT, "readonly" },
                 { O_STRING, "iface" }, { O_INT, "live" },
                 { O_INT, "allowuuid" }, { O_STRING, "readonlydisk" },
                 { O_STRING, "cachemode" }, { O_STRING, "discard" },
                 { O_INT, "copyonread" } },
    .flags = FL_CONFIG_ONLY,
    .shortdesc = "add the disk(s) from a named libvirt domain",
    .doc = "Add the disks of the libvirt domain C<dom>: connect to libvirt "
           "(C<libvirturi>, else libvirt's default URI), look the domain "
           "up, and add its disks as C<guestfs_add_libvirt_dom> "
           "does.  With C<allowuuid>, C<dom> may be a UUID (tried first).  "
           "Returns the number of disks added; on error none is added.  "
           "A domain that is not found is C<ENOENT>.  The other optional "
           "arguments are C<guestfs_add_libvirt_dom>'s.  Authentication: "
           "see L</LIBVIRT AUTHENTICATION>." },
  { .name = "add_libvirt_dom", .ret = R_INT,
    .args = { { A_POINTER, "dom" } },
    .optargs = { { O_INT, "readonly" }, { O_STRING, "iface" },
                 { O_INT, "live" }, { O_STRING, "readonlydisk" },
                 { O_STRING, "cachemode" }, { O_STRING, "discard" },
                 { O_INT, "copyonread" } },
    .flags = FL_CONFIG_ONLY,
    .shortdesc = "add libvirt dom",
    .doc = "Add the disks of C<dom>, a C<virDomainPtr> (declared C<void *> "
           "so that this header needs no libvirt one): its XML is read and "
           "each C<E<lt>diskE<gt>> with a source (a file, a block device, "
           "or a network disk: C<protocol>, C<E<lt>hostE<gt>>) is added "
           "with C<guestfs_add_drive_opts>, its format from C<E<lt>driver "
           "type=E<gt>> (probed if absent) and C<blocksize> from "
           "C<E<lt>blockio logical_block_size=E<gt>>.  Empty CD-ROM drives "
           "and storage-pool volumes are skipped.  Returns the number of "
           "disks added; on error none is added.\n\n"
           "Unless C<readonly>, a running domain is refused (C<EPERM>): "
           "writing to a live guest's disks corrupts them.  C<live> is "
           "ignored, as in libguestfs 1.48.  C<readonlydisk> says what to "
           "do with disks marked C<E<lt>readonly/E<gt>>: C<write> (the "
           "default) adds them like the others, C<read> adds them "
           "read-only, C<error> fails unless C<readonly>, C<ignore> skips "
           "them.  C<iface>, C<cachemode>, C<discard> and C<copyonread> "
           "are passed to C<guestfs_add_drive_opts>." },
  { .name = "set_libvirt_supported_credentials", .ret = R_ERR,
    .args = { { A_STRINGLIST, "creds" } }, .flags = FL_ANY_STATE,
    .shortdesc = "set libvirt credentials supported by calling program",
    .doc = "The credential types the program can answer when libvirt asks "
           "(a non-empty list of C<username>, C<authname>, C<language>, "
           "C<cnonce>, C<passphrase>, C<echoprompt>, C<noechoprompt>, "
           "C<realm>, C<external>; another name is C<EINVAL>).  With this "
           "set and a C<GUESTFS_EVENT_LIBVIRT_AUTH> callback registered, "
           "libvirt's questions go to the callback; otherwise libvirt "
           "prompts on the terminal.  See L</LIBVIRT AUTHENTICATION>." },
  { .name = "get_libvirt_requested_credentials", .ret = R_STRINGLIST,
    .flags = FL_ANY_STATE,
    .shortdesc = "get list of credentials requested by libvirt",
    .doc = "In a C<GUESTFS_EVENT_LIBVIRT_AUTH> callback: the credential "
           "types libvirt asks for, in order (index 0 first).  Outside one, "
           "C<EINVAL>." },
  { .name = "get_libvirt_requested_credential_prompt", .ret = R_STRING,
    .args = { { A_INT, "index" } }, .flags = FL_ANY_STATE,
    .shortdesc = "prompt of i'th requested credential",
    .doc = "In a C<GUESTFS_EVENT_LIBVIRT_AUTH> callback: libvirt's prompt "
           "for the C<index>'th credential, or C<\"\"> if it gave none." },
  { .name = "get_libvirt_requested_credential_challenge", .ret = R_STRING,
    .args = { { A_INT, "index" } }, .flags = FL_ANY_STATE,
    .shortdesc = "challenge of i'th requested credential",
    .doc = "In a C<GUESTFS_EVENT_LIBVIRT_AUTH> callback: libvirt's "
           "challenge for the C<index>'th credential, or C<\"\">." },
  { .name = "get_libvirt_requested_credential_defresult", .ret = R_STRING,
    .args = { { A_INT, "index" } }, .flags = FL_ANY_STATE,
    .shortdesc = "default result of i'th requested credential",
    .doc = "In a C<GUESTFS_EVENT_LIBVIRT_AUTH> callback: libvirt's default "
           "answer for the C<index>'th credential, or C<\"\">." },
  { .name = "set_libvirt_requested_credential", .ret = R_ERR,
    .args = { { A_INT, "index" }, { A_BUFFERIN, "cred" } },
    .flags = FL_ANY_STATE,
    .shortdesc = "pass requested credential back to libvirt",
    .doc = "In a C<GUESTFS_EVENT_LIBVIRT_AUTH> callback: the answer to the "
           "C<index>'th credential, given to libvirt when the callback "
           "returns." },
  { .name = NULL },
};
