/* guestmount and guestunmount as programs: command line errors,
 * start-up that fails cleanly, the pid file, --fd, signals, exit
 * codes, read-only mounts, other users, and a daemon that dies.
 */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "mountenv.h"

static bool
contains (const char *haystack, const char *needle)
{
  bool r = haystack && strstr (haystack, needle);
  if (!r)
    fprintf (stderr, "expected \"%s\" in:\n%s\n", needle,
             haystack ? haystack : "(nothing)");
  return r;
}

/* Nothing left behind: not mounted, no new guestmount process. */
static void
check_nothing_left (struct mountenv *env, int guestmounts_before)
{
  CHECK (!is_mountpoint (env->mnt));
  CHECK (children_named ("guestmount") == guestmounts_before);
  CHECK (access (env->pidfile, F_OK) == -1);
}

/* Run guestmount on a fresh environment with the pid file pidfile
 * (NULL: the environment's) and expect it to fail with status 1, a
 * message containing text, and nothing left behind. */
static void
expect_failure_with (const char *pidfile, const char *const *args,
                     const char *backend, const char *text)
{
  struct mountenv *env = mountenv_new ();
  mountenv_start_daemon (env);
  int before = children_named ("guestmount");
  const char *argv[32];
  size_t n = 0;
  argv[n++] = "--pid-file";
  argv[n++] = pidfile ? pidfile : env->pidfile;
  for (size_t i = 0; args[i]; ++i)
    argv[n++] = strcmp (args[i], "MNT") == 0 ? env->mnt : args[i];
  argv[n] = NULL;
  int status = run_guestmount (env, argv, backend);
  char *err = gm_stderr (env);
  if (status != 1)
    fprintf (stderr, "FAIL: status %d, expected 1; stderr:\n%s\n", status,
             err);
  CHECK (status == 1);
  CHECK (contains (err, text));
  free (err);
  check_nothing_left (env, before);
  mountenv_unmount (env); /* stops the daemon */
}

static void
expect_failure (const char *const *args, const char *backend,
                const char *text)
{
  expect_failure_with (NULL, args, backend, text);
}

static void
test_usage_errors (void)
{
  struct mountenv *env = mountenv_new ();
  CHECK (run_guestmount (env, (const char *[]) { "--bogus", env->mnt, NULL },
                         NULL) == 1);
  char *err = gm_stderr (env);
  CHECK (contains (err, "--bogus"));
  free (err);
  CHECK (run_guestmount (env, (const char *[]) { "-Z", env->mnt, NULL },
                         NULL) == 1);
  err = gm_stderr (env);
  CHECK (contains (err, "-Z"));
  free (err);
  CHECK (run_guestmount (env, (const char *[]) { NULL }, NULL) == 1);
  CHECK (run_guestmount (env, (const char *[]) { env->mnt, env->root, NULL },
                         NULL) == 1);
  CHECK (run_guestmount (env,
                         (const char *[]) { "--blocksize", "1000", env->mnt,
                                            NULL }, NULL) == 1);
  CHECK (run_guestmount (env,
                         (const char *[]) { "--dir-cache-timeout", "soon",
                                            env->mnt, NULL }, NULL) == 1);
  CHECK (run_guestmount (env, (const char *[]) { "--fd", "999", env->mnt,
                                                  NULL }, NULL) == 1);
  CHECK (run_guestmount (env, (const char *[]) { "-m", "/dev/sda1:boot",
                                                  env->mnt, NULL }, NULL) == 1);
  CHECK (run_guestmount (env, (const char *[]) { "--key", "nokind", env->mnt,
                                                  NULL }, NULL) == 1);
  CHECK (run_guestmount (env, (const char *[]) { "-i", "-m", "/dev/sda1",
                                                  env->mnt, NULL }, NULL) == 1);
  err = gm_stderr (env);
  CHECK (contains (err, "--blocksize") && contains (err, "--dir-cache") &&
         contains (err, "--fd") && contains (err, "-m ") &&
         contains (err, "--key") && contains (err, "-i"));
  free (err);
  CHECK (shell ("'%s' --help | grep -q Usage", guestmount_path) == 0);
  CHECK (shell ("'%s' -V | grep -q '^guestmount [0-9]'", guestmount_path) ==
         0);
  CHECK (shell ("'%s' --fuse-help | grep -q allow_other", guestmount_path) ==
         0);
  CHECK (run_guestunmount ((const char *[]) { "--bogus", "x", NULL }) == 1);
  CHECK (run_guestunmount ((const char *[]) { NULL }) == 1);
  CHECK (run_guestunmount ((const char *[]) { "--retry", "many", "x",
                                              NULL }) == 1);
  CHECK (shell ("'%s' --help | grep -q Usage", guestunmount_path) == 0);
  CHECK (children_named ("guestmount") == 0);
}

