/* The small initrd.
 *
 * supermin's generic initrd loads some fifty modules, which costs most
 * of a second under TCG.  Ours is a newc cpio of our /init (static,
 * taken from the supermin appliance's uncompressed tar files) plus only
 * the kernel modules needed to reach the root disk and the daemon's
 * virtio-serial port, with a list telling /init which to load for which
 * virtio devices.  If it cannot be made (modules compressed, init not
 * static, unknown kernel version) the caller uses supermin's initrd:
 * slower, but it boots the same root.
 */

#include <config.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appliance-internal.h"
#include "cleanup.h"

/* The modules the small initrd carries, in load order, each with the
 * virtio device types (virtio spec device IDs) that need it; "*" means
 * always.  The crypto providers come first because crc-t10dif and ext4
 * look up their algorithm when they initialize. */
struct initrd_module {
  const char *name;
  const char *tags;
  bool optional;   /* may be built in or provided under another name */
};
static const struct initrd_module initrd_modules[] = {
  { "crc32c_generic", "*", true },            /* ext4 checksums */
  { "crct10dif_generic", "8", true },         /* sd_mod's T10 PI */
  { "crc64_rocksoft_generic", "8", true },
  { "virtio_pci", "*", false },
  { "virtio_blk", "2", false },               /* virtio-blk */
  { "virtio_scsi", "8", false },              /* virtio-scsi */
  { "sd_mod", "8", false },
  { "virtio_console", "3", false },           /* virtio-serial */
  { "virtio_net", "1", true },                /* set_network's card */
  { "virtio_balloon", "5", true },            /* free page reporting */
  { "ext4", "*", false },                     /* the root is ext2 */
};


void
initrd_describe_modules (FILE *fp)
{
  for (size_t i = 0; i < sizeof initrd_modules / sizeof initrd_modules[0]; ++i)
    fprintf (fp, "module %s %s\n", initrd_modules[i].name,
             initrd_modules[i].tags);
}

/* The contents (malloc'd) of the regular file named "init" or "./init"
 * in the tar file at path, or NULL. */
static unsigned char *
find_init_in_tar (const char *path, size_t *len_out)
{
  CLEANUP_CLOSE int fd = open (path, O_RDONLY|O_CLOEXEC);
  off_t off = 0;
  unsigned char h[512];

  while (fd >= 0 && read_exact_at (fd, h, 512, off) == 0 && h[0]) {
    char name[101], sizestr[13];
    memcpy (name, h, 100); name[100] = '\0';
    memcpy (sizestr, h + 124, 12); sizestr[12] = '\0';
    size_t size = strtoull (sizestr, NULL, 8);
    char type = h[156];
    if ((type == '0' || type == '\0') &&
        (strcmp (name, "init") == 0 || strcmp (name, "./init") == 0)) {
      unsigned char *data = malloc (size ? size : 1);
      if (data == NULL || read_exact_at (fd, data, size, off + 512) == -1) {
        free (data);
        return NULL;
      }
      *len_out = size;
      return data;
    }
    off += 512 + ((size + 511) & ~(size_t) 511);
  }
  return NULL;
}

/* Finds init in the uncompressed tar files of supermin_d, the first
 * that has one in name order.  Returns its contents (malloc'd) or
 * NULL. */
static unsigned char *
find_init_in_tars (const char *supermin_d, size_t *len_out)
{
  CLEANUP_FREE_STRING_LIST char **names = list_dir (supermin_d);

  for (char **name = names; name && *name; ++name) {
    size_t l = strlen (*name);
    if (l > 4 && strcmp (*name + l - 4, ".tar") == 0) {
      CLEANUP_FREE char *path = appliance_asprintf ("%s/%s", supermin_d, *name);
      unsigned char *init = path ? find_init_in_tar (path, len_out) : NULL;
      if (init)
        return init;
    }
  }
  return NULL;
}

/* A static executable has no PT_INTERP program header. */
static bool
elf_is_static (const unsigned char *p, size_t len)
{
  uint64_t phoff;
  uint16_t phentsize, phnum;

  if (len < 64 || memcmp (p, "\177ELF", 4) != 0 || p[4] != 2)
    return false;
  memcpy (&phoff, p + 32, 8);
  memcpy (&phentsize, p + 54, 2);
  memcpy (&phnum, p + 56, 2);
  for (unsigned i = 0; i < phnum; ++i) {
    uint64_t at = phoff + (uint64_t) i * phentsize;
    uint32_t type;
    if (at + 4 > len)
      return false;
    memcpy (&type, p + at, 4);
    if (type == 3 /* PT_INTERP */)
      return false;
  }
  return true;
}

