#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mountenv.h"

const char *guestmount_path = GUESTMOUNT_PATH;
const char *guestunmount_path = GUESTUNMOUNT_PATH;
const char *guestfsd_path = GUESTFSD_PATH;

/* What must be cleaned up at exit. */
#define MAX_ENVS 64
static struct mountenv *envs[MAX_ENVS];
static size_t nr_envs;
static pid_t owner;

bool
alive (pid_t pid)
{
  return pid > 0 && kill (pid, 0) == 0;
}

int
wait_exit (pid_t pid, double secs)
{
  double end = now () + secs;
  for (;;) {
    int status;
    pid_t r = waitpid (pid, &status, WNOHANG);
    if (r == pid)
      return WIFEXITED (status) ? WEXITSTATUS (status)
                                : 128 + WTERMSIG (status);
    if (r == -1 && errno == ECHILD) {
      /* Not our child (guestmount's daemonized child): poll. */
      if (!alive (pid))
        return 0;
    }
    if (now () > end)
      return -1;
    usleep (10000);
  }
}

struct mountenv *
mountenv_new (void)
{
  struct mountenv *env = malloc (sizeof *env);
  if (env == NULL)
    abort ();
  mountenv_init (env);
  return env;
}

static void
unescape (char *s)
{
  char *o = s;
  for (const char *i = s; *i; ++o)
    if (i[0] == '\\' && i[1] >= '0' && i[1] <= '3' && i[2] && i[3]) {
      *o = (char) ((i[1] - '0') * 64 + (i[2] - '0') * 8 + (i[3] - '0'));
      i += 4;
    } else
      *o = *i++;
  *o = '\0';
}

bool
is_mountpoint (const char *path)
{
  char *real = realpath (path, NULL);
  const char *p = real ? real : path;
  FILE *f = fopen ("/proc/self/mountinfo", "r");
  bool found = false;
  char *line = NULL;
  size_t cap = 0;
  while (f && !found && getline (&line, &cap, f) > 0) {
    char mp[PATH_MAX + 1];
    if (sscanf (line, "%*s %*s %*s %*s %4096s", mp) == 1) {
      unescape (mp);
      found = strcmp (mp, p) == 0;
    }
  }
  free (line);
  if (f)
    fclose (f);
  free (real);
  return found;
}

static void
cleanup_env (struct mountenv *env)
{
  if (env->mnt && is_mountpoint (env->mnt)) {
    fprintf (stderr, "cleanup: detaching %s\n", env->mnt);
    if (umount2 (env->mnt, MNT_DETACH) == -1) {
      char *cmd;
      if (asprintf (&cmd, "fusermount3 -u -z '%s' 2>/dev/null", env->mnt) > 0)
        system (cmd);
    }
  }
  if (alive (env->gm_pid)) {
    kill (env->gm_pid, SIGKILL);
    wait_exit (env->gm_pid, 5);
  }
  if (alive (env->daemon_pid)) {
    kill (env->daemon_pid, SIGKILL);
    waitpid (env->daemon_pid, NULL, 0);
  }
  env->gm_pid = env->daemon_pid = 0;
}

/* Remove an environment's directory (the harness keeps track of only
 * a few temporary directories; the tests here make more). */
static void
remove_dir (struct mountenv *env)
{
  if (env->dir == NULL || is_mountpoint (env->mnt))
    return;
  pid_t pid = fork ();
  if (pid == 0) {
    execlp ("rm", "rm", "-rf", env->dir, (char *) NULL);
    _exit (127);
  }
  if (pid > 0)
    waitpid (pid, NULL, 0);
}

static void
cleanup_all (void)
{
  if (getpid () != owner)
    return;
  for (size_t i = 0; i < nr_envs; ++i) {
    cleanup_env (envs[i]);
    remove_dir (envs[i]);
  }
}

static void
die_on_signal (int sig)
{
  cleanup_all ();
  signal (sig, SIG_DFL);
  raise (sig);
}

void
require_fuse (void)
{
  int fd = open ("/dev/fuse", O_RDWR | O_CLOEXEC);
  if (fd == -1)
    skip ("/dev/fuse cannot be opened: %s", strerror (errno));
  close (fd);
  if (geteuid () != 0 && system ("command -v fusermount3 >/dev/null") != 0)
    skip ("fusermount3 is not installed (needed when not root)");
  if (access (guestmount_path, X_OK) == -1)
    skip ("%s is not built", guestmount_path);
}