static void
test_failed_startups (void)
{
  /* Missing, non-directory and busy mountpoints. */
  expect_failure ((const char *[]) { "/nonexistent/mountpoint", NULL }, NULL,
                  "No such file or directory");
  expect_failure ((const char *[]) { "/etc/passwd", NULL }, NULL,
                  "not a directory");
  struct mountenv *busy = mountenv_new ();
  CHECK (mountenv_mount (busy, NULL) == 0);
  expect_failure ((const char *[]) { busy->mnt, NULL }, NULL, "busy");
  CHECK (is_mountpoint (busy->mnt)); /* the first mount is untouched */
  CHECK (mountenv_unmount (busy) == 0);
  /* A FUSE option that does not exist. */
  expect_failure ((const char *[]) { "-o", "no_such_option", "MNT", NULL },
                  NULL, "FUSE options");
  /* No daemon to talk to. */
  expect_failure ((const char *[]) { "MNT", NULL }, "unix:/nonexistent/sock",
                  "error");
  /* A filesystem that cannot be mounted (devices are refused by a host
   * daemon, as a missing one is by the appliance). */
  expect_failure ((const char *[]) { "-m", "/dev/sdz9", "MNT", NULL }, NULL,
                  "/dev/sdz9");
}

static void
test_pid_file (void)
{
  struct mountenv *env = mountenv_new (), *other = mountenv_new ();
  CHECK (mountenv_mount (env, NULL) == 0);
  CHECK (env->gm_pid > 0 && alive (env->gm_pid));
  /* Locked while guestmount runs. */
  int fd = open (env->pidfile, O_RDWR);
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
  CHECK (fd >= 0 && fcntl (fd, F_GETLK, &fl) == 0 && fl.l_type == F_WRLCK &&
         fl.l_pid == env->gm_pid);
  close (fd);
  /* A second guestmount may not use it. */
  mountenv_start_daemon (other);
  CHECK (run_guestmount (other,
                         (const char *[]) { "--pid-file", env->pidfile,
                                            other->mnt, NULL }, NULL) == 1);
  char *err = gm_stderr (other);
  CHECK (contains (err, "in use"));
  free (err);
  CHECK (!is_mountpoint (other->mnt));
  mountenv_unmount (other);
  /* Removed when guestmount exits, after everything is written. */
  CHECK (write_file (in_mnt (env, "last"), "data", 4) == 0);
  CHECK (mountenv_unmount (env) == 0);
  CHECK (access (env->pidfile, F_OK) == -1);
  CHECK (access (in_root (env, "last"), F_OK) == 0);
}

/* Whatever is at the pid file's name is not followed or opened: a
 * symbolic link (which as root could clobber any file), a FIFO (which
 * would block), a hard link to another file. */
static void
test_pid_file_refused (void)
{
  struct mountenv *env = mountenv_new ();
  char *target = in_root (env, "precious"), *pf = env->pidfile;
  CHECK (write_file (target, "precious", 8) == 0);
  const char *args[] = { "MNT", NULL };
  CHECK (symlink (target, pf) == 0);
  expect_failure_with (pf, args, NULL, "symbolic link");
  CHECK (unlink (pf) == 0);
  CHECK (mkfifo (pf, 0644) == 0);
  expect_failure_with (pf, args, NULL, "not a regular file");
  CHECK (unlink (pf) == 0);
  CHECK (link (target, pf) == 0);
  expect_failure_with (pf, args, NULL, "hard links");
  CHECK (unlink (pf) == 0);
  size_t len;
  char *c = host_read (target, &len);
  CHECK (c && len == 8 && memcmp (c, "precious", 8) == 0);
  free (c);
  /* Dangling: not created through the link either. */
  char *dangling = in_root (env, "not-created");
  CHECK (symlink (dangling, pf) == 0);
  expect_failure_with (pf, args, NULL, "symbolic link");
  CHECK (access (dangling, F_OK) == -1);
  CHECK (unlink (pf) == 0);
}

