/* Choosing the accelerator: KVM when a throw-away qemu with KVM
 * actually runs guest code, else TCG.  The probe's verdict is
 * remembered per host, kernel, CPU and qemu binary (see qemu.h). */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileutil.h"
#include "qemu-internal.h"

unsigned
qemu_accel_flags_from_settings (const char *settings)
{
  unsigned flags = 0;
  const char *p = settings;

  while (p && *p) {
    size_t len = strcspn (p, ":");
    if (len == 9 && strncmp (p, "force_tcg", 9) == 0)
      flags |= QEMU_ACCEL_FORCE_TCG;
    else if (len == 9 && strncmp (p, "force_kvm", 9) == 0)
      flags |= QEMU_ACCEL_FORCE_KVM;
    p += len;
    if (*p == ':')
      p++;
  }
  return flags;
}

static void
cpu_model_name (char *buf, size_t len)
{
  FILE *fp = fopen ("/proc/cpuinfo", "re");
  char line[512];

  snprintf (buf, len, "unknown");
  if (fp == NULL)
    return;
  while (fgets (line, sizeof line, fp)) {
    if (strncmp (line, "model name", 10) == 0) {
      char *colon = strchr (line, ':');
      if (colon) {
        colon[strcspn (colon, "\n")] = '\0';
        snprintf (buf, len, "%s", colon + 1 + (colon[1] == ' '));
      }
      break;
    }
  }
  fclose (fp);
}

/* Where the verdict for this host and this qemu is kept. */
static char *
verdict_path (const char *qemu, const char *cachedir)
{
  struct utsname u;
  char cpu[256], host[256], qid[512];
  struct stat st;
  char *resolved = NULL, *path = NULL;
  uint64_t h = FNV1A64_INIT;

  if (cachedir == NULL || uname (&u) == -1)
    return NULL;
  /* Usually made by appliance_locate already. */
  mkdir (cachedir, 0700);
  if (gethostname (host, sizeof host) == -1)
    host[0] = '\0';
  host[sizeof host - 1] = '\0';
  cpu_model_name (cpu, sizeof cpu);
  /* The qemu binary's identity: a new qemu may behave differently. */
  resolved = find_program (qemu);
  if (resolved && stat (resolved, &st) == 0)
    snprintf (qid, sizeof qid, "%s %jd %jd.%09ld", resolved,
              (intmax_t) st.st_size, (intmax_t) st.st_mtim.tv_sec,
              st.st_mtim.tv_nsec);
  else
    snprintf (qid, sizeof qid, "%s", qemu);
  free (resolved);
  h = fnv1a64 (h, host); h = fnv1a64 (h, "\n");
  h = fnv1a64 (h, u.release); h = fnv1a64 (h, "\n");
  h = fnv1a64 (h, u.version); h = fnv1a64 (h, "\n");
  h = fnv1a64 (h, cpu); h = fnv1a64 (h, "\n");
  h = fnv1a64 (h, qid);
  /* /dev/kvm is created afresh at each host boot and each load of the
   * kvm module, so a fixed host (module reloaded with other options,
   * say) is probed again. */
  if (stat ("/dev/kvm", &st) == 0) {
    char kid[64];
    snprintf (kid, sizeof kid, "\n%jd.%09ld", (intmax_t) st.st_ctim.tv_sec,
              st.st_ctim.tv_nsec);
    h = fnv1a64 (h, kid);
  }
  if (asprintf (&path, "%s/accel-%016" PRIx64, cachedir, h) == -1)
    return NULL;
  return path;
}

static bool
read_verdict (const char *path, enum qemu_accel_choice *choice,
              char *reason, size_t reasonlen)
{
  CLEANUP_FREE char *line = read_first_line (path);

  if (line == NULL)
    return false;
  if (strncmp (line, "kvm ", 4) == 0)
    *choice = QEMU_ACCEL_KVM;
  else if (strncmp (line, "tcg ", 4) == 0)
    *choice = QEMU_ACCEL_TCG;
  else
    return false;
  set_err (reason, reasonlen, "%s (cached verdict)", line + 4);
  return true;
}

/* Written to a temporary file and renamed into place, so that a
 * concurrent reader sees the whole verdict or none. */
