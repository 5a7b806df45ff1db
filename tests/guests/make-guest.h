/* make-guest: the pieces shared by the recipes of the test guests. */
#ifndef TEST_GUESTS_MAKE_GUEST_H
#define TEST_GUESTS_MAKE_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "guestfs.h"

#define MiB (INT64_C (1) << 20)
#define GiB (INT64_C (1) << 30)

/* Print the message and exit with status 1. */
extern void die (const char *fmt, ...)
    __attribute__ ((noreturn, format (printf, 1, 2)));

/* A guestfs call that must succeed, or make-guest stops, naming it. */
#define CALL(g, call)                                                          \
  do {                                                                         \
    if ((call) == -1)                                                          \
      die ("%s: %s", #call, guestfs_last_error (g));                           \
  } while (0)
#define CALLP(g, var, call)                                                    \
  do {                                                                         \
    if (((var) = (call)) == NULL)                                              \
      die ("%s: %s", #call, guestfs_last_error (g));                           \
  } while (0)

extern char *xasprintf (const char *fmt, ...)
    __attribute__ ((format (printf, 1, 2)));

/* A sparse raw file of size bytes. */
extern void create_raw (const char *path, int64_t size);

/* A handle with the image added (raw unless format says otherwise),
 * launched. */
extern guestfs_h *open_image (const char *path, const char *format);

/* Shut the appliance down cleanly (flushing the disks) and close. */
extern void close_image (guestfs_h *g);

/* The first whole disk of the appliance (/dev/sda or /dev/vda): a
 * malloc'd string. */
extern char *first_disk (guestfs_h *g);

/* Partition n of disk, and a primary partition from sector start to
 * end (inclusive). */
extern char *partition (const char *disk, int n);
extern void add_partition (guestfs_h *g, const char *disk, int64_t start,
                           int64_t end);

/* Write a file from a NUL-terminated string. */
extern void write_text (guestfs_h *g, const char *path, const char *text);
/* The same with a printf format. */
extern void write_textf (guestfs_h *g, const char *path, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* Create each directory of a NULL-terminated list (with parents). */
extern void make_dirs (guestfs_h *g, const char *const *dirs);

/* The filesystem UUID of a mountable (malloc'd). */
extern char *fs_uuid (guestfs_h *g, const char *mountable);

/* A deterministic pseudo-random generator (xorshift64*), so that every
 * build of a recipe writes the same content. */
extern uint64_t next_random (uint64_t *state);

/* Headers of executables, for the architecture tests of inspection:
 * a 64-bit little-endian ELF header for machine (EM_* number), and the
 * start of a PE image (MZ stub and PE/COFF headers) for machine
 * (IMAGE_FILE_MACHINE_* number).  Both fill buf with len bytes (at
 * least 512). */
extern void make_elf_header (unsigned char *buf, size_t len, uint16_t machine);
extern void make_pe_header (unsigned char *buf, size_t len, uint16_t machine);

/* The recipes, in make-guest-linux.c and make-guest-windows.c.  Each
 * writes the image to output. */
extern void make_debian (const char *output);
extern void make_fedora (const char *output);
extern void make_luks (const char *output);
extern void make_windows (const char *output);
extern void make_vfat (const char *output);
extern void make_qcow2 (const char *output);

#endif
