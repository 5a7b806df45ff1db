/* Locating, building and caching the appliance.
 *
 * The appliance is made of three files:
 *   kernel  the host's kernel, uncompressed to an ELF vmlinux when the
 *           host kernel is an x86 bzImage: decompressing the kernel inside
 *           the guest costs about 3 s under TCG, unpacking it once on the
 *           host costs under a second and qemu can boot the ELF directly
 *           through its PVH entry point;
 *   initrd  a minimal initramfs: our /init (static) plus only the kernel
 *           modules needed to reach the root disk and the daemon's
 *           virtio-serial port.  supermin's generic initrd loads some fifty
 *           modules, which costs most of a second under TCG;
 *   root    an ext2 image of the host's packages made by supermin --build.
 * If the small initrd cannot be made (modules compressed, init not
 * static, unknown kernel version) supermin's own initrd is used instead:
 * slower, but it boots the same root.
 */

#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "appliance.h"

/* Bump when the way the appliance is assembled changes, so that caches
 * built by older code are rebuilt. */
#define RECIPE_VERSION "1"

#define STAMP_FILE "stamp"
#define INPUTS_FILE "inputs"
/* Each build tree (each supermin.d) has its own slot in the cache,
 * CACHE_PREFIX<hash of its location>.d, so that two trees sharing a
 * cache (a normal and a sanitizer build, say) do not rebuild each
 * other's appliance at every launch. */
#define CACHE_PREFIX "appliance-"
#define ORIGIN_FILE "origin"

struct ctx {
  int verbose;
  appliance_log_fn log;
  void *opaque;
  char *err;
  size_t errlen;
};

static void __attribute__((format (printf, 2, 3)))
debug (struct ctx *c, const char *fmt, ...)
{
  va_list ap;
  char buf[1024];

  if (!c->verbose || c->log == NULL)
    return;
  va_start (ap, fmt);
  vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  c->log (c->opaque, buf);
}

static int __attribute__((format (printf, 2, 3)))
fail (struct ctx *c, const char *fmt, ...)
{
  va_list ap;

  if (c->err && c->errlen > 0) {
    va_start (ap, fmt);
    vsnprintf (c->err, c->errlen, fmt, ap);
    va_end (ap);
  }
  return -1;
}

/* Like fail, with ": strerror(errno)" appended. */
static int __attribute__((format (printf, 2, 3)))
fail_errno (struct ctx *c, const char *fmt, ...)
{
  int e = errno;
  va_list ap;
  char buf[1024];

  va_start (ap, fmt);
  vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  return fail (c, "%s: %s", buf, strerror (e));
}

static char * __attribute__((format (printf, 1, 2)))
xasprintf (const char *fmt, ...)
{
  va_list ap;
  char *s;
  int r;

  va_start (ap, fmt);
  r = vasprintf (&s, fmt, ap);
  va_end (ap);
  return r == -1 ? NULL : s;
}

static bool
is_file (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 && S_ISREG (st.st_mode);
}

static bool
is_dir (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 && S_ISDIR (st.st_mode);
}

static int
rm_rf_cb (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) st; (void) ftw;
  if (flag == FTW_DP)
    rmdir (path);
  else
    unlink (path);
  return 0;
}

void
appliance_remove_tree (const char *path)
{
  nftw (path, rm_rf_cb, 16, FTW_DEPTH|FTW_PHYS);
}

/* ------------------------------------------------------------------ */
/* Fixed appliances and the search path. */

/* A fixed appliance is a directory made by make-fixed-appliance (or by
 * hand): README.fixed, kernel, initrd and optionally root. */
static int
try_fixed (struct ctx *c, const char *dir, struct appliance_files *out)
{
  char *readme = xasprintf ("%s/README.fixed", dir);
  char *kernel = xasprintf ("%s/kernel", dir);
  char *initrd = xasprintf ("%s/initrd", dir);
  char *root = xasprintf ("%s/root", dir);
  int r = 0;

  if (!readme || !kernel || !initrd || !root) {
    r = fail (c, "out of memory");
    goto out;
  }
  if (!is_file (readme) || !is_file (kernel) || !is_file (initrd))
    goto out;
  out->kernel = realpath (kernel, NULL);
  out->initrd = realpath (initrd, NULL);
  out->root = is_file (root) ? realpath (root, NULL) : NULL;
  if (!out->kernel || !out->initrd) {
    appliance_files_free (out);
    r = fail_errno (c, "%s", dir);
    goto out;
  }
  debug (c, "using fixed appliance %s", dir);
  r = 1;
 out:
  free (readme); free (kernel); free (initrd); free (root);
  return r;
}