/* newc cpio writer. */
struct cpio {
  FILE *fp;
  unsigned ino;
  int error;
};

static void
cpio_entry (struct cpio *cp, const char *name, unsigned mode,
            unsigned rmaj, unsigned rmin, const void *data, size_t len)
{
  static const char zeros[4];
  size_t namesz = strlen (name) + 1;
  int hl;

  hl = fprintf (cp->fp, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
                cp->ino++, mode, 0u, 0u, 1u, 0u, len, 0u, 0u,
                rmaj, rmin, namesz, 0u);
  if (hl < 0 || fwrite (name, 1, namesz, cp->fp) != namesz)
    cp->error = 1;
  /* The header (110 bytes) plus name is padded to 4 bytes, so is data. */
  fwrite (zeros, 1, (4 - (110 + namesz) % 4) % 4, cp->fp);
  if (len && fwrite (data, 1, len, cp->fp) != len)
    cp->error = 1;
  fwrite (zeros, 1, (4 - len % 4) % 4, cp->fp);
}

/* Module names are compared as the kernel does: '-' and '_' are equal. */
static void
normalize_modname (char *s)
{
  for (; *s; ++s)
    if (*s == '-')
      *s = '_';
}

/* "kernel/fs/ext4/ext4.ko" -> "ext4" */
static char *
modname_of_path (const char *path)
{
  const char *b = strrchr (path, '/');
  char *n = strdup (b ? b + 1 : path);
  if (n) {
    char *dot = strchr (n, '.');
    if (dot) *dot = '\0';
    normalize_modname (n);
  }
  return n;
}

struct moddep {
  char *name;          /* normalized module name */
  char *path;          /* relative to the modules dir */
  char **deps;         /* relative paths, as listed */
  size_t ndeps;
};

struct chosen {
  char *path;
  char tags[64];
};

static void
free_moddeps (struct moddep *m, size_t n)
{
  for (size_t i = 0; i < n; ++i) {
    free (m[i].name);
    free (m[i].path);
    for (size_t j = 0; j < m[i].ndeps; ++j)
      free (m[i].deps[j]);
    free (m[i].deps);
  }
  free (m);
}

static struct moddep *
read_moddeps (const char *moddir, size_t *n_out)
{
  char *path = appliance_asprintf ("%s/modules.dep", moddir);
  FILE *fp = path ? fopen (path, "re") : NULL;
  struct moddep *m = NULL;
  size_t n = 0, cap = 0;
  char *line = NULL;
  size_t linecap = 0;

  free (path);
  if (fp == NULL)
    return NULL;
  while (getline (&line, &linecap, fp) > 0) {
    char *colon = strchr (line, ':');
    if (colon == NULL)
      continue;
    *colon = '\0';
    if (n == cap) {
      cap = cap ? cap * 2 : 1024;
      struct moddep *nm = realloc (m, cap * sizeof *m);
      if (nm == NULL)
        break;
      m = nm;
    }
    struct moddep *e = &m[n];
    memset (e, 0, sizeof *e);
    e->path = strdup (line);
    e->name = modname_of_path (line);
    char *save, *tok;
    for (tok = strtok_r (colon + 1, " \t\n", &save); tok;
         tok = strtok_r (NULL, " \t\n", &save)) {
      char **nd = realloc (e->deps, (e->ndeps + 1) * sizeof *nd);
      if (nd == NULL)
        break;
      e->deps = nd;
      e->deps[e->ndeps++] = strdup (tok);
    }
    n++;
  }
  free (line);
  fclose (fp);
  *n_out = n;
  return m;
}

static bool
is_builtin (const char *moddir, const char *name)
{
  char *path = appliance_asprintf ("%s/modules.builtin", moddir);
  FILE *fp = path ? fopen (path, "re") : NULL;
  char line[512];
  bool found = false;

  free (path);
  if (fp == NULL)
    return false;
  while (!found && fgets (line, sizeof line, fp)) {
    line[strcspn (line, "\n")] = '\0';
    char *n = modname_of_path (line);
    if (n && strcmp (n, name) == 0)
      found = true;
    free (n);
  }
  fclose (fp);
  return found;
}

