/* daemon-dispatch.c: one stub per daemon action that decodes the XDR
 * arguments, checks and translates paths and devices, calls do_NAME,
 * encodes the reply and frees what it decoded; and the switch that
 * routes a procedure number to its stub. */
#include <stdbool.h>
#include <stdlib.h>

#include "gen.h"

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
    if (is_list_arg (arg->type))
      pr ("  char **%s = NULL;\n", arg->name);
  FOR_OPTARGS (a, oa)
    if (oa->type == O_STRINGLIST)
      pr ("  char **%s = NULL;\n", oa->name);
}

static void
emit_daemon_list_args (const struct action *a)
{
  FOR_ARGS (a, arg)
    if (is_list_arg (arg->type))
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
    case A_FILEIN: case A_FILEOUT: case A_POINTER: case A_END: break;
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

/* Device names in the reply, as callers name disks. */
static void
emit_callers_device_names (const struct action *a)
{
  switch (a->ret_devices) {
  case RD_NONE:
    return;
  case RD_ALL:
    if (a->ret == R_STRING)
      pr ("  callers_device_name (r);\n");
    else
      pr ("  callers_device_names (r, 0, 1);\n");
    return;
  case RD_KEYS:
    pr ("  callers_device_names (r, 0, 2);\n");
    return;
  case RD_VALUES:
    pr ("  callers_device_names (r, 1, 2);\n");
    return;
  case RD_TEXT:
    pr ("  callers_names_in_text (r);\n");
    return;
  }
}

static void
emit_daemon_reply (const struct action *a)
{
  pr ("  if (r == %s)\n    goto done;\n", error_value (a));
  if (fileout_arg (a)) {
    pr ("  /* do_%s sent the reply and the file itself. */\n", a->name);
    return;
  }
  emit_callers_device_names (a);
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
        optargs_mask (a));
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
  /* Keys are wiped on every path, whether the action ran or not (the
   * received message is wiped too: see daemon/proto.c). */
  FOR_ARGS (a, arg)
    if (arg->type == A_KEY)
      pr ("  if (args.%s)\n    explicit_bzero (args.%s, strlen (args.%s));\n",
          arg->name, arg->name, arg->name);
  FOR_OPTARGS (a, oa)
    if (oa->type == O_KEY)
      pr ("  if (args.%s)\n    explicit_bzero (args.%s, strlen (args.%s));\n",
          oa->name, oa->name, oa->name);
  FOR_ARGS (a, arg)
    if (is_list_arg (arg->type))
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

void
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
