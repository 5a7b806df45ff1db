/* gen: turn the action table into code and docs.
 *
 * Usage: gen OUTDIR HEADER_TEMPLATE
 *
 * Writes into OUTDIR:
 *   guestfs_protocol.x   XDR description, compiled by rpcgen
 *   guestfs.h            public header (HEADER_TEMPLATE with the
 *                        generated declarations spliced in)
 *   client-actions.c     libcore: one thin stub per action
 *   internal-actions.h   libcore: prototypes of the internal actions
 *   proc-table.c         procedure number -> name and XDR codecs
 *   daemon-actions.h     guestfsd: do_* prototypes
 *   daemon-dispatch.c    guestfsd: argument decoding and dispatch
 *   guestfs-actions.pod  the actions section of guestfs(3)
 *   actions.list         one public action name a line (for tests)
 *
 * Every output is written to a temporary file and renamed only if its
 * contents changed, so that an edit of one action does not rebuild
 * everything.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "generator.h"

/* Protocol constants: the one place they are defined.  They reach C
 * code through the .x file (rpcgen turns them into #defines). */
#define PROGRAM_NUMBER "0x2000F5F5"
#define PROTOCOL_VERSION "4"
#define MESSAGE_MAX "4194304"       /* 4 MiB, header included */
/* FileIn/FileOut chunk size, chosen by measurement (HACKING.md,
 * bench/chunk-size.sh); a build can override it with
 * -DGUESTFS_CHUNK_SIZE=N to measure another. */
#ifndef CHUNK_SIZE
#define CHUNK_SIZE 1048576
#endif
#define STR_(x) #x
#define STR(x) STR_ (x)
#define MAX_CHUNK_SIZE STR (CHUNK_SIZE)
#define LAUNCH_FLAG "0xf5f55ff5"
#define CANCEL_FLAG "0xffffeeee"
#define PROGRESS_FLAG "0xffff5555"

static FILE *out;
static const char *outdir;
static char *tmpname, *finalname;

static void __attribute__ ((format (printf, 1, 2)))
pr (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vfprintf (out, fmt, ap);
  va_end (ap);
}

static void
die (const char *msg)
{
  fprintf (stderr, "gen: %s: %m\n", msg);
  exit (EXIT_FAILURE);
}

static void
output_to (const char *name)
{
  if (asprintf (&finalname, "%s/%s", outdir, name) == -1 ||
      asprintf (&tmpname, "%s.tmp", finalname) == -1)
    die ("asprintf");
  out = fopen (tmpname, "w");
  if (!out)
    die (tmpname);
}

static char *
slurp (const char *path, size_t *len)
{
  FILE *f = fopen (path, "r");
  if (!f)
    return NULL;
  char *buf = NULL;
  size_t n = 0;
  FILE *mem = open_memstream (&buf, &n);
  char tmp[65536];
  size_t r;
  while ((r = fread (tmp, 1, sizeof tmp, f)) > 0)
    fwrite (tmp, 1, r, mem);
  fclose (f);
  fclose (mem);
  *len = n;
  return buf;
}

static void
close_output (void)
{
  if (fclose (out) != 0)
    die (tmpname);
  size_t a, b;
  char *old = slurp (finalname, &a);
  char *new = slurp (tmpname, &b);
  if (old && a == b && memcmp (old, new, a) == 0)
    unlink (tmpname);
  else if (rename (tmpname, finalname) == -1)
    die (finalname);
  free (old);
  free (new);
  free (tmpname);
  free (finalname);
}

/* ---- Table helpers ---- */

typedef void (*action_fn) (const struct action *a);

static void
for_each_action (action_fn fn)
{
  for (size_t t = 0; action_tables[t]; ++t)
    for (const struct action *a = action_tables[t]; a->name; ++a)
      fn (a);
}

static bool
is_daemon (const struct action *a)
{
  return a->proc > 0;
}

static bool
has_optargs (const struct action *a)
{
  return a->optargs[0].type != O_END;
}

static size_t
count_optargs (const struct action *a)
{
  size_t n = 0;
  while (n < MAX_OPTARGS && a->optargs[n].type != O_END)
    ++n;
  return n;
}

static bool
has_arg_type (const struct action *a, enum arg_type t)
{
  for (size_t i = 0; i < MAX_ARGS && a->args[i].type != A_END; ++i)
    if (a->args[i].type == t)
      return true;
  return false;
}

/* Arguments that travel in the XDR args struct. */
static bool
arg_on_wire (const struct arg *arg)
{
  return arg->type != A_FILEIN && arg->type != A_FILEOUT;
}

static bool
has_wire_args (const struct action *a)
{
  if (has_optargs (a))
    return true;
  for (size_t i = 0; i < MAX_ARGS && a->args[i].type != A_END; ++i)
    if (arg_on_wire (&a->args[i]))
      return true;
  return false;
}

static bool
has_wire_ret (const struct action *a)
{
  return a->ret != R_ERR;
}

/* The C name of the variadic entry point. */
static const char *
c_name (const struct action *a)
{
  static char buf[256];
  snprintf (buf, sizeof buf, "%s%s", a->name,
            (a->flags & FL_ONCE_HAD_NO_OPTARGS) ? "_opts" : "");
  return buf;
}

/* Rotating buffers, so that two calls can appear in one printf. */
static char *
upper (const char *s)
{
  static char bufs[4][256];
  static unsigned next;
  char *buf = bufs[next++ % 4];
  size_t i;
  for (i = 0; s[i] && i < sizeof bufs[0] - 1; ++i)
    buf[i] = toupper ((unsigned char) s[i]);
  buf[i] = '\0';
  return buf;
}

#define FOR_ARGS(a, arg)                                                     \
  for (const struct arg *arg = (a)->args;                                    \
       arg < (a)->args + MAX_ARGS && arg->type != A_END; ++arg)
#define FOR_OPTARGS(a, oa)                                                   \
  for (const struct optarg *oa = (a)->optargs;                               \
       oa < (a)->optargs + MAX_OPTARGS && oa->type != O_END; ++oa)

/* ---- XDR description ---- */

static const char *
xdr_field_type (enum field_type t)
{
  switch (t) {
  case F_STRING: return "guestfs_str";
  case F_INT32: return "int";
  case F_UINT32: return "unsigned int";
  case F_INT64: return "hyper";
  case F_UINT64: return "unsigned hyper";
  case F_CHAR: return "char";
  case F_PERCENT: return "float";
  case F_BUFFER: case F_END: break;
  }
  abort ();
}

static void
emit_xdr_arg (const char *type, const char *name)
{
  pr ("  %s %s;\n", type, name);
}

