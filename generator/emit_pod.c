/* guestfs-actions.pod: the ACTIONS and STRUCTURES sections of
 * guestfs(3), sorted by name. */
#include <stdlib.h>

#include "gen.h"

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
  pr_c_params (a);
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
      pr (" GUESTFS_%s_%s, %s,\n", upper (c_name (a)), upper (oa->name),
          c_optarg_decl (oa));
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

void
gen_pod (void)
{
  const struct action **all;
  size_t n = sorted_actions (&all);
  output_to ("guestfs-actions.pod");
  for (size_t i = 0; i < n; ++i)
    emit_pod_action (all[i]);
  pr ("=head1 STRUCTURES\n\n");
  for (const struct api_struct *s = api_structs; s->name; ++s) {
    pr ("=head2 guestfs_%s\n\n struct guestfs_%s {\n", s->name, s->name);
    pr_c_fields (s, "   ");
    pr (" };\n\n struct guestfs_%s_list {\n   uint32_t len;\n"
        "   struct guestfs_%s *val;\n };\n\n"
        " void guestfs_free_%s (struct guestfs_%s *);\n"
        " void guestfs_free_%s_list (struct guestfs_%s_list *);\n\n%s\n\n",
        s->name, s->name, s->name, s->name, s->name, s->name, s->doc);
  }
  close_output ();
}
