/* The library's readers of the daemon's record streams
 * (libcore/record-lists.c) on good and on malformed input: every
 * malformed stream is refused whole, and nothing is allocated from a
 * length before it is checked. */
#define _GNU_SOURCE 1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "record-lists.h"
#include "record-stream.h"

/* A stream built in memory with the daemon's writer. */
static char stream[1 << 16];
static size_t stream_len;

static int
to_stream (const void *buf, size_t len)
{
  if (stream_len + len > sizeof stream)
    return -1;
  memcpy (stream + stream_len, buf, len);
  stream_len += len;
  return 0;
}

static void
start (struct record_writer *w)
{
  stream_len = 0;
  *w = (struct record_writer){.flush = to_stream};
}

static FILE *
open_stream (void)
{
  /* fmemopen of 0 bytes is refused: an empty stream reads /dev/null. */
  return stream_len ? fmemopen (stream, stream_len, "r")
                    : fopen ("/dev/null", "r");
}

static void
put_raw (const void *p, size_t len)
{
  memcpy (stream + stream_len, p, len);
  stream_len += len;
}

static char err[256];

static struct guestfs_xattr_list *
journal (void)
{
  FILE *fp = open_stream ();
  struct guestfs_xattr_list *l =
      guestfs_int_parse_journal_entry (fp, err, sizeof err);
  fclose (fp);
  return l;
}

static void
test_journal (void)
{
  struct record_writer w;
  start (&w);
  record_put_string (&w, "MESSAGE=hello");
  record_put_bytes (&w, "BIN=a\0b", 7);
  record_put_string (&w, "EMPTY=");
  CHECK (record_finish (&w) == 0);
  struct guestfs_xattr_list *l = journal ();
  CHECK (l && l->len == 3);
  if (l && l->len == 3) {
    CHECK_STREQ (l->val[0].attrname, "MESSAGE");
    CHECK (l->val[0].attrval_len == 5 &&
           memcmp (l->val[0].attrval, "hello", 5) == 0);
    CHECK_STREQ (l->val[1].attrname, "BIN");
    CHECK (l->val[1].attrval_len == 3 &&
           memcmp (l->val[1].attrval, "a\0b", 3) == 0);
    CHECK (l->val[2].attrval_len == 0);
  }
  guestfs_free_xattr_list (l);

  start (&w);
  CHECK (record_finish (&w) == 0);
  l = journal ();
  CHECK (l && l->len == 0);
  guestfs_free_xattr_list (l);

  /* A field without a name, or without "=", or whose name holds NUL. */
  static const char *const bad_fields[] = {"=value", "NOEQUALS"};
  for (size_t i = 0; i < 2; ++i) {
    start (&w);
    record_put_string (&w, "OK=1");
    record_put_string (&w, bad_fields[i]);
    record_finish (&w);
    CHECK (journal () == NULL);
    CHECK (strstr (err, "journal entry from the daemon (record 2)"));
  }
  start (&w);
  record_put_bytes (&w, "N\0X=1", 5);
  record_finish (&w);
  CHECK (journal () == NULL);

  /* A length beyond the data, a length beyond the limit (refused
   * before any allocation), a length word cut short. */
  start (&w);
  put_raw ("\0\0\0\x10"
           "AB=C",
           8);
  CHECK (journal () == NULL);
  start (&w);
  put_raw ("\xff\xff\xff\xff"
           "AB=C",
           8);
  CHECK (journal () == NULL);
  start (&w);
  put_raw ("\0\0", 2);
  CHECK (journal () == NULL);
}

static struct guestfs_tsk_dirent_list *
dirents (void)
{
  FILE *fp = open_stream ();
  struct guestfs_tsk_dirent_list *l =
      guestfs_int_parse_tsk_dirents (fp, err, sizeof err);
  fclose (fp);
  return l;
}

/* One entry as daemon/tsk.c writes it, with some fields chosen. */
static void
put_dirent (struct record_writer *w, uint64_t type, int64_t size,
            const char *name, size_t name_len, uint64_t flags, int64_t nlink)
{
  record_put_u64 (w, 12);
  record_put_u64 (w, type);
  record_put_u64 (w, (uint64_t)size);
  record_put_bytes (w, name, name_len);
  record_put_u64 (w, flags);
  for (int i = 0; i < 8; ++i)
    record_put_u64 (w, 1000 + i);
  record_put_u64 (w, (uint64_t)nlink);
  record_put_string (w, "target");
  record_put_u64 (w, 0);
}