/* A relative pid file is the one in the directory guestmount started
 * in, also when it is removed at the end (after guestmount moved to
 * /, where a file of the same name must stay untouched). */
static void
test_pid_file_relative (void)
{
  struct mountenv *env = mountenv_new ();
  mountenv_start_daemon (env);
  char name[64], *decoy = NULL;
  snprintf (name, sizeof name, "guestmount-test-%ld.pid", (long) getpid ());
  if (geteuid () == 0) {
    if (asprintf (&decoy, "/%s", name) == -1)
      abort ();
    CHECK (write_file (decoy, "decoy", 5) == 0);
  }
  char *cwd = getcwd (NULL, 0);
  CHECK (chdir (env->dir) == 0);
  int status = run_guestmount (env, (const char *[]) { "--pid-file", name,
                                                       env->mnt, NULL },
                               NULL);
  CHECK (chdir (cwd) == 0);
  free (cwd);
  CHECK (status == 0);
  char *abs;
  if (asprintf (&abs, "%s/%s", env->dir, name) == -1)
    abort ();
  size_t len;
  char *c = host_read (abs, &len);
  env->gm_pid = c ? atoi (c) : 0;
  free (c);
  CHECK (env->gm_pid > 0 && alive (env->gm_pid));
  CHECK (mountenv_unmount (env) == 0);
  CHECK (access (abs, F_OK) == -1);
  if (decoy) {
    c = host_read (decoy, &len);
    CHECK (c && len == 5 && memcmp (c, "decoy", 5) == 0);
    free (c);
    unlink (decoy);
    free (decoy);
  }
  free (abs);
}

static void
test_ready_fd (void)
{
  struct mountenv *env = mountenv_new ();
  mountenv_start_daemon (env);
  int p[2];
  CHECK (pipe (p) == 0);
  char fdarg[32], *backend;
  snprintf (fdarg, sizeof fdarg, "--fd=%d", p[1]);
  if (asprintf (&backend, "LIBGUESTFS_BACKEND=unix:%s", env->sock) == -1)
    abort ();
  pid_t pid = fork ();
  if (pid == 0) {
    close (p[0]);
    putenv (backend);
    execl (guestmount_path, "guestmount", "--no-fork", fdarg, env->mnt,
           (char *) NULL);
    _exit (127);
  }
  close (p[1]);
  char b;
  CHECK (read (p[0], &b, 1) == 1);
  close (p[0]);
  CHECK (is_mountpoint (env->mnt));
  CHECK (alive (pid)); /* --no-fork: the same process serves */
  env->gm_pid = pid;
  CHECK (mountenv_unmount (env) == 0);
  free (backend);
}

/* A signal unmounts cleanly: status 0, data in the guest. */
static void
test_signal (int sig)
{
  struct mountenv *env = mountenv_new ();
  CHECK (mountenv_mount (env, NULL) == 0);
  CHECK (write_file (in_mnt (env, "before-signal"), "x", 1) == 0);
  CHECK (kill (env->gm_pid, sig) == 0);
  CHECK (wait_exit (env->gm_pid, 30) == 0);
  CHECK (!is_mountpoint (env->mnt));
  CHECK (access (env->pidfile, F_OK) == -1);
  CHECK (access (in_root (env, "before-signal"), F_OK) == 0);
  CHECK (wait_exit (env->daemon_pid, 30) == 0);
}