/* Calls fn for each element of a colon-separated path; an empty element
 * is the current directory.  Stops at the first non-zero return. */
static int
for_each_path_elem (const char *path,
                    int (*fn) (struct ctx *, const char *, void *),
                    struct ctx *c, void *data)
{
  const char *p = path;

  if (path == NULL)
    return 0;
  for (;;) {
    size_t len = strcspn (p, ":");
    char *dir = len == 0 ? strdup (".") : strndup (p, len);
    int r;

    if (dir == NULL)
      return fail (c, "out of memory");
    r = fn (c, dir, data);
    free (dir);
    if (r != 0)
      return r;
    if (p[len] == '\0')
      return 0;
    p += len + 1;
  }
}

static int
fixed_cb (struct ctx *c, const char *dir, void *data)
{
  return try_fixed (c, dir, data);
}

static int
supermin_d_cb (struct ctx *c, const char *dir, void *data)
{
  char **res = data;
  char *p = xasprintf ("%s/supermin.d", dir);

  if (p == NULL)
    return fail (c, "out of memory");
  if (is_dir (p)) {
    *res = p;
    return 1;
  }
  free (p);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Cache directory. */

char *
appliance_default_cachedir (void)
{
  const char *xdg = getenv ("XDG_CACHE_HOME");
  const char *tmp;

  if (xdg && xdg[0] == '/')
    return xasprintf ("%s/guestfs", xdg);
  tmp = getenv ("TMPDIR");
  if (tmp == NULL || tmp[0] != '/')
    tmp = "/var/tmp";
  /* Not ".guestfs-UID": that is libguestfs's own cache, and the two
   * appliances must not replace each other when both are installed. */
  return xasprintf ("%s/.guestfs-cache-%ju", tmp, (uintmax_t) geteuid ());
}

/* The cached appliance is trusted code (its /init runs the daemon we
 * talk to), so the directory must be private to us: a directory another
 * user can write to, or one planted for us in a shared /var/tmp, would
 * let them substitute it. */
static int
prepare_cachedir (struct ctx *c, const char *dir)
{
  struct stat st;
  char *copy, *p;

  copy = strdup (dir);
  if (copy == NULL)
    return fail (c, "out of memory");
  /* Create missing parents (e.g. $XDG_CACHE_HOME itself). */
  for (p = copy + 1; *p; ++p) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir (copy, 0700) == -1 && errno != EEXIST) {
      int r = fail_errno (c, "mkdir %s", copy);
      free (copy);
      return r;
    }
    *p = '/';
  }
  free (copy);
  if (mkdir (dir, 0700) == -1 && errno != EEXIST)
    return fail_errno (c, "mkdir %s", dir);
  if (lstat (dir, &st) == -1)
    return fail_errno (c, "%s", dir);
  if (!S_ISDIR (st.st_mode))
    return fail (c, "%s: not a directory", dir);
  if (st.st_uid != geteuid ())
    return fail (c, "%s: owned by uid %ju, not by us (uid %ju); "
                 "remove it or choose another cache directory",
                 dir, (uintmax_t) st.st_uid, (uintmax_t) geteuid ());
  if (st.st_mode & 022)
    return fail (c, "%s: writable by other users (mode %o)",
                 dir, (unsigned) (st.st_mode & 07777));
  return 0;
}

/* ------------------------------------------------------------------ */
/* Cache key: a description of every input the appliance is built from,
 * and a 64-bit FNV-1a hash of it.  File metadata (size, mtime, inode)
 * stands in for contents so that the warm check costs a few stat calls. */

