/* The handle: creation, configuration, state checks, private data and
 * closing. */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "cleanup.h"
#include "guestfs-internal.h"
#include "fileutil.h"
#include "internal-actions.h"

#define DEFAULT_MEMSIZE 512
#define MIN_MEMSIZE 256

/* Every open handle, so that an exiting program does not leave qemu
 * or temporary files behind. */
static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;
static guestfs_h *handles;
static bool atexit_registered;

static void
close_handles_at_exit (void)
{
  for (;;) {
    pthread_mutex_lock (&handles_lock);
    guestfs_h *g = handles;
    while (g && !g->close_on_exit)
      g = g->next;
    pthread_mutex_unlock (&handles_lock);
    if (g == NULL)
      break;
    guestfs_close (g);
  }
}

static char **
split_colons (guestfs_h *g, const char *s)
{
  size_t n = 1;
  for (const char *p = s; *p; ++p)
    n += *p == ':';
  char **r = safe_calloc (g, n + 1, sizeof (char *));
  size_t i = 0;
  const char *start = s;
  for (const char *p = s;; ++p) {
    if (*p == ':' || *p == '\0') {
      if (p > start)
        r[i++] = strndup (start, p - start);
      if (*p == '\0')
        break;
      start = p + 1;
    }
  }
  return r;
}

/* "appliance" is what libguestfs called the direct backend when
 * backends were attach methods. */
static const char *
canonical_backend (const char *b)
{
  return strcmp (b, "appliance") == 0 ? "direct" : b;
}

/* Where parse_environment looks variables up: the process environment,
 * or a list of "NAME=VALUE" strings (parse_environment_list). */
struct env_source {
  char *const *list; /* NULL: getenv */
};

static const char *
env_get (const struct env_source *e, const char *name)
{
  if (e->list == NULL)
    return getenv (name);
  size_t n = strlen (name);
  for (char *const *p = e->list; *p; ++p)
    if (strncmp (*p, name, n) == 0 && (*p)[n] == '=')
      return *p + n + 1;
  return NULL;
}

static void
set_from_env (guestfs_h *g, char **field, const char *value)
{
  if (value && *value) {
    free (*field);
    *field = safe_strdup (g, value);
  }
}

static void
parse_environment (guestfs_h *g, const struct env_source *e)
{
  const char *s;
  if ((s = env_get (e, "LIBGUESTFS_DEBUG")) && strcmp (s, "1") == 0)
    g->verbose = true;
  if ((s = env_get (e, "LIBGUESTFS_TRACE")) && strcmp (s, "1") == 0)
    g->trace = true;
  set_from_env (g, &g->path, env_get (e, "LIBGUESTFS_PATH"));
  /* libguestfs 1.48 reads LIBGUESTFS_HV; LIBGUESTFS_QEMU is its
   * older name. */
  s = env_get (e, "LIBGUESTFS_HV");
  set_from_env (g, &g->qemu, s && *s ? s : env_get (e, "LIBGUESTFS_QEMU"));
  set_from_env (g, &g->cachedir, env_get (e, "LIBGUESTFS_CACHEDIR"));
  set_from_env (g, &g->tmpdir_base, env_get (e, "LIBGUESTFS_TMPDIR"));
  set_from_env (g, &g->append, env_get (e, "LIBGUESTFS_APPEND"));
  s = env_get (e, "LIBGUESTFS_BACKEND");
  if (s == NULL || *s == '\0')
    s = env_get (e, "LIBGUESTFS_ATTACH_METHOD");
  if (s && *s)
    set_from_env (g, &g->backend, canonical_backend (s));
  if ((s = env_get (e, "LIBGUESTFS_BACKEND_SETTINGS")) && *s) {
    guestfs_int_free_string_list (g->backend_settings);
    g->backend_settings = split_colons (g, s);
  }
  if ((s = env_get (e, "LIBGUESTFS_MEMSIZE")) && *s) {
    char *end;
    long m = strtol (s, &end, 10);
    if (*end == '\0' && m >= MIN_MEMSIZE && m <= 1024 * 1024)
      g->memsize = m;
    else
      fprintf (stderr, "libguestfs: warning: LIBGUESTFS_MEMSIZE=%s ignored: "
                       "not a number of megabytes >= %d\n", s, MIN_MEMSIZE);
  }
}