static void
emit_xdr_args_struct (const struct action *a)
{
  if (!is_daemon (a) || !has_wire_args (a))
    return;
  pr ("struct guestfs_%s_args {\n", a->name);
  FOR_ARGS (a, arg) {
    switch (arg->type) {
    case A_STRING: case A_PATHNAME: case A_DEVICE: case A_MOUNTABLE:
    case A_KEY:
      emit_xdr_arg ("guestfs_str", arg->name);
      break;
    case A_OPTSTRING:
      pr ("  guestfs_str *%s;\n", arg->name);
      break;
    case A_INT: emit_xdr_arg ("int", arg->name); break;
    case A_INT64: emit_xdr_arg ("hyper", arg->name); break;
    case A_BOOL: emit_xdr_arg ("bool", arg->name); break;
    case A_STRINGLIST: case A_DEVICELIST:
      pr ("  guestfs_str %s<GUESTFS_MESSAGE_MAX>;\n", arg->name);
      break;
    case A_BUFFERIN:
      pr ("  opaque %s<GUESTFS_MESSAGE_MAX>;\n", arg->name);
      break;
    case A_FILEIN: case A_FILEOUT: case A_END:
      break;
    }
  }
  if (has_optargs (a)) {
    pr ("  unsigned hyper optargs_bitmask;\n");
    FOR_OPTARGS (a, oa) {
      switch (oa->type) {
      case O_BOOL: emit_xdr_arg ("bool", oa->name); break;
      case O_INT: emit_xdr_arg ("int", oa->name); break;
      case O_INT64: emit_xdr_arg ("hyper", oa->name); break;
      case O_STRING: emit_xdr_arg ("guestfs_str", oa->name); break;
      case O_STRINGLIST:
        pr ("  guestfs_str %s<GUESTFS_MESSAGE_MAX>;\n", oa->name);
        break;
      case O_END: break;
      }
    }
  }
  pr ("};\n\n");
}

static void
emit_xdr_ret_struct (const struct action *a)
{
  if (!is_daemon (a) || !has_wire_ret (a))
    return;
  pr ("struct guestfs_%s_ret {\n", a->name);
  switch (a->ret) {
  case R_INT: pr ("  int r;\n"); break;
  case R_BOOL: pr ("  bool r;\n"); break;
  case R_INT64: pr ("  hyper r;\n"); break;
  case R_STRING: case R_CONSTSTRING: pr ("  guestfs_str r;\n"); break;
  case R_STRINGLIST: case R_HASHTABLE:
    pr ("  guestfs_str r<GUESTFS_MESSAGE_MAX>;\n");
    break;
  case R_STRUCT: pr ("  guestfs_int_%s r;\n", a->ret_struct); break;
  case R_STRUCTLIST: pr ("  guestfs_int_%s_list r;\n", a->ret_struct); break;
  case R_BUFFEROUT: pr ("  opaque r<GUESTFS_MESSAGE_MAX>;\n"); break;
  case R_ERR: break;
  }
  pr ("};\n\n");
}

static void
emit_xdr_proc_enum (const struct action *a)
{
  if (is_daemon (a))
    pr ("  GUESTFS_PROC_%s = %d,\n", upper (a->name), a->proc);
}

static int max_proc;

static void
note_max_proc (const struct action *a)
{
  if (a->proc > max_proc)
    max_proc = a->proc;
}

static void
gen_protocol_x (void)
{
  output_to ("guestfs_protocol.x");
  pr ("/* Generated by gen from the action table.  Do not edit. */\n\n");
  pr ("%%#include \"xdr-str.h\"\n\n");
  pr ("const GUESTFS_PROGRAM = %s;\n", PROGRAM_NUMBER);
  pr ("const GUESTFS_PROTOCOL_VERSION = %s;\n", PROTOCOL_VERSION);
  pr ("const GUESTFS_MESSAGE_MAX = %s;\n", MESSAGE_MAX);
  pr ("const GUESTFS_MAX_CHUNK_SIZE = %s;\n", MAX_CHUNK_SIZE);
  pr ("const GUESTFS_LAUNCH_FLAG = %s;\n", LAUNCH_FLAG);
  pr ("const GUESTFS_CANCEL_FLAG = %s;\n", CANCEL_FLAG);
  pr ("const GUESTFS_PROGRESS_FLAG = %s;\n", PROGRESS_FLAG);
  pr ("const GUESTFS_PROGRESS_SIZE = 24;\n\n");

  for (const struct api_struct *s = api_structs; s->name; ++s) {
    pr ("struct guestfs_int_%s {\n", s->name);
    for (const struct field *f = s->fields;
         f < s->fields + MAX_FIELDS && f->type != F_END; ++f) {
      if (f->type == F_BUFFER)
        pr ("  opaque %s<GUESTFS_MESSAGE_MAX>;\n", f->name);
      else
        pr ("  %s %s;\n", xdr_field_type (f->type), f->name);
    }
    pr ("};\n");
    pr ("typedef struct guestfs_int_%s guestfs_int_%s_list<>;\n\n", s->name,
        s->name);
  }

  for_each_action (emit_xdr_args_struct);
  for_each_action (emit_xdr_ret_struct);

  for_each_action (note_max_proc);
  pr ("enum guestfs_procedure {\n");
  for_each_action (emit_xdr_proc_enum);
  pr ("  GUESTFS_PROC_NR_PROCS = %d\n", max_proc + 1);
  pr ("};\n\n");

  pr ("enum guestfs_message_direction {\n"
      "  GUESTFS_DIRECTION_CALL = 0,\n"
      "  GUESTFS_DIRECTION_REPLY = 1\n"
      "};\n\n"
      "enum guestfs_message_status {\n"
      "  GUESTFS_STATUS_OK = 0,\n"
      "  GUESTFS_STATUS_ERROR = 1\n"
      "};\n\n"
      "struct guestfs_message_error {\n"
      "  guestfs_str errno_string;\n"
      "  guestfs_str error_message;\n"
      "};\n\n"
      "struct guestfs_message_header {\n"
      "  unsigned prog;\n"
      "  unsigned vers;\n"
      "  unsigned proc;\n"
      "  guestfs_message_direction direction;\n"
      "  unsigned serial;\n"
      "  guestfs_message_status status;\n"
      "};\n\n"
      "struct guestfs_chunk {\n"
      "  int cancel;\n"
      "  opaque data<GUESTFS_MAX_CHUNK_SIZE>;\n"
      "};\n\n"
      "struct guestfs_progress {\n"
      "  unsigned proc;\n"
      "  unsigned serial;\n"
      "  unsigned hyper position;\n"
      "  unsigned hyper total;\n"
      "};\n");
  close_output ();
}

/* ---- C types ---- */

static const char *
c_field_type (enum field_type t)
{
  switch (t) {
  case F_STRING: return "char *";
  case F_INT32: return "int32_t ";
  case F_UINT32: return "uint32_t ";
  case F_INT64: return "int64_t ";
  case F_UINT64: return "uint64_t ";
  case F_CHAR: return "char ";
  case F_PERCENT: return "float ";
  case F_BUFFER: case F_END: break;
  }
  abort ();
}

static const char *
c_ret_type (const struct action *a)
{
  static char buf[128];
  switch (a->ret) {
  case R_ERR: case R_INT: case R_BOOL: return "int ";
  case R_INT64: return "int64_t ";
  case R_CONSTSTRING: return "const char *";
  case R_STRING: case R_BUFFEROUT: return "char *";
  case R_STRINGLIST: case R_HASHTABLE: return "char **";
  case R_STRUCT:
    snprintf (buf, sizeof buf, "struct guestfs_%s *", a->ret_struct);
    return buf;
  case R_STRUCTLIST:
    snprintf (buf, sizeof buf, "struct guestfs_%s_list *", a->ret_struct);
    return buf;
  }
  abort ();
}

static const char *
c_optarg_type (enum optarg_type t)
{
  switch (t) {
  case O_BOOL: case O_INT: return "int ";
  case O_INT64: return "int64_t ";
  case O_STRING: return "const char *";
  case O_STRINGLIST: return "char *const *";
  case O_END: break;
  }
  abort ();
}

