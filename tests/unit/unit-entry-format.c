/* The fuse_entry format (common/entry-format.c): packed extended
 * attributes and handle lists, written by the daemon and read by
 * guestmount.  The reader is fed what a hostile daemon could send:
 * truncated records, lengths beyond the block, empty names. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "entry-format.h"

static void
test_be64 (void)
{
  unsigned char b[8];
  entry_put_be64 (b, 0x0102030405060708ull);
  static const unsigned char want[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  CHECK (memcmp (b, want, 8) == 0);
  CHECK (entry_get_be64 (b) == 0x0102030405060708ull);
  entry_put_be64 (b, UINT64_MAX);
  CHECK (entry_get_be64 (b) == UINT64_MAX);
}

/* A block with three records, one of them with an empty value. */
static struct xattr_packer
sample_block (void)
{
  struct xattr_packer p = { 0 };
  CHECK (xattr_pack (&p, "user.a", "alpha", 5) == 0);
  CHECK (xattr_pack (&p, "user.empty", "", 0) == 0);
  CHECK (xattr_pack (&p, "security.b", "\0\1\2", 3) == 0);
  return p;
}

static void
test_round_trip (void)
{
  struct xattr_packer p = sample_block ();
  CHECK (p.len == XATTR_RECORD_SIZE (6, 5) + XATTR_RECORD_SIZE (10, 0) +
                  XATTR_RECORD_SIZE (10, 3));
  /* The record layout itself: name, NUL, big-endian length, value. */
  CHECK (memcmp (p.buf, "user.a\0\0\0\0\5alpha", 16) == 0);

  struct xattr_iter it;
  xattr_iter_init (&it, p.buf, p.len);
  const char *name, *value;
  size_t len;
  CHECK (xattr_iter_next (&it, &name, &value, &len) == 1);
  CHECK (strcmp (name, "user.a") == 0 && len == 5 &&
         memcmp (value, "alpha", 5) == 0);
  CHECK (xattr_iter_next (&it, &name, &value, &len) == 1);
  CHECK (strcmp (name, "user.empty") == 0 && len == 0);
  CHECK (xattr_iter_next (&it, &name, &value, &len) == 1);
  CHECK (strcmp (name, "security.b") == 0 && len == 3 &&
         memcmp (value, "\0\1\2", 3) == 0);
  CHECK (xattr_iter_next (&it, &name, &value, &len) == 0);

  CHECK (xattrs_find (p.buf, p.len, "security.b", &value, &len) == 1);
  CHECK (len == 3 && value[2] == 2);
  CHECK (xattrs_find (p.buf, p.len, "user.none", &value, &len) == 0);

  char *names;
  size_t names_len;
  CHECK (xattrs_names (p.buf, p.len, &names, &names_len) == 0);
  CHECK (names_len == 7 + 11 + 11);
  CHECK (memcmp (names, "user.a\0user.empty\0security.b\0", names_len) == 0);
  free (names);
  CHECK (xattrs_names (p.buf, p.len, NULL, NULL) == 0);
  free (p.buf);
}

static void
test_empty_block (void)
{
  const char *value;
  size_t len;
  char *names;
  size_t names_len;
  CHECK (xattrs_find ("", 0, "user.a", &value, &len) == 0);
  CHECK (xattrs_names ("", 0, &names, &names_len) == 0);
  CHECK (names_len == 0);
  free (names);
}

static void
test_packer_refuses (void)
{
  struct xattr_packer p = { 0 };
  errno = 0;
  CHECK (xattr_pack (&p, "", "x", 1) == -1 && errno == EINVAL);
  CHECK (p.len == 0);
  free (p.buf);
}

/* Every proper prefix of a valid block is malformed, except the ones
 * that end exactly between records. */
static void
test_truncated (void)
{
  struct xattr_packer p = sample_block ();
  size_t r1 = XATTR_RECORD_SIZE (6, 5), r2 = r1 + XATTR_RECORD_SIZE (10, 0);
  for (size_t cut = 0; cut < p.len; ++cut) {
    /* A fresh copy of exactly cut bytes, so that reading past it is
     * caught by the sanitizers too. */
    char *c = malloc (cut ? cut : 1);
    memcpy (c, p.buf, cut);
    int want = (cut == 0 || cut == r1 || cut == r2) ? 0 : -1;
    CHECK (xattrs_names (c, cut, NULL, NULL) == want);
    const char *value;
    size_t len;
    int f = xattrs_find (c, cut, "security.b", &value, &len);
    CHECK (f == want);
    free (c);
  }
  free (p.buf);
}

static void
test_hostile (void)
{
  const char *name, *value;
  size_t len;
  struct xattr_iter it;
  /* A name without its NUL. */
  xattr_iter_init (&it, "user.a", 6);
  CHECK (xattr_iter_next (&it, &name, &value, &len) == -1);
  /* An empty name. */
  static const char empty_name[] = { '\0', 0, 0, 0, 1, 'x' };
  xattr_iter_init (&it, empty_name, sizeof empty_name);
  CHECK (xattr_iter_next (&it, &name, &value, &len) == -1);
  /* A length beyond the block, and the largest length there is. */
  static const char too_long[] = { 'a', '\0', 0, 0, 0, 2, 'x' };
  CHECK (xattrs_names (too_long, sizeof too_long, NULL, NULL) == -1);
  static const char huge[] = { 'a', '\0', (char) 0xff, (char) 0xff,
                               (char) 0xff, (char) 0xff, 'x' };
  CHECK (xattrs_names (huge, sizeof huge, NULL, NULL) == -1);
  /* A good record followed by garbage: the first is still found, the
   * block as a whole is refused. */
  static const char trailing[] = { 'a', '\0', 0, 0, 0, 1, 'x', 'b' };
  CHECK (xattrs_find (trailing, sizeof trailing, "a", &value, &len) == 1);
  CHECK (len == 1 && value[0] == 'x');
  CHECK (xattrs_find (trailing, sizeof trailing, "b", &value, &len) == -1);
  CHECK (xattrs_names (trailing, sizeof trailing, NULL, NULL) == -1);
}

static void
test_handle_lists (void)
{
  const int64_t h[] = { 0, 1, INT64_MAX, (int64_t) 0x123456789abcll };
  size_t n = sizeof h / sizeof h[0];
  char *list = handle_list_pack (h, n);
  CHECK (list != NULL);
  CHECK (handle_list_whole (n * HANDLE_LIST_ITEM));
  CHECK (handle_list_count (n * HANDLE_LIST_ITEM) == n);
  for (size_t i = 0; i < n; ++i)
    CHECK (handle_list_get (list, i) == h[i]);
  /* Big-endian on the wire, whatever the host. */
  CHECK ((unsigned char) list[HANDLE_LIST_ITEM * 2] == 0x7f &&
         (unsigned char) list[HANDLE_LIST_ITEM * 2 + 7] == 0xff);
  /* A partial handle at the end is not whole, and not counted. */
  CHECK (!handle_list_whole (n * HANDLE_LIST_ITEM - 3));
  CHECK (handle_list_count (n * HANDLE_LIST_ITEM - 3) == n - 1);
  CHECK (handle_list_count (7) == 0);
  free (list);
  char *none = handle_list_pack (NULL, 0);
  CHECK (none != NULL);
  CHECK (handle_list_whole (0) && handle_list_count (0) == 0);
  free (none);
}

int
main (void)
{
  test_be64 ();
  test_round_trip ();
  test_empty_block ();
  test_packer_refuses ();
  test_truncated ();
  test_hostile ();
  test_handle_lists ();
  return test_result ();
}
