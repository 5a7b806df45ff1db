/* Kernel unpacking.
 *
 * The appliance boots the host's kernel.  When that is an x86 bzImage,
 * its compressed payload is unpacked once on the host into an ELF
 * vmlinux: decompressing the kernel inside the guest costs about 3 s
 * under TCG, unpacking it here costs under a second, and qemu boots the
 * ELF directly through its PVH entry point.  A kernel without that
 * entry point, or compressed in a way we do not know, is booted as it
 * is.
 */

#include <config.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appliance-internal.h"


static uint32_t
le32 (const unsigned char *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t) p[3] << 24);
}

/* qemu boots an ELF kernel on x86 only through the PVH entry point, which
 * the kernel advertises in a Xen ELF note of type 18
 * (XEN_ELFNOTE_PHYS32_ENTRY), present when built with CONFIG_PVH. */
static bool
elf_has_pvh_note (int fd)
{
  unsigned char eh[64];
  uint64_t phoff;
  uint16_t phentsize, phnum;

  if (read_exact_at (fd, eh, sizeof eh, 0) == -1 ||
      memcmp (eh, "\177ELF", 4) != 0 || eh[4] != 2 /* 64 bit */ ||
      eh[5] != 1 /* little endian */)
    return false;
  memcpy (&phoff, eh + 32, 8);
  memcpy (&phentsize, eh + 54, 2);
  memcpy (&phnum, eh + 56, 2);
  if (phentsize < 56 || phnum > 256)
    return false;
  for (unsigned i = 0; i < phnum; ++i) {
    unsigned char ph[56];
    uint32_t type;
    uint64_t off, size;

    if (read_exact_at (fd, ph, sizeof ph, phoff + (uint64_t) i * phentsize) == -1)
      return false;
    memcpy (&type, ph, 4);
    if (type != 4 /* PT_NOTE */)
      continue;
    memcpy (&off, ph + 8, 8);
    memcpy (&size, ph + 32, 8);
    if (size > 65536)
      continue;
    unsigned char *notes = malloc (size);
    if (notes == NULL || read_exact_at (fd, notes, size, off) == -1) {
      free (notes);
      continue;
    }
    for (uint64_t p = 0; p + 12 <= size; ) {
      uint32_t namesz = le32 (notes + p);
      uint32_t descsz = le32 (notes + p + 4);
      uint32_t ntype = le32 (notes + p + 8);
      uint64_t name_at = p + 12;
      uint64_t next = name_at + ((namesz + 3) & ~3u) + ((descsz + 3) & ~3u);
      if (next > size)
        break;
      if (namesz == 4 && memcmp (notes + name_at, "Xen", 4) == 0 &&
          ntype == 18) {
        free (notes);
        return true;
      }
      p = next;
    }
    free (notes);
  }
  return false;
}

struct decompressor {
  const unsigned char magic[6];
  size_t magiclen;
  const char *argv[4];
};

static const struct decompressor decompressors[] = {
  /* The payload is followed by its 4-byte uncompressed size, which xz
   * would otherwise take for a second stream. */
  { { 0xfd, '7', 'z', 'X', 'Z', 0 }, 6, { "xz", "-dc", "--single-stream", NULL } },
  { { 0x28, 0xb5, 0x2f, 0xfd }, 4, { "zstd", "-dcq", NULL } },
  { { 0x1f, 0x8b }, 2, { "gzip", "-dc", NULL } },
  { { 0x02, 0x21, 0x4c, 0x18 }, 4, { "lz4", "-dc", NULL } },
  { { 'B', 'Z', 'h' }, 3, { "bzip2", "-dc", NULL } },
  { { 0x5d, 0x00, 0x00 }, 3, { "xz", "-dc", "--format=lzma", NULL } },
};

/* Writes the uncompressed kernel of bzImage src to dst.  Returns 0 on
 * success, -1 (with a reason in err) if src is not something we can
 * uncompress, in which case the caller boots src as it is. */