static void
test_signal_while_busy (void)
{
  struct mountenv *env = mountenv_new ();
  CHECK (mountenv_mount (env, NULL) == 0);
  int fd = open (in_mnt (env, "busy-file"), O_RDWR | O_CREAT, 0644);
  CHECK (fd >= 0);
  CHECK (kill (env->gm_pid, SIGTERM) == 0);
  usleep (500000);
  /* Detached from the namespace, still serving its last user. */
  CHECK (!is_mountpoint (env->mnt));
  CHECK (alive (env->gm_pid));
  CHECK (write (fd, "late", 4) == 4);
  CHECK (close (fd) == 0);
  CHECK (wait_exit (env->gm_pid, 30) == 0);
  char *p = in_root (env, "busy-file");
  size_t len;
  char *c = host_read (p, &len);
  CHECK (c && len == 4 && memcmp (c, "late", 4) == 0);
  free (c);
}

/* A second signal does not wait for the last user; what was written
 * still reaches the guest. */
static void
test_second_signal (void)
{
  struct mountenv *env = mountenv_new ();
  CHECK (mountenv_mount (env, NULL) == 0);
  int fd = open (in_mnt (env, "held"), O_RDWR | O_CREAT, 0644);
  CHECK (fd >= 0 && write (fd, "kept", 4) == 4);
  CHECK (kill (env->gm_pid, SIGTERM) == 0);
  usleep (500000);
  CHECK (alive (env->gm_pid));
  CHECK (kill (env->gm_pid, SIGTERM) == 0);
  CHECK (wait_exit (env->gm_pid, 30) == 0);
  close (fd);
  CHECK (!is_mountpoint (env->mnt));
  char *p = in_root (env, "held");
  size_t len;
  char *c = host_read (p, &len);
  CHECK (c && len == 4 && memcmp (c, "kept", 4) == 0);
  free (c);
  CHECK (wait_exit (env->daemon_pid, 30) == 0);
}

/* A signal unmounts the mountpoint, not what a symbolic link put at
 * its path since then points to (here another mount). */
static void
test_unmount_nofollow (void)
{
  if (geteuid () != 0) {
    fprintf (stderr, "(unmount through a link: root only; skipped)\n");
    return;
  }
  struct mountenv *env = mountenv_new (), *other = mountenv_new ();
  char *sub, *moved;
  if (asprintf (&sub, "%s/sub", env->dir) == -1 ||
      asprintf (&moved, "%s/moved", env->dir) == -1)
    abort ();
  CHECK (mkdir (sub, 0755) == 0);
  free (env->mnt);
  if (asprintf (&env->mnt, "%s/mnt", sub) == -1)
    abort ();
  CHECK (mkdir (env->mnt, 0755) == 0);
  CHECK (mountenv_mount (env, NULL) == 0);
  CHECK (mountenv_mount (other, NULL) == 0);
  /* The mountpoint's path now leads, through a link, to other's. */
  CHECK (rename (sub, moved) == 0);
  CHECK (mkdir (sub, 0755) == 0);
  CHECK (symlink (other->mnt, env->mnt) == 0);
  free (env->mnt);
  if (asprintf (&env->mnt, "%s/mnt", moved) == -1)
    abort ();
  CHECK (kill (env->gm_pid, SIGTERM) == 0);
  usleep (500000);
  CHECK (is_mountpoint (other->mnt) && alive (other->gm_pid));
  CHECK (access (in_mnt (other, "."), F_OK) == 0);
  CHECK (mountenv_unmount (env) == 0);
  CHECK (mountenv_unmount (other) == 0);
  free (sub);
  free (moved);
}