static void
merge_tags (char *dst, size_t dstlen, const char *add)
{
  if (strcmp (dst, "*") == 0)
    return;
  if (strcmp (add, "*") == 0 || dst[0] == '\0') {
    snprintf (dst, dstlen, "%s", add);
    return;
  }
  /* Both are comma lists of device IDs: append what is new. */
  char copy[64];
  snprintf (copy, sizeof copy, "%s", add);
  char *save, *tok;
  for (tok = strtok_r (copy, ",", &save); tok; tok = strtok_r (NULL, ",", &save)) {
    char probe[80];
    snprintf (probe, sizeof probe, ",%s,", dst);
    char needle[16];
    snprintf (needle, sizeof needle, ",%s,", tok);
    if (strstr (probe, needle) == NULL) {
      size_t l = strlen (dst);
      snprintf (dst + l, dstlen - l, ",%s", tok);
    }
  }
}

static int
choose (struct chosen **list, size_t *n, const char *path, const char *tags)
{
  for (size_t i = 0; i < *n; ++i)
    if (strcmp ((*list)[i].path, path) == 0) {
      merge_tags ((*list)[i].tags, sizeof (*list)[i].tags, tags);
      return 0;
    }
  struct chosen *nl = realloc (*list, (*n + 1) * sizeof *nl);
  if (nl == NULL)
    return -1;
  *list = nl;
  nl[*n].path = strdup (path);
  if (nl[*n].path == NULL)
    return -1;
  nl[*n].tags[0] = '\0';
  merge_tags (nl[*n].tags, sizeof nl[*n].tags, tags);
  (*n)++;
  return 0;
}

/* Loading a module makes the kernel hash the whole file to check its
 * appended signature, which is slow under emulation.  Without the
 * signature the module loads after a "tainting kernel" notice, unless
 * module.sig_enforce is set, which we detect at boot in stage 1 by the
 * load failing and is not the case for the kernels we target. */
static size_t
unsigned_length (const unsigned char *p, size_t len)
{
  static const char marker[] = "~Module signature appended~\n";
  const size_t ml = sizeof marker - 1;
  /* struct module_signature: 12 bytes ending with a big-endian length. */
  if (len < ml + 12 || memcmp (p + len - ml, marker, ml) != 0)
    return len;
  const unsigned char *ms = p + len - ml - 12;
  uint32_t siglen = ((uint32_t) ms[8] << 24) | (ms[9] << 16) | (ms[10] << 8) | ms[11];
  if (siglen > len - ml - 12)
    return len;
  return len - ml - 12 - siglen;
}


