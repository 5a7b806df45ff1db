/* An empty Windows registry hive, written from the format's description
 * (see regf.h).  hivex is then used to fill it.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regf.h"

/* Offsets in the base block. */
enum {
  BASE_SIGNATURE = 0x00,
  BASE_SEQUENCE1 = 0x04,
  BASE_SEQUENCE2 = 0x08, /* equal to the first: the hive is consistent */
  BASE_TIMESTAMP = 0x0c,
  BASE_MAJOR = 0x14,
  BASE_MINOR = 0x18,
  BASE_TYPE = 0x1c,   /* 0: a primary file, not a log */
  BASE_FORMAT = 0x20, /* 1: direct memory load */
  BASE_ROOT_CELL = 0x24,
  BASE_BINS_SIZE = 0x28,
  BASE_CLUSTERING = 0x2c,
  BASE_FILE_NAME = 0x30, /* 64 bytes of UTF-16LE */
  BASE_CHECKSUM = 0x1fc,
};

/* Offsets in a hive bin header, which is 32 bytes long. */
enum {
  HBIN_SIGNATURE = 0x00,
  HBIN_OFFSET = 0x04, /* from the first bin */
  HBIN_SIZE = 0x08,
  HBIN_TIMESTAMP = 0x14,
  HBIN_HEADER_SIZE = 0x20,
};

/* Offsets in a key node (nk), counted from after the cell's size. */
enum {
  NK_SIGNATURE = 0x00,
  NK_FLAGS = 0x02,
  NK_TIMESTAMP = 0x04,
  NK_PARENT = 0x10,
  NK_SUBKEYS = 0x14,
  NK_VOLATILE_SUBKEYS = 0x18,
  NK_SUBKEY_LIST = 0x1c,
  NK_VOLATILE_SUBKEY_LIST = 0x20,
  NK_VALUES = 0x24,
  NK_VALUE_LIST = 0x28,
  NK_SECURITY = 0x2c,
  NK_CLASS_NAME = 0x30,
  NK_NAME_LENGTH = 0x48,
  NK_CLASS_NAME_LENGTH = 0x4a,
  NK_NAME = 0x4c,
};

/* Key node flags. */
enum {
  KEY_HIVE_ENTRY = 0x0004, /* the root key */
  KEY_NO_DELETE = 0x0008,
  KEY_COMP_NAME = 0x0020, /* the name is ASCII, not UTF-16 */
};

/* Offsets in a security cell (sk), counted from after the cell's size. */
enum {
  SK_SIGNATURE = 0x00,
  SK_FLINK = 0x04, /* the security cells form a ring: just this one */
  SK_BLINK = 0x08,
  SK_REFERENCES = 0x0c,
  SK_DESCRIPTOR_SIZE = 0x10,
  SK_DESCRIPTOR = 0x14,
};

#define NO_CELL 0xffffffffu

/* A fixed time (2024-01-01 00:00 UTC in 100 ns units since 1601), so
 * that the same recipe makes the same bytes. */
#define HIVE_TIMESTAMP UINT64_C (133485408000000000)

