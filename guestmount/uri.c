/* -a URI: the remote images of libguestfs's guestmount.
 *
 *   nbd://HOST[:PORT][/EXPORT]
 *   nbd+unix:///[EXPORT]?socket=/SOCKET
 *   http[s]://[USER[:PASSWORD]@]HOST[:PORT]/PATH   (ftp, ftps alike)
 *   ssh://[USER@]HOST[:PORT]/PATH
 *   file:///PATH
 *
 * Anything without "SCHEME://" is a local file name.  The library
 * checks the pieces again (add_drive's protocol and server).
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guestmount.h"

static bool
is_uri (const char *arg)
{
  size_t n = strspn (arg, "abcdefghijklmnopqrstuvwxyz+");
  return n > 0 && strncmp (arg + n, "://", 3) == 0;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The first n bytes of s with %XX decoded; NULL if an escape is bad or
 * decodes to NUL. */
static char *
decode (const char *s, size_t n)
{
  char *r = malloc (n + 1), *q = r;
  if (r == NULL)
    return NULL;
  for (size_t i = 0; i < n; ++i) {
    if (s[i] != '%') {
      *q++ = s[i];
      continue;
    }
    int hi = i + 1 < n ? hex_value (s[i + 1]) : -1;
    int lo = i + 2 < n ? hex_value (s[i + 2]) : -1;
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
      free (r);
      return NULL;
    }
    *q++ = (char) (hi * 16 + lo);
    i += 2;
  }
  *q = '\0';
  return r;
}

static const char *const protocols[] = {
  "nbd", "nbd+unix", "http", "https", "ftp", "ftps", "ssh", "file", NULL,
};

static bool
known_scheme (const char *scheme)
{
  for (size_t i = 0; protocols[i]; ++i)
    if (strcmp (scheme, protocols[i]) == 0)
      return true;
  return false;
}

/* USER[:PASSWORD]@ at the start of the authority, if any. */
static int
parse_userinfo (const char **auth, const char *auth_end,
                struct drive_opt *d)
{
  const char *at = memchr (*auth, '@', (size_t) (auth_end - *auth));
  if (at == NULL)
    return 0;
  const char *colon = memchr (*auth, ':', (size_t) (at - *auth));
  const char *user_end = colon ? colon : at;
  d->username = decode (*auth, (size_t) (user_end - *auth));
  if (d->username == NULL)
    return -1;
  if (colon && (d->secret = decode (colon + 1, (size_t) (at - colon - 1))) ==
                   NULL)
    return -1;
  *auth = at + 1;
  return 0;
}

/* The socket=PATH parameter of an nbd+unix query. */
static char *
socket_param (const char *query)
{
  for (const char *p = query; p && *p; ) {
    size_t n = strcspn (p, "&");
    if (strncmp (p, "socket=", 7) == 0 && n > 7)
      return decode (p + 7, n - 7);
    p += n;
    if (*p == '&')
      p++;
  }
  return NULL;
}

int
drive_opt_from_uri (const char *arg, struct drive_opt *d, const char **why)
{
  *why = NULL;
  if (!is_uri (arg)) {
    d->filename = strdup (arg);
    return d->filename ? 0 : -1;
  }
  const char *sep = strstr (arg, "://");
  char *scheme = strndup (arg, (size_t) (sep - arg));
  if (scheme == NULL || !known_scheme (scheme)) {
    *why = "unknown scheme (nbd, nbd+unix, http, https, ftp, ftps, ssh or "
           "file)";
    free (scheme);
    return -1;
  }
  const char *auth = sep + 3;
  const char *query = strchr (auth, '?');
  const char *end = query ? query : auth + strlen (auth);
  const char *path = memchr (auth, '/', (size_t) (end - auth));
  const char *auth_end = path ? path : end;
  int r = -1;

  if (strcmp (scheme, "file") == 0) {
    if (auth != auth_end || query) {
      *why = "a file URI has no host or query";
      goto out;
    }
    d->filename = decode (path ? path : "", (size_t) (end - (path ? path : end)));
    r = d->filename && d->filename[0] ? 0 : -1;
    goto out;
  }
  if (parse_userinfo (&auth, auth_end, d) == -1) {
    *why = "bad escape in the user name or password";
    goto out;
  }
  /* The NBD export name has no leading slash; every other path keeps
   * it. */
  bool nbd = strncmp (scheme, "nbd", 3) == 0;
  const char *p = path ? path + (nbd ? 1 : 0) : end;
  d->filename = decode (p, (size_t) (end - p));
  d->protocol = strdup (nbd ? "nbd" : scheme);
  if (d->filename == NULL || d->protocol == NULL) {
    *why = "bad escape in the path";
    goto out;
  }
  if (strcmp (scheme, "nbd+unix") == 0) {
    char *sock = socket_param (query ? query + 1 : NULL);
    if (auth != auth_end || sock == NULL) {
      *why = "nbd+unix needs no host and a ?socket=/PATH";
      free (sock);
      goto out;
    }
    if (asprintf (&d->server, "unix:%s", sock) == -1)
      d->server = NULL;
    free (sock);
  }
  else {
    if (auth == auth_end || query) {
      *why = "a host is needed, and no query";
      goto out;
    }
    d->server = strndup (auth, (size_t) (auth_end - auth));
  }
  r = d->server ? 0 : -1;

out:
  free (scheme);
  return r;
}