/* The C parameter list after "guestfs_h *g". */
static void
emit_c_params (const struct action *a)
{
  FOR_ARGS (a, arg) {
    switch (arg->type) {
    case A_INT: case A_BOOL: pr (", int %s", arg->name); break;
    case A_INT64: pr (", int64_t %s", arg->name); break;
    case A_STRINGLIST: case A_DEVICELIST:
      pr (", char *const *%s", arg->name);
      break;
    case A_BUFFERIN:
      pr (", const char *%s, size_t %s_size", arg->name, arg->name);
      break;
    default: pr (", const char *%s", arg->name); break;
    }
  }
  if (a->ret == R_BUFFEROUT)
    pr (", size_t *size_r");
}

static void
emit_prototype (const struct action *a, const char *name, const char *tail)
{
  pr ("extern GUESTFS_DLL_PUBLIC %sguestfs_%s (guestfs_h *g", c_ret_type (a),
      name);
  emit_c_params (a);
  pr ("%s);\n", tail);
}

static void
emit_header_action (const struct action *a)
{
  if (a->flags & FL_INTERNAL)
    return;
  pr ("\n#define LIBGUESTFS_HAVE_%s 1\n", upper (a->name));
  if (!has_optargs (a)) {
    emit_prototype (a, a->name, "");
    return;
  }
  if (a->flags & FL_ONCE_HAD_NO_OPTARGS) {
    emit_prototype (a, a->name, "");
    pr ("#define LIBGUESTFS_HAVE_%s 1\n", upper (c_name (a)));
  }
  char name[256];
  snprintf (name, sizeof name, "%s", c_name (a));
  size_t i = 0;
  FOR_OPTARGS (a, oa) {
    char up[256];
    snprintf (up, sizeof up, "%s", upper (name));
    pr ("#define GUESTFS_%s_%s %zu\n", up, upper (oa->name), i);
    pr ("#define GUESTFS_%s_%s_BITMASK (UINT64_C(1)<<%zu)\n", up,
        upper (oa->name), i);
    ++i;
  }
  emit_prototype (a, name, ", ...");
  char vaname[300];
  snprintf (vaname, sizeof vaname, "%s_va", name);
  emit_prototype (a, vaname, ", va_list args");
  pr ("struct guestfs_%s_argv {\n  uint64_t bitmask;\n", name);
  FOR_OPTARGS (a, oa)
    pr ("  %s%s;\n", c_optarg_type (oa->type), oa->name);
  pr ("};\n");
  char argvname[300];
  snprintf (argvname, sizeof argvname, "%s_argv", name);
  char tail[400];
  snprintf (tail, sizeof tail, ", const struct guestfs_%s_argv *optargs",
            name);
  emit_prototype (a, argvname, tail);
}

static void
gen_header (const char *template_path)
{
  size_t len;
  char *tmpl = slurp (template_path, &len);
  if (!tmpl)
    die (template_path);
  const char *marker = "@GENERATED_DECLARATIONS@";
  char *at = strstr (tmpl, marker);
  if (!at) {
    fprintf (stderr, "gen: %s has no %s line\n", template_path, marker);
    exit (EXIT_FAILURE);
  }
  output_to ("guestfs.h");
  fwrite (tmpl, 1, at - tmpl, out);

  pr ("/* Structures. */\n");
  for (const struct api_struct *s = api_structs; s->name; ++s) {
    pr ("\n#define LIBGUESTFS_HAVE_STRUCT_%s 1\n", upper (s->name));
    pr ("struct guestfs_%s {\n", s->name);
    for (const struct field *f = s->fields;
         f < s->fields + MAX_FIELDS && f->type != F_END; ++f) {
      if (f->type == F_BUFFER)
        pr ("  uint32_t %s_len;\n  char *%s;\n", f->name, f->name);
      else
        pr ("  %s%s;\n", c_field_type (f->type), f->name);
    }
    pr ("};\n");
    pr ("struct guestfs_%s_list {\n  uint32_t len;\n"
        "  struct guestfs_%s *val;\n};\n",
        s->name, s->name);
    pr ("extern GUESTFS_DLL_PUBLIC void guestfs_free_%s (struct guestfs_%s *);\n",
        s->name, s->name);
    pr ("extern GUESTFS_DLL_PUBLIC void guestfs_free_%s_list "
        "(struct guestfs_%s_list *);\n",
        s->name, s->name);
  }
  pr ("\n/* Actions. */\n");
  for_each_action (emit_header_action);
  fputs (at + strlen (marker), out);
  free (tmpl);
  close_output ();
}

/* ---- Client stubs ---- */

static const char *
trace_arg_fn (enum arg_type t)
{
  switch (t) {
  case A_INT: return "guestfs_int_trace_int";
  case A_INT64: return "guestfs_int_trace_int64";
  case A_BOOL: return "guestfs_int_trace_bool";
  case A_STRINGLIST: case A_DEVICELIST: return "guestfs_int_trace_strlist";
  case A_KEY: return "guestfs_int_trace_secret";
  case A_OPTSTRING: return "guestfs_int_trace_optstr";
  default: return "guestfs_int_trace_str";
  }
}

static void
emit_trace_enter (const struct action *a, bool optargs)
{
  pr ("  if (guestfs_int_trace_on (g)) {\n");
  pr ("    struct guestfs_int_trace *tb = guestfs_int_trace_open (g, \"%s\");\n",
      a->name);
  FOR_ARGS (a, arg) {
    if (arg->type == A_BUFFERIN)
      pr ("    guestfs_int_trace_buffer (tb, %s_size);\n", arg->name);
    else
      pr ("    %s (tb, %s);\n", trace_arg_fn (arg->type), arg->name);
  }
  if (optargs) {
    FOR_OPTARGS (a, oa) {
      pr ("    if (optargs->bitmask & GUESTFS_%s_%s_BITMASK)\n",
          upper (c_name (a)), upper (oa->name));
      switch (oa->type) {
      case O_BOOL:
        pr ("      guestfs_int_trace_opt_bool (tb, \"%s\", optargs->%s);\n",
            oa->name, oa->name);
        break;
      case O_INT:
        pr ("      guestfs_int_trace_opt_int (tb, \"%s\", optargs->%s);\n",
            oa->name, oa->name);
        break;
      case O_INT64:
        pr ("      guestfs_int_trace_opt_int64 (tb, \"%s\", optargs->%s);\n",
            oa->name, oa->name);
        break;
      case O_STRING:
        pr ("      guestfs_int_trace_opt_str (tb, \"%s\", optargs->%s);\n",
            oa->name, oa->name);
        break;
      case O_STRINGLIST:
        pr ("      guestfs_int_trace_opt_strlist (tb, \"%s\", optargs->%s);\n",
            oa->name, oa->name);
        break;
      case O_END: break;
      }
    }
  }
  pr ("    guestfs_int_trace_send (g, tb);\n  }\n");
}

static const char *
trace_ret_fn (const struct action *a)
{
  if (a->flags & FL_SECRET_RET)
    return "guestfs_int_trace_ret_secret";
  switch (a->ret) {
  case R_ERR: case R_INT: return "guestfs_int_trace_ret_int";
  case R_BOOL: return "guestfs_int_trace_ret_bool";
  case R_INT64: return "guestfs_int_trace_ret_int64";
  case R_CONSTSTRING: case R_STRING: return "guestfs_int_trace_ret_str";
  case R_STRINGLIST: return "guestfs_int_trace_ret_strlist";
  case R_HASHTABLE: return "guestfs_int_trace_ret_hash";
  case R_STRUCT: case R_STRUCTLIST: return "guestfs_int_trace_ret_ptr";
  case R_BUFFEROUT: return "guestfs_int_trace_ret_buffer";
  }
  abort ();
}

