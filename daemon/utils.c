#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

char **
terminate_list (char **val, u_int len)
{
  char **r = malloc ((len + 1) * sizeof (char *));
  if (r == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  if (len)
    memcpy (r, val, len * sizeof (char *));
  r[len] = NULL;
  return r;
}

size_t
count_strings (char *const *list)
{
  size_t n = 0;
  while (list && list[n])
    ++n;
  return n;
}

void
free_strings (char **list)
{
  if (list == NULL)
    return;
  for (size_t i = 0; list[i]; ++i)
    free (list[i]);
  free (list);
}

int
add_string_nodup (struct stringsbuf *sb, char *s)
{
  if (sb->size + 1 >= sb->alloc) {
    size_t n = sb->alloc ? sb->alloc * 2 : 16;
    char **p = realloc (sb->argv, n * sizeof (char *));
    if (p == NULL) {
      reply_with_perror ("realloc");
      free (s);
      return -1;
    }
    sb->argv = p;
    sb->alloc = n;
  }
  sb->argv[sb->size++] = s;
  sb->argv[sb->size] = NULL;
  return 0;
}

int
add_string (struct stringsbuf *sb, const char *s)
{
  char *copy = strdup (s);
  if (copy == NULL) {
    reply_with_perror ("strdup");
    return -1;
  }
  return add_string_nodup (sb, copy);
}

char **
take_strings (struct stringsbuf *sb)
{
  if (sb->argv == NULL) {
    sb->argv = calloc (1, sizeof (char *));
    if (sb->argv == NULL) {
      reply_with_perror ("calloc");
      return NULL;
    }
  }
  char **r = sb->argv;
  sb->argv = NULL;
  sb->size = sb->alloc = 0;
  return r;
}

void
free_stringsbuf (struct stringsbuf *sb)
{
  free_strings (sb->argv);
  sb->argv = NULL;
  sb->size = sb->alloc = 0;
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

void
sort_strings (char **list, size_t n)
{
  qsort (list, n, sizeof (char *), compare_strings);
}
