/* The qemu command line and the kernel command line.
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

#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appliance-net.h"
#include "qemu-internal.h"

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
  const char *q = getenv ("LIBGUESTFS_HV");
  if (q == NULL || q[0] == '\0')
    q = getenv ("LIBGUESTFS_QEMU");
  return q && q[0] ? q : QEMU_BINARY;
}

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
char *
qemu_escape_commas (const char *s)
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

/* The protocol options of the image at path, opened by qemu as
 * filename (path itself, or the /dev/fdset/N it was passed as). */
static char *
file_opts (const char *path, const char *filename)
{
  struct stat st;
  char *epath = qemu_escape_commas (filename), *r;
  /* Naming the protocol driver explicitly stops qemu from reading a
   * "proto:" prefix out of a file name that contains a colon. */
  const char *driver = stat (path, &st) == 0 && S_ISBLK (st.st_mode)
    ? "host_device" : "file";

  if (epath == NULL ||
      asprintf (&r, "file.driver=%s,file.filename=%s", driver, epath) == -1)
    r = NULL;
  free (epath);
  return r;
}

char *
qemu_local_file_opts (const char *path)
{
  return file_opts (path, path);
}

/* A local drive's protocol options: qemu opens its descriptors in
 * fdset d->fdset when it was passed some, else d->path. */
static char *
drive_file_opts (const struct qemu_drive *d)
{
  char fdset[32];
  snprintf (fdset, sizeof fdset, "/dev/fdset/%d", d->fdset);
  return file_opts (d->path, d->fdset > 0 ? fdset : d->path);
}

char *
qemu_drive_opts (const char *id, const struct qemu_drive *d)
{
  char *local = d->file_opts ? NULL : drive_file_opts (d), *s;

  if (d->file_opts == NULL && local == NULL)
    return NULL;
  if (asprintf (&s, "%s,if=none,id=%s%s%s,cache=%s%s%s%s%s%s%s",
                d->file_opts ? d->file_opts : local, id,
                d->format ? ",format=" : "", d->format ? d->format : "",
                d->cachemode ? d->cachemode : "writeback",
                d->readonly ? ",readonly=on" : "",
                d->snapshot ? ",snapshot=on" : "",
                d->discard ? ",discard=" : "", d->discard ? d->discard : "",
                d->copyonread ? ",copy-on-read=on" : "",
                d->backing ? d->backing : "") == -1)
    s = NULL;
  free (local);
  return s;
}

static void
push_drive (struct vec *a, const struct qemu_config *cfg, size_t index,
            const char *id, const struct qemu_drive *d, const char *serial)
{
  char *opts = qemu_drive_opts (id, d);

  if (opts == NULL) {
    a->oom = true;
    return;
  }
  if (d->object) {
    push (a, "-object");
    push (a, d->object);
  }
  push (a, "-drive");
  push (a, opts);
  free (opts);
  /* A disk of 4096-byte sectors must look like one to the guest, or
   * its partition table and filesystems are misread. */
  char sectors[80] = "";
  if (d->blocksize > 0)
    snprintf (sectors, sizeof sectors,
              ",logical_block_size=%d,physical_block_size=%d", d->blocksize,
              d->blocksize);
  push (a, "-device");
  if (cfg->iface == QEMU_IFACE_VIRTIO_SCSI)
    /* One target per drive keeps the kernel's sdX order equal to the
     * drive order: targets are scanned in ascending order. */
    pushf (a, "scsi-hd,bus=scsi0.0,channel=0,scsi-id=%zu,lun=0,drive=%s,"
           "serial=%s%s", index, id, serial, sectors);
  else
    pushf (a, "virtio-blk-pci,drive=%s,serial=%s%s", id, serial, sectors);
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
  if (asprintf (&s, "%s%s root=%s%s%s%s%s",
                base_cmdline,
                cfg->verbose ? "" : " quiet",
                root,
                cfg->verbose ? " guestfs_verbose=1" : "",
                cfg->network ? " guestfs_network=1" : "",
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
   * fork or exec (nothing here needs a helper program: the remote
   * drives' block drivers and the user-mode network run inside qemu),
   * no changing of CPU affinity or priorities. */
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

  if (cfg->network) {
    /* libguestfs's network, every address named (the daemon
     * configures the guest's side statically). */
    push (&a, "-netdev");
    push (&a, "user,id=usernet,net=" APPLIANCE_NET
              ",host=" APPLIANCE_NET_GATEWAY ",dns=" APPLIANCE_NET_DNS
              ",dhcpstart=" APPLIANCE_NET_GUEST);
    push (&a, "-device");
    push (&a, "virtio-net-pci,netdev=usernet");
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
    push_drive (&a, cfg, i, id, d, serial);
  }
  if (cfg->root) {
    /* The appliance disk: shared by every launch, so never written
     * (snapshot=on puts the guest's writes in a temporary overlay) but
     * by the qemu that saves the saved appliance (root_writable), and
     * nothing in it is worth flushing (cache=unsafe). */
    const struct qemu_drive root = {
      .path = cfg->root,
      .format = cfg->root_format ? cfg->root_format : "raw",
      .snapshot = !cfg->root_writable, .cachemode = "unsafe",
      .fdset = cfg->root_fdset, .backing = cfg->root_backing,
    };
    push_drive (&a, cfg, cfg->ndrives, "appliance", &root, APPLIANCE_SERIAL);
  }

  /* The daemon's channel.  The library listens and qemu connects: the
   * socket exists before qemu starts, so there is no polling for it, and
   * a qemu that dies early shows up as a failed connection or an EOF. */
  /* A balloon that never inflates: it is there for free page
   * reporting, by which the guest hands the memory it frees back to
   * the host (qemu's memory is otherwise every page the guest ever
   * touched). */
  push (&a, "-device"); push (&a, "virtio-balloon-pci,free-page-reporting=on");
  push (&a, "-device"); push (&a, "virtio-serial-pci,id=vser0");
  push (&a, "-chardev");
  if (cfg->channel_socket) {
    esock = qemu_escape_commas (cfg->channel_socket);
    if (esock == NULL)
      a.oom = true;
    pushf (&a, "socket,id=channel0,path=%s", esock ? esock : "");
  }
  else
    pushf (&a, "socket,id=channel0,fd=%d", cfg->channel_fd);
  push (&a, "-device");
  push (&a, "virtserialport,bus=vser0.0,chardev=channel0,name=" QEMU_CHANNEL_NAME);
  for (int i = 1; !cfg->channel_socket && i <= cfg->nextra_channels; ++i) {
    push (&a, "-chardev");
    pushf (&a, "socket,id=channel%d,fd=%d", i, cfg->channel_fd + i);
    push (&a, "-device");
    pushf (&a, "virtserialport,bus=vser0.0,chardev=channel%d,name="
           QEMU_EXTRA_CHANNEL_PREFIX "%d", i, i);
  }

  /* Serial console on stdout, which qemu_spawn connects to the
   * caller's log pipe.  signal=off: ^C is not for the guest. */
  push (&a, "-chardev"); push (&a, "stdio,id=console0,signal=off");
  push (&a, "-serial"); push (&a, "chardev:console0");

  for (char *const *x = cfg->extra_args; x && *x; ++x)
    push (&a, *x);
  for (size_t i = 0; i < cfg->nextra_params; ++i) {
    push (&a, cfg->extra_params[2 * i]);
    if (cfg->extra_params[2 * i + 1])
      push (&a, cfg->extra_params[2 * i + 1]);
  }

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
