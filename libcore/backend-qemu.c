/* The qemu backend (the default, also called "direct"): find or build
 * the appliance, choose the accelerator, start qemu with the drives,
 * and wait for the daemon's launch flag on the virtio-serial channel.
 *
 * qemu opens no host file itself: the library opens the drives, the
 * appliance's kernel, initrd and disk, and passes them as descriptors
 * (-add-fd and /dev/fdset/N for drives, /dev/fd/N for the kernel and
 * initrd), with one end of a socket pair as the chardev behind the
 * org.libguestfs.channel.0 port.  qemu runs under seccomp (-sandbox),
 * and when the caller is root, as an unprivileged user (see
 * qemu_credentials), so that a guest that takes over qemu can neither
 * open the host's files nor start programs.  qemu's stdout and stderr
 * (the serial console and its own messages) come back on a pipe that
 * the protocol code drains into the appliance log event.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "guestfs-internal.h"
#include "appliance.h"
#include "qemu.h"
#include "util.h"
#include "backend-qemu.h"

#define DEFAULT_LAUNCH_TIMEOUT_S 300
#define SHUTDOWN_GRACE_MS 30000
#define ERRLEN 4096

/* The user qemu runs as when the caller is root: a dedicated system
 * user (scripts/install-deps creates it), else nobody. */
#define QEMU_USER "guestfs-qemu"
#define QEMU_FALLBACK_USER "nobody"

/* What qemu-img may print about a backing chain. */
#define QEMU_IMG_OUTPUT_MAX (1 << 20)
#define BACKING_CHAIN_MAX 16

static bool wait_qemu (guestfs_h *g, struct qemu_data *q, int ms,
                       int *status);

static void
appliance_log (void *opaque, const char *msg)
{
  guestfs_h *g = opaque;
  debug (g, "appliance: %s", msg);
}

/* The last lines of the console, for launch errors. */
static char *
console_tail (guestfs_h *g, size_t max)
{
  size_t len = g->console_tail_len;
  const char *start = g->console_tail;
  if (len > max) {
    start += len - max;
    len = max;
    const char *nl = memchr (start, '\n', len);
    if (nl) {
      len -= nl + 1 - start;
      start = nl + 1;
    }
  }
  return safe_asprintf (g, "%.*s", (int) len, start);
}

static void __attribute__ ((format (printf, 3, 4)))
launch_error (guestfs_h *g, int err, const char *fs, ...)
{
  guestfs_int_drain_console (g);
  char *what;
  va_list ap;
  va_start (ap, fs);
  if (vasprintf (&what, fs, ap) == -1)
    g->abort_cb ();
  va_end (ap);
  char *tail = console_tail (g, 2000);
  guestfs_int_error_errno (g, err, "launch: %s%s%s", what,
                           *tail ? "\nThe appliance's console ended with:\n"
                                 : "",
                           tail);
  free (tail);
  free (what);
}

int
guestfs_int_qemu_choose_accel (guestfs_h *g, const char *qemu, const char *cachedir,
              const char **accel)
{
  unsigned flags = 0;
  if (guestfs_int_get_backend_setting (g, "force_tcg"))
    flags |= QEMU_ACCEL_FORCE_TCG;
  if (guestfs_int_get_backend_setting (g, "force_kvm"))
    flags |= QEMU_ACCEL_FORCE_KVM;
  if (flags == (QEMU_ACCEL_FORCE_TCG | QEMU_ACCEL_FORCE_KVM)) {
    guestfs_int_error_errno (g, EINVAL, "launch: force_tcg and force_kvm "
                             "cannot both be set");
    return -1;
  }
  char reason[512];
  enum qemu_accel_choice c = qemu_choose_accel (qemu, cachedir, flags, 0,
                                                reason, sizeof reason);
  *accel = c == QEMU_ACCEL_KVM ? "kvm" : "tcg";
  debug (g, "accelerator %s: %s", *accel, reason);
  return 0;
}

static void
close_passed (struct passed *p)
{
  for (size_t i = 0; i < p->n; ++i)
    close (p->fds[i]);
  p->n = 0;
}

int
guestfs_int_qemu_pass_fd (guestfs_h *g, struct passed *p, int fd)
{
  if (p->n == QEMU_MAX_PASSED_FDS) {
    guestfs_int_error_errno (g, E2BIG, "launch: too many files for qemu");
    close (fd);
    return -1;
  }
  p->fds[p->n] = fd;
  return QEMU_FIRST_PASSED_FD + p->n++;
}