void
mountenv_init (struct mountenv *env)
{
  memset (env, 0, sizeof *env);
  env->dir = test_tmpdir ();
  if (asprintf (&env->root, "%s/root", env->dir) == -1 ||
      asprintf (&env->mnt, "%s/mnt", env->dir) == -1 ||
      asprintf (&env->sock, "%s/sock", env->dir) == -1 ||
      asprintf (&env->pidfile, "%s/guestmount.pid", env->dir) == -1 ||
      asprintf (&env->daemon_log, "%s/daemon.log", env->dir) == -1 ||
      asprintf (&env->gm_err, "%s/guestmount.err", env->dir) == -1 ||
      mkdir (env->root, 0755) == -1 || mkdir (env->mnt, 0755) == -1) {
    perror ("mountenv_init");
    exit (EXIT_FAILURE);
  }
  if (nr_envs == 0) {
    owner = getpid ();
    /* guestmount daemonizes: its orphaned child becomes ours, so that
     * its exit status can be collected (and no zombie outlives it). */
    prctl (PR_SET_CHILD_SUBREAPER, 1);
    /* Registered after test_tmpdir's: runs first, unmounting before
     * the directories are removed. */
    atexit (cleanup_all);
    signal (SIGTERM, die_on_signal);
    signal (SIGINT, die_on_signal);
    signal (SIGALRM, die_on_signal);
  }
  if (nr_envs < MAX_ENVS)
    envs[nr_envs++] = env;
}

void
mountenv_start_daemon (struct mountenv *env)
{
  env->daemon_pid = test_spawn_daemon (env->root, env->sock, env->daemon_log);
}

static pid_t
spawn (const char *path, const char *const *args, const char *backend,
       const char *errfile)
{
  const char *argv[64];
  size_t n = 0;
  argv[n++] = path;
  for (size_t i = 0; args && args[i] && n < 63; ++i)
    argv[n++] = args[i];
  argv[n] = NULL;
  pid_t pid = fork ();
  if (pid == 0) {
    if (backend)
      setenv ("LIBGUESTFS_BACKEND", backend, 1);
    if (errfile) {
      int fd = open (errfile, O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0)
        dup2 (fd, 2);
    }
    execv (path, (char **) argv);
    perror (path);
    _exit (127);
  }
  return pid;
}

int
run_guestmount (struct mountenv *env, const char *const *args,
                const char *backend)
{
  char *b = NULL;
  if (backend == NULL && asprintf (&b, "unix:%s", env->sock) == -1)
    abort ();
  pid_t pid = spawn (guestmount_path, args, backend ? backend : b,
                     env->gm_err);
  free (b);
  return wait_exit (pid, 120);
}

int
run_guestunmount (const char *const *args)
{
  return wait_exit (spawn (guestunmount_path, args, NULL, NULL), 120);
}

char *
gm_stderr (struct mountenv *env)
{
  size_t len;
  char *s = host_read (env->gm_err, &len);
  return s ? s : strdup ("");
}

int
children_named (const char *comm)
{
  DIR *d = opendir ("/proc");
  int n = 0;
  struct dirent *de;
  while (d && (de = readdir (d))) {
    char path[300], buf[512];
    snprintf (path, sizeof path, "/proc/%s/stat", de->d_name);
    FILE *f = fopen (path, "r");
    if (f == NULL)
      continue;
    size_t len = fread (buf, 1, sizeof buf - 1, f);
    fclose (f);
    buf[len] = '\0';
    /* pid (comm) state ppid ... */
    char *open_p = strchr (buf, '('), *close_p = strrchr (buf, ')');
    if (!open_p || !close_p)
      continue;
    *close_p = '\0';
    char state;
    int ppid;
    if (sscanf (close_p + 2, "%c %d", &state, &ppid) == 2 &&
        ppid == getpid () && state != 'Z' && strcmp (open_p + 1, comm) == 0)
      ++n;
  }
  if (d)
    closedir (d);
  return n;
}

int
mountenv_mount (struct mountenv *env, const char *const *extra)
{
  mountenv_start_daemon (env);
  const char *argv[64];
  size_t n = 0;
  argv[n++] = "--pid-file";
  argv[n++] = env->pidfile;
  for (size_t i = 0; extra && extra[i] && n < 60; ++i)
    argv[n++] = extra[i];
  argv[n++] = env->mnt;
  argv[n] = NULL;
  int status = run_guestmount (env, argv, NULL);
  if (status == 0)
    mountenv_read_pid (env);
  return status;
}

void
mountenv_read_pid (struct mountenv *env)
{
  char *p = host_read (env->pidfile, NULL);
  env->gm_pid = p ? atoi (p) : 0;
  free (p);
}

