/* The qemu command line, the accelerator probe and starting qemu.
 *
 * The choices below were measured under TCG on a 2-core host; the
 * figures are in appliance/README.md.  In short:
 *   - q35: microvm boots ~0.2 s faster, but under TCG its kernel cannot
 *     calibrate the TSC (no HPET or PM timer) and hangs in about half
 *     of the boots unless given the host's TSC frequency;
 *   - -cpu qemu64 under TCG: ~0.1 s faster to boot than -cpu max (fewer
 *     CPU features for the kernel to set up and patch in); +rdrand so the
 *     guest's random pool is ready at once and getrandom() never blocks;
 *   - one vCPU: a second vCPU made the boot slower, not faster;
 *   - qboot instead of SeaBIOS under TCG: ~0.1 s less firmware time; it
 *     leaves PCI resource assignment to the kernel, which copes;
 *   - the kernel's own messages are suppressed (quiet) unless verbose:
 *     every byte on the emulated UART costs a VM exit.
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/kvm.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qemu.h"

/* Serial number of the appliance disk, how its init finds it. */
#define APPLIANCE_SERIAL "appliance"

#ifndef QEMU_BINARY
#define QEMU_BINARY "qemu-system-x86_64"
#endif

/* Kernel arguments, each for a measured reason:
 *   panic=-1            reboot at once on panic; -no-reboot turns that
 *                       into qemu exiting, so a failed boot ends quickly;
 *   console=ttyS0       the serial port is the log the library reads;
 *   no_timer_check      skip the IO-APIC timer check, which is slow and
 *                       unreliable under emulation;
 *   tsc=reliable        no clocksource watchdog against the TSC;
 *   8250.nr_uarts=1     probe one UART instead of four;
 *   cryptomgr.notests   skip crypto self-tests at every algorithm load;
 *   usbcore.nousb       no USB in the appliance. */
static const char base_cmdline[] =
  "panic=-1 console=ttyS0 no_timer_check tsc=reliable 8250.nr_uarts=1 "
  "cryptomgr.notests usbcore.nousb";

const char *
qemu_default_binary (void)
{
  const char *q = getenv ("LIBGUESTFS_QEMU");
  return q && q[0] ? q : QEMU_BINARY;
}

static void __attribute__((format (printf, 3, 4)))
set_err (char *err, size_t errlen, const char *fmt, ...)
{
  va_list ap;

  if (err == NULL || errlen == 0)
    return;
  va_start (ap, fmt);
  vsnprintf (err, errlen, fmt, ap);
  va_end (ap);
}

/* ------------------------------------------------------------------ */
/* Command line. */

void
qemu_drive_name (enum qemu_disk_interface iface, size_t i,
                 char *buf, size_t len)
{
  /* The kernel's disk naming: a..z, aa..zz, aaa... (bijective base 26). */
  char letters[8];
  int n = 0;

  i++;
  while (i > 0 && n < (int) sizeof letters) {
    i--;
    letters[n++] = 'a' + i % 26;
    i /= 26;
  }
  char out[16];
  int o = 0;
  out[o++] = iface == QEMU_IFACE_VIRTIO_BLK ? 'v' : 's';
  out[o++] = 'd';
  while (n > 0)
    out[o++] = letters[--n];
  out[o] = '\0';
  snprintf (buf, len, "%s", out);
}

struct vec {
  char **v;
  size_t n, cap;
  bool oom;
};

static void
push (struct vec *a, const char *s)
{
  if (a->oom)
    return;
  if (a->n + 2 > a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 64;
    char **nv = realloc (a->v, cap * sizeof *nv);
    if (nv == NULL) {
      a->oom = true;
      return;
    }
    a->v = nv;
    a->cap = cap;
  }
  a->v[a->n] = strdup (s);
  if (a->v[a->n] == NULL) {
    a->oom = true;
    return;
  }
  a->v[++a->n] = NULL;
}

static void __attribute__((format (printf, 2, 3)))
pushf (struct vec *a, const char *fmt, ...)
{
  va_list ap;
  char *s;

  va_start (ap, fmt);
  if (vasprintf (&s, fmt, ap) == -1) {
    a->oom = true;
    va_end (ap);
    return;
  }
  va_end (ap);
  push (a, s);
  free (s);
}