static void
test_tsk (void)
{
  struct record_writer w;
  start (&w);
  put_dirent (&w, 'r', 6, "dir/file", 8, 1, 2);
  put_dirent (&w, 'l', -1, "dir/link", 8, 0, 1);
  CHECK (record_finish (&w) == 0);
  struct guestfs_tsk_dirent_list *l = dirents ();
  CHECK (l && l->len == 2);
  if (l && l->len == 2) {
    CHECK (l->val[0].tsk_inode == 12 && l->val[0].tsk_type == 'r' &&
           l->val[0].tsk_size == 6 && l->val[0].tsk_flags == 1 &&
           l->val[0].tsk_atime_sec == 1000 &&
           l->val[0].tsk_crtime_nsec == 1007 && l->val[0].tsk_nlink == 2);
    CHECK_STREQ (l->val[0].tsk_name, "dir/file");
    CHECK_STREQ (l->val[0].tsk_link, "target");
    CHECK (l->val[1].tsk_size == -1);
  }
  guestfs_free_tsk_dirent_list (l);

  /* An unknown type, a size below -1, unknown flags, a name holding
   * NUL, a negative link count. */
  struct {
    uint64_t type;
    int64_t size;
    const char *name;
    size_t len;
    uint64_t flags;
    int64_t nlink;
  } bad[] = {
      {'z', 1, "x", 1, 1, 1},       {0, 1, "x", 1, 1, 1},
      {'r', -2, "x", 1, 1, 1},      {'r', 1, "x", 1, 8, 1},
      {'r', 1, "a\0b", 3, 1, 1},    {'r', 1, "x", 1, 1, -1},
      {'r' + 256, 1, "x", 1, 1, 1},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    start (&w);
    put_dirent (&w, 'd', 0, "ok", 2, 1, 1);
    put_dirent (&w, bad[i].type, bad[i].size, bad[i].name, bad[i].len,
                bad[i].flags, bad[i].nlink);
    record_finish (&w);
    CHECK (dirents () == NULL);
    CHECK (strstr (err, "directory entries from the daemon (record 2)"));
  }

  /* A stream cut anywhere inside an entry. */
  start (&w);
  put_dirent (&w, 'r', 6, "dir/file", 8, 1, 2);
  record_finish (&w);
  size_t whole = stream_len;
  for (size_t cut = 1; cut < whole; ++cut) {
    stream_len = cut;
    struct guestfs_tsk_dirent_list *p = dirents ();
    if (p != NULL) {
      fprintf (stderr, "FAIL: an entry cut at %zu bytes was accepted\n", cut);
      ++test_failures;
      guestfs_free_tsk_dirent_list (p);
    }
  }
}

static struct guestfs_yara_detection_list *
detections (void)
{
  FILE *fp = open_stream ();
  struct guestfs_yara_detection_list *l =
      guestfs_int_parse_yara_detections (fp, err, sizeof err);
  fclose (fp);
  return l;
}

static void
test_yara (void)
{
  struct record_writer w;
  start (&w);
  record_put_string (&w, "/etc/passwd");
  record_put_string (&w, "rule_one");
  record_put_string (&w, "/etc/passwd");
  record_put_string (&w, "rule_two");
  CHECK (record_finish (&w) == 0);
  struct guestfs_yara_detection_list *l = detections ();
  CHECK (l && l->len == 2);
  if (l && l->len == 2) {
    CHECK_STREQ (l->val[0].yara_name, "/etc/passwd");
    CHECK_STREQ (l->val[1].yara_rule, "rule_two");
  }
  guestfs_free_yara_detection_list (l);

  /* A path without its rule. */
  start (&w);
  record_put_string (&w, "/etc/passwd");
  record_finish (&w);
  CHECK (detections () == NULL);
  CHECK (strstr (err, "yara detections from the daemon (record 1)"));
}

int
main (void)
{
  test_journal ();
  test_tsk ();
  test_yara ();
  return test_result ();
}