static const char *
error_value (const struct action *a)
{
  switch (a->ret) {
  case R_ERR: case R_INT: case R_BOOL: case R_INT64: return "-1";
  default: return "NULL";
  }
}

/* Checks the library makes before anything goes on the wire. */
static void
emit_arg_checks (const struct action *a)
{
  FOR_ARGS (a, arg) {
    switch (arg->type) {
    case A_INT: case A_INT64: case A_BOOL: case A_OPTSTRING:
      break;
    case A_BUFFERIN:
      pr ("  if (%s == NULL && %s_size > 0) {\n", arg->name, arg->name);
      pr ("    guestfs_int_error_errno (g, EFAULT, \"%s: %s: parameter cannot "
          "be NULL\");\n    goto out;\n  }\n",
          a->name, arg->name);
      break;
    default:
      pr ("  if (%s == NULL) {\n", arg->name);
      pr ("    guestfs_int_error_errno (g, EFAULT, \"%s: %s: parameter cannot "
          "be NULL\");\n    goto out;\n  }\n",
          a->name, arg->name);
      break;
    }
    if (arg->type == A_PATHNAME)
      pr ("  if (guestfs_int_check_pathname (g, \"%s\", \"%s\", %s) == -1)\n"
          "    goto out;\n",
          a->name, arg->name, arg->name);
  }
  if (a->ret == R_BUFFEROUT)
    pr ("  if (size_r == NULL) {\n"
        "    guestfs_int_error_errno (g, EFAULT, \"%s: size_r: parameter "
        "cannot be NULL\");\n    goto out;\n  }\n",
        a->name);
}

static void
emit_state_check (const struct action *a)
{
  const char *fn = "guestfs_int_check_ready";
  if (a->flags & FL_ANY_STATE)
    return;
  if (a->flags & FL_CONFIG_ONLY)
    fn = "guestfs_int_check_config";
  pr ("  if (%s (g, \"%s\") == -1)\n    goto out;\n", fn, a->name);
}

static void
emit_fill_wire_args (const struct action *a)
{
  pr ("  struct guestfs_%s_args args;\n  memset (&args, 0, sizeof args);\n",
      a->name);
  FOR_ARGS (a, arg) {
    switch (arg->type) {
    case A_STRINGLIST: case A_DEVICELIST:
      pr ("  args.%s.%s_val = (char **) %s;\n", arg->name, arg->name,
          arg->name);
      pr ("  args.%s.%s_len = guestfs_int_count_strings (%s);\n", arg->name,
          arg->name, arg->name);
      break;
    case A_BUFFERIN:
      pr ("  if (%s_size > GUESTFS_MESSAGE_MAX) {\n"
          "    guestfs_int_error_errno (g, E2BIG, \"%s: %s: %%zu bytes is "
          "over the message limit (see PROTOCOL LIMITS)\", %s_size);\n"
          "    goto out;\n  }\n",
          arg->name, a->name, arg->name, arg->name);
      pr ("  args.%s.%s_val = (char *) %s;\n", arg->name, arg->name,
          arg->name);
      pr ("  args.%s.%s_len = %s_size;\n", arg->name, arg->name, arg->name);
      break;
    case A_OPTSTRING:
      pr ("  args.%s = (char **) (%s ? &%s : NULL);\n", arg->name, arg->name,
          arg->name);
      break;
    case A_FILEIN: case A_FILEOUT: case A_END:
      break;
    case A_STRING: case A_PATHNAME: case A_DEVICE: case A_MOUNTABLE:
    case A_KEY:
      pr ("  args.%s = (char *) %s;\n", arg->name, arg->name);
      break;
    default:
      pr ("  args.%s = %s;\n", arg->name, arg->name);
      break;
    }
  }
  if (!has_optargs (a))
    return;
  pr ("  args.optargs_bitmask = optargs->bitmask;\n");
  FOR_OPTARGS (a, oa) {
    pr ("  if (optargs->bitmask & GUESTFS_%s_%s_BITMASK) {\n",
        upper (c_name (a)), upper (oa->name));
    switch (oa->type) {
    case O_STRING:
      pr ("    if (optargs->%s == NULL) {\n"
          "      guestfs_int_error_errno (g, EFAULT, \"%s: %s: optional "
          "parameter cannot be NULL\");\n      goto out;\n    }\n",
          oa->name, a->name, oa->name);
      pr ("    args.%s = (char *) optargs->%s;\n", oa->name, oa->name);
      break;
    case O_STRINGLIST:
      pr ("    args.%s.%s_val = (char **) optargs->%s;\n", oa->name, oa->name,
          oa->name);
      pr ("    args.%s.%s_len = guestfs_int_count_strings (optargs->%s);\n",
          oa->name, oa->name, oa->name);
      break;
    default:
      pr ("    args.%s = optargs->%s;\n", oa->name, oa->name);
      break;
    }
    pr ("  }\n");
    if (oa->type == O_STRING)
      pr ("  else\n    args.%s = (char *) \"\";\n", oa->name);
  }
}

static const char *
filein_arg (const struct action *a)
{
  FOR_ARGS (a, arg)
    if (arg->type == A_FILEIN)
      return arg->name;
  return NULL;
}

static const char *
fileout_arg (const struct action *a)
{
  FOR_ARGS (a, arg)
    if (arg->type == A_FILEOUT)
      return arg->name;
  return NULL;
}

/* Convert the decoded XDR return value into the API's return value.
 * The XDR structs have the public structs' layout, so ownership of
 * every decoded pointer passes to the caller. */
static void
emit_ret_conversion (const struct action *a)
{
  switch (a->ret) {
  case R_ERR: pr ("  r = 0;\n"); break;
  case R_INT: case R_BOOL: case R_INT64: pr ("  r = ret.r;\n"); break;
  case R_STRING: pr ("  r = ret.r;\n"); break;
  case R_STRINGLIST: case R_HASHTABLE:
    pr ("  r = guestfs_int_take_strlist (g, ret.r.r_val, ret.r.r_len, %d);\n",
        a->ret == R_HASHTABLE);
    pr ("  if (r == NULL)\n    goto out;\n");
    break;
  case R_STRUCT:
    pr ("  r = guestfs_int_safe_malloc (g, sizeof *r);\n");
    pr ("  memcpy (r, &ret.r, sizeof *r);\n");
    break;
  case R_STRUCTLIST:
    pr ("  r = guestfs_int_safe_malloc (g, sizeof *r);\n");
    pr ("  r->len = ret.r.guestfs_int_%s_list_len;\n", a->ret_struct);
    pr ("  r->val = (void *) ret.r.guestfs_int_%s_list_val;\n", a->ret_struct);
    break;
  case R_BUFFEROUT:
    pr ("  *size_r = ret.r.r_len;\n");
    pr ("  r = ret.r.r_val ? ret.r.r_val : guestfs_int_safe_malloc (g, 1);\n");
    break;
  case R_CONSTSTRING:
    abort ();
  }
}

static void
emit_call_impl (const struct action *a, bool optargs)
{
  pr ("  r = guestfs_impl_%s (g", a->name);
  FOR_ARGS (a, arg) {
    pr (", %s", arg->name);
    if (arg->type == A_BUFFERIN)
      pr (", %s_size", arg->name);
  }
  if (a->ret == R_BUFFEROUT)
    pr (", size_r");
  if (optargs)
    pr (", optargs");
  pr (");\n");
}

