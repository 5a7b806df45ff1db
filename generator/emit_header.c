/* guestfs.h: the public header.  The template (libcore/guestfs.h.in)
 * holds the hand-written part; the generated declarations replace its
 * @GENERATED_DECLARATIONS@ line.
 *
 * The generated part is a list of sections (header_sections below), and
 * each section a loop over the structs or the actions.  A new kind of
 * declaration is one more function in a section, or one more section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* Feature-test macros, one per struct and per entry point, so that
 * callers can test for an API at compile time. */
static void
pr_have (const char *kind, const char *name)
{
  pr ("#define GUESTFS_HAVE_%s%s 1\n", kind, upper (name));
  pr ("#define LIBGUESTFS_HAVE_%s%s 1\n", kind, upper (name));
}

static void
pr_prototype (const struct action *a, const char *name, const char *tail)
{
  pr ("extern GUESTFS_DLL_PUBLIC %sguestfs_%s (guestfs_h *g", c_ret_type (a),
      name);
  pr_c_params (a);
  pr ("%s);\n", tail);
}

/* ---- Structs ---- */

static void
emit_header_struct (const struct api_struct *s)
{
  pr ("\n");
  pr_have ("STRUCT_", s->name);
  pr ("struct guestfs_%s {\n", s->name);
  pr_c_fields (s, "  ");
  pr ("};\n");
  pr ("struct guestfs_%s_list {\n  uint32_t len;\n"
      "  struct guestfs_%s *val;\n};\n",
      s->name, s->name);
  pr ("extern GUESTFS_DLL_PUBLIC int guestfs_compare_%s "
      "(const struct guestfs_%s *, const struct guestfs_%s *);\n",
      s->name, s->name, s->name);
  pr ("extern GUESTFS_DLL_PUBLIC int guestfs_compare_%s_list "
      "(const struct guestfs_%s_list *, const struct guestfs_%s_list *);\n",
      s->name, s->name, s->name);
  pr ("extern GUESTFS_DLL_PUBLIC struct guestfs_%s *guestfs_copy_%s "
      "(const struct guestfs_%s *);\n",
      s->name, s->name, s->name);
  pr ("extern GUESTFS_DLL_PUBLIC struct guestfs_%s_list *guestfs_copy_%s_list "
      "(const struct guestfs_%s_list *);\n",
      s->name, s->name, s->name);
  pr ("extern GUESTFS_DLL_PUBLIC void guestfs_free_%s (struct guestfs_%s *);\n",
      s->name, s->name);
  pr ("extern GUESTFS_DLL_PUBLIC void guestfs_free_%s_list "
      "(struct guestfs_%s_list *);\n",
      s->name, s->name);
}

static void
emit_header_structs (void)
{
  pr ("/* Structures. */\n");
  for (const struct api_struct *s = api_structs; s->name; ++s)
    emit_header_struct (s);
}

/* ---- Actions ---- */

/* GUESTFS_NAME_OPT (the index passed to the variadic call) and
 * GUESTFS_NAME_OPT_BITMASK (its bit in the _argv struct). */
static void
emit_optarg_constants (const struct action *a, const char *name)
{
  size_t i = 0;
  FOR_OPTARGS (a, oa) {
    char up[256];
    snprintf (up, sizeof up, "%s", upper (name));
    pr ("#define GUESTFS_%s_%s %zu\n", up, upper (oa->name), i);
    pr ("#define GUESTFS_%s_%s_BITMASK (UINT64_C(1)<<%zu)\n", up,
        upper (oa->name), i);
    ++i;
  }
}

static void
emit_argv_struct (const struct action *a, const char *name)
{
  pr ("struct guestfs_%s_argv {\n  uint64_t bitmask;\n", name);
  FOR_OPTARGS (a, oa)
    pr ("  %s;\n", c_optarg_decl (oa));
  pr ("};\n");
}

/* NAME (...), NAME_va (va_list) and NAME_argv (struct). */
static void
emit_optargs_entry_points (const struct action *a, const char *name)
{
  emit_optarg_constants (a, name);
  pr_prototype (a, name, ", ...");
  char vaname[300];
  snprintf (vaname, sizeof vaname, "%s_va", name);
  pr_prototype (a, vaname, ", va_list args");
  emit_argv_struct (a, name);
  char argvname[300];
  snprintf (argvname, sizeof argvname, "%s_argv", name);
  char tail[400];
  snprintf (tail, sizeof tail, ", const struct guestfs_%s_argv *optargs",
            name);
  pr_prototype (a, argvname, tail);
}

static void
emit_header_action (const struct action *a)
{
  if (a->flags & FL_INTERNAL)
    return;
  pr ("\n");
  pr_have ("", a->name);
  if (!has_optargs (a)) {
    pr_prototype (a, a->name, "");
    return;
  }
  if (a->flags & FL_ONCE_HAD_NO_OPTARGS) {
    pr_prototype (a, a->name, "");
    pr_have ("", c_name (a));
  }
  char name[256];
  snprintf (name, sizeof name, "%s", c_name (a));
  emit_optargs_entry_points (a, name);
}

static void
emit_header_actions (void)
{
  pr ("\n/* Actions. */\n");
  for_each_action (emit_header_action);
}

/* The generated part of the header, in order. */
static void (*const header_sections[]) (void) = {
  emit_header_structs,
  emit_header_actions,
};

void
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
  pr_bytes (tmpl, at - tmpl);
  for (size_t i = 0; i < sizeof header_sections / sizeof header_sections[0];
       ++i)
    header_sections[i] ();
  pr ("%s", at + strlen (marker));
  free (tmpl);
  close_output ();
}
