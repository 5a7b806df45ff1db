/* Files, directories, data and transfers.
 *
 * Procedure numbers 100-299: stable, append-only.  The two batched
 * listings (lxattrlist, readlinklist) are library-side (proc 0): the
 * library splits the names into batches of internal_* calls.
 */
#include "generator.h"

#define FOLLOW_DOC                                                           \
  "  Symbolic links are followed (inside the guest filesystem) only if "     \
  "C<followsymlinks> is set."

#define XATTR_NAME_DOC                                                       \
  "  The attribute name must include its namespace (C<user.>, "              \
  "C<trusted.>, C<security.> or C<system.>) and be at most 255 bytes."

#define LINES_DOC                                                            \
  "  Lines end at C<\\n>; a C<\\r> before it is dropped too.  The result "   \
  "must fit in one message (see L</PROTOCOL LIMITS>)."

#define CSUM_DOC                                                             \
  "C<csumtype> names the algorithm: C<crc> (the POSIX checksum of "          \
  "L<cksum(1)>), C<md5>, C<sha1>, C<sha224>, C<sha256>, C<sha384> or "       \
  "C<sha512>."

#define COMMAND_WARNING                                                      \
  "\n\nI<Security:> the program comes from the guest and runs with the "     \
  "daemon's privileges inside the appliance.  A hostile guest controls "     \
  "what it does and what it prints: never use this on a guest you do not "   \
  "trust, and treat its output as hostile data.  See L</RUNNING COMMANDS> "  \
  "for this and the other limits (different kernel, no guest services, "     \
  "little memory).  When the daemon runs on the host against a directory "   \
  "(the test mode), these calls are refused with C<EPERM>: that would run "  \
  "guest binaries on the host."