static void
emit_call_daemon (const struct action *a)
{
  bool wargs = has_wire_args (a), wret = has_wire_ret (a);
  if (wargs)
    emit_fill_wire_args (a);
  if (wret)
    pr ("  struct guestfs_%s_ret ret;\n  memset (&ret, 0, sizeof ret);\n",
        a->name);
  pr ("  struct guestfs_int_call call = {\n");
  pr ("    .name = \"%s\", .proc = GUESTFS_PROC_%s,\n", a->name,
      upper (a->name));
  if (wargs)
    pr ("    .args_xdr = (xdrproc_t) xdr_guestfs_%s_args, .args = &args,\n",
        a->name);
  if (wret)
    pr ("    .ret_xdr = (xdrproc_t) xdr_guestfs_%s_ret, .ret = &ret,\n",
        a->name);
  const char *fin = filein_arg (a), *fout = fileout_arg (a);
  if (fin)
    pr ("    .file_in = %s,\n", fin);
  if (fout)
    pr ("    .file_out = %s,\n", fout);
  if (has_arg_type (a, A_KEY))
    pr ("    .secret = true,\n");
  pr ("  };\n");
  pr ("  if (guestfs_int_rpc (g, &call) == -1)\n    goto out;\n");
  emit_ret_conversion (a);
}

/* The body shared by plain actions and _argv entry points. */
static void
emit_body (const struct action *a, bool optargs)
{
  pr ("  %sr = %s;\n", c_ret_type (a), error_value (a));
  pr ("  guestfs_int_lock (g);\n");
  emit_trace_enter (a, optargs);
  emit_arg_checks (a);
  if (optargs)
    pr ("  if (optargs->bitmask & ~UINT64_C(0x%llx)) {\n"
        "    guestfs_int_error_errno (g, EINVAL, \"%s: unknown optional "
        "argument in the bitmask\");\n    goto out;\n  }\n",
        (1ULL << count_optargs (a)) - 1, a->name);
  emit_state_check (a);
  if (is_daemon (a))
    emit_call_daemon (a);
  else
    emit_call_impl (a, optargs);
  pr (" out: __attribute__ ((unused));\n");
  pr ("  if (guestfs_int_trace_on (g))\n    %s (g, \"%s\", r", trace_ret_fn (a),
      a->name);
  if (a->ret == R_BUFFEROUT)
    pr (", r ? *size_r : 0");
  pr (");\n");
  pr ("  guestfs_int_unlock (g);\n  return r;\n");
}

static void
emit_c_signature (const struct action *a, const char *name, const char *tail)
{
  pr ("%s%s\nguestfs_%s (guestfs_h *g",
      (a->flags & FL_INTERNAL) ? "" : "GUESTFS_DLL_PUBLIC ", c_ret_type (a),
      name);
  emit_c_params (a);
  pr ("%s)\n", tail);
}

/* Call args for forwarding from one entry point to another. */
static void
emit_forward_args (const struct action *a)
{
  FOR_ARGS (a, arg) {
    pr (", %s", arg->name);
    if (arg->type == A_BUFFERIN)
      pr (", %s_size", arg->name);
  }
  if (a->ret == R_BUFFEROUT)
    pr (", size_r");
}

static void
emit_va_unpack (const struct action *a)
{
  const char *name = c_name (a);
  pr ("  struct guestfs_%s_argv optargs_s = { .bitmask = 0 };\n", name);
  pr ("  int i;\n");
  pr ("  while ((i = va_arg (args, int)) >= 0) {\n");
  pr ("    if (i >= 64 || (optargs_s.bitmask & (UINT64_C(1) << i))) {\n"
      "      guestfs_int_error_errno (g, EINVAL, \"%s: optional argument %%d "
      "is unknown or repeated\", i);\n"
      "      return %s;\n    }\n",
      name, error_value (a));
  pr ("    switch (i) {\n");
  FOR_OPTARGS (a, oa) {
    pr ("    case GUESTFS_%s_%s:\n", upper (name), upper (oa->name));
    const char *va_type = "int";
    switch (oa->type) {
    case O_INT64: va_type = "int64_t"; break;
    case O_STRING: va_type = "const char *"; break;
    case O_STRINGLIST: va_type = "char *const *"; break;
    default: break;
    }
    pr ("      optargs_s.%s = va_arg (args, %s);\n      break;\n", oa->name,
        va_type);
  }
  pr ("    default:\n"
      "      guestfs_int_error_errno (g, EINVAL, \"%s: unknown optional "
      "argument %%d\", i);\n"
      "      return %s;\n    }\n",
      name, error_value (a));
  pr ("    optargs_s.bitmask |= UINT64_C(1) << i;\n  }\n");
}

static void
emit_client_action (const struct action *a)
{
  if (!has_optargs (a)) {
    emit_c_signature (a, a->name, "");
    pr ("{\n");
    emit_body (a, false);
    pr ("}\n\n");
    return;
  }
  char name[256], argvname[300], vaname[300], tail[400];
  snprintf (name, sizeof name, "%s", c_name (a));
  snprintf (argvname, sizeof argvname, "%s_argv", name);
  snprintf (vaname, sizeof vaname, "%s_va", name);
  snprintf (tail, sizeof tail, ", const struct guestfs_%s_argv *optargs",
            name);

  emit_c_signature (a, argvname, tail);
  pr ("{\n");
  pr ("  struct guestfs_%s_argv no_optargs = { .bitmask = 0 };\n", name);
  pr ("  if (optargs == NULL)\n    optargs = &no_optargs;\n");
  emit_body (a, true);
  pr ("}\n\n");

  emit_c_signature (a, vaname, ", va_list args");
  pr ("{\n");
  emit_va_unpack (a);
  pr ("  return guestfs_%s (g", argvname);
  emit_forward_args (a);
  pr (", &optargs_s);\n}\n\n");

  emit_c_signature (a, name, ", ...");
  pr ("{\n  va_list args;\n");
  const char *last = NULL;
  FOR_ARGS (a, arg)
    last = arg->type == A_BUFFERIN ? NULL : arg->name;
  if (a->ret == R_BUFFEROUT)
    last = "size_r";
  pr ("  va_start (args, %s);\n", last ? last : "g");
  pr ("  %sr = guestfs_%s (g", c_ret_type (a), vaname);
  emit_forward_args (a);
  pr (", args);\n  va_end (args);\n  return r;\n}\n\n");

  if (a->flags & FL_ONCE_HAD_NO_OPTARGS) {
    emit_c_signature (a, a->name, "");
    pr ("{\n  return guestfs_%s (g", argvname);
    emit_forward_args (a);
    pr (", NULL);\n}\n\n");
  }
}

static void
emit_impl_prototype (const struct action *a)
{
  if (is_daemon (a))
    return;
  pr ("extern %sguestfs_impl_%s (guestfs_h *g", c_ret_type (a), a->name);
  emit_c_params (a);
  if (has_optargs (a))
    pr (", const struct guestfs_%s_argv *optargs", c_name (a));
  pr (");\n");
}

static void
emit_internal_prototype (const struct action *a)
{
  if (!(a->flags & FL_INTERNAL))
    return;
  pr ("extern %sguestfs_%s (guestfs_h *g", c_ret_type (a), a->name);
  emit_c_params (a);
  pr (");\n");
}

