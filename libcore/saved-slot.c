/* The saved appliance's files in the appliance's cache slot: which build
 * is current, making a new one current, discarding a damaged one, and
 * pruning (see saved-slot.h for the layout and the locking).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileutil.h"
#include "saved-slot.h"

#define BUILD_LINE "build "
/* The build name: hex digits only (see saved_slot_new_build). */
#define BUILD_MAX 40

int
saved_slot_init (struct saved_slot *s, const char *dir, char *keytext)
{
  memset (s, 0, sizeof *s);
  s->keytext = keytext;
  uint64_t h = fnv1a64 (FNV1A64_INIT, keytext);
  s->dir = strdup (dir);
  if (s->dir == NULL ||
      asprintf (&s->stem, "%s/saved-%016" PRIx64, dir, h) == -1 ||
      asprintf (&s->key, "%s.key", s->stem) == -1 ||
      asprintf (&s->lock, "%s/saved.lock", dir) == -1) {
    s->stem = s->key = s->lock = NULL;
    return -1;
  }
  return 0;
}

static void
forget_build (struct saved_slot *s)
{
  free (s->build);
  free (s->state);
  free (s->overlay);
  s->build = s->state = s->overlay = NULL;
  s->state_size = s->overlay_size = -1;
}

void
saved_slot_free (struct saved_slot *s)
{
  forget_build (s);
  free (s->dir);
  free (s->stem);
  free (s->key);
  free (s->lock);
  free (s->keytext);
}

/* Sets the build's name and its files' names. */
static int
name_build (struct saved_slot *s, const char *build)
{
  forget_build (s);
  s->build = strdup (build);
  if (s->build == NULL ||
      asprintf (&s->state, "%s-%s.state", s->stem, build) == -1 ||
      asprintf (&s->overlay, "%s-%s.qcow2", s->stem, build) == -1) {
    s->state = s->overlay = NULL;
    return -1;
  }
  return 0;
}

/* The build line of a key file's contents (after the key text), parsed:
 * 0, or -1 if there is none. */
static int
parse_build_line (const char *text, char build[BUILD_MAX + 1],
                  intmax_t *state_size, intmax_t *overlay_size)
{
  const char *line = strstr (text, "\n" BUILD_LINE);
  if (line == NULL)
    return -1;
  return sscanf (line + 1, BUILD_LINE "%40[0-9a-f] %jd %jd", build, state_size,
                 overlay_size) == 3
             ? 0
             : -1;
}

static intmax_t
file_size (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 && S_ISREG (st.st_mode) ? st.st_size : -1;
}

int
saved_slot_read (struct saved_slot *s, const char **why)
{
  forget_build (s);
  size_t len = 0;
  CLEANUP_FREE char *text = (char *)read_whole_file (s->key, &len);
  size_t klen = strlen (s->keytext);
  char build[BUILD_MAX + 1];
  intmax_t state_size, overlay_size;
  if (text == NULL) {
    *why = "no saved state for this configuration";
    return 0;
  }
  if (len < klen || memcmp (text, s->keytext, klen) != 0 ||
      memchr (text, '\0', len) != NULL ||
      parse_build_line (text + klen - 1, build, &state_size, &overlay_size) ==
          -1) {
    *why = "the saved state's key file is not this configuration's";
    return 0;
  }
  if (name_build (s, build) == -1) {
    *why = "out of memory";
    return 0;
  }
  s->state_size = state_size;
  s->overlay_size = overlay_size;
  if (file_size (s->state) != state_size ||
      file_size (s->overlay) != overlay_size) {
    *why = "the saved state is damaged (its files are missing or not the "
           "size they were saved with)";
    return 0;
  }
  return 1;
}

int
saved_slot_lock (const struct saved_slot *s)
{
  int fd = open (s->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd == -1)
    return -1;
  while (flock (fd, LOCK_EX) == -1)
    if (errno != EINTR) {
      close (fd);
      return -1;
    }
  return fd;
}

int
saved_slot_new_build (struct saved_slot *s)
{
  struct timespec now;
  clock_gettime (CLOCK_REALTIME, &now);
  char build[BUILD_MAX + 1];
  snprintf (build, sizeof build, "%" PRIx64 "%08x",
            (uint64_t)now.tv_sec * 1000000000 + now.tv_nsec,
            (unsigned)getpid ());
  return name_build (s, build);
}

/* Data on the disk before the key names it: a host crash must not leave
 * a key naming files whose contents never reached the disk. */
static int
sync_file (const char *path)
{
  CLEANUP_CLOSE int fd = open (path, O_RDONLY | O_CLOEXEC);
  return fd >= 0 && fdatasync (fd) == 0 ? 0 : -1;
}

int
saved_slot_commit (struct saved_slot *s)
{
  s->state_size = file_size (s->state);
  s->overlay_size = file_size (s->overlay);
  if (s->state_size < 0 || s->overlay_size < 0 || sync_file (s->state) == -1 ||
      sync_file (s->overlay) == -1)
    return -1;
  CLEANUP_FREE char *tmp = NULL;
  if (asprintf (&tmp, "%s.%d.tmp", s->key, (int)getpid ()) == -1)
    return -1;
  FILE *fp = fopen (tmp, "we");
  if (fp == NULL)
    return -1;
  bool ok = fprintf (fp, "%s" BUILD_LINE "%s %jd %jd\n", s->keytext, s->build,
                     s->state_size, s->overlay_size) > 0;
  ok = fflush (fp) == 0 && fdatasync (fileno (fp)) == 0 && ok;
  if (fclose (fp) != 0 || !ok || rename (tmp, s->key) == -1) {
    unlink (tmp);
    return -1;
  }
  return 0;
}

