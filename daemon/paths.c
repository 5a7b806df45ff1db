/* Finding guest paths by pattern or by name regardless of case:
 * glob_expand and case_sensitive_path.
 *
 * glob(3) on a host path would follow the guest's absolute symbolic
 * links out of the guest, so the expansion is done here: each
 * directory is opened inside the sysroot (links followed within it,
 * see sysroot.c), its names matched with fnmatch(3).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

/* Brace alternatives nested deeper than this are left unexpanded. */
#define MAX_BRACE_PATTERNS 4096

/* ---- glob_expand ---- */

struct glob_state {
  bool mark;             /* a slash after directories (GLOB_MARK) */
  struct stringsbuf out; /* matches of the current pattern */
  size_t bytes;          /* of every match so far, for the reply */
};

static bool
has_wildcard (const char *s, size_t len)
{
  for (size_t i = 0; i < len; ++i) {
    if (s[i] == '\\' && i + 1 < len)
      ++i;
    else if (s[i] == '*' || s[i] == '?' || s[i] == '[')
      return true;
  }
  return false;
}

/* A literal component with its backslashes removed, appended. */
static char *
join_literal (const char *prefix, const char *comp, size_t len)
{
  char *r = malloc (strlen (prefix) + len + 2);
  if (r == NULL)
    return NULL;
  char *p = stpcpy (r, prefix);
  if (p == r || p[-1] != '/')
    *p++ = '/';
  for (size_t i = 0; i < len; ++i) {
    if (comp[i] == '\\' && i + 1 < len)
      ++i;
    *p++ = comp[i];
  }
  *p = '\0';
  return r;
}

static int add_match (struct glob_state *g, const char *path,
                      bool only_dir);
static int expand (struct glob_state *g, const char *prefix,
                   const char *rest);

struct dir_match {
  struct glob_state *g;
  const char *prefix, *comp_pattern, *rest;
  struct stringsbuf names;
};

static int
match_entry (int dirfd, const char *name, void *opaque)
{
  (void) dirfd;
  struct dir_match *m = opaque;
  if (fnmatch (m->comp_pattern, name, FNM_PERIOD) != 0)
    return 0;
  return add_string (&m->names, name);
}

/* Expand one wildcard component (comp, len bytes) in directory prefix,
 * then the rest below each match, in order. */
static int
expand_wildcard (struct glob_state *g, const char *prefix, const char *comp,
                 size_t len, const char *rest)
{
  char *pat = strndup (comp, len);
  if (pat == NULL)
    return -1;
  struct dir_match m = { g, prefix, pat, rest, { 0 } };
  int fd = sysroot_open (*prefix ? prefix : "/", O_RDONLY | O_DIRECTORY, 0);
  int r = 0;
  if (fd != -1)
    r = for_each_entry (fd, match_entry, &m);
  /* An unreadable or missing directory matches nothing, as in glob. */
  if (r == -1 && errno != ENOMEM)
    r = 0;
  sort_strings (m.names.argv, m.names.size);
  for (size_t i = 0; r == 0 && i < m.names.size; ++i) {
    char *path = join_literal (prefix, m.names.argv[i],
                               strlen (m.names.argv[i]));
    r = path ? expand (g, path, rest) : -1;
    free (path);
  }
  free_stringsbuf (&m.names);
  free (pat);
  return r;
}

/* Match rest (components still to expand) below prefix, a path found
 * so far ("" for the root). */
static int
expand (struct glob_state *g, const char *prefix, const char *rest)
{
  const char *start = rest;
  while (*rest == '/')
    ++rest;
  /* A pattern ending in "/" matches directories only, as in glob. */
  if (*rest == '\0')
    return add_match (g, *prefix ? prefix : "/", *prefix && rest > start);
  size_t len = strcspn (rest, "/");
  if (has_wildcard (rest, len))
    return expand_wildcard (g, prefix, rest, len, rest + len);
  char *path = join_literal (prefix, rest, len);
  if (path == NULL)
    return -1;
  int r = expand (g, path, rest + len);
  free (path);
  return r;
}

static int
add_match (struct glob_state *g, const char *path, bool only_dir)
{
  struct stat st;
  if (sysroot_lstat (path, &st) == -1)
    return 0; /* a literal name that does not exist */
  bool dir = S_ISDIR (st.st_mode);
  if (S_ISLNK (st.st_mode) && (g->mark || only_dir)) {
    int fd = sysroot_open (path, O_PATH | O_DIRECTORY, 0);
    dir = fd != -1;
    if (fd != -1)
      close (fd);
  }
  if (only_dir && !dir)
    return 0;
  char *m;
  bool slash = (g->mark || only_dir) && dir && strcmp (path, "/") != 0;
  if (asprintf (&m, "%s%s", path, slash ? "/" : "") == -1)
    return -1;
  g->bytes += strlen (m) + 8;
  if (g->bytes > REPLY_BUDGET) {
    free (m);
    errno = E2BIG;
    return -1;
  }
  return add_string_nodup (&g->out, m);
}