const struct action actions_files[] = {
  /* ---- Special files and links ---- */
  { .name = "mknod", .proc = 100, .ret = R_ERR,
    .args = { { A_INT, "mode" }, { A_INT, "devmajor" },
              { A_INT, "devminor" }, { A_PATHNAME, "path" } },
    .group = "mknod",
    .shortdesc = "make block, character or FIFO devices",
    .doc = "Create the special file C<path> as mknod(2) does.  C<mode> "
           "holds both the file type (C<S_IFBLK>, C<S_IFCHR>, C<S_IFIFO>, "
           "C<S_IFSOCK> or C<S_IFREG>) and the permission bits, which the "
           "umask reduces.  C<devmajor> and C<devminor> only matter for "
           "device nodes.  When the daemon runs on the host against a "
           "directory, device nodes are refused with C<EPERM> unless that "
           "directory is on a C<nodev> mount: the daemon would otherwise "
           "reach host devices through them." },
  { .name = "mkfifo", .proc = 101, .ret = R_ERR,
    .args = { { A_INT, "mode" }, { A_PATHNAME, "path" } },
    .group = "mknod",
    .shortdesc = "make FIFO (named pipe)",
    .doc = "Create the named pipe C<path>.  C<mode> holds only permission "
           "bits, which the umask reduces.  Same as C<guestfs_mknod> with "
           "C<S_IFIFO> added to the mode." },
  { .name = "mknod_b", .proc = 102, .ret = R_ERR,
    .args = { { A_INT, "mode" }, { A_INT, "devmajor" },
              { A_INT, "devminor" }, { A_PATHNAME, "path" } },
    .group = "mknod",
    .shortdesc = "make block device node",
    .doc = "Create the block device node C<path> with the numbers "
           "C<devmajor>:C<devminor>.  C<mode> holds only permission bits.  "
           "Same as C<guestfs_mknod> with C<S_IFBLK> added to the mode." },
  { .name = "mknod_c", .proc = 103, .ret = R_ERR,
    .args = { { A_INT, "mode" }, { A_INT, "devmajor" },
              { A_INT, "devminor" }, { A_PATHNAME, "path" } },
    .group = "mknod",
    .shortdesc = "make char device node",
    .doc = "Create the character device node C<path> with the numbers "
           "C<devmajor>:C<devminor>.  C<mode> holds only permission bits.  "
           "Same as C<guestfs_mknod> with C<S_IFCHR> added to the mode." },
  { .name = "ln", .proc = 104, .ret = R_ERR,
    .args = { { A_PATHNAME, "target" }, { A_PATHNAME, "linkname" } },
    .shortdesc = "create a hard link",
    .doc = "Make C<linkname> a new hard link to the existing file "
           "C<target>.  If C<target> is a symbolic link, the link itself "
           "gets the new name.  Directories cannot be hard linked "
           "(C<EPERM>), and C<linkname> must not exist." },
  { .name = "ln_f", .proc = 105, .ret = R_ERR,
    .args = { { A_PATHNAME, "target" }, { A_PATHNAME, "linkname" } },
    .shortdesc = "create a hard link",
    .doc = "Like C<guestfs_ln>, but an existing C<linkname> (other than a "
           "directory) is removed first." },
  { .name = "ln_sf", .proc = 106, .ret = R_ERR,
    .args = { { A_STRING, "target" }, { A_PATHNAME, "linkname" } },
    .shortdesc = "create a symbolic link",
    .doc = "Like C<guestfs_ln_s>, but an existing C<linkname> (other than "
           "a directory) is removed first." },
  { .name = "chown", .proc = 107, .ret = R_ERR,
    .args = { { A_INT, "owner" }, { A_INT, "group" }, { A_PATHNAME, "path" } },
    .shortdesc = "change file owner and group",
    .doc = "Set the owner and group of C<path> to the numeric ids C<owner> "
           "and C<group>; -1 leaves one unchanged.  A symbolic link is "
           "followed (inside the guest filesystem); use C<guestfs_lchown> "
           "to change the link itself.  Names are not looked up: the ids "
           "are the guest's." },
  { .name = "lchown", .proc = 108, .ret = R_ERR,
    .args = { { A_INT, "owner" }, { A_INT, "group" }, { A_PATHNAME, "path" } },
    .shortdesc = "change file owner and group",
    .doc = "Like C<guestfs_chown>, but if C<path> is a symbolic link the "
           "link itself changes owner." },
  { .name = "truncate", .proc = 109, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "truncate a file to zero size",
    .doc = "Cut the existing file C<path> to zero bytes." },
  { .name = "utimens", .proc = 110, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_INT64, "atsecs" },
              { A_INT64, "atnsecs" }, { A_INT64, "mtsecs" },
              { A_INT64, "mtnsecs" } },
    .shortdesc = "set timestamp of a file with nanosecond precision",
    .doc = "Set the access time and the modification time of C<path> to "
           "C<atsecs>.C<atnsecs> and C<mtsecs>.C<mtnsecs> (seconds and "
           "nanoseconds since the epoch).  A symbolic link is not followed: "
           "its own times change.\n\n"
           "A nanoseconds value of -1 (or C<UTIME_NOW>) sets that time to "
           "the current time, and -2 (or C<UTIME_OMIT>) leaves it as it is; "
           "the seconds are then ignored, as in L<utimensat(2)>.  Any other "
           "nanoseconds value must be between 0 and 999999999." },

  /* ---- Extended attributes ---- */
  { .name = "getxattr", .proc = 111, .ret = R_BUFFEROUT,
    .args = { { A_PATHNAME, "path" }, { A_STRING, "name" } },
    .group = "linuxxattrs",
    .shortdesc = "get a single extended attribute",
    .doc = "Return the value of the extended attribute C<name> of "
           "C<path>, following symbolic links.  The value may hold any "
           "bytes.  A missing attribute is an error (C<ENODATA>)."
           XATTR_NAME_DOC },
  { .name = "lgetxattr", .proc = 112, .ret = R_BUFFEROUT,
    .args = { { A_PATHNAME, "path" }, { A_STRING, "name" } },
    .group = "linuxxattrs",
    .shortdesc = "get a single extended attribute",
    .doc = "Like C<guestfs_getxattr>, but if C<path> is a symbolic link "
           "the attribute of the link itself is returned." },
  { .name = "getxattrs", .proc = 113, .ret = R_STRUCTLIST,
    .ret_struct = "xattr",
    .args = { { A_PATHNAME, "path" } },
    .group = "linuxxattrs",
    .shortdesc = "list extended attributes of a file or directory",
    .doc = "Return every extended attribute of C<path> with its value, "
           "following symbolic links: listxattr(2) and getxattr(2) in one "
           "call.  POSIX ACLs appear as C<system.posix_acl_access> and "
           "C<system.posix_acl_default> in their binary form." },
  { .name = "lgetxattrs", .proc = 114, .ret = R_STRUCTLIST,
    .ret_struct = "xattr",
    .args = { { A_PATHNAME, "path" } },
    .group = "linuxxattrs",
    .shortdesc = "list extended attributes of a file or directory",
    .doc = "Like C<guestfs_getxattrs>, but if C<path> is a symbolic link "
           "the attributes of the link itself are returned." },
  { .name = "setxattr", .proc = 115, .ret = R_ERR,
    .args = { { A_STRING, "xattr" }, { A_BUFFERIN, "val" },
              { A_PATHNAME, "path" } },
    .group = "linuxxattrs",
    .shortdesc = "set extended attribute of a file or directory",
    .doc = "Create or replace the extended attribute C<xattr> of C<path> "
           "(following symbolic links) with the value C<val>, which may "
           "hold any bytes, up to 64 KiB.  Setting "
           "C<system.posix_acl_access> to the binary form that "
           "C<guestfs_getxattr> returned copies a POSIX ACL." XATTR_NAME_DOC },
  { .name = "lsetxattr", .proc = 116, .ret = R_ERR,
    .args = { { A_STRING, "xattr" }, { A_BUFFERIN, "val" },
              { A_PATHNAME, "path" } },
    .group = "linuxxattrs",
    .shortdesc = "set extended attribute of a file or directory",
    .doc = "Like C<guestfs_setxattr>, but if C<path> is a symbolic link "
           "the attribute is set on the link itself (Linux only allows "
           "that for some namespaces)." },
  { .name = "removexattr", .proc = 117, .ret = R_ERR,
    .args = { { A_STRING, "xattr" }, { A_PATHNAME, "path" } },
    .group = "linuxxattrs",
    .shortdesc = "remove extended attribute of a file or directory",
    .doc = "Remove the extended attribute C<xattr> of C<path>, following "
           "symbolic links.  A missing attribute is an error (C<ENODATA>)."
           XATTR_NAME_DOC },
  { .name = "lremovexattr", .proc = 118, .ret = R_ERR,
    .args = { { A_STRING, "xattr" }, { A_PATHNAME, "path" } },
    .group = "linuxxattrs",
    .shortdesc = "remove extended attribute of a file or directory",
    .doc = "Like C<guestfs_removexattr>, but if C<path> is a symbolic link "
           "the attribute of the link itself is removed." },
  { .name = "internal_lxattrlist", .proc = 119, .ret = R_STRUCTLIST,
    .ret_struct = "xattr", .flags = FL_INTERNAL,
    .args = { { A_PATHNAME, "path" }, { A_STRINGLIST, "names" } },
    .shortdesc = "lgetxattr on multiple files (one message)",
    .doc = "The daemon side of C<guestfs_lxattrlist>.  It may answer for "
           "only the first names when the reply would not fit in a "
           "message; the library asks again for the rest." },
  { .name = "lxattrlist", .ret = R_STRUCTLIST, .ret_struct = "xattr",
    .args = { { A_PATHNAME, "path" }, { A_STRINGLIST, "names" } },
    .shortdesc = "lgetxattr on multiple files",
    .doc = "Return the extended attributes of each name in C<names>, taken "
           "relative to the directory C<path>, without following symbolic "
           "links, as one flat list to read in order.  For each name there "
           "is first an entry whose C<attrname> is empty: its C<attrval> is "
           "the number of attributes that follow for that name, as a "
           "decimal string, or is empty if the name could not be examined.  "
           "Then come that many attributes.  The list of names may be of "
           "any length: the library splits it into as few messages as the "
           "protocol limits allow." },
  { .name = "internal_readlinklist", .proc = 120, .ret = R_STRINGLIST,
    .flags = FL_INTERNAL,
    .args = { { A_PATHNAME, "path" }, { A_STRINGLIST, "names" } },
    .shortdesc = "readlink on multiple files (one message)",
    .doc = "The daemon side of C<guestfs_readlinklist>.  It may answer for "
           "only the first names when the reply would not fit in a "
           "message; the library asks again for the rest." },
  { .name = "readlinklist", .ret = R_STRINGLIST,
    .args = { { A_PATHNAME, "path" }, { A_STRINGLIST, "names" } },
    .shortdesc = "readlink on multiple files",
    .doc = "Return the target of each symbolic link named in C<names>, "
           "taken relative to the directory C<path>, in the same order.  A "
           "name that is not a symbolic link or cannot be read gives an "
           "empty string.  The list of names may be of any length: the "
           "library splits it into as few messages as the protocol limits "
           "allow." },
  { .name = "realpath", .proc = 121, .ret = R_STRING,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "canonicalized absolute pathname",
    .doc = "Return the canonical form of C<path>: absolute, with every "
           "symbolic link, C<.> and C<..> resolved, as the guest would see "
           "it (the result is a path in the guest filesystem)." },

  /* ---- File types ---- */
  { .name = "is_symlink", .proc = 122, .ret = R_BOOL,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "test if symbolic link",
    .doc = "True if C<path> is a symbolic link.  A missing C<path> is "
           "false, not an error." },
  { .name = "is_chardev", .proc = 123, .ret = R_BOOL,
    .args = { { A_PATHNAME, "path" } },
    .optargs = { { O_BOOL, "followsymlinks" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "test if character device",
    .doc = "True if C<path> is a character device." FOLLOW_DOC },
  { .name = "is_blockdev", .proc = 124, .ret = R_BOOL,
    .args = { { A_PATHNAME, "path" } },
    .optargs = { { O_BOOL, "followsymlinks" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "test if block device",
    .doc = "True if C<path> is a block device." FOLLOW_DOC },
  { .name = "is_fifo", .proc = 125, .ret = R_BOOL,
    .args = { { A_PATHNAME, "path" } },
    .optargs = { { O_BOOL, "followsymlinks" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "test if FIFO (named pipe)",
    .doc = "True if C<path> is a FIFO." FOLLOW_DOC },
  { .name = "is_socket", .proc = 126, .ret = R_BOOL,
    .args = { { A_PATHNAME, "path" } },
    .optargs = { { O_BOOL, "followsymlinks" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "test if socket",
    .doc = "True if C<path> is a Unix domain socket." FOLLOW_DOC },

  /* ---- Listing and examining trees ---- */
  { .name = "ll", .proc = 127, .ret = R_STRING,
    .args = { { A_PATHNAME, "directory" } },
    .shortdesc = "list the files in a directory (long format)",
    .doc = "Return the output of C<ls -la> run in C<directory>, for "
           "people to read.  Programs should use C<guestfs_readdir> and "
           "C<guestfs_lstatnslist> instead: this format is not stable." },
  { .name = "find", .proc = 128, .ret = R_STRINGLIST,
    .args = { { A_PATHNAME, "directory" } },
    .shortdesc = "find all files and directories",
    .doc = "Return every name under C<directory>, recursively, relative to "
           "it (C</a/b> below C</a> is returned as C<b>), sorted.  "
           "C<directory> itself is not listed.  Symbolic links are listed "
           "but never followed.  Use C<guestfs_find0> for trees whose "
           "listing would not fit in a message." },
  { .name = "find0", .proc = 129, .ret = R_ERR,
    .args = { { A_PATHNAME, "directory" }, { A_FILEOUT, "files" } },
    .shortdesc = "find all files and directories, returning NUL-separated "
                 "list",
    .doc = "Like C<guestfs_find>, but the names are written to the host "
           "file C<files>, each followed by a NUL byte, in no particular "
           "order.  There is no size limit." },
  { .name = "statvfs", .proc = 130, .ret = R_STRUCT, .ret_struct = "statvfs",
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "get file system statistics",
    .doc = "Return the statistics of the filesystem holding C<path>, as "
           "statvfs(3) gives them: sizes, free blocks and inodes." },
  { .name = "du", .proc = 136, .ret = R_INT64,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "estimate file space usage",
    .doc = "Return the disk space used by C<path> and, for a directory, "
           "everything under it, in kilobytes (1024 bytes), as C<du -s> "
           "counts it: allocated blocks, each hard-linked file once, "
           "symbolic links not followed." },
  { .name = "file", .proc = 137, .ret = R_STRING,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "determine file type",
    .doc = "Return what L<file(1)> says about the contents of the regular "
           "file C<path> (without the name), looking inside compressed "
           "files, for example C<ASCII text> or C<ELF 64-bit LSB "
           "executable, ...>.  Other kinds of file are not opened: the "
           "result is C<directory>, C<symbolic link>, C<character device>, "
           "C<block device>, C<FIFO> or C<socket>.  The text comes from "
           "the daemon's file(1) and may change between versions." },

  /* ---- Copying and moving ---- */
  { .name = "mv", .proc = 131, .ret = R_ERR,
    .args = { { A_PATHNAME, "src" }, { A_PATHNAME, "dest" } },
    .shortdesc = "move a file",
    .doc = "Move C<src> to C<dest>, as L<mv(1)> does: if C<dest> is a "
           "directory, C<src> goes inside it under its own name.  Between "
           "filesystems the tree is copied with everything preserved and "
           "the original removed." },
  { .name = "cp", .proc = 132, .ret = R_ERR,
    .args = { { A_PATHNAME, "src" }, { A_PATHNAME, "dest" } },
    .shortdesc = "copy a file",
    .doc = "Copy the file C<src> (following symbolic links) to C<dest>; if "
           "C<dest> is a directory, the copy goes inside it under the name "
           "of C<src>.  The copy gets C<src>'s permissions less the umask "
           "and new times.  A directory is refused (C<EISDIR>): see "
           "C<guestfs_cp_r> and C<guestfs_cp_a>." },
  { .name = "cp_a", .proc = 133, .ret = R_ERR,
    .args = { { A_PATHNAME, "src" }, { A_PATHNAME, "dest" } },
    .shortdesc = "copy a file or directory recursively",
    .doc = "Copy C<src> and everything under it to C<dest> (or inside it, "
           "if it is a directory), preserving as L<cp(1)> C<-a> does: "
           "permissions, ownership, times, extended attributes (so POSIX "
           "ACLs and SELinux labels), symbolic links as links, special "
           "files, and hard links within the tree.  Ownership and "
           "attributes that cannot be set are skipped silently.  Copying a "
           "directory into itself is refused (C<EINVAL>)." },
  { .name = "cp_r", .proc = 134, .ret = R_ERR,
    .args = { { A_PATHNAME, "src" }, { A_PATHNAME, "dest" } },
    .shortdesc = "copy a file or directory recursively",
    .doc = "Copy C<src> and everything under it to C<dest> (or inside it, "
           "if it is a directory), as L<cp(1)> C<-r> does: symbolic links "
           "are copied as links, new files get the permissions of the "
           "originals less the umask, nothing else is preserved." },
  { .name = "mkdtemp", .proc = 135, .ret = R_STRING,
    .args = { { A_PATHNAME, "tmpl" } },
    .shortdesc = "create a temporary directory",
    .doc = "Create a new directory, mode 0700, from the template C<tmpl>, "
           "whose last component must end in C<XXXXXX> (for example "
           "C</tmp/myprogXXXXXX>): those characters are replaced to give "
           "a name that did not exist.  Return the directory's path." },

  /* ---- Checksums and reading text ---- */
  { .name = "checksum", .proc = 138, .ret = R_STRING,
    .args = { { A_STRING, "csumtype" }, { A_PATHNAME, "path" } },
    .shortdesc = "compute MD5, SHAx or CRC checksum of file",
    .doc = "Return the checksum of the regular file C<path> (following "
           "symbolic links) in the usual form: lower-case hexadecimal, or "
           "decimal for C<crc>.  " CSUM_DOC },
  { .name = "checksums_out", .proc = 139, .ret = R_ERR,
    .args = { { A_STRING, "csumtype" }, { A_PATHNAME, "directory" },
              { A_FILEOUT, "sumsfile" } },
    .shortdesc = "compute MD5, SHAx or CRC checksum of files in a "
                 "directory",
    .doc = "Checksum every regular file under C<directory>, recursively "
           "(symbolic links are not followed), and write the list to the "
           "host file C<sumsfile>: one line per file, the checksum, two "
           "spaces and the name relative to C<directory> starting with "
           "C<./>, as L<sha256sum(1)> and friends print them.  For C<crc> "
           "each line holds the checksum, the size and the name, separated "
           "by single spaces, as L<cksum(1)> prints them.  " CSUM_DOC },
  { .name = "read_lines", .proc = 140, .ret = R_STRINGLIST,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "read file as lines",
    .doc = "Return the lines of the text file C<path>, without their line "
           "endings.  A last line without an ending is returned too; an "
           "empty file gives an empty list." LINES_DOC },
  { .name = "head", .proc = 141, .ret = R_STRINGLIST,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "return first 10 lines of a file",
    .doc = "Return the first 10 lines of C<path>." LINES_DOC },
  { .name = "head_n", .proc = 142, .ret = R_STRINGLIST,
    .args = { { A_INT, "nrlines" }, { A_PATHNAME, "path" } },
    .shortdesc = "return first N lines of a file",
    .doc = "If C<nrlines> is positive, return the first C<nrlines> lines of "
           "C<path>.  If it is negative, return every line except the last "
           "-C<nrlines>.  Zero gives an empty list." LINES_DOC },
  { .name = "tail", .proc = 143, .ret = R_STRINGLIST,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "return last 10 lines of a file",
    .doc = "Return the last 10 lines of C<path>." LINES_DOC },
  { .name = "tail_n", .proc = 144, .ret = R_STRINGLIST,
    .args = { { A_INT, "nrlines" }, { A_PATHNAME, "path" } },
    .shortdesc = "return last N lines of a file",
    .doc = "If C<nrlines> is positive, return the last C<nrlines> lines of "
           "C<path>.  If it is negative, return the lines from line number "
           "-C<nrlines> (counting from 1) to the end, as C<tail -n +N> "
           "does.  Zero gives an empty list." LINES_DOC },
  { .name = "wc_l", .proc = 145, .ret = R_INT,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "count lines in a file",
    .doc = "Return the number of newline characters in C<path>, as C<wc -l> "
           "counts them." },
  { .name = "wc_w", .proc = 146, .ret = R_INT,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "count words in a file",
    .doc = "Return the number of words in C<path>: runs of bytes other "
           "than space, tab, newline, carriage return, vertical tab and form "
           "feed." },
  { .name = "wc_c", .proc = 147, .ret = R_INT,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "count characters in a file",
    .doc = "Return the number of bytes in C<path>.  Files of 2 GiB or more "
           "do not fit the result: they give C<EOVERFLOW> (use "
           "C<guestfs_statns>)." },

  /* ---- Data: partial reads and writes, transfers ---- */
  { .name = "pread", .proc = 160, .ret = R_BUFFEROUT,
    .args = { { A_PATHNAME, "path" }, { A_INT, "count" },
              { A_INT64, "offset" } },
    .shortdesc = "read part of a file",
    .doc = "Read up to C<count> bytes of the file C<path> from byte "
           "C<offset>.  Fewer bytes come back at the end of the file, and "
           "none beyond it (that is not an error).  C<count> is limited by "
           "the message size (see L</PROTOCOL LIMITS>); use "
           "C<guestfs_download_offset> for larger ranges." },
  { .name = "pwrite", .proc = 161, .ret = R_INT,
    .args = { { A_PATHNAME, "path" }, { A_BUFFERIN, "content" },
              { A_INT64, "offset" } },
    .shortdesc = "write to part of a file",
    .doc = "Write C<content> into the existing file C<path> at byte "
           "C<offset>, without truncating it, and return the number of "
           "bytes written.  Like L<pwrite(2)>, this may be less than asked "
           "(it rarely is, for regular files).  The file is not created: "
           "see C<guestfs_write>.  For more data than a message holds, use "
           "C<guestfs_upload_offset>." },
  { .name = "fill", .proc = 162, .ret = R_ERR,
    .args = { { A_INT, "c" }, { A_INT, "len" }, { A_PATHNAME, "path" } },
    .flags = FL_PROGRESS,
    .shortdesc = "fill a file with octets",
    .doc = "Create or replace the file C<path> with C<len> bytes of value "
           "C<c> (0 to 255).  The bytes are written, not left as a hole." },
  { .name = "fill_pattern", .proc = 163, .ret = R_ERR,
    .args = { { A_STRING, "pattern" }, { A_INT, "len" },
              { A_PATHNAME, "path" } },
    .flags = FL_PROGRESS,
    .shortdesc = "fill a file with a repeating pattern of bytes",
    .doc = "Create or replace the file C<path> with C<len> bytes made of "
           "C<pattern> repeated, the last repetition cut short so that the "
           "size is exactly C<len>.  The pattern must not be empty unless "
           "C<len> is 0." },
  { .name = "upload_offset", .proc = 164, .ret = R_ERR,
    .args = { { A_FILEIN, "filename" }, { A_PATHNAME, "remotefilename" },
              { A_INT64, "offset" } },
    .flags = FL_PROGRESS,
    .shortdesc = "upload a file from the local machine with offset",
    .doc = "Write the whole host file C<filename> into the guest file "
           "C<remotefilename> from byte C<offset>, overwriting what is "
           "there and leaving the rest of the file as it is: nothing is "
           "truncated.  A missing C<remotefilename> is created (with a "
           "hole before C<offset>).  There is no size limit." },
  { .name = "download_offset", .proc = 165, .ret = R_ERR,
    .args = { { A_PATHNAME, "remotefilename" }, { A_FILEOUT, "filename" },
              { A_INT64, "offset" }, { A_INT64, "size" } },
    .flags = FL_PROGRESS,
    .shortdesc = "download a file to the local machine with offset and "
                 "size",
    .doc = "Copy C<size> bytes of the guest file C<remotefilename>, from "
           "byte C<offset>, to the host file C<filename>.  The whole range "
           "must lie inside the file (C<EINVAL> otherwise).  There is no "
           "size limit." },
  { .name = "copy_file_to_file", .proc = 166, .ret = R_ERR,
    .args = { { A_PATHNAME, "src" }, { A_PATHNAME, "dest" } },
    .optargs = { { O_INT64, "srcoffset" }, { O_INT64, "destoffset" },
                 { O_INT64, "size" }, { O_BOOL, "sparse" },
                 { O_BOOL, "append" } },
    .flags = FL_PROGRESS,
    .shortdesc = "copy from source file to destination file",
    .doc = "Copy bytes from the file C<src> to the file C<dest>: C<size> "
           "bytes (default: up to the end of C<src>) from C<srcoffset> "
           "(default 0) to C<destoffset> (default 0).  This is for copying "
           "blocks of data; to copy files use C<guestfs_cp>.\n\n"
           "C<dest> is created if needed.  Unless C<append> is set it is "
           "truncated first; with C<append> the data goes to its end (then "
           "C<destoffset> is not allowed).  If C<sparse> is set, blocks of "
           "zeros in C<src> (and its holes) are not written, so they become "
           "holes in C<dest>.  C<src> and C<dest> must not be the same "
           "file (C<EINVAL>).  If C<src> ends before C<size> bytes, the "
           "call fails (C<EIO>) after copying what there was." },
  { .name = "tar_in", .proc = 167, .ret = R_ERR,
    .args = { { A_FILEIN, "tarfile" }, { A_PATHNAME, "directory" } },
    .optargs = { { O_STRING, "compress" }, { O_BOOL, "xattrs" },
                 { O_BOOL, "selinux" }, { O_BOOL, "acls" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "unpack tarfile to directory",
    .doc = "Unpack the host tar file C<tarfile> into the existing guest "
           "directory C<directory>, with GNU tar.\n\n"
           "C<compress> names the compression of C<tarfile>: C<gzip>, "
           "C<bzip2>, C<xz>, C<zstd>, C<lzop> or C<compress>; without it "
           "the file must be uncompressed.  C<xattrs>, C<selinux> and "
           "C<acls> restore the extended attributes (all namespaces), "
           "SELinux labels and POSIX ACLs stored in the archive.  Members "
           "cannot be written outside C<directory>, whatever names and "
           "links the archive or the guest holds." },
  { .name = "tar_out", .proc = 168, .ret = R_ERR,
    .args = { { A_PATHNAME, "directory" }, { A_FILEOUT, "tarfile" } },
    .optargs = { { O_STRING, "compress" }, { O_BOOL, "numericowner" },
                 { O_STRINGLIST, "excludes" }, { O_BOOL, "xattrs" },
                 { O_BOOL, "selinux" }, { O_BOOL, "acls" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "pack directory into tarfile",
    .doc = "Pack the guest directory C<directory> into the host file "
           "C<tarfile>, with GNU tar.  Names in the archive start with "
           "C<./>; symbolic links are stored as links.\n\n"
           "C<compress> selects the compression, as for C<guestfs_tar_in>.  "
           "C<numericowner> stores only numeric user and group ids.  "
           "C<excludes> is a list of wildcards (see the C<--exclude> option "
           "of L<tar(1)>) for names to leave out.  C<xattrs>, C<selinux> "
           "and C<acls> store extended attributes, SELinux labels and "
           "POSIX ACLs." },

  /* ---- Running guest programs ---- */
  { .name = "command", .proc = 180, .ret = R_STRING,
    .args = { { A_STRINGLIST, "arguments" } },
    .shortdesc = "run a command from the guest filesystem",
    .doc = "Run the program C<arguments[0]> with the arguments that follow, "
           "chrooted into the guest's root (mount the guest filesystems "
           "first).  It is found in the guest's C<PATH> unless it holds a "
           "slash; no shell is involved.  Return what it wrote on its "
           "standard output.  A non-zero exit status is an error whose "
           "message includes the program's standard error.  The output "
           "must fit in a message (see L</PROTOCOL LIMITS>)."
           COMMAND_WARNING },
  { .name = "command_lines", .proc = 181, .ret = R_STRINGLIST,
    .args = { { A_STRINGLIST, "arguments" } },
    .shortdesc = "run a command, returning lines",
    .doc = "Like C<guestfs_command>, but the output is returned as a list "
           "of lines, without their C<\\n>." COMMAND_WARNING },
  { .name = "sh", .proc = 182, .ret = R_STRING,
    .args = { { A_STRING, "command" } },
    .shortdesc = "run a command via the shell",
    .doc = "Run C<command> with the guest's C</bin/sh -c>, so that globs, "
           "pipes and redirections work, and return its standard output.  "
           "Otherwise like C<guestfs_command>." COMMAND_WARNING },
  { .name = "sh_lines", .proc = 183, .ret = R_STRINGLIST,
    .args = { { A_STRING, "command" } },
    .shortdesc = "run a command via the shell returning lines",
    .doc = "Like C<guestfs_sh>, but the output is returned as a list of "
           "lines, without their C<\\n>." COMMAND_WARNING },

  { .name = NULL },
};
