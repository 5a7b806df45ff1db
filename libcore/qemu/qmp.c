/* A minimal QMP client (see qmp.h).
 *
 * qemu writes one JSON object per line: the greeting, then for each
 * command either {"return": ...} or {"error": ...}, with {"event": ...}
 * lines in between at any time.  Only the first key of a line matters
 * here, so no JSON parser is needed.
 */

#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "qemu-internal.h"
#include "qmp.h"

static long
now_ms (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The next line from qemu, heap-allocated, without its newline. */
static char *
read_line (struct qmp *m, long deadline, char *err, size_t errlen)
{
  for (;;) {
    char *nl = memchr (m->buf, '\n', m->len);
    if (nl) {
      size_t n = nl - m->buf;
      char *line = strndup (m->buf, n);
      memmove (m->buf, nl + 1, m->len - n - 1);
      m->len -= n + 1;
      if (line == NULL)
        set_err (err, errlen, "QMP: out of memory");
      return line;
    }
    if (m->len == sizeof m->buf) {
      /* Longer than any answer we ask for: drop it. */
      m->len = 0;
      continue;
    }
    long left = deadline - now_ms ();
    struct pollfd pfd = {.fd = m->fd, .events = POLLIN};
    int r = left > 0 ? poll (&pfd, 1, (int)left) : 0;
    if (r == 0) {
      set_err (err, errlen, "QMP: qemu did not answer in time");
      return NULL;
    }
    if (r == -1 && errno == EINTR)
      continue;
    ssize_t got =
        r == -1 ? -1 : read (m->fd, m->buf + m->len, sizeof m->buf - m->len);
    if (got == -1 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (got <= 0) {
      set_err (err, errlen, "QMP: %s",
               got == 0 ? "qemu closed the monitor" : strerror (errno));
      return NULL;
    }
    m->len += got;
  }
}

static bool
starts_with_key (const char *line, const char *key)
{
  while (*line == ' ' || *line == '{')
    ++line;
  return strncmp (line, key, strlen (key)) == 0;
}

static int
write_all (int fd, const char *s, size_t n)
{
  while (n > 0) {
    /* qemu may be gone (a damaged saved state): EPIPE, not SIGPIPE. */
    ssize_t w = send (fd, s, n, MSG_NOSIGNAL);
    if (w == -1 && errno == EINTR)
      continue;
    if (w == -1 && errno == EAGAIN) {
      struct pollfd pfd = {.fd = fd, .events = POLLOUT};
      poll (&pfd, 1, 1000);
      continue;
    }
    if (w <= 0)
      return -1;
    s += w;
    n -= w;
  }
  return 0;
}

/* Sends the first byte of s with fd attached (SCM_RIGHTS): qemu's
 * monitor keeps the descriptor that arrived with a command for it. */
static int
send_with_fd (int sock, const char *s, int fd)
{
  union {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } ctl;
  struct iovec iov = {.iov_base = (void *)s, .iov_len = 1};
  struct msghdr msg = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = ctl.buf,
                       .msg_controllen = sizeof ctl.buf};
  memset (ctl.buf, 0, sizeof ctl.buf);
  struct cmsghdr *c = CMSG_FIRSTHDR (&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (c), &fd, sizeof fd);
  for (;;) {
    ssize_t w = sendmsg (sock, &msg, MSG_NOSIGNAL);
    if (w == 1)
      return 0;
    if (w == -1 && errno == EINTR)
      continue;
    if (w == -1 && errno == EAGAIN) {
      struct pollfd pfd = {.fd = sock, .events = POLLOUT};
      poll (&pfd, 1, 1000);
      continue;
    }
    return -1;
  }
}

int
qmp_execute (struct qmp *m, const char *command, int timeout_ms, char **reply,
             char *err, size_t errlen)
{
  return qmp_execute_fd (m, command, -1, timeout_ms, reply, err, errlen);
}

int
qmp_execute_fd (struct qmp *m, const char *command, int fd, int timeout_ms,
                char **reply, char *err, size_t errlen)
{
  long deadline = now_ms () + timeout_ms;
  size_t skip = fd >= 0 && command[0] ? 1 : 0;
  if ((skip && send_with_fd (m->fd, command, fd) == -1) ||
      write_all (m->fd, command + skip, strlen (command) - skip) == -1 ||
      write_all (m->fd, "\n", 1) == -1) {
    set_err (err, errlen, "QMP: %s", strerror (errno));
    return -1;
  }
  for (;;) {
    char *line = read_line (m, deadline, err, errlen);
    if (line == NULL)
      return -1;
    if (starts_with_key (line, "\"return\"")) {
      if (reply)
        *reply = line;
      else
        free (line);
      return 0;
    }
    if (starts_with_key (line, "\"error\"")) {
      set_err (err, errlen, "QMP: %s: %s", command, line);
      free (line);
      return -1;
    }
    free (line); /* an event */
  }
}

int
qmp_handshake (struct qmp *m, int timeout_ms, char *err, size_t errlen)
{
  char *greeting = read_line (m, now_ms () + timeout_ms, err, errlen);
  if (greeting == NULL)
    return -1;
  bool ok = starts_with_key (greeting, "\"QMP\"");
  free (greeting);
  if (!ok) {
    set_err (err, errlen, "QMP: unexpected greeting");
    return -1;
  }
  return qmp_execute (m, "{\"execute\": \"qmp_capabilities\"}", timeout_ms,
                      NULL, err, errlen);
}

char *
qmp_quote (const char *s)
{
  size_t n = 3;
  for (const char *p = s; *p; ++p)
    n += 6;
  char *r = malloc (n), *q = r;
  if (r == NULL)
    return NULL;
  *q++ = '"';
  for (const unsigned char *p = (const unsigned char *)s; *p; ++p) {
    if (*p == '"' || *p == '\\') {
      *q++ = '\\';
      *q++ = *p;
    } else if (*p < 0x20)
      q += sprintf (q, "\\u%04x", *p);
    else
      *q++ = *p;
  }
  *q++ = '"';
  *q = '\0';
  return r;
}