static void
test_guestunmount_codes (void)
{
  struct mountenv *env = mountenv_new ();
  /* 3: not mounted. */
  CHECK (run_guestunmount ((const char *[]) { "-q", env->mnt, NULL }) == 3);
  CHECK (run_guestunmount ((const char *[]) { "-q", "/nonexistent/x",
                                              NULL }) == 3);
  /* 1: not a FUSE mount, left alone. */
  CHECK (run_guestunmount ((const char *[]) { "-q", "/proc", NULL }) == 1);
  CHECK (is_mountpoint ("/proc"));
  CHECK (mountenv_mount (env, NULL) == 0);
  /* 2: busy, even after retries. */
  int fd = open (in_mnt (env, "open-file"), O_RDWR | O_CREAT, 0644);
  CHECK (fd >= 0);
  CHECK (run_guestunmount ((const char *[]) { "-q", "--no-retry", env->mnt,
                                              NULL }) == 2);
  CHECK (run_guestunmount ((const char *[]) { "-q", "--retry=1", env->mnt,
                                              NULL }) == 2);
  CHECK (is_mountpoint (env->mnt));
  close (fd);
  /* --fd: waits for the pipe to close, then unmounts: 0. */
  int p[2];
  CHECK (pipe (p) == 0);
  char fdarg[32];
  snprintf (fdarg, sizeof fdarg, "--fd=%d", p[0]);
  pid_t pid = fork ();
  if (pid == 0) {
    close (p[1]);
    execl (guestunmount_path, "guestunmount", fdarg, env->mnt, (char *) NULL);
    _exit (127);
  }
  close (p[0]);
  usleep (300000);
  CHECK (is_mountpoint (env->mnt) && wait_exit (pid, 0.1) == -1);
  close (p[1]);
  CHECK (wait_exit (pid, 60) == 0);
  CHECK (!is_mountpoint (env->mnt));
  CHECK (wait_exit (env->gm_pid, 30) == 0);
  mountenv_unmount (env);
}

static void
test_read_only (void)
{
  struct mountenv *env = mountenv_new ();
  CHECK (write_file (in_root (env, "f"), "ro", 2) == 0);
  CHECK (mkdir (in_root (env, "d"), 0755) == 0);
  CHECK (mountenv_mount (env, (const char *[]) { "--ro", NULL }) == 0);
  char *f = in_mnt (env, "f"), *d = in_mnt (env, "d");
  size_t len;
  char *c = host_read (f, &len);
  CHECK (c && len == 2);
  free (c);
  CHECK_ERRNO (open (f, O_WRONLY), EROFS);
  CHECK_ERRNO (open (in_mnt (env, "new"), O_WRONLY | O_CREAT, 0644), EROFS);
  CHECK_ERRNO (mkdir (in_mnt (env, "new"), 0755), EROFS);
  CHECK_ERRNO (unlink (f), EROFS);
  CHECK_ERRNO (rmdir (d), EROFS);
  CHECK_ERRNO (rename (f, in_mnt (env, "g")), EROFS);
  CHECK_ERRNO (chmod (f, 0600), EROFS);
  CHECK_ERRNO (truncate (f, 0), EROFS);
  CHECK_ERRNO (setxattr (f, "user.x", "x", 1, 0), EROFS);
  CHECK_ERRNO (symlink ("f", in_mnt (env, "l")), EROFS);
  struct statvfs sv;
  CHECK (statvfs (env->mnt, &sv) == 0 && (sv.f_flag & ST_RDONLY));
  CHECK (mountenv_unmount (env) == 0);
}

/* Without allow_other only the mounting user gets in; with it, the
 * guest's permissions apply to everyone else. */
static void
test_other_users (void)
{
  if (geteuid () != 0 || system ("command -v setpriv >/dev/null") != 0) {
    fprintf (stderr, "(other users: needs root and setpriv; skipped)\n");
    return;
  }
  const char *as_nobody =
    "setpriv --reuid=65534 --regid=65534 --clear-groups";
  struct mountenv *env = mountenv_new ();
  CHECK (chmod (env->dir, 0755) == 0);
  CHECK (write_file (in_root (env, "public"), "p", 1) == 0);
  CHECK (write_file (in_root (env, "private"), "s", 1) == 0);
  CHECK (chmod (in_root (env, "private"), 0600) == 0);
  CHECK (mountenv_mount (env, NULL) == 0);
  CHECK (shell ("%s cat '%s' 2>/dev/null", as_nobody,
                in_mnt (env, "public")) != 0);
  CHECK (mountenv_unmount (env) == 0);

  struct mountenv *env2 = mountenv_new ();
  CHECK (chmod (env2->dir, 0755) == 0);
  CHECK (write_file (in_root (env2, "public"), "p", 1) == 0);
  CHECK (write_file (in_root (env2, "private"), "s", 1) == 0);
  CHECK (chmod (in_root (env2, "private"), 0600) == 0);
  CHECK (mountenv_mount (env2, (const char *[]) { "-o", "allow_other",
                                                   NULL }) == 0);
  CHECK (shell ("%s cat '%s' >/dev/null", as_nobody,
                in_mnt (env2, "public")) == 0);
  CHECK (shell ("%s cat '%s' 2>/dev/null", as_nobody,
                in_mnt (env2, "private")) != 0);
  CHECK (mountenv_unmount (env2) == 0);
}