/* qemu option values are comma-separated: a literal comma is doubled. */
static char *
escape_commas (const char *s)
{
  size_t n = 0;
  for (const char *p = s; *p; ++p)
    n += *p == ',' ? 2 : 1;
  char *r = malloc (n + 1), *q = r;
  if (r == NULL)
    return NULL;
  for (const char *p = s; *p; ++p) {
    *q++ = *p;
    if (*p == ',')
      *q++ = ',';
  }
  *q = '\0';
  return r;
}

/* Serial numbers end up in qemu option strings and in sysfs: keep to a
 * safe character set and the 20-byte limit of virtio-blk. */
static bool
valid_serial (const char *s)
{
  size_t n = strlen (s);
  if (n == 0 || n > 20)
    return false;
  for (; *s; ++s)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
      return false;
  return true;
}

static void
push_drive (struct vec *a, const struct qemu_config *cfg, size_t index,
            const char *id, const struct qemu_drive *d, const char *format,
            bool readonly, bool snapshot, const char *cache,
            const char *discard, const char *serial, int blocksize)
{
  struct stat st;
  char fdset[32];
  snprintf (fdset, sizeof fdset, "/dev/fdset/%d", d->fdset);
  char *epath = escape_commas (d->fdset > 0 ? fdset : d->path);
  /* Naming the protocol driver explicitly stops qemu from reading a
   * "proto:" prefix out of a file name that contains a colon. */
  const char *driver = stat (d->path, &st) == 0 && S_ISBLK (st.st_mode)
    ? "host_device" : "file";

  if (epath == NULL) {
    a->oom = true;
    return;
  }
  push (a, "-drive");
  pushf (a, "file.driver=%s,file.filename=%s,if=none,id=%s%s%s,cache=%s%s%s%s%s%s",
         driver, epath, id,
         format ? ",format=" : "", format ? format : "",
         cache ? cache : "writeback",
         readonly ? ",readonly=on" : "",
         snapshot ? ",snapshot=on" : "",
         discard ? ",discard=" : "", discard ? discard : "",
         d->backing ? d->backing : "");
  /* A disk of 4096-byte sectors must look like one to the guest, or
   * its partition table and filesystems are misread. */
  char sectors[80] = "";
  if (blocksize > 0)
    snprintf (sectors, sizeof sectors,
              ",logical_block_size=%d,physical_block_size=%d", blocksize,
              blocksize);
  push (a, "-device");
  if (cfg->iface == QEMU_IFACE_VIRTIO_SCSI)
    /* One target per drive keeps the kernel's sdX order equal to the
     * drive order: targets are scanned in ascending order. */
    pushf (a, "scsi-hd,bus=scsi0.0,channel=0,scsi-id=%zu,lun=0,drive=%s,"
           "serial=%s%s", index, id, serial, sectors);
  else
    pushf (a, "virtio-blk-pci,drive=%s,serial=%s%s", id, serial, sectors);
  free (epath);
}

char *
qemu_kernel_cmdline (const struct qemu_config *cfg)
{
  char root[32];
  char *s;

  /* virtio-blk disks are named in drive order, so the appliance disk's
   * name is known, and both our initrd and supermin's (the fallback)
   * understand root=/dev/NAME.  SCSI disks are named in the order their
   * asynchronous probes finish: our init then finds the appliance disk
   * by its serial number (supermin's initrd cannot). */
  if (cfg->iface == QEMU_IFACE_VIRTIO_BLK) {
    char name[16];
    qemu_drive_name (cfg->iface, cfg->ndrives, name, sizeof name);
    snprintf (root, sizeof root, "/dev/%s", name);
  }
  else
    snprintf (root, sizeof root, "serial:%s", APPLIANCE_SERIAL);
  if (asprintf (&s, "%s%s root=%s%s%s%s",
                base_cmdline,
                cfg->verbose ? "" : " quiet",
                root,
                cfg->verbose ? " guestfs_verbose=1" : "",
                cfg->append && cfg->append[0] ? " " : "",
                cfg->append ? cfg->append : "") == -1)
    return NULL;
  return s;
}

