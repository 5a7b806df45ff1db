/* Library-side actions that are not handle configuration: local FUSE
 * mounts of the handle (libcore/mount-local.c over guestmount's
 * operations), libvirt domains, disk images, and the actions the
 * language bindings' tests call.  Most have proc = 0; the range
 * 1400-1499 is for daemon actions they may need.
 */
#include "generator.h"

#define BINDTESTS_DOC                                                        \
  "For the language bindings' tests, as in libguestfs: C<internal_test>, "   \
  "C<internal_test_only_optargs> and C<internal_test_63_optargs> print "     \
  "their arguments, one a line (optional ones as C<NAME: VALUE> or "         \
  "C<NAME: unset>), on stdout or the file of "                              \
  "C<internal_test_set_output>; C<internal_test_rTYPE> returns a value of "  \
  "that type made from C<val> (a number is parsed, a list has that many "   \
  "elements C<0>, C<1>, ..., a struct is an C<lvm_pv> numbered 0, "          \
  "constant strings are C<static string>), and C<internal_test_rTYPEerr> "  \
  "fails with the message C<error>."

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

  /* Handle and drive configuration (libcore/impl-library.c). */
  { .name = "c_pointer", .ret = R_INT64, .flags = FL_ANY_STATE,
    .shortdesc = "return the C pointer to the guestfs_h handle",
    .doc = "The handle's address, as an integer: for language bindings "
           "that hand the same handle to another library." },
  { .name = "config", .ret = R_ERR,
    .args = { { A_STRING, "hvparam" }, { A_OPTSTRING, "hvvalue" } },
    .flags = FL_CONFIG_ONLY,
    .shortdesc = "add hypervisor parameters",
    .doc = "Add the qemu option C<hvparam> (with the value C<hvvalue>, "
           "or none if C<NULL>) to the end of qemu's command line at "
           "launch.  C<hvparam> must begin with C<->; the options the "
           "appliance depends on (C<-kernel>, C<-initrd>, C<-append>, "
           "C<-nographic>, C<-display>, C<-serial>, C<-sandbox>, C<-runas>, "
           "C<-daemonize>, C<-monitor>, C<-qmp>) are refused with "
           "C<EINVAL>." },
  { .name = "debug_drives", .ret = R_STRINGLIST, .flags = FL_ANY_STATE,
    .shortdesc = "debug the drives (internal use only)",
    .doc = "One line per drive added: C<path=> and the options that are "
           "set (C<format>, C<readonly>, C<name>, C<label>, C<cache>, "
           "C<protocol>, C<blocksize>, C<copyonread>).  For debugging." },
  { .name = "remove_drive", .ret = R_ERR,
    .args = { { A_STRING, "label" } }, .flags = FL_ANY_STATE,
    .shortdesc = "remove a disk image",
    .doc = "Remove the drive added with C<label> (see "
           "C<guestfs_add_drive_opts>).  Before launch only: the drives "
           "after it move up one place.  After launch, qemu's disks cannot "
           "be removed (no hot-unplug): C<ENOTSUP>.  A label no drive has "
           "is C<ENOENT>." },
  { .name = "disk_create", .ret = R_ERR,
    .args = { { A_STRING, "filename" }, { A_STRING, "format" },
              { A_INT64, "size" } },
    .optargs = { { O_STRING, "backingfile" }, { O_STRING, "backingformat" },
                 { O_STRING, "preallocation" }, { O_STRING, "compat" },
                 { O_INT, "clustersize" } },
    .flags = FL_ANY_STATE,
    .shortdesc = "create a blank disk image",
    .doc = "Create a disk image on the host with C<qemu-img create>.  "
           "C<format> is C<raw> or C<qcow2>.  C<size> is in bytes, or "
           "C<-1> with C<backingfile> for the backing file's size.  "
           "C<backingfile> (qcow2 only) and C<backingformat>: an overlay.  "
           "C<preallocation>: for raw C<off> (or C<sparse>), C<full>; for "
           "qcow2 C<off>, C<metadata>, C<falloc>, C<full>.  C<compat>: "
           "qcow2 C<0.10> or C<1.1>.  C<clustersize>: qcow2, a power of "
           "two from 512 to 2 MiB.  Other values are C<EINVAL>." },

  /* Inspection of install media, which this library does not detect. */
  { .name = "inspect_is_live", .ret = R_BOOL,
    .args = { { A_STRING, "root" } },
    .shortdesc = "get live flag for install disk",
    .doc = "Whether C<root> is a live CD.  Always false: install media are "
           "not inspected (as in libguestfs 1.48, which always returns "
           "false).  C<root> must be a root found by C<guestfs_inspect_os>." },
  { .name = "inspect_is_multipart", .ret = R_BOOL,
    .args = { { A_STRING, "root" } },
    .shortdesc = "get multipart flag for install disk",
    .doc = "Whether C<root> is one disk of a multipart install set.  Always "
           "false for installed operating systems, which are all this "
           "library inspects.  C<root> must be a root found by "
           "C<guestfs_inspect_os>." },
  { .name = "inspect_is_netinst", .ret = R_BOOL,
    .args = { { A_STRING, "root" } },
    .shortdesc = "get netinst (network installer) flag for install disk",
    .doc = "Whether C<root> is a network installer.  Always false for "
           "installed operating systems, which are all this library "
           "inspects.  C<root> must be a root found by "
           "C<guestfs_inspect_os>." },

  /* Internal helpers of libguestfs's programs and bindings. */
  { .name = "internal_feature_available", .ret = R_INT,
    .args = { { A_STRING, "group" } },
    .shortdesc = "internal feature available",
    .doc = "0 if the optional group C<group> is available, 1 if not (see "
           "C<guestfs_feature_available>); an unknown group is an error." },
  { .name = "internal_parse_mountable", .ret = R_STRUCT,
    .ret_struct = "internal_mountable",
    .args = { { A_STRING, "mountable" } },
    .shortdesc = "internal parse mountable",
    .doc = "Split a mountable: C<im_type> 0 for a device (C<im_volume> "
           "empty), 1 for a btrfs subvolume (C<btrfsvol:DEVICE/VOLUME>)." },

  /* 9p: no virtio-9p transport in the appliance. */
  { .name = "list_9p", .ret = R_STRINGLIST,
    .shortdesc = "list 9p filesystems",
    .doc = "Fails with C<ENOTSUP>: the appliance has no virtio-9p "
           "devices, so there are no 9p filesystems to list (libguestfs "
           "behaves the same on a build without them)." },
  { .name = "mount_9p", .ret = R_ERR,
    .args = { { A_STRING, "mounttag" }, { A_STRING, "mountpoint" } },
    .optargs = { { O_STRING, "options" } },
    .shortdesc = "mount 9p filesystem",
    .doc = "Fails with C<ENOTSUP>: the appliance has no virtio-9p "
           "devices (see C<guestfs_list_9p>)." },

  /* The language bindings' test actions (libcore/bindtests.c), with
   * results fixed by their arguments as libguestfs's. */
    {.name = "internal_test",
     .ret = R_INT,
     .args = {{A_STRING, "str"},
              {A_OPTSTRING, "optstr"},
              {A_STRINGLIST, "strlist"},
              {A_INT, "b"},
              {A_INT, "integer"},
              {A_INT64, "integer64"},
              {A_STRING, "filein"},
              {A_STRING, "fileout"},
              {A_BUFFERIN, "bufferin"}},
     .optargs = {{O_INT, "obool"},
                 {O_INT, "oint"},
                 {O_INT64, "oint64"},
                 {O_STRING, "ostring"},
                 {O_STRINGLIST, "ostringlist"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_63_optargs",
     .ret = R_INT,
     .optargs = {{O_INT, "opt1"},  {O_INT, "opt2"},  {O_INT, "opt3"},
                 {O_INT, "opt4"},  {O_INT, "opt5"},  {O_INT, "opt6"},
                 {O_INT, "opt7"},  {O_INT, "opt8"},  {O_INT, "opt9"},
                 {O_INT, "opt10"}, {O_INT, "opt11"}, {O_INT, "opt12"},
                 {O_INT, "opt13"}, {O_INT, "opt14"}, {O_INT, "opt15"},
                 {O_INT, "opt16"}, {O_INT, "opt17"}, {O_INT, "opt18"},
                 {O_INT, "opt19"}, {O_INT, "opt20"}, {O_INT, "opt21"},
                 {O_INT, "opt22"}, {O_INT, "opt23"}, {O_INT, "opt24"},
                 {O_INT, "opt25"}, {O_INT, "opt26"}, {O_INT, "opt27"},
                 {O_INT, "opt28"}, {O_INT, "opt29"}, {O_INT, "opt30"},
                 {O_INT, "opt31"}, {O_INT, "opt32"}, {O_INT, "opt33"},
                 {O_INT, "opt34"}, {O_INT, "opt35"}, {O_INT, "opt36"},
                 {O_INT, "opt37"}, {O_INT, "opt38"}, {O_INT, "opt39"},
                 {O_INT, "opt40"}, {O_INT, "opt41"}, {O_INT, "opt42"},
                 {O_INT, "opt43"}, {O_INT, "opt44"}, {O_INT, "opt45"},
                 {O_INT, "opt46"}, {O_INT, "opt47"}, {O_INT, "opt48"},
                 {O_INT, "opt49"}, {O_INT, "opt50"}, {O_INT, "opt51"},
                 {O_INT, "opt52"}, {O_INT, "opt53"}, {O_INT, "opt54"},
                 {O_INT, "opt55"}, {O_INT, "opt56"}, {O_INT, "opt57"},
                 {O_INT, "opt58"}, {O_INT, "opt59"}, {O_INT, "opt60"},
                 {O_INT, "opt61"}, {O_INT, "opt62"}, {O_INT, "opt63"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test 63 optargs",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_close_output",
     .ret = R_INT,
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test close output",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_only_optargs",
     .ret = R_INT,
     .optargs = {{O_INT, "test"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test only optargs",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rbool",
     .ret = R_INT,
     .args = {{A_STRING, "val"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rbool",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rboolerr",
     .ret = R_INT,
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rboolerr",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rbufferout",
     .ret = R_BUFFEROUT,
     .args = {{A_STRING, "val"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rbufferout",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rbufferouterr",
     .ret = R_BUFFEROUT,
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rbufferouterr",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rconstoptstring",
     .ret = R_CONSTSTRING,
     .args = {{A_STRING, "val"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rconstoptstring",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rconstoptstringerr",
     .ret = R_CONSTSTRING,
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rconstoptstringerr",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rconststring",
     .ret = R_CONSTSTRING,
     .args = {{A_STRING, "val"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rconststring",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rconststringerr",
     .ret = R_CONSTSTRING,
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rconststringerr",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rhashtable",
     .ret = R_STRINGLIST,
     .args = {{A_STRING, "val"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rhashtable",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rhashtableerr",
     .ret = R_STRINGLIST,
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rhashtableerr",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rint",
     .ret = R_INT,
     .args = {{A_STRING, "val"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rint",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rinterr",
     .ret = R_INT,
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rinterr",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rint64",
     .ret = R_INT64,
     .args = {{A_STRING, "val"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rint64",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rint64err",
     .ret = R_INT64,
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rint64err",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rstring",
     .ret = R_STRING,
     .args = {{A_STRING, "val"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rstring",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rstringerr",
     .ret = R_STRING,
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rstringerr",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rstringlist",
     .ret = R_STRINGLIST,
     .args = {{A_STRING, "val"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rstringlist",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rstringlisterr",
     .ret = R_STRINGLIST,
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rstringlisterr",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rstruct",
     .ret = R_STRUCT,
     .ret_struct = "lvm_pv",
     .args = {{A_STRING, "val"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rstruct",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rstructerr",
     .ret = R_STRUCT,
     .ret_struct = "lvm_pv",
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rstructerr",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rstructlist",
     .ret = R_STRUCTLIST,
     .ret_struct = "lvm_pv",
     .args = {{A_STRING, "val"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rstructlist",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_rstructlisterr",
     .ret = R_STRUCTLIST,
     .ret_struct = "lvm_pv",
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test rstructlisterr",
     .doc = BINDTESTS_DOC},
    {.name = "internal_test_set_output",
     .ret = R_INT,
     .args = {{A_STRING, "filename"}},
     .flags = FL_ANY_STATE,
     .shortdesc = "internal test set output",
     .doc = BINDTESTS_DOC},
  { .name = NULL },
};