int
initrd_build_small (struct ctx *c, const char *supermin_d, const char *kernel,
                    const char *dst)
{
  char *moddir = NULL, *ver = NULL, *tmp = NULL;
  unsigned char *init = NULL;
  size_t initlen = 0, nmods = 0, nchosen = 0;
  struct moddep *mods = NULL;
  struct chosen *chosen = NULL;
  struct cpio cp = { NULL, 1, 0 };
  char *modlist = NULL;
  size_t modlistlen = 0;
  FILE *ml = NULL;
  int ret = -1;

  init = find_init_in_tars (supermin_d, &initlen);
  if (init == NULL) {
    fail (c, "no init in an uncompressed tar file in %s", supermin_d);
    goto out;
  }
  if (!elf_is_static (init, initlen)) {
    fail (c, "the appliance init is not a static executable");
    goto out;
  }

  if (getenv ("SUPERMIN_MODULES"))
    moddir = strdup (getenv ("SUPERMIN_MODULES"));
  else {
    ver = kernel_bzimage_version (kernel);
    if (ver == NULL) {
      fail (c, "%s: cannot find the kernel version", kernel);
      goto out;
    }
    moddir = appliance_asprintf ("/lib/modules/%s", ver);
  }
  if (moddir == NULL) {
    fail (c, "out of memory");
    goto out;
  }
  mods = read_moddeps (moddir, &nmods);
  if (mods == NULL) {
    fail_errno (c, "%s/modules.dep", moddir);
    goto out;
  }

  for (size_t i = 0; i < sizeof initrd_modules / sizeof initrd_modules[0]; ++i) {
    const struct initrd_module *w = &initrd_modules[i];
    struct moddep *m = NULL;
    for (size_t j = 0; j < nmods; ++j)
      if (strcmp (mods[j].name, w->name) == 0) {
        m = &mods[j];
        break;
      }
    if (m == NULL) {
      if (w->optional || is_builtin (moddir, w->name))
        continue;
      fail (c, "kernel module %s not found in %s", w->name, moddir);
      goto out;
    }
    /* modules.dep lists every dependency, the deepest last. */
    for (size_t k = m->ndeps; k > 0; --k)
      if (choose (&chosen, &nchosen, m->deps[k-1], w->tags) == -1)
        goto oom;
    if (choose (&chosen, &nchosen, m->path, w->tags) == -1)
      goto oom;
  }

  tmp = appliance_asprintf ("%s.tmp", dst);
  ml = open_memstream (&modlist, &modlistlen);
  if (tmp == NULL || ml == NULL)
    goto oom;
  cp.fp = fopen (tmp, "we");
  if (cp.fp == NULL) {
    fail_errno (c, "%s", tmp);
    goto out;
  }
  cpio_entry (&cp, "dev", 040755, 0, 0, NULL, 0);
  /* The kernel opens /dev/console for init's stdin/stdout/stderr before
   * devtmpfs is mounted. */
  cpio_entry (&cp, "dev/console", 020600, 5, 1, NULL, 0);
  cpio_entry (&cp, "proc", 040755, 0, 0, NULL, 0);
  cpio_entry (&cp, "sys", 040755, 0, 0, NULL, 0);
  cpio_entry (&cp, "root", 040755, 0, 0, NULL, 0);
  cpio_entry (&cp, "init", 0100755, 0, 0, init, initlen);
  for (size_t i = 0; i < nchosen; ++i) {
    const char *base = strrchr (chosen[i].path, '/');
    base = base ? base + 1 : chosen[i].path;
    size_t l = strlen (base);
    /* Compressed modules would need the kernel to decompress them; the
     * generic initrd handles those kernels instead. */
    if (l < 4 || strcmp (base + l - 3, ".ko") != 0) {
      fail (c, "%s: compressed kernel modules are not supported", chosen[i].path);
      goto out;
    }
    char *mpath = chosen[i].path[0] == '/' ? strdup (chosen[i].path)
      : appliance_asprintf ("%s/%s", moddir, chosen[i].path);
    size_t len = 0;
    unsigned char *data = mpath ? read_whole_file (mpath, &len) : NULL;
    if (data == NULL) {
      fail_errno (c, "%s", mpath ? mpath : chosen[i].path);
      free (mpath);
      goto out;
    }
    char *entry = appliance_asprintf ("lib/%s", base);
    if (i == 0)
      cpio_entry (&cp, "lib", 040755, 0, 0, NULL, 0);
    if (entry)
      cpio_entry (&cp, entry, 0100644, 0, 0, data, unsigned_length (data, len));
    fprintf (ml, "%s /lib/%s\n", chosen[i].tags, base);
    debug (c, "initrd: %s (%s)", base, chosen[i].tags);
    free (entry);
    free (data);
    free (mpath);
  }
  if (fclose (ml) != 0) {
    ml = NULL;
    goto oom;
  }
  ml = NULL;
  cpio_entry (&cp, "modules", 0100644, 0, 0, modlist, modlistlen);
  /* For the /dev nodes that trigger module autoloading (see init.c). */
  {
    char *dn = appliance_asprintf ("%s/modules.devname", moddir);
    size_t dnlen = 0;
    unsigned char *dndata = dn ? read_whole_file (dn, &dnlen) : NULL;
    if (dndata)
      cpio_entry (&cp, "modules.devname", 0100644, 0, 0, dndata, dnlen);
    free (dndata);
    free (dn);
  }
  cpio_entry (&cp, "TRAILER!!!", 0, 0, 0, NULL, 0);
  if (fclose (cp.fp) != 0 || cp.error) {
    cp.fp = NULL;
    fail (c, "%s: write error", tmp);
    goto out;
  }
  cp.fp = NULL;
  if (rename (tmp, dst) == -1) {
    fail_errno (c, "rename %s", tmp);
    goto out;
  }
  ret = 0;
  goto out;

 oom:
  fail (c, "out of memory");
 out:
  if (ml)
    fclose (ml);
  if (cp.fp) {
    fclose (cp.fp);
    unlink (tmp);
  }
  for (size_t i = 0; i < nchosen; ++i)
    free (chosen[i].path);
  free (chosen);
  if (mods)
    free_moddeps (mods, nmods);
  free (modlist); free (tmp); free (moddir); free (ver); free (init);
  return ret;
}