/* Brace expansion (GLOB_BRACE): the first outermost {a,b,...} of
 * pattern replaced by each alternative in turn, recursively. */
static int
expand_braces (const char *pattern, struct stringsbuf *patterns)
{
  const char *open = NULL;
  for (const char *p = pattern; *p; ++p) {
    if (*p == '\\' && p[1])
      ++p;
    else if (*p == '{') {
      open = p;
      break;
    }
  }
  const char *close = NULL;
  int depth = 0;
  for (const char *p = open; p && *p && !close; ++p) {
    if (*p == '\\' && p[1])
      ++p;
    else if (*p == '{')
      ++depth;
    else if (*p == '}' && --depth == 0)
      close = p;
  }
  if (close == NULL || patterns->size >= MAX_BRACE_PATTERNS)
    return add_string (patterns, pattern);
  for (const char *alt = open + 1; alt <= close;) {
    const char *end = alt;
    for (depth = 0; end < close && (*end != ',' || depth > 0); ++end) {
      if (*end == '\\' && end + 1 < close)
        ++end;
      else if (*end == '{')
        ++depth;
      else if (*end == '}')
        --depth;
    }
    char *one;
    if (asprintf (&one, "%.*s%.*s%s", (int) (open - pattern), pattern,
                  (int) (end - alt), alt, close + 1) == -1)
      return -1;
    int r = expand_braces (one, patterns);
    free (one);
    if (r == -1)
      return -1;
    alt = end + 1;
  }
  return 0;
}

char **
do_glob_expand (const char *pattern, int directoryslash)
{
  struct glob_state g = { .mark = !OPTARG_SET (0) || directoryslash };
  struct stringsbuf patterns = { 0 }, all = { 0 };
  int r = expand_braces (pattern, &patterns);
  for (size_t i = 0; r == 0 && i < patterns.size; ++i) {
    r = expand (&g, "", patterns.argv[i]);
    /* glob sorts the matches of each alternative, not the whole. */
    sort_strings (g.out.argv, g.out.size);
    for (size_t j = 0; r == 0 && j < g.out.size; ++j)
      r = add_string (&all, g.out.argv[j]);
    free_stringsbuf (&g.out);
    g.out = (struct stringsbuf) { 0 };
  }
  free_stringsbuf (&patterns);
  if (r == -1) {
    if (errno == E2BIG)
      reply_with_error_errno (E2BIG, "%s: the matches do not fit in a "
                              "reply (see PROTOCOL LIMITS)", pattern);
    else
      reply_with_perror ("%s", pattern);
    free_stringsbuf (&all);
    return NULL;
  }
  return take_strings (&all);
}

/* ---- case_sensitive_path ---- */

struct case_search {
  const char *want;
  char *found;
};

static int
match_case (int dirfd, const char *name, void *opaque)
{
  (void) dirfd;
  struct case_search *s = opaque;
  if (s->found || strcasecmp (name, s->want) != 0)
    return 0;
  s->found = strdup (name);
  return s->found ? 0 : -1;
}

/* The name in directory dir (a guest path) equal to want but for
 * case: want itself if it exists, else the first listed; NULL with
 * errno ENOENT if none. */
static char *
find_name (const char *dir, const char *want)
{
  int fd = sysroot_open (dir, O_RDONLY | O_DIRECTORY, 0);
  if (fd == -1)
    return NULL;
  struct stat st;
  if (fstatat (fd, want, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    close (fd);
    return strdup (want);
  }
  struct case_search s = { want, NULL };
  if (for_each_entry (fd, match_case, &s) == -1) {
    free (s.found);
    return NULL;
  }
  if (s.found == NULL)
    errno = ENOENT;
  return s.found;
}

char *
do_case_sensitive_path (const char *path)
{
  char *copy = strdup (path), *result = strdup ("/");
  if (copy == NULL || result == NULL) {
    reply_with_perror ("strdup");
    goto fail;
  }
  char *save;
  for (char *comp = strtok_r (copy, "/", &save); comp;
       comp = strtok_r (NULL, "/", &save)) {
    if (strcmp (comp, ".") == 0 || strcmp (comp, "..") == 0) {
      reply_with_error_errno (EINVAL, "%s: elements \".\" and \"..\" are "
                              "not allowed", path);
      goto fail;
    }
    char *name = find_name (result, comp);
    /* A missing last element is kept as given. */
    if (name == NULL && errno == ENOENT && save && *save == '\0')
      name = strdup (comp);
    char *next = NULL;
    if (name == NULL ||
        asprintf (&next, "%s%s%s", result, result[1] ? "/" : "", name) ==
            -1) {
      reply_with_perror ("%s", path);
      free (name);
      goto fail;
    }
    free (name);
    free (result);
    result = next;
  }
  free (copy);
  return result;
fail:
  free (copy);
  free (result);
  return NULL;
}
