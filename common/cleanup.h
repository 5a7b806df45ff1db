/* Scope-bound release of resources: the one idiom for "free this on
 * every path out of the block".  GCC and clang both implement the
 * cleanup attribute; the project is built with GNU extensions.
 *
 *   CLEANUP_FREE char *buf = malloc (n);      // free (buf) at scope end
 *   CLEANUP_CLOSE int fd = open (...);         // close (fd) if fd >= 0
 *   CLEANUP_FCLOSE FILE *fp = fopen (...);     // fclose (fp) if non-NULL
 *   CLEANUP_FREE_STRING_LIST char **v = ...;   // each string, then v
 *   SCOPED_LOCK (&mutex);                      // unlocked at scope end
 *
 * To hand a resource out of the scope, take it: `char *r = buf; buf =
 * NULL; return r;` (or `fd = -1`).
 */
#ifndef GUESTFS_COMMON_CLEANUP_H
#define GUESTFS_COMMON_CLEANUP_H

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The cleanups keep errno: an error path often closes or frees after
 * the failing call and before reporting errno. */
static inline void
cleanup_free (void *ptr)
{
  int saved = errno;
  free (*(void **) ptr);
  errno = saved;
}

static inline void
cleanup_close (int *fd)
{
  int saved = errno;
  if (*fd >= 0)
    close (*fd);
  errno = saved;
}

static inline void
cleanup_fclose (FILE **fp)
{
  int saved = errno;
  if (*fp)
    fclose (*fp);
  errno = saved;
}

static inline void
cleanup_free_string_list (char ***list)
{
  int saved = errno;
  if (*list) {
    for (char **p = *list; *p; p++)
      free (*p);
    free (*list);
  }
  errno = saved;
}

static inline void
cleanup_unlock (pthread_mutex_t **mutex)
{
  pthread_mutex_unlock (*mutex);
}

#define CLEANUP_FREE __attribute__ ((cleanup (cleanup_free)))
#define CLEANUP_CLOSE __attribute__ ((cleanup (cleanup_close)))
#define CLEANUP_FCLOSE __attribute__ ((cleanup (cleanup_fclose)))
#define CLEANUP_FREE_STRING_LIST                                               \
  __attribute__ ((cleanup (cleanup_free_string_list)))

#define CLEANUP_CONCAT_(a, b) a##b
#define CLEANUP_CONCAT(a, b) CLEANUP_CONCAT_ (a, b)

/* Locks MUTEX until the end of the enclosing block. */
#define SCOPED_LOCK(mutex)                                                     \
  __attribute__ ((cleanup (cleanup_unlock), unused))                           \
  pthread_mutex_t *CLEANUP_CONCAT (scoped_lock_, __LINE__) =                   \
      scoped_lock_take (mutex)

static inline pthread_mutex_t *
scoped_lock_take (pthread_mutex_t *mutex)
{
  pthread_mutex_lock (mutex);
  return mutex;
}

#endif
