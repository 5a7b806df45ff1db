/* After a launch from the saved appliance: find the hot-added drives.
 *
 * The saved appliance was booted with no guest drives and with the
 * kernel's PCIe port services off (pcie_ports=compat), so the drives the
 * library hot-plugs into the pre-created PCIe root ports raise no event
 * in the guest.  A rescan of the PCI bus then finds them in bus order
 * (once their slots are powered on, which pciehp would have done) and
 * probes them one after the other, in this thread, so the virtio-blk
 * driver names them /dev/vda, /dev/vdb, ... in drive order, as a cold
 * boot does.  The appliance's own disk is on virtio-scsi there, out of
 * the way of those names.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/random.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_alg.h>

#include "daemon.h"
#include "daemon-actions.h"
#include "lvm-label.h"
#include "storage.h"

/* The drives are in the guest's PCI config space before the guest runs,
 * so this only covers a slow probe. */
#define RESCAN_WAIT_MS 10000

static bool
write_sysfs (const char *path, const char *value)
{
  FILE *fp = fopen (path, "we");
  if (fp == NULL)
    return false;
  bool ok = fputs (value, fp) >= 0;
  return fclose (fp) == 0 && ok;
}

/* Does /sys/block/NAME/serial hold serial? */
static bool
disk_has_serial (const char *name, const char *serial)
{
  char path[128], buf[64];
  snprintf (path, sizeof path, "/sys/block/%s/serial", name);
  FILE *fp = fopen (path, "re");
  if (fp == NULL)
    return false;
  bool ok = fgets (buf, sizeof buf, fp) != NULL;
  fclose (fp);
  if (!ok)
    return false;
  buf[strcspn (buf, "\n")] = '\0';
  return strcmp (buf, serial) == 0;
}

/* "vda", "vdb", ..., "vdz", "vdaa": the kernel's names in probe order. */
static void
vd_name (size_t i, char *buf, size_t len)
{
  char letters[8];
  int n = 0;
  for (++i; i > 0 && n < (int)sizeof letters; i /= 26)
    letters[n++] = 'a' + --i % 26;
  size_t o = snprintf (buf, len, "vd");
  while (n > 0 && o + 1 < len)
    buf[o++] = letters[--n];
  buf[o] = '\0';
}

/* PCI config space offsets and bits (PCI Express base specification). */
#define PCI_CAP_PTR 0x34
#define PCI_CAP_ID_EXP 0x10
#define PCI_EXP_FLAGS 2
#define PCI_EXP_FLAGS_SLOT 0x0100
#define PCI_EXP_SLTCTL 0x18
#define PCI_EXP_SLTCTL_PIC 0x0300 /* power indicator */
#define PCI_EXP_SLTCTL_PIND_ON 0x0100
#define PCI_EXP_SLTCTL_PCC 0x0400 /* power controller: 1 = off */
#define PCI_EXP_SLTSTA 0x1a
#define PCI_EXP_SLTSTA_PDS 0x0040 /* presence detect state */

/* The offset of the PCI Express capability in cfg, or 0. */
static unsigned
pcie_cap (const unsigned char *cfg, size_t len)
{
  unsigned pos = len > PCI_CAP_PTR ? cfg[PCI_CAP_PTR] & ~3u : 0;
  for (int hops = 0; pos >= 0x40 && pos + 0x20 <= len && hops < 48; ++hops) {
    if (cfg[pos] == PCI_CAP_ID_EXP)
      return pos;
    pos = cfg[pos + 1] & ~3u;
  }
  return 0;
}

/* A slot whose power controller is off hides the device qemu plugged
 * into it, and nothing in the guest powers it on (pciehp is off): power
 * on every occupied slot, as pciehp would. */