static void
gen_internal_header (void)
{
  output_to ("internal-actions.h");
  pr ("/* Generated by gen from the action table.  Do not edit. */\n\n");
  pr ("#ifndef GUESTFS_INTERNAL_ACTIONS_H\n#define GUESTFS_INTERNAL_ACTIONS_H\n"
      "\n#include \"guestfs.h\"\n\n");
  for_each_action (emit_internal_prototype);
  pr ("\n/* Library-side implementations (libcore). */\n");
  for_each_action (emit_impl_prototype);
  pr ("\n#endif\n");
  close_output ();
}

static void
gen_client (void)
{
  output_to ("client-actions.c");
  pr ("/* Generated by gen from the action table.  Do not edit. */\n\n");
  pr ("#include <config.h>\n#include <errno.h>\n#include <stdarg.h>\n"
      "#include <stdlib.h>\n#include <string.h>\n\n"
      "#include \"guestfs.h\"\n#include \"guestfs-internal.h\"\n"
      "#include \"internal-actions.h\"\n"
      "#include \"guestfs_protocol.h\"\n\n");
  for_each_action (emit_client_action);
  for (const struct api_struct *s = api_structs; s->name; ++s) {
    pr ("GUESTFS_DLL_PUBLIC void\nguestfs_free_%s (struct guestfs_%s *p)\n{\n"
        "  if (p) {\n"
        "    xdr_free ((xdrproc_t) xdr_guestfs_int_%s, (char *) p);\n"
        "    free (p);\n  }\n}\n\n",
        s->name, s->name, s->name);
    pr ("GUESTFS_DLL_PUBLIC void\nguestfs_free_%s_list "
        "(struct guestfs_%s_list *p)\n{\n"
        "  if (p) {\n"
        "    xdr_free ((xdrproc_t) xdr_guestfs_int_%s_list, (char *) p);\n"
        "    free (p);\n  }\n}\n\n",
        s->name, s->name, s->name);
    pr ("_Static_assert (sizeof (struct guestfs_%s) == "
        "sizeof (struct guestfs_int_%s), \"layout of %s\");\n\n",
        s->name, s->name, s->name);
  }
  close_output ();
}

/* ---- Procedure table (shared by library, daemon and fuzzer) ---- */

static void
emit_proc_entry (const struct action *a)
{
  if (!is_daemon (a))
    return;
  pr ("  [%d] = { \"%s\", ", a->proc, a->name);
  if (has_wire_args (a))
    pr ("(xdrproc_t) xdr_guestfs_%s_args, sizeof (struct guestfs_%s_args), ",
        a->name, a->name);
  else
    pr ("NULL, 0, ");
  if (has_wire_ret (a))
    pr ("(xdrproc_t) xdr_guestfs_%s_ret, sizeof (struct guestfs_%s_ret), ",
        a->name, a->name);
  else
    pr ("NULL, 0, ");
  pr ("%d, %d },\n", filein_arg (a) != NULL, fileout_arg (a) != NULL);
}

static void
gen_proc_table (void)
{
  output_to ("proc-table.c");
  pr ("/* Generated by gen from the action table.  Do not edit. */\n\n");
  pr ("#include <config.h>\n#include \"guestfs_protocol.h\"\n"
      "#include \"proc-table.h\"\n\n");
  pr ("const struct proc_info proc_table[GUESTFS_PROC_NR_PROCS] = {\n");
  for_each_action (emit_proc_entry);
  pr ("};\n");
  close_output ();
}

/* ---- Daemon ---- */

static void
emit_daemon_params (const struct action *a)
{
  bool first = true;
#define SEP() (first ? (first = false, "") : ", ")
  FOR_ARGS (a, arg) {
    switch (arg->type) {
    case A_INT: case A_BOOL: pr ("%sint %s", SEP (), arg->name); break;
    case A_INT64: pr ("%sint64_t %s", SEP (), arg->name); break;
    case A_STRINGLIST: case A_DEVICELIST:
      pr ("%schar *const *%s", SEP (), arg->name);
      break;
    case A_BUFFERIN:
      pr ("%sconst char *%s, size_t %s_size", SEP (), arg->name, arg->name);
      break;
    case A_FILEIN: case A_FILEOUT: case A_END: break;
    default: pr ("%sconst char *%s", SEP (), arg->name); break;
    }
  }
  FOR_OPTARGS (a, oa)
    pr ("%s%s%s", SEP (), c_optarg_type (oa->type), oa->name);
  if (a->ret == R_BUFFEROUT)
    pr ("%ssize_t *size_r", SEP ());
  if (first)
    pr ("void");
#undef SEP
}

static const char *
daemon_ret_type (const struct action *a)
{
  static char buf[128];
  switch (a->ret) {
  case R_STRUCT:
    snprintf (buf, sizeof buf, "guestfs_int_%s *", a->ret_struct);
    return buf;
  case R_STRUCTLIST:
    snprintf (buf, sizeof buf, "guestfs_int_%s_list *", a->ret_struct);
    return buf;
  default:
    return c_ret_type (a);
  }
}

static void
emit_daemon_prototype (const struct action *a)
{
  if (!is_daemon (a))
    return;
  pr ("extern %sdo_%s (", daemon_ret_type (a), a->name);
  emit_daemon_params (a);
  pr (");\n");
}

static void
gen_daemon_header (void)
{
  output_to ("daemon-actions.h");
  pr ("/* Generated by gen from the action table.  Do not edit. */\n\n");
  pr ("#ifndef GUESTFSD_ACTIONS_H\n#define GUESTFSD_ACTIONS_H\n\n"
      "#include <stddef.h>\n#include <stdint.h>\n"
      "#include \"guestfs_protocol.h\"\n\n");
  pr ("/* Each returns the error value (-1 or NULL) after calling one of "
      "the\n * reply_with_error functions. */\n");
  for_each_action (emit_daemon_prototype);
  pr ("\n#endif\n");
  close_output ();
}

static void
emit_daemon_arg_checks (const struct action *a)
{
  FOR_ARGS (a, arg) {
    switch (arg->type) {
    case A_PATHNAME:
      pr ("  if (check_pathname (\"%s\", args.%s) == -1)\n    goto done;\n",
          arg->name, arg->name);
      break;
    case A_DEVICE:
      pr ("  if (resolve_device (\"%s\", &args.%s) == -1)\n    goto done;\n",
          arg->name, arg->name);
      break;
    case A_MOUNTABLE:
      pr ("  if (resolve_mountable (\"%s\", &args.%s) == -1)\n"
          "    goto done;\n",
          arg->name, arg->name);
      break;
    case A_DEVICELIST:
      pr ("  if (resolve_device_list (\"%s\", args.%s.%s_val, "
          "args.%s.%s_len) == -1)\n    goto done;\n",
          arg->name, arg->name, arg->name, arg->name, arg->name);
      break;
    default:
      break;
    }
  }
}

/* The list arguments arrive as {len, val}; the do_ functions take
 * NULL-terminated arrays. */
static void
emit_daemon_list_decls (const struct action *a)
{
  FOR_ARGS (a, arg)
    if (arg->type == A_STRINGLIST || arg->type == A_DEVICELIST)
      pr ("  char **%s = NULL;\n", arg->name);
  FOR_OPTARGS (a, oa)
    if (oa->type == O_STRINGLIST)
      pr ("  char **%s = NULL;\n", oa->name);
}

