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
           "To close the handle, you can call C<guestfs_aug_close>.\n\n"
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

  { .name = NULL },
};