static void
power_on_occupied_slots (void)
{
  DIR *d = opendir ("/sys/bus/pci/devices");
  struct dirent *e;
  while (d && (e = readdir (d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char path[300];
    snprintf (path, sizeof path, "/sys/bus/pci/devices/%s/config", e->d_name);
    int fd = open (path, O_RDWR | O_CLOEXEC);
    if (fd == -1)
      continue;
    unsigned char cfg[256];
    ssize_t n = pread (fd, cfg, sizeof cfg, 0);
    unsigned cap = n > 0 ? pcie_cap (cfg, n) : 0;
    if (cap) {
      unsigned flags = cfg[cap + PCI_EXP_FLAGS] | cfg[cap + PCI_EXP_FLAGS + 1]
                                                      << 8;
      unsigned ctl = cfg[cap + PCI_EXP_SLTCTL] | cfg[cap + PCI_EXP_SLTCTL + 1]
                                                     << 8;
      unsigned sta = cfg[cap + PCI_EXP_SLTSTA] | cfg[cap + PCI_EXP_SLTSTA + 1]
                                                     << 8;
      if ((flags & PCI_EXP_FLAGS_SLOT) && (sta & PCI_EXP_SLTSTA_PDS) &&
          (ctl & PCI_EXP_SLTCTL_PCC)) {
        ctl = (ctl & ~(PCI_EXP_SLTCTL_PCC | PCI_EXP_SLTCTL_PIC)) |
              PCI_EXP_SLTCTL_PIND_ON;
        unsigned char v[2] = {ctl & 0xff, ctl >> 8};
        if (pwrite (fd, v, 2, cap + PCI_EXP_SLTCTL) != 2)
          fprintf (stderr, "guestfsd: %s: powering the slot on: %m\n", path);
      }
    }
    close (fd);
  }
  if (d)
    closedir (d);
}

static void
sleep_ms (int ms)
{
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep (&t, NULL);
}

/* Every restore starts from the same saved random state: without a
 * reseed, two launches would hand out the same "random" numbers
 * (filesystem UUIDs, LUKS salts) until the kernel's next scheduled
 * reseed.  The reseed mixes in RDRAND and the cycle counter, which
 * differ at every restore, and the host's time. */
static int
reseed_random (int64_t now_ns)
{
  int fd = open ("/dev/urandom", O_WRONLY | O_CLOEXEC);
  if (fd == -1 || write (fd, &now_ns, sizeof now_ns) != sizeof now_ns ||
      ioctl (fd, RNDRESEEDCRNG) == -1) {
    reply_with_perror ("reseeding /dev/urandom");
    if (fd >= 0)
      close (fd);
    return -1;
  }
  close (fd);
  return 0;
}

/* Encryption, made ready before the save.
 *
 * The first LUKS open in an appliance loads dm-crypt, the AF_ALG socket
 * modules and cipher modules (modprobe, run by the kernel), and builds
 * the cipher instances from templates ("xts(aes)" from "xts" over
 * "ecb(aes)") in kernel threads.  A caller of the kernel's crypto API
 * waits at most 60 s of guest time for such an instance; under TCG,
 * guest time runs at the host's pace while the guest's CPU gets only
 * what a loaded host leaves it, and a restored guest runs all that for
 * the first time (nothing of it translated yet): under heavy load the
 * wait ran out, and dm-crypt's table load failed with ETIMEDOUT
 * ("reload ioctl ... Connection timed out").  Done here, before the
 * save, every restore starts with all of it in place and a LUKS open
 * waits for no module and no instance.
 *
 * The ciphers are those of cryptsetup's defaults and older LUKS
 * volumes, each used as cryptsetup does: through AF_ALG (keyslot
 * decryption) and as a dm-crypt table (activation) over a zero target.
 * The key is not a secret: a fixed pattern for a device of zeros that
 * exists for a moment. */
#define WARM_ZERO "guestfs-prepare-zero"
#define WARM_CRYPT "guestfs-prepare-crypt"
#define WARM_KEY                                                               \
  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"           \
  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"

static const struct {
  const char *dm, *kernel; /* dm-crypt's name and the kernel's */
  int key_hex;             /* the key's length in hex digits */
} warm_ciphers[] = {
    /* LUKS2's default: two AES-256 keys. */
    {"aes-xts-plain64", "xts(aes)", 128},
    /* Older LUKS1 volumes. */
    {"aes-cbc-essiv:sha256", "essiv(cbc(aes),sha256)", 64},
};

static void
bind_alg (const char *type, const char *name)
{
  struct sockaddr_alg sa = {.salg_family = AF_ALG};
  snprintf ((char *)sa.salg_type, sizeof sa.salg_type, "%s", type);
  snprintf ((char *)sa.salg_name, sizeof sa.salg_name, "%s", name);
  int fd = socket (AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd == -1 || bind (fd, (struct sockaddr *)&sa, sizeof sa) == -1)
    fprintf (stderr, "guestfsd: preparing %s %s: %m\n", type, name);
  if (fd >= 0)
    close (fd);
}

static void
dmsetup (const char *const *argv)
{
  char *err = NULL;
  int r = run_capture (argv, NULL, &err);
  if (r != 0)
    fprintf (stderr, "guestfsd: %s %s: %s\n", argv[1], argv[2],
             err ? err : "failed");
  free (err);
}

static void
prepare_encryption (void)
{
  const char *zero[] = {"dmsetup", "create",    WARM_ZERO,
                        "--table", "0 64 zero", NULL};
  dmsetup (zero);
  for (size_t i = 0; i < sizeof warm_ciphers / sizeof *warm_ciphers; ++i) {
    bind_alg ("skcipher", warm_ciphers[i].kernel);
    char table[512];
    snprintf (table, sizeof table, "0 64 crypt %s %.*s 0 /dev/mapper/%s 0",
              warm_ciphers[i].dm, warm_ciphers[i].key_hex, WARM_KEY, WARM_ZERO);
    const char *crypt[] = {"dmsetup", "create", WARM_CRYPT,
                           "--table", table,    NULL};
    const char *remove[] = {"dmsetup", "remove", WARM_CRYPT, NULL};
    dmsetup (crypt);
    dmsetup (remove);
  }
  bind_alg ("hash", "sha256");
  const char *remove[] = {"dmsetup", "remove", WARM_ZERO, NULL};
  dmsetup (remove);
}

/* Does disk NAME, or one of its partitions, hold an LVM2 PV? */
static bool
disk_has_lvm_pv (const char *name)
{
  char path[300];
  snprintf (path, sizeof path, "/dev/%s", name);
  if (has_lvm_label (path))
    return true;
  snprintf (path, sizeof path, "/sys/block/%s", name);
  DIR *d = opendir (path);
  struct dirent *e;
  bool found = false;
  size_t len = strlen (name);
  while (!found && d && (e = readdir (d)) != NULL)
    if (strncmp (e->d_name, name, len) == 0) {
      snprintf (path, sizeof path, "/dev/%s", e->d_name);
      found = has_lvm_label (path);
    }
  if (d)
    closedir (d);
  return found;
}

/* What init does at boot for the drives it finds (appliance/init.c):
 * activate the volume groups they hold, running lvm only if one has a
 * physical volume. */
static void
activate_volume_groups (size_t ndrives)
{
  bool any = false;
  for (size_t i = 0; i < ndrives && !any; ++i) {
    char name[16];
    vd_name (i, name, sizeof name);
    any = disk_has_lvm_pv (name);
  }
  if (!any)
    return;
  const char *args[] = {"vgchange", "-aay", "--sysinit", NULL};
  char *err = NULL;
  if (run_lvm (args, NULL, &err) != 0)
    fprintf (stderr, "guestfsd: vgchange: %s\n", err ? err : "failed");
  free (err);
}

int
do_internal_rescan_drives (char *const *serials, int64_t now_ns)
{
  if (host_mode) {
    reply_with_error_errno (EPERM, "devices are not available when guestfsd "
                                   "runs on the host");
    return -1;
  }
  /* The guest's clock stopped when it was saved (0: leave it). */
  struct timespec now = {now_ns / 1000000000, now_ns % 1000000000};
  if (now_ns > 0 && clock_settime (CLOCK_REALTIME, &now) == -1) {
    reply_with_perror ("clock_settime");
    return -1;
  }
  if (reseed_random (now_ns) == -1)
    return -1;
  if (now_ns != 0)
    announce_extra_ports ();
  /* No virtio-blk device was there at boot, so init did not load it.
   * The library has this call made once before the save, so that a
   * restore finds the driver loaded. */
  if (access ("/sys/module/virtio_blk", F_OK) != 0) {
    const char *modprobe[] = {"modprobe", "virtio_blk", NULL};
    char *err = NULL;
    int status = run_command (NULL, &err, modprobe);
    int r = reply_if_command_failed ("modprobe virtio_blk", status, err);
    free (err);
    if (r == -1)
      return -1;
  }
  /* The call made before the save (no drives, the clock left alone). */
  if (serials[0] == NULL && now_ns == 0)
    prepare_encryption ();
  power_on_occupied_slots ();
  if (!write_sysfs ("/sys/bus/pci/rescan", "1")) {
    reply_with_perror ("/sys/bus/pci/rescan");
    return -1;
  }
  for (size_t i = 0; serials[i]; ++i) {
    char name[16];
    vd_name (i, name, sizeof name);
    int waited = 0;
    while (!disk_has_serial (name, serials[i])) {
      if (waited >= RESCAN_WAIT_MS) {
        reply_with_error_errno (ENODEV,
                                "drive %zu (serial %s) is not "
                                "/dev/%s after a PCI rescan",
                                i, serials[i], name);
        return -1;
      }
      sleep_ms (5);
      waited += 5;
    }
  }
  size_t ndrives = 0;
  while (serials[ndrives])
    ++ndrives;
  activate_volume_groups (ndrives);
  return 0;
}