char **
qemu_build_argv (const struct qemu_config *cfg, char *err, size_t errlen)
{
  struct vec a = { NULL, 0, 0, false };
  bool kvm;
  size_t max = cfg->iface == QEMU_IFACE_VIRTIO_SCSI
    ? QEMU_MAX_DRIVES_SCSI : QEMU_MAX_DRIVES_BLK;
  char *cmdline = NULL, *esock = NULL;

  if (!cfg->qemu || !cfg->accel || !cfg->kernel || !cfg->initrd ||
      (!cfg->channel_socket && cfg->channel_fd < 0)) {
    set_err (err, errlen, "qemu_build_argv: missing qemu, accel, kernel, "
             "initrd or channel socket");
    return NULL;
  }
  if (strcmp (cfg->accel, "kvm") != 0 && strcmp (cfg->accel, "tcg") != 0) {
    set_err (err, errlen, "unknown accelerator \"%s\"", cfg->accel);
    return NULL;
  }
  if (cfg->ndrives > max) {
    set_err (err, errlen, "too many drives (%zu, at most %zu)",
             cfg->ndrives, max);
    return NULL;
  }
  for (size_t i = 0; i < cfg->ndrives; ++i)
    if (cfg->drives[i].serial &&
        (!valid_serial (cfg->drives[i].serial) ||
         strcmp (cfg->drives[i].serial, APPLIANCE_SERIAL) == 0)) {
      set_err (err, errlen, "drive %zu: serial \"%s\" must be 1-20 of "
               "[A-Za-z0-9._-] and not \"" APPLIANCE_SERIAL "\"",
               i, cfg->drives[i].serial);
      return NULL;
    }
  kvm = strcmp (cfg->accel, "kvm") == 0;

  push (&a, cfg->qemu);
  /* No config files, default devices, display, network or monitor. */
  push (&a, "-no-user-config");
  push (&a, "-nodefaults");
  push (&a, "-display"); push (&a, "none");
  /* The guest powers off or reboots when the daemon exits; either way
   * qemu must exit. */
  push (&a, "-no-reboot");
  /* seccomp: no obsolete system calls, no setuid and the like, no
   * fork or exec (nothing here needs a helper program), no changing
   * of CPU affinity or priorities. */
  push (&a, "-sandbox");
  push (&a, "on,obsolete=deny,elevateprivileges=deny,spawn=deny,"
        "resourcecontrol=deny");
  push (&a, "-machine"); push (&a, "q35");
  push (&a, "-accel"); push (&a, cfg->accel);
  push (&a, "-cpu");
  push (&a, cfg->cpu ? cfg->cpu : kvm ? "host" : "qemu64,+rdrand");
  push (&a, "-m");
  pushf (&a, "%d", cfg->memsize_mb > 0 ? cfg->memsize_mb : QEMU_DEFAULT_MEMSIZE);
  push (&a, "-smp");
  pushf (&a, "%d", cfg->smp > 0 ? cfg->smp : 1);
  {
    const char *fw = cfg->firmware;
    if (fw == NULL)
      fw = !kvm && access (QEMU_QBOOT_PATH, R_OK) == 0 ? QEMU_QBOOT_PATH : "";
    if (fw[0]) {
      push (&a, "-bios");
      push (&a, fw);
    }
  }
  push (&a, "-kernel"); push (&a, cfg->kernel);
  push (&a, "-initrd"); push (&a, cfg->initrd);
  cmdline = qemu_kernel_cmdline (cfg);
  if (cmdline == NULL)
    a.oom = true;
  else {
    push (&a, "-append");
    push (&a, cmdline);
  }

  for (size_t i = 0; i < cfg->nadd_fds; ++i) {
    push (&a, "-add-fd");
    pushf (&a, "fd=%d,set=%d", cfg->add_fds[i].fd, cfg->add_fds[i].set);
  }
  if (cfg->iface == QEMU_IFACE_VIRTIO_SCSI) {
    push (&a, "-device");
    push (&a, "virtio-scsi-pci,id=scsi0");
  }
  for (size_t i = 0; i < cfg->ndrives; ++i) {
    const struct qemu_drive *d = &cfg->drives[i];
    char id[32], serial[32];
    snprintf (id, sizeof id, "hd%zu", i);
    if (d->serial)
      snprintf (serial, sizeof serial, "%s", d->serial);
    else
      snprintf (serial, sizeof serial, "d%zu", i);
    push_drive (&a, cfg, i, id, d, d->format, d->readonly, d->snapshot,
                d->cachemode, d->discard, serial, d->blocksize);
  }
  if (cfg->root) {
    /* The appliance disk: shared by every launch, so never written
     * (snapshot=on puts the guest's writes in a temporary overlay), and
     * nothing in it is worth flushing (cache=unsafe). */
    struct qemu_drive root = { .path = cfg->root, .fdset = cfg->root_fdset };
    push_drive (&a, cfg, cfg->ndrives, "appliance", &root, "raw",
                false, true, "unsafe", NULL, APPLIANCE_SERIAL, 0);
  }

  /* The daemon's channel.  The library listens and qemu connects: the
   * socket exists before qemu starts, so there is no polling for it, and
   * a qemu that dies early shows up as a failed connection or an EOF. */
  push (&a, "-device"); push (&a, "virtio-serial-pci,id=vser0");
  push (&a, "-chardev");
  if (cfg->channel_socket) {
    esock = escape_commas (cfg->channel_socket);
    if (esock == NULL)
      a.oom = true;
    pushf (&a, "socket,id=channel0,path=%s", esock ? esock : "");
  }
  else
    pushf (&a, "socket,id=channel0,fd=%d", cfg->channel_fd);
  push (&a, "-device");
  push (&a, "virtserialport,bus=vser0.0,chardev=channel0,name=" QEMU_CHANNEL_NAME);

  /* Serial console on stdout, which qemu_spawn connects to the
   * caller's log pipe.  signal=off: ^C is not for the guest. */
  push (&a, "-chardev"); push (&a, "stdio,id=console0,signal=off");
  push (&a, "-serial"); push (&a, "chardev:console0");

  free (cmdline);
  free (esock);
  if (a.oom) {
    qemu_free_argv (a.v);
    set_err (err, errlen, "out of memory");
    return NULL;
  }
  return a.v;
}

