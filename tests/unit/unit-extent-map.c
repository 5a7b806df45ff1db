/* The check of extent maps (common/extent-map.c) that guestmount makes
 * before reading an image because the daemon said so.  Fed what a
 * hostile daemon could send: lengths that do not add up, extents
 * beyond the file or the drive, misaligned, out of order, overlapping,
 * on drives that cannot be read, in the first sector, aliasing each
 * other, with overflowing sums or unknown flags. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "extent-map.h"

#define MIB (1024 * 1024ull)

/* Drive 0: a 64 MiB raw image; drive 1: not readable directly. */
static const uint64_t drive_sizes[] = { 64 * MIB, 0 };

struct builder {
  unsigned char buf[(EXTENT_HEADER_WORDS + 8 * EXTENT_WORDS) * 8];
  size_t n;
  uint64_t size;
};

static void
put (unsigned char *p, uint64_t v)
{
  for (int i = 7; i >= 0; --i, v >>= 8)
    p[i] = v & 0xff;
}

static void
add (struct builder *b, uint64_t logical, uint64_t drive, uint64_t physical,
     uint64_t length, uint64_t flags)
{
  unsigned char *r = b->buf + (EXTENT_HEADER_WORDS + b->n * EXTENT_WORDS) * 8;
  put (r, logical);
  put (r + 8, drive);
  put (r + 16, physical);
  put (r + 24, length);
  put (r + 32, flags);
  b->n++;
}

static size_t
finish (struct builder *b)
{
  put (b->buf, b->size);
  put (b->buf + 8, b->n);
  return (EXTENT_HEADER_WORDS + b->n * EXTENT_WORDS) * 8;
}

static struct extent_map *
parse (struct builder *b, const char **why)
{
  size_t len = finish (b);
  return extent_map_parse (b->buf, len, drive_sizes, 2, why);
}

static void
expect_refused (struct builder *b, const char *what)
{
  const char *why = NULL;
  struct extent_map *m = parse (b, &why);
  if (m != NULL) {
    fprintf (stderr, "FAIL: accepted %s\n", what);
    test_failures++;
    extent_map_free (m);
    return;
  }
  CHECK (why != NULL && why[0] != '\0');
}

static void
test_good_map (void)
{
  /* 1 MiB + 100 bytes: data, a hole, unwritten space, the last part
   * rounded up to its sector. */
  struct builder b = { .size = MIB + 100 };
  add (&b, 0, 0, 4 * MIB, 256 * 1024, 0);
  add (&b, 512 * 1024, 0, 0, 256 * 1024, EXTENT_ZERO);
  add (&b, MIB, 0, 8 * MIB, 512, 0);
  const char *why = NULL;
  struct extent_map *m = parse (&b, &why);
  CHECK (m != NULL);
  if (m) {
    CHECK (m->size == MIB + 100 && m->n == 3);
    CHECK (m->e[0].physical == 4 * MIB && m->e[0].length == 256 * 1024);
    CHECK (m->e[1].flags == EXTENT_ZERO);
    CHECK (m->e[2].logical == MIB && m->e[2].drive == 0);
    extent_map_free (m);
  }
  /* An empty file, and a file that is all hole. */
  struct builder e = { .size = 0 };
  m = parse (&e, &why);
  CHECK (m != NULL && m->n == 0);
  extent_map_free (m);
  struct builder h = { .size = 10 * MIB };
  m = parse (&h, &why);
  CHECK (m != NULL && m->n == 0);
  extent_map_free (m);
}

static void
test_bad_lengths (void)
{
  struct builder b = { .size = MIB };
  add (&b, 0, 0, MIB, 4096, 0);
  size_t len = finish (&b);
  const char *why;
  CHECK (extent_map_parse (b.buf, 15, drive_sizes, 2, &why) == NULL);
  CHECK (extent_map_parse (b.buf, len - 1, drive_sizes, 2, &why) == NULL);
  CHECK (extent_map_parse (b.buf, len + 40, drive_sizes, 2, &why) == NULL);
  put (b.buf + 8, 2); /* claims two records, carries one */
  CHECK (extent_map_parse (b.buf, len, drive_sizes, 2, &why) == NULL);
  put (b.buf + 8, UINT64_MAX);
  CHECK (extent_map_parse (b.buf, len, drive_sizes, 2, &why) == NULL);
  struct builder s = { .size = UINT64_MAX };
  expect_refused (&s, "a file size beyond off_t");
}

static void
test_bad_records (void)
{
  struct builder b;
#define REFUSED(what, ...)                                                   \
  do {                                                                       \
    b = (struct builder) { .size = 4 * MIB };                                \
    __VA_ARGS__;                                                             \
    expect_refused (&b, what);                                               \
  } while (0)
  REFUSED ("an empty extent", add (&b, 0, 0, MIB, 0, 0));
  REFUSED ("a misaligned logical offset", add (&b, 100, 0, MIB, 512, 0));
  REFUSED ("a misaligned length", add (&b, 0, 0, MIB, 1000, 0));
  REFUSED ("a misaligned drive offset", add (&b, 0, 0, MIB + 1, 512, 0));
  REFUSED ("the first sector of the drive", add (&b, 0, 0, 0, 4096, 0));
  REFUSED ("an extent past the end of the file",
           add (&b, 4 * MIB, 0, MIB, 512, 0));
  REFUSED ("an extent running past the end of the file",
           add (&b, 0, 0, MIB, 4 * MIB + 4096, 0));
  REFUSED ("an extent past the end of the drive",
           add (&b, 0, 0, 64 * MIB, 512, 0));
  REFUSED ("an extent running past the end of the drive",
           add (&b, 0, 0, 63 * MIB, 2 * MIB, 0));
  REFUSED ("a drive offset that overflows",
           add (&b, 0, 0, UINT64_MAX - 511, 1024, 0));
  REFUSED ("a logical offset that overflows",
           add (&b, UINT64_MAX - 511, 0, MIB, 1024, 0));
  REFUSED ("a drive that cannot be read", add (&b, 0, 1, MIB, 512, 0));
  REFUSED ("a drive that does not exist", add (&b, 0, 2, MIB, 512, 0));
  REFUSED ("a drive index beyond 32 bits",
           add (&b, 0, (1ull << 32), MIB, 512, 0));
  REFUSED ("unknown flags", add (&b, 0, 0, MIB, 512, 2));
  REFUSED ("flags beyond 32 bits", add (&b, 0, 0, MIB, 512, 1ull << 32));
  REFUSED ("extents out of order",
           add (&b, MIB, 0, MIB, 512, 0); add (&b, 0, 0, 2 * MIB, 512, 0));
  REFUSED ("extents overlapping in the file",
           add (&b, 0, 0, MIB, 8192, 0); add (&b, 4096, 0, 2 * MIB, 512, 0));
  REFUSED ("two extents on the same drive bytes",
           add (&b, 0, 0, MIB, 8192, 0); add (&b, MIB, 0, MIB + 4096, 8192, 0));
  REFUSED ("an unwritten extent beyond the file",
           add (&b, 8 * MIB, 0, 0, 512, EXTENT_ZERO));
#undef REFUSED
}

int
main (void)
{
  test_good_map ();
  test_bad_lengths ();
  test_bad_records ();
  return test_result ();
}