int
kernel_unpack_vmlinux (struct ctx *c, const char *src, const char *dst,
                 const char *workdir)
{
  unsigned char hdr[0x260], tailsz[4];
  int fd, pfd = -1, ofd = -1, ret = -1;
  off_t payload_at;
  uint32_t payload_len, expect;
  const struct decompressor *d = NULL;
  char *payload = NULL, *tmp = NULL;
  unsigned char *buf = NULL;
  struct stat st;

  fd = open (src, O_RDONLY|O_CLOEXEC);
  if (fd == -1)
    return fail_errno (c, "%s", src);
  if (read_exact_at (fd, hdr, sizeof hdr, 0) == -1 ||
      memcmp (hdr + 0x202, "HdrS", 4) != 0 ||
      (hdr[0x206] | (hdr[0x207] << 8)) < 0x208) {
    fail (c, "%s: not a bzImage with a payload header", src);
    goto out;
  }
  unsigned setup_sects = hdr[0x1f1] ? hdr[0x1f1] : 4;
  payload_at = (off_t) (setup_sects + 1) * 512 + le32 (hdr + 0x248);
  payload_len = le32 (hdr + 0x24c);
  if (fstat (fd, &st) == -1 || payload_len < 16 ||
      payload_at + payload_len > st.st_size) {
    fail (c, "%s: bad payload location", src);
    goto out;
  }
  buf = malloc (payload_len);
  if (buf == NULL || read_exact_at (fd, buf, payload_len, payload_at) == -1) {
    fail (c, "%s: cannot read payload", src);
    goto out;
  }
  for (size_t i = 0; i < sizeof decompressors / sizeof decompressors[0]; ++i)
    if (memcmp (buf, decompressors[i].magic, decompressors[i].magiclen) == 0) {
      d = &decompressors[i];
      break;
    }
  if (d == NULL) {
    fail (c, "%s: unknown kernel compression", src);
    goto out;
  }
  /* Every compressed x86 kernel ends with the uncompressed size, which
   * also tells us whether the decompressor produced all of it. */
  memcpy (tailsz, buf + payload_len - 4, 4);
  expect = le32 (tailsz);

  payload = appliance_asprintf ("%s/payload.tmp", workdir);
  tmp = appliance_asprintf ("%s.tmp", dst);
  if (!payload || !tmp) {
    fail (c, "out of memory");
    goto out;
  }
  pfd = open (payload, O_RDWR|O_CREAT|O_TRUNC|O_CLOEXEC, 0600);
  if (pfd == -1 || write (pfd, buf, payload_len) != (ssize_t) payload_len ||
      lseek (pfd, 0, SEEK_SET) == -1) {
    fail_errno (c, "%s", payload);
    goto out;
  }
  ofd = open (tmp, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644);
  if (ofd == -1) {
    fail_errno (c, "%s", tmp);
    goto out;
  }
  char tail[512];
  int status = run_program (c, (char *const *) d->argv, pfd, ofd,
                            tail, sizeof tail);
  if (status == -1)
    goto out;
  /* gzip and zstd exit non-zero over the trailing size bytes; the size
   * check below is what decides. */
  if (fstat (ofd, &st) == -1 || (uint64_t) st.st_size != expect) {
    strip_trailing_newline (tail);
    fail (c, "%s -dc on the kernel payload gave %jd bytes, expected %u%s%s",
          d->argv[0], (intmax_t) st.st_size, expect,
          tail[0] ? ": " : "", tail);
    goto out;
  }
  close (ofd);
  ofd = open (tmp, O_RDONLY|O_CLOEXEC);
  if (ofd == -1 || !elf_has_pvh_note (ofd)) {
    fail (c, "uncompressed kernel has no PVH entry point");
    goto out;
  }
  if (rename (tmp, dst) == -1) {
    fail_errno (c, "rename %s", tmp);
    goto out;
  }
  ret = 0;
 out:
  if (ret == -1 && tmp)
    unlink (tmp);
  if (payload)
    unlink (payload);
  if (ofd >= 0) close (ofd);
  if (pfd >= 0) close (pfd);
  close (fd);
  free (payload); free (tmp); free (buf);
  return ret;
}

/* The version string the bzImage header points at ("6.1.0-9-amd64 (...)
 * #1 SMP ..."): its first word names the /lib/modules directory. */
char *
kernel_bzimage_version (const char *kernel)
{
  unsigned char hdr[0x210];
  char ver[256];
  int fd = open (kernel, O_RDONLY|O_CLOEXEC);
  char *ret = NULL;

  if (fd == -1)
    return NULL;
  if (read_exact_at (fd, hdr, sizeof hdr, 0) == 0 &&
      memcmp (hdr + 0x202, "HdrS", 4) == 0) {
    unsigned off = hdr[0x20e] | (hdr[0x20f] << 8);
    if (off && read_exact_at (fd, ver, sizeof ver - 1, off + 0x200) == 0) {
      ver[sizeof ver - 1] = '\0';
      ver[strcspn (ver, " ")] = '\0';
      if (ver[0])
        ret = strdup (ver);
    }
  }
  close (fd);
  return ret;
}