/* Open path for qemu; returns qemu's number for it, or -1 (error set). */
static int
pass_file (guestfs_h *g, struct passed *p, const char *path, int flags)
{
  int fd = open (path, flags | O_CLOEXEC | O_NOCTTY);
  if (fd == -1) {
    perrorf (g, "launch: %s", path);
    return -1;
  }
  return guestfs_int_qemu_pass_fd (g, p, fd);
}

int
guestfs_int_qemu_pass_file (guestfs_h *g, struct passed *p, const char *path,
                            int flags)
{
  return pass_file (g, p, path, flags);
}

/* Open path as fdset set: read-only, and read-write too unless
 * readonly (qemu opens a drive read-only first, then with the access
 * it needs, and takes the descriptor of the same access mode). */
int
guestfs_int_qemu_pass_fdset (guestfs_h *g, struct passed *p, const char *path,
                             bool readonly, int set)
{
  for (int rw = 0; rw <= !readonly; ++rw) {
    int fd = pass_file (g, p, path, rw ? O_RDWR : O_RDONLY);
    if (fd == -1)
      return -1;
    p->sets[p->nsets++] = (struct qemu_add_fd){ .fd = fd, .set = set };
  }
  return 0;
}

/* ---- Backing chains ---- */

/* A JSON string whose opening quote is behind *p, unescaped (NULL if
 * malformed, or if it holds \u escapes, which no file name or format
 * we accept needs). */
static char *
json_string (const char **p)
{
  const char *s = *p;
  char *out = malloc (strlen (s) + 1), *o = out;
  if (out == NULL)
    return NULL;
  while (*s && *s != '"') {
    if (*s != '\\') {
      *o++ = *s++;
      continue;
    }
    const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
    const char *k = s[1] ? strchr (from, s[1]) : NULL;
    if (k == NULL) {
      free (out);
      return NULL;
    }
    *o++ = to[k - from];
    s += 2;
  }
  if (*s != '"') {
    free (out);
    return NULL;
  }
  *o = '\0';
  *p = s + 1;
  return out;
}

/* From qemu-img info --backing-chain --output=json: the "filename" and
 * "format" of each image of the chain, top first, as pairs in chain
 * (2 * BACKING_CHAIN_MAX entries).  Returns the number of images, or -1
 * if the output is not what qemu-img prints. */
static int
parse_chain (const char *json, char **chain)
{
  int depth = 0, n = 0;
  for (const char *p = json; *p; ) {
    char c = *p++;
    if (c == '[' || c == '{')
      ++depth;
    else if (c == ']' || c == '}') {
      if (c == '}' && depth == 2 && ++n == BACKING_CHAIN_MAX)
        return -1;
      --depth;
    }
    else if (c == '"') {
      char *key = json_string (&p);
      if (key == NULL)
        return -1;
      while (*p == ' ' || *p == '\n')
        ++p;
      int slot = depth != 2 || *p != ':' ? -1
                 : strcmp (key, "filename") == 0 ? 0
                 : strcmp (key, "format") == 0 ? 1 : -1;
      free (key);
      if (slot == -1)
        continue;
      ++p;
      while (*p == ' ')
        ++p;
      if (*p++ != '"')
        return -1;
      char *v = json_string (&p);
      if (v == NULL)
        return -1;
      free (chain[2 * n + slot]);
      chain[2 * n + slot] = v;
    }
  }
  for (int i = 0; i < 2 * n; ++i)
    if (chain[i] == NULL)
      return -1;
  return depth == 0 ? n : -1;
}

/* Run qemu-img info on a drive that is not raw, with the caller's
 * rights, and return its output (NULL, error set, if it fails). */
static char *
backing_chain_json (guestfs_h *g, const struct drive *d)
{
  char *fmt = d->format && strcmp (d->format, "auto") != 0
                ? safe_asprintf (g, "%s", d->format) : NULL;
  char *argv[] = { (char *) "qemu-img", (char *) "info", (char *) "-U",
                   (char *) "--backing-chain", (char *) "--output=json",
                   d->filename, fmt ? (char *) "-f" : NULL, fmt, NULL };
  int pipefd[2];
  if (pipe2 (pipefd, O_CLOEXEC) == -1) {
    perrorf (g, "launch: pipe");
    free (fmt);
    return NULL;
  }
  char err[ERRLEN];
  struct qemu_spawn_opts o = { .console_fd = pipefd[1] };
  pid_t pid;
  int r = qemu_spawn (argv, &o, &pid, err, sizeof err);
  close (pipefd[1]);
  free (fmt);
  if (r == -1) {
    close (pipefd[0]);
    guestfs_int_error_errno (g, ENOENT, "launch: %s", err);
    return NULL;
  }
  char *out = safe_malloc (g, QEMU_IMG_OUTPUT_MAX + 1);
  size_t len = 0;
  ssize_t n;
  while ((n = read (pipefd[0], out + len, QEMU_IMG_OUTPUT_MAX - len)) > 0)
    len += n;
  close (pipefd[0]);
  out[len] = '\0';
  int status;
  while (waitpid (pid, &status, 0) == -1 && errno == EINTR)
    ;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    guestfs_int_error_errno (g, EINVAL, "launch: %s: qemu-img info: %s",
                             d->filename, out);
    free (out);
    return NULL;
  }
  return out;
}