static void
describe_stat (FILE *fp, const char *tag, const char *path)
{
  struct stat st;

  if (stat (path, &st) == -1) {
    fprintf (fp, "%s %s absent\n", tag, path);
    return;
  }
  fprintf (fp, "%s %s %o %jd %ju %jd.%09ld\n", tag, path,
           (unsigned) st.st_mode, (intmax_t) st.st_size,
           (uintmax_t) st.st_ino,
           (intmax_t) st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static void
describe_tree (FILE *fp, const char *tag, const char *dir, int depth)
{
  struct dirent **names;
  int n = scandir (dir, &names, NULL, alphasort);

  if (n < 0) {
    fprintf (fp, "%s %s unreadable\n", tag, dir);
    return;
  }
  for (int i = 0; i < n; ++i) {
    const char *name = names[i]->d_name;
    if (strcmp (name, ".") != 0 && strcmp (name, "..") != 0) {
      char *path = xasprintf ("%s/%s", dir, name);
      if (path) {
        describe_stat (fp, tag, path);
        if (depth > 0 && is_dir (path))
          describe_tree (fp, tag, path, depth - 1);
        free (path);
      }
    }
    free (names[i]);
  }
  free (names);
}

/* Only the entries whose name starts with prefix. */
static void
describe_dir_prefix (FILE *fp, const char *tag, const char *dir,
                     const char *prefix)
{
  struct dirent **names;
  int n = scandir (dir, &names, NULL, alphasort);

  for (int i = 0; i < n; ++i) {
    if (strncmp (names[i]->d_name, prefix, strlen (prefix)) == 0 &&
        names[i]->d_name[0] != '.') {
      char *path = xasprintf ("%s/%s", dir, names[i]->d_name);
      if (path)
        describe_stat (fp, tag, path);
      free (path);
    }
    free (names[i]);
  }
  if (n >= 0)
    free (names);
}

static const char *const package_dbs[] = {
  "/var/lib/dpkg/status",
  "/var/lib/rpm/rpmdb.sqlite",
  "/var/lib/rpm/Packages",
  "/usr/lib/sysimage/rpm/rpmdb.sqlite",
  "/usr/lib/sysimage/rpm/Packages",
  "/var/lib/pacman/local",
  "/lib/apk/db/installed",
};

static const char *const kernel_env[] = {
  "SUPERMIN_KERNEL", "SUPERMIN_MODULES", "SUPERMIN_KERNEL_VERSION",
};

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
  { "ext4", "*", false },                     /* the root is ext2 */
};

static char *
describe_inputs (const char *supermin_d)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream (&buf, &len);
  struct utsname u;

  if (fp == NULL)
    return NULL;
  fprintf (fp, "recipe %s\n", RECIPE_VERSION);
  for (size_t i = 0; i < sizeof initrd_modules / sizeof initrd_modules[0]; ++i)
    fprintf (fp, "module %s %s\n", initrd_modules[i].name,
             initrd_modules[i].tags);
  if (uname (&u) == 0)
    fprintf (fp, "machine %s\n", u.machine);
  describe_stat (fp, "supermin.d", supermin_d);
  describe_tree (fp, "supermin.d", supermin_d, 4);
  for (size_t i = 0; i < sizeof package_dbs / sizeof package_dbs[0]; ++i)
    describe_stat (fp, "packages", package_dbs[i]);
  for (size_t i = 0; i < sizeof kernel_env / sizeof kernel_env[0]; ++i) {
    const char *v = getenv (kernel_env[i]);
    fprintf (fp, "env %s=%s\n", kernel_env[i], v ? v : "");
    if (v && v[0] == '/')
      describe_stat (fp, "env", v);
  }
  describe_dir_prefix (fp, "boot", "/boot", "vmlinu");
  describe_dir_prefix (fp, "modules", "/lib/modules", "");
  if (fclose (fp) != 0) {
    free (buf);
    return NULL;
  }
  return buf;
}

static uint64_t
fnv1a64 (const char *s)
{
  uint64_t h = 0xcbf29ce484222325ULL;
  for (; *s; ++s) {
    h ^= (unsigned char) *s;
    h *= 0x100000001b3ULL;
  }
  return h;
}

/* ------------------------------------------------------------------ */
/* Running helpers (supermin, decompressors). */

static char *find_in_path (const char *prog);

/* One line of a helper's output: to the log, and to the tail kept for
 * error messages (most recent lines that fit). */
