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
    {.name = "debug",
     .ret = R_STRING,
     .args = {{A_STRING, "subcmd"}, {A_STRINGLIST, "extraargs"}},
     .flags = FL_UNAVAILABLE,
     .shortdesc = "debugging and internals",
     .doc = UNAVAILABLE_DOC},
    {.name = "debug_upload",
     .ret = R_INT,
     .args = {{A_STRING, "filename"}, {A_STRING, "tmpname"}, {A_INT, "mode"}},
     .flags = FL_UNAVAILABLE,
     .shortdesc = "upload a file to the appliance (internal use only)",
     .doc = UNAVAILABLE_DOC},
    {.name = "internal_exit",
     .ret = R_INT,
     .flags = FL_UNAVAILABLE,
     .shortdesc = "cause the daemon to exit (internal use only)",
     .doc = UNAVAILABLE_DOC},
    {.name = "internal_get_console_socket",
     .ret = R_INT,
     .flags = FL_UNAVAILABLE,
     .shortdesc = "internal get console socket",
     .doc = UNAVAILABLE_DOC},
    {.name = "internal_rhbz914931",
     .ret = R_INT,
     .args = {{A_STRING, "filename"}, {A_INT, "count"}},
     .flags = FL_UNAVAILABLE,
     .shortdesc = "internal rhbz914931",
     .doc = UNAVAILABLE_DOC},
    {.name = "internal_upload",
     .ret = R_INT,
     .args = {{A_STRING, "filename"}, {A_STRING, "tmpname"}, {A_INT, "mode"}},
     .flags = FL_UNAVAILABLE,
     .shortdesc = "internal upload",
     .doc = UNAVAILABLE_DOC},
    {.name = "internal_write",
     .ret = R_INT,
     .args = {{A_STRING, "path"}, {A_BUFFERIN, "content"}},
     .flags = FL_UNAVAILABLE,
     .shortdesc = "internal write",
     .doc = UNAVAILABLE_DOC},
    {.name = "internal_write_append",
     .ret = R_INT,
     .args = {{A_STRING, "path"}, {A_BUFFERIN, "content"}},
     .flags = FL_UNAVAILABLE,
     .shortdesc = "internal write append",
     .doc = UNAVAILABLE_DOC},
    {.name = "isoinfo",
     .ret = R_STRUCT,
     .ret_struct = "isoinfo",
     .args = {{A_STRING, "isofile"}},
     .flags = FL_UNAVAILABLE,
     .shortdesc =
         "get ISO information from primary volume descriptor of ISO file",
     .doc = UNAVAILABLE_DOC},
    {.name = "isoinfo_device",
     .ret = R_STRUCT,
     .ret_struct = "isoinfo",
     .args = {{A_STRING, "device"}},
     .flags = FL_UNAVAILABLE,
     .shortdesc =
         "get ISO information from primary volume descriptor of device",
     .doc = UNAVAILABLE_DOC},
    {.name = "ntfscat_i",
     .ret = R_ERR,
     .args = {{A_STRING, "device"}, {A_INT64, "inode"}, {A_STRING, "filename"}},
     .flags = FL_UNAVAILABLE,
     .shortdesc = "download a file to the local machine given its inode",
     .doc = UNAVAILABLE_DOC},
    {.name = "ntfsclone_in",
     .ret = R_ERR,
     .args = {{A_STRING, "backupfile"}, {A_STRING, "device"}},
     .flags = FL_UNAVAILABLE,
     .group = "ntfs3g",
     .shortdesc = "restore NTFS from backup file",
     .doc = UNAVAILABLE_DOC},
    {.name = "ntfsclone_out",
     .ret = R_ERR,
     .args = {{A_STRING, "device"}, {A_STRING, "backupfile"}},
     .optargs = {{O_INT, "metadataonly"},
                 {O_INT, "rescue"},
                 {O_INT, "ignorefscheck"},
                 {O_INT, "preservetimestamps"},
                 {O_INT, "force"}},
     .flags = FL_UNAVAILABLE,
     .group = "ntfs3g",
     .shortdesc = "save NTFS to backup file",
     .doc = UNAVAILABLE_DOC},
    {.name = NULL},
};
