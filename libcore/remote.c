/* Remote images: add_drive's protocol, server, username and secret
 * turned into the options of qemu's own block drivers (nbd, curl for
 * http/https/ftp/ftps, ssh).
 *
 * Every value ends up in a qemu option string, so each is checked
 * against what it may contain and has its commas doubled.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "guestfs-internal.h"
#include "qemu.h"
#include "remote.h"

struct server {
  enum { SERVER_TCP, SERVER_UNIX } type;
  char *host; /* TCP: name or address (IPv6 without brackets) */
  int port;   /* TCP: 0 for the protocol's default */
  char *socket;
};

static void
free_server (struct server *s)
{
  free (s->host);
  free (s->socket);
}

static bool
valid_host (const char *h)
{
  if (*h == '\0' || strlen (h) > 255)
    return false;
  for (; *h; ++h)
    if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
          (*h >= '0' && *h <= '9') || *h == '.' || *h == '-' || *h == ':' ||
          *h == '_'))
      return false;
  return true;
}

static int
parse_port (const char *s)
{
  char *end;
  errno = 0;
  long p = strtol (s, &end, 10);
  if (errno || *s == '\0' || *end || p < 1 || p > 65535)
    return -1;
  return (int) p;
}

/* libguestfs's server syntax: "unix:/SOCKET", "tcp:HOST[:PORT]",
 * "HOST[:PORT]", "[IPV6][:PORT]". */
static int
parse_server (guestfs_h *g, const char *fn, const char *str,
              struct server *s)
{
  memset (s, 0, sizeof *s);
  if (strncmp (str, "unix:", 5) == 0) {
    if (str[5] != '/') {
      guestfs_int_error_errno (g, EINVAL, "%s: server: \"%s\": the socket "
                               "must be an absolute path", fn, str);
      return -1;
    }
    s->type = SERVER_UNIX;
    s->socket = safe_strdup (g, str + 5);
    return 0;
  }
  if (strncmp (str, "tcp:", 4) == 0)
    str += 4;
  s->type = SERVER_TCP;
  const char *colon;
  if (str[0] == '[') {
    const char *close = strchr (str, ']');
    if (close == NULL || (close[1] != '\0' && close[1] != ':'))
      goto bad;
    s->host = safe_asprintf (g, "%.*s", (int) (close - str - 1), str + 1);
    colon = close[1] == ':' ? close + 1 : NULL;
  }
  else {
    colon = strrchr (str, ':');
    if (colon && strchr (str, ':') != colon)
      colon = NULL; /* a bare IPv6 address: no port */
    s->host = colon ? safe_asprintf (g, "%.*s", (int) (colon - str), str)
                    : safe_strdup (g, str);
  }
  if (!valid_host (s->host))
    goto bad;
  if (colon && (s->port = parse_port (colon + 1)) == -1)
    goto bad;
  return 0;

bad:
  guestfs_int_error_errno (g, EINVAL, "%s: server: \"%s\" is not HOST, "
                           "HOST:PORT, tcp:HOST:PORT or unix:/SOCKET", fn,
                           str);
  free_server (s);
  return -1;
}

/* Percent-encodes a path for a URL, keeping '/' and the unreserved
 * characters. */
static char *
url_path (guestfs_h *g, const char *path)
{
  static const char hex[] = "0123456789ABCDEF";
  char *r = safe_malloc (g, strlen (path) * 3 + 2), *q = r;
  if (path[0] != '/')
    *q++ = '/';
  for (const unsigned char *p = (const unsigned char *) path; *p; ++p) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
        (*p >= '0' && *p <= '9') || strchr ("/-._~", *p))
      *q++ = (char) *p;
    else {
      *q++ = '%';
      *q++ = hex[*p >> 4];
      *q++ = hex[*p & 15];
    }
  }
  *q = '\0';
  return r;
}

/* The secret goes into a private file that qemu reads: on qemu's
 * command line it would be visible to every user in /proc. */
static char *
secret_object (guestfs_h *g, const char *fn, size_t index, const char *secret)
{
  if (guestfs_int_lazy_make_tmpdir (g) == -1)
    return NULL;
  CLEANUP_FREE char *path = safe_asprintf (g, "%s/secret%zu", g->tmpdir,
                                           index);
  CLEANUP_CLOSE int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
                                         O_NOFOLLOW, 0600);
  size_t n = strlen (secret);
  if (fd == -1 || write (fd, secret, n) != (ssize_t) n) {
    perrorf (g, "%s: secret: %s", fn, path);
    return NULL;
  }
  CLEANUP_FREE char *epath = qemu_escape_commas (path);
  return safe_asprintf (g, "secret,id=sec%zu,file=%s", index, epath);
}

static const char *const curl_protocols[] = { "http", "https", "ftp", "ftps",
                                              NULL };

static bool
is_curl (const char *protocol)
{
  for (size_t i = 0; curl_protocols[i]; ++i)
    if (strcmp (protocol, curl_protocols[i]) == 0)
      return true;
  return false;
}

