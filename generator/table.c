/* Walking the action table and asking about one action: see gen.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

void
for_each_action (action_fn fn)
{
  for (const struct action_table *t = action_tables; t->file; ++t)
    for (const struct action *a = t->actions; a->name; ++a)
      fn (a);
}

static int
compare_actions (const void *x, const void *y)
{
  const struct action *const *a = x, *const *b = y;
  return strcmp ((*a)->name, (*b)->name);
}

size_t
sorted_actions (const struct action ***all_r)
{
  static const struct action *all[1024];
  size_t n = 0;
  for (const struct action_table *t = action_tables; t->file; ++t)
    for (const struct action *a = t->actions; a->name; ++a)
      if (n < sizeof all / sizeof all[0])
        all[n++] = a;
  qsort (all, n, sizeof all[0], compare_actions);
  *all_r = all;
  return n;
}

bool
is_daemon (const struct action *a)
{
  return a->proc > 0;
}

bool
has_optargs (const struct action *a)
{
  return a->optargs[0].type != O_END;
}

unsigned long long
optargs_mask (const struct action *a)
{
  size_t n = 0;
  while (n < MAX_OPTARGS && a->optargs[n].type != O_END)
    ++n;
  return (1ULL << n) - 1;
}

bool
has_arg_type (const struct action *a, enum arg_type t)
{
  FOR_ARGS (a, arg)
    if (arg->type == t)
      return true;
  return false;
}

/* Arguments that travel in the XDR args struct. */
static bool
arg_on_wire (const struct arg *arg)
{
  return arg->type != A_FILEIN && arg->type != A_FILEOUT;
}

bool
has_wire_args (const struct action *a)
{
  if (has_optargs (a))
    return true;
  FOR_ARGS (a, arg)
    if (arg_on_wire (arg))
      return true;
  return false;
}

bool
has_wire_ret (const struct action *a)
{
  return a->ret != R_ERR;
}

static const char *
arg_of_type (const struct action *a, enum arg_type t)
{
  FOR_ARGS (a, arg)
    if (arg->type == t)
      return arg->name;
  return NULL;
}

const char *
filein_arg (const struct action *a)
{
  return arg_of_type (a, A_FILEIN);
}

const char *
fileout_arg (const struct action *a)
{
  return arg_of_type (a, A_FILEOUT);
}

const char *
c_name (const struct action *a)
{
  static char buf[256];
  snprintf (buf, sizeof buf, "%s%s", a->name,
            (a->flags & FL_ONCE_HAD_NO_OPTARGS) ? "_opts" : "");
  return buf;
}

const char *
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

bool
group_missing (const char *group)
{
  bool seen = false;
  for (const char *const *p = provided_groups; *p; ++p)
    if (strcmp (*p, group) == 0)
      return false;
  for (const struct action_table *t = action_tables; t->file; ++t)
    for (const struct action *a = t->actions; a->name; ++a)
      if (a->group && strcmp (a->group, group) == 0) {
        if (!(a->flags & FL_UNAVAILABLE))
          return false;
        seen = true;
      }
  return seen;
}