void
qemu_free_argv (char **argv)
{
  if (argv == NULL)
    return;
  for (char **p = argv; *p; ++p)
    free (*p);
  free (argv);
}

/* ------------------------------------------------------------------ */
/* Spawning. */

/* The PATH lookup execvp would do, done before fork: in the child of a
 * multithreaded program only async-signal-safe calls are allowed. */
static char *
resolve_program (const char *prog)
{
  const char *path = getenv ("PATH");

  if (strchr (prog, '/'))
    return strdup (prog);
  if (path == NULL)
    path = "/usr/local/bin:/usr/bin:/bin";
  while (*path) {
    size_t len = strcspn (path, ":");
    char *cand;
    if (asprintf (&cand, "%.*s/%s", (int) len, len ? path : ".", prog) == -1)
      return NULL;
    if (access (cand, X_OK) == 0)
      return cand;
    free (cand);
    path += len;
    if (*path == ':')
      path++;
  }
  errno = ENOENT;
  return NULL;
}

/* In the child: a copy of fd numbered at least min (and so out of the
 * way of the numbers being set up), or -1. */
static int
above (int fd, int min)
{
  return fd < 0 ? -1 : fcntl (fd, F_DUPFD, min);
}

/* In the child, between fork and exec: only async-signal-safe calls.
 * Descriptors first go above every number being set up, whatever
 * numbers they had (the caller may have started with 0, 1 or 2 closed,
 * so a pipe can be one of them), then land on 0-2, 3 (the error pipe)
 * and QEMU_FIRST_PASSED_FD onwards. */
