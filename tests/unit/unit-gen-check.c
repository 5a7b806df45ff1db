/* The generator's table check (generator/check.c): a misplaced
 * procedure number, a daemon action among the library-side ones, a
 * reused number, overlapping ranges, or device names marked in a reply
 * that cannot hold them each stop the build with a message naming the
 * file and the action.  Each case runs the check in a child, since a
 * failed check exits. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "gen.h"

#define ACTION(n, p)                                                         \
  { .name = (n), .proc = (p), .ret = R_ERR, .shortdesc = "test",            \
    .doc = "test" }
#define END_ACTIONS { .name = NULL }
#define END_TABLES { NULL, NULL, 0, 0, NULL }

static const struct action config_ok[] = { ACTION ("set_x", 0),
                                           END_ACTIONS };
static const struct action config_daemon[] = { ACTION ("set_x", 0),
                                               ACTION ("stray", 5),
                                               END_ACTIONS };
static const struct action core_ok[] = { ACTION ("first", 1),
                                         ACTION ("last", 99),
                                         ACTION ("library_side", 0),
                                         END_ACTIONS };
static const struct action core_misplaced[] = { ACTION ("first", 1),
                                                ACTION ("misplaced", 150),
                                                END_ACTIONS };
static const struct action core_reused[] = { ACTION ("first", 1),
                                             ACTION ("again", 1),
                                             END_ACTIONS };
static const struct action files_ok[] = { ACTION ("file", 100), END_ACTIONS };
static const struct action files_same_name[] = { ACTION ("first", 100),
                                                 END_ACTIONS };

/* Device names in replies: only a daemon action's strings. */
static const struct action devices_library[] = {
  { .name = "lib_devs", .ret = R_STRINGLIST, .ret_devices = RD_ALL,
    .shortdesc = "test", .doc = "test" },
  END_ACTIONS };
static const struct action devices_on_int[] = {
  { .name = "int_devs", .proc = 1, .ret = R_INT, .ret_devices = RD_ALL,
    .shortdesc = "test", .doc = "test" },
  END_ACTIONS };
static const struct action devices_keys_of_list[] = {
  { .name = "keys_devs", .proc = 1, .ret = R_STRINGLIST,
    .ret_devices = RD_KEYS, .shortdesc = "test", .doc = "test" },
  END_ACTIONS };
static const struct action devices_ok[] = {
  { .name = "devs", .proc = 1, .ret = R_STRINGLIST, .ret_devices = RD_ALL,
    .shortdesc = "test", .doc = "test" },
  { .name = "fses", .proc = 2, .ret = R_HASHTABLE, .ret_devices = RD_KEYS,
    .shortdesc = "test", .doc = "test" },
  { .name = "text", .proc = 3, .ret = R_STRING, .ret_devices = RD_TEXT,
    .shortdesc = "test", .doc = "test" },
  END_ACTIONS };

/* Run check_table in a child.  Returns its exit status; MSG gets what
 * it printed. */
static int
run_check (const struct action_table *tables, char *msg, size_t msg_size)
{
  int fd[2];
  if (pipe (fd) == -1) {
    perror ("pipe");
    exit (EXIT_FAILURE);
  }
  fflush (stderr);
  pid_t pid = fork ();
  if (pid == -1) {
    perror ("fork");
    exit (EXIT_FAILURE);
  }
  if (pid == 0) {
    close (fd[0]);
    dup2 (fd[1], STDERR_FILENO);
    check_table (tables);
    _exit (0);
  }
  close (fd[1]);
  size_t n = 0;
  ssize_t r;
  while (n < msg_size - 1 && (r = read (fd[0], msg + n, msg_size - 1 - n)) > 0)
    n += r;
  msg[n] = '\0';
  close (fd[0]);
  int status;
  if (waitpid (pid, &status, 0) == -1 || !WIFEXITED (status)) {
    fprintf (stderr, "check_table child did not exit normally\n");
    exit (EXIT_FAILURE);
  }
  return WEXITSTATUS (status);
}

static void
expect_pass (const char *what, const struct action_table *tables)
{
  char msg[1024];
  int status = run_check (tables, msg, sizeof msg);
  if (status != 0)
    fprintf (stderr, "%s: unexpected failure: %s", what, msg);
  CHECK (status == 0);
  CHECK (msg[0] == '\0');
}

static void
expect_fail (const char *what, const struct action_table *tables,
             const char *text)
{
  char msg[1024];
  int status = run_check (tables, msg, sizeof msg);
  if (status == 0 || !strstr (msg, text))
    fprintf (stderr, "%s: expected \"%s\", got status %d: %s\n", what, text,
             status, msg);
  CHECK (status != 0);
  CHECK (strstr (msg, text) != NULL);
}

int
main (void)
{
  const struct action_table good[] = {
    { "actions_config.c", config_ok, 0, 0, "library-side" },
    { "actions_core.c", core_ok, 1, 99, "core" },
    { "actions_files.c", files_ok, 100, 299, "files" },
    END_TABLES,
  };
  expect_pass ("numbers inside their ranges", good);

  const struct action_table misplaced[] = {
    { "actions_config.c", config_ok, 0, 0, "library-side" },
    { "actions_core.c", core_misplaced, 1, 99, "core" },
    END_TABLES,
  };
  expect_fail ("number outside the file's range", misplaced,
               "gen: actions_core.c: misplaced: procedure number 150 is "
               "outside 1-99");

  const struct action_table daemon_in_config[] = {
    { "actions_config.c", config_daemon, 0, 0, "library-side" },
    END_TABLES,
  };
  expect_fail ("daemon action in the library-side file", daemon_in_config,
               "gen: actions_config.c: stray: procedure number 5: this file "
               "holds library-side actions only");

  const struct action_table reused[] = {
    { "actions_core.c", core_reused, 1, 99, "core" },
    END_TABLES,
  };
  expect_fail ("reused number", reused,
               "gen: actions_core.c: again: procedure number 1 is already "
               "used");

  const struct action_table overlapping[] = {
    { "actions_core.c", core_ok, 1, 99, "core" },
    { "actions_files.c", files_ok, 99, 299, "files" },
    END_TABLES,
  };
  expect_fail ("overlapping ranges", overlapping,
               "the ranges of actions_core.c and actions_files.c overlap");

  const struct action_table same_name[] = {
    { "actions_core.c", core_ok, 1, 99, "core" },
    { "actions_files.c", files_same_name, 100, 299, "files" },
    END_TABLES,
  };
  expect_fail ("one name declared twice", same_name,
               "gen: actions_files.c: first: the name is already declared "
               "in actions_core.c");

  const struct action_table devs_ok[] = {
    { "actions_core.c", devices_ok, 1, 99, "core" },
    END_TABLES,
  };
  expect_pass ("device names in string replies", devs_ok);
  const struct action_table devs_library[] = {
    { "actions_core.c", devices_library, 1, 99, "core" },
    END_TABLES,
  };
  expect_fail ("device names in a library-side reply", devs_library,
               "gen: actions_core.c: lib_devs: ret_devices on a "
               "library-side action");
  const struct action_table devs_int[] = {
    { "actions_core.c", devices_on_int, 1, 99, "core" },
    END_TABLES,
  };
  expect_fail ("device names in an int reply", devs_int,
               "int_devs: RD_ALL needs a string or string list return");
  const struct action_table devs_keys[] = {
    { "actions_core.c", devices_keys_of_list, 1, 99, "core" },
    END_TABLES,
  };
  expect_fail ("keys of a list", devs_keys,
               "keys_devs: RD_KEYS and RD_VALUES need a hashtable return");

  return test_result ();
}