static bool
plain_word (const char *s)
{
  if (*s == '\0')
    return false;
  for (; *s; ++s)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
          *s == '_' || *s == '-'))
      return false;
  return true;
}

/* A drive that is not raw may name backing files, which qemu would
 * open by name (and, as another user, could not).  The library finds
 * the chain (qemu-img, with the caller's rights, as qemu itself would
 * have followed it before), opens each backing file read-only, and
 * names them to qemu as fdsets: the "backing" options of the drive. */
static int
pass_backing_chain (guestfs_h *g, struct passed *p, const struct drive *d,
                    char **backing)
{
  *backing = NULL;
  if (d->format == NULL || strcmp (d->format, "raw") == 0)
    return 0;
  char *json = backing_chain_json (g, d);
  if (json == NULL)
    return -1;
  char *chain[2 * BACKING_CHAIN_MAX] = { NULL };
  int n = parse_chain (json, chain), r = 0;
  free (json);
  if (n < 1) {
    guestfs_int_error_errno (g, EINVAL, "launch: %s: cannot read the "
                             "backing chain qemu-img reports", d->filename);
    r = -1;
  }
  char *opts = safe_strdup (g, ""), *prefix = safe_strdup (g, "");
  for (int i = 1; r == 0 && i < n; ++i) {
    const char *file = chain[2 * i], *fmt = chain[2 * i + 1];
    char *more = safe_asprintf (g, "%sbacking.", prefix);
    free (prefix);
    prefix = more;
    int set = p->next_set++;
    if (!plain_word (fmt) || guestfs_int_qemu_pass_fdset (g, p, file, true, set) == -1) {
      if (!plain_word (fmt))
        guestfs_int_error_errno (g, EINVAL, "launch: %s: backing file %s "
                                 "has a strange format", d->filename, file);
      r = -1;
      break;
    }
    more = safe_asprintf (g, "%s,%sdriver=%s,%sfile.driver=file,"
                          "%sfile.filename=/dev/fdset/%d", opts, prefix, fmt,
                          prefix, prefix, set);
    free (opts);
    opts = more;
  }
  for (int i = 0; i < 2 * BACKING_CHAIN_MAX; ++i)
    free (chain[i]);
  free (prefix);
  if (r == -1 || opts[0] == '\0') {
    free (opts);
    return r;
  }
  *backing = opts;
  return 0;
}

void
guestfs_int_qemu_free_drives (struct qemu_drive *d, size_t n)
{
  for (size_t i = 0; d && i < n; ++i) {
    free ((char *) d[i].backing);
    free ((char *) d[i].object);
    free ((char *) d[i].file_opts);
  }
  free (d);
}

/* Whether qemu can pass a guest's discards down to the image. */
static bool
discard_possible (const struct drive *d)
{
  bool format_ok = d->format && (strcmp (d->format, "raw") == 0 ||
                                 strcmp (d->format, "qcow2") == 0);
  bool protocol_ok = d->remote_opts == NULL ||
                     strncmp (d->remote_opts, "file.driver=nbd,", 16) == 0;
  return format_ok && protocol_ok;
}

/* The end of a qemu option value starting at v: the first comma that
 * is not doubled.  The unescaped value goes into *out (heap). */
static const char *
option_value (guestfs_h *g, const char *v, char **out)
{
  char *w = *out = safe_malloc (g, strlen (v) + 1);
  for (; *v && !(v[0] == ',' && v[1] != ','); ++v) {
    *w++ = *v;
    if (v[0] == ',')
      ++v;
  }
  *w = '\0';
  return v;
}

/* An NBD server on a Unix socket that a qemu running as another user
 * may not reach (the socket, or a directory above it, is the caller's):
 * the library connects with the caller's rights and qemu gets the
 * connected socket (server.type=fd).  Returns the drive's protocol
 * options (heap), or NULL with the error set. */