static void
emit_daemon_list_args (const struct action *a)
{
  FOR_ARGS (a, arg)
    if (arg->type == A_STRINGLIST || arg->type == A_DEVICELIST)
      pr ("  %s = terminate_list (args.%s.%s_val, args.%s.%s_len);\n"
          "  if (!%s)\n    goto done;\n",
          arg->name, arg->name, arg->name, arg->name, arg->name, arg->name);
  FOR_OPTARGS (a, oa)
    if (oa->type == O_STRINGLIST)
      pr ("  %s = terminate_list (args.%s.%s_val, args.%s.%s_len);\n"
          "  if (!%s)\n    goto done;\n",
          oa->name, oa->name, oa->name, oa->name, oa->name, oa->name);
}

static void
emit_daemon_call (const struct action *a)
{
  if (a->ret == R_BUFFEROUT)
    pr ("  size_t size = 0;\n");
  pr ("  %sr = do_%s (", daemon_ret_type (a), a->name);
  bool first = true;
#define SEP() (first ? (first = false, "") : ", ")
  FOR_ARGS (a, arg) {
    switch (arg->type) {
    case A_STRINGLIST: case A_DEVICELIST:
      pr ("%s%s", SEP (), arg->name);
      break;
    case A_BUFFERIN:
      pr ("%sargs.%s.%s_val, args.%s.%s_len", SEP (), arg->name, arg->name,
          arg->name, arg->name);
      break;
    case A_OPTSTRING:
      pr ("%sargs.%s ? *args.%s : NULL", SEP (), arg->name, arg->name);
      break;
    case A_FILEIN: case A_FILEOUT: case A_END: break;
    default: pr ("%sargs.%s", SEP (), arg->name); break;
    }
  }
  FOR_OPTARGS (a, oa)
    pr ("%s%s%s", SEP (), oa->type == O_STRINGLIST ? "" : "args.", oa->name);
  if (a->ret == R_BUFFEROUT)
    pr ("%s&size", SEP ());
#undef SEP
  pr (");\n");
}

static void
emit_daemon_reply (const struct action *a)
{
  const char *fail = error_value (a);
  if (a->ret == R_INT || a->ret == R_BOOL || a->ret == R_INT64 ||
      a->ret == R_ERR)
    pr ("  if (r == -1)\n    goto done;\n");
  else
    pr ("  if (r == %s)\n    goto done;\n", fail);
  if (fileout_arg (a)) {
    pr ("  /* do_%s sent the reply and the file itself. */\n", a->name);
    return;
  }
  switch (a->ret) {
  case R_ERR:
    pr ("  reply (NULL, NULL);\n");
    return;
  case R_INT: case R_BOOL: case R_INT64: case R_STRING:
    pr ("  struct guestfs_%s_ret ret = { .r = r };\n", a->name);
    break;
  case R_STRINGLIST: case R_HASHTABLE:
    pr ("  struct guestfs_%s_ret ret;\n"
        "  ret.r.r_len = count_strings (r);\n  ret.r.r_val = r;\n",
        a->name);
    break;
  case R_STRUCT:
    pr ("  struct guestfs_%s_ret ret = { .r = *r };\n", a->name);
    break;
  case R_STRUCTLIST:
    pr ("  struct guestfs_%s_ret ret = { .r = *r };\n", a->name);
    break;
  case R_BUFFEROUT:
    pr ("  struct guestfs_%s_ret ret;\n"
        "  ret.r.r_len = size;\n  ret.r.r_val = r;\n",
        a->name);
    break;
  case R_CONSTSTRING:
    abort ();
  }
  pr ("  reply ((xdrproc_t) xdr_guestfs_%s_ret, (char *) &ret);\n", a->name);
  switch (a->ret) {
  case R_STRUCT: case R_STRUCTLIST:
    pr ("  xdr_free ((xdrproc_t) xdr_guestfs_%s_ret, (char *) &ret);\n"
        "  free (r);\n",
        a->name);
    break;
  case R_STRING: case R_BUFFEROUT:
    pr ("  free (r);\n");
    break;
  case R_STRINGLIST: case R_HASHTABLE:
    pr ("  free_strings (r);\n");
    break;
  default:
    break;
  }
}

static void
emit_daemon_stub (const struct action *a)
{
  if (!is_daemon (a))
    return;
  pr ("static void\n%s_stub (XDR *xdr_in)\n{\n", a->name);
  bool wargs = has_wire_args (a);
  emit_daemon_list_decls (a);
  if (wargs) {
    pr ("  struct guestfs_%s_args args;\n  memset (&args, 0, sizeof args);\n",
        a->name);
    pr ("  if (!xdr_guestfs_%s_args (xdr_in, &args)) {\n"
        "    reply_with_error_errno (EINVAL, \"daemon failed to decode "
        "procedure arguments\");\n    goto done;\n  }\n",
        a->name);
  }
  else
    pr ("  (void) xdr_in;\n");
  if (has_optargs (a)) {
    pr ("  optargs_bitmask = args.optargs_bitmask;\n");
    pr ("  if (optargs_bitmask & ~UINT64_C(0x%llx)) {\n"
        "    reply_with_error_errno (EINVAL, \"unknown option in optional "
        "arguments bitmask (the library is newer than the daemon)\");\n"
        "    goto done;\n  }\n",
        (1ULL << count_optargs (a)) - 1);
  }
  else
    pr ("  optargs_bitmask = 0;\n");
  emit_daemon_arg_checks (a);
  emit_daemon_list_args (a);
  emit_daemon_call (a);
  emit_daemon_reply (a);
  if (!wargs)
    pr ("  return;\n");
  pr (" done:\n");
  FOR_ARGS (a, arg)
    if (arg->type == A_STRINGLIST || arg->type == A_DEVICELIST)
      pr ("  free (%s);\n", arg->name);
  FOR_OPTARGS (a, oa)
    if (oa->type == O_STRINGLIST)
      pr ("  free (%s);\n", oa->name);
  if (wargs)
    pr ("  xdr_free ((xdrproc_t) xdr_guestfs_%s_args, (char *) &args);\n",
        a->name);
  else
    pr ("  ;\n");
  pr ("}\n\n");
}

static void
emit_dispatch_case (const struct action *a)
{
  if (is_daemon (a))
    pr ("  case GUESTFS_PROC_%s:\n    %s_stub (xdr_in);\n    break;\n",
        upper (a->name), a->name);
}

static void
gen_daemon_dispatch (void)
{
  output_to ("daemon-dispatch.c");
  pr ("/* Generated by gen from the action table.  Do not edit. */\n\n");
  pr ("#include <config.h>\n#include <errno.h>\n#include <stdint.h>\n"
      "#include <stdlib.h>\n#include <string.h>\n\n"
      "#include \"daemon.h\"\n#include \"daemon-actions.h\"\n\n");
  for_each_action (emit_daemon_stub);
  pr ("void\ndispatch_incoming_message (unsigned proc, XDR *xdr_in)\n{\n"
      "  switch (proc) {\n");
  for_each_action (emit_dispatch_case);
  pr ("  default:\n"
      "    reply_with_error_errno (ENOSYS, \"unknown procedure number %%u\", "
      "proc);\n  }\n}\n");
  close_output ();
}

/* ---- Documentation ---- */