static void __attribute__ ((noreturn))
spawn_child (const char *prog, char *const argv[],
             const struct qemu_spawn_opts *o, int errfd, pid_t parent)
{
  sigset_t all;
  struct sigaction sa;
  int e;

  setpgid (0, 0);
  sigemptyset (&all);
  sigprocmask (SIG_SETMASK, &all, NULL);
  /* Ignored signals stay ignored across exec: qemu gets defaults. */
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP)
      sigaction (sig, &sa, NULL);

  int min = QEMU_FIRST_PASSED_FD + (int) o->npass;
  int err = above (errfd, min);
  int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
  int nul = above (null, min);
  int con = o->console_fd >= 0 ? above (o->console_fd, min) : nul;
  int pass[QEMU_MAX_PASSED_FDS];
  bool ok = err >= 0 && nul >= 0 && con >= 0;
  for (size_t i = 0; ok && i < o->npass; ++i)
    ok = (pass[i] = above (o->pass_fds[i], min)) >= 0;
  if (err >= 0)
    errfd = err;
  if (!ok || dup2 (nul, 0) == -1 || dup2 (con, 1) == -1 ||
      dup2 (con, 2) == -1 || dup3 (errfd, 3, O_CLOEXEC) == -1)
    goto fail;
  errfd = 3;
  for (size_t i = 0; i < o->npass; ++i)
    if (dup2 (pass[i], QEMU_FIRST_PASSED_FD + (int) i) == -1)
      goto fail;
  /* qemu must not hold the library's other descriptors (sockets, the
   * other end of pipes) or their EOFs would never arrive. */
  if (close_range (min, ~0U, 0) == -1) {
    long max = sysconf (_SC_OPEN_MAX);
    for (long fd = min; fd < (max > 0 ? max : 1024); ++fd)
      close ((int) fd);
  }
  if (o->drop_privileges &&
      (setgroups (o->ngroups, o->groups) == -1 ||
       setresgid (o->gid, o->gid, o->gid) == -1 ||
       setresuid (o->uid, o->uid, o->uid) == -1))
    goto fail;
  /* After the change of credentials, which clears it.  The spawning
   * thread lives as long as the process (see spawner_main), so qemu
   * dies with the process, even SIGKILLed, and with nothing else. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != parent)
    _exit (1);
  execve (prog, argv, o->envp ? o->envp : environ);
fail:
  e = errno;
  if (write (errfd, &e, sizeof e) == -1)
    _exit (126);
  _exit (127);
}

struct spawn_job {
  char *const *argv;
  const struct qemu_spawn_opts *opts;
  pid_t pid;
  char *err;
  size_t errlen;
  int r;
  bool done;
};

static int
spawn_now (struct spawn_job *j)
{
  int errpipe[2];
  pid_t parent = getpid ();
  int child_errno = 0;
  ssize_t r;
  char *prog = resolve_program (j->argv[0]);

  if (prog == NULL) {
    set_err (j->err, j->errlen, "cannot run %s: %s", j->argv[0],
             strerror (errno));
    return -1;
  }
  if (pipe2 (errpipe, O_CLOEXEC) == -1) {
    set_err (j->err, j->errlen, "pipe: %s", strerror (errno));
    free (prog);
    return -1;
  }
  pid_t pid = fork ();
  if (pid == -1) {
    set_err (j->err, j->errlen, "fork: %s", strerror (errno));
    close (errpipe[0]);
    close (errpipe[1]);
    free (prog);
    return -1;
  }
  if (pid == 0)
    spawn_child (prog, j->argv, j->opts, errpipe[1], parent);
  close (errpipe[1]);
  free (prog);
  do
    r = read (errpipe[0], &child_errno, sizeof child_errno);
  while (r == -1 && errno == EINTR);
  close (errpipe[0]);
  if (r == sizeof child_errno) {
    while (waitpid (pid, NULL, 0) == -1 && errno == EINTR)
      ;
    set_err (j->err, j->errlen, "cannot run %s: %s", j->argv[0],
             strerror (child_errno));
    return -1;
  }
  j->pid = pid;
  return 0;
}

/* PR_SET_PDEATHSIG fires when the *thread* that forked exits, so a
 * program that launches from a short-lived thread would lose its
 * appliance with that thread.  Every fork is made by this one thread,
 * started at the first spawn, which never exits: the death signal then
 * follows the process. */
static pthread_mutex_t spawner_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t spawner_cond = PTHREAD_COND_INITIALIZER;
static struct spawn_job *spawner_job;
static bool spawner_running;

static void *
spawner_main (void *arg)
{
  (void) arg;
  pthread_mutex_lock (&spawner_lock);
  for (;;) {
    while (spawner_job == NULL || spawner_job->done)
      pthread_cond_wait (&spawner_cond, &spawner_lock);
    spawner_job->r = spawn_now (spawner_job);
    spawner_job->done = true;
    pthread_cond_broadcast (&spawner_cond);
  }
  return NULL;
}

/* A forked child of the program has no spawner thread. */
static void
spawner_after_fork (void)
{
  pthread_mutex_init (&spawner_lock, NULL);
  pthread_cond_init (&spawner_cond, NULL);
  spawner_job = NULL;
  spawner_running = false;
}