static char *
pass_nbd_socket (guestfs_h *g, struct passed *p, const char *opts)
{
  static const char unix_server[] = "file.server.type=unix,file.server.path=";
  const char *at = strstr (opts, unix_server);
  if (at == NULL)
    return safe_strdup (g, opts);
  CLEANUP_FREE char *path = NULL;
  const char *rest = option_value (g, at + strlen (unix_server), &path);
  struct sockaddr_un sun = { .sun_family = AF_UNIX };
  if (strlen (path) >= sizeof sun.sun_path) {
    guestfs_int_error_errno (g, ENAMETOOLONG, "launch: %s: socket path too "
                             "long", path);
    return NULL;
  }
  strcpy (sun.sun_path, path);
  if (p->n == QEMU_MAX_PASSED_FDS) {
    guestfs_int_error_errno (g, E2BIG, "launch: too many files for qemu");
    return NULL;
  }
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd == -1 || connect (fd, (struct sockaddr *) &sun, sizeof sun) == -1) {
    perrorf (g, "launch: %s", path);
    if (fd >= 0)
      close (fd);
    return NULL;
  }
  p->fds[p->n] = fd;
  int qfd = QEMU_FIRST_PASSED_FD + p->n++;
  return safe_asprintf (g, "%.*sfile.server.type=fd,file.server.str=%d%s",
                        (int) (at - opts), opts, qfd, rest);
}

/* A remote drive's password is in a file of the handle's private
 * directory, which a qemu running as another user cannot search: qemu
 * reads it through a passed descriptor as /dev/fd/N.  That reopens the
 * file, with its permissions checked, so the file (0600, made for this
 * launch) is first given to qemu's user.  object is "secret,id=ID,
 * file=PATH", PATH with doubled commas; returns the object naming the
 * descriptor (heap), or NULL with the error set. */
static char *
pass_secret (guestfs_h *g, struct passed *p, const char *object,
             const struct qemu_spawn_opts *o)
{
  const char *file = strstr (object, ",file=");
  if (file == NULL)
    return safe_strdup (g, object);
  CLEANUP_FREE char *path = NULL;
  option_value (g, file + 6, &path);
  int fd = pass_file (g, p, path, O_RDONLY);
  if (fd == -1)
    return NULL;
  if (o->drop_privileges && fchown (p->fds[p->n - 1], o->uid, o->gid) == -1) {
    perrorf (g, "launch: %s", path);
    return NULL;
  }
  return safe_asprintf (g, "%.*s,file=/dev/fd/%d", (int) (file - object),
                        object, fd);
}

/* Drives as qemu sees them.  The format was probed, checked or given
 * at add time; "auto" alone leaves the probe to qemu.  A local image is
 * passed as descriptors, with its backing chain; a remote one has no
 * local file, and qemu's block driver reaches it. */
struct qemu_drive *
guestfs_int_qemu_make_drives (guestfs_h *g, struct passed *p,
                              const struct qemu_spawn_opts *o)
{
  struct qemu_drive *d = safe_calloc (g, g->nr_drives ? g->nr_drives : 1,
                                      sizeof *d);
  for (size_t i = 0; i < g->nr_drives; ++i) {
    const struct drive *src = &g->drives[i];
    if (src->discard == DISCARD_ENABLE && !discard_possible (src)) {
      guestfs_int_error_errno (g, EINVAL, "launch: %s: discard cannot be "
                               "enabled on a %s image%s", src->filename,
                               src->format ? src->format : "probed",
                               src->remote_opts ? " over this protocol" : "");
      free (d);
      return NULL;
    }
    d[i].path = src->filename;
    d[i].format = src->format == NULL ? "raw"
                  : strcmp (src->format, "auto") == 0 ? NULL : src->format;
    d[i].readonly = src->readonly;
    d[i].cachemode = src->cachemode;
    d[i].blocksize = src->blocksize;
    d[i].discard = src->discard != DISCARD_DISABLE && discard_possible (src)
      ? "unmap" : NULL;
    d[i].copyonread = src->copyonread;
    if (src->remote_opts) {
      if ((o->drop_privileges &&
           (d[i].file_opts = pass_nbd_socket (g, p, src->remote_opts)) ==
             NULL) ||
          (src->secret_object &&
           (d[i].object = pass_secret (g, p, src->secret_object, o)) ==
             NULL)) {
        guestfs_int_qemu_free_drives (d, i + 1);
        return NULL;
      }
      if (d[i].file_opts == NULL)
        d[i].file_opts = safe_strdup (g, src->remote_opts);
      continue;
    }
    d[i].fdset = i + 1;
    char *backing = NULL;
    if (guestfs_int_qemu_pass_fdset (g, p, src->filename, src->readonly, d[i].fdset) == -1 ||
        pass_backing_chain (g, p, src, &backing) == -1) {
      guestfs_int_qemu_free_drives (d, i);
      return NULL;
    }
    d[i].backing = backing;
  }
  return d;
}