static const char *
pod_ret_doc (const struct action *a)
{
  switch (a->ret) {
  case R_ERR: return "This function returns 0 on success or -1 on error.";
  case R_INT:
    return "On error this function returns -1.";
  case R_INT64:
    return "On error this function returns -1.";
  case R_BOOL:
    return "This function returns a C truth value on success or -1 on "
           "error.";
  case R_CONSTSTRING:
    return "This function returns a string, or NULL on error.  The string "
           "is owned by the handle and must I<not> be freed.";
  case R_STRING:
    return "This function returns a string, or NULL on error.  I<The caller "
           "must free the returned string after use>.";
  case R_STRINGLIST:
    return "This function returns a NULL-terminated array of strings, or "
           "NULL on error.  I<The caller must free the strings and the "
           "array after use>.";
  case R_HASHTABLE:
    return "This function returns a NULL-terminated array of strings, "
           "alternately keys and values, or NULL on error.  I<The caller "
           "must free the strings and the array after use>.";
  case R_STRUCT:
    return "This function returns a struct, or NULL on error.  I<The "
           "caller must call the matching guestfs_free_* function after "
           "use>.";
  case R_STRUCTLIST:
    return "This function returns a list of structs, or NULL on error.  "
           "I<The caller must call the matching guestfs_free_*_list "
           "function after use>.";
  case R_BUFFEROUT:
    return "This function returns a buffer, or NULL on error.  The size "
           "is returned in C<*size_r>.  I<The caller must free the buffer "
           "after use>.";
  }
  abort ();
}

static void
emit_pod_synopsis (const struct action *a, const char *name, const char *tail)
{
  pr (" %sguestfs_%s (guestfs_h *g", c_ret_type (a), name);
  emit_c_params (a);
  pr ("%s);\n", tail);
}

static void
emit_pod_action (const struct action *a)
{
  if (a->flags & FL_INTERNAL)
    return;
  pr ("=head2 guestfs_%s\n\n", a->name);
  if (has_optargs (a)) {
    if (a->flags & FL_ONCE_HAD_NO_OPTARGS)
      emit_pod_synopsis (a, a->name, "");
    emit_pod_synopsis (a, c_name (a), ",\n    ...");
    pr ("\nYou may supply a list of optional arguments to this call.  Use "
        "zero or more of the following pairs of parameters, and set the "
        "last parameter to C<-1>:\n\n");
    FOR_OPTARGS (a, oa)
      pr (" GUESTFS_%s_%s, %s%s,\n", upper (c_name (a)), upper (oa->name),
          c_optarg_type (oa->type), oa->name);
    pr ("\nThe C<_va> and C<_argv> variants take a C<va_list> and a "
        "C<struct guestfs_%s_argv> with a bitmask instead.\n\n",
        c_name (a));
  }
  else {
    emit_pod_synopsis (a, a->name, "");
    pr ("\n");
  }
  pr ("%s\n\n", a->doc);
  pr ("%s\n\n", pod_ret_doc (a));
  if (has_arg_type (a, A_KEY))
    pr ("This function takes a key or passphrase parameter which could "
        "contain sensitive material.  It is never traced or logged.  Read "
        "the section L</KEYS AND PASSPHRASES>.\n\n");
  if (a->flags & FL_PROGRESS)
    pr ("This long-running command can generate progress notification "
        "messages (C<GUESTFS_EVENT_PROGRESS>).\n\n");
  if (a->ret == R_BUFFEROUT || a->ret == R_STRING ||
      has_arg_type (a, A_BUFFERIN) || a->ret == R_STRINGLIST)
    pr ("Because of the message protocol, there is a transfer limit "
        "somewhere below 4MB.  See L</PROTOCOL LIMITS>.\n\n");
  if (a->group)
    pr ("This function depends on the feature C<%s>.  See also "
        "C<guestfs_available>.\n\n",
        a->group);
}

static void
emit_action_name (const struct action *a)
{
  if (a->flags & FL_INTERNAL)
    return;
  pr ("%s %s\n", a->name, is_daemon (a) ? "daemon" : "library");
}

static int
compare_actions (const void *x, const void *y)
{
  const struct action *const *a = x, *const *b = y;
  return strcmp ((*a)->name, (*b)->name);
}

static void
gen_pod (void)
{
  const struct action *all[1024];
  size_t n = 0;
  for (size_t t = 0; action_tables[t]; ++t)
    for (const struct action *a = action_tables[t]; a->name; ++a)
      if (n < sizeof all / sizeof all[0])
        all[n++] = a;
  qsort (all, n, sizeof all[0], compare_actions);
  output_to ("guestfs-actions.pod");
  for (size_t i = 0; i < n; ++i)
    emit_pod_action (all[i]);
  pr ("=head1 STRUCTURES\n\n");
  for (const struct api_struct *s = api_structs; s->name; ++s) {
    pr ("=head2 guestfs_%s\n\n struct guestfs_%s {\n", s->name, s->name);
    for (const struct field *f = s->fields;
         f < s->fields + MAX_FIELDS && f->type != F_END; ++f) {
      if (f->type == F_BUFFER)
        pr ("   uint32_t %s_len;\n   char *%s;\n", f->name, f->name);
      else
        pr ("   %s%s;\n", c_field_type (f->type), f->name);
    }
    pr (" };\n\n struct guestfs_%s_list {\n   uint32_t len;\n"
        "   struct guestfs_%s *val;\n };\n\n"
        " void guestfs_free_%s (struct guestfs_%s *);\n"
        " void guestfs_free_%s_list (struct guestfs_%s_list *);\n\n%s\n\n",
        s->name, s->name, s->name, s->name, s->name, s->name, s->doc);
  }
  close_output ();

  output_to ("actions.list");
  for (size_t i = 0; i < n; ++i)
    emit_action_name (all[i]);
  close_output ();
}

/* ---- Consistency checks: a bad table is a build error. ---- */

static int checked_procs[4096];

static void
check_action (const struct action *a)
{
  if (a->proc < 0 || a->proc >= 4096) {
    fprintf (stderr, "gen: %s: bad procedure number %d\n", a->name, a->proc);
    exit (EXIT_FAILURE);
  }
  if (a->proc > 0) {
    if (checked_procs[a->proc]) {
      fprintf (stderr, "gen: %s: procedure number %d is already used\n",
               a->name, a->proc);
      exit (EXIT_FAILURE);
    }
    checked_procs[a->proc] = 1;
    if (a->ret == R_CONSTSTRING) {
      fprintf (stderr, "gen: %s: RConstString is library-side only\n",
               a->name);
      exit (EXIT_FAILURE);
    }
  }
  if ((a->ret == R_STRUCT || a->ret == R_STRUCTLIST) && !a->ret_struct) {
    fprintf (stderr, "gen: %s: struct return without ret_struct\n", a->name);
    exit (EXIT_FAILURE);
  }
  if (!a->doc || !a->shortdesc) {
    fprintf (stderr, "gen: %s: missing documentation\n", a->name);
    exit (EXIT_FAILURE);
  }
}

int
main (int argc, char *argv[])
{
  if (argc != 3) {
    fprintf (stderr, "usage: gen OUTDIR HEADER_TEMPLATE\n");
    return EXIT_FAILURE;
  }
  outdir = argv[1];
  for_each_action (check_action);
  gen_protocol_x ();
  gen_header (argv[2]);
  gen_internal_header ();
  gen_client ();
  gen_proc_table ();
  gen_daemon_header ();
  gen_daemon_dispatch ();
  gen_pod ();
  return EXIT_SUCCESS;
}