static void
emit_line (struct ctx *c, const char *prog, const char *line, size_t linelen,
           char *tail, size_t taillen)
{
  debug (c, "%s: %.*s", prog, (int) linelen, line);
  if (tail == NULL || taillen == 0)
    return;
  size_t tl = strlen (tail);
  while (tl + linelen + 2 > taillen && tl > 0) {
    char *p = strchr (tail, '\n');
    if (p == NULL) {
      tail[0] = '\0';
      tl = 0;
      break;
    }
    memmove (tail, p + 1, strlen (p + 1) + 1);
    tl = strlen (tail);
  }
  if (tl + linelen + 2 <= taillen) {
    memcpy (tail + tl, line, linelen);
    tail[tl + linelen] = '\n';
    tail[tl + linelen + 1] = '\0';
  }
}

/* Runs argv with stdin from in_fd (or /dev/null if -1) and stdout into
 * out_fd (or a log pipe if -1).  Output that is not redirected is passed
 * to the log callback line by line, and the tail of it kept for error
 * messages.  Returns the wait status, or -1 if the program could not be
 * started. */
static int
run_program (struct ctx *c, char *const argv[], int in_fd, int out_fd,
             char *tail, size_t taillen)
{
  int pfd[2];
  pid_t pid;
  int status;
  char buf[4096];
  size_t used = 0;
  int errpipe[2];
  int child_errno = 0;

  char *prog = find_in_path (argv[0]);

  if (tail && taillen)
    tail[0] = '\0';
  if (prog == NULL) {
    errno = ENOENT;
    return fail_errno (c, "cannot run %s", argv[0]);
  }
  if (pipe2 (pfd, O_CLOEXEC) == -1) {
    free (prog);
    return fail_errno (c, "pipe");
  }
  /* Reports exec failure; closed by a successful exec (O_CLOEXEC). */
  if (pipe2 (errpipe, O_CLOEXEC) == -1) {
    close (pfd[0]); close (pfd[1]);
    free (prog);
    return fail_errno (c, "pipe");
  }
  pid = fork ();
  if (pid == -1) {
    close (pfd[0]); close (pfd[1]); close (errpipe[0]); close (errpipe[1]);
    free (prog);
    return fail_errno (c, "fork");
  }
  if (pid == 0) {
    /* Only async-signal-safe calls between fork and exec. */
    struct sigaction sa;
    int null = open ("/dev/null", O_RDWR|O_CLOEXEC);
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction (SIGPIPE, &sa, NULL);
    dup2 (in_fd >= 0 ? in_fd : null, 0);
    dup2 (out_fd >= 0 ? out_fd : pfd[1], 1);
    dup2 (pfd[1], 2);
    execv (prog, argv);
    int e = errno;
    if (write (errpipe[1], &e, sizeof e) == -1)
      _exit (126);
    _exit (127);
  }
  free (prog);
  close (pfd[1]);
  close (errpipe[1]);
  if (read (errpipe[0], &child_errno, sizeof child_errno) != sizeof child_errno)
    child_errno = 0;
  close (errpipe[0]);

  for (;;) {
    ssize_t r = read (pfd[0], buf + used, sizeof buf - 1 - used);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    used += r;
    buf[used] = '\0';
    char *nl;
    /* Emit complete lines; a line longer than the buffer is split. */
    while ((nl = strchr (buf, '\n')) != NULL || used == sizeof buf - 1) {
      size_t linelen = nl ? (size_t) (nl - buf) : used;
      emit_line (c, argv[0], buf, linelen, tail, taillen);
      size_t consumed = nl ? linelen + 1 : linelen;
      memmove (buf, buf + consumed, used - consumed);
      used -= consumed;
      buf[used] = '\0';
    }
  }
  if (used > 0)
    emit_line (c, argv[0], buf, used, tail, taillen);
  close (pfd[0]);
  while (waitpid (pid, &status, 0) == -1)
    if (errno != EINTR)
      return fail_errno (c, "waitpid");
  if (child_errno) {
    errno = child_errno;
    return fail_errno (c, "cannot run %s", argv[0]);
  }
  return status;
}

static void
strip_trailing_newline (char *s)
{
  size_t n = strlen (s);
  while (n > 0 && s[n-1] == '\n')
    s[--n] = '\0';
}

/* ------------------------------------------------------------------ */
/* Uncompressed kernel. */

