/* make-guest KIND OUTPUT: build one of the test guests.
 *
 * The guests are built the way an application of the library would
 * build them, through the public API only: partitioning, LVM, LUKS,
 * mkfs, mount, then files written into the mounted filesystems.  Their
 * content is fixed by the recipes (make-guest-linux.c,
 * make-guest-windows.c) and a deterministic generator, so that a
 * rebuild makes an equivalent guest; filesystem UUIDs and the like are
 * whatever the tools choose, and the recipes read them back when the
 * guest refers to them (/etc/fstab, the Windows registry).
 *
 * tests/guests/test-guest-path keeps the results in a cache; tests use
 * it (or guests.h) instead of running this directly.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "make-guest.h"

void
die (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  fputs ("make-guest: ", stderr);
  vfprintf (stderr, fmt, ap);
  fputc ('\n', stderr);
  va_end (ap);
  exit (1);
}

char *
xasprintf (const char *fmt, ...)
{
  va_list ap;
  char *s;
  va_start (ap, fmt);
  if (vasprintf (&s, fmt, ap) == -1)
    die ("out of memory");
  va_end (ap);
  return s;
}

void
create_raw (const char *path, int64_t size)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd == -1)
    die ("%s: %m", path);
  if (ftruncate (fd, size) == -1)
    die ("%s: ftruncate: %m", path);
  if (close (fd) == -1)
    die ("%s: close: %m", path);
}

guestfs_h *
open_image (const char *path, const char *format)
{
  guestfs_h *g = guestfs_create ();
  if (g == NULL)
    die ("guestfs_create: %m");
  /* Errors are reported once, by CALL. */
  guestfs_set_error_handler (g, NULL, NULL);
  CALL (g, guestfs_add_drive_opts (g, path, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                   format ? format : "raw", -1));
  CALL (g, guestfs_launch (g));
  return g;
}

void
close_image (guestfs_h *g)
{
  CALL (g, guestfs_umount_all (g));
  CALL (g, guestfs_sync (g));
  CALL (g, guestfs_shutdown (g));
  guestfs_close (g);
}

char *
first_disk (guestfs_h *g)
{
  char **disks;
  CALLP (g, disks, guestfs_list_devices (g));
  if (disks[0] == NULL)
    die ("the appliance shows no disk");
  char *disk = disks[0];
  for (size_t i = 1; disks[i]; ++i)
    free (disks[i]);
  free (disks);
  return disk;
}

char *
partition (const char *disk, int n)
{
  return xasprintf ("%s%d", disk, n);
}

void
add_partition (guestfs_h *g, const char *disk, int64_t start, int64_t end)
{
  CALL (g, guestfs_part_add (g, disk, "p", start, end));
}

void
write_text (guestfs_h *g, const char *path, const char *text)
{
  CALL (g, guestfs_write (g, path, text, strlen (text)));
}

void
write_textf (guestfs_h *g, const char *path, const char *fmt, ...)
{
  va_list ap;
  char *s;
  va_start (ap, fmt);
  if (vasprintf (&s, fmt, ap) == -1)
    die ("out of memory");
  va_end (ap);
  write_text (g, path, s);
  free (s);
}

void
make_dirs (guestfs_h *g, const char *const *dirs)
{
  for (size_t i = 0; dirs[i]; ++i)
    CALL (g, guestfs_mkdir_p (g, dirs[i]));
}

char *
fs_uuid (guestfs_h *g, const char *mountable)
{
  char *uuid;
  CALLP (g, uuid, guestfs_vfs_uuid (g, mountable));
  if (*uuid == '\0')
    die ("%s: no filesystem UUID", mountable);
  return uuid;
}

uint64_t
next_random (uint64_t *state)
{
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * UINT64_C (2685821657736338717);
}

