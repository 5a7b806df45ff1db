/* Library-side text and data actions: the grep variants, strings,
 * compressed tarballs and the other deprecated calls that are one
 * daemon call with fixed arguments, and file_architecture, which reads
 * what guestfs_file says.
 */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guestfs-internal.h"
#include "internal-actions.h"

/* ---- The grep variants ---- */

enum {
  GREP_E = GUESTFS_GREP_OPTS_EXTENDED_BITMASK,
  GREP_F = GUESTFS_GREP_OPTS_FIXED_BITMASK,
  GREP_I = GUESTFS_GREP_OPTS_INSENSITIVE_BITMASK,
  GREP_Z = GUESTFS_GREP_OPTS_COMPRESSED_BITMASK,
};

static char **
grep_with (guestfs_h *g, const char *regex, const char *path, uint64_t flags)
{
  struct guestfs_grep_opts_argv o = {
    .bitmask = flags,
    .extended = (flags & GREP_E) != 0,
    .fixed = (flags & GREP_F) != 0,
    .insensitive = (flags & GREP_I) != 0,
    .compressed = (flags & GREP_Z) != 0,
  };
  return guestfs_grep_opts_argv (g, regex, path, &o);
}

#define GREP_VARIANT(name, flags)                                            \
  char **guestfs_impl_##name (guestfs_h *g, const char *regex,               \
                              const char *path)                              \
  {                                                                          \
    return grep_with (g, regex, path, (flags));                              \
  }

GREP_VARIANT (egrep, GREP_E)
GREP_VARIANT (fgrep, GREP_F)
GREP_VARIANT (grepi, GREP_I)
GREP_VARIANT (egrepi, GREP_E | GREP_I)
GREP_VARIANT (fgrepi, GREP_F | GREP_I)
GREP_VARIANT (zgrep, GREP_Z)
GREP_VARIANT (zegrep, GREP_Z | GREP_E)
GREP_VARIANT (zfgrep, GREP_Z | GREP_F)
GREP_VARIANT (zgrepi, GREP_Z | GREP_I)
GREP_VARIANT (zegrepi, GREP_Z | GREP_E | GREP_I)
GREP_VARIANT (zfgrepi, GREP_Z | GREP_F | GREP_I)

char **
guestfs_impl_strings (guestfs_h *g, const char *path)
{
  return guestfs_strings_e (g, "s", path);
}

/* ---- Compressed tarballs ---- */

static int
tar_in_compressed (guestfs_h *g, const char *tarball, const char *directory,
                   const char *compress)
{
  struct guestfs_tar_in_opts_argv o = {
    .bitmask = GUESTFS_TAR_IN_OPTS_COMPRESS_BITMASK, .compress = compress,
  };
  return guestfs_tar_in_opts_argv (g, tarball, directory, &o);
}

static int
tar_out_compressed (guestfs_h *g, const char *directory, const char *tarball,
                    const char *compress)
{
  struct guestfs_tar_out_opts_argv o = {
    .bitmask = GUESTFS_TAR_OUT_OPTS_COMPRESS_BITMASK, .compress = compress,
  };
  return guestfs_tar_out_opts_argv (g, directory, tarball, &o);
}

int
guestfs_impl_tgz_in (guestfs_h *g, const char *tarball, const char *directory)
{
  return tar_in_compressed (g, tarball, directory, "gzip");
}

int
guestfs_impl_tgz_out (guestfs_h *g, const char *directory, const char *tarball)
{
  return tar_out_compressed (g, directory, tarball, "gzip");
}

int
guestfs_impl_txz_in (guestfs_h *g, const char *tarball, const char *directory)
{
  return tar_in_compressed (g, tarball, directory, "xz");
}

int
guestfs_impl_txz_out (guestfs_h *g, const char *directory, const char *tarball)
{
  return tar_out_compressed (g, directory, tarball, "xz");
}

/* ---- Writing ---- */

int
guestfs_impl_write_file (guestfs_h *g, const char *path, const char *content,
                         int size)
{
  size_t len = strlen (content);
  if (size < 0 || (size_t) size > len) {
    guestfs_int_error_errno (g, EINVAL, "write_file: size: %d is not "
                             "between 0 and the length of content (%zu)",
                             size, len);
    return -1;
  }
  return guestfs_write (g, path, content, size == 0 ? len : (size_t) size);
}

int
guestfs_impl_fallocate (guestfs_h *g, const char *path, int len)
{
  return guestfs_fallocate64 (g, path, len);
}

/* ---- file_architecture ---- */

/* What file(1) calls a machine, and the name libguestfs gives it.  A
 * 64-bit or big/little-endian variant has an entry of its own. */