void
saved_slot_discard (struct saved_slot *s, bool locked)
{
  if (s->build == NULL)
    return;
  int fd = locked ? -1 : saved_slot_lock (s);
  if (!locked && fd == -1)
    return;
  size_t len = 0;
  CLEANUP_FREE char *text = (char *)read_whole_file (s->key, &len);
  char build[BUILD_MAX + 1];
  intmax_t a, b;
  if (text && memchr (text, '\0', len) == NULL &&
      parse_build_line (text, build, &a, &b) == 0 &&
      strcmp (build, s->build) == 0)
    unlink (s->key);
  /* Files of a build no key names are only ever removed: whether or
   * not the key named it, this build is no use to anyone now. */
  unlink (s->state);
  unlink (s->overlay);
  if (fd >= 0)
    close (fd);
}

void
saved_slot_used (const struct saved_slot *s)
{
  /* The key file's modification time: set when it was written, and at
   * every use. */
  utimensat (AT_FDCWD, s->key, NULL, 0);
}

/* --- Pruning --- */

struct key_file {
  char *name;
  struct timespec mtime;
};

static int
newest_first (const void *a, const void *b)
{
  const struct key_file *x = a, *y = b;
  if (x->mtime.tv_sec != y->mtime.tv_sec)
    return x->mtime.tv_sec < y->mtime.tv_sec ? 1 : -1;
  if (x->mtime.tv_nsec != y->mtime.tv_nsec)
    return x->mtime.tv_nsec < y->mtime.tv_nsec ? 1 : -1;
  return 0;
}

static bool
ends_with (const char *s, const char *suffix)
{
  size_t n = strlen (s), m = strlen (suffix);
  return n >= m && strcmp (s + n - m, suffix) == 0;
}

static bool
is_key_name (const char *name)
{
  return strncmp (name, "saved-", 6) == 0 && ends_with (name, ".key");
}

/* A file of some saved build, or a temporary file of a build or key. */
static bool
is_build_file (const char *name)
{
  return strncmp (name, "saved-", 6) == 0 &&
         (ends_with (name, ".state") || ends_with (name, ".qcow2") ||
          ends_with (name, ".tmp"));
}

/* Removes the key files beyond the keep newest (never s's own). */
static void
prune_keys (const struct saved_slot *s, char **names, int keep)
{
  size_t n = 0, nkeys = 0;
  while (names[n])
    ++n;
  CLEANUP_FREE struct key_file *keys = calloc (n + 1, sizeof *keys);
  if (keys == NULL)
    return;
  for (size_t i = 0; i < n; ++i) {
    struct stat st;
    CLEANUP_FREE char *path = NULL;
    if (!is_key_name (names[i]) ||
        asprintf (&path, "%s/%s", s->dir, names[i]) == -1 ||
        stat (path, &st) == -1)
      continue;
    keys[nkeys].name = names[i];
    keys[nkeys++].mtime = st.st_mtim;
  }
  qsort (keys, nkeys, sizeof *keys, newest_first);
  for (size_t i = keep; i < nkeys; ++i) {
    CLEANUP_FREE char *path = NULL;
    if (asprintf (&path, "%s/%s", s->dir, keys[i].name) != -1 &&
        strcmp (path, s->key) != 0)
      unlink (path);
  }
}

/* "saved-HASH-BUILD." for the build the key file name names, or NULL. */
static char *
build_prefix (const struct saved_slot *s, const char *name)
{
  CLEANUP_FREE char *path = NULL;
  size_t len = 0;
  if (asprintf (&path, "%s/%s", s->dir, name) == -1)
    return NULL;
  CLEANUP_FREE char *text = (char *)read_whole_file (path, &len);
  char build[BUILD_MAX + 1];
  intmax_t a, b;
  char *prefix = NULL;
  if (text == NULL || memchr (text, '\0', len) != NULL ||
      parse_build_line (text, build, &a, &b) == -1 ||
      asprintf (&prefix, "%.*s-%s.", (int)(strlen (name) - 4), name, build) ==
          -1)
    return NULL;
  return prefix;
}

void
saved_slot_prune (const struct saved_slot *s, int keep)
{
  CLEANUP_FREE_STRING_LIST char **names = list_dir (s->dir);
  if (names == NULL)
    return;
  prune_keys (s, names, keep);
  CLEANUP_FREE_STRING_LIST char **left = list_dir (s->dir);
  if (left == NULL)
    return;
  size_t n = 0;
  while (left[n])
    ++n;
  CLEANUP_FREE_STRING_LIST char **kept = calloc (n + 1, sizeof *kept);
  if (kept == NULL)
    return;
  for (size_t i = 0, k = 0; i < n; ++i)
    if (is_key_name (left[i]) && (kept[k] = build_prefix (s, left[i])))
      ++k;
  for (size_t i = 0; i < n; ++i) {
    if (!is_build_file (left[i]))
      continue;
    bool referenced = false;
    for (size_t k = 0; kept[k] && !referenced; ++k)
      referenced = strncmp (left[i], kept[k], strlen (kept[k])) == 0 &&
                   !ends_with (left[i], ".tmp");
    CLEANUP_FREE char *path = NULL;
    if (!referenced && asprintf (&path, "%s/%s", s->dir, left[i]) != -1)
      unlink (path);
  }
}