static int
read_exact_at (int fd, void *buf, size_t len, off_t off)
{
  size_t done = 0;
  while (done < len) {
    ssize_t r = pread (fd, (char *) buf + done, len - done, off + done);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return -1;
    done += r;
  }
  return 0;
}

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
static int
extract_vmlinux (struct ctx *c, const char *src, const char *dst,
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

  payload = xasprintf ("%s/payload.tmp", workdir);
  tmp = xasprintf ("%s.tmp", dst);
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
static char *
bzimage_version (const char *kernel)
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

/* ------------------------------------------------------------------ */
/* The small initrd. */

/* Finds a regular file named "init" or "./init" in the uncompressed tar
 * files of supermin_d.  Returns its contents (malloc'd) or NULL. */
static unsigned char *
find_init_in_tars (const char *supermin_d, size_t *len_out)
{
  struct dirent **names;
  int n = scandir (supermin_d, &names, NULL, alphasort);
  unsigned char *ret = NULL;

  for (int i = 0; i < n; ++i) {
    const char *nm = names[i]->d_name;
    size_t l = strlen (nm);
    if (ret == NULL && l > 4 && strcmp (nm + l - 4, ".tar") == 0) {
      char *path = xasprintf ("%s/%s", supermin_d, nm);
      int fd = path ? open (path, O_RDONLY|O_CLOEXEC) : -1;
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
          ret = malloc (size ? size : 1);
          if (ret && read_exact_at (fd, ret, size, off + 512) == 0)
            *len_out = size;
          else {
            free (ret);
            ret = NULL;
          }
          break;
        }
        off += 512 + ((size + 511) & ~(size_t) 511);
      }
      if (fd >= 0)
        close (fd);
      free (path);
    }
    free (names[i]);
  }
  if (n >= 0)
    free (names);
  return ret;
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
  char *path = xasprintf ("%s/modules.dep", moddir);
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
  char *path = xasprintf ("%s/modules.builtin", moddir);
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

static unsigned char *
slurp (const char *path, size_t *len_out)
{
  int fd = open (path, O_RDONLY|O_CLOEXEC);
  struct stat st;
  unsigned char *buf = NULL;

  if (fd == -1)
    return NULL;
  if (fstat (fd, &st) == 0 && (buf = malloc (st.st_size ? st.st_size : 1)) &&
      read_exact_at (fd, buf, st.st_size, 0) == 0)
    *len_out = st.st_size;
  else {
    free (buf);
    buf = NULL;
  }
  close (fd);
  return buf;
}

