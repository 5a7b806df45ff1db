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
  { .name = NULL },
};