static char *
nbd_opts (guestfs_h *g, const char *export,
          const struct server *s)
{
  CLEANUP_FREE char *eexport = qemu_escape_commas (export[0] == '/' ? export + 1
                                                                    : export);
  CLEANUP_FREE char *exp = eexport[0]
    ? safe_asprintf (g, ",file.export=%s", eexport) : safe_strdup (g, "");
  if (s->type == SERVER_UNIX) {
    CLEANUP_FREE char *esock = qemu_escape_commas (s->socket);
    return safe_asprintf (g, "file.driver=nbd,file.server.type=unix,"
                          "file.server.path=%s%s", esock, exp);
  }
  return safe_asprintf (g, "file.driver=nbd,file.server.type=inet,"
                        "file.server.host=%s,file.server.port=%d%s", s->host,
                        s->port ? s->port : 10809, exp);
}

static char *
curl_opts (guestfs_h *g, const char *protocol, const char *path,
           const struct server *s, const char *username, const char *secret_id)
{
  CLEANUP_FREE char *upath = url_path (g, path);
  bool v6 = strchr (s->host, ':') != NULL;
  CLEANUP_FREE char *port = s->port ? safe_asprintf (g, ":%d", s->port)
                                    : safe_strdup (g, "");
  CLEANUP_FREE char *url = safe_asprintf (g, "%s://%s%s%s%s%s", protocol,
                                          v6 ? "[" : "", s->host,
                                          v6 ? "]" : "", port, upath);
  CLEANUP_FREE char *eurl = qemu_escape_commas (url);
  CLEANUP_FREE char *euser = username ? qemu_escape_commas (username) : NULL;
  return safe_asprintf (g, "file.driver=%s,file.url=%s%s%s%s%s", protocol,
                        eurl, euser ? ",file.username=" : "",
                        euser ? euser : "",
                        secret_id ? ",file.password-secret=" : "",
                        secret_id ? secret_id : "");
}

static char *
ssh_opts (guestfs_h *g, const char *path, const struct server *s,
          const char *username)
{
  CLEANUP_FREE char *epath = qemu_escape_commas (path);
  CLEANUP_FREE char *euser = username ? qemu_escape_commas (username) : NULL;
  return safe_asprintf (g, "file.driver=ssh,file.server.host=%s,"
                        "file.server.port=%d,file.path=%s%s%s", s->host,
                        s->port ? s->port : 22, epath,
                        euser ? ",file.user=" : "", euser ? euser : "");
}

/* Checks what the protocol needs and allows before any work. */
static int
check_remote_args (guestfs_h *g, const char *fn, const struct remote_args *r)
{
  const char *p = r->protocol;
  if (strcmp (p, "nbd") != 0 && strcmp (p, "ssh") != 0 && !is_curl (p)) {
    guestfs_int_error_errno (g, EINVAL, "%s: protocol: \"%s\" is not "
                             "supported (file, nbd, http, https, ftp, ftps "
                             "or ssh)", fn, p);
    return -1;
  }
  size_t nservers = guestfs_int_count_strings (r->servers);
  if (nservers != 1) {
    guestfs_int_error_errno (g, EINVAL, "%s: server: protocol \"%s\" needs "
                             "exactly one server (%zu given)", fn, p,
                             nservers);
    return -1;
  }
  if (strcmp (p, "nbd") == 0 && (r->username || r->secret)) {
    guestfs_int_error_errno (g, EINVAL, "%s: nbd does not take a username "
                             "or a secret", fn);
    return -1;
  }
  if (strcmp (p, "ssh") == 0 && r->secret) {
    guestfs_int_error_errno (g, EINVAL, "%s: ssh: qemu's ssh driver takes no "
                             "password: use ssh-agent or a key", fn);
    return -1;
  }
  if (strcmp (p, "nbd") != 0 && strncmp (r->servers[0], "unix:", 5) == 0) {
    guestfs_int_error_errno (g, EINVAL, "%s: server: only nbd can use a "
                             "Unix socket", fn);
    return -1;
  }
  if (strcmp (p, "nbd") != 0 && r->path[0] == '\0') {
    guestfs_int_error_errno (g, EINVAL, "%s: filename: %s needs the path of "
                             "the image on the server", fn, p);
    return -1;
  }
  return 0;
}

int
guestfs_int_remote_opts (guestfs_h *g, const char *fn,
                         const struct remote_args *r, size_t index,
                         char **opts_out, char **object_out)
{
  struct server s;
  *opts_out = *object_out = NULL;
  if (check_remote_args (g, fn, r) == -1 ||
      parse_server (g, fn, r->servers[0], &s) == -1)
    return -1;
  CLEANUP_FREE char *secret_id = NULL;
  if (r->secret) {
    *object_out = secret_object (g, fn, index, r->secret);
    if (*object_out == NULL) {
      free_server (&s);
      return -1;
    }
    secret_id = safe_asprintf (g, "sec%zu", index);
  }
  if (strcmp (r->protocol, "nbd") == 0)
    *opts_out = nbd_opts (g, r->path, &s);
  else if (strcmp (r->protocol, "ssh") == 0)
    *opts_out = ssh_opts (g, r->path, &s, r->username);
  else
    *opts_out = curl_opts (g, r->protocol, r->path, &s, r->username,
                           secret_id);
  free_server (&s);
  return 0;
}
