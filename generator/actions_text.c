/* Text search, archives, checksums and data utilities: grep and its
 * variants, base64, hexdump, strings, compressed and cpio output,
 * initrd listing, device copies and checksums, and small daemon
 * utilities (utsname, dmesg, df, echo_daemon ...).
 *
 * Procedure numbers 900-999: stable, append-only.
 */
#include "generator.h"

#define GREP_VARIANT_DOC(flags)                                              \
  "This calls the external L<grep(1)> program with " flags " and returns "   \
  "the matching lines, as C<guestfs_grep> with the corresponding optional "  \
  "arguments does."

#define COPY_OPTARGS                                                         \
  { { O_INT64, "srcoffset" }, { O_INT64, "destoffset" },                     \
    { O_INT64, "size" }, { O_INT, "sparse" }, { O_INT, "append" } }

#define COPY_DOC                                                             \
  "The optional arguments are those of C<guestfs_copy_file_to_file>: "       \
  "C<size> bytes (default: up to the end of C<src>) are copied from "        \
  "C<srcoffset> (default 0) to C<destoffset> (default 0); C<sparse> leaves " \
  "blocks of zeros unwritten; C<append> writes at the end of a regular "     \
  "file (not with C<destoffset>).  A device is never truncated, and "        \
  "may be copied within itself (overlapping ranges are not handled).  If "  \
  "C<src> ends before C<size> bytes, the call fails (C<EIO>)."

#define COMPRESS_DOC                                                         \
  "C<ctype> is the compression: C<compress>, C<gzip>, C<bzip2>, C<xz> or "   \
  "C<lzop>; another name fails with C<EINVAL>.  The optional C<level> "      \
  "(1 to 9, C<EINVAL> otherwise) is passed to the compressor; C<compress> "  \
  "and C<lzop> accept no level other than its default."

#define RSYNC_OPTS_DOC                                                       \
  "C<archive> turns on archive mode (L<rsync(1)> C<-a>: recursion and "      \
  "preserving modes, times, owners and links); C<deletedest> deletes "       \
  "files in the destination that are not in the source (C<--delete>)."

#define GREP_VARIANT(NAME, ARG, FLAGS)                                       \
  { .name = NAME, .ret = R_STRINGLIST,                                       \
    .args = { { A_STRING, ARG }, { A_PATHNAME, "path" } },                   \
    .shortdesc = "return lines matching a pattern",                          \
    .doc = GREP_VARIANT_DOC (FLAGS) }

