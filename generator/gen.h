/* The generator's private interface, laid out as a table of contents.
 *
 * gen.c (main) checks the action table (check.c), then runs one
 * emitter per output (emit_*.c).  The emitters share the output
 * plumbing (output.c), questions about an action (table.c), and the
 * mapping of each argument, optional-argument, return and field type to
 * its C and XDR spelling (types.c), so that a type switch is written
 * once however many outputs need it.
 */
#ifndef GEN_H
#define GEN_H

#include <stdbool.h>
#include <stddef.h>

#include "generator.h"

/* ---- output.c: writing one output file ----
 * Every output is written to a temporary file and renamed only if its
 * contents changed, so that an edit of one action does not rebuild
 * everything. */
extern void set_output_dir (const char *dir);
extern void output_to (const char *name);
extern void close_output (void);
extern void pr (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
extern void pr_bytes (const char *buf, size_t len);
extern char *slurp (const char *path, size_t *len);
extern void die (const char *msg) __attribute__ ((noreturn));

/* ---- table.c: walking the table, asking about an action ---- */
typedef void (*action_fn) (const struct action *a);
extern void for_each_action (action_fn fn);
/* Every action, sorted by name (for the docs); returns the count. */
extern size_t sorted_actions (const struct action ***all_r);

#define FOR_ARGS(a, arg)                                                     \
  for (const struct arg *arg = (a)->args;                                    \
       arg < (a)->args + MAX_ARGS && arg->type != A_END; ++arg)
#define FOR_OPTARGS(a, oa)                                                   \
  for (const struct optarg *oa = (a)->optargs;                               \
       oa < (a)->optargs + MAX_OPTARGS && oa->type != O_END; ++oa)
#define FOR_FIELDS(s, f)                                                     \
  for (const struct field *f = (s)->fields;                                  \
       f < (s)->fields + MAX_FIELDS && f->type != F_END; ++f)

extern bool is_daemon (const struct action *a);
/* True when every action of the optional group is FL_UNAVAILABLE: the
 * group is missing, as from a libguestfs built without it. */
extern bool group_missing (const char *group);
extern bool has_optargs (const struct action *a);
/* The bitmask with one bit set for each optional argument. */
extern unsigned long long optargs_mask (const struct action *a);
extern bool has_arg_type (const struct action *a, enum arg_type t);
extern bool has_wire_args (const struct action *a);
extern bool has_wire_ret (const struct action *a);
extern const char *filein_arg (const struct action *a);
extern const char *fileout_arg (const struct action *a);
/* The C name of the variadic entry point (NAME or NAME_opts). */
extern const char *c_name (const struct action *a);
/* Upper-cased copy, from rotating buffers so that two calls can appear
 * in one printf. */
extern const char *upper (const char *s);

/* ---- types.c: each type's C and XDR spelling ---- */
extern bool is_list_arg (enum arg_type t);
/* The argument type an optional argument is passed as. */
extern enum arg_type optarg_arg_type (enum optarg_type t);
/* C type of an argument as the API takes it ("int", "const char *");
 * for A_BUFFERIN, of the buffer (a size_t NAME_size follows). */
extern const char *c_arg_type (enum arg_type t);
/* "TYPE NAME", spaced the C way ("int x", "const char *x"). */
extern const char *c_decl (const char *type, const char *name);
/* One C parameter: "TYPE NAME", plus ", size_t NAME_size" for a buffer. */
extern void pr_c_param (const struct arg *arg);
/* The API's parameter list after "guestfs_h *g": ", TYPE NAME"... */
extern void pr_c_params (const struct action *a);
extern const char *c_optarg_decl (const struct optarg *oa);
/* Return types, ready to be followed by a name ("int ", "char *"). */
extern const char *c_ret_type (const struct action *a);
extern const char *daemon_ret_type (const struct action *a);
/* The value returned on error: "-1" or "NULL". */
extern const char *error_value (const struct action *a);
extern bool ret_is_int (enum ret_type t);
/* Struct fields, one declaration a line after INDENT. */
extern void pr_c_fields (const struct api_struct *s, const char *indent);
extern void pr_xdr_fields (const struct api_struct *s);
/* One member of an XDR args struct: "  TYPE NAME;". */
extern void pr_xdr_arg (enum arg_type t, const char *name);
extern void pr_xdr_ret (const struct action *a);

/* ---- check.c: a bad table is a build error ----
 * Exits with a message naming the file and action at fault. */
extern void check_table (const struct action_table *tables);

/* ---- One emitter per output ---- */
extern void gen_protocol_x (void);               /* emit_xdr.c */
extern void gen_header (const char *template);   /* emit_header.c */
extern void gen_client (void);                   /* emit_client.c */
extern void gen_internal_header (void);          /* emit_internal_header.c */
extern void gen_proc_table (void);               /* emit_proc_table.c */
extern void gen_daemon_header (void);            /* emit_daemon_header.c */
extern void gen_daemon_dispatch (void);          /* emit_daemon_dispatch.c */
extern void gen_pod (void);                      /* emit_pod.c */
extern void gen_actions_list (void);             /* emit_actions_list.c */

#endif