static void
put16 (unsigned char *p, uint16_t v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static void
put32 (unsigned char *p, uint32_t v)
{
  for (int i = 0; i < 4; ++i)
    p[i] = (v >> (8 * i)) & 0xff;
}

static void
put64 (unsigned char *p, uint64_t v)
{
  for (int i = 0; i < 8; ++i)
    p[i] = (v >> (8 * i)) & 0xff;
}

static uint32_t
get32 (const unsigned char *p)
{
  return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

uint32_t
regf_checksum (const unsigned char *base_block)
{
  uint32_t sum = 0;
  for (size_t off = 0; off < BASE_CHECKSUM; off += 4)
    sum ^= get32 (base_block + off);
  return sum;
}

/* A security identifier: revision 1, authority, sub-authorities.
 * Returns its length. */
static size_t
put_sid (unsigned char *p, uint8_t authority, const uint32_t *subs,
         uint8_t nsubs)
{
  p[0] = 1;
  p[1] = nsubs;
  memset (p + 2, 0, 5); /* the authority is 48-bit big-endian */
  p[7] = authority;
  for (uint8_t i = 0; i < nsubs; ++i)
    put32 (p + 8 + 4 * i, subs[i]);
  return 8 + 4 * (size_t)nsubs;
}

/* An access-allowed ACE, inherited by subkeys.  Returns its length. */
static size_t
put_allow_ace (unsigned char *p, uint32_t mask, uint8_t authority,
               const uint32_t *subs, uint8_t nsubs)
{
  enum { ACCESS_ALLOWED = 0, OBJECT_AND_CONTAINER_INHERIT = 0x03 };
  p[0] = ACCESS_ALLOWED;
  p[1] = OBJECT_AND_CONTAINER_INHERIT;
  put32 (p + 4, mask);
  size_t len = 8 + put_sid (p + 8, authority, subs, nsubs);
  put16 (p + 2, (uint16_t)len);
  return len;
}

/* A self-relative security descriptor like those of real hives:
 * owned by Administrators, group SYSTEM, and a DACL giving SYSTEM and
 * Administrators full control and Everyone read access.  Returns its
 * length (at most 160 bytes). */
static size_t
put_security_descriptor (unsigned char *p)
{
  enum { NT_AUTHORITY = 5, WORLD_AUTHORITY = 1 };
  enum { SE_DACL_PRESENT = 0x0004, SE_SELF_RELATIVE = 0x8000 };
  const uint32_t KEY_ALL_ACCESS = 0x000f003f, KEY_READ = 0x00020019;
  static const uint32_t administrators[] = {32, 544}, local_system[] = {18},
                        everyone[] = {0};

  size_t off = 20; /* the fixed header */
  p[0] = 1;        /* revision */
  put16 (p + 2, SE_DACL_PRESENT | SE_SELF_RELATIVE);
  put32 (p + 4, (uint32_t)off);
  off += put_sid (p + off, NT_AUTHORITY, administrators, 2);
  put32 (p + 8, (uint32_t)off);
  off += put_sid (p + off, NT_AUTHORITY, local_system, 1);
  put32 (p + 16, (uint32_t)off); /* no SACL: its offset stays 0 */

  unsigned char *acl = p + off;
  size_t acl_len = 8;
  acl_len += put_allow_ace (acl + acl_len, KEY_ALL_ACCESS, NT_AUTHORITY,
                            local_system, 1);
  acl_len += put_allow_ace (acl + acl_len, KEY_ALL_ACCESS, NT_AUTHORITY,
                            administrators, 2);
  acl_len +=
      put_allow_ace (acl + acl_len, KEY_READ, WORLD_AUTHORITY, everyone, 1);
  acl[0] = 2; /* ACL revision */
  put16 (acl + 2, (uint16_t)acl_len);
  put16 (acl + 4, 3);
  return off + acl_len;
}

static size_t
round_up_8 (size_t n)
{
  return (n + 7) & ~(size_t)7;
}

/* Write the root key cell at bin offset cell; returns the cell size. */
static size_t
put_root_key (unsigned char *bins, size_t cell, const char *name,
              uint32_t security_cell)
{
  size_t name_len = strlen (name);
  size_t size = round_up_8 (4 + NK_NAME + name_len);
  unsigned char *nk = bins + cell + 4;
  put32 (bins + cell, (uint32_t) - (int32_t)size); /* negative: in use */
  memcpy (nk + NK_SIGNATURE, "nk", 2);
  put16 (nk + NK_FLAGS, KEY_HIVE_ENTRY | KEY_NO_DELETE | KEY_COMP_NAME);
  put64 (nk + NK_TIMESTAMP, HIVE_TIMESTAMP);
  put32 (nk + NK_PARENT, NO_CELL);
  put32 (nk + NK_SUBKEYS, 0);
  put32 (nk + NK_VOLATILE_SUBKEYS, 0);
  put32 (nk + NK_SUBKEY_LIST, NO_CELL);
  put32 (nk + NK_VOLATILE_SUBKEY_LIST, NO_CELL);
  put32 (nk + NK_VALUES, 0);
  put32 (nk + NK_VALUE_LIST, NO_CELL);
  put32 (nk + NK_SECURITY, security_cell);
  put32 (nk + NK_CLASS_NAME, NO_CELL);
  put16 (nk + NK_NAME_LENGTH, (uint16_t)name_len);
  put16 (nk + NK_CLASS_NAME_LENGTH, 0);
  memcpy (nk + NK_NAME, name, name_len);
  return size;
}

/* Write the security cell at bin offset cell; returns the cell size. */
static size_t
put_security_cell (unsigned char *bins, size_t cell)
{
  unsigned char *sk = bins + cell + 4;
  memcpy (sk + SK_SIGNATURE, "sk", 2);
  put32 (sk + SK_FLINK, (uint32_t)cell);
  put32 (sk + SK_BLINK, (uint32_t)cell);
  put32 (sk + SK_REFERENCES, 1); /* the root key */
  size_t sd_len = put_security_descriptor (sk + SK_DESCRIPTOR);
  put32 (sk + SK_DESCRIPTOR_SIZE, (uint32_t)sd_len);
  size_t size = round_up_8 (4 + SK_DESCRIPTOR + sd_len);
  put32 (bins + cell, (uint32_t) - (int32_t)size);
  return size;
}

static void
put_base_block (unsigned char *base, uint32_t root_cell, const char *file_name)
{
  memcpy (base + BASE_SIGNATURE, "regf", 4);
  put32 (base + BASE_SEQUENCE1, 1);
  put32 (base + BASE_SEQUENCE2, 1);
  put64 (base + BASE_TIMESTAMP, HIVE_TIMESTAMP);
  put32 (base + BASE_MAJOR, 1);
  put32 (base + BASE_MINOR, 5); /* 1.5: Windows XP onwards (lh lists) */
  put32 (base + BASE_TYPE, 0);
  put32 (base + BASE_FORMAT, 1);
  put32 (base + BASE_ROOT_CELL, root_cell);
  put32 (base + BASE_BINS_SIZE, REGF_HBIN_SIZE);
  put32 (base + BASE_CLUSTERING, 1);
  /* ASCII to UTF-16LE, keeping a terminating NUL in the 64 bytes. */
  size_t len = strlen (file_name);
  const char *tail = len > 31 ? file_name + len - 31 : file_name;
  for (size_t i = 0; tail[i]; ++i)
    put16 (base + BASE_FILE_NAME + 2 * i, (unsigned char)tail[i]);
  put32 (base + BASE_CHECKSUM, regf_checksum (base));
}

int
regf_make_empty (unsigned char *buf, const char *root_name,
                 const char *file_name)
{
  if (strlen (root_name) == 0 || strlen (root_name) > 64)
    return -1;
  memset (buf, 0, REGF_BASE_BLOCK_SIZE + REGF_HBIN_SIZE);

  unsigned char *bins = buf + REGF_BASE_BLOCK_SIZE;
  memcpy (bins + HBIN_SIGNATURE, "hbin", 4);
  put32 (bins + HBIN_OFFSET, 0);
  put32 (bins + HBIN_SIZE, REGF_HBIN_SIZE);
  put64 (bins + HBIN_TIMESTAMP, HIVE_TIMESTAMP);

  /* Cell offsets are counted from the start of the first bin. */
  size_t root_cell = HBIN_HEADER_SIZE;
  size_t root_size = round_up_8 (4 + NK_NAME + strlen (root_name));
  size_t security_cell = root_cell + root_size;
  put_root_key (bins, root_cell, root_name, (uint32_t)security_cell);
  size_t security_size = put_security_cell (bins, security_cell);

  /* The rest of the bin is one free cell (positive size). */
  size_t free_cell = security_cell + security_size;
  put32 (bins + free_cell, (uint32_t)(REGF_HBIN_SIZE - free_cell));

  put_base_block (buf, (uint32_t)root_cell, file_name);
  return 0;
}

int
regf_write_empty (const char *path, const char *root_name,
                  const char *file_name)
{
  unsigned char buf[REGF_BASE_BLOCK_SIZE + REGF_HBIN_SIZE];
  if (regf_make_empty (buf, root_name, file_name) == -1) {
    errno = EINVAL;
    return -1;
  }
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd == -1)
    return -1;
  size_t done = 0;
  while (done < sizeof buf) {
    ssize_t n = write (fd, buf + done, sizeof buf - done);
    if (n == -1) {
      if (errno == EINTR)
        continue;
      int err = errno;
      close (fd);
      errno = err;
      return -1;
    }
    done += n;
  }
  return close (fd);
}
