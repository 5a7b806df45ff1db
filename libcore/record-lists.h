/* The lists the library builds from the daemon's record streams
 * (common/record-stream.h): journal entries, Sleuth Kit directory
 * entries, YARA detections.  Each parser reads a whole stream and
 * returns the list (free it with guestfs_free_*_list), or NULL with
 * why in err: the stream is hostile input, and anything malformed
 * (a short record, a length beyond the limits, a bad value) refuses
 * the whole of it. */
#ifndef GUESTFS_RECORD_LISTS_H
#define GUESTFS_RECORD_LISTS_H

#include <stddef.h>
#include <stdio.h>

#include "guestfs.h"

extern struct guestfs_xattr_list *
guestfs_int_parse_journal_entry (FILE *fp, char *err, size_t errlen);
extern struct guestfs_tsk_dirent_list *
guestfs_int_parse_tsk_dirents (FILE *fp, char *err, size_t errlen);
extern struct guestfs_yara_detection_list *
guestfs_int_parse_yara_detections (FILE *fp, char *err, size_t errlen);

#endif