static void
le16 (unsigned char *p, uint16_t v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static void
le32 (unsigned char *p, uint32_t v)
{
  le16 (p, v & 0xffff);
  le16 (p + 2, v >> 16);
}

void
make_elf_header (unsigned char *buf, size_t len, uint16_t machine)
{
  enum { ELFCLASS64 = 2, ELFDATA2LSB = 1, EV_CURRENT = 1, ET_DYN = 3 };
  memset (buf, 0, len);
  memcpy (buf, "\177ELF", 4);
  buf[4] = ELFCLASS64;
  buf[5] = ELFDATA2LSB;
  buf[6] = EV_CURRENT;
  le16 (buf + 16, ET_DYN);     /* e_type */
  le16 (buf + 18, machine);    /* e_machine */
  le32 (buf + 20, EV_CURRENT); /* e_version */
  buf[32] = 64;                /* e_phoff: right after this header */
  le16 (buf + 52, 64);         /* e_ehsize */
  le16 (buf + 54, 56);         /* e_phentsize */
  le16 (buf + 58, 64);         /* e_shentsize */
}

void
make_pe_header (unsigned char *buf, size_t len, uint16_t machine)
{
  enum { PE_OFFSET = 0x80, PE32_PLUS = 0x20b };
  memset (buf, 0, len);
  memcpy (buf, "MZ", 2);
  le32 (buf + 0x3c, PE_OFFSET); /* e_lfanew */
  memcpy (buf + PE_OFFSET, "PE\0\0", 4);
  unsigned char *coff = buf + PE_OFFSET + 4;
  le16 (coff + 0, machine);
  le16 (coff + 2, 0);     /* NumberOfSections */
  le16 (coff + 16, 240);  /* SizeOfOptionalHeader (PE32+) */
  le16 (coff + 18, 0x22); /* executable, large-address aware */
  le16 (coff + 20, PE32_PLUS);
}

/* ---- vfat and qcow2: small, simple images ---- */

void
make_vfat (const char *output)
{
  create_raw (output, 64 * MiB);
  guestfs_h *g = open_image (output, NULL);
  char *disk = first_disk (g);
  /* A bare filesystem, as on a USB stick or a floppy: no partitions. */
  CALL (g, guestfs_mkfs_opts (g, "vfat", disk, GUESTFS_MKFS_OPTS_LABEL,
                              "TESTVFAT", -1));
  CALL (g, guestfs_mount (g, disk, "/"));
  static const char *const dirs[] = {"/docs/letters", "/photos/2023", "/empty",
                                     NULL};
  make_dirs (g, dirs);
  write_text (g, "/README.TXT", "A vfat filesystem for the tests.\r\n");
  write_text (g, "/docs/letters/hello.txt", "hello, world\n");
  write_text (g, "/docs/Long File Name.txt", "a long name, not 8.3\n");
  unsigned char photo[4096];
  uint64_t state = 0x766661742e6a7067; /* "vfat.jpg" */
  for (size_t i = 0; i < sizeof photo; ++i)
    photo[i] = next_random (&state) & 0xff;
  CALL (g, guestfs_write (g, "/photos/2023/img0001.jpg", (char *)photo,
                          sizeof photo));
  close_image (g);
  free (disk);
}

/* The base is a raw ext4 filesystem (no partitions); the overlay
 * changes one file and adds one.  The overlay names its base by a path
 * relative to the overlay's own directory, so the two can be moved
 * together. */
void
make_qcow2 (const char *output)
{
  char *base = xasprintf ("%s.base", output);
  const char *slash = strrchr (base, '/');
  const char *base_name = slash ? slash + 1 : base;

  create_raw (base, 64 * MiB);
  guestfs_h *g = open_image (base, NULL);
  char *disk = first_disk (g);
  CALL (g, guestfs_mkfs_opts (g, "ext4", disk, GUESTFS_MKFS_OPTS_LABEL,
                              "qcow2base", -1));
  CALL (g, guestfs_mount (g, disk, "/"));
  write_text (g, "/hello.txt", "written to the base\n");
  write_text (g, "/base-only.txt", "untouched by the overlay\n");
  close_image (g);

  char *cmd = xasprintf ("qemu-img create -q -f qcow2 -b '%s' -F raw '%s' %lld",
                         base_name, output, (long long)(64 * MiB));
  if (strchr (base_name, '\'') || strchr (output, '\''))
    die ("%s: quotes in image names are not supported", output);
  if (system (cmd) != 0)
    die ("%s: failed", cmd);
  free (cmd);

  g = open_image (output, "qcow2");
  CALL (g, guestfs_mount (g, disk, "/"));
  write_text (g, "/hello.txt", "written through the overlay\n");
  write_text (g, "/overlay-only.txt", "only in the overlay\n");
  close_image (g);
  free (disk);
  free (base);
}

/* ---- main ---- */

struct kind {
  const char *name;
  void (*make) (const char *output);
  const char *description;
};

static const struct kind kinds[] = {
    {"debian", make_debian,
     "MBR, /boot ext4, LVM root and swap, a few thousand files"},
    {"fedora", make_fedora, "GPT, EFI vfat, btrfs root and home subvolumes"},
    {"luks", make_luks, "MBR, /boot ext4, LVM inside LUKS (Ubuntu)"},
    {"windows", make_windows, "MBR, NTFS, registry hives (Windows Server)"},
    {"vfat", make_vfat, "a bare vfat filesystem, no partition table"},
    {"qcow2", make_qcow2, "a qcow2 overlay on a raw ext4 base (OUTPUT.base)"},
};

static void
usage (FILE *f)
{
  fprintf (f, "usage: make-guest KIND OUTPUT\n\nKinds:\n");
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i)
    fprintf (f, "  %-8s %s\n", kinds[i].name, kinds[i].description);
}

int
main (int argc, char *argv[])
{
  if (argc == 2 && strcmp (argv[1], "--help") == 0) {
    usage (stdout);
    return 0;
  }
  if (argc != 3) {
    usage (stderr);
    return 2;
  }
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i)
    if (strcmp (argv[1], kinds[i].name) == 0) {
      struct timespec t0, t1;
      clock_gettime (CLOCK_MONOTONIC, &t0);
      kinds[i].make (argv[2]);
      clock_gettime (CLOCK_MONOTONIC, &t1);
      fprintf (stderr, "make-guest: %s: built in %.1f s\n", argv[1],
               (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
      return 0;
    }
  fprintf (stderr, "make-guest: %s: unknown kind\n", argv[1]);
  usage (stderr);
  return 2;
}
