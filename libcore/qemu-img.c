/* qemu-img info, run and parsed.  See qemu-img.h. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "qemu-img.h"
#include "fileutil.h"
#include "qemu.h"

#define MAX_DEPTH 64
/* qemu-img's answer for one image is a few hundred bytes; anything
 * much larger is not an answer. */
#define MAX_OUTPUT (1024 * 1024)

static void __attribute__ ((format (printf, 3, 4)))
set_err (char *err, size_t errlen, const char *fmt, ...)
{
  va_list ap;

  if (err == NULL || errlen == 0)
    return;
  va_start (ap, fmt);
  vsnprintf (err, errlen, fmt, ap);
  va_end (ap);
}

/* ------------------------------------------------------------------ */
/* A JSON reader for just what is needed: one object's fields. */

struct reader {
  const char *p, *end;
  char *err;
  size_t errlen;
};

static int __attribute__ ((format (printf, 2, 3)))
bad (struct reader *r, const char *fmt, ...)
{
  char msg[160];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  set_err (r->err, r->errlen, "qemu-img info: unexpected output: %s", msg);
  return -1;
}

static void
skip_space (struct reader *r)
{
  while (r->p < r->end &&
         (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

/* Consumes c after optional space; false if it is not next. */
static bool
eat (struct reader *r, char c)
{
  skip_space (r);
  if (r->p < r->end && *r->p == c) {
    r->p++;
    return true;
  }
  return false;
}

static int
hex4 (struct reader *r, unsigned *out)
{
  unsigned v = 0;
  if (r->end - r->p < 4)
    return bad (r, "short \\u escape");
  for (int i = 0; i < 4; ++i) {
    char c = *r->p++;
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned) (c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned) (c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned) (c - 'A' + 10);
    else
      return bad (r, "bad \\u escape");
  }
  *out = v;
  return 0;
}

/* Appends code point cp as UTF-8; the buffer has room, since every
 * escape is at least as long as its UTF-8 form. */
static void
put_utf8 (char **q, unsigned cp)
{
  unsigned char *o = (unsigned char *) *q;
  if (cp < 0x80)
    *o++ = (unsigned char) cp;
  else if (cp < 0x800) {
    *o++ = (unsigned char) (0xc0 | (cp >> 6));
    *o++ = (unsigned char) (0x80 | (cp & 0x3f));
  }
  else if (cp < 0x10000) {
    *o++ = (unsigned char) (0xe0 | (cp >> 12));
    *o++ = (unsigned char) (0x80 | ((cp >> 6) & 0x3f));
    *o++ = (unsigned char) (0x80 | (cp & 0x3f));
  }
  else {
    *o++ = (unsigned char) (0xf0 | (cp >> 18));
    *o++ = (unsigned char) (0x80 | ((cp >> 12) & 0x3f));
    *o++ = (unsigned char) (0x80 | ((cp >> 6) & 0x3f));
    *o++ = (unsigned char) (0x80 | (cp & 0x3f));
  }
  *q = (char *) o;
}

static int
escape (struct reader *r, char **q)
{
  unsigned cp, lo;

  if (r->p >= r->end)
    return bad (r, "unterminated string");
  char c = *r->p++;
  switch (c) {
  case '"': case '\\': case '/': *(*q)++ = c; return 0;
  case 'b': *(*q)++ = '\b'; return 0;
  case 'f': *(*q)++ = '\f'; return 0;
  case 'n': *(*q)++ = '\n'; return 0;
  case 'r': *(*q)++ = '\r'; return 0;
  case 't': *(*q)++ = '\t'; return 0;
  case 'u': break;
  default: return bad (r, "bad escape \\%c", c);
  }
  if (hex4 (r, &cp) == -1)
    return -1;
  if (cp == 0)
    return bad (r, "NUL in a string");
  if (cp >= 0xdc00 && cp <= 0xdfff)
    return bad (r, "lone low surrogate");
  if (cp >= 0xd800 && cp <= 0xdbff) {
    if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
      return bad (r, "lone high surrogate");
    r->p += 2;
    if (hex4 (r, &lo) == -1)
      return -1;
    if (lo < 0xdc00 || lo > 0xdfff)
      return bad (r, "bad surrogate pair");
    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
  }
  put_utf8 (q, cp);
  return 0;
}

/* Reads a string; stores it (heap) in *out unless out is NULL. */
static int
string (struct reader *r, char **out)
{
  if (!eat (r, '"'))
    return bad (r, "expected a string");
  const char *start = r->p;
  CLEANUP_FREE char *s = NULL;
  char *q = NULL;
  if (out) {
    /* The decoded string is never longer than the encoded one. */
    const char *close = start;
    while (close < r->end && *close != '"')
      close += *close == '\\' && close + 1 < r->end ? 2 : 1;
    s = malloc ((size_t) (close - start) + 1);
    if (s == NULL)
      return bad (r, "out of memory");
    q = s;
  }
  for (;;) {
    if (r->p >= r->end)
      return bad (r, "unterminated string");
    char c = *r->p++;
    if (c == '"')
      break;
    if ((unsigned char) c < 0x20)
      return bad (r, "control character in a string");
    if (c == '\\') {
      char scratch[4], *sq = scratch;
      if (escape (r, out ? &q : &sq) == -1)
        return -1;
    }
    else if (out)
      *q++ = c;
  }
  if (out) {
    *q = '\0';
    *out = s;
    s = NULL;
  }
  return 0;
}

static int
number (struct reader *r, int64_t *out)
{
  skip_space (r);
  const char *start = r->p;
  if (r->p < r->end && *r->p == '-')
    r->p++;
  while (r->p < r->end &&
         ((*r->p >= '0' && *r->p <= '9') || *r->p == '.' || *r->p == 'e' ||
          *r->p == 'E' || *r->p == '+' || *r->p == '-'))
    r->p++;
  if (r->p == start || (r->p == start + 1 && *start == '-'))
    return bad (r, "expected a value");
  if (out) {
    char buf[32];
    size_t n = (size_t) (r->p - start);
    if (n >= sizeof buf)
      return bad (r, "number too long");
    memcpy (buf, start, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    long long v = strtoll (buf, &end, 10);
    if (errno || *end)
      return bad (r, "not an integer: %s", buf);
    *out = v;
  }
  return 0;
}

static int
literal (struct reader *r, const char *word)
{
  size_t n = strlen (word);
  if ((size_t) (r->end - r->p) < n || memcmp (r->p, word, n) != 0)
    return bad (r, "expected a value");
  r->p += n;
  return 0;
}

static int skip_value (struct reader *r, int depth);

/* An object or array whose opening bracket was just read. */
static int
skip_container (struct reader *r, char close, int depth)
{
  if (eat (r, close))
    return 0;
  do {
    if (close == '}') {
      if (string (r, NULL) == -1)
        return -1;
      if (!eat (r, ':'))
        return bad (r, "expected ':'");
    }
    if (skip_value (r, depth + 1) == -1)
      return -1;
  } while (eat (r, ','));
  if (!eat (r, close))
    return bad (r, "expected '%c'", close);
  return 0;
}

static int
skip_value (struct reader *r, int depth)
{
  if (depth > MAX_DEPTH)
    return bad (r, "nested too deep");
  skip_space (r);
  if (r->p >= r->end)
    return bad (r, "expected a value");
  switch (*r->p) {
  case '{': r->p++; return skip_container (r, '}', depth);
  case '[': r->p++; return skip_container (r, ']', depth);
  case '"': return string (r, NULL);
  case 't': return literal (r, "true");
  case 'f': return literal (r, "false");
  case 'n': return literal (r, "null");
  default: return number (r, NULL);
  }
}

/* One string field, refusing a second occurrence. */
static int
string_field (struct reader *r, const char *key, char **slot)
{
  if (*slot)
    return bad (r, "\"%s\" twice", key);
  return string (r, slot);
}

static int
field (struct reader *r, const char *key, struct qemu_img_info *info,
       char **backing_file)
{
  if (strcmp (key, "format") == 0)
    return string_field (r, key, &info->format);
  if (strcmp (key, "full-backing-filename") == 0)
    return string_field (r, key, &info->backing);
  if (strcmp (key, "backing-filename") == 0)
    return string_field (r, key, backing_file);
  if (strcmp (key, "backing-filename-format") == 0)
    return string_field (r, key, &info->backing_format);
  if (strcmp (key, "virtual-size") == 0)
    return number (r, &info->virtual_size);
  return skip_value (r, 1);
}

void
qemu_img_info_free (struct qemu_img_info *info)
{
  free (info->format);
  free (info->backing);
  free (info->backing_format);
  memset (info, 0, sizeof *info);
  info->virtual_size = -1;
}

int
qemu_img_info_parse (const char *json, size_t len,
                     struct qemu_img_info *info, char *err, size_t errlen)
{
  struct reader r = { json, json + len, err, errlen };
  CLEANUP_FREE char *backing_file = NULL;

  memset (info, 0, sizeof *info);
  info->virtual_size = -1;
  if (!eat (&r, '{')) {
    bad (&r, "not a JSON object");
    goto fail;
  }
  if (!eat (&r, '}')) {
    do {
      CLEANUP_FREE char *key = NULL;
      if (string (&r, &key) == -1)
        goto fail;
      if (!eat (&r, ':')) {
        bad (&r, "expected ':'");
        goto fail;
      }
      if (field (&r, key, info, &backing_file) == -1)
        goto fail;
    } while (eat (&r, ','));
    if (!eat (&r, '}')) {
      bad (&r, "expected '}'");
      goto fail;
    }
  }
  skip_space (&r);
  if (r.p != r.end) {
    bad (&r, "text after the object");
    goto fail;
  }
  if (info->format == NULL || info->format[0] == '\0') {
    bad (&r, "no \"format\"");
    goto fail;
  }
  /* qemu-img prints full-backing-filename whenever it can resolve the
   * name; the name as stored is the fallback. */
  if (info->backing == NULL && backing_file) {
    info->backing = backing_file;
    backing_file = NULL;
  }
  return 0;

fail:
  qemu_img_info_free (info);
  return -1;
}

/* ------------------------------------------------------------------ */
/* Running qemu-img. */

struct output {
  char *buf;
  size_t len;
  bool overflow;
};

static void
append (struct output *o, const char *data, size_t n)
{
  if (o->overflow || o->len + n > MAX_OUTPUT) {
    o->overflow = true;
    return;
  }
  char *b = realloc (o->buf, o->len + n + 1);
  if (b == NULL) {
    o->overflow = true;
    return;
  }
  memcpy (b + o->len, data, n);
  o->len += n;
  b[o->len] = '\0';
  o->buf = b;
}

/* Reads stdout and stderr of the child until both close. */
static void
collect (int out_fd, int err_fd, struct output *out, struct output *errs)
{
  struct pollfd fds[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
  struct output *dest[2] = { out, errs };
  int open_fds = 2;
  char buf[4096];

  while (open_fds > 0) {
    if (poll (fds, 2, -1) == -1) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0)
        continue;
      ssize_t n = read (fds[i].fd, buf, sizeof buf);
      if (n > 0)
        append (dest[i], buf, (size_t) n);
      else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        open_fds--;
      }
    }
  }
}

static void
child (const char *prog, char *const argv[], int out_fd, int err_fd)
{
  /* Only async-signal-safe calls from here to exec. */
  struct rlimit as = { 1024UL * 1024 * 1024, 1024UL * 1024 * 1024 };
  struct rlimit cpu = { 10, 10 };
  sigset_t none;
  int null = open ("/dev/null", O_RDONLY);

  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  if (null == -1 || dup2 (null, 0) == -1 || dup2 (out_fd, 1) == -1 ||
      dup2 (err_fd, 2) == -1)
    _exit (126);
  if (close_range (3, ~0U, 0) == -1) {
    long max = sysconf (_SC_OPEN_MAX);
    for (long fd = 3; fd < (max > 0 ? max : 1024); ++fd)
      close ((int) fd);
  }
  setrlimit (RLIMIT_AS, &as);
  setrlimit (RLIMIT_CPU, &cpu);
  execv (prog, argv);
  _exit (127);
}

static void
first_line (const char *text, char *buf, size_t len)
{
  size_t n = text ? strcspn (text, "\n") : 0;
  if (n >= len)
    n = len - 1;
  memcpy (buf, text ? text : "", n);
  buf[n] = '\0';
}

int
qemu_img_run (char *const argv[], char **out_r, size_t *outlen_r, char *err,
              size_t errlen)
{
  CLEANUP_FREE char *prog = find_program (argv[0]);
  if (prog == NULL) {
    set_err (err, errlen, "cannot run qemu-img: %s", strerror (errno));
    return -1;
  }
  int outp[2], errp[2];
  if (pipe2 (outp, O_CLOEXEC) == -1) {
    set_err (err, errlen, "pipe: %s", strerror (errno));
    return -1;
  }
  if (pipe2 (errp, O_CLOEXEC) == -1) {
    set_err (err, errlen, "pipe: %s", strerror (errno));
    close (outp[0]);
    close (outp[1]);
    return -1;
  }
  pid_t pid = fork ();
  if (pid == 0)
    child (prog, argv, outp[1], errp[1]);
  close (outp[1]);
  close (errp[1]);
  struct output out = { NULL, 0, false }, errs = { NULL, 0, false };
  if (pid != -1)
    collect (outp[0], errp[0], &out, &errs);
  int fork_errno = errno;
  close (outp[0]);
  close (errp[0]);
  CLEANUP_FREE char *out_buf = out.buf, *err_buf = errs.buf;
  if (pid == -1) {
    set_err (err, errlen, "fork: %s", strerror (fork_errno));
    return -1;
  }
  int status;
  while (waitpid (pid, &status, 0) == -1)
    if (errno != EINTR) {
      set_err (err, errlen, "waitpid: %s", strerror (errno));
      return -1;
    }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    char line[512];
    first_line (err_buf, line, sizeof line);
    if (WIFSIGNALED (status))
      set_err (err, errlen, "qemu-img %s: killed by signal %d%s%s", argv[1],
               WTERMSIG (status), line[0] ? ": " : "", line);
    else
      set_err (err, errlen, "qemu-img %s: %s", argv[1],
               line[0] ? line : "failed with no message");
    return -1;
  }
  if (out.overflow) {
    set_err (err, errlen, "qemu-img %s: more than %d bytes of output",
             argv[1], MAX_OUTPUT);
    return -1;
  }
  if (out_r) {
    *out_r = out_buf;
    *outlen_r = out.len;
    out_buf = NULL;
  }
  return 0;
}

int
qemu_img_info (const char *opts, const char *object,
               struct qemu_img_info *info, char *err, size_t errlen)
{
  char *argv[] = { (char *) "qemu-img", (char *) "info",
                   (char *) "--output=json", (char *) "-U",
                   (char *) "--image-opts", (char *) opts,
                   (char *) "--object", (char *) object, NULL };
  if (object == NULL)
    argv[6] = NULL;
  CLEANUP_FREE char *out = NULL;
  size_t len = 0;
  if (qemu_img_run (argv, &out, &len, err, errlen) == -1)
    return -1;
  return qemu_img_info_parse (out ? out : "", len, info, err, errlen);
}
