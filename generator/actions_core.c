/* Daemon actions: the core file operations.
 *
 * Procedure numbers are stable and append-only: never reuse or renumber
 * one, add new actions with the next free number (see HACKING.md).
 */
#include "generator.h"

#define PATH_DOC_ERRORS                                                      \
  "C<path> is resolved inside the guest filesystem: C<..> and absolute "     \
  "symbolic links cannot leave it."

const struct action actions_core[] = {
  { .name = "ping_daemon", .proc = 1, .ret = R_ERR,
    .shortdesc = "ping the guest daemon",
    .doc = "Round-trip a message to the daemon and back.  Useful to test "
           "that the appliance is alive." },
  { .name = "mkdir", .proc = 2, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "create a directory",
    .doc = "Create a directory named C<path>, with mode 0777 less the "
           "daemon's umask.  " PATH_DOC_ERRORS },
  { .name = "mkdir_mode", .proc = 3, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_INT, "mode" } },
    .shortdesc = "create a directory with a particular mode",
    .doc = "Create a directory C<path> with permissions C<mode> (less the "
           "umask)." },
  { .name = "mkdir_p", .proc = 4, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "create a directory and its parents",
    .doc = "Create C<path> and any missing parent directories.  It is not "
           "an error if C<path> is already a directory." },
  { .name = "touch", .proc = 5, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "update file timestamps or create a new file",
    .doc = "Create an empty regular file C<path>, or set the times of an "
           "existing one to now.  Fails on anything but a regular file." },
  { .name = "write", .proc = 6, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_BUFFERIN, "content" } },
    .shortdesc = "create a new file",
    .doc = "Create or replace the file C<path> with C<content>, which may "
           "hold any bytes.  The request must fit in a message (see "
           "L</PROTOCOL LIMITS>); use C<guestfs_upload> for large files." },
  { .name = "write_append", .proc = 7, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_BUFFERIN, "content" } },
    .shortdesc = "append content to end of file",
    .doc = "Append C<content> to the file C<path>, creating it if needed." },
  { .name = "read_file", .proc = 8, .ret = R_BUFFEROUT,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "read a file",
    .doc = "Return the contents of the file C<path>, which may hold any "
           "bytes.  Files larger than a message (see L</PROTOCOL LIMITS>) "
           "give an error; use C<guestfs_download> for them." },
  { .name = "cat", .proc = 9, .ret = R_STRING,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "list the contents of a file",
    .doc = "Return the contents of the text file C<path>.  A file holding "
           "a NUL byte is an error: use C<guestfs_read_file> for binary "
           "data." },
  { .name = "ls", .proc = 10, .ret = R_STRINGLIST,
    .args = { { A_PATHNAME, "directory" } },
    .shortdesc = "list the files in a directory",
    .doc = "Return the names in C<directory>, sorted, without C<.> and "
           "C<..>." },
  { .name = "lstatns", .proc = 11, .ret = R_STRUCT, .ret_struct = "statns",
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "get file information for a symbolic link",
    .doc = "Return the status of C<path> with nanosecond times.  A symbolic "
           "link is not followed." },
  { .name = "statns", .proc = 12, .ret = R_STRUCT, .ret_struct = "statns",
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "get file information",
    .doc = "Return the status of C<path> with nanosecond times, following "
           "symbolic links (inside the guest filesystem)." },
  { .name = "rm", .proc = 13, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "remove a file",
    .doc = "Remove the file C<path>.  Directories are refused." },
  { .name = "rm_f", .proc = 14, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "remove a file ignoring errors",
    .doc = "Remove the file C<path>; a missing file is not an error.  A "
           "directory is still refused." },
  { .name = "rmdir", .proc = 15, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "remove a directory",
    .doc = "Remove the empty directory C<path>." },
  { .name = "rm_rf", .proc = 16, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "remove a file or directory recursively",
    .doc = "Remove C<path> and everything under it.  A missing C<path> is "
           "not an error.  Symbolic links inside are removed, never "
           "followed." },
  { .name = "umask", .proc = 17, .ret = R_INT,
    .args = { { A_INT, "mask" } },
    .shortdesc = "set file mode creation mask (umask)",
    .doc = "Set the daemon's umask, which applies to every file and "
           "directory it creates, and return the previous one.  The default "
           "is C<022>." },
  { .name = "download", .proc = 18, .ret = R_ERR,
    .args = { { A_PATHNAME, "remotefilename" }, { A_FILEOUT, "filename" } },
    .flags = FL_PROGRESS,
    .shortdesc = "download a file to the local machine",
    .doc = "Copy the guest file C<remotefilename> to the host file "
           "C<filename>, which may be C</dev/stdout> or any other writable "
           "path.  Any size works.  Sends progress events." },
  { .name = "upload", .proc = 19, .ret = R_ERR,
    .args = { { A_FILEIN, "filename" }, { A_PATHNAME, "remotefilename" } },
    .flags = FL_PROGRESS,
    .shortdesc = "upload a file from the local machine",
    .doc = "Copy the host file C<filename> (which may be C</dev/stdin> or a "
           "pipe) to the guest file C<remotefilename>, replacing it.  Any "
           "size works.  Sends progress events." },
  { .name = "exists", .proc = 20, .ret = R_BOOL,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "test if file or directory exists",
    .doc = "True if C<path> exists (following symbolic links)." },
  { .name = "is_file", .proc = 21, .ret = R_BOOL,
    .args = { { A_PATHNAME, "path" } },
    .optargs = { { O_BOOL, "followsymlinks" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "test if a regular file",
    .doc = "True if C<path> is a regular file.  Symbolic links are followed "
           "only if C<followsymlinks> is set." },
  { .name = "is_dir", .proc = 22, .ret = R_BOOL,
    .args = { { A_PATHNAME, "path" } },
    .optargs = { { O_BOOL, "followsymlinks" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "test if a directory",
    .doc = "True if C<path> is a directory.  Symbolic links are followed "
           "only if C<followsymlinks> is set." },
  { .name = "readlink", .proc = 23, .ret = R_STRING,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "read the target of a symbolic link",
    .doc = "Return the target of the symbolic link C<path>, as stored." },
  { .name = "ln_s", .proc = 24, .ret = R_ERR,
    .args = { { A_STRING, "target" }, { A_PATHNAME, "linkname" } },
    .shortdesc = "create a symbolic link",
    .doc = "Create a symbolic link C<linkname> pointing to C<target>, "
           "which is stored as given." },
  { .name = "rename", .proc = 25, .ret = R_ERR,
    .args = { { A_PATHNAME, "oldpath" }, { A_PATHNAME, "newpath" } },
    .shortdesc = "rename a file on the same filesystem",
    .doc = "Rename C<oldpath> to C<newpath>, as rename(2) does." },
  { .name = "chmod", .proc = 26, .ret = R_ERR,
    .args = { { A_INT, "mode" }, { A_PATHNAME, "path" } },
    .shortdesc = "change file mode",
    .doc = "Change the mode of C<path> to C<mode>.  The umask does not "
           "apply." },
  { .name = "truncate_size", .proc = 27, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_INT64, "size" } },
    .shortdesc = "truncate a file to a particular size",
    .doc = "Change the size of the file C<path> to C<size> bytes, cutting "
           "it or extending it with a hole." },
  { .name = "sync", .proc = 28, .ret = R_ERR,
    .shortdesc = "sync disks, writes are flushed through to the disk image",
    .doc = "Flush everything written to the disk images." },
  /* Procedure 29 was a one-message readdir: retired, never reuse it. */
  { .name = "internal_lstatnslist", .proc = 30, .ret = R_STRUCTLIST,
    .ret_struct = "statns", .flags = FL_INTERNAL,
    .args = { { A_PATHNAME, "path" }, { A_STRINGLIST, "names" } },
    .shortdesc = "lstat on multiple files (one message)",
    .doc = "The daemon side of C<guestfs_lstatnslist>." },
  { .name = "internal_autosync", .proc = 31, .ret = R_ERR,
    .flags = FL_INTERNAL,
    .shortdesc = "unmount everything and sync",
    .doc = "Unmount the guest filesystems and flush all writes: what "
           "C<guestfs_shutdown> asks of the daemon before it stops the "
           "appliance." },
  { .name = "internal_readdir", .proc = 32, .ret = R_STRUCTLIST,
    .ret_struct = "dirent", .flags = FL_INTERNAL,
    .args = { { A_PATHNAME, "dir" }, { A_INT64, "cookie" } },
    .shortdesc = "read a page of directory entries",
    .doc = "The daemon side of C<guestfs_readdir>: the entries of C<dir> "
           "from position C<cookie> (0: the start), as many as fit in "
           "about 2 MiB.  The last entry of the page is a marker with an "
           "empty name: C<ftyp> C<E> if the directory ends there, or "
           "C<C> with the cookie to continue from in C<ino>." },
  { .name = "internal_rescan_drives", .proc = 33, .ret = R_ERR,
    .flags = FL_INTERNAL,
    .args = { { A_STRINGLIST, "serials" }, { A_INT64, "now_ns" } },
    .shortdesc = "find the drives hot-added after a restore",
    .doc = "The daemon side of a launch from the saved appliance.  The "
           "restored guest's clock and random state are those of the "
           "moment it was saved: set the clock to C<now_ns> (nanoseconds "
           "since the epoch, the host's time; 0 leaves it) and reseed the kernel's "
           "random generator.  Then rescan the PCI bus for the virtio-blk "
           "drives the library hot-added, wait until a disk with each "
           "serial in C<serials> is there, and check that they are named "
           "in that order (C</dev/vda>, C</dev/vdb>, ...), and activate "
           "the LVM volume groups on them, as after a cold "
           "boot.  Called with no serials and C<now_ns> 0 before the "
           "appliance is saved, it loads the virtio-blk driver and makes "
           "dm-crypt and its usual ciphers ready, so that no restored "
           "appliance has to." },
  { .name = NULL },
};