static void
write_verdict (const char *path, enum qemu_accel_choice choice,
               const char *reason)
{
  CLEANUP_FREE char *tmp = NULL, *line = NULL;

  if (asprintf (&tmp, "%s.%d", path, (int) getpid ()) == -1) {
    tmp = NULL;
    return;
  }
  if (asprintf (&line, "%s %s\n", choice == QEMU_ACCEL_KVM ? "kvm" : "tcg",
                reason) == -1) {
    line = NULL;
    return;
  }
  if (write_file (tmp, line) == -1 || rename (tmp, path) == -1)
    unlink (tmp);
}

/* The probe firmware, 64 KiB (qemu wants BIOS images in 64 KiB units).
 * qemu maps it just below 4 GiB and mirrors it at 0xF0000, where the
 * code below expects to run.  From the reset vector it goes through real
 * mode, protected mode and paging into 64-bit long mode, then writes to
 * the isa-debug-exit port, which makes qemu exit with status
 * (0x31 << 1) | 1 = 99.  Going all the way to long mode matters: on a
 * host whose KVM is broken this way, a real-mode-only probe succeeds
 * while a kernel (and this probe) never gets past the mode switches.
 * No BIOS, kernel or disk is involved, so a working KVM answers in tens
 * of milliseconds. */
#define PROBE_EXIT_STATUS 99

/* At image offset 0xF000 (linear 0xFF000 in the mirror). */
static const unsigned char probe_code[] = {
  /* .code16 */
  0xfa,                                 /* cli */
  0xb8, 0x00, 0xf0,                     /* mov $0xf000, %ax */
  0x8e, 0xd8,                           /* mov %ax, %ds */
  0x66, 0x0f, 0x01, 0x16, 0xb0, 0xf0,   /* lgdtl 0xf0b0 (gdtr, via %ds) */
  0x0f, 0x20, 0xc0,                     /* mov %cr0, %eax */
  0x0c, 0x01,                           /* or $1, %al (PE) */
  0x0f, 0x22, 0xc0,                     /* mov %eax, %cr0 */
  0x66, 0xea, 0x1c, 0xf0, 0x0f, 0x00,   /* ljmpl $0x08, $0xff01c */
  0x08, 0x00,
  /* .code32 at 0xff01c */
  0x66, 0xb8, 0x10, 0x00,               /* mov $0x10, %ax */
  0x8e, 0xd8,                           /* mov %ax, %ds */
  0x8e, 0xc0,                           /* mov %ax, %es */
  0x8e, 0xd0,                           /* mov %ax, %ss */
  0xbf, 0x00, 0x10, 0x00, 0x00,         /* mov $0x1000, %edi */
  0x31, 0xc0,                           /* xor %eax, %eax */
  0xb9, 0x00, 0x0c, 0x00, 0x00,         /* mov $3072, %ecx */
  0xf3, 0xab,                           /* rep stosl: clear 0x1000-0x3fff */
  0xc7, 0x05, 0x00, 0x10, 0x00, 0x00,   /* movl $0x2003, 0x1000 (PML4[0]) */
  0x03, 0x20, 0x00, 0x00,
  0xc7, 0x05, 0x00, 0x20, 0x00, 0x00,   /* movl $0x3003, 0x2000 (PDPT[0]) */
  0x03, 0x30, 0x00, 0x00,
  0xc7, 0x05, 0x00, 0x30, 0x00, 0x00,   /* movl $0x83, 0x3000 (2 MiB page) */
  0x83, 0x00, 0x00, 0x00,
  0x0f, 0x20, 0xe0,                     /* mov %cr4, %eax */
  0x83, 0xc8, 0x20,                     /* or $0x20, %eax (PAE) */
  0x0f, 0x22, 0xe0,                     /* mov %eax, %cr4 */
  0xb8, 0x00, 0x10, 0x00, 0x00,         /* mov $0x1000, %eax */
  0x0f, 0x22, 0xd8,                     /* mov %eax, %cr3 */
  0xb9, 0x80, 0x00, 0x00, 0xc0,         /* mov $0xc0000080, %ecx (EFER) */
  0x0f, 0x32,                           /* rdmsr */
  0x0d, 0x00, 0x01, 0x00, 0x00,         /* or $0x100, %eax (LME) */
  0x0f, 0x30,                           /* wrmsr */
  0x0f, 0x20, 0xc0,                     /* mov %cr0, %eax */
  0x0d, 0x00, 0x00, 0x00, 0x80,         /* or $0x80000000, %eax (PG) */
  0x0f, 0x22, 0xc0,                     /* mov %eax, %cr0 */
  0xea, 0x83, 0xf0, 0x0f, 0x00,         /* ljmp $0x18, $0xff083 */
  0x18, 0x00,
  /* .code64 at 0xff083 */
  0xb0, 0x31,                           /* mov $0x31, %al */
  0xe6, 0xf4,                           /* out %al, $0xf4 */
  0xf4,                                 /* 1: hlt */
  0xeb, 0xfd,                           /* jmp 1b */
};

