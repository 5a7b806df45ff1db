/* Parsing the daemon's record streams into API lists: see
 * record-lists.h, and the daemon's writers (daemon/journal.c,
 * daemon/tsk.c, daemon/yara.c) for each record's fields. */
#include <config.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record-lists.h"
#include "record-stream.h"

/* A growing array of records of size elt; count bounded by
 * RECORD_COUNT_MAX. */
struct growing {
  void *val;
  uint32_t len;
  size_t alloc, elt;
};

static void *
next_slot (struct growing *a)
{
  if (a->len >= RECORD_COUNT_MAX)
    return NULL;
  if (a->len == a->alloc) {
    size_t n = a->alloc ? a->alloc * 2 : 16;
    void *v = realloc (a->val, n * a->elt);
    if (v == NULL)
      return NULL;
    a->val = v;
    a->alloc = n;
  }
  void *slot = (char *)a->val + a->len * a->elt;
  memset (slot, 0, a->elt);
  return slot;
}

static void
bad (char *err, size_t errlen, const char *what, uint32_t n)
{
  snprintf (err, errlen, "malformed %s from the daemon (record %" PRIu32 ")",
            what, n + 1);
}

/* ---- journal: each record one byte string, NAME=value ---- */

static int
parse_field (FILE *fp, struct guestfs_xattr *x)
{
  char *field;
  size_t len;
  if (record_get_bytes (fp, RECORD_STRING_MAX, false, &field, &len) !=
      RECORD_OK)
    return -1;
  char *eq = memchr (field, '=', len);
  /* The name is text; the value may be anything. */
  if (eq == NULL || eq == field || memchr (field, '\0', eq - field)) {
    free (field);
    return -1;
  }
  size_t vlen = len - (eq - field) - 1;
  x->attrval = malloc (vlen + 1);
  if (x->attrval == NULL) {
    free (field);
    return -1;
  }
  memcpy (x->attrval, eq + 1, vlen);
  x->attrval[vlen] = '\0';
  x->attrval_len = vlen;
  *eq = '\0';
  x->attrname = field; /* the name, now terminated */
  return 0;
}

struct guestfs_xattr_list *
guestfs_int_parse_journal_entry (FILE *fp, char *err, size_t errlen)
{
  struct growing a = {.elt = sizeof (struct guestfs_xattr)};
  enum record_status s;
  while ((s = record_at_end (fp)) == RECORD_OK) {
    struct guestfs_xattr *x = next_slot (&a);
    if (x == NULL || parse_field (fp, x) == -1)
      break;
    a.len++;
  }
  struct guestfs_xattr_list *l = malloc (sizeof *l);
  if (l)
    *l = (struct guestfs_xattr_list){a.len, a.val};
  if (s == RECORD_EOF && l)
    return l;
  bad (err, errlen, "journal entry", a.len);
  if (l)
    guestfs_free_xattr_list (l);
  else
    free (a.val); /* out of memory: the strings are lost */
  return NULL;
}

/* ---- Sleuth Kit entries: see daemon/tsk.c ---- */

static const char tsk_types[] = "bcdflrshwu";
#define TSK_FLAGS_KNOWN 7

static int
get_i64 (FILE *fp, int64_t *v)
{
  uint64_t u;
  if (record_get_u64 (fp, &u) != RECORD_OK)
    return -1;
  *v = (int64_t)u;
  return 0;
}

static int
parse_dirent (FILE *fp, struct guestfs_tsk_dirent *d)
{
  uint64_t type, flags;
  if (record_get_u64 (fp, &d->tsk_inode) != RECORD_OK ||
      record_get_u64 (fp, &type) != RECORD_OK || type == 0 || type > 0x7f ||
      strchr (tsk_types, (int)type) == NULL ||
      get_i64 (fp, &d->tsk_size) == -1 || d->tsk_size < -1 ||
      record_get_bytes (fp, RECORD_STRING_MAX, true, &d->tsk_name, NULL) !=
          RECORD_OK ||
      record_get_u64 (fp, &flags) != RECORD_OK || flags > TSK_FLAGS_KNOWN)
    return -1;
  d->tsk_type = (char)type;
  d->tsk_flags = (uint32_t)flags;
  int64_t *times[] = {
      &d->tsk_atime_sec,  &d->tsk_atime_nsec,  &d->tsk_mtime_sec,
      &d->tsk_mtime_nsec, &d->tsk_ctime_sec,   &d->tsk_ctime_nsec,
      &d->tsk_crtime_sec, &d->tsk_crtime_nsec, &d->tsk_nlink};
  for (size_t i = 0; i < sizeof times / sizeof times[0]; ++i)
    if (get_i64 (fp, times[i]) == -1)
      return -1;
  if (d->tsk_nlink < 0 ||
      record_get_bytes (fp, RECORD_STRING_MAX, true, &d->tsk_link, NULL) !=
          RECORD_OK ||
      get_i64 (fp, &d->tsk_spare1) == -1)
    return -1;
  return 0;
}

/* A half-parsed entry's strings (the list's free sees only whole ones). */
static void
free_dirent (struct guestfs_tsk_dirent *d)
{
  free (d->tsk_name);
  free (d->tsk_link);
}

struct guestfs_tsk_dirent_list *
guestfs_int_parse_tsk_dirents (FILE *fp, char *err, size_t errlen)
{
  struct growing a = {.elt = sizeof (struct guestfs_tsk_dirent)};
  enum record_status s;
  while ((s = record_at_end (fp)) == RECORD_OK) {
    struct guestfs_tsk_dirent *d = next_slot (&a);
    if (d == NULL)
      break;
    if (parse_dirent (fp, d) == -1) {
      free_dirent (d);
      break;
    }
    a.len++;
  }
  struct guestfs_tsk_dirent_list *l = malloc (sizeof *l);
  if (l)
    *l = (struct guestfs_tsk_dirent_list){a.len, a.val};
  if (s == RECORD_EOF && l)
    return l;
  bad (err, errlen, "directory entries", a.len);
  if (l)
    guestfs_free_tsk_dirent_list (l);
  else
    free (a.val); /* out of memory: the strings are lost */
  return NULL;
}

/* ---- YARA detections: the path scanned and the rule, two strings ---- */

struct guestfs_yara_detection_list *
guestfs_int_parse_yara_detections (FILE *fp, char *err, size_t errlen)
{
  struct growing a = {.elt = sizeof (struct guestfs_yara_detection)};
  enum record_status s;
  while ((s = record_at_end (fp)) == RECORD_OK) {
    struct guestfs_yara_detection *y = next_slot (&a);
    if (y == NULL)
      break;
    if (record_get_bytes (fp, RECORD_STRING_MAX, true, &y->yara_name, NULL) !=
            RECORD_OK ||
        record_get_bytes (fp, RECORD_STRING_MAX, true, &y->yara_rule, NULL) !=
            RECORD_OK) {
      free (y->yara_name);
      break;
    }
    a.len++;
  }
  struct guestfs_yara_detection_list *l = malloc (sizeof *l);
  if (l)
    *l = (struct guestfs_yara_detection_list){a.len, a.val};
  if (s == RECORD_EOF && l)
    return l;
  bad (err, errlen, "yara detections", a.len);
  if (l)
    guestfs_free_yara_detection_list (l);
  else
    free (a.val); /* out of memory: the strings are lost */
  return NULL;
}