int
guestfs_impl_parse_environment (guestfs_h *g)
{
  const struct env_source e = { NULL };
  parse_environment (g, &e);
  return 0;
}

int
guestfs_impl_parse_environment_list (guestfs_h *g, char *const *environment)
{
  const struct env_source e = { environment };
  parse_environment (g, &e);
  return 0;
}

GUESTFS_DLL_PUBLIC guestfs_h *
guestfs_create_flags (unsigned flags, ...)
{
  if (flags & ~(unsigned) (GUESTFS_CREATE_NO_ENVIRONMENT |
                           GUESTFS_CREATE_NO_CLOSE_ON_EXIT)) {
    errno = EINVAL;
    return NULL;
  }
  guestfs_h *g = calloc (1, sizeof *g);
  if (g == NULL)
    return NULL;
  pthread_mutexattr_t attr;
  pthread_mutexattr_init (&attr);
  pthread_mutexattr_settype (&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init (&g->lock, &attr);
  pthread_mutexattr_destroy (&attr);
  guestfs_int_init_error_handling (g);

  g->state = CONFIG;
  g->autosync = true;
  g->memsize = DEFAULT_MEMSIZE;
  g->daemon_fd = g->console_fd = -1;
  g->backend = strdup ("direct");
  g->program = strdup (program_invocation_short_name);
  g->identifier = strdup ("");
  g->close_on_exit = !(flags & GUESTFS_CREATE_NO_CLOSE_ON_EXIT);
  /* guestfs_user_cancel writes here to wake a call waiting on the
   * daemon: a write to an eventfd is async-signal-safe. */
  g->cancel_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (!g->backend || !g->program || !g->identifier || g->cancel_fd == -1) {
    if (g->cancel_fd >= 0)
      close (g->cancel_fd);
    free (g->backend);
    free (g->program);
    free (g->identifier);
    guestfs_int_free_error_data (g);
    free (g);
    return NULL;
  }
  if (!(flags & GUESTFS_CREATE_NO_ENVIRONMENT))
    guestfs_impl_parse_environment (g);

  pthread_mutex_lock (&handles_lock);
  g->next = handles;
  handles = g;
  if (!atexit_registered) {
    atexit (close_handles_at_exit);
    atexit_registered = true;
  }
  pthread_mutex_unlock (&handles_lock);
  return g;
}

GUESTFS_DLL_PUBLIC guestfs_h *
guestfs_create (void)
{
  return guestfs_create_flags (0);
}

static void
free_drives (guestfs_h *g)
{
  guestfs_int_truncate_drives (g, 0);
  free (g->drives);
  g->drives = NULL;
}

static void
remove_tmpdir (guestfs_h *g)
{
  if (g->tmpdir == NULL)
    return;
  /* Only files this handle made live here (sockets, scratch disks). */
  remove_tree (g->tmpdir);
  free (g->tmpdir);
  g->tmpdir = NULL;
}

GUESTFS_DLL_PUBLIC void
guestfs_close (guestfs_h *g)
{
  if (g == NULL)
    return;
  guestfs_int_lock (g);
  if (g->state != CONFIG) {
    if (g->autosync && g->state == READY)
      guestfs_shutdown (g);
    else
      guestfs_kill_subprocess (g);
  }
  guestfs_int_call_callbacks_void (g, GUESTFS_EVENT_CLOSE);

  pthread_mutex_lock (&handles_lock);
  for (guestfs_h **pp = &handles; *pp; pp = &(*pp)->next)
    if (*pp == g) {
      *pp = g->next;
      break;
    }
  pthread_mutex_unlock (&handles_lock);

  free_drives (g);
  guestfs_int_free_inspect_data (g);
  remove_tmpdir (g);
  guestfs_int_free_legacy_callbacks (g);
  guestfs_int_free_pushed_handlers (g);
  free (g->events);
  for (size_t i = 0; i < g->nr_pda; ++i)
    free (g->pda[i].key);
  free (g->pda);
  free (g->path);
  free (g->qemu);
  free (g->cachedir);
  free (g->tmpdir_base);
  free (g->append);
  free (g->backend);
  free (g->program);
  free (g->identifier);
  guestfs_int_free_string_list (g->backend_settings);
  guestfs_int_free_string_list (g->libvirt_supported_creds);
  for (size_t i = 0; i < 2 * g->nr_hv_params; ++i)
    free (g->hv_params[i]);
  free (g->hv_params);
  if (g->test_fp)
    fclose (g->test_fp);
  free (g->sendbuf);
  free (g->recvbuf);
  free (g->console_line);
  close (g->cancel_fd);
  guestfs_int_free_error_data (g);
  guestfs_int_unlock (g);
  pthread_mutex_destroy (&g->lock);
  free (g);
}

void
guestfs_int_lock (guestfs_h *g)
{
  pthread_mutex_lock (&g->lock);
}

void
guestfs_int_unlock (guestfs_h *g)
{
  pthread_mutex_unlock (&g->lock);
}

static const char *const state_names[] = {
  "CONFIG", "LAUNCHING", "READY", "BUSY",
};

int
guestfs_int_check_ready (guestfs_h *g, const char *name)
{
  if (g->state == READY)
    return 0;
  if (g->state == CONFIG)
    guestfs_int_error_errno (g, EINVAL, "%s: call launch before using this "
                             "function", name);
  else
    guestfs_int_error_errno (g, EBUSY, "%s: the handle is %s, not READY",
                             name, state_names[g->state]);
  return -1;
}

int
guestfs_int_check_config (guestfs_h *g, const char *name)
{
  if (g->state == CONFIG)
    return 0;
  guestfs_int_error_errno (g, EINVAL, "%s: this function can only be "
                           "called in the CONFIG state (the handle is %s)",
                           name, state_names[g->state]);
  return -1;
}

int
guestfs_int_check_pathname (guestfs_h *g, const char *name,
                            const char *argname, const char *p)
{
  if (p[0] == '/')
    return 0;
  guestfs_int_error_errno (g, EINVAL, "%s: %s: \"%s\" is not an absolute "
                           "path (it must start with /)", name, argname, p);
  return -1;
}

void
guestfs_int_debug (guestfs_h *g, const char *fs, ...)
{
  char *msg;
  va_list ap;
  va_start (ap, fs);
  int r = vasprintf (&msg, fs, ap);
  va_end (ap);
  if (r == -1)
    return;
  guestfs_int_call_callbacks_message (g, GUESTFS_EVENT_LIBRARY, msg, r);
  free (msg);
}

/* ---- String lists ---- */

size_t
guestfs_int_count_strings (char *const *list)
{
  size_t n = 0;
  while (list && list[n])
    ++n;
  return n;
}

void
guestfs_int_free_string_list (char **list)
{
  for (size_t i = 0; list && list[i]; ++i)
    free (list[i]);
  free (list);
}

char **
guestfs_int_copy_string_list (guestfs_h *g, char *const *l)
{
  size_t n = guestfs_int_count_strings (l);
  char **r = safe_calloc (g, n + 1, sizeof (char *));
  for (size_t i = 0; i < n; ++i)
    r[i] = safe_strdup (g, l[i]);
  return r;
}

/* Turn a decoded XDR list into a NULL-terminated array, taking
 * ownership of the strings. */
char **
guestfs_int_take_strlist (guestfs_h *g, char **val, u_int len, int hashtable)
{
  if (hashtable && len % 2 != 0) {
    guestfs_int_error_errno (g, EIO, "the daemon returned a hash with an odd "
                             "number of elements");
    for (u_int i = 0; i < len; ++i)
      free (val[i]);
    free (val);
    return NULL;
  }
  char **r = safe_realloc (g, val, (len + 1) * sizeof (char *));
  r[len] = NULL;
  return r;
}

const char *
guestfs_int_get_backend_setting (guestfs_h *g, const char *name)
{
  size_t n = strlen (name);
  for (size_t i = 0; g->backend_settings && g->backend_settings[i]; ++i) {
    const char *s = g->backend_settings[i];
    if (strncmp (s, name, n) == 0 && (s[n] == '\0' || s[n] == '='))
      return s[n] == '=' ? s + n + 1 : "";
  }
  return NULL;
}

int
guestfs_int_lazy_make_tmpdir (guestfs_h *g)
{
  if (g->tmpdir)
    return 0;
  CLEANUP_FREE char *base = guestfs_impl_get_tmpdir (g);
  char *tmpl = safe_asprintf (g, "%s/libguestfsXXXXXX", base);
  if (mkdtemp (tmpl) == NULL) {
    perrorf (g, "mkdtemp: %s", tmpl);
    free (tmpl);
    return -1;
  }
  g->tmpdir = tmpl;
  return 0;
}

/* ---- Private data area ---- */

GUESTFS_DLL_PUBLIC void
guestfs_set_private (guestfs_h *g, const char *key, void *data)
{
  guestfs_int_lock (g);
  for (size_t i = 0; i < g->nr_pda; ++i)
    if (strcmp (g->pda[i].key, key) == 0) {
      g->pda[i].data = data;
      guestfs_int_unlock (g);
      return;
    }
  g->pda = safe_realloc (g, g->pda, (g->nr_pda + 1) * sizeof *g->pda);
  g->pda[g->nr_pda].key = safe_strdup (g, key);
  g->pda[g->nr_pda].data = data;
  ++g->nr_pda;
  guestfs_int_unlock (g);
}

GUESTFS_DLL_PUBLIC void *
guestfs_get_private (guestfs_h *g, const char *key)
{
  void *r = NULL;
  guestfs_int_lock (g);
  for (size_t i = 0; i < g->nr_pda; ++i)
    if (strcmp (g->pda[i].key, key) == 0) {
      r = g->pda[i].data;
      break;
    }
  guestfs_int_unlock (g);
  return r;
}

/* Iteration skips entries set to NULL, which count as removed. */
static void *
pda_from (guestfs_h *g, size_t i, const char **key_rtn)
{
  for (; i < g->nr_pda; ++i)
    if (g->pda[i].data) {
      g->pda_next = i + 1;
      *key_rtn = g->pda[i].key;
      return g->pda[i].data;
    }
  g->pda_next = g->nr_pda;
  return NULL;
}

GUESTFS_DLL_PUBLIC void *
guestfs_first_private (guestfs_h *g, const char **key_rtn)
{
  return pda_from (g, 0, key_rtn);
}

GUESTFS_DLL_PUBLIC void *
guestfs_next_private (guestfs_h *g, const char **key_rtn)
{
  return pda_from (g, g->pda_next, key_rtn);
}

/* ---- Configuration actions ---- */

int
guestfs_impl_set_verbose (guestfs_h *g, int verbose)
{
  g->verbose = verbose;
  return 0;
}

int
guestfs_impl_get_verbose (guestfs_h *g)
{
  return g->verbose;
}

int
guestfs_impl_set_trace (guestfs_h *g, int trace)
{
  g->trace = trace;
  return 0;
}

int
guestfs_impl_get_trace (guestfs_h *g)
{
  return g->trace;
}

static void
replace_string (guestfs_h *g, char **field, const char *value)
{
  free (*field);
  *field = value ? safe_strdup (g, value) : NULL;
}

int
guestfs_impl_set_path (guestfs_h *g, const char *searchpath)
{
  replace_string (g, &g->path, searchpath);
  return 0;
}

const char *
guestfs_impl_get_path (guestfs_h *g)
{
  return g->path ? g->path : "";
}

int
guestfs_impl_set_qemu (guestfs_h *g, const char *hv)
{
  replace_string (g, &g->qemu, hv);
  return 0;
}

const char *
guestfs_impl_get_qemu (guestfs_h *g)
{
  return g->qemu ? g->qemu : QEMU_DEFAULT;
}

int
guestfs_impl_set_memsize (guestfs_h *g, int memsize)
{
  if (memsize < MIN_MEMSIZE) {
    guestfs_int_error_errno (g, EINVAL, "set_memsize: memsize: %d is below "
                             "the minimum of %d megabytes", memsize,
                             MIN_MEMSIZE);
    return -1;
  }
  g->memsize = memsize;
  return 0;
}

int
guestfs_impl_get_memsize (guestfs_h *g)
{
  return g->memsize;
}

int
guestfs_impl_set_append (guestfs_h *g, const char *append)
{
  replace_string (g, &g->append, append);
  return 0;
}

const char *
guestfs_impl_get_append (guestfs_h *g)
{
  return g->append;
}

static bool
backend_name_ok (const char *b)
{
  return strcmp (b, "direct") == 0 || strcmp (b, "qemu") == 0 ||
         (strncmp (b, "unix:", 5) == 0 && b[5] != '\0');
}

int
guestfs_impl_set_backend (guestfs_h *g, const char *backend)
{
  backend = canonical_backend (backend);
  if (!backend_name_ok (backend)) {
    guestfs_int_error_errno (g, EINVAL, "set_backend: backend: \"%s\" is "
                             "not one of direct, qemu, unix:PATH", backend);
    return -1;
  }
  replace_string (g, &g->backend, backend);
  return 0;
}

char *
guestfs_impl_get_backend (guestfs_h *g)
{
  return safe_strdup (g, g->backend);
}

int
guestfs_impl_set_attach_method (guestfs_h *g, const char *backend)
{
  return guestfs_impl_set_backend (g, backend);
}

char *
guestfs_impl_get_attach_method (guestfs_h *g)
{
  return guestfs_impl_get_backend (g);
}

int
guestfs_impl_set_hv (guestfs_h *g, const char *hv)
{
  return guestfs_impl_set_qemu (g, hv);
}

char *
guestfs_impl_get_hv (guestfs_h *g)
{
  return safe_strdup (g, guestfs_impl_get_qemu (g));
}

int
guestfs_impl_set_cachedir (guestfs_h *g, const char *cachedir)
{
  replace_string (g, &g->cachedir, cachedir);
  return 0;
}

int
guestfs_impl_set_tmpdir (guestfs_h *g, const char *tmpdir)
{
  replace_string (g, &g->tmpdir_base, tmpdir);
  return 0;
}

char *
guestfs_impl_get_tmpdir (guestfs_h *g)
{
  if (g->tmpdir_base)
    return safe_strdup (g, g->tmpdir_base);
  const char *t = getenv ("TMPDIR");
  return safe_strdup (g, t && *t ? t : "/tmp");
}

char *
guestfs_impl_get_sockdir (guestfs_h *g)
{
  return guestfs_impl_get_tmpdir (g);
}

int
guestfs_impl_set_backend_settings (guestfs_h *g, char *const *settings)
{
  guestfs_int_free_string_list (g->backend_settings);
  g->backend_settings = guestfs_int_copy_string_list (g, settings);
  return 0;
}

char **
guestfs_impl_get_backend_settings (guestfs_h *g)
{
  return guestfs_int_copy_string_list (g, g->backend_settings);
}

int
guestfs_impl_get_state (guestfs_h *g)
{
  return g->state;
}

int
guestfs_impl_is_config (guestfs_h *g)
{
  return g->state == CONFIG;
}

int
guestfs_impl_is_launching (guestfs_h *g)
{
  return g->state == LAUNCHING;
}

int
guestfs_impl_is_ready (guestfs_h *g)
{
  return g->state == READY;
}

int
guestfs_impl_is_busy (guestfs_h *g)
{
  return g->state == BUSY;
}

int
guestfs_impl_set_autosync (guestfs_h *g, int autosync)
{
  g->autosync = autosync;
  return 0;
}

int
guestfs_impl_get_autosync (guestfs_h *g)
{
  return g->autosync;
}

struct guestfs_version *
guestfs_impl_version (guestfs_h *g)
{
  struct guestfs_version *v = safe_malloc (g, sizeof *v);
  v->major = PACKAGE_VERSION_MAJOR;
  v->minor = PACKAGE_VERSION_MINOR;
  v->release = PACKAGE_VERSION_RELEASE;
  v->extra = safe_strdup (g, "");
  return v;
}

int
guestfs_impl_set_program (guestfs_h *g, const char *program)
{
  replace_string (g, &g->program, program);
  return 0;
}

const char *
guestfs_impl_get_program (guestfs_h *g)
{
  return g->program;
}

int
guestfs_impl_set_identifier (guestfs_h *g, const char *identifier)
{
  for (const char *p = identifier; *p; ++p)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')) {
      guestfs_int_error_errno (g, EINVAL, "set_identifier: identifier: "
                               "only letters, digits, _ and - are allowed");
      return -1;
    }
  replace_string (g, &g->identifier, identifier);
  return 0;
}

const char *
guestfs_impl_get_identifier (guestfs_h *g)
{
  return g->identifier;
}

GUESTFS_DLL_PUBLIC int
guestfs_user_cancel (guestfs_h *g)
{
  g->user_cancel = 1;
  uint64_t one = 1;
  if (write (g->cancel_fd, &one, sizeof one) == -1) {
    /* The counter is already non-zero (EAGAIN): the waiter will wake. */
  }
  return 0;
}
