/* client-actions.c: the library's stub for each action.  A stub takes
 * the lock, traces the call, checks its arguments and the handle's
 * state, then calls the daemon (or the library-side guestfs_impl_*),
 * converts the reply and traces the result.  Actions with optional
 * arguments get the variadic, _va and _argv entry points as well. */
#include <stdio.h>
#include <stdlib.h>

#include "gen.h"

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
  case A_POINTER: return "guestfs_int_trace_ptr";
  default: return "guestfs_int_trace_str";
  }
}

static const char *
trace_optarg_fn (enum optarg_type t)
{
  switch (t) {
  case O_BOOL: return "guestfs_int_trace_opt_bool";
  case O_INT: return "guestfs_int_trace_opt_int";
  case O_INT64: return "guestfs_int_trace_opt_int64";
  case O_STRING: return "guestfs_int_trace_opt_str";
  case O_STRINGLIST: return "guestfs_int_trace_opt_strlist";
  case O_END: break;
  }
  abort ();
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
      pr ("      %s (tb, \"%s\", optargs->%s);\n",
          trace_optarg_fn (oa->type), oa->name, oa->name);
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
    case A_FILEIN: case A_FILEOUT: case A_POINTER: case A_END:
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

/* The arguments passed on to another entry point or to guestfs_impl_*. */
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
emit_call_impl (const struct action *a, bool optargs)
{
  pr ("  r = guestfs_impl_%s (g", a->name);
  emit_forward_args (a);
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

/* An action not implemented yet fails as libguestfs does without the
 * action's group. */
static void
emit_unavailable (const struct action *a)
{
  if (a->group)
    pr ("  guestfs_int_unavailable (g, \"%s\", \"%s\", %d);\n", a->name,
        a->group, group_missing (a->group));
  else
    pr ("  guestfs_int_unavailable (g, \"%s\", NULL, 0);\n", a->name);
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
        optargs_mask (a), a->name);
  emit_state_check (a);
  if (a->flags & FL_UNAVAILABLE)
    emit_unavailable (a);
  else if (is_daemon (a))
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
  /* Internal actions are exported too, as libguestfs's are (its
   * GUESTFS_PRIVATE symbols), though not declared in guestfs.h. */
  pr ("GUESTFS_DLL_PUBLIC %s\nguestfs_%s (guestfs_h *g", c_ret_type (a),
      name);
  pr_c_params (a);
  pr ("%s)\n", tail);
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
    pr ("      optargs_s.%s = va_arg (args, %s);\n      break;\n", oa->name,
        c_arg_type (optarg_arg_type (oa->type)));
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
  /* The last named parameter: a BufferIn ends with its size. */
  const char *last = "g", *suffix = "";
  FOR_ARGS (a, arg) {
    last = arg->name;
    suffix = arg->type == A_BUFFERIN ? "_size" : "";
  }
  if (a->ret == R_BUFFEROUT)
    last = "size_r", suffix = "";
  pr ("  va_start (args, %s%s);\n", last, suffix);
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


/* ---- Struct helpers: copy and compare, as libguestfs has them ---- */

static bool
is_pointer_field (enum field_type t)
{
  return t == F_STRING || t == F_BUFFER;
}

/* copy_NAME_fields: *dst becomes a deep copy of *src.  On failure the
 * pointers not yet copied are NULL, so that dst can be freed. */
static void
emit_struct_copy_fields (const struct api_struct *s)
{
  pr ("static int\ncopy_%s_fields (struct guestfs_%s *dst, "
      "const struct guestfs_%s *src)\n{\n  *dst = *src;\n",
      s->name, s->name, s->name);
  FOR_FIELDS (s, f)
    if (is_pointer_field (f->type))
      pr ("  dst->%s = NULL;\n", f->name);
  FOR_FIELDS (s, f) {
    if (f->type == F_STRING)
      pr ("  if (src->%s && (dst->%s = strdup (src->%s)) == NULL)\n"
          "    return -1;\n",
          f->name, f->name, f->name);
    else if (f->type == F_BUFFER)
      pr ("  if (src->%s_len > 0) {\n"
          "    if ((dst->%s = malloc (src->%s_len)) == NULL)\n"
          "      return -1;\n"
          "    memcpy (dst->%s, src->%s, src->%s_len);\n  }\n",
          f->name, f->name, f->name, f->name, f->name, f->name);
  }
  pr ("  return 0;\n}\n\n");
}

static void
emit_struct_copy (const struct api_struct *s)
{
  const char *n = s->name;
  emit_struct_copy_fields (s);
  pr ("GUESTFS_DLL_PUBLIC struct guestfs_%s *\nguestfs_copy_%s "
      "(const struct guestfs_%s *src)\n{\n"
      "  struct guestfs_%s *dst = malloc (sizeof *dst);\n"
      "  if (dst == NULL)\n    return NULL;\n"
      "  if (copy_%s_fields (dst, src) == -1) {\n"
      "    guestfs_free_%s (dst);\n    return NULL;\n  }\n"
      "  return dst;\n}\n\n",
      n, n, n, n, n, n);
  pr ("GUESTFS_DLL_PUBLIC struct guestfs_%s_list *\nguestfs_copy_%s_list "
      "(const struct guestfs_%s_list *src)\n{\n"
      "  struct guestfs_%s_list *dst = malloc (sizeof *dst);\n"
      "  if (dst == NULL)\n    return NULL;\n"
      "  dst->len = 0;\n"
      "  dst->val = calloc (src->len ? src->len : 1, sizeof *dst->val);\n"
      "  if (dst->val == NULL) {\n    free (dst);\n    return NULL;\n  }\n"
      "  for (uint32_t i = 0; i < src->len; ++i) {\n"
      "    dst->len = i + 1;\n"
      "    if (copy_%s_fields (&dst->val[i], &src->val[i]) == -1) {\n"
      "      guestfs_free_%s_list (dst);\n      return NULL;\n    }\n  }\n"
      "  return dst;\n}\n\n",
      n, n, n, n, n, n);
}

static void
emit_field_compare (const struct field *f)
{
  switch (f->type) {
  case F_STRING:
    pr ("  if ((r = compare_strings (a->%s, b->%s)) != 0)\n    return r;\n",
        f->name, f->name);
    break;
  case F_BUFFER:
    pr ("  if ((r = compare_buffers (a->%s, a->%s_len, b->%s, b->%s_len)) "
        "!= 0)\n    return r;\n",
        f->name, f->name, f->name, f->name);
    break;
  case F_UUID:
    pr ("  if ((r = memcmp (a->%s, b->%s, 32)) != 0)\n    return r;\n",
        f->name, f->name);
    break;
  default:
    pr ("  if (a->%s != b->%s)\n    return a->%s < b->%s ? -1 : 1;\n",
        f->name, f->name, f->name, f->name);
    break;
  }
}

static void
emit_struct_compare (const struct api_struct *s)
{
  const char *n = s->name;
  pr ("GUESTFS_DLL_PUBLIC int\nguestfs_compare_%s (const struct guestfs_%s "
      "*a, const struct guestfs_%s *b)\n{\n  int r = 0;\n",
      n, n, n);
  FOR_FIELDS (s, f)
    emit_field_compare (f);
  pr ("  return r;\n}\n\n");
  pr ("GUESTFS_DLL_PUBLIC int\nguestfs_compare_%s_list "
      "(const struct guestfs_%s_list *a, const struct guestfs_%s_list *b)\n"
      "{\n"
      "  if (a->len != b->len)\n    return a->len < b->len ? -1 : 1;\n"
      "  for (uint32_t i = 0; i < a->len; ++i) {\n"
      "    int r = guestfs_compare_%s (&a->val[i], &b->val[i]);\n"
      "    if (r != 0)\n      return r;\n  }\n  return 0;\n}\n\n",
      n, n, n, n);
}

static void
emit_struct_helpers (void)
{
  pr ("static int __attribute__ ((unused))\n"
      "compare_strings (const char *a, const char *b)\n{\n"
      "  if (a == NULL || b == NULL)\n"
      "    return (a != NULL) - (b != NULL);\n"
      "  return strcmp (a, b);\n}\n\n");
  pr ("static int __attribute__ ((unused))\n"
      "compare_buffers (const char *a, uint32_t alen, const char *b, "
      "uint32_t blen)\n{\n"
      "  uint32_t n = alen < blen ? alen : blen;\n"
      "  int r = n > 0 ? memcmp (a, b, n) : 0;\n"
      "  if (r != 0 || alen == blen)\n    return r;\n"
      "  return alen < blen ? -1 : 1;\n}\n\n");
  for (const struct api_struct *s = api_structs; s->name; ++s) {
    emit_struct_copy (s);
    emit_struct_compare (s);
  }
}

void
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
  emit_struct_helpers ();
  close_output ();
}
