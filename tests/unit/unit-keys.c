/* A key passed to the library leaves no copy in the library's memory
 * once the call is over: the request that carries it is encoded into
 * a buffer of its own, wiped after the send (the send buffer never
 * holds it).
 *
 * A fake daemon (tests/fake-daemon.c) answers guestfs_luks_open; the
 * test then reads every readable mapping of its own memory through
 * /proc/self/mem, looking for the key.  The key is made at run time
 * and the caller's copy wiped, and the search compares against a
 * masked form, so that the test's own data does not match. */
#include <config.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake-daemon.h"

#define KEY_LEN 40
#define MASK 0x5a

static unsigned char masked_key[KEY_LEN];

static void
make_key (char *key)
{
  unsigned x = (unsigned) getpid () * 2654435761u;
  for (int i = 0; i < KEY_LEN; ++i) {
    x = x * 1103515245u + 12345u;
    key[i] = 'A' + (x >> 16) % 26;
    masked_key[i] = key[i] ^ MASK;
  }
  key[KEY_LEN] = '\0';
}

static bool
holds_key (const unsigned char *p, size_t len)
{
  for (size_t i = 0; i + KEY_LEN <= len; ++i)
    if ((p[i] ^ MASK) == masked_key[0]) {
      size_t j = 1;
      while (j < KEY_LEN && (p[i + j] ^ MASK) == masked_key[j])
        ++j;
      if (j == KEY_LEN)
        return true;
    }
  return false;
}

/* How many readable mappings of this process hold the key. */
static int
mappings_with_key (void)
{
  FILE *maps = fopen ("/proc/self/maps", "r");
  int mem = open ("/proc/self/mem", O_RDONLY);
  size_t cap = 1 << 20;
  unsigned char *buf = malloc (cap);
  char line[512];
  int found = 0;
  if (maps == NULL || mem == -1 || buf == NULL)
    abort ();
  while (fgets (line, sizeof line, maps)) {
    unsigned long start, end;
    char perms[8];
    /* Mappings of a GiB and more are a sanitizer's shadow memory, not
     * data the library wrote. */
    if (sscanf (line, "%lx-%lx %7s", &start, &end, perms) != 3 ||
        perms[0] != 'r' || end - start >= (1UL << 30) ||
        strstr (line, "[vvar]") || strstr (line, "[vsyscall]"))
      continue;
    bool hit = false;
    /* Overlapping windows, so that no key straddles two reads. */
    for (unsigned long at = start; at < end && !hit; at += cap - KEY_LEN) {
      size_t want = end - at < cap ? end - at : cap;
      ssize_t n = pread (mem, buf, want, at);
      if (n <= 0)
        break;
      hit = holds_key (buf, n);
      explicit_bzero (buf, n); /* or the next read of buf finds it */
      if ((size_t) n < want)
        break;
    }
    if (hit) {
      fprintf (stderr, "the key is in %s", line);
      ++found;
    }
  }
  free (buf);
  close (mem);
  fclose (maps);
  return found;
}

static bool
answer_ok (int sock, const struct fake_request *req, void *opaque)
{
  (void) opaque;
  fake_send_ok (sock, req, NULL, NULL);
  return true;
}

int
main (void)
{
  char *dir = test_tmpdir ();
  char *path = xasprintf ("%s/sock", dir);
  struct fake_daemon f = {
    .launch_word = GUESTFS_LAUNCH_FLAG, .serve = answer_ok, .timeout = 60,
  };
  fake_daemon_start (&f, path);
  guestfs_h *g = guestfs_create_flags (GUESTFS_CREATE_NO_ENVIRONMENT);
  CHECK (g && guestfs_set_backend (g, f.backend) == 0 &&
         guestfs_launch (g) == 0);

  char *key = malloc (KEY_LEN + 1);
  make_key (key);
  CHECK (mappings_with_key () == 1); /* the caller's copy, found */
  CHECK (guestfs_luks_open (g, "/dev/sda1", key, "secret") == 0);
  explicit_bzero (key, KEY_LEN);
  free (key);
  CHECK (mappings_with_key () == 0);

  guestfs_close (g);
  fake_daemon_finish (&f, "keys");
  free (path);
  free (dir);
  return test_result ();
}
