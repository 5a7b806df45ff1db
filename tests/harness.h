/* A small test harness shared by every C test program.
 *
 * CHECK records a failure and goes on; the program's exit status is the
 * verdict.  A test that cannot run here calls skip(), which prints the
 * reason and exits 77 (ctest's SKIP_RETURN_CODE).
 */
#ifndef GUESTFS_TEST_HARNESS_H
#define GUESTFS_TEST_HARNESS_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "guestfs.h"

#define SKIP_EXIT 77

extern int test_failures;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf (stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond);      \
      ++test_failures;                                                       \
    }                                                                        \
  } while (0)

/* Expect a guestfs call to fail with the given errno, and its message
 * to contain the given text (NULL: any message). */
#define CHECK_ERROR(g, call, err, text)                                      \
  do {                                                                       \
    bool failed_ = (call) == -1;                                             \
    check_error_ (__FILE__, __LINE__, (g), #call, failed_, (err), (text));   \
  } while (0)
#define CHECK_ERROR_NULL(g, call, err, text)                                 \
  do {                                                                       \
    void *r_ = (void *) (call);                                              \
    check_error_ (__FILE__, __LINE__, (g), #call, r_ == NULL, (err), (text));\
    free (r_);                                                               \
  } while (0)

extern void check_error_ (const char *file, int line, guestfs_h *g,
                          const char *call, bool failed, int err,
                          const char *text);

/* Two strings are equal, or both NULL. */
#define CHECK_STREQ(got, want)                                               \
  check_streq_ (__FILE__, __LINE__, #got, (got), (want))
/* A call returning a malloc'd string returns want (the string is freed;
 * if the call failed, the library's error is reported). */
#define CHECK_CALL_STREQ(g, call, want)                                      \
  check_call_streq_ (__FILE__, __LINE__, (g), #call, (call), (want))

extern void check_streq_ (const char *file, int line, const char *expr,
                          const char *got, const char *want);
extern void check_call_streq_ (const char *file, int line, guestfs_h *g,
                               const char *expr, char *got,
                               const char *want);

/* Expect a system call to fail (return -1) with errno e. */
#define CHECK_ERRNO(call, e)                                                 \
  do {                                                                       \
    errno = 0;                                                               \
    long r_ = (long) (call);                                                 \
    check_errno_ (__FILE__, __LINE__, #call, r_, errno, (e));                \
  } while (0)

extern void check_errno_ (const char *file, int line, const char *call,
                          long r, int got, int want);

/* A guestfs call expected to succeed (return other than -1): report
 * the library's error if not. */
#define OK(g, call)                                                          \
  do {                                                                       \
    if ((call) == -1) {                                                      \
      fprintf (stderr, "%s:%d: FAIL: %s: %s\n", __FILE__, __LINE__, #call,   \
               guestfs_last_error (g));                                      \
      ++test_failures;                                                       \
    }                                                                        \
  } while (0)

/* A guestfs call the rest of the test depends on (making its images,
 * say): report the library's error and exit if it fails. */
#define MUST(g, call)                                                        \
  do {                                                                       \
    if ((call) == -1) {                                                      \
      fprintf (stderr, "%s:%d: FAIL: %s: %s\n", __FILE__, __LINE__, #call,   \
               guestfs_last_error (g));                                      \
      exit (EXIT_FAILURE);                                                   \
    }                                                                        \
  } while (0)

/* The messages of a handle's events (the verbose launch log, say),
 * gathered for checks: one line per message. */
struct test_log {
  char *text; /* NULL until the first message */
  size_t len;
};
/* Gather the events of events_mask on g into log; 0 or -1. */
extern int test_log_attach (guestfs_h *g, struct test_log *log,
                            uint64_t events_mask);
extern bool test_log_has (const struct test_log *log, const char *text);
extern void test_log_clear (struct test_log *log);

/* Print the reason and exit with SKIP_EXIT. */
extern void skip (const char *fmt, ...)
  __attribute__ ((noreturn, format (printf, 1, 2)));

/* Exit status for the end of main. */
extern int test_result (void);

/* A guestfsd running on the host against a scratch directory, with a
 * handle connected to it over the unix:PATH backend. */
struct test_daemon {
  pid_t pid;
  char *dir;  /* temporary directory holding root/ and the socket */
  char *root; /* the daemon's sysroot */
  char *sock;
};

/* Fork a child that dies with the test (even one killed by ctest's
 * timeout).  Returns like fork; exits the test if fork fails. */
extern pid_t test_fork (void);
/* Start a guestfsd listening on sock with root as its sysroot, without
 * connecting to it; returns once it listens.  log: its stderr is
 * appended there and it runs with -v (NULL: stderr, -v if
 * LIBGUESTFS_DEBUG=1).  Exits the test on failure. */
extern pid_t test_spawn_daemon (const char *root, const char *sock,
                                const char *log);
/* Wait for a daemon to exit by itself (a failure if it does not);
 * returns its wait status. */
extern int test_reap_daemon (pid_t pid);
/* A launched handle connected to the daemon listening on sock. */
extern guestfs_h *test_connect (const char *sock);

/* Start the daemon and return a launched handle (trace and verbose
 * follow LIBGUESTFS_TRACE / LIBGUESTFS_DEBUG).  Exits on failure. */
extern guestfs_h *test_daemon_start (struct test_daemon *td);
/* Close the handle, reap the daemon, remove the scratch directory. */
extern void test_daemon_stop (struct test_daemon *td, guestfs_h *g);
/* A host path inside the daemon's sysroot (malloc'd). */
extern char *test_root_path (struct test_daemon *td, const char *path);

/* Whether the memory of process pid holds the len bytes of needle:
 * every mapping up to 1 GiB that can be read through /proc/PID/mem
 * (which needs the right to ptrace it).  -1 if its memory cannot be
 * read at all. */
extern int process_memory_holds (pid_t pid, const void *needle, size_t len);

/* A fresh temporary directory removed at exit (malloc'd). */
extern char *test_tmpdir (void);

/* Launch g, or skip the test if no appliance can boot here (ENOTSUP,
 * ENOENT); any other launch failure fails the test and exits. */
extern void test_launch_or_skip (guestfs_h *g);

/* ---- Small helpers ---- */

/* asprintf that aborts when out of memory. */
extern char *xasprintf (const char *fmt, ...)
  __attribute__ ((format (printf, 1, 2)));
extern char *xvasprintf (const char *fmt, va_list ap)
  __attribute__ ((format (printf, 1, 0)));

/* NULL-terminated string lists, as the API returns them. */
extern void free_list (char **l);
extern size_t list_len (char *const *l);
extern bool list_has (char *const *l, const char *s);
/* The value of key in a hashtable (key, value, ..., NULL), or NULL. */
extern const char *hash_get (char *const *h, const char *key);

/* Seconds on the monotonic clock since an arbitrary start. */
extern double now (void);

/* The whole content of a host file, NUL-terminated (its length in
 * *len if len is not NULL), or NULL. */
extern char *host_read (const char *path, size_t *len);
/* Create (or truncate) a sparse host file of size bytes; exits on
 * failure. */
extern void host_create_sized (const char *path, off_t size);
extern bool host_exists (const char *path);
/* The host file holds exactly these len bytes. */
extern bool host_content_is (const char *path, const void *want, size_t len);

/* A field of /proc/PID/status ("Seccomp", "Uid", "VmPeak"): its
 * value's first number, or -1. */
extern long proc_status_field (pid_t pid, const char *field);

#endif
