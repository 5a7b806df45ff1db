/* The table check: a bad table is a build error, reported with the
 * file and action at fault. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define MAX_PROC 4096

static void __attribute__ ((noreturn, format (printf, 3, 4)))
fail (const struct action_table *t, const struct action *a, const char *fmt,
      ...);

static void
fail (const struct action_table *t, const struct action *a, const char *fmt,
      ...)
{
  va_list ap;
  fprintf (stderr, "gen: %s: %s: ", t->file, a->name);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
  exit (EXIT_FAILURE);
}

/* A daemon action's number must lie in its file's range (tables.c). */
static void
check_proc_range (const struct action_table *t, const struct action *a)
{
  if (a->proc == 0)
    return;
  if (t->first_proc == 0)
    fail (t, a,
          "procedure number %d: this file holds library-side actions only "
          "(proc 0); move the action to the file of its area",
          a->proc);
  if (a->proc < t->first_proc || a->proc > t->last_proc)
    fail (t, a,
          "procedure number %d is outside %d-%d, the range of this file "
          "(%s); see generator/tables.c",
          a->proc, t->first_proc, t->last_proc, t->area);
}

/* Device names in replies are translated by the daemon's dispatcher,
 * so only a daemon action's strings can be marked. */
static void
check_ret_devices (const struct action_table *t, const struct action *a)
{
  if (a->ret_devices == RD_NONE)
    return;
  if (a->proc == 0)
    fail (t, a, "ret_devices on a library-side action: its names come "
                "from daemon actions, which translate them");
  if (a->ret_devices == RD_ALL && a->ret != R_STRING &&
      a->ret != R_STRINGLIST)
    fail (t, a, "RD_ALL needs a string or string list return");
  if (a->ret_devices == RD_TEXT && a->ret != R_STRING)
    fail (t, a, "RD_TEXT needs a string return");
  if ((a->ret_devices == RD_KEYS || a->ret_devices == RD_VALUES) &&
      a->ret != R_HASHTABLE)
    fail (t, a, "RD_KEYS and RD_VALUES need a hashtable return");
}

static void
check_action (const struct action_table *t, const struct action *a)
{
  static bool used[MAX_PROC];

  if (a->proc < 0 || a->proc >= MAX_PROC)
    fail (t, a, "bad procedure number %d", a->proc);
  check_proc_range (t, a);
  if (a->proc > 0) {
    if (used[a->proc])
      fail (t, a, "procedure number %d is already used", a->proc);
    used[a->proc] = true;
    if (a->ret == R_CONSTSTRING)
      fail (t, a, "RConstString is library-side only");
  }
  FOR_ARGS (a, arg)
    if (a->proc != 0 && arg->type == A_POINTER)
      fail (t, a, "a pointer argument cannot travel to the daemon");
  if ((a->flags & FL_UNAVAILABLE) && a->proc != 0)
    fail (t, a, "an unavailable action has no procedure number");
  if ((a->ret == R_STRUCT || a->ret == R_STRUCTLIST) && !a->ret_struct)
    fail (t, a, "struct return without ret_struct");
  check_ret_devices (t, a);
  if (!a->doc || !a->shortdesc)
    fail (t, a, "missing documentation");
}

/* The ranges themselves must not overlap, or a number could be valid in
 * two files. */
static void
check_ranges (const struct action_table *tables)
{
  for (const struct action_table *t = tables; t->file; ++t) {
    if (t->first_proc > t->last_proc || t->last_proc >= MAX_PROC) {
      fprintf (stderr, "gen: tables.c: %s: bad range %d-%d\n", t->file,
               t->first_proc, t->last_proc);
      exit (EXIT_FAILURE);
    }
    for (const struct action_table *u = tables; u < t; ++u)
      if (t->first_proc != 0 && u->first_proc != 0 &&
          t->first_proc <= u->last_proc && u->first_proc <= t->last_proc) {
        fprintf (stderr, "gen: tables.c: the ranges of %s and %s overlap\n",
                 u->file, t->file);
        exit (EXIT_FAILURE);
      }
  }
}

/* A name is the C function's name: declared twice, it would be two
 * definitions of one symbol.  Compared with every action before it. */
static void
check_unique_name (const struct action_table *tables,
                   const struct action_table *t, const struct action *a)
{
  for (const struct action_table *u = tables; u <= t; ++u)
    for (const struct action *b = u->actions; b->name && b != a; ++b)
      if (strcmp (a->name, b->name) == 0)
        fail (t, a, "the name is already declared in %s", u->file);
}

void
check_table (const struct action_table *tables)
{
  check_ranges (tables);
  for (const struct action_table *t = tables; t->file; ++t)
    for (const struct action *a = t->actions; a->name; ++a) {
      check_action (t, a);
      check_unique_name (tables, t, a);
    }
}
