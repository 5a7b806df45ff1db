/* Editing guest configuration and filesystems: Augeas, the Windows
 * registry (hivex) and filesystem maintenance.
 *
 * Procedure numbers 700-899: stable, append-only.
 *   700-719  augeas
 *   720-749  hivex
 *   750-     filesystem maintenance
 */
#include "generator.h"

#define AUG_NEED_INIT_DOC                                                    \
  "Fails unless C<guestfs_aug_init> was called first."

#define AUG_ONE_NODE_DOC                                                     \
  "Fails with C<ENOENT> if C<augpath> matches no node, and with "            \
  "C<EINVAL> if it matches more than one."

#define HIVEX_NEED_OPEN_DOC                                                  \
  "Fails unless C<guestfs_hivex_open> was called first."

#define HIVEX_HANDLE_DOC                                                     \
  "Node and value handles are numbers valid for the hive opened last; a "    \
  "number that is not one fails with C<EINVAL>."

const struct action actions_edit[] = {
  /* ---- Augeas ---- */
  { .name = "aug_init", .proc = 700, .ret = R_ERR,
    .args = { { A_PATHNAME, "root" }, { A_INT, "flags" } },
    .group = "augeas",
    .shortdesc = "create a new Augeas handle",
    .doc = "Create a new Augeas handle for editing configuration files.  If "
           "there was any previous Augeas handle associated with this "
           "guestfs session, then it is closed.\n\n"
           "You must call this before using any other C<guestfs_aug_*> "
           "commands.\n\n"
           "C<root> is the filesystem root, a directory of the guest "
           "filesystem (usually C</>).\n\n"
           "The flags are the same as the flags defined in E<lt>augeas.hE<gt>, "
           "the logical I<or> of the following integers:\n\n"
           "=over 4\n\n"
           "=item C<AUG_SAVE_BACKUP> = 1\n\n"
           "Keep the original file with a C<.augsave> extension.\n\n"
           "=item C<AUG_SAVE_NEWFILE> = 2\n\n"
           "Save changes into a file with extension C<.augnew>, and do not "
           "overwrite original.  Overrides C<AUG_SAVE_BACKUP>.\n\n"
           "=item C<AUG_TYPE_CHECK> = 4\n\n"
           "Typecheck lenses.  This option is only useful when debugging "
           "Augeas lenses, and may need more appliance memory "
           "(C<guestfs_set_memsize>).\n\n"
           "=item C<AUG_NO_STDINC> = 8\n\n"
           "Do not use standard load path for modules.\n\n"
           "=item C<AUG_SAVE_NOOP> = 16\n\n"
           "Make save a no-op, just record what would have been changed.\n\n"
           "=item C<AUG_NO_LOAD> = 32\n\n"
           "Do not load the tree in C<guestfs_aug_init>.\n\n"
           "=back\n\n"
           "To close the handle, you can call C<guestfs_aug_close>.  "
           "Unmounting the filesystem that holds C<root> "
           "(C<guestfs_umount>, C<guestfs_umount_all>, and the unmount "
           "at shutdown) closes it too, since the handle holds C<root> "
           "open.\n\n"
           "Augeas opens the guest's files by name below C<root>, so a "
           "symbolic link in the guest is followed as the kernel follows "
           "it.  In the appliance this is accepted, as libguestfs does: the "
           "appliance is the sandbox, and a link pointing outside the guest "
           "reaches only the appliance's own files.  When the daemon runs "
           "on the host (the C<unix:> backend), Augeas works in a thread "
           "confined with Landlock to the guest directory and Augeas's "
           "lenses, so such a link cannot reach the host's files; without "
           "Landlock this call fails with C<ENOTSUP>.\n\n"
           "To find out more about Augeas, see L<http://augeas.net/>." },
  { .name = "aug_close", .proc = 701, .ret = R_ERR,
    .group = "augeas",
    .shortdesc = "close the current Augeas handle",
    .doc = "Close the current Augeas handle and free up any resources used "
           "by it.  After calling this, you have to call C<guestfs_aug_init> "
           "again before you can use any other Augeas functions.  "
           AUG_NEED_INIT_DOC },
  { .name = "aug_defvar", .proc = 702, .ret = R_INT,
    .args = { { A_STRING, "name" }, { A_OPTSTRING, "expr" } },
    .group = "augeas",
    .shortdesc = "define an Augeas variable",
    .doc = "Defines an Augeas variable C<name> whose value is the result of "
           "evaluating C<expr>.  If C<expr> is NULL, then C<name> is "
           "undefined.\n\n"
           "On success this returns the number of nodes in C<expr>, or C<0> "
           "if C<expr> evaluates to something which is not a nodeset." },
  { .name = "aug_defnode", .proc = 703, .ret = R_STRUCT,
    .ret_struct = "int_bool",
    .args = { { A_STRING, "name" }, { A_STRING, "expr" },
              { A_STRING, "val" } },
    .group = "augeas",
    .shortdesc = "define an Augeas node",
    .doc = "Defines a variable C<name> whose value is the result of "
           "evaluating C<expr>.\n\n"
           "If C<expr> evaluates to an empty nodeset, a node is created, "
           "equivalent to calling C<guestfs_aug_set> C<expr>, C<val>.  "
           "C<name> will be the nodeset containing that single node.\n\n"
           "On success this returns a pair containing the number of nodes "
           "in the nodeset, and a boolean flag if a node was created." },
  { .name = "aug_get", .proc = 704, .ret = R_STRING,
    .args = { { A_STRING, "augpath" } },
    .group = "augeas",
    .shortdesc = "look up the value of an Augeas path",
    .doc = "Look up the value associated with C<augpath>.  If C<augpath> "
           "matches exactly one node, the C<value> is returned.  "
           AUG_ONE_NODE_DOC "  A node that has no value (such as "
           "C</augeas>) fails with C<ENODATA>." },
  { .name = "aug_set", .proc = 705, .ret = R_ERR,
    .args = { { A_STRING, "augpath" }, { A_STRING, "val" } },
    .group = "augeas",
    .shortdesc = "set Augeas path to value",
    .doc = "Set the value associated with C<augpath> to C<val>.\n\n"
           "In the Augeas API, it is possible to clear a node by setting "
           "the value to NULL.  As in libguestfs, you cannot do that with "
           "this call: use C<guestfs_aug_clear>." },
  { .name = "aug_insert", .proc = 706, .ret = R_ERR,
    .args = { { A_STRING, "augpath" }, { A_STRING, "label" },
              { A_BOOL, "before" } },
    .group = "augeas",
    .shortdesc = "insert a sibling Augeas node",
    .doc = "Create a new sibling C<label> for C<augpath>, inserting it into "
           "the tree before or after C<augpath> (depending on the boolean "
           "flag C<before>).\n\n"
           "C<augpath> must match exactly one existing node in the tree, and "
           "C<label> must be a label, ie. not contain C</>, C<*> or end "
           "with a bracketed index C<[N]>." },
  { .name = "aug_rm", .proc = 707, .ret = R_INT,
    .args = { { A_STRING, "augpath" } },
    .group = "augeas",
    .shortdesc = "remove an Augeas path",
    .doc = "Remove C<augpath> and all of its children.\n\n"
           "On success this returns the number of entries which were "
           "removed." },
  { .name = "aug_mv", .proc = 708, .ret = R_ERR,
    .args = { { A_STRING, "src" }, { A_STRING, "dest" } },
    .group = "augeas",
    .shortdesc = "move Augeas node",
    .doc = "Move the node C<src> to C<dest>.  C<src> must match exactly one "
           "node.  C<dest> is overwritten if it exists." },
  { .name = "aug_match", .proc = 709, .ret = R_STRINGLIST,
    .args = { { A_STRING, "augpath" } },
    .group = "augeas",
    .shortdesc = "return Augeas nodes which match augpath",
    .doc = "Returns a list of paths which match the path expression "
           "C<augpath>.  The returned paths are sufficiently qualified so "
           "that they match exactly one node in the current tree." },
  { .name = "aug_save", .proc = 710, .ret = R_ERR,
    .group = "augeas",
    .shortdesc = "write all pending Augeas changes to disk",
    .doc = "This writes all pending changes to disk.\n\n"
           "The flags which were passed to C<guestfs_aug_init> affect "
           "exactly how files are saved.  If a file could not be saved, "
           "the reasons are under C</augeas//error> in the tree." },
  { .name = "aug_load", .proc = 711, .ret = R_ERR,
    .group = "augeas",
    .shortdesc = "load files into the tree",
    .doc = "Load files into the tree.\n\n"
           "See C<aug_load> in the Augeas documentation for the full gory "
           "details." },
  { .name = "aug_ls", .proc = 712, .ret = R_STRINGLIST,
    .args = { { A_STRING, "augpath" } },
    .group = "augeas",
    .shortdesc = "list Augeas nodes under augpath",
    .doc = "This is just a shortcut for listing C<guestfs_aug_match> "
           "C<augpath/*> and sorting the resulting nodes into alphabetical "
           "order.  C<augpath> must not end in C</>, C<]> or C<*> "
           "(C<EINVAL>), unless it is C</>." },
  { .name = "aug_clear", .proc = 713, .ret = R_ERR,
    .args = { { A_STRING, "augpath" } },
    .group = "augeas",
    .shortdesc = "clear Augeas path",
    .doc = "Set the value associated with C<augpath> to C<NULL>.  This is "
           "the same as the L<augtool(1)> C<clear> command." },
  { .name = "aug_setm", .proc = 714, .ret = R_INT,
    .args = { { A_STRING, "base" }, { A_OPTSTRING, "sub" },
              { A_STRING, "val" } },
    .group = "augeas",
    .shortdesc = "set multiple Augeas nodes",
    .doc = "Change multiple Augeas nodes in a single operation.  C<base> is "
           "an expression matching multiple nodes.  C<sub> is a path "
           "expression relative to C<base>.  All nodes matching C<base> are "
           "found, and then for each node, C<sub> is changed to C<val>.  "
           "C<sub> may also be C<NULL> in which case the C<base> nodes are "
           "modified.\n\n"
           "This returns the number of nodes modified." },
  { .name = "aug_label", .proc = 715, .ret = R_STRING,
    .args = { { A_STRING, "augpath" } },
    .group = "augeas",
    .shortdesc = "return the label from an Augeas path expression",
    .doc = "The label (name of the last element) of the Augeas path "
           "expression C<augpath> is returned.  " AUG_ONE_NODE_DOC },
  { .name = "aug_transform", .proc = 716, .ret = R_ERR,
    .args = { { A_STRING, "lens" }, { A_STRING, "file" } },
    .optargs = { { O_BOOL, "remove" } },
    .group = "augeas",
    .shortdesc = "add/remove an Augeas lens transformation",
    .doc = "Add an Augeas transformation for the specified C<lens> so it "
           "can handle C<file>.\n\n"
           "If C<remove> is true (C<false> by default), then the "
           "transformation is removed.  Call C<guestfs_aug_load> "
           "afterwards to load the file." },

  /* ---- hivex ---- */
  { .name = "hivex_open", .proc = 720, .ret = R_ERR,
    .args = { { A_PATHNAME, "filename" } },
    .optargs = { { O_BOOL, "verbose" }, { O_BOOL, "debug" },
                 { O_BOOL, "write" }, { O_BOOL, "unsafe" } },
    .group = "hivex",
    .shortdesc = "open a Windows Registry hive file",
    .doc = "Open the Windows Registry hive file named C<filename>.  If "
           "there was any previous hivex handle associated with this guestfs "
           "session, then it is closed.\n\n"
           "C<write> opens the hive for writing (changes reach the file "
           "only with C<guestfs_hivex_commit>); C<unsafe> makes hivex "
           "tolerate some corruption; C<verbose> and C<debug> make it "
           "print messages to the appliance's log.  A file that is not a "
           "hive fails with C<ENOTSUP> (C<EINVAL> if it is too short to "
           "be one).\n\n"
           "This is a wrapper around the L<hivex(3)> call of the same "
           "name." },
  { .name = "hivex_close", .proc = 721, .ret = R_ERR,
    .group = "hivex",
    .shortdesc = "close the current hivex handle",
    .doc = "Close the current hivex handle, dropping uncommitted changes.  "
           HIVEX_NEED_OPEN_DOC },
  { .name = "hivex_root", .proc = 722, .ret = R_INT64,
    .group = "hivex",
    .shortdesc = "return the root node of the hive",
    .doc = "Return the root node of the hive.  " HIVEX_NEED_OPEN_DOC },
  { .name = "hivex_node_name", .proc = 723, .ret = R_STRING,
    .args = { { A_INT64, "nodeh" } },
    .group = "hivex",
    .shortdesc = "return the name of the node",
    .doc = "Return the name of C<nodeh>.  " HIVEX_HANDLE_DOC },
  { .name = "hivex_node_children", .proc = 724, .ret = R_STRUCTLIST,
    .ret_struct = "hivex_node",
    .args = { { A_INT64, "nodeh" } },
    .group = "hivex",
    .shortdesc = "return list of nodes which are subkeys of node",
    .doc = "Return the list of nodes which are subkeys of C<nodeh>, in "
           "the hive's order." },
  { .name = "hivex_node_get_child", .proc = 725, .ret = R_INT64,
    .args = { { A_INT64, "nodeh" }, { A_STRING, "name" } },
    .group = "hivex",
    .shortdesc = "return the named child of node",
    .doc = "Return the child of C<nodeh> with the name C<name>, compared "
           "without regard to case, if it exists.  This can return C<0> "
           "meaning the name was not found." },
  { .name = "hivex_node_parent", .proc = 726, .ret = R_INT64,
    .args = { { A_INT64, "nodeh" } },
    .group = "hivex",
    .shortdesc = "return the parent of node",
    .doc = "Return the parent node of C<nodeh>.  The root node has no "
           "parent: that fails." },
  { .name = "hivex_node_values", .proc = 727, .ret = R_STRUCTLIST,
    .ret_struct = "hivex_value",
    .args = { { A_INT64, "nodeh" } },
    .group = "hivex",
    .shortdesc = "return list of values attached to node",
    .doc = "Return the values attached to C<nodeh>." },
  { .name = "hivex_node_get_value", .proc = 728, .ret = R_INT64,
    .args = { { A_INT64, "nodeh" }, { A_STRING, "key" } },
    .group = "hivex",
    .shortdesc = "return the named value",
    .doc = "Return the value attached to C<nodeh> which has the name "
           "C<key>, if it exists.  This can return C<0> meaning the key "
           "was not found.  The default value has the empty name." },
  { .name = "hivex_value_key", .proc = 729, .ret = R_STRING,
    .args = { { A_INT64, "valueh" } },
    .group = "hivex",
    .shortdesc = "return the key field from the (key, datatype, data) tuple",
    .doc = "Return the key (name) field of a (key, datatype, data) tuple.  "
           "The default value has the empty name." },
  { .name = "hivex_value_type", .proc = 730, .ret = R_INT64,
    .args = { { A_INT64, "valueh" } },
    .group = "hivex",
    .shortdesc = "return the data type from the (key, datatype, data) tuple",
    .doc = "Return the data type field from a (key, datatype, data) tuple: "
           "C<1> for C<REG_SZ>, C<2> for C<REG_EXPAND_SZ>, C<3> for "
           "C<REG_BINARY>, C<4> for C<REG_DWORD>, C<7> for C<REG_MULTI_SZ> "
           "and so on (see L<hivex(3)>)." },
  { .name = "hivex_value_value", .proc = 731, .ret = R_BUFFEROUT,
    .args = { { A_INT64, "valueh" } },
    .group = "hivex",
    .shortdesc = "return the data field from the (key, datatype, data) tuple",
    .doc = "Return the data field of a (key, datatype, data) tuple, as the "
           "raw bytes stored in the hive.\n\n"
           "See also C<guestfs_hivex_value_string>." },
  { .name = "hivex_commit", .proc = 732, .ret = R_ERR,
    .args = { { A_OPTSTRING, "filename" } },
    .group = "hivex",
    .shortdesc = "commit (write) changes back to the hive",
    .doc = "Commit (write) changes to the hive.\n\n"
           "If the optional C<filename> parameter is null, then the changes "
           "are written back to the same hive that was opened.  If this is "
           "not null then they are written to the alternate filename given "
           "(an absolute path in the guest, created if missing; a symbolic "
           "link there is not followed) and the original hive is left "
           "untouched.\n\n"
           "The hive must have been opened with C<write> set." },
  { .name = "hivex_node_add_child", .proc = 733, .ret = R_INT64,
    .args = { { A_INT64, "parent" }, { A_STRING, "name" } },
    .group = "hivex",
    .shortdesc = "add a child node",
    .doc = "Add a child node to C<parent> named C<name>, and return the "
           "new node." },
  { .name = "hivex_node_delete_child", .proc = 734, .ret = R_ERR,
    .args = { { A_INT64, "nodeh" } },
    .group = "hivex",
    .shortdesc = "delete a node (recursively)",
    .doc = "Delete C<nodeh>, recursively if it has children.  Its handle, "
           "and those of its children and values, become invalid." },
  { .name = "hivex_node_set_value", .proc = 735, .ret = R_ERR,
    .args = { { A_INT64, "nodeh" }, { A_STRING, "key" }, { A_INT64, "t" },
              { A_BUFFERIN, "val" } },
    .group = "hivex",
    .shortdesc = "set or replace a single value in a node",
    .doc = "Set or replace a single value under the node C<nodeh>.  The "
           "C<key> is the name, C<t> is the type, and C<val> is the data, "
           "given as raw bytes (a C<REG_SZ> string is UTF-16LE with a "
           "terminating zero, a C<REG_DWORD> four little-endian bytes)." },
  { .name = "hivex_value_string", .proc = 736, .ret = R_STRING,
    .args = { { A_INT64, "valueh" } },
    .group = "hivex",
    .shortdesc = "return the data field as a UTF-8 string",
    .doc = "Return the data of a C<REG_SZ>, C<REG_EXPAND_SZ> or "
           "C<REG_LINK> value, converted from UTF-16LE to UTF-8.  A value "
           "of another type fails with C<EINVAL>." },
  { .name = "hivex_value_utf8", .proc = 737, .ret = R_STRING,
    .args = { { A_INT64, "valueh" } },
    .group = "hivex",
    .shortdesc = "return the data field as a UTF-8 string",
    .doc = "This function is deprecated.  In new code, use the "
           "C<guestfs_hivex_value_string> call instead, which does the "
           "same." },

  /* ---- Filesystem maintenance ---- */
  { .name = "resize2fs", .proc = 750, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "resize an ext2, ext3 or ext4 filesystem",
    .doc = "Resize an ext2, ext3 or ext4 filesystem to match the size of "
           "the underlying device.\n\n"
           "As in libguestfs, C<resize2fs> refuses a filesystem that was "
           "not checked since it was last mounted (\"Please run 'e2fsck -f' "
           "first\"): call C<guestfs_e2fsck> with C<forceall> first." },
  { .name = "resize2fs_size", .proc = 751, .ret = R_ERR,
    .args = { { A_DEVICE, "device" }, { A_INT64, "size" } },
    .shortdesc = "resize an ext2, ext3 or ext4 filesystem (with size)",
    .doc = "This command is the same as C<guestfs_resize2fs> except that "
           "it allows you to specify the new size (in bytes) explicitly.  "
           "The size is rounded down to a multiple of 1 KiB; a size below "
           "1 KiB fails with C<EINVAL>." },
  { .name = "resize2fs_M", .proc = 752, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "resize an ext2, ext3 or ext4 filesystem to the minimum size",
    .doc = "This command is the same as C<guestfs_resize2fs>, but the "
           "filesystem is resized to its minimum size.  This works like "
           "the I<-M> option to the C<resize2fs> command.\n\n"
           "To get the resulting size of the filesystem you should call "
           "C<guestfs_tune2fs_l> and read the C<Block size> and "
           "C<Block count> values." },
  { .name = "tune2fs_l", .proc = 753, .ret = R_HASHTABLE,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "get ext2/ext3/ext4 superblock details",
    .doc = "This returns the contents of the ext2, ext3 or ext4 filesystem "
           "superblock on C<device>.\n\n"
           "It is the same as running C<tune2fs -l device>.  See "
           "L<tune2fs(8)> manpage for more details.  The list of fields "
           "returned isn't clearly defined, and depends on both the version "
           "of C<tune2fs> that libguestfs was built against, and the "
           "filesystem itself.  Values shown as C<E<lt>noneE<gt>> or "
           "C<E<lt>not availableE<gt>> are returned as empty strings." },
  { .name = "set_uuid_random", .proc = 754, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "set a random UUID for the filesystem",
    .doc = "Set the filesystem UUID on C<device> to a random UUID.  If "
           "this fails and the errno is ENOTSUP, it means that changing "
           "the UUID is not supported for this type of filesystem.  See "
           "C<guestfs_set_uuid>, which this calls, for the filesystems "
           "supported." },
  { .name = "vfs_minimum_size", .proc = 755, .ret = R_INT64,
    .args = { { A_MOUNTABLE, "mountable" } },
    .shortdesc = "get minimum filesystem size",
    .doc = "Get the minimum size of filesystem in bytes.  This is the "
           "minimum possible size for the filesystem to be shrunk to.\n\n"
           "Supported are ext2, ext3 and ext4 (from C<resize2fs -P>) and "
           "NTFS (from C<ntfsresize --info>).  Other filesystems fail with "
           "C<ENOTSUP>." },
  { .name = "fstrim", .proc = 756, .ret = R_ERR,
    .args = { { A_PATHNAME, "mountpoint" } },
    .optargs = { { O_INT64, "offset" }, { O_INT64, "length" },
                 { O_INT64, "minimumfreeextent" } },
    .group = "fstrim",
    .shortdesc = "trim free space in a filesystem",
    .doc = "Trim the free space in the filesystem mounted on C<mountpoint>.  "
           "The filesystem must be mounted read-write.\n\n"
           "The filesystem contents are not affected, but any free space "
           "in the filesystem is \"trimmed\", that is, given back to the "
           "host device, thus making disk images more sparse, allowing "
           "unused space in qcow2 files to be reused, etc.\n\n"
           "This operation requires support in libguestfs, the mounted "
           "filesystem, the host filesystem, qemu and the host kernel.  If "
           "this support isn't present it may give an error (C<ENOTSUP> or "
           "C<EOPNOTSUPP>) or even appear to run but do nothing.\n\n"
           "The optional arguments are:\n\n"
           "=over 4\n\n"
           "=item C<offset>\n\n"
           "If set, the trim starts at this byte offset of the filesystem "
           "(default 0).\n\n"
           "=item C<length>\n\n"
           "If set, this many bytes are searched for free space (default: "
           "all of it).\n\n"
           "=item C<minimumfreeextent>\n\n"
           "If set, free extents shorter than this many bytes are left "
           "alone.\n\n"
           "=back\n\n"
           "Negative values fail with C<EINVAL>.  The data is synced to the "
           "disk first." },
  { .name = "zero_free_space", .proc = 757, .ret = R_ERR,
    .args = { { A_PATHNAME, "directory" } },
    .flags = FL_PROGRESS,
    .shortdesc = "zero free space in a filesystem",
    .doc = "Zero the free space in the filesystem mounted on C<directory>.  "
           "The filesystem must be mounted read-write.\n\n"
           "The filesystem contents are not affected, but any free space "
           "in the filesystem is freed.\n\n"
           "Free space is not \"trimmed\".  You may want to call "
           "C<guestfs_fstrim> either as an alternative to this, or after "
           "calling this, depending on your requirements.\n\n"
           "It works by filling a new, unnamed file in C<directory> with "
           "zeros until the filesystem is full, then deleting it." },
  { .name = "zerofree", .proc = 758, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "zerofree",
    .shortdesc = "zero unused inodes and disk blocks on ext2/3 filesystem",
    .doc = "This runs the I<zerofree> program on C<device>.  This program "
           "claims to zero unused inodes and disk blocks on an ext2/3 "
           "filesystem, thus making it possible to compress the filesystem "
           "more effectively.\n\n"
           "You should B<not> run this program if the filesystem is "
           "mounted.\n\n"
           "It is possible that using this program can damage the "
           "filesystem or data on the filesystem." },
  { .name = "blkdiscard", .proc = 759, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .group = "blkdiscard",
    .shortdesc = "discard all blocks on a device",
    .doc = "This discards all blocks on the block device C<device>, giving "
           "the free space back to the host.\n\n"
           "This operation requires support in libguestfs, the host "
           "filesystem, qemu and the host kernel.  If this support isn't "
           "present it may give an error or even appear to run but do "
           "nothing.  You must also set the C<discard> attribute on the "
           "underlying drive (see C<guestfs_add_drive_opts>)." },
  { .name = "blkdiscardzeroes", .proc = 760, .ret = R_BOOL,
    .args = { { A_DEVICE, "device" } },
    .group = "blkdiscardzeroes",
    .shortdesc = "return true if discarded blocks are read as zeroes",
    .doc = "This call returns true if blocks on C<device> that have been "
           "discarded by a call to C<guestfs_blkdiscard> are returned as "
           "blocks of zero bytes when read the next time.\n\n"
           "If it returns false, then it may be that discarded blocks are "
           "read as stale or random data." },
  { .name = "is_zero", .proc = 761, .ret = R_BOOL,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "test if a file contains all zero bytes",
    .doc = "This returns true iff the file exists and the file is empty or "
           "it contains all zero bytes." },
  { .name = "is_zero_device", .proc = 762, .ret = R_BOOL,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "test if a device contains all zero bytes",
    .doc = "This returns true iff the device exists and contains all zero "
           "bytes.\n\n"
           "Note that for large devices this can take a long time to run." },
  { .name = "mkswap_L", .proc = 763, .ret = R_ERR,
    .args = { { A_STRING, "label" }, { A_DEVICE, "device" } },
    .shortdesc = "create a swap partition with a label",
    .doc = "Create a swap partition on C<device> with label C<label>.\n\n"
           "Note that you cannot attach a swap label to a block device "
           "(eg. F</dev/sda>), just to a partition.  This appears to be a "
           "limitation of the kernel or swap tools.\n\n"
           "This function is deprecated.  In new code, use the "
           "C<guestfs_mkswap> call with its C<label> argument instead." },
  { .name = "mkswap_U", .proc = 764, .ret = R_ERR,
    .args = { { A_STRING, "uuid" }, { A_DEVICE, "device" } },
    .shortdesc = "create a swap partition with an explicit UUID",
    .doc = "Create a swap partition on C<device> with UUID C<uuid>.\n\n"
           "This function is deprecated.  In new code, use the "
           "C<guestfs_mkswap> call with its C<uuid> argument instead." },
  { .name = "mkswap_file", .proc = 765, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .shortdesc = "create a swap file",
    .doc = "Create a swap file.\n\n"
           "This command just writes a swap file signature to an existing "
           "file.  To create the file itself, use something like "
           "C<guestfs_fallocate>." },
  { .name = "swapon_device", .proc = 766, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "enable swap on device",
    .doc = "This command enables the libguestfs appliance to use the swap "
           "device or partition named C<device>.  The increased memory is "
           "made available for all commands, for example those run using "
           "C<guestfs_command> or C<guestfs_sh>.\n\n"
           "Note that you should not swap to existing guest swap "
           "partitions unless you know what you are doing.  They may "
           "contain hibernation information, or other information that the "
           "guest doesn't want you to trash.  You also risk leaking "
           "information about the host to the guest this way.  Instead, "
           "attach a new host device to the guest and swap on that." },
  { .name = "swapoff_device", .proc = 767, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .shortdesc = "disable swap on device",
    .doc = "This command disables the libguestfs appliance swap device or "
           "partition named C<device>.  See C<guestfs_swapon_device>." },
  { .name = "swapon_file", .proc = 768, .ret = R_ERR,
    .args = { { A_PATHNAME, "file" } },
    .shortdesc = "enable swap on file",
    .doc = "This command enables swap to a file.  See "
           "C<guestfs_swapon_device> for other notes." },
  { .name = "swapoff_file", .proc = 769, .ret = R_ERR,
    .args = { { A_PATHNAME, "file" } },
    .shortdesc = "disable swap on file",
    .doc = "This command disables the libguestfs appliance swap on file." },
  { .name = "swapon_label", .proc = 770, .ret = R_ERR,
    .args = { { A_STRING, "label" } },
    .shortdesc = "enable swap on labeled swap partition",
    .doc = "This command enables swap to a labeled swap partition.  See "
           "C<guestfs_swapon_device> for other notes.  A label that no "
           "device has fails with C<ENOENT>." },
  { .name = "swapoff_label", .proc = 771, .ret = R_ERR,
    .args = { { A_STRING, "label" } },
    .shortdesc = "disable swap on labeled swap partition",
    .doc = "This command disables the libguestfs appliance swap on labeled "
           "swap partition." },
  { .name = "swapon_uuid", .proc = 772, .ret = R_ERR,
    .args = { { A_STRING, "uuid" } },
    .group = "linuxfsuuid",
    .shortdesc = "enable swap on swap partition by UUID",
    .doc = "This command enables swap to a swap partition with the given "
           "UUID.  See C<guestfs_swapon_device> for other notes.  A UUID "
           "that no device has fails with C<ENOENT>." },
  { .name = "swapoff_uuid", .proc = 773, .ret = R_ERR,
    .args = { { A_STRING, "uuid" } },
    .group = "linuxfsuuid",
    .shortdesc = "disable swap on swap partition by UUID",
    .doc = "This command disables the libguestfs appliance swap partition "
           "with the given UUID." },
  { .name = "ntfsresize", .proc = 774, .ret = R_ERR,
    .args = { { A_DEVICE, "device" } },
    .optargs = { { O_INT64, "size" }, { O_BOOL, "force" } },
    .flags = FL_ONCE_HAD_NO_OPTARGS,
    .group = "ntfsprogs",
    .shortdesc = "resize an NTFS filesystem",
    .doc = "This command resizes an NTFS filesystem, expanding or shrinking "
           "it to the size of the underlying device.\n\n"
           "The optional parameters are:\n\n"
           "=over 4\n\n"
           "=item C<size>\n\n"
           "The new size (in bytes) of the filesystem.  If omitted, the "
           "filesystem is resized to fit the container (eg. partition).  "
           "Zero or negative fails with C<EINVAL>.\n\n"
           "=item C<force>\n\n"
           "If this option is true, then force the resize of the filesystem "
           "even if the filesystem is marked as requiring a consistency "
           "check.\n\n"
           "After the resize operation, the filesystem is always marked as "
           "requiring a consistency check (for safety).  You have to boot "
           "into Windows to perform this check and clear this condition.  "
           "If you I<don't> set the C<force> option then it is not "
           "possible to call C<guestfs_ntfsresize> multiple times on a "
           "single filesystem without booting into Windows between each "
           "resize.\n\n"
           "=back\n\n"
           "See also L<ntfsresize(8)>." },

  { .name = "xfs_growfs", .proc = 775, .ret = R_ERR,
    .args = { { A_PATHNAME, "path" } },
    .optargs = { { O_BOOL, "datasec" }, { O_BOOL, "logsec" },
                 { O_BOOL, "rtsec" }, { O_INT64, "datasize" },
                 { O_INT64, "logsize" }, { O_INT64, "rtsize" },
                 { O_INT64, "rtextsize" }, { O_INT, "maxpct" } },
    .group = "xfs",
    .shortdesc = "expand an existing XFS filesystem",
    .doc = "Grow the XFS filesystem mounted at C<path>.\n\n"
           "C<datasec>, C<logsec> and C<rtsec> grow the data, log and "
           "realtime sections (C<-d>, C<-l>, C<-r> of L<xfs_growfs(8)>); "
           "C<datasize>, C<logsize>, C<rtsize> give their new sizes in "
           "filesystem blocks (C<-D>, C<-L>, C<-R>), C<rtextsize> the "
           "realtime extent size (C<-e>) and C<maxpct> the percentage of "
           "space inodes may use (C<-m>).  Negative values fail with "
           "C<EINVAL>." },
  { .name = "xfs_info", .proc = 776, .ret = R_STRUCT, .ret_struct = "xfsinfo",
    .args = { { A_STRING, "pathordevice" } },
    .group = "xfs",
    .shortdesc = "get geometry of XFS filesystem",
    .doc = "C<pathordevice> is a mounted XFS filesystem or a device "
           "containing an XFS filesystem.  This command returns the "
           "geometry of the filesystem.\n\n"
           "The returned struct contains geometry information.  Missing "
           "fields are returned as C<-1> (for numeric fields) or empty "
           "string.  C<xfs_logname> and C<xfs_rtname> are the first word of "
           "the log and realtime sections' names (C<internal>, C<none>)." },

  { .name = NULL },
};