static int
build_small_initrd (struct ctx *c, const char *supermin_d, const char *kernel,
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
    ver = bzimage_version (kernel);
    if (ver == NULL) {
      fail (c, "%s: cannot find the kernel version", kernel);
      goto out;
    }
    moddir = xasprintf ("/lib/modules/%s", ver);
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

  tmp = xasprintf ("%s.tmp", dst);
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
      : xasprintf ("%s/%s", moddir, chosen[i].path);
    size_t len = 0;
    unsigned char *data = mpath ? slurp (mpath, &len) : NULL;
    if (data == NULL) {
      fail_errno (c, "%s", mpath ? mpath : chosen[i].path);
      free (mpath);
      goto out;
    }
    char *entry = xasprintf ("lib/%s", base);
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
    char *dn = xasprintf ("%s/modules.devname", moddir);
    size_t dnlen = 0;
    unsigned char *dndata = dn ? slurp (dn, &dnlen) : NULL;
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

/* ------------------------------------------------------------------ */
/* Building. */

static char *
find_in_path (const char *prog)
{
  const char *path = getenv ("PATH");
  if (strchr (prog, '/'))
    return access (prog, X_OK) == 0 ? strdup (prog) : NULL;
  if (path == NULL)
    path = "/usr/local/bin:/usr/bin:/bin";
  while (*path) {
    size_t len = strcspn (path, ":");
    char *p = xasprintf ("%.*s/%s", (int) len, len ? path : ".", prog);
    if (p && access (p, X_OK) == 0)
      return p;
    free (p);
    path += len;
    if (*path == ':')
      path++;
  }
  return NULL;
}

/* Builds into dir, which exists and is empty. */
static int
build_into (struct ctx *c, const char *supermin_d, const char *dir)
{
  char *smout = xasprintf ("%s/supermin.out", dir);
  char *smkernel = xasprintf ("%s/supermin.out/kernel", dir);
  char *sminitrd = xasprintf ("%s/supermin.out/initrd", dir);
  char *smroot = xasprintf ("%s/supermin.out/root", dir);
  char *kernel = xasprintf ("%s/kernel", dir);
  char *initrd = xasprintf ("%s/initrd", dir);
  char *root = xasprintf ("%s/root", dir);
  char *supermin = find_in_path ("supermin");
  char tail[2048];
  int ret = -1, status;

  if (!smout || !smkernel || !sminitrd || !smroot || !kernel || !initrd || !root) {
    fail (c, "out of memory");
    goto out;
  }
  if (supermin == NULL) {
    fail (c, "supermin is not installed: it is needed to build the appliance "
          "from %s (or set LIBGUESTFS_PATH to a fixed appliance)", supermin_d);
    goto out;
  }
  {
    char *argv[] = { supermin, "--build", "-f", "ext2", "-o", smout,
                     (char *) supermin_d, c->verbose ? "-v" : NULL, NULL };
    debug (c, "running supermin --build -f ext2 -o %s %s", smout, supermin_d);
    status = run_program (c, argv, -1, -1, tail, sizeof tail);
  }
  if (status == -1)
    goto out;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    strip_trailing_newline (tail);
    fail (c, "supermin --build failed (status %d): %s", status, tail);
    goto out;
  }
  debug (c, "supermin --build done");
  if (rename (smroot, root) == -1) {
    fail_errno (c, "rename %s", smroot);
    goto out;
  }

  /* The two optimisations below are optional: when one is not possible
   * the reason is logged and supermin's file is used instead. */
  char why[512];
  struct ctx sub = { c->verbose, c->log, c->opaque, why, sizeof why };

  /* Kernel: uncompressed if we can, else the file supermin picked. */
  if (extract_vmlinux (&sub, smkernel, kernel, dir) == 0)
    debug (c, "kernel: uncompressed %s", smkernel);
  else {
    debug (c, "kernel: booting %s as it is (%s)", smkernel, why);
    char *target = realpath (smkernel, NULL);
    if (target == NULL || symlink (target, kernel) == -1) {
      free (target);
      fail_errno (c, "%s", smkernel);
      goto out;
    }
    free (target);
  }

  /* Initrd: ours if we can, else supermin's. */
  {
    char *ktarget = realpath (smkernel, NULL);
    int r = build_small_initrd (&sub, supermin_d,
                                ktarget ? ktarget : smkernel, initrd);
    free (ktarget);
    if (r == 0)
      debug (c, "initrd: small initrd built");
    else {
      debug (c, "initrd: using supermin's (%s)", why);
      if (rename (sminitrd, initrd) == -1) {
        fail_errno (c, "rename %s", sminitrd);
        goto out;
      }
    }
  }
  appliance_remove_tree (smout);
  ret = 0;
 out:
  free (smout); free (smkernel); free (sminitrd); free (smroot);
  free (kernel); free (initrd); free (root); free (supermin);
  return ret;
}