struct arch_name {
  const char *file_says;
  int bits;        /* 32, 64, or 0: either */
  char endian;     /* 'L', 'M', or 0: either (ELF only) */
  const char *arch;
};

static const struct arch_name elf_arches[] = {
  { "x86-64", 0, 0, "x86_64" },
  { "Intel 80386", 0, 0, "i386" },
  { "Intel i386", 0, 0, "i386" },
  { "Intel 80486", 0, 0, "i386" },
  { "ARM aarch64", 0, 0, "aarch64" },
  { "ARM", 32, 0, "arm" },
  { "64-bit PowerPC or cisco 7500", 64, 'L', "ppc64le" },
  { "64-bit PowerPC or cisco 7500", 64, 'M', "ppc64" },
  { "PowerPC or cisco 4500", 32, 0, "ppc" },
  { "IBM S/390", 64, 0, "s390x" },
  { "IBM S/390", 32, 0, "s390" },
  { "SPARC V9", 64, 0, "sparc64" },
  { "SPARC", 32, 0, "sparc" },
  { "IA-64", 0, 0, "ia64" },
  { "MIPS", 64, 0, "mips64" },
  { "MIPS", 32, 0, "mips" },
  { "UCB RISC-V", 64, 0, "riscv64" },
  { "UCB RISC-V", 32, 0, "riscv32" },
  { "RISC-V", 64, 0, "riscv64" },
  { "RISC-V", 32, 0, "riscv32" },
  { NULL, 0, 0, NULL },
};

/* PE: "PE32 executable (console) Intel 80386, for MS Windows"; Mach-O:
 * "Mach-O 64-bit x86_64 executable".  Matched as words of the text. */
static const struct arch_name word_arches[] = {
  { "x86-64", 0, 0, "x86_64" },
  { "x86_64", 0, 0, "x86_64" },
  { "Intel 80386", 0, 0, "i386" },
  { "i386", 0, 0, "i386" },
  { "Aarch64", 0, 0, "aarch64" },
  { "arm64", 0, 0, "aarch64" },
  { "Intel Itanium", 0, 0, "ia64" },
  { "ppc64", 0, 0, "ppc64" },
  { "ppc", 0, 0, "ppc" },
  { "ARM", 0, 0, "arm" },
  { "arm", 0, 0, "arm" },
  { NULL, 0, 0, NULL },
};

/* The field of an ELF description naming the machine: the text after
 * the first ", " up to the next ",", compared whole. */
static const char *
elf_arch (const char *desc)
{
  int bits = strncmp (desc, "ELF 64-bit", 10) == 0   ? 64
             : strncmp (desc, "ELF 32-bit", 10) == 0 ? 32
                                                     : 0;
  if (bits == 0)
    return NULL;
  char endian = strncmp (desc + 10, " LSB", 4) == 0   ? 'L'
                : strncmp (desc + 10, " MSB", 4) == 0 ? 'M'
                                                      : 0;
  const char *field = strstr (desc, ", ");
  if (field == NULL)
    return NULL;
  field += 2;
  size_t len = strcspn (field, ",");
  for (const struct arch_name *a = elf_arches; a->file_says; ++a)
    if (strlen (a->file_says) == len &&
        strncmp (field, a->file_says, len) == 0 &&
        (a->bits == 0 || a->bits == bits) &&
        (a->endian == 0 || a->endian == endian))
      return a->arch;
  return NULL;
}

/* word occurs in desc between spaces, commas or the ends. */
static bool
has_word (const char *desc, const char *word)
{
  size_t len = strlen (word);
  for (const char *p = strstr (desc, word); p; p = strstr (p + 1, word)) {
    bool starts = p == desc || p[-1] == ' ';
    bool ends = p[len] == '\0' || p[len] == ' ' || p[len] == ',';
    if (starts && ends)
      return true;
  }
  return false;
}

static const char *
word_arch (const char *desc)
{
  if (strncmp (desc, "PE32", 4) != 0 && strncmp (desc, "Mach-O", 6) != 0)
    return NULL;
  if (strstr (desc, "universal binary"))
    return NULL; /* several architectures: none is the answer */
  for (const struct arch_name *a = word_arches; a->file_says; ++a)
    if (has_word (desc, a->file_says))
      return a->arch;
  return NULL;
}

char *
guestfs_impl_file_architecture (guestfs_h *g, const char *filename)
{
  char *desc = guestfs_file (g, filename);
  if (desc == NULL)
    return NULL;
  const char *arch = elf_arch (desc);
  if (arch == NULL)
    arch = word_arch (desc);
  if (arch == NULL) {
    guestfs_int_error_errno (g, EINVAL, "file_architecture: %s: unknown "
                             "architecture: %s", filename, desc);
    free (desc);
    return NULL;
  }
  free (desc);
  return safe_strdup (g, arch);
}
