/* What qemu-img says about an image: its format and backing file.
 *
 * This is how an image's format is probed when the caller names none,
 * as libguestfs does: `qemu-img info --output=json`, run on the host
 * under resource limits, of which only a few top-level fields are read.
 * Like qemu.c, this module does not depend on the library handle:
 * errors go into a caller-supplied buffer.
 */
#ifndef GUESTFS_QEMU_IMG_H
#define GUESTFS_QEMU_IMG_H

#include <stddef.h>
#include <stdint.h>

struct qemu_img_info {
  char *format;          /* "raw", "qcow2", ... (never NULL on success) */
  char *backing;         /* full-backing-filename, else backing-filename,
                          * or NULL when the image has no backing file */
  char *backing_format;  /* backing-filename-format, or NULL */
  int64_t virtual_size;  /* -1 if qemu-img did not say */
};

/* Parses qemu-img info's JSON object.  Only "format", "backing-filename",
 * "full-backing-filename", "backing-filename-format" and "virtual-size"
 * at the top level are read; everything else is skipped, nested at
 * most 64 deep.  A duplicate of a field read, a NUL in a string, or
 * anything that is not JSON is an error.  Returns 0, or -1 with err
 * set; on success the caller frees with qemu_img_info_free. */
int qemu_img_info_parse (const char *json, size_t len,
                         struct qemu_img_info *info, char *err, size_t errlen);

void qemu_img_info_free (struct qemu_img_info *info);

/* Runs `qemu-img info --output=json -U --image-opts OPTS` (plus
 * `--object OBJECT` when object is not NULL) and parses its output.
 * opts is a qemu option string such as
 * "file.driver=file,file.filename=/img" (commas in values doubled).
 * Without a "driver=" key qemu-img probes the format, but never opens
 * a backing file.  qemu-img runs with at most 1 GiB of address space
 * and 10 s of CPU time, like libguestfs's.  Returns 0, or -1 with err
 * set (qemu-img's own message when it fails). */
int qemu_img_info (const char *opts, const char *object,
                   struct qemu_img_info *info, char *err, size_t errlen);

/* Runs argv (argv[0] "qemu-img", argv[1] its command) under the same
 * limits, stdin /dev/null.  Its stdout is returned in *out_r (malloc'd,
 * NUL-terminated, or NULL if empty) unless out_r is NULL.  Returns 0,
 * or -1 with err set (qemu-img's first line of stderr when it fails). */
int qemu_img_run (char *const argv[], char **out_r, size_t *outlen_r,
                  char *err, size_t errlen);

#endif