int
appliance_build (const char *supermin_d, const char *outdir, int verbose,
                 appliance_log_fn log, void *opaque, char *err, size_t errlen)
{
  struct ctx c = { verbose, log, opaque, err, errlen };

  if (err && errlen)
    err[0] = '\0';
  if (mkdir (outdir, 0755) == -1)
    return fail_errno (&c, "mkdir %s", outdir);
  if (build_into (&c, supermin_d, outdir) == -1) {
    appliance_remove_tree (outdir);
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* The cache. */

static char *
read_first_line (const char *path)
{
  char buf[PATH_MAX];
  int fd = open (path, O_RDONLY|O_CLOEXEC);
  ssize_t r;

  if (fd == -1)
    return NULL;
  r = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (r <= 0)
    return NULL;
  buf[r] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  return strdup (buf);
}

static int
write_file (const char *path, const char *content)
{
  int fd = open (path, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644);
  size_t len = strlen (content);

  if (fd == -1)
    return -1;
  if (write (fd, content, len) != (ssize_t) len) {
    close (fd);
    return -1;
  }
  return close (fd);
}

/* Fills out from cachedir/appliance.d if its stamp equals key. */
static int
use_cached (struct ctx *c, const char *adir, const char *key,
            struct appliance_files *out)
{
  char *stamp_path = xasprintf ("%s/" STAMP_FILE, adir);
  char *stamp = stamp_path ? read_first_line (stamp_path) : NULL;
  int r = 0;

  if (stamp && strcmp (stamp, key) == 0) {
    out->kernel = xasprintf ("%s/kernel", adir);
    out->initrd = xasprintf ("%s/initrd", adir);
    out->root = xasprintf ("%s/root", adir);
    if (!out->kernel || !out->initrd || !out->root) {
      appliance_files_free (out);
      r = fail (c, "out of memory");
    }
    else if (is_file (out->kernel) && is_file (out->initrd) &&
             is_file (out->root))
      r = 1;
    else
      appliance_files_free (out);
  }
  free (stamp);
  free (stamp_path);
  return r;
}

/* Leftovers of builds that were killed half-way. */
/* A slot's name is CACHE_PREFIX + 16 hex digits + ".d"; anything
 * longer that starts the same way is a build left half-done. */
static bool
is_slot_name (const char *name, bool *temporary)
{
  size_t p = strlen (CACHE_PREFIX);
  if (strncmp (name, CACHE_PREFIX, p) != 0 || strlen (name) < p + 18 ||
      strncmp (name + p + 16, ".d", 2) != 0)
    return false;
  *temporary = name[p + 18] != '\0';
  return true;
}

/* Remove half-built slots, and slots whose build tree is gone (or that
 * predate the slot layout).  Called with the cache lock held. */
static void
prune_cache (const char *cachedir)
{
  DIR *d = opendir (cachedir);
  struct dirent *e;

  if (d == NULL)
    return;
  while ((e = readdir (d)) != NULL) {
    bool temporary = false;
    bool slot = is_slot_name (e->d_name, &temporary);
    if (!slot && strcmp (e->d_name, "appliance.d") != 0 &&
        strncmp (e->d_name, "appliance.d.", 12) != 0)
      continue;
    char *p = xasprintf ("%s/%s", cachedir, e->d_name);
    char *o = p ? xasprintf ("%s/" ORIGIN_FILE, p) : NULL;
    char *origin = o ? read_first_line (o) : NULL;
    bool orphan = !slot || temporary || origin == NULL ||
                  access (origin, F_OK) == -1;
    if (p && orphan)
      appliance_remove_tree (p);
    free (origin);
    free (o);
    free (p);
  }
  closedir (d);
}

static int
build_cached (struct ctx *c, const char *supermin_d, const char *cachedir,
              const char *adir, const char *key, const char *inputs,
              struct appliance_files *out)
{
  char *tmpl = xasprintf ("%s.XXXXXX", adir);
  char *stamp = NULL, *inp = NULL;
  int ret = -1;

  if (tmpl == NULL)
    return fail (c, "out of memory");
  prune_cache (cachedir);
  if (mkdtemp (tmpl) == NULL) {
    fail_errno (c, "mkdtemp %s", tmpl);
    goto out;
  }
  chmod (tmpl, 0755);
  if (build_into (c, supermin_d, tmpl) == -1)
    goto cleanup;
  stamp = xasprintf ("%s/" STAMP_FILE, tmpl);
  inp = xasprintf ("%s/" INPUTS_FILE, tmpl);
  char *keynl = xasprintf ("%s\n", key);
  if (!stamp || !inp || !keynl) {
    free (keynl);
    fail (c, "out of memory");
    goto cleanup;
  }
  /* The inputs are kept only to explain rebuilds to a human; the origin
   * lets prune_cache drop the slot once its build tree is deleted. */
  write_file (inp, inputs);
  char *origin = xasprintf ("%s/" ORIGIN_FILE, tmpl);
  char *originnl = xasprintf ("%s\n", supermin_d);
  if (origin && originnl)
    write_file (origin, originnl);
  free (origin);
  free (originnl);
  if (write_file (stamp, keynl) == -1) {
    free (keynl);
    fail_errno (c, "%s", stamp);
    goto cleanup;
  }
  free (keynl);

  /* Swap the new directory in atomically; a running qemu keeps the old
   * files open, so deleting them afterwards is safe for it. */
  if (renameat2 (AT_FDCWD, tmpl, AT_FDCWD, adir, RENAME_EXCHANGE) == 0)
    appliance_remove_tree (tmpl);
  else if (errno == ENOENT || errno == EINVAL || errno == ENOSYS) {
    /* No old appliance, or a filesystem without RENAME_EXCHANGE. */
    if (errno != ENOENT)
      appliance_remove_tree (adir);
    if (rename (tmpl, adir) == -1) {
      fail_errno (c, "rename %s", tmpl);
      goto cleanup;
    }
  }
  else {
    fail_errno (c, "rename %s", tmpl);
    goto cleanup;
  }
  ret = use_cached (c, adir, key, out) == 1 ? 0 : -1;
  if (ret == -1 && c->err && c->err[0] == '\0')
    fail (c, "%s: appliance incomplete after build", adir);
  goto out;

 cleanup:
  appliance_remove_tree (tmpl);
 out:
  free (tmpl); free (stamp); free (inp);
  return ret;
}

int
appliance_locate (const char *search_path, const char *supermin_d,
                  const char *cachedir, int verbose,
                  appliance_log_fn log, void *opaque,
                  struct appliance_files *out,
                  char *err, size_t errlen)
{
  struct ctx c = { verbose, log, opaque, err, errlen };
  char *found_sd = NULL, *own_cachedir = NULL, *inputs = NULL;
  char *adir = NULL, *lockpath = NULL;
  char key[32];
  int lockfd = -1, r, ret = -1;

  memset (out, 0, sizeof *out);
  if (err && errlen)
    err[0] = '\0';

  r = for_each_path_elem (search_path, fixed_cb, &c, out);
  if (r != 0)
    return r > 0 ? 0 : -1;

  if (supermin_d == NULL) {
    r = for_each_path_elem (search_path, supermin_d_cb, &c, &found_sd);
    if (r < 0)
      return -1;
    supermin_d = found_sd;
  }
  if (supermin_d == NULL || !is_dir (supermin_d)) {
    fail (&c, "no appliance found: no fixed appliance in the path \"%s\" "
          "and no supermin appliance%s%s",
          search_path ? search_path : "",
          supermin_d ? " at " : "", supermin_d ? supermin_d : "");
    goto out;
  }
  if (cachedir == NULL) {
    cachedir = own_cachedir = appliance_default_cachedir ();
    if (cachedir == NULL) {
      fail (&c, "out of memory");
      goto out;
    }
  }
  if (prepare_cachedir (&c, cachedir) == -1)
    goto out;

  inputs = describe_inputs (supermin_d);
  char *where = realpath (supermin_d, NULL);
  adir = xasprintf ("%s/" CACHE_PREFIX "%016" PRIx64 ".d", cachedir,
                    fnv1a64 (where ? where : supermin_d));
  free (where);
  lockpath = xasprintf ("%s/lock", cachedir);
  if (!inputs || !adir || !lockpath) {
    fail (&c, "out of memory");
    goto out;
  }
  snprintf (key, sizeof key, "%016" PRIx64, fnv1a64 (inputs));

  /* Fast path without the lock: the directory is only ever replaced by
   * an atomic rename, and a stamp equal to our key means it was built
   * from exactly our inputs. */
  r = use_cached (&c, adir, key, out);
  if (r != 0) {
    if (r > 0)
      debug (&c, "using cached appliance %s (key %s)", adir, key);
    ret = r > 0 ? 0 : -1;
    goto out;
  }

  lockfd = open (lockpath, O_RDWR|O_CREAT|O_CLOEXEC, 0600);
  if (lockfd == -1) {
    fail_errno (&c, "%s", lockpath);
    goto out;
  }
  debug (&c, "waiting for the appliance lock %s", lockpath);
  while (flock (lockfd, LOCK_EX) == -1)
    if (errno != EINTR) {
      fail_errno (&c, "flock %s", lockpath);
      goto out;
    }
  /* Someone else may have built it while we waited. */
  r = use_cached (&c, adir, key, out);
  if (r != 0) {
    ret = r > 0 ? 0 : -1;
    goto out;
  }
  debug (&c, "building the appliance in %s (key %s)", adir, key);
  ret = build_cached (&c, supermin_d, cachedir, adir, key, inputs, out);

 out:
  if (lockfd >= 0)
    close (lockfd);
  free (found_sd); free (own_cachedir); free (inputs); free (adir);
  free (lockpath);
  return ret;
}

void
appliance_files_free (struct appliance_files *files)
{
  if (files == NULL)
    return;
  free (files->kernel);
  free (files->initrd);
  free (files->root);
  files->kernel = files->initrd = files->root = NULL;
}