/* When the caller is root, qemu runs as QEMU_USER (or nobody), with no
 * supplementary group but the one that may open /dev/kvm. */
static int
qemu_credentials (guestfs_h *g, const char *accel,
                  struct qemu_spawn_opts *o, gid_t *groups)
{
  if (geteuid () != 0)
    return 0;
  struct passwd pw, *res = NULL;
  char buf[4096];
  if ((getpwnam_r (QEMU_USER, &pw, buf, sizeof buf, &res) != 0 ||
       res == NULL) &&
      (getpwnam_r (QEMU_FALLBACK_USER, &pw, buf, sizeof buf, &res) != 0 ||
       res == NULL)) {
    guestfs_int_error_errno (g, ENOENT, "launch: running as root, and "
                             "neither user %s nor %s exists to run qemu as",
                             QEMU_USER, QEMU_FALLBACK_USER);
    return -1;
  }
  if (pw.pw_uid == 0) {
    guestfs_int_error_errno (g, EINVAL, "launch: user %s is root",
                             pw.pw_name);
    return -1;
  }
  o->drop_privileges = true;
  o->uid = pw.pw_uid;
  o->gid = pw.pw_gid;
  o->groups = groups;
  struct stat st;
  if (strcmp (accel, "kvm") == 0 && stat ("/dev/kvm", &st) == 0)
    groups[o->ngroups++] = st.st_gid;
  debug (g, "qemu runs as %s (uid %d)", pw.pw_name, (int) pw.pw_uid);
  return 0;
}

/* An unprivileged qemu cannot be trusted to share the caller's TMPDIR,
 * where it puts the appliance disk's snapshot overlay, nor may be able
 * to write there: it gets a directory of its own in the handle's
 * temporary directory, reached through a descriptor (it cannot search
 * the handle's directory), as TMPDIR=/dev/fd/N.  Returns qemu's
 * environment (free with guestfs_int_free_string_list), or NULL. */
static char **
qemu_environment (guestfs_h *g, struct passed *p,
                  const struct qemu_spawn_opts *o)
{
  if (guestfs_int_lazy_make_tmpdir (g) == -1)
    return NULL;
  char *dir = safe_asprintf (g, "%s/qemu", g->tmpdir);
  if ((mkdir (dir, 0700) == -1 && errno != EEXIST) ||
      chown (dir, o->uid, o->gid) == -1) {
    perrorf (g, "launch: %s", dir);
    free (dir);
    return NULL;
  }
  int fd = pass_file (g, p, dir, O_RDONLY | O_DIRECTORY);
  free (dir);
  if (fd == -1)
    return NULL;
  size_t n = 0;
  while (environ[n])
    ++n;
  char **env = safe_calloc (g, n + 2, sizeof *env);
  size_t j = 0;
  for (size_t i = 0; i < n; ++i)
    if (strncmp (environ[i], "TMPDIR=", 7) != 0)
      env[j++] = safe_strdup (g, environ[i]);
  env[j] = safe_asprintf (g, "TMPDIR=/dev/fd/%d", fd);
  return env;
}

int
guestfs_int_qemu_start_begin (guestfs_h *g, struct qemu_start *s,
                              const struct appliance_files *ap,
                              const char *accel)
{
  int chan[2];
  memset (s, 0, sizeof *s);
  for (size_t i = 0; i < EXTRA_CHANNELS; ++i)
    s->extra[i] = -1;
  s->opts.pass_fds = s->p.fds;
  s->opts.console_fd = -1;
  if (qemu_credentials (g, accel, &s->opts, s->groups) == -1)
    return -1;
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, chan) == -1) {
    perrorf (g, "launch: socketpair");
    return -1;
  }
  g->daemon_fd = chan[0];
  fcntl (chan[0], F_SETFL, O_NONBLOCK);
  s->p.fds[s->p.n++] = chan[1];
  /* The extra channels' qemu ends follow the channel's, as
   * qemu_build_argv numbers them. */
  for (size_t i = 0; i < EXTRA_CHANNELS; ++i) {
    if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, chan) == -1) {
      perrorf (g, "launch: socketpair");
      return -1;
    }
    s->extra[i] = chan[0];
    fcntl (chan[0], F_SETFL, O_NONBLOCK);
    s->p.fds[s->p.n++] = chan[1];
  }
  int kfd = pass_file (g, &s->p, ap->kernel, O_RDONLY);
  int ifd = kfd == -1 ? -1 : pass_file (g, &s->p, ap->initrd, O_RDONLY);
  if (ifd == -1)
    return -1;
  snprintf (s->kernel, sizeof s->kernel, "/dev/fd/%d", kfd);
  snprintf (s->initrd, sizeof s->initrd, "/dev/fd/%d", ifd);
  return 0;
}