const struct action actions_text[] = {
  /* ---- Searching text ---- */
  { .name = "grep", .proc = 900, .ret = R_STRINGLIST,
    .args = { { A_STRING, "regex" }, { A_PATHNAME, "path" } },
    .optargs = { { O_INT, "extended" }, { O_INT, "fixed" },
                 { O_INT, "insensitive" }, { O_INT, "compressed" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "return lines matching a pattern",
    .doc = "This calls the external L<grep(1)> program and returns the "
           "matching lines of the file C<path>, without their line "
           "ends.  No match is an empty list, not an error.\n\n"
           "The optional flags are:\n\n"
           "=over 4\n\n"
           "=item C<extended>\n\n"
           "Use extended regular expressions (C<grep -E>).\n\n"
           "=item C<fixed>\n\n"
           "Match fixed strings (C<grep -F>).  C<extended> and C<fixed> "
           "cannot be combined (C<EINVAL>).\n\n"
           "=item C<insensitive>\n\n"
           "Match case-insensitively (C<grep -i>).\n\n"
           "=item C<compressed>\n\n"
           "Use L<zgrep(1)>, so that C<path> may be compressed (gzip, "
           "bzip2, xz ...).\n\n"
           "=back\n\n"
           "Lines are returned whole, so the file's matching lines must "
           "fit in a reply (C<E2BIG> otherwise)." },
  GREP_VARIANT ("egrep", "regex", "C<-E>"),
  GREP_VARIANT ("fgrep", "pattern", "C<-F>"),
  GREP_VARIANT ("grepi", "regex", "C<-i>"),
  GREP_VARIANT ("egrepi", "regex", "C<-E -i>"),
  GREP_VARIANT ("fgrepi", "pattern", "C<-F -i>"),
  GREP_VARIANT ("zgrep", "regex", "C<compressed> (L<zgrep(1)>)"),
  GREP_VARIANT ("zegrep", "regex", "C<compressed> and C<-E>"),
  GREP_VARIANT ("zfgrep", "pattern", "C<compressed> and C<-F>"),
  GREP_VARIANT ("zgrepi", "regex", "C<compressed> and C<-i>"),
  GREP_VARIANT ("zegrepi", "regex", "C<compressed>, C<-E> and C<-i>"),
  GREP_VARIANT ("zfgrepi", "pattern", "C<compressed>, C<-F> and C<-i>"),

  /* ---- Looking at data ---- */
  { .name = "hexdump", .proc = 903, .ret = R_STRING,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "dump a file in hexadecimal",
    .doc = "This runs C<hexdump -C> on the given C<path>.  The result is "
           "the human-readable, canonical hex dump of the file.  The dump "
           "must fit in a reply (C<E2BIG> otherwise): use "
           "C<guestfs_download> for large files." },
  { .name = "strings_e", .proc = 904, .ret = R_STRINGLIST,
    .args = { { A_STRING, "encoding" }, { A_PATHNAME, "path" } },
    .shortdesc = "print the printable strings in a file",
    .doc = "This is like the C<guestfs_strings> command, but allows you to "
           "specify the encoding of strings that are looked for in the "
           "source file C<path>.  Allowed encodings are:\n\n"
           "=over 4\n\n"
           "=item s\n\n"
           "Single 7-bit-byte characters like ASCII and the "
           "ASCII-compatible parts of ISO-8859-X (this is what "
           "C<guestfs_strings> uses).\n\n"
           "=item S\n\n"
           "Single 8-bit-byte characters.\n\n"
           "=item b\n\n"
           "16-bit big endian strings such as those encoded in UTF-16BE or "
           "UCS-2BE.\n\n"
           "=item l (lower case letter L)\n\n"
           "16-bit little endian such as UTF-16LE and UCS-2LE.  This is "
           "useful for examining binaries in Windows guests.\n\n"
           "=item B\n\n"
           "32-bit big endian such as UCS-4BE.\n\n"
           "=item L\n\n"
           "32-bit little endian such as UCS-4LE.\n\n"
           "=back\n\n"
           "Another encoding fails with C<EINVAL>.  The returned strings "
           "are transcoded to UTF-8.  L<strings(1)> runs on the file's "
           "contents read from a descriptor, with C<-a> (the whole file, "
           "no object-file parsing)." },
  { .name = "strings", .ret = R_STRINGLIST,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "print the printable strings in a file",
    .doc = "This runs the L<strings(1)> command on a file and returns the "
           "list of printable strings found: C<guestfs_strings_e> with "
           "encoding C<s>." },
  { .name = "zfile", .proc = 905, .ret = R_STRING,
    .args = { { A_STRING, "meth" }, { A_PATHNAME, "path" } },
    .shortdesc = "determine file type inside a compressed file",
    .doc = "This command runs L<file(1)> after first decompressing C<path> "
           "using C<meth>.\n\n"
           "C<meth> must be one of C<gzip>, C<compress> or C<bzip2> "
           "(C<EINVAL> otherwise).\n\n"
           "Since 1.0.63, use C<guestfs_file> instead which can now "
           "process compressed files." },
  { .name = "file_architecture", .ret = R_STRING,
    .args = { { A_PATHNAME, "filename" } },
    .shortdesc = "detect the architecture of a binary file",
    .doc = "This detects the architecture of the binary C<filename>, and "
           "returns it if known.\n\n"
           "Currently defined architectures are: C<aarch64>, C<arm>, "
           "C<i386>, C<ia64>, C<mips>, C<mips64>, C<ppc>, C<ppc64>, "
           "C<ppc64le>, C<riscv32>, C<riscv64>, C<riscv128>, C<s390>, "
           "C<s390x>, C<sparc>, C<sparc64>, C<x86_64>.  This function "
           "will fail if the architecture cannot be recognized "
           "(C<EINVAL>).\n\n"
           "Supported file types: Linux and other ELF binaries and shared "
           "objects, Windows PE executables and DLLs, Mach-O files.  It "
           "works from what C<guestfs_file> says of the file; an initrd "
           "or other archive is not looked into.\n\n"
           "The result is a canonical name (x86 32-bit is C<i386> "
           "whatever the binary says)." },

  /* ---- Encoding and archives out, and in ---- */
  { .name = "base64_in", .proc = 901, .ret = R_ERR,
    .args = { { A_FILEIN, "base64file" }, { A_PATHNAME, "filename" } },
    .shortdesc = "upload base64-encoded data to file",
    .doc = "This command uploads base64-encoded data from C<base64file> "
           "to C<filename>, which is created or truncated.  Data that is "
           "not base64 fails with the message of L<base64(1)>." },
  { .name = "base64_out", .proc = 902, .ret = R_ERR,
    .args = { { A_PATHNAME, "filename" }, { A_FILEOUT, "base64file" } },
    .shortdesc = "download file and encode as base64",
    .doc = "This command downloads the contents of C<filename>, writing "
           "it out to local file C<base64file> encoded as base64, in "
           "lines of 76 characters." },
  { .name = "compress_out", .proc = 906, .ret = R_ERR,
    .args = { { A_STRING, "ctype" }, { A_PATHNAME, "file" },
              { A_FILEOUT, "zfile" } },
    .optargs = { { O_INT, "level" } },
    .shortdesc = "output compressed file",
    .doc = "This command compresses C<file> and writes it out to the local "
           "file C<zfile>.\n\n" COMPRESS_DOC },
  { .name = "compress_device_out", .proc = 907, .ret = R_ERR,
    .args = { { A_STRING, "ctype" }, { A_DEVICE, "device" },
              { A_FILEOUT, "zdevice" } },
    .optargs = { { O_INT, "level" } },
    .shortdesc = "output compressed device",
    .doc = "This command compresses C<device> and writes it out to the "
           "local file C<zdevice>.\n\n" COMPRESS_DOC },
  { .name = "cpio_out", .proc = 908, .ret = R_ERR,
    .args = { { A_PATHNAME, "directory" }, { A_FILEOUT, "cpiofile" } },
    .optargs = { { O_STRING, "format" } },
    .shortdesc = "pack directory into cpio file",
    .doc = "This command packs the contents of C<directory> and downloads "
           "it to local file C<cpiofile>; names start with C<./>, "
           "symbolic links are stored as links.\n\n"
           "The optional C<format> parameter can be used to select the "
           "format.  Only the following formats are currently permitted "
           "(C<EINVAL> otherwise):\n\n"
           "=over 4\n\n"
           "=item C<newc>\n\n"
           "New (SVR4) portable format.  This format happens to be "
           "compatible with the cpio-like format used by the Linux kernel "
           "for initramfs.\n\n"
           "This is the default format.\n\n"
           "=item C<crc>\n\n"
           "New (SVR4) portable format with a checksum.\n\n"
           "=back" },
  { .name = "tgz_in", .ret = R_ERR,
    .args = { { A_FILEIN, "tarball" }, { A_PATHNAME, "directory" } },
    .shortdesc = "unpack compressed tarball to directory",
    .doc = "This command uploads and unpacks local file C<tarball> "
           "(a I<gzip compressed> tar file) into F<directory>: "
           "C<guestfs_tar_in> with C<compress> set to C<gzip>." },
  { .name = "tgz_out", .ret = R_ERR,
    .args = { { A_PATHNAME, "directory" }, { A_FILEOUT, "tarball" } },
    .shortdesc = "pack directory into compressed tarball",
    .doc = "This command packs the contents of F<directory> and downloads "
           "it to local file C<tarball> (gzip compressed): "
           "C<guestfs_tar_out> with C<compress> set to C<gzip>." },
  { .name = "txz_in", .ret = R_ERR,
    .args = { { A_FILEIN, "tarball" }, { A_PATHNAME, "directory" } },
    .group = "xz",
    .shortdesc = "unpack compressed tarball to directory",
    .doc = "This command uploads and unpacks local file C<tarball> (an "
           "I<xz compressed> tar file) into F<directory>: "
           "C<guestfs_tar_in> with C<compress> set to C<xz>." },
  { .name = "txz_out", .ret = R_ERR,
    .args = { { A_PATHNAME, "directory" }, { A_FILEOUT, "tarball" } },
    .group = "xz",
    .shortdesc = "pack directory into compressed tarball",
    .doc = "This command packs the contents of F<directory> and downloads "
           "it to local file C<tarball> (as an xz compressed tar archive): "
           "C<guestfs_tar_out> with C<compress> set to C<xz>." },
  { .name = "initrd_list", .proc = 921, .ret = R_STRINGLIST,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "list files in an initrd",
    .doc = "This command lists out files contained in an initrd.\n\n"
           "The files are listed without any initial F</> character.  The "
           "files are listed in the order they appear (not necessarily "
           "alphabetical).  Directory names are listed as separate "
           "items.\n\n"
           "Old Linux kernels (2.4 and earlier) used a compressed ext2 "
           "filesystem as initrd.  We I<only> support the newer initramfs "
           "format (compressed cpio files): uncompressed, or compressed "
           "with gzip, xz, zstd or bzip2, recognised by their first bytes.  "
           "A modern initrd made of several concatenated archives (early "
           "microcode first) is listed from its first archive only." },
  { .name = "initrd_cat", .proc = 920, .ret = R_BUFFEROUT,
    .args = { { A_PATHNAME, "initrdpath" }, { A_STRING, "filename" } },
    .shortdesc = "list the contents of a single file in an initrd",
    .doc = "This command unpacks the file C<filename> from the initrd file "
           "called C<initrdpath>.  The filename must be given I<without> "
           "the initial F</> character.\n\n"
           "For example, in guestfish you could use the following command "
           "to examine the boot script (usually called F</init>) contained "
           "in a Linux initrd or initramfs image:\n\n"
           " initrd-cat /boot/initrd-<version>.img init\n\n"
           "The file is written to standard output by L<cpio(1)>, never to "
           "a disk, so names in the archive cannot make it write anywhere.  "
           "A name not in the archive fails with C<ENOENT>.  The contents "
           "must fit in a reply (C<E2BIG> otherwise).  See also "
           "C<guestfs_initrd_list>." },

  /* ---- Devices ---- */
  { .name = "checksum_device", .proc = 909, .ret = R_STRING,
    .args = { { A_STRING, "csumtype" }, { A_DEVICE, "device" } },
    .shortdesc = "compute MD5, SHAx or CRC checksum of the contents of a "
                 "device",
    .doc = "This call computes the MD5, SHAx or CRC checksum of the "
           "contents of the device named C<device>.  For the types of "
           "checksums supported see the C<guestfs_checksum> command." },
  { .name = "copy_device_to_device", .proc = 910, .ret = R_ERR,
    .args = { { A_DEVICE, "src" }, { A_DEVICE, "dest" } },
    .optargs = COPY_OPTARGS,
    .flags = FL_PROGRESS,
    .shortdesc = "copy from source device to destination device",
    .doc = "The four calls C<guestfs_copy_device_to_device>, "
           "C<guestfs_copy_device_to_file>, C<guestfs_copy_file_to_device> "
           "and C<guestfs_copy_file_to_file> let you copy from a source "
           "(device|file) to a destination (device|file).\n\n" COPY_DOC },
  { .name = "copy_device_to_file", .proc = 911, .ret = R_ERR,
    .args = { { A_DEVICE, "src" }, { A_PATHNAME, "dest" } },
    .optargs = COPY_OPTARGS,
    .flags = FL_PROGRESS,
    .shortdesc = "copy from source device to destination file",
    .doc = "See C<guestfs_copy_device_to_device> for a general overview of "
           "this call.  C<dest> is created if needed and, unless "
           "C<append>, truncated first." },
  { .name = "copy_file_to_device", .proc = 912, .ret = R_ERR,
    .args = { { A_PATHNAME, "src" }, { A_DEVICE, "dest" } },
    .optargs = COPY_OPTARGS,
    .flags = FL_PROGRESS,
    .shortdesc = "copy from source file to destination device",
    .doc = "See C<guestfs_copy_device_to_device> for a general overview of "
           "this call." },

  /* ---- Files and directories ---- */
  { .name = "copy_attributes", .proc = 913, .ret = R_ERR,
    .args = { { A_PATHNAME, "src" }, { A_PATHNAME, "dest" } },
    .optargs = { { O_INT, "all" }, { O_INT, "mode" },
                 { O_INT, "xattributes" }, { O_INT, "ownership" } },
    .shortdesc = "copy the attributes of a path (file/directory) to another",
    .doc = "Copy the attributes of a path (which can be a file or a "
           "directory) to another path.\n\n"
           "By default C<no> attribute is copied, so make sure to specify "
           "any (or C<all> to copy everything).\n\n"
           "The optional arguments specify which attributes can be "
           "copied:\n\n"
           "=over 4\n\n"
           "=item C<mode>\n\n"
           "Copy part of the file mode from C<source> to C<destination>. "
           "Only the UNIX permissions and the sticky/setuid/setgid bits "
           "can be copied.\n\n"
           "=item C<xattributes>\n\n"
           "Copy the Linux extended attributes (xattrs) from C<source> to "
           "C<destination>.  This flag does nothing if the I<linuxxattrs> "
           "feature is not available (see C<guestfs_feature_available>).\n\n"
           "=item C<ownership>\n\n"
           "Copy the owner uid and the group gid of C<source> to "
           "C<destination>.\n\n"
           "=item C<all>\n\n"
           "Copy B<all> the attributes from C<source> to C<destination>.  "
           "Enabling it enables all the other flags, if they are not "
           "specified already.\n\n"
           "=back\n\n"
           "Symbolic links are followed, for both paths." },
  { .name = "fill_dir", .proc = 914, .ret = R_ERR,
    .args = { { A_PATHNAME, "dir" }, { A_INT, "nr" } },
    .shortdesc = "fill a directory with empty files",
    .doc = "This function, useful for testing filesystems, creates C<nr> "
           "empty files in the directory C<dir> with names C<00000000> "
           "through C<nr-1> (ie. each file name is 8 digits long padded "
           "with zeroes).  A negative C<nr> fails with C<EINVAL>." },
  { .name = "glob_expand", .proc = 915, .ret = R_STRINGLIST,
    .args = { { A_PATHNAME, "pattern" } },
    .optargs = { { O_INT, "directoryslash" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .shortdesc = "expand a wildcard path",
    .doc = "This command searches for all the pathnames matching "
           "C<pattern> according to the wildcard expansion rules used by "
           "the shell.\n\n"
           "If no paths match, then this returns an empty list (note: not "
           "an error).\n\n"
           "It is just a wrapper around the C L<glob(3)> function with "
           "flags C<GLOB_MARK|GLOB_BRACE>.  See that manual page for "
           "more details.\n\n"
           "C<directoryslash> controls whether use the C<GLOB_MARK> flag "
           "for L<glob(3)>, and it defaults to true.  It can be explicitly "
           "set as off to return no trailing slashes in filenames of "
           "directories.\n\n"
           "Notice that there is no equivalent command for expanding a "
           "device name (eg. F</dev/sd*>).  Use C<guestfs_list_devices>, "
           "C<guestfs_list_partitions> etc functions instead.\n\n"
           "The names are matched inside the guest: each directory is "
           "read through the daemon's guest root, symbolic links to "
           "directories are followed within the guest, and the result is "
           "sorted.  Names starting with C<.> match only a pattern "
           "starting with C<.>." },
  { .name = "case_sensitive_path", .proc = 916, .ret = R_STRING,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "return true path on case-insensitive filesystem",
    .doc = "This can be used to resolve case insensitive paths on a "
           "filesystem which is case sensitive.  The use case is to "
           "resolve paths which you have read from Windows configuration "
           "files or the Windows Registry, to the true path.\n\n"
           "The command handles a peculiarity of the Linux ntfs-3g "
           "filesystem driver (and probably others), which is that "
           "although the underlying filesystem is case-insensitive, the "
           "driver exports the filesystem to Linux as case-sensitive.\n\n"
           "One consequence of this is that special directories such as "
           "F<C:\\windows> may appear as F</WINDOWS> or F</windows> (or "
           "other things) depending on the precise details of how they "
           "were created.  In Windows itself this would not be a problem.\n\n"
           "Bug or feature?  You decide: "
           "L<https://www.tuxera.com/community/ntfs-3g-faq/#posixfilenames1>\n\n"
           "C<guestfs_case_sensitive_path> attempts to resolve the true "
           "case of each element in the path.  It will return a resolved "
           "path if either the full path or its parent directory exists.  "
           "If the parent directory exists but the full path does not, "
           "the case of the parent directory will be correctly resolved, "
           "and the remainder appended unmodified.  For example, if the "
           "file F<\"/Windows/System32/netkvm.sys\"> exists:\n\n"
           "=over 4\n\n"
           "=item C<guestfs_case_sensitive_path> (\"/windows/system32/"
           "netkvm.sys\")\n\n"
           "\"Windows/System32/netkvm.sys\"\n\n"
           "=item C<guestfs_case_sensitive_path> (\"/windows/system32/"
           "NoSuchFile\")\n\n"
           "\"Windows/System32/NoSuchFile\"\n\n"
           "=item C<guestfs_case_sensitive_path> (\"/windows/system33/"
           "netkvm.sys\")\n\n"
           "I<ERROR> (C<ENOENT>)\n\n"
           "=back\n\n"
           "(The results above start with F</>.)  Where several names of "
           "a directory differ only in case, the exact one is taken if it "
           "exists, else the one listed first.  Elements C<.> and C<..> are refused (C<EINVAL>).\n\n"
           "I<Note>: Because of the above behaviour, "
           "C<guestfs_case_sensitive_path> cannot be used to check for "
           "the existence of a file.\n\n"
           "I<Note>: This function does not handle drive names, "
           "backslashes etc.\n\n"
           "See also C<guestfs_realpath>." },
  { .name = "ls0", .proc = 917, .ret = R_ERR,
    .args = { { A_PATHNAME, "dir" }, { A_FILEOUT, "filenames" } },
    .shortdesc = "get list of files in a directory",
    .doc = "This specialized command is used to get a listing of the "
           "filenames in the directory C<dir>.  The list of filenames is "
           "written to the local file F<filenames> (on the host).\n\n"
           "In the output file, the filenames are separated by C<\\0> "
           "characters.\n\n"
           "C<.> and C<..> are not returned.  The filenames are not "
           "sorted.  There is no size limit." },
  { .name = "llz", .proc = 918, .ret = R_STRING,
    .args = { { A_PATHNAME, "directory" } },
    .shortdesc = "list the files in a directory (long format with SELinux "
                 "contexts)",
    .doc = "List the files in F<directory> in the format of C<ls -laZ>.\n\n"
           "This command is mostly useful for interactive sessions.  It is "
           "I<not> intended that you try to parse the output string.  Use "
           "C<guestfs_lgetxattrs> for the SELinux labels." },
  { .name = "mktemp", .proc = 919, .ret = R_STRING,
    .args = { { A_PATHNAME, "tmpl" } },
    .optargs = { { O_STRING, "suffix" } },
    .shortdesc = "create a temporary file",
    .doc = "This command creates a temporary file.  The C<tmpl> parameter "
           "should be a full pathname for the temporary directory name "
           "with the final six characters being \"XXXXXX\" (C<EINVAL> "
           "otherwise).\n\n"
           "For example: \"/tmp/myprogXXXXXX\" or \"/Temp/myprogXXXXXX\", "
           "the second one being suitable for Windows filesystems.\n\n"
           "The name of the temporary file that was created is returned.\n\n"
           "The temporary file is created with mode 0600 and is owned by "
           "root.\n\n"
           "The caller is responsible for deleting the temporary file "
           "after use.\n\n"
           "If the optional C<suffix> parameter is given, then the suffix "
           "(eg. \".txt\") is appended to the temporary name; it may not "
           "contain C</>.\n\n"
           "See also: C<guestfs_mkdtemp>." },
  { .name = "write_file", .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_STRING, "content" },
              { A_INT, "size" } },
    .shortdesc = "create a file",
    .doc = "This call creates a file called C<path>.  The contents of the "
           "file is the string C<content> (which can contain any 8 bit "
           "data), with length C<size>.\n\n"
           "As a special case, if C<size> is C<0> then the length is "
           "calculated using C<strlen> (so in this case the content "
           "cannot contain embedded ASCII NULs).\n\n"
           "I<NB.> Owing to a bug, writing content containing ASCII NUL "
           "characters does I<not> work, even if the length is specified.  "
           "A C<size> that is negative or longer than C<content> fails "
           "with C<EINVAL>.  Use C<guestfs_write> instead." },
  { .name = "fallocate64", .proc = 929, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_INT64, "len" } },
    .shortdesc = "preallocate a file in the guest filesystem",
    .doc = "This command preallocates a file (containing zero bytes) named "
           "C<path> of size C<len> bytes.  If the file exists already, it "
           "is overwritten.\n\n"
           "Note that this call allocates disk blocks for the file.  To "
           "create a sparse file use C<guestfs_truncate_size> instead.\n\n"
           "A C<len> that is not positive fails with C<EINVAL>." },
  { .name = "fallocate", .ret = R_ERR,
    .args = { { A_PATHNAME, "path" }, { A_INT, "len" } },
    .shortdesc = "preallocate a file in the guest filesystem",
    .doc = "This command preallocates a file (containing zero bytes) named "
           "C<path> of size C<len> bytes.  If the file exists already, it "
           "is overwritten.\n\n"
           "Do not use this function.  It has a serious bug: the C<len> "
           "parameter is limited to 2 GB.  Use C<guestfs_fallocate64>, "
           "which this calls." },
  { .name = "equal", .proc = 930, .ret = R_BOOL,
    .args = { { A_PATHNAME, "file1" }, { A_PATHNAME, "file2" } },
    .shortdesc = "test if two files have equal contents",
    .doc = "This compares the two files F<file1> and F<file2> and returns "
           "true if their content is exactly equal, or false otherwise.\n\n"
           "The external L<cmp(1)> program is used for the comparison in "
           "libguestfs; here the daemon compares the bytes itself." },

  /* ---- Mount points ---- */
  { .name = "mkmountpoint", .proc = 931, .ret = R_ERR,
    .args = { { A_STRING, "exemptpath" } },
    .shortdesc = "create a mountpoint",
    .doc = "C<guestfs_mkmountpoint> and C<guestfs_rmmountpoint> are "
           "specialized calls that can be used to create extra mountpoints "
           "before mounting the first filesystem.\n\n"
           "These calls are I<only> necessary in some very limited "
           "circumstances, mainly the case where you want to mount a mix "
           "of unrelated and/or read-only filesystems together.\n\n"
           "For example, live CDs often contain a \"Russian doll\" nest of "
           "filesystems, an ISO outer layer, with a squashfs image inside, "
           "with an ext2/3 image inside that.  You can unpack this as "
           "follows in guestfish:\n\n"
           " add-ro Fedora-11-i686-Live.iso\n"
           " run\n"
           " mkmountpoint /cd\n"
           " mkmountpoint /sqsh\n"
           " mkmountpoint /ext3fs\n"
           " mount /dev/sda /cd\n"
           " mount-loop /cd/LiveOS/squashfs.img /sqsh\n"
           " mount-loop /sqsh/LiveOS/ext3fs.img /ext3fs\n\n"
           "The inner filesystem is now unpacked under the /ext3fs "
           "mountpoint.\n\n"
           "C<guestfs_mkmountpoint> is not compatible with "
           "C<guestfs_umount_all>.  You may get unexpected errors if you "
           "try to mix these calls.  It is safest to manually unmount "
           "filesystems and remove mountpoints after use.\n\n"
           "C<guestfs_umount_all> unmounts filesystems by sorting the "
           "paths longest first, so for this to work for manual "
           "mountpoints, you must ensure that the innermost mountpoints "
           "have the longest pathnames, as in the example code above.\n\n"
           "For more details see "
           "L<https://bugzilla.redhat.com/show_bug.cgi?id=599503>\n\n"
           "Autosync [see C<guestfs_set_autosync>, this is set by default "
           "on handles] can cause C<guestfs_umount_all> to be called when "
           "the handle is closed which can also trigger these issues.\n\n"
           "C<exemptpath> must be an absolute path (C<EINVAL>); the "
           "directory is made in the guest root, which need not be a "
           "mounted filesystem yet." },
  { .name = "rmmountpoint", .proc = 932, .ret = R_ERR,
    .args = { { A_STRING, "exemptpath" } },
    .shortdesc = "remove a mountpoint",
    .doc = "This call removes a mountpoint that was previously created "
           "with C<guestfs_mkmountpoint>.  See C<guestfs_mkmountpoint> for "
           "full details." },
  { .name = "mount_loop", .proc = 933, .ret = R_ERR,
    .args = { { A_PATHNAME, "file" }, { A_PATHNAME, "mountpoint" } },
    .shortdesc = "mount a file using the loop device",
    .doc = "This command lets you mount F<file> (a filesystem image in a "
           "file) on a mount point.  It is entirely equivalent to the "
           "command C<mount -o loop file mountpoint>.  The file is opened "
           "inside the guest, so a symbolic link cannot name a file of "
           "the appliance." },
  { .name = "remount", .proc = 934, .ret = R_ERR,
    .args = { { A_PATHNAME, "mountpoint" } },
    .optargs = { { O_INT, "rw" } },
    .shortdesc = "remount a filesystem with different options",
    .doc = "This call allows you to change the C<rw> "
           "(readonly/read-write) flag on an already mounted filesystem "
           "at C<mountpoint>, converting a readonly filesystem to be "
           "read-write, or vice-versa.\n\n"
           "Note that at the moment you must supply the \"optional\" C<rw> "
           "parameter.  In future we may allow other flags to be "
           "adjusted.  Without it the call fails with C<EINVAL>; a path "
           "that is not a mount point fails with C<EINVAL> too." },

  /* ---- rsync ---- */
  { .name = "rsync", .proc = 935, .ret = R_ERR,
    .args = { { A_PATHNAME, "src" }, { A_PATHNAME, "dest" } },
    .optargs = { { O_INT, "archive" }, { O_INT, "deletedest" } },
    .group = "rsync",
    .shortdesc = "synchronize the contents of two directories",
    .doc = "This call may be used to copy or synchronize two directories "
           "under the same libguestfs handle.  This uses the L<rsync(1)> "
           "program which uses a fast algorithm that avoids copying files "
           "unnecessarily.\n\n"
           "C<src> and C<dest> are the source and destination directories.  "
           "Files are copied from C<src> to C<dest>.\n\n"
           "The optional arguments are:\n\n"
           "=over 4\n\n=item C<archive>\n\n"
           "Turns on archive mode.  This is the same as passing the "
           "I<--archive> flag to C<rsync>.\n\n"
           "=item C<deletedest>\n\n"
           "Delete files at the destination that do not exist at the "
           "source.\n\n=back\n\n"
           "As with L<rsync(1)>, a C<src> ending in C</> copies the "
           "I<contents> of C<src> into C<dest>, and one without copies "
           "C<src> itself into C<dest>.  Both are resolved inside the "
           "guest; the parent directory of C<dest> must exist." },
  { .name = "rsync_in", .proc = 936, .ret = R_ERR,
    .args = { { A_STRING, "remote" }, { A_PATHNAME, "dest" } },
    .optargs = { { O_INT, "archive" }, { O_INT, "deletedest" } },
    .group = "rsync",
    .shortdesc = "synchronize host or remote filesystem with filesystem",
    .doc = "This call may be used to copy or synchronize the filesystem on "
           "the host or on a remote computer with the filesystem within "
           "libguestfs.  This uses the L<rsync(1)> program which uses a "
           "fast algorithm that avoids copying files unnecessarily.\n\n"
           "This call only works if the network is enabled (see "
           "C<guestfs_set_network>) and an rsync daemon is reachable from "
           "the appliance; otherwise it fails with rsync's message.\n\n"
           "Files are copied from the remote server and directory "
           "specified by C<remote> to the destination directory C<dest>.\n\n"
           "The format of the remote server string is defined by "
           "L<rsync(1)>: C<rsync://[USER@]HOST[:PORT]/MODULE[/PATH]> or "
           "C<[USER@]HOST::MODULE[/PATH]>; a string starting with C<-> "
           "fails with C<EINVAL>.  Note that there is no way to supply a "
           "password or passphrase so the target must be set up not to "
           "require one.\n\n"
           RSYNC_OPTS_DOC },
  { .name = "rsync_out", .proc = 937, .ret = R_ERR,
    .args = { { A_PATHNAME, "src" }, { A_STRING, "remote" } },
    .optargs = { { O_INT, "archive" }, { O_INT, "deletedest" } },
    .group = "rsync",
    .shortdesc = "synchronize filesystem with host or remote filesystem",
    .doc = "This call may be used to copy or synchronize the filesystem "
           "within libguestfs with a filesystem on the host or on a remote "
           "computer.  This uses the L<rsync(1)> program which uses a fast "
           "algorithm that avoids copying files unnecessarily.\n\n"
           "This call only works if the network is enabled (see "
           "C<guestfs_set_network>) and an rsync daemon is reachable from "
           "the appliance; otherwise it fails with rsync's message.\n\n"
           "Files are copied from the source directory C<src> to the "
           "remote server and directory specified by C<remote>, in the "
           "form described for C<guestfs_rsync_in>.\n\n"
           RSYNC_OPTS_DOC "\n\n"
           "As in C<guestfs_rsync>, a C<src> ending in C</> sends the "
           "directory's contents, and one without sends the directory "
           "itself.  There is no wildcard expansion: use "
           "C<guestfs_glob_expand> to select names." },

  /* ---- The daemon and its kernel ---- */
  { .name = "utsname", .proc = 922, .ret = R_STRUCT, .ret_struct = "utsname",
    .shortdesc = "appliance kernel version",
    .doc = "This returns the kernel version of the appliance, where this is "
           "available.  This information is only useful for debugging.  "
           "Nothing in the returned structure is defined by the API." },
  { .name = "dmesg", .proc = 923, .ret = R_STRING,
    .shortdesc = "return kernel messages",
    .doc = "This returns the kernel messages (L<dmesg(1)> output) from the "
           "guest kernel.  This is sometimes useful for extended debugging "
           "of problems.\n\n"
           "Another way to get the same information is to enable verbose "
           "messages with C<guestfs_set_verbose> or by setting the "
           "environment variable C<LIBGUESTFS_DEBUG=1> before running the "
           "program." },
  { .name = "sleep", .proc = 924, .ret = R_ERR,
    .args = { { A_INT, "secs" } },
    .shortdesc = "sleep for some seconds",
    .doc = "Sleep for C<secs> seconds.  A negative C<secs> fails with "
           "C<EINVAL>." },
  { .name = "echo_daemon", .proc = 925, .ret = R_STRING,
    .args = { { A_STRINGLIST, "words" } },
    .shortdesc = "echo arguments back to the client",
    .doc = "This command concatenates the list of C<words> passed with "
           "single spaces between them and returns the resulting string.\n\n"
           "You can use this command to test the connection through to "
           "the daemon.\n\n"
           "See also C<guestfs_ping_daemon>." },
  { .name = "df", .proc = 926, .ret = R_STRING,
    .shortdesc = "report file system disk space usage",
    .doc = "This command runs the L<df(1)> command to report disk space "
           "used.\n\n"
           "This command is mostly useful for interactive sessions.  It is "
           "I<not> intended that you try to parse the output string.  Use "
           "C<guestfs_statvfs> from programs." },
  { .name = "df_h", .proc = 927, .ret = R_STRING,
    .shortdesc = "report file system disk space usage (human readable)",
    .doc = "This command runs the C<df -h> command to report disk space "
           "used in human-readable format.\n\n"
           "This command is mostly useful for interactive sessions.  It is "
           "I<not> intended that you try to parse the output string.  Use "
           "C<guestfs_statvfs> from programs." },
  { .name = "get_umask", .proc = 928, .ret = R_INT,
    .shortdesc = "get the current umask",
    .doc = "Return the current umask.  By default the umask is C<022> "
           "unless it has been set by calling C<guestfs_umask>." },
  { .name = NULL },
};
