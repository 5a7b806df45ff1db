/* isoinfo, isoinfo_device: the primary volume descriptor of an ISO 9660
 * image, read here as libguestfs reads it (no isoinfo program needed).
 * The layout is ECMA-119's (section 8.4); the data is the guest's, so
 * every field is checked before use.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-actions.h"

#define PVD_OFFSET 32768 /* sector 16 of 2048 bytes */
#define PVD_SIZE 2048

/* An a- or d-string: its bytes up to a NUL, trailing spaces dropped. */
static char *
iso_string (const unsigned char *pvd, size_t off, size_t len)
{
  char *s = strndup ((const char *)pvd + off, len);
  if (s == NULL)
    return NULL;
  size_t n = strlen (s);
  while (n > 0 && s[n - 1] == ' ')
    s[--n] = '\0';
  return s;
}

/* The little-endian half of a both-endian number. */
static uint32_t
iso_le32 (const unsigned char *pvd, size_t off)
{
  return (uint32_t)pvd[off] | (uint32_t)pvd[off + 1] << 8 |
         (uint32_t)pvd[off + 2] << 16 | (uint32_t)pvd[off + 3] << 24;
}

static uint32_t
iso_le16 (const unsigned char *pvd, size_t off)
{
  return (uint32_t)pvd[off] | (uint32_t)pvd[off + 1] << 8;
}

/* Parse n decimal digits; -1 if one is not a digit. */
static int
digits (const unsigned char *p, size_t n)
{
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!isdigit (p[i]))
      return -1;
    v = v * 10 + (p[i] - '0');
  }
  return v;
}

/* A dec-datetime (YYYYMMDDhhmmsscc and a signed offset from UTC in
 * quarters of an hour) as seconds since the epoch; -1 when unset (all
 * zeros).  Returns false if it is neither. */
static bool
iso_time (const unsigned char *pvd, size_t off, int64_t *t)
{
  const unsigned char *p = pvd + off;
  if (memcmp (p, "0000000000000000", 16) == 0) {
    *t = -1;
    return true;
  }
  struct tm tm = {.tm_isdst = 0};
  int year = digits (p, 4), mon = digits (p + 4, 2), mday = digits (p + 6, 2),
      hour = digits (p + 8, 2), min = digits (p + 10, 2),
      sec = digits (p + 12, 2);
  if (year < 0 || mon < 1 || mon > 12 || mday < 1 || mday > 31 || hour < 0 ||
      hour > 23 || min < 0 || min > 59 || sec < 0 || sec > 60)
    return false;
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = mday;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  /* The time is local to the offset: UTC is that minus the offset. */
  *t = (int64_t)timegm (&tm) - (int64_t)(int8_t)p[16] * 15 * 60;
  return true;
}

static void
free_isoinfo (guestfs_int_isoinfo *r)
{
  char **strings[] = {
      &r->iso_system_id,
      &r->iso_volume_id,
      &r->iso_volume_set_id,
      &r->iso_publisher_id,
      &r->iso_data_preparer_id,
      &r->iso_application_id,
      &r->iso_copyright_file_id,
      &r->iso_abstract_file_id,
      &r->iso_bibliographic_file_id,
  };
  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; ++i)
    free (*strings[i]);
  free (r);
}

/* The descriptor's fields, or NULL (errno) if a date is malformed. */
static guestfs_int_isoinfo *
parse_pvd (const unsigned char *pvd)
{
  guestfs_int_isoinfo *r = calloc (1, sizeof *r);
  if (r == NULL)
    return NULL;
  static const struct {
    size_t off, len;
    size_t field; /* offset in the struct */
  } strings[] = {
#define S(o, l, f) {o, l, offsetof (guestfs_int_isoinfo, f)}
      S (8, 32, iso_system_id),
      S (40, 32, iso_volume_id),
      S (190, 128, iso_volume_set_id),
      S (318, 128, iso_publisher_id),
      S (446, 128, iso_data_preparer_id),
      S (574, 128, iso_application_id),
      S (702, 37, iso_copyright_file_id),
      S (739, 37, iso_abstract_file_id),
      S (776, 37, iso_bibliographic_file_id),
#undef S
  };
  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; ++i) {
    char **f = (char **)((char *)r + strings[i].field);
    if ((*f = iso_string (pvd, strings[i].off, strings[i].len)) == NULL)
      goto fail;
  }
  r->iso_volume_space_size = iso_le32 (pvd, 80);
  r->iso_volume_set_size = iso_le16 (pvd, 120);
  r->iso_volume_sequence_number = iso_le16 (pvd, 124);
  r->iso_logical_block_size = iso_le16 (pvd, 128);
  if (!iso_time (pvd, 813, &r->iso_volume_creation_t) ||
      !iso_time (pvd, 830, &r->iso_volume_modification_t) ||
      !iso_time (pvd, 847, &r->iso_volume_expiration_t) ||
      !iso_time (pvd, 864, &r->iso_volume_effective_t)) {
    errno = EINVAL;
    goto fail;
  }
  return r;
fail:
  free_isoinfo (r);
  return NULL;
}

/* Read and parse the descriptor of the image open as fd (closed here);
 * what names it in messages. */
static guestfs_int_isoinfo *
isoinfo_fd (int fd, const char *what)
{
  unsigned char pvd[PVD_SIZE];
  ssize_t r = pread_full (fd, (char *)pvd, sizeof pvd, PVD_OFFSET);
  int err = errno;
  close (fd);
  if (r == -1) {
    reply_with_perror_errno (err, "%s", what);
    return NULL;
  }
  /* Type 1 (primary), then the standard identifier. */
  if (r != PVD_SIZE || pvd[0] != 1 || memcmp (pvd + 1, "CD001", 5) != 0) {
    reply_with_error_errno (EINVAL, "%s: not an ISO file or CD-ROM", what);
    return NULL;
  }
  guestfs_int_isoinfo *info = parse_pvd (pvd);
  if (info == NULL) {
    if (errno == EINVAL)
      reply_with_error_errno (EINVAL,
                              "%s: malformed date in the primary "
                              "volume descriptor",
                              what);
    else
      reply_with_perror ("%s", what);
  }
  return info;
}

guestfs_int_isoinfo *
do_isoinfo_device (const char *device)
{
  int fd = open (device, O_RDONLY | O_CLOEXEC);
  if (fd == -1) {
    reply_with_perror ("%s", device);
    return NULL;
  }
  return isoinfo_fd (fd, device);
}

guestfs_int_isoinfo *
do_isoinfo (const char *isofile)
{
  int fd = open_regular_file (isofile);
  if (fd == -1)
    return NULL;
  return isoinfo_fd (fd, isofile);
}
