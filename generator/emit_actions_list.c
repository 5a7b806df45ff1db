/* actions.list: one public action a line, "NAME daemon" or "NAME
 * library", sorted by name, for the tests that check every action. */
#include "gen.h"

void
gen_actions_list (void)
{
  const struct action **all;
  size_t n = sorted_actions (&all);
  output_to ("actions.list");
  for (size_t i = 0; i < n; ++i)
    if (!(all[i]->flags & FL_INTERNAL))
      pr ("%s %s\n", all[i]->name, is_daemon (all[i]) ? "daemon" : "library");
  close_output ();
}