int
guestfs_int_qemu_start_spawn (guestfs_h *g, struct qemu_data *q,
                              struct qemu_start *s, struct qemu_config *cfg)
{
  char **argv = NULL, **env = NULL;
  int pipefd[2] = { -1, -1 };
  int r = -1;
  char err[ERRLEN];

  if (s->opts.drop_privileges &&
      (env = qemu_environment (g, &s->p, &s->opts)) == NULL)
    goto out;
  s->opts.npass = s->p.n;
  s->opts.envp = env;
  cfg->kernel = s->kernel;
  cfg->initrd = s->initrd;
  cfg->channel_socket = NULL;
  cfg->channel_fd = QEMU_FIRST_PASSED_FD;
  cfg->add_fds = s->p.sets;
  cfg->nadd_fds = s->p.nsets;
  cfg->nextra_channels = EXTRA_CHANNELS;
  cfg->extra_params = g->hv_params;
  cfg->nextra_params = g->nr_hv_params;
  argv = qemu_build_argv (cfg, err, sizeof err);
  if (argv == NULL) {
    guestfs_int_error_errno (g, EINVAL, "launch: %s", err);
    goto out;
  }
  if (g->verbose)
    for (size_t i = 0; argv[i]; ++i)
      debug (g, "qemu argv[%zu]: %s", i, argv[i]);

  if (pipe2 (pipefd, O_CLOEXEC) == -1) {
    perrorf (g, "launch: pipe");
    goto out;
  }
  s->opts.console_fd = pipefd[1];
  if (qemu_spawn (argv, &s->opts, &q->pid, err, sizeof err) == -1) {
    guestfs_int_error_errno (g, ENOENT, "launch: %s", err);
    goto out;
  }
  fcntl (pipefd[0], F_SETFL, O_NONBLOCK);
  g->console_fd = pipefd[0];
  pipefd[0] = -1;
  for (size_t i = 0; i < EXTRA_CHANNELS; ++i) {
    q->extra[i] = s->extra[i];
    s->extra[i] = -1;
  }
  q->next_extra = 0;
  r = 0;
out:
  if (pipefd[0] >= 0)
    close (pipefd[0]);
  if (pipefd[1] >= 0)
    close (pipefd[1]);
  s->opts.console_fd = -1;
  s->opts.envp = NULL;
  qemu_free_argv (argv);
  guestfs_int_free_string_list (env);
  return r;
}

void
guestfs_int_qemu_start_end (struct qemu_start *s)
{
  for (size_t i = 0; i < EXTRA_CHANNELS; ++i)
    if (s->extra[i] >= 0)
      close (s->extra[i]);
  close_passed (&s->p);
}

char **
guestfs_int_qemu_monitor_args (char **v, int qmp_fd)
{
  size_t n = 0;
  while (v && v[n])
    ++n;
  char **nv = realloc (v, (n + 5) * sizeof *nv);
  if (nv == NULL) {
    qemu_free_argv (v);
    return NULL;
  }
  nv[n] = strdup ("-chardev");
  if (asprintf (&nv[n + 1], "socket,id=qmp0,fd=%d", qmp_fd) == -1)
    nv[n + 1] = NULL;
  nv[n + 2] = strdup ("-mon");
  nv[n + 3] = strdup ("chardev=qmp0,mode=control");
  nv[n + 4] = NULL;
  for (size_t i = n; i < n + 4; ++i)
    if (nv[i] == NULL) {
      nv[n + 4] = NULL;
      for (size_t j = n; j < n + 4; ++j)
        free (nv[j]), nv[j] = NULL;
      qemu_free_argv (nv);
      return NULL;
    }
  return nv;
}

int
guestfs_int_qemu_monitor_pass (guestfs_h *g, struct qemu_data *q,
                               struct passed *p)
{
  int pair[2];
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == -1) {
    perrorf (g, "launch: socketpair");
    return -1;
  }
  q->mon.fd = pair[0];
  q->mon.len = 0;
  q->mon_ready = false;
  return guestfs_int_qemu_pass_fd (g, p, pair[1]);
}

/* Open everything qemu needs and start it.  The library keeps the other
 * end of the channel as g->daemon_fd. */