int
mountenv_unmount (struct mountenv *env)
{
  if (env->gm_pid == 0 && !is_mountpoint (env->mnt)) {
    cleanup_env (env); /* nothing was mounted: just stop the daemon */
    return -1;
  }
  int status = -1;
  if (run_guestunmount ((const char *[]) { env->mnt, NULL }) != 0)
    fprintf (stderr, "guestunmount %s failed\n", env->mnt);
  if (env->gm_pid > 0) {
    status = wait_exit (env->gm_pid, 60);
    if (status == -1)
      fprintf (stderr, "guestmount %d did not exit\n", env->gm_pid);
  }
  if (env->daemon_pid > 0 && wait_exit (env->daemon_pid, 30) == -1)
    fprintf (stderr, "guestfsd %d did not exit\n", env->daemon_pid);
  cleanup_env (env);
  return status;
}

/* Paths handed out by in_mnt and in_root, freed at exit: tests use
 * them inline. */
static char **paths;
static size_t nr_paths, cap_paths;

static void
free_paths (void)
{
  for (size_t i = 0; i < nr_paths; ++i)
    free (paths[i]);
  free (paths);
  paths = NULL;
  nr_paths = cap_paths = 0;
}

static char *
keep_path (const char *dir, const char *rel)
{
  if (nr_paths == cap_paths) {
    if (cap_paths == 0)
      atexit (free_paths);
    cap_paths = cap_paths ? cap_paths * 2 : 256;
    paths = realloc (paths, cap_paths * sizeof *paths);
    if (paths == NULL)
      abort ();
  }
  char *p;
  if (asprintf (&p, "%s/%s", dir, rel) == -1)
    abort ();
  paths[nr_paths++] = p;
  return p;
}

char *
in_mnt (struct mountenv *env, const char *rel)
{
  return keep_path (env->mnt, rel);
}

char *
in_root (struct mountenv *env, const char *rel)
{
  return keep_path (env->root, rel);
}

long
daemon_requests (struct mountenv *env)
{
  FILE *f = fopen (env->daemon_log, "r");
  if (f == NULL)
    return -1;
  long n = 0;
  char *line = NULL;
  size_t cap = 0;
  while (getline (&line, &cap, f) > 0)
    if (strstr (line, "guestfsd: proc "))
      ++n;
  free (line);
  fclose (f);
  return n;
}

int
shell (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *cmd = xvasprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "+ %s\n", cmd);
  pid_t pid = fork ();
  if (pid == 0) {
    execl ("/bin/bash", "bash", "-c", cmd, (char *) NULL);
    _exit (127);
  }
  free (cmd);
  int status;
  if (pid == -1 || waitpid (pid, &status, 0) != pid)
    return -1;
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

bool
listed (const char *dir, const char *name)
{
  DIR *d = opendir (dir);
  struct dirent *de;
  bool found = false;
  while (d && (de = readdir (d)))
    found |= strcmp (de->d_name, name) == 0;
  if (d)
    closedir (d);
  return found;
}

static void __attribute__ ((noreturn))
write_until_error (const char *path, int ready)
{
  static char block[256 * 1024];
  memset (block, 'w', sizeof block);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  char b = 0;
  if (fd == -1 || write (fd, block, sizeof block) != sizeof block ||
      write (ready, &b, 1) != 1)
    _exit (2);
  for (;;)
    if (write (fd, block, sizeof block) == -1)
      _exit (errno == EIO || errno == ENOTCONN || errno == ECONNABORTED ? 0
                                                                        : 1);
}

pid_t
kill_during_write (struct mountenv *env, const char *name)
{
  int ready[2];
  CHECK (pipe (ready) == 0);
  pid_t writer = fork ();
  if (writer == 0)
    write_until_error (in_mnt (env, name), ready[1]);
  char b;
  CHECK (read (ready[0], &b, 1) == 1);
  close (ready[0]);
  close (ready[1]);
  CHECK (kill (env->gm_pid, SIGKILL) == 0);
  CHECK (wait_exit (env->gm_pid, 30) == 128 + SIGKILL);
  env->gm_pid = 0;
  return writer;
}

int
write_file (const char *path, const void *data, size_t len)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd == -1)
    return -1;
  const char *p = data;
  while (len > 0) {
    ssize_t r = write (fd, p, len);
    if (r <= 0) {
      close (fd);
      return -1;
    }
    p += r;
    len -= r;
  }
  return close (fd);
}
