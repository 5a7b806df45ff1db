/* Checking an extent map from the daemon (see extent-map.h).  Nothing
 * in it is trusted: every record must lie inside the file and inside
 * its drive, aligned, in order, and no two may share bytes of a drive,
 * before guestmount reads a byte of the image because of it. */
#include <stdbool.h>
#include <stdlib.h>

#include "extent-map.h"

static uint64_t
word_at (const unsigned char *p)
{
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v = v << 8 | p[i];
  return v;
}

static bool
aligned (uint64_t v)
{
  return v % EXTENT_ALIGN == 0;
}

/* The file's bytes end at size; its last block is allocated whole. */
static uint64_t
mapped_end (uint64_t size)
{
  return (size + EXTENT_ALIGN - 1) / EXTENT_ALIGN * EXTENT_ALIGN;
}

static const char *
check_record (const struct extent *e, uint64_t prev_end, uint64_t size,
              const uint64_t *drive_sizes, size_t nr_drives)
{
  if (e->flags & ~EXTENT_ZERO)
    return "unknown extent flags";
  if (e->length == 0 || !aligned (e->logical) || !aligned (e->length))
    return "an empty or misaligned extent";
  if (e->logical < prev_end)
    return "extents out of order or overlapping in the file";
  if (e->logical >= mapped_end (size) ||
      e->length > mapped_end (size) - e->logical)
    return "an extent beyond the end of the file";
  if (e->flags & EXTENT_ZERO)
    return NULL;
  if (e->drive >= nr_drives || drive_sizes[e->drive] == 0)
    return "an extent on a drive that cannot be read directly";
  uint64_t dsize = drive_sizes[e->drive];
  if (!aligned (e->physical) || e->physical < EXTENT_ALIGN)
    return "a misaligned extent, or one in the first sector of a drive";
  if (e->physical >= dsize || e->length > dsize - e->physical)
    return "an extent beyond the end of its drive";
  return NULL;
}

static int
by_drive_offset (const void *a, const void *b)
{
  const struct extent *x = *(const struct extent *const *) a;
  const struct extent *y = *(const struct extent *const *) b;
  if (x->drive != y->drive)
    return x->drive < y->drive ? -1 : 1;
  return x->physical < y->physical ? -1 : x->physical > y->physical;
}

/* Two parts of a file in the same bytes of a drive make no sense for
 * the filesystems that are mapped (and would alias in a page cache). */
static bool
drive_bytes_shared (const struct extent_map *m)
{
  struct extent **v = malloc ((m->n ? m->n : 1) * sizeof *v);
  if (v == NULL)
    return true;
  size_t k = 0;
  for (size_t i = 0; i < m->n; ++i)
    if (!(m->e[i].flags & EXTENT_ZERO))
      v[k++] = &m->e[i];
  qsort (v, k, sizeof *v, by_drive_offset);
  bool shared = false;
  for (size_t i = 1; i < k && !shared; ++i)
    shared = v[i]->drive == v[i - 1]->drive &&
             v[i]->physical < v[i - 1]->physical + v[i - 1]->length;
  free (v);
  return shared;
}

struct extent_map *
extent_map_parse (const void *buf, size_t len, const uint64_t *drive_sizes,
                  size_t nr_drives, const char **why)
{
  const unsigned char *p = buf;
  const size_t rec = EXTENT_WORDS * 8, head = EXTENT_HEADER_WORDS * 8;
  if (len < head || (len - head) % rec != 0) {
    *why = "a map of the wrong length";
    return NULL;
  }
  uint64_t size = word_at (p), n = word_at (p + 8);
  if (n != (len - head) / rec || n > EXTENT_MAX || size > INT64_MAX) {
    *why = "a map whose header does not match its length";
    return NULL;
  }
  struct extent_map *m = calloc (1, sizeof *m);
  struct extent *e = calloc (n ? n : 1, sizeof *e);
  if (m == NULL || e == NULL) {
    free (m);
    free (e);
    *why = "out of memory";
    return NULL;
  }
  m->size = size;
  m->n = n;
  m->e = e;
  uint64_t prev_end = 0;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char *r = p + head + i * rec;
    uint64_t drive = word_at (r + 8), flags = word_at (r + 32);
    e[i] = (struct extent) { .logical = word_at (r),
                             .physical = word_at (r + 16),
                             .length = word_at (r + 24),
                             .drive = drive > UINT32_MAX ? UINT32_MAX : drive,
                             .flags = flags > UINT32_MAX ? UINT32_MAX : flags };
    *why = check_record (&e[i], prev_end, size, drive_sizes, nr_drives);
    if (*why) {
      extent_map_free (m);
      return NULL;
    }
    prev_end = e[i].logical + e[i].length;
  }
  if (drive_bytes_shared (m)) {
    *why = "two extents share bytes of a drive";
    extent_map_free (m);
    return NULL;
  }
  return m;
}

void
extent_map_free (struct extent_map *m)
{
  if (m) {
    free (m->e);
    free (m);
  }
}