/* guestmount -x (in the foreground, tracing to env->gm_err), mounted. */
static void
start_traced (struct mountenv *env)
{
  mountenv_start_daemon (env);
  char *backend;
  if (asprintf (&backend, "LIBGUESTFS_BACKEND=unix:%s", env->sock) == -1)
    abort ();
  pid_t pid = fork ();
  if (pid == 0) {
    putenv (backend);
    int fd = open (env->gm_err, O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2 (fd, 2);
    /* -x stays in the foreground and traces every operation. */
    execl (guestmount_path, "guestmount", "-x", env->mnt, (char *) NULL);
    _exit (127);
  }
  free (backend);
  for (int i = 0; i < 300 && !is_mountpoint (env->mnt); ++i)
    usleep (100000);
  CHECK (is_mountpoint (env->mnt));
  env->gm_pid = pid;
}

static void
test_trace (void)
{
  struct mountenv *env = mountenv_new ();
  start_traced (env);
  struct stat st;
  CHECK_ERRNO (stat (in_mnt (env, "traced-name"), &st), ENOENT);
  CHECK (mountenv_unmount (env) == 0);
  char *err = gm_stderr (env);
  CHECK (contains (err, "lookup (") && contains (err, "traced-name") &&
         contains (err, "fuse_lstat"));
  free (err);
}

/* No escape sequence from a guest reaches the terminal: not through
 * a daemon error, a file name or a link target in a trace.  They are
 * shown escaped. */
#define HOSTILE "\x1b]0;owned\x07\x1b[2J"
#define HOSTILE_SHOWN "\\x1b]0;owned\\x07\\x1b[2J"

static void
test_hostile_text (void)
{
  expect_failure ((const char *[]) { "-m", "/dev/sdz9" HOSTILE, "MNT",
                                     NULL },
                  NULL, "/dev/sdz9" HOSTILE_SHOWN);
  struct mountenv *env = mountenv_new ();
  CHECK (write_file (in_root (env, "name" HOSTILE), "x", 1) == 0);
  CHECK (symlink ("target" HOSTILE, in_root (env, "link")) == 0);
  start_traced (env);
  CHECK (listed (env->mnt, "name" HOSTILE));
  struct stat st;
  CHECK (stat (in_mnt (env, "name" HOSTILE), &st) == 0);
  char buf[64];
  CHECK (readlink (in_mnt (env, "link"), buf, sizeof buf) ==
         (ssize_t) strlen ("target" HOSTILE));
  CHECK_ERRNO (stat (in_mnt (env, "missing" HOSTILE), &st), ENOENT);
  CHECK (mountenv_unmount (env) == 0);
  char *err = gm_stderr (env);
  CHECK (contains (err, "target" HOSTILE_SHOWN) &&
         contains (err, "missing" HOSTILE_SHOWN));
  CHECK (strchr (err, '\x1b') == NULL && strchr (err, '\x07') == NULL);
  free (err);
  /* guestunmount's messages too. */
  CHECK (shell ("out=$('%s' $'/nonexistent/\\e]0;owned\\a' 2>&1); "
                "[[ $out == *'\\x1b]0;owned\\x07'* && $out != *$'\\e'* ]]",
                guestunmount_path) == 0);
  /* Every message, not only the traces: a failed start-up. */
  struct mountenv *failed = mountenv_new ();
  mountenv_start_daemon (failed);
  CHECK (run_guestmount (failed, (const char *[]) { "-m", "/dev/sdz9" HOSTILE,
                                                     failed->mnt, NULL },
                         NULL) == 1);
  err = gm_stderr (failed);
  CHECK (strchr (err, '\x1b') == NULL && strchr (err, '\x07') == NULL);
  free (err);
  mountenv_unmount (failed);
}

/* Wait up to secs until every thread of pid is stopped: kill returns
 * before a group stop is complete. */
static bool
wait_stopped (pid_t pid, double secs)
{
  char dir[64];
  snprintf (dir, sizeof dir, "/proc/%d/task", (int) pid);
  for (int i = 0; i < secs * 100; ++i, usleep (10000)) {
    DIR *d = opendir (dir);
    if (d == NULL)
      return false;
    bool all = true;
    struct dirent *de;
    while (all && (de = readdir (d))) {
      if (de->d_name[0] == '.')
        continue;
      char path[sizeof dir + sizeof de->d_name + 8], buf[512];
      snprintf (path, sizeof path, "%s/%s/stat", dir, de->d_name);
      FILE *f = fopen (path, "r");
      size_t len = f ? fread (buf, 1, sizeof buf - 1, f) : 0;
      if (f)
        fclose (f);
      buf[len] = '\0';
      const char *close_p = strrchr (buf, ')');
      all = close_p && (close_p[2] == 'T' || close_p[2] == 't');
    }
    closedir (d);
    if (all)
      return true;
  }
  return false;
}

/* The daemon dies in the middle of a read: the reader gets EIO and
 * guestmount goes away (status 1) instead of hanging. */
static void
test_daemon_killed (void)
{
  struct mountenv *env = mountenv_new ();
  size_t size = 4 << 20;
  char *big = malloc (size);
  memset (big, 'z', size);
  CHECK (write_file (in_root (env, "victim"), big, size) == 0);
  free (big);
  CHECK (mountenv_mount (env, NULL) == 0);
  int to_parent[2], to_reader[2];
  CHECK (pipe (to_parent) == 0 && pipe (to_reader) == 0);
  pid_t reader = fork ();
  if (reader == 0) {
    char *p = in_mnt (env, "victim"), b = 0, buf[16];
    int fd = open (p, O_RDONLY);
    if (write (to_parent[1], &b, 1) != 1 || read (to_reader[0], &b, 1) != 1)
      _exit (2);
    /* Beyond what came with the open: this needs the daemon. */
    ssize_t r = fd >= 0 ? pread (fd, buf, sizeof buf, 3 << 20) : -1;
    _exit (r == -1 && errno == EIO ? 0 : 1);
  }
  char b = 0;
  CHECK (read (to_parent[0], &b, 1) == 1);
  CHECK (kill (env->daemon_pid, SIGSTOP) == 0);
  CHECK (wait_stopped (env->daemon_pid, 10));
  CHECK (write (to_reader[1], &b, 1) == 1);
  usleep (500000); /* the reader now waits for the stopped daemon */
  CHECK (alive (reader) && wait_exit (reader, 0.01) == -1);
  CHECK (kill (env->daemon_pid, SIGKILL) == 0);
  waitpid (env->daemon_pid, NULL, 0);
  env->daemon_pid = 0;
  CHECK (wait_exit (reader, 30) == 0);
  CHECK (wait_exit (env->gm_pid, 30) == 1);
  CHECK (!is_mountpoint (env->mnt));
  CHECK (access (env->pidfile, F_OK) == -1);
}

/* Wait up to secs for the mount at path to go away. */
static bool
wait_unmounted (const char *path, double secs)
{
  for (int i = 0; i < secs * 100 && is_mountpoint (path); ++i)
    usleep (10000);
  return !is_mountpoint (path);
}

/* Wait up to secs until none of our children is called comm. */
static bool
wait_no_children (const char *comm, double secs)
{
  for (int i = 0; i < secs * 100 && children_named (comm) > 0; ++i)
    usleep (10000);
  return children_named (comm) == 0;
}

/* guestmount killed by SIGKILL during a write: the mount goes away by
 * itself (guestmount's watcher or libfuse's helper unmounts it), the
 * writer gets an error, the daemon ends, what was synced before is in
 * the guest, and the mountpoint and pid file can be used again at
 * once. */
static void
test_sigkill (void)
{
  struct mountenv *env = mountenv_new ();
  CHECK (mountenv_mount (env, NULL) == 0);
  size_t size = 3 << 20;
  char *data = malloc (size);
  for (size_t i = 0; i < size; ++i)
    data[i] = (char) (i * 13 + i / 4096);
  int fd = open (in_mnt (env, "synced"), O_WRONLY | O_CREAT, 0644);
  CHECK (fd >= 0 && write (fd, data, size) == (ssize_t) size &&
         fsync (fd) == 0 && close (fd) == 0);
  pid_t writer = kill_during_write (env, "stream");
  bool gone = wait_unmounted (env->mnt, 30);
  if (!gone) {
    struct stat st;
    fprintf (stderr, "still mounted: stat: %s; fusermount3 processes: %d\n",
             stat (env->mnt, &st) == 0 ? "ok" : strerror (errno),
             children_named ("fusermount3"));
  }
  CHECK (gone);
  CHECK (wait_exit (writer, 30) == 0);
  CHECK (wait_exit (env->daemon_pid, 30) == 0);
  env->daemon_pid = 0;
  /* The processes that unmount (the watcher, the auto_unmount helper)
   * have finished too. */
  CHECK (wait_no_children ("fusermount3", 30));
  CHECK (wait_no_children ("guestmount", 30));
  CHECK (children_named ("guestfsd") == 0);
  struct stat st;
  CHECK (stat (env->mnt, &st) == 0 && S_ISDIR (st.st_mode));
  size_t len;
  char *back = host_read (in_root (env, "synced"), &len);
  CHECK (back && len == size && memcmp (back, data, size) == 0);
  free (back);
  free (data);
  /* Nothing stale: the same mountpoint and pid file work again. */
  CHECK (mountenv_mount (env, NULL) == 0);
  CHECK (access (in_mnt (env, "synced"), F_OK) == 0);
  CHECK (mountenv_unmount (env) == 0);
}

/* The same with guestmount's watcher alone: no fusermount3 in PATH, so
 * no auto_unmount helper (root can mount without it). */
static void
test_sigkill_watcher_alone (void)
{
  if (geteuid () != 0) {
    fprintf (stderr, "watcher alone: skipped (mounting without "
                     "fusermount3 needs root)\n");
    return;
  }
  struct mountenv *env = mountenv_new ();
  char *path = strdup (getenv ("PATH") ? getenv ("PATH") : "");
  setenv ("PATH", "/nonexistent", 1);
  CHECK (mountenv_mount (env, NULL) == 0);
  setenv ("PATH", path, 1);
  free (path);
  char *err = gm_stderr (env);
  CHECK (strstr (err, "fusermount3 was not found") != NULL);
  free (err);
  CHECK (children_named ("fusermount3") == 0);
  pid_t writer = kill_during_write (env, "stream");
  CHECK (wait_unmounted (env->mnt, 30));
  CHECK (wait_exit (writer, 30) == 0);
  CHECK (wait_exit (env->daemon_pid, 30) == 0);
  env->daemon_pid = 0;
  CHECK (wait_no_children ("guestmount", 30));
  CHECK (mountenv_mount (env, NULL) == 0);
  CHECK (mountenv_unmount (env) == 0);
}

int
main (void)
{
  require_fuse ();
  test_usage_errors ();
  test_failed_startups ();
  test_pid_file ();
  test_pid_file_refused ();
  test_pid_file_relative ();
  test_ready_fd ();
  test_signal (SIGTERM);
  test_signal (SIGINT);
  test_signal (SIGHUP);
  test_signal_while_busy ();
  test_second_signal ();
  test_unmount_nofollow ();
  test_guestunmount_codes ();
  test_read_only ();
  test_other_users ();
  test_trace ();
  test_hostile_text ();
  test_daemon_killed ();
  test_sigkill ();
  test_sigkill_watcher_alone ();
  return test_result ();
}