/* At image offset 0xF090: null, 32-bit code (0x08), data (0x10),
 * 64-bit code (0x18) descriptors; then at 0xF0B0 the GDTR pointing at
 * linear 0xff090. */
static const unsigned char probe_gdt[] = {
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0xff, 0xff, 0x00, 0x00, 0x00, 0x9a, 0xcf, 0x00,
  0xff, 0xff, 0x00, 0x00, 0x00, 0x92, 0xcf, 0x00,
  0xff, 0xff, 0x00, 0x00, 0x00, 0x9a, 0xaf, 0x00,
  0x1f, 0x00, 0x90, 0xf0, 0x0f, 0x00,
};

/* At image offset 0xFFF0, where the CPU starts: jmp 0xf000 (rel16). */
static const unsigned char probe_reset[] = { 0xe9, 0x0d, 0xf0 };

static int
write_probe_firmware (const char *path)
{
  unsigned char *img = calloc (1, 65536);
  int fd, ret = -1;

  if (img == NULL)
    return -1;
  memcpy (img + 0xf000, probe_code, sizeof probe_code);
  memcpy (img + 0xf090, probe_gdt, sizeof probe_gdt);
  memcpy (img + 0xfff0, probe_reset, sizeof probe_reset);
  fd = open (path, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0600);
  if (fd >= 0) {
    if (write (fd, img, 65536) == 65536)
      ret = 0;
    if (close (fd) == -1)
      ret = -1;
  }
  free (img);
  return ret;
}

/* *conclusive is set when the answer says something about KVM on this
 * host (worth remembering), not about a failure to run the probe. */
