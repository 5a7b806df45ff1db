/* Record streams: how the daemon sends a list of records through a
 * FileOut (journal entries, Sleuth Kit directory entries, YARA
 * detections) and how the library reads it back.
 *
 * A stream is a sequence of fields: an unsigned number is 8 bytes
 * big-endian, a byte string is its length (4 bytes big-endian) and its
 * bytes.  Each action documents its records as a list of fields.  The
 * reader treats the stream as hostile: every length is checked against
 * the limits below before anything is allocated, and a stream that
 * ends inside a record is malformed.
 *
 * The daemon and the library always come from the same build, so the
 * format is internal.
 */
#ifndef GUESTFS_RECORD_STREAM_H
#define GUESTFS_RECORD_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The longest byte string in a record (a journal field, a path). */
#define RECORD_STRING_MAX (16 * 1024 * 1024)
/* The most records in one stream. */
#define RECORD_COUNT_MAX (16 * 1024 * 1024)

/* ---- Writing (the daemon) ---- */

/* Bytes are gathered into buf and handed to flush (which returns 0, or
 * -1 to stop) whenever RECORD_FLUSH_SIZE of them are waiting. */
#define RECORD_FLUSH_SIZE (256 * 1024)
struct record_writer {
  char *buf;
  size_t len, cap;
  int (*flush) (const void *buf, size_t len);
  bool failed; /* flush or an allocation failed: nothing more is sent */
};

extern void record_put_u64 (struct record_writer *w, uint64_t v);
extern void record_put_bytes (struct record_writer *w, const void *p,
                              size_t len);
extern void record_put_string (struct record_writer *w, const char *s);
/* Flush what is waiting and free the buffer.  -1 if anything failed. */
extern int record_finish (struct record_writer *w);

/* ---- Reading (the library) ---- */

enum record_status { RECORD_OK = 0, RECORD_EOF = 1, RECORD_BAD = -1 };

/* At the start of a record: RECORD_EOF if the stream ends there. */
extern enum record_status record_at_end (FILE *fp);
extern enum record_status record_get_u64 (FILE *fp, uint64_t *v);
/* A byte string of at most max bytes, NUL-terminated in a malloc'd
 * buffer (*len_r, if not NULL, gets its length).  With text, a NUL
 * byte inside it makes the stream malformed. */
extern enum record_status record_get_bytes (FILE *fp, size_t max, bool text,
                                            char **s, size_t *len_r);

#endif