static void
register_atfork (void)
{
  pthread_atfork (NULL, NULL, spawner_after_fork);
}

static int
start_spawner (char *err, size_t errlen)
{
  static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
  pthread_once (&atfork_once, register_atfork);
  if (spawner_running)
    return 0;
  sigset_t all, old;
  sigfillset (&all);
  pthread_sigmask (SIG_SETMASK, &all, &old); /* signals are the program's */
  pthread_t t;
  int r = pthread_create (&t, NULL, spawner_main, NULL);
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  if (r != 0) {
    set_err (err, errlen, "pthread_create: %s", strerror (r));
    return -1;
  }
  pthread_detach (t);
  spawner_running = true;
  return 0;
}

int
qemu_spawn (char *const argv[], const struct qemu_spawn_opts *opts,
            pid_t *pid_out, char *err, size_t errlen)
{
  if (opts->npass > QEMU_MAX_PASSED_FDS) {
    set_err (err, errlen, "too many descriptors for qemu (%zu)",
             opts->npass);
    return -1;
  }
  struct spawn_job j = {
    .argv = argv, .opts = opts, .err = err, .errlen = errlen,
  };
  pthread_mutex_lock (&spawner_lock);
  if (start_spawner (err, errlen) == -1) {
    pthread_mutex_unlock (&spawner_lock);
    return -1;
  }
  while (spawner_job != NULL)
    pthread_cond_wait (&spawner_cond, &spawner_lock);
  spawner_job = &j;
  pthread_cond_broadcast (&spawner_cond);
  while (!j.done)
    pthread_cond_wait (&spawner_cond, &spawner_lock);
  spawner_job = NULL;
  pthread_cond_broadcast (&spawner_cond);
  pthread_mutex_unlock (&spawner_lock);
  if (j.r == 0)
    *pid_out = j.pid;
  return j.r;
}

/* ------------------------------------------------------------------ */
/* Accelerator. */

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

static uint64_t
fnv1a64 (uint64_t h, const char *s)
{
  for (; *s; ++s) {
    h ^= (unsigned char) *s;
    h *= 0x100000001b3ULL;
  }
  return h;
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
  uint64_t h = 0xcbf29ce484222325ULL;

  if (cachedir == NULL || uname (&u) == -1)
    return NULL;
  /* Usually made by appliance_locate already. */
  mkdir (cachedir, 0700);
  if (gethostname (host, sizeof host) == -1)
    host[0] = '\0';
  host[sizeof host - 1] = '\0';
  cpu_model_name (cpu, sizeof cpu);
  /* The qemu binary's identity: a new qemu may behave differently. */
  if (strchr (qemu, '/') == NULL) {
    const char *pathenv = getenv ("PATH");
    while (pathenv && *pathenv && resolved == NULL) {
      size_t len = strcspn (pathenv, ":");
      char *cand;
      if (asprintf (&cand, "%.*s/%s", (int) len, pathenv, qemu) != -1) {
        if (access (cand, X_OK) == 0)
          resolved = cand;
        else
          free (cand);
      }
      pathenv += len + (pathenv[len] == ':');
    }
  }
  else
    resolved = strdup (qemu);
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
  char buf[600];
  int fd = open (path, O_RDONLY|O_CLOEXEC);
  ssize_t r;

  if (fd == -1)
    return false;
  r = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (r <= 4)
    return false;
  buf[r] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  if (strncmp (buf, "kvm ", 4) == 0)
    *choice = QEMU_ACCEL_KVM;
  else if (strncmp (buf, "tcg ", 4) == 0)
    *choice = QEMU_ACCEL_TCG;
  else
    return false;
  set_err (reason, reasonlen, "%s (cached verdict)", buf + 4);
  return true;
}

static void
write_verdict (const char *path, enum qemu_accel_choice choice,
               const char *reason)
{
  char *tmp;
  FILE *fp;

  if (asprintf (&tmp, "%s.%d", path, (int) getpid ()) == -1)
    return;
  fp = fopen (tmp, "we");
  if (fp) {
    fprintf (fp, "%s %s\n", choice == QEMU_ACCEL_KVM ? "kvm" : "tcg", reason);
    if (fclose (fp) == 0 && rename (tmp, path) == 0) {
      free (tmp);
      return;
    }
  }
  unlink (tmp);
  free (tmp);
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