static int
start_qemu (guestfs_h *g, struct qemu_data *q,
            const struct appliance_files *ap, const char *qemu,
            const char *accel)
{
  struct qemu_start s;
  struct qemu_drive *drives = NULL;
  char **monitor = NULL;
  int r = -1;

  if (guestfs_int_qemu_start_begin (g, &s, ap, accel) == -1)
    goto out;
  s.p.next_set = g->nr_drives + 2;
  int root_set = g->nr_drives + 1;
  if (ap->root &&
      guestfs_int_qemu_pass_fdset (g, &s.p, ap->root, true, root_set) == -1)
    goto out;
  drives = guestfs_int_qemu_make_drives (g, &s.p, &s.opts);
  if (drives == NULL)
    goto out;
  int qmp_fd = guestfs_int_qemu_monitor_pass (g, q, &s.p);
  if (qmp_fd == -1 ||
      (monitor = guestfs_int_qemu_monitor_args (NULL, qmp_fd)) == NULL)
    goto out;
  struct qemu_config cfg = {
    .qemu = qemu,
    .accel = accel,
    .memsize_mb = g->memsize,
    .smp = g->smp,
    .network = g->network,
    .iface = QEMU_IFACE_VIRTIO_BLK,
    .root = ap->root,
    .root_fdset = root_set,
    .drives = drives,
    .ndrives = g->nr_drives,
    .append = g->append,
    .verbose = g->verbose,
    .extra_args = monitor,
  };
  r = guestfs_int_qemu_start_spawn (g, q, &s, &cfg);
out:
  qemu_free_argv (monitor);
  guestfs_int_qemu_start_end (&s);
  guestfs_int_qemu_free_drives (drives, g->nr_drives);
  return r;
}

/* Has qemu exited?  Reaps it and records a message if so. */
static bool
qemu_exited (guestfs_h *g, struct qemu_data *q, int *status)
{
  if (q->pid <= 0)
    return true;
  if (waitpid (q->pid, status, WNOHANG) != q->pid)
    return false;
  q->pid = 0;
  return true;
}

static void
explain_exit (guestfs_h *g, int status)
{
  guestfs_int_drain_console (g);
  char *tail = console_tail (g, 4096);
  /* qemu refuses an image another process holds the write lock on:
   * the one case worth a sentence of its own. */
  if (strstr (tail, "Failed to get") && strstr (tail, "lock"))
    launch_error (g, EBUSY, "a disk image is in use by another process "
                  "(qemu could not lock it); add it read-only, or stop the "
                  "program using it");
  else if (WIFEXITED (status))
    launch_error (g, EIO, "qemu exited with status %d before the appliance "
                  "was ready", WEXITSTATUS (status));
  else
    launch_error (g, EIO, "qemu was killed by signal %d before the "
                  "appliance was ready", WTERMSIG (status));
  free (tail);
}

int
guestfs_int_qemu_launch_timeout_ms (guestfs_h *g)
{
  const char *s = guestfs_int_get_backend_setting (g, "launch_timeout");
  long secs = s ? strtol (s, NULL, 10) : 0;
  return (secs > 0 ? secs : DEFAULT_LAUNCH_TIMEOUT_S) * 1000;
}

/* Wait for the launch flag, but give up as soon as qemu dies. */
int
guestfs_int_qemu_wait_for_daemon (guestfs_h *g, struct qemu_data *q, int timeout_ms,
                 const struct timespec *start)
{
  for (;;) {
    long left = timeout_ms - guestfs_int_ms_since (start);
    if (left <= 0) {
      launch_error (g, ETIMEDOUT, "the appliance did not start in time");
      return -1;
    }
    int r = guestfs_int_wait_for_launch_flag (g, left < 500 ? left : 500);
    if (r == 0)
      return 0;
    int status;
    if (qemu_exited (g, q, &status)) {
      explain_exit (g, status);
      return -1;
    }
    if (r == -1) {
      /* The channel closed: usually qemu is on its way out, and its exit
       * status and messages say more than the closed channel does. */
      char *why = safe_strdup (g, guestfs_last_error (g));
      if (wait_qemu (g, q, 2000, &status))
        explain_exit (g, status);
      else
        launch_error (g, EIO, "%s", why + (strncmp (why, "launch: ", 8)
                                           ? 0 : 8));
      free (why);
      return -1;
    }
  }
}

