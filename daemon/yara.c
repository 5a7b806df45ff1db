/* The libyara group: YARA rules, one set per daemon as in libguestfs.
 * The uploaded rules go into an anonymous memory file: loaded as
 * compiled rules if they are, compiled as source otherwise.  Source
 * rules may not include files (which would be the appliance's, not the
 * guest's).  Matches go to the library as a record stream
 * (record-stream.h) of pairs: the path scanned, the rule's name. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yara.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"
#include "fileout.h"

/* Rules bigger than this are refused. */
#define RULES_MAX (64 * 1024 * 1024)
/* A scan that runs longer (seconds) stops with an error. */
#define SCAN_TIMEOUT 600

static YR_RULES *rules;
static bool yara_ready;

static int
init_yara (void)
{
  if (!yara_ready) {
    int r = yr_initialize ();
    if (r != ERROR_SUCCESS) {
      reply_with_error ("yr_initialize: error %d", r);
      return -1;
    }
    yara_ready = true;
  }
  return 0;
}

struct upload {
  int fd;
  size_t size;
};

static int
store_chunk (void *opaque, const void *buf, size_t len)
{
  struct upload *u = opaque;
  if (u->size + len > RULES_MAX) {
    errno = EFBIG;
    return -1;
  }
  u->size += len;
  return pwrite_all (u->fd, buf, len, u->size - len);
}

static const char *
no_includes (const char *name, const char *from, const char *ns, void *data)
{
  (void)name, (void)from, (void)ns, (void)data;
  return NULL;
}

/* The compiler's first error. */
static void
note_error (int level, const char *file, int line, const YR_RULE *rule,
            const char *message, void *opaque)
{
  (void)file, (void)rule;
  char *msg = opaque;
  if (level == YARA_ERROR_LEVEL_ERROR && msg[0] == '\0')
    snprintf (msg, 256, "line %d: %s", line, message);
}

static int
compile_rules (int fd, YR_RULES **out)
{
  YR_COMPILER *c;
  if (yr_compiler_create (&c) != ERROR_SUCCESS) {
    reply_with_error_errno (ENOMEM, "yr_compiler_create");
    return -1;
  }
  char msg[256] = "";
  yr_compiler_set_callback (c, note_error, msg);
  yr_compiler_set_include_callback (c, no_includes, NULL, NULL);
  int r = -1;
  if (lseek (fd, 0, SEEK_SET) == -1)
    reply_with_perror ("lseek");
  else if (yr_compiler_add_fd (c, fd, NULL, "rules") > 0)
    reply_with_error_errno (EINVAL, "the rules do not compile: %s", msg);
  else if (yr_compiler_get_rules (c, out) != ERROR_SUCCESS)
    reply_with_error_errno (ENOMEM, "yr_compiler_get_rules");
  else
    r = 0;
  yr_compiler_destroy (c);
  return r;
}

static int
load_rules (int fd, YR_RULES **out)
{
  CLEANUP_FREE char *p = sysroot_fd_path (fd);
  if (p == NULL) {
    reply_with_perror ("asprintf");
    return -1;
  }
  int r = yr_rules_load (p, out);
  if (r == ERROR_SUCCESS)
    return 0;
  if (r != ERROR_INVALID_FILE && r != ERROR_UNSUPPORTED_FILE_VERSION) {
    reply_with_error ("yr_rules_load: error %d", r);
    return -1;
  }
  return compile_rules (fd, out);
}

int
do_yara_load (void)
{
  CLEANUP_CLOSE int fd = memfd_create ("yara-rules", MFD_CLOEXEC);
  if (fd == -1) {
    int err = errno;
    cancel_receive ();
    reply_with_perror_errno (err, "memfd_create");
    return -1;
  }
  struct upload u = {.fd = fd};
  int r = receive_file (store_chunk, &u);
  if (reply_if_receive_failed (r, errno, "yara_load") == -1 ||
      init_yara () == -1)
    return -1;
  YR_RULES *loaded;
  if (load_rules (fd, &loaded) == -1)
    return -1;
  if (rules)
    yr_rules_destroy (rules);
  rules = loaded;
  return 0;
}

int
do_yara_destroy (void)
{
  if (rules == NULL) {
    reply_with_error ("no yara rules loaded");
    return -1;
  }
  yr_rules_destroy (rules);
  rules = NULL;
  return 0;
}

struct scan {
  struct record_writer w;
  const char *path;
};

static int
on_match (YR_SCAN_CONTEXT *ctx, int message, void *data, void *opaque)
{
  (void)ctx;
  struct scan *s = opaque;
  if (message == CALLBACK_MSG_RULE_MATCHING) {
    const YR_RULE *rule = data;
    record_put_string (&s->w, s->path);
    record_put_string (&s->w, rule->identifier);
  }
  return s->w.failed ? CALLBACK_ABORT : CALLBACK_CONTINUE;
}

int
do_internal_yara_scan (const char *path)
{
  if (rules == NULL) {
    reply_with_error ("no yara rules loaded");
    return -1;
  }
  CLEANUP_CLOSE int fd = sysroot_open (path, O_RDONLY | O_NONBLOCK, 0);
  struct stat st;
  if (fd == -1 || fstat (fd, &st) == -1) {
    reply_with_perror ("%s", path);
    return -1;
  }
  if (!S_ISREG (st.st_mode)) {
    reply_with_error_errno (EINVAL, "%s: not a regular file", path);
    return -1;
  }
  struct scan s = {.path = path};
  record_writer_init (&s.w);
  int r = yr_rules_scan_fd (rules, fd, 0, on_match, &s, SCAN_TIMEOUT);
  if (r != ERROR_SUCCESS && !(r == ERROR_CALLBACK_ERROR && s.w.failed)) {
    record_finish (&s.w);
    reply_with_error ("%s: yara scan failed: error %d", path, r);
    return -1;
  }
  return record_writer_end (&s.w, path);
}
