/* Writing one output file at a time: see gen.h. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"

static FILE *out;
static const char *outdir;
static char *tmpname, *finalname;

void
set_output_dir (const char *dir)
{
  outdir = dir;
}

void
pr (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vfprintf (out, fmt, ap);
  va_end (ap);
}

void
pr_bytes (const char *buf, size_t len)
{
  fwrite (buf, 1, len, out);
}

void
die (const char *msg)
{
  fprintf (stderr, "gen: %s: %m\n", msg);
  exit (EXIT_FAILURE);
}

void
output_to (const char *name)
{
  if (asprintf (&finalname, "%s/%s", outdir, name) == -1 ||
      asprintf (&tmpname, "%s.tmp", finalname) == -1)
    die ("asprintf");
  out = fopen (tmpname, "w");
  if (!out)
    die (tmpname);
}

char *
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

void
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