static int
qemu_launch (guestfs_h *g, const char *arg)
{
  (void) arg;
  struct timespec start;
  clock_gettime (CLOCK_MONOTONIC, &start);
  struct qemu_data *q = safe_calloc (g, 1, sizeof *q);
  for (size_t i = 0; i < EXTRA_CHANNELS; ++i)
    q->extra[i] = -1;
  q->mon.fd = -1;
  g->backend_data = q;

  char err[ERRLEN];
  char *cachedir = guestfs_get_cachedir (g);
  struct appliance_files ap = { NULL, NULL, NULL };
  const char *qemu = g->qemu ? g->qemu : qemu_default_binary ();
  const char *accel;
  int r = -1;
  if (appliance_locate (g->path, appliance_default_supermin_d (), cachedir,
                        g->verbose, appliance_log, g, &ap, err,
                        sizeof err) == -1) {
    guestfs_int_error_errno (g, ENOENT, "launch: the appliance: %s", err);
    goto out;
  }
  debug (g, "appliance ready after %ld ms: kernel %s", guestfs_int_ms_since (&start),
         ap.kernel);
  if (guestfs_int_qemu_choose_accel (g, qemu, cachedir, &accel) == -1)
    goto out;
  if (guestfs_int_saved_launch (g, q, &ap, qemu, accel, &start) == 1) {
    debug (g, "launched in %ld ms", guestfs_int_ms_since (&start));
    r = 0;
    goto out;
  }
  if (start_qemu (g, q, &ap, qemu, accel) == -1 ||
      guestfs_int_qemu_wait_for_daemon (g, q,
                                        guestfs_int_qemu_launch_timeout_ms (g),
                                        &start) == -1)
    goto out;
  debug (g, "launched in %ld ms", guestfs_int_ms_since (&start));
  r = 0;
out:
  appliance_files_free (&ap);
  free (cachedir);
  return r;
}

static void
free_qemu_data (guestfs_h *g, struct qemu_data *q)
{
  for (size_t i = 0; i < EXTRA_CHANNELS; ++i)
    if (q->extra[i] >= 0)
      close (q->extra[i]);
  if (q->mon.fd >= 0)
    close (q->mon.fd);
  if (q->nbd_sock)
    unlink (q->nbd_sock);
  free (q->nbd_sock);
  free (q);
  g->backend_data = NULL;
}

/* Wait up to ms for qemu to exit on its own, draining the console. */
static bool
wait_qemu (guestfs_h *g, struct qemu_data *q, int ms, int *status)
{
  struct timespec start;
  clock_gettime (CLOCK_MONOTONIC, &start);
  while (!qemu_exited (g, q, status)) {
    if (guestfs_int_ms_since (&start) >= ms)
      return false;
    struct pollfd pfd = { .fd = g->console_fd, .events = POLLIN };
    if (poll (&pfd, g->console_fd >= 0 ? 1 : 0, 20) > 0)
      guestfs_int_drain_console (g);
  }
  return true;
}

static int
qemu_shutdown (guestfs_h *g, bool graceful)
{
  struct qemu_data *q = g->backend_data;
  if (q == NULL)
    return 0;
  int r = 0, status = 0;
  /* The daemon exits when its connection closes (the caller closed it
   * already); init then syncs and powers off, and qemu exits. */
  if (q->pid > 0 && !(graceful && wait_qemu (g, q, SHUTDOWN_GRACE_MS,
                                              &status))) {
    if (graceful)
      guestfs_int_error_errno (g, ETIMEDOUT, "shutdown: the appliance did "
                               "not stop in %d s; killed it",
                               SHUTDOWN_GRACE_MS / 1000), r = -1;
    kill (q->pid, SIGKILL);
    waitpid (q->pid, &status, 0);
    q->pid = 0;
  }
  else if (graceful && !(WIFEXITED (status) && WEXITSTATUS (status) == 0)) {
    guestfs_int_error_errno (g, EIO, "shutdown: qemu exited with status "
                             "%#x", status);
    r = -1;
  }
  free_qemu_data (g, q);
  return r;
}

static int
qemu_open_channel (guestfs_h *g)
{
  struct qemu_data *q = g->backend_data;
  if (q->next_extra == EXTRA_CHANNELS) {
    guestfs_int_error_errno (g, EMFILE, "open channel: all %d extra "
                             "channels are in use", EXTRA_CHANNELS);
    return -1;
  }
  int fd = q->extra[q->next_extra];
  q->extra[q->next_extra++] = -1;
  return fd;
}

const struct backend_ops guestfs_int_backend_qemu = {
  .name = "qemu",
  .launch = qemu_launch,
  .shutdown = qemu_shutdown,
  .open_channel = qemu_open_channel,
};

struct qemu_data *
guestfs_int_qemu_data (guestfs_h *g)
{
  if (g->backend_ops != &guestfs_int_backend_qemu)
    return NULL;
  return g->backend_data;
}

int
guestfs_int_qemu_pid (guestfs_h *g)
{
  const struct qemu_data *q = g->backend_data;
  if (g->backend_ops != &guestfs_int_backend_qemu || q == NULL || q->pid <= 0)
    return -1;
  return q->pid;
}
