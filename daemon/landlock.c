/* Landlock: confining what a process or a thread may reach in the
 * filesystem when the daemon runs on the host.
 *
 * A guest tree on the host may hold symbolic links pointing anywhere.
 * Code that opens guest files by name (external programs, Augeas) is
 * confined to the guest directory, so that such a link cannot make it
 * read or write the host's files.  A Landlock domain belongs to the
 * thread that enforces it (and the threads and processes it starts):
 * a child process confines itself before exec, and library code that
 * must be confined runs in a thread of its own (run_confined).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "daemon.h"

/* Newer than some kernel headers; the value is ABI. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

#define READ_ACCESSES                                                          \
  (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)

static int
landlock_abi (void)
{
  return syscall (SYS_landlock_create_ruleset, NULL, 0,
                  LANDLOCK_CREATE_RULESET_VERSION);
}

bool
can_confine_commands (void)
{
  return landlock_abi () >= 1;
}

/* Every access that changes the filesystem, for the kernel's ABI. */
static __u64
write_accesses (int abi)
{
  __u64 a = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
            LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
            LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
            LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
            LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
  if (abi >= 2)
    a |= LANDLOCK_ACCESS_FS_REFER; /* links and renames across dirs */
  if (abi >= 3)
    a |= LANDLOCK_ACCESS_FS_TRUNCATE;
  return a;
}

static int
allow_beneath (int rs, int fd, __u64 access)
{
  struct landlock_path_beneath_attr beneath = {
      .allowed_access = access,
      .parent_fd = fd,
  };
  return syscall (SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH,
                  &beneath, 0);
}

/* Enforce the ruleset rs on the calling thread, and close it. */
static int
enforce (int rs)
{
  int r = 0;
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
      syscall (SYS_landlock_restrict_self, rs, 0) == -1)
    r = -1;
  int saved = errno;
  close (rs);
  errno = saved;
  return r;
}

int
confine_writes (int dirfd)
{
  int abi = landlock_abi ();
  if (abi < 1)
    return -1;
  struct landlock_ruleset_attr attr = {
      .handled_access_fs = write_accesses (abi),
  };
  int rs = syscall (SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
  if (rs == -1)
    return -1;
  if (allow_beneath (rs, dirfd, attr.handled_access_fs) == -1) {
    int saved = errno;
    close (rs);
    errno = saved;
    return -1;
  }
  return enforce (rs);
}

/* Read and write only beneath dirfd; read only beneath the directories
 * of read_only (those that do not exist are left out). */
static int
confine_to (int dirfd, const char *const *read_only)
{
  int abi = landlock_abi ();
  if (abi < 1)
    return -1;
  struct landlock_ruleset_attr attr = {
      .handled_access_fs =
          write_accesses (abi) | READ_ACCESSES | LANDLOCK_ACCESS_FS_EXECUTE,
  };
  int rs = syscall (SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
  if (rs == -1)
    return -1;
  int r = allow_beneath (rs, dirfd, attr.handled_access_fs);
  for (size_t i = 0; r == 0 && read_only && read_only[i]; ++i) {
    int fd = open (read_only[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd == -1)
      continue;
    r = allow_beneath (rs, fd, READ_ACCESSES);
    close (fd);
  }
  if (r == -1) {
    int saved = errno;
    close (rs);
    errno = saved;
    return -1;
  }
  return enforce (rs);
}

struct confined_call {
  int dirfd;
  const char *const *read_only;
  int (*fn) (void *opaque);
  void *opaque;
  int confine_errno; /* 0 if the thread was confined */
  int r;
};

static void *
confined_thread (void *p)
{
  struct confined_call *c = p;
  if (confine_to (c->dirfd, c->read_only) == -1) {
    c->confine_errno = errno ? errno : ENOTSUP;
    return NULL;
  }
  c->r = c->fn (c->opaque);
  return NULL;
}

int
run_confined (int dirfd, const char *const *read_only, int (*fn) (void *),
              void *opaque)
{
  struct confined_call c = {dirfd, read_only, fn, opaque, 0, -1};
  pthread_t t;
  int err = pthread_create (&t, NULL, confined_thread, &c);
  if (err) {
    reply_with_perror_errno (err, "starting a thread");
    return -1;
  }
  pthread_join (t, NULL);
  if (c.confine_errno) {
    reply_with_perror_errno (c.confine_errno, "confining with Landlock");
    return -1;
  }
  return c.r;
}
