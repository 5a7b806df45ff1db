#define _GNU_SOURCE 1
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files-util.h"

struct stat
host_lstat (const char *path)
{
  struct stat st;
  if (lstat (path, &st) == -1)
    memset (&st, 0, sizeof st);
  return st;
}

bool
list_is (char **l, ...)
{
  if (l == NULL)
    return false;
  va_list ap;
  va_start (ap, l);
  size_t i = 0;
  bool ok = true;
  for (const char *s; (s = va_arg (ap, const char *)) != NULL; ++i)
    if (l[i] == NULL || strcmp (l[i], s) != 0) {
      ok = false;
      break;
    }
  va_end (ap);
  if (ok && l[i] != NULL)
    ok = false;
  if (!ok) {
    fprintf (stderr, "list was:");
    for (size_t j = 0; l[j]; ++j)
      fprintf (stderr, " \"%s\"", l[j]);
    fprintf (stderr, "\n");
  }
  return ok;
}

bool
handle_alive (guestfs_h *g)
{
  return guestfs_ping_daemon (g) == 0;
}

char *
host_command (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *cmd = xvasprintf (fmt, ap);
  va_end (ap);
  FILE *p = popen (cmd, "r");
  free (cmd);
  if (p == NULL)
    return NULL;
  char *out = NULL;
  size_t n = 0;
  FILE *mem = open_memstream (&out, &n);
  char buf[4096];
  size_t k;
  while ((k = fread (buf, 1, sizeof buf, p)) > 0)
    fwrite (buf, 1, k, mem);
  fclose (mem);
  if (pclose (p) != 0) {
    free (out);
    return NULL;
  }
  return out;
}

char *
local_path (struct test_daemon *td, const char *name)
{
  return xasprintf ("%s/%s", td->dir, name);
}

void
put_guest_file (struct test_daemon *td, const char *guest,
                const char *content)
{
  write_host_file (host_path (td, guest), content, strlen (content));
}