static enum qemu_accel_choice
probe_kvm (const char *qemu, int timeout_ms, bool *conclusive,
           char *reason, size_t reasonlen)
{
  const char *tmpdir = getenv ("TMPDIR");
  char dir[PATH_MAX], fw[PATH_MAX + 16], log[PATH_MAX + 16];
  int logfd = -1;
  pid_t pid;
  int status = 0;
  enum qemu_accel_choice ret = QEMU_ACCEL_TCG;
  char err[256];
  struct timespec start, now;
  bool exited = false;

  snprintf (dir, sizeof dir, "%s/guestfs-kvmprobe.XXXXXX",
            tmpdir && tmpdir[0] == '/' ? tmpdir : "/tmp");
  *conclusive = false;
  if (mkdtemp (dir) == NULL) {
    set_err (reason, reasonlen, "KVM probe: mkdtemp: %s", strerror (errno));
    return QEMU_ACCEL_TCG;
  }
  snprintf (fw, sizeof fw, "%s/fw.bin", dir);
  snprintf (log, sizeof log, "%s/log", dir);
  if (write_probe_firmware (fw) == -1 ||
      (logfd = open (log, O_RDWR|O_CREAT|O_TRUNC|O_CLOEXEC, 0600)) == -1) {
    set_err (reason, reasonlen, "KVM probe: cannot write %s", dir);
    goto out;
  }
  {
    /* The same machine type and CPU model a real launch would use, since
     * either can be what does not work. */
    char *argv[] = {
      (char *) qemu, "-no-user-config", "-nodefaults", "-display", "none",
      "-machine", "q35", "-accel", "kvm", "-cpu", "host", "-m", "16",
      "-bios", fw, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x01",
      "-serial", "none", "-parallel", "none", NULL
    };
    struct qemu_spawn_opts opts = { .console_fd = logfd };
    if (qemu_spawn (argv, &opts, &pid, err, sizeof err) == -1) {
      set_err (reason, reasonlen, "KVM probe: %s", err);
      goto out;
    }
  }
  *conclusive = true;
  clock_gettime (CLOCK_MONOTONIC, &start);
  for (;;) {
    pid_t r = waitpid (pid, &status, WNOHANG);
    if (r == pid) {
      exited = true;
      break;
    }
    if (r == -1 && errno != EINTR) {
      /* ECHILD: the program reaps children behind our back (SIGCHLD
       * ignored); the outcome is unknown. */
      set_err (reason, reasonlen, "KVM probe: waitpid: %s", strerror (errno));
      *conclusive = false;
      goto out;
    }
    clock_gettime (CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - start.tv_sec) * 1000 +
      (now.tv_nsec - start.tv_nsec) / 1000000;
    if (ms >= timeout_ms)
      break;
    struct timespec ts = { 0, 5 * 1000000 };
    nanosleep (&ts, NULL);
  }
  if (!exited) {
    kill (pid, SIGKILL);
    while (waitpid (pid, &status, 0) == -1 && errno == EINTR)
      ;
    set_err (reason, reasonlen,
             "qemu -accel kvm -cpu host did not run guest code within %d ms",
             timeout_ms);
    goto out;
  }
  if (WIFEXITED (status) && WEXITSTATUS (status) == PROBE_EXIT_STATUS) {
    set_err (reason, reasonlen, "KVM works (probe guest ran)");
    ret = QEMU_ACCEL_KVM;
    goto out;
  }
  {
    /* qemu's own complaint is the most useful reason: its output on
     * one line. */
    char msg[300] = "";
    ssize_t n = pread (logfd, msg, sizeof msg - 1, 0);
    if (n > 0) {
      msg[n] = '\0';
      while (n > 0 && (msg[n-1] == '\n' || msg[n-1] == ' '))
        msg[--n] = '\0';
      for (char *q = msg; *q; ++q)
        if (*q == '\n')
          *q = '|';
    }
    if (WIFSIGNALED (status))
      set_err (reason, reasonlen,
               "qemu -accel kvm -cpu host was killed by signal %d%s%s",
               WTERMSIG (status), msg[0] ? ": " : "", msg);
    else
      set_err (reason, reasonlen,
               "qemu -accel kvm -cpu host exited with status %d%s%s",
               WIFEXITED (status) ? WEXITSTATUS (status) : -1,
               msg[0] ? ": " : "", msg);
  }
 out:
  if (logfd >= 0)
    close (logfd);
  unlink (fw);
  unlink (log);
  rmdir (dir);
  return ret;
}

enum qemu_accel_choice
qemu_choose_accel (const char *qemu, const char *cachedir, unsigned flags,
                   int timeout_ms, char *reason, size_t reasonlen)
{
  int fd, api;
  char *vpath;
  enum qemu_accel_choice choice;

  if (flags & QEMU_ACCEL_FORCE_TCG) {
    set_err (reason, reasonlen, "TCG forced by force_tcg");
    return QEMU_ACCEL_TCG;
  }
  if (flags & QEMU_ACCEL_FORCE_KVM) {
    set_err (reason, reasonlen, "KVM forced by force_kvm");
    return QEMU_ACCEL_KVM;
  }
  if (timeout_ms <= 0)
    timeout_ms = 5000;

  /* The cheap checks are repeated every time: permissions on /dev/kvm
   * can change without anything in the cache key changing. */
  fd = open ("/dev/kvm", O_RDWR|O_CLOEXEC);
  if (fd == -1) {
    set_err (reason, reasonlen, "/dev/kvm: %s", strerror (errno));
    return QEMU_ACCEL_TCG;
  }
  api = ioctl (fd, KVM_GET_API_VERSION, 0);
  close (fd);
  if (api != KVM_API_VERSION) {
    set_err (reason, reasonlen, "/dev/kvm: unexpected API version %d", api);
    return QEMU_ACCEL_TCG;
  }

  vpath = verdict_path (qemu, cachedir);
  if (vpath && read_verdict (vpath, &choice, reason, reasonlen)) {
    free (vpath);
    return choice;
  }
  bool conclusive;
  choice = probe_kvm (qemu, timeout_ms, &conclusive, reason, reasonlen);
  if (vpath && conclusive)
    write_verdict (vpath, choice, reason);
  free (vpath);
  return choice;
}
