/* /init for the guestfs appliance.
 *
 * It runs as PID 1 in one of two ways:
 *   - from the appliance's own small initrd (stage 1, see below): it
 *     loads the few kernel modules needed, mounts the appliance's root
 *     disk, switches to it and carries on as stage 2 in the same process;
 *   - from the root disk, started by supermin's generic initrd (which
 *     mounts the root and chroots to it) when the library had to fall
 *     back to that initrd: stage 2 only.
 * Stage 2 prepares the minimum the daemon needs and runs it.
 *
 * Everything here is on the critical path of every launch and the guest
 * usually runs under TCG emulation, where each exec, file read and sleep
 * is several times slower than on real hardware, so the rules are:
 *   - no shell, no udev, no "settle" waits;
 *   - no eager module loading: the kernel loads filesystem, device-mapper,
 *     crypto and fuse modules itself on first use (request_module ->
 *     /sbin/modprobe), as long as the character device nodes that trigger
 *     autoloading exist, which we create from modules.devname;
 *   - run external programs (lvm) only when there is evidence they have
 *     work to do.
 *
 * The daemon is started as a child rather than exec'd because PID 1 must
 * outlive it: orphaned grandchildren of the daemon are reparented to us
 * and must be reaped, and when the daemon goes away we power the VM off
 * so that qemu exits instead of leaving a kernel panic behind.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

#include "lvm-label.h"

#define DAEMON_PATH "/usr/sbin/guestfsd"
#define DEFAULT_CHANNEL "org.libguestfs.channel.0"

/* How long to wait for the virtio-serial port names to show up.  The
 * names arrive from the host over the virtio-console control queue after
 * the driver has probed, which normally happened long before we run. */
#define PORT_WAIT_MS 5000

static bool verbose;
static char cmdline[4096];
static struct timespec start_time;   /* when this program started */

/* Timestamps use CLOCK_BOOTTIME so they line up with the kernel's own
 * printk timestamps and /proc/uptime. */
static void __attribute__((format (printf, 1, 2)))
msg (const char *fmt, ...)
{
  struct timespec ts;
  va_list ap;
  char buf[512];
  int n;

  clock_gettime (CLOCK_BOOTTIME, &ts);
  n = snprintf (buf, sizeof buf, "[%5ld.%06ld] init: ",
                (long) ts.tv_sec, ts.tv_nsec / 1000);
  va_start (ap, fmt);
  n += vsnprintf (buf + n, sizeof buf - n, fmt, ap);
  va_end (ap);
  if (n > (int) sizeof buf - 2)
    n = sizeof buf - 2;
  buf[n++] = '\n';
  /* One write per message so lines from the daemon do not interleave. */
  if (write (STDERR_FILENO, buf, n) == -1) {
    /* Nothing sensible to do: the console is the only place to report. */
  }
}

#define debug(...) do { if (verbose) msg (__VA_ARGS__); } while (0)

/* Errors are printed even without verbose: if the appliance fails to come
 * up, the console log is all the library has to show the user. */
#define error(...) msg (__VA_ARGS__)

static bool
cmdline_has (const char *word)
{
  size_t len = strlen (word);
  const char *p = cmdline;

  while ((p = strstr (p, word)) != NULL) {
    if ((p == cmdline || isspace ((unsigned char) p[-1])) &&
        (p[len] == '\0' || isspace ((unsigned char) p[len])))
      return true;
    p += len;
  }
  return false;
}

static void
read_cmdline (void)
{
  int fd = open ("/proc/cmdline", O_RDONLY|O_CLOEXEC);
  ssize_t r;

  if (fd == -1)
    return;
  r = read (fd, cmdline, sizeof cmdline - 1);
  close (fd);
  if (r <= 0)
    return;
  cmdline[r] = '\0';
  if (r > 0 && cmdline[r-1] == '\n')
    cmdline[r-1] = '\0';
}

static void
do_mount (const char *src, const char *target, const char *type,
          unsigned long flags, const char *data)
{
  mkdir (target, 0755);
  if (mount (src, target, type, flags, data) == -1 && errno != EBUSY)
    error ("mount %s on %s: %m", type, target);
}

/* Opening a character device whose node exists but whose driver is not
 * loaded makes the kernel request "char-major-M-N", which modprobe
 * resolves through the aliases the modules declare.  With udev absent
 * nobody else creates those nodes (this is what "kmod static-nodes"
 * does for systemd), so /dev/mapper/control, /dev/fuse, /dev/loop-control
 * and /dev/btrfs-control would simply be missing and lvm, ntfs-3g and
 * losetup would fail instead of triggering the module load. */
static void
make_static_nodes (const char *path)
{
  char line[512];
  FILE *fp;

  fp = fopen (path, "re");
  if (fp == NULL) {
    debug ("%s: %m", path);
    return;
  }
  while (fgets (line, sizeof line, fp) != NULL) {
    char mod[128], name[128], type;
    unsigned maj, min;
    char node[200];

    if (line[0] == '#')
      continue;
    if (sscanf (line, "%127s %127s %c%u:%u", mod, name, &type, &maj, &min) != 5)
      continue;
    if (type != 'c' && type != 'b')
      continue;
    snprintf (node, sizeof node, "/dev/%s", name);
    /* Names may contain one directory level, e.g. mapper/control. */
    char *slash = strrchr (node, '/');
    if (slash != node + 4) {
      *slash = '\0';
      mkdir (node, 0755);
      *slash = '/';
    }
    if (mknod (node, (type == 'c' ? S_IFCHR : S_IFBLK) | 0600,
               makedev (maj, min)) == -1 && errno != EEXIST)
      debug ("mknod %s: %m", node);
  }
  fclose (fp);
}

/* Everything stage 2 expects in /dev besides what devtmpfs provides.
 * devtmpfs is a single instance kept by the kernel, so what stage 1
 * creates here is still there after the switch to the root disk. */
static void
populate_dev (const char *devname_file)
{
  static const char *const fdlinks[][2] = {
    { "/proc/self/fd", "/dev/fd" },
    { "/proc/self/fd/0", "/dev/stdin" },
    { "/proc/self/fd/1", "/dev/stdout" },
    { "/proc/self/fd/2", "/dev/stderr" },
  };

  for (size_t i = 0; i < sizeof fdlinks / sizeof fdlinks[0]; ++i)
    if (symlink (fdlinks[i][0], fdlinks[i][1]) == -1 && errno != EEXIST)
      debug ("symlink %s: %m", fdlinks[i][1]);
  make_static_nodes (devname_file);
}

static bool
read_small_file (const char *path, char *buf, size_t len)
{
  int fd = open (path, O_RDONLY|O_CLOEXEC);
  ssize_t r;

  if (fd == -1)
    return false;
  r = read (fd, buf, len - 1);
  close (fd);
  if (r < 0)
    return false;
  buf[r] = '\0';
  while (r > 0 && (buf[r-1] == '\n' || buf[r-1] == ' '))
    buf[--r] = '\0';
  return true;
}

/* Recreate what udev's rule for virtio-serial does: a symlink
 * /dev/virtio-ports/<port name> -> ../vportNpM for every named port.
 * Returns true once the port the daemon will open exists. */
static bool
link_virtio_ports (const char *wanted)
{
  DIR *dir = opendir ("/sys/class/virtio-ports");
  struct dirent *d;
  bool found = false;

  if (dir == NULL)
    return false;
  mkdir ("/dev/virtio-ports", 0755);
  while ((d = readdir (dir)) != NULL) {
    char path[512], name[256], link[512], target[300];

    if (d->d_name[0] == '.')
      continue;
    snprintf (path, sizeof path, "/sys/class/virtio-ports/%s/name", d->d_name);
    if (!read_small_file (path, name, sizeof name) || name[0] == '\0' ||
        strchr (name, '/') != NULL)
      continue;
    snprintf (link, sizeof link, "/dev/virtio-ports/%s", name);
    snprintf (target, sizeof target, "../%s", d->d_name);
    if (symlink (target, link) == 0)
      debug ("virtio port %s -> /dev/%s", name, d->d_name);
    else if (errno != EEXIST)
      error ("symlink %s: %m", link);
    if (strcmp (name, wanted) == 0)
      found = true;
  }
  closedir (dir);
  return found;
}

static void
setup_virtio_ports (void)
{
  /* guestfs_channel=/dev/... names a device directly (e.g. a serial
   * port); then there is nothing to wait for. */
  const char *p = strstr (cmdline, "guestfs_channel=");
  int waited = 0;

  if (p != NULL && (p == cmdline || isspace ((unsigned char) p[-1]))) {
    link_virtio_ports ("");
    return;
  }
  while (!link_virtio_ports (DEFAULT_CHANNEL)) {
    if (waited >= PORT_WAIT_MS) {
      error ("virtio-serial port %s did not appear after %d ms",
             DEFAULT_CHANNEL, waited);
      return;
    }
    usleep (2000);
    waited += 2;
  }
  if (waited > 0)
    debug ("waited %d ms for the virtio-serial port", waited);
}

static void
bring_up_lo (void)
{
  struct ifreq ifr;
  int s = socket (AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, 0);

  if (s == -1)
    return;
  memset (&ifr, 0, sizeof ifr);
  strcpy (ifr.ifr_name, "lo");
  if (ioctl (s, SIOCGIFFLAGS, &ifr) == 0) {
    ifr.ifr_flags |= IFF_UP;
    if (ioctl (s, SIOCSIFFLAGS, &ifr) == -1)
      debug ("lo up: %m");
  }
  close (s);
}

static bool
any_lvm_pv (void)
{
  DIR *dir = opendir ("/sys/class/block");
  struct dirent *d;
  bool found = false;

  if (dir == NULL)
    return false;
  while (!found && (d = readdir (dir)) != NULL) {
    char path[300], size[32];

    if (d->d_name[0] == '.' ||
        strncmp (d->d_name, "loop", 4) == 0 ||
        strncmp (d->d_name, "ram", 3) == 0 ||
        strncmp (d->d_name, "dm-", 3) == 0 ||
        strncmp (d->d_name, "sr", 2) == 0)
      continue;
    snprintf (path, sizeof path, "/sys/class/block/%s/size", d->d_name);
    if (!read_small_file (path, size, sizeof size) || strcmp (size, "0") == 0)
      continue;
    snprintf (path, sizeof path, "/dev/%s", d->d_name);
    if (has_lvm_label (path)) {
      debug ("LVM2 label on %s", path);
      found = true;
    }
  }
  closedir (dir);
  return found;
}

static int
run (char *const argv[])
{
  pid_t pid = fork ();
  int status;

  if (pid == -1) {
    error ("fork: %m");
    return -1;
  }
  if (pid == 0) {
    execv (argv[0], argv);
    error ("%s: %m", argv[0]);
    _exit (127);
  }
  if (waitpid (pid, &status, 0) == -1)
    return -1;
  return status;
}

static void
activate_lvm (void)
{
  if (!any_lvm_pv ())
    return;
  /* There is no udev: lvm must scan /dev itself, create the device
   * nodes and /dev/VG/LV links itself (DM_DISABLE_UDEV, see
   * set_environment, does the same for libdevmapper) and not wait for
   * udev.  The daemon runs its lvm commands with the same settings. */
  char *argv[] = {
    "/sbin/lvm", "vgchange", "-aay", "--sysinit", "--config",
    "devices { obtain_device_list_from_udev = 0 use_devicesfile = 0 } "
    "activation { udev_sync = 0 udev_rules = 0 monitoring = 0 } "
    "backup { backup = 0 archive = 0 }",
    NULL
  };
  int r = run (argv);
  debug ("lvm vgchange finished, status %d", r);
}

/* Mount points are unmounted deepest first: reading /proc/mounts gives
 * them in mount order, so walk the list backwards. */
static void
unmount_sysroot (void)
{
  char *mps[256];
  int n = 0;
  char line[1024];
  FILE *fp = fopen ("/proc/mounts", "re");

  if (fp == NULL)
    return;
  while (n < 256 && fgets (line, sizeof line, fp) != NULL) {
    char src[512], mp[512];
    if (sscanf (line, "%511s %511s", src, mp) != 2)
      continue;
    if (strncmp (mp, "/sysroot", 8) == 0 && (mp[8] == '\0' || mp[8] == '/'))
      mps[n++] = strdup (mp);
  }
  fclose (fp);
  while (n > 0) {
    char *mp = mps[--n];
    if (mp == NULL)
      continue;
    if (umount2 (mp, 0) == -1) {
      error ("umount %s: %m", mp);
      umount2 (mp, MNT_DETACH);
    }
    free (mp);
  }
}

static void __attribute__((noreturn))
power_off (void)
{
  /* Any process still alive belongs to the daemon's session and would
   * keep filesystems busy. */
  kill (-1, SIGKILL);
  while (waitpid (-1, NULL, 0) > 0 || errno == EINTR)
    ;
  unmount_sysroot ();
  sync ();
  debug ("powering off");
  /* Without ACPI the kernel cannot power off and RB_POWER_OFF would just
   * halt the CPU, leaving qemu running; a reboot ends qemu too since the
   * library starts it with -no-reboot. */
  if (access ("/sys/firmware/acpi", F_OK) == 0)
    reboot (RB_POWER_OFF);
  reboot (RB_AUTOBOOT);
  for (;;)
    pause ();
}

static void
set_environment (void)
{
  clearenv ();
  setenv ("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
  setenv ("HOME", "/root", 1);
  setenv ("TERM", "linux", 1);
  setenv ("LC_ALL", "C", 1);
  /* No udev in the appliance: libdevmapper must create device nodes
   * itself and never wait for udev cookies, for every lvm/dmsetup/
   * cryptsetup the daemon runs later too. */
  setenv ("DM_DISABLE_UDEV", "1", 1);
  /* lvm warns about every inherited descriptor; the daemon's sockets
   * would make every lvm call noisy. */
  setenv ("LVM_SUPPRESS_FD_WARNINGS", "1", 1);
}

/* ---------------------------------------------------------------------
 * Stage 1: the same binary also serves as /init of the appliance's own
 * minimal initrd.  That initrd holds only the handful of modules needed
 * to reach the root disk and the daemon channel (listed in /modules,
 * dependencies first), which is much cheaper under emulation than
 * supermin's generic initrd that loads every virtio, SCSI, ATA and NVDIMM
 * driver it can find.  The library builds it (libcore/appliance/initrd.c).
 */

/* Which virtio device types (virtio spec device IDs: 2 block, 3 console,
 * 8 SCSI) are present on the PCI bus.  PCI enumeration is built into the
 * kernel, so this is known before any virtio module is loaded, and lets
 * one initrd serve both disk interfaces without paying for the unused
 * driver stack. */
static bool virtio_present[64];
static bool virtio_any;

static unsigned
read_hex_file (const char *dir, const char *name)
{
  char path[512], buf[32];

  snprintf (path, sizeof path, "%s/%s", dir, name);
  if (!read_small_file (path, buf, sizeof buf))
    return 0;
  return (unsigned) strtoul (buf, NULL, 16);
}

static void
scan_virtio_pci (void)
{
  DIR *dir = opendir ("/sys/bus/pci/devices");
  struct dirent *d;

  if (dir == NULL)
    return;
  while ((d = readdir (dir)) != NULL) {
    char path[300];
    unsigned dev, id;

    if (d->d_name[0] == '.')
      continue;
    snprintf (path, sizeof path, "/sys/bus/pci/devices/%s", d->d_name);
    if (read_hex_file (path, "vendor") != 0x1af4)
      continue;
    dev = read_hex_file (path, "device");
    /* Modern devices encode the type in the device ID, transitional
     * ones in the subsystem device ID. */
    if (dev >= 0x1040 && dev <= 0x107f)
      id = dev - 0x1040;
    else if (dev >= 0x1000 && dev <= 0x103f)
      id = read_hex_file (path, "subsystem_device");
    else
      continue;
    if (id < 64) {
      virtio_present[id] = true;
      virtio_any = true;
    }
  }
  closedir (dir);
}

/* tags is "*" or a comma list of virtio device IDs. */
static bool
module_wanted (const char *tags)
{
  if (strcmp (tags, "*") == 0 || !virtio_any)
    return true;
  for (const char *p = tags; *p; ) {
    unsigned id = (unsigned) strtoul (p, (char **) &p, 10);
    if (id < 64 && virtio_present[id])
      return true;
    if (*p != ',')
      break;
    p++;
  }
  return false;
}

static void
load_module (const char *file)
{
  int fd = open (file, O_RDONLY|O_CLOEXEC);

  if (fd == -1) {
    error ("%s: %m", file);
    return;
  }
  if (syscall (SYS_finit_module, fd, "", 0) == -1 && errno != EEXIST)
    error ("finit_module %s: %m", file);
  else
    debug ("loaded %s", file);
  close (fd);
}

/* /modules lists "TAGS PATH" lines, dependencies first. */
static void
load_modules (void)
{
  char line[256];
  FILE *fp = fopen ("/modules", "re");

  if (fp == NULL)
    return;
  scan_virtio_pci ();
  while (fgets (line, sizeof line, fp) != NULL) {
    char tags[64], file[192];

    if (sscanf (line, "%63s %191s", tags, file) != 2 || tags[0] == '#')
      continue;
    if (module_wanted (tags))
      load_module (file);
  }
  fclose (fp);
}

/* The appliance disk is named on the kernel command line either as
 * root=/dev/NAME or as root=serial:SERIAL, the serial number qemu gives
 * the disk.  The serial form is what the library uses: disk names are
 * only predictable for virtio-blk, while the SCSI disk driver probes
 * disks asynchronously, so /dev/sda is not necessarily the first target.
 * Disks behind virtio-scsi also appear only after an asynchronous bus
 * scan, hence the wait. */
#define ROOT_WAIT_MS 20000

/* The serial of disk NAME: virtio-blk has it in sysfs as text, SCSI in
 * the raw VPD page 0x80 (4-byte header, then the serial, space-padded). */
static bool
disk_serial (const char *name, char *buf, size_t len)
{
  char path[300];
  unsigned char vpd[256];
  int fd;
  ssize_t r;

  snprintf (path, sizeof path, "/sys/block/%s/serial", name);
  if (read_small_file (path, buf, len))
    return true;
  snprintf (path, sizeof path, "/sys/block/%s/device/vpd_pg80", name);
  fd = open (path, O_RDONLY|O_CLOEXEC);
  if (fd == -1)
    return false;
  r = read (fd, vpd, sizeof vpd);
  close (fd);
  if (r < 4 || vpd[1] != 0x80)
    return false;
  size_t n = ((size_t) vpd[2] << 8 | vpd[3]);
  if (n > (size_t) r - 4)
    n = r - 4;
  if (n >= len)
    n = len - 1;
  memcpy (buf, vpd + 4, n);
  buf[n] = '\0';
  while (n > 0 && buf[n-1] == ' ')
    buf[--n] = '\0';
  return true;
}

static bool
find_disk_by_serial (const char *serial, char *dev, size_t len)
{
  DIR *dir = opendir ("/sys/block");
  struct dirent *d;
  bool found = false;

  if (dir == NULL)
    return false;
  while (!found && (d = readdir (dir)) != NULL) {
    char s[128];
    if (d->d_name[0] != '.' && disk_serial (d->d_name, s, sizeof s) &&
        strcmp (s, serial) == 0) {
      snprintf (dev, len, "/dev/%s", d->d_name);
      found = true;
    }
  }
  closedir (dir);
  return found;
}

static void __attribute__((noreturn))
stage1_fail (const char *what)
{
  error ("%s: %m", what);
  error ("cannot mount the appliance root, powering off");
  sync ();
  if (access ("/sys/firmware/acpi", F_OK) == 0)
    reboot (RB_POWER_OFF);
  reboot (RB_AUTOBOOT);
  for (;;)
    pause ();
}

static void
stage1 (void)
{
  char spec[64] = "", root[300] = "";
  const char *p;
  int waited = 0;

  do_mount ("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
  do_mount ("sysfs", "/sys", "sysfs", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL);
  /* From the initrd's copy of modules.devname: reading it from the root
   * disk in stage 2 costs several ms under emulation. */
  populate_dev ("/modules.devname");
  debug ("stage 1 (started at %ld.%06ld), cmdline: %s",
         (long) start_time.tv_sec, start_time.tv_nsec / 1000, cmdline);

  load_modules ();
  debug ("modules loaded");

  p = strstr (cmdline, "root=");
  while (p != NULL && p != cmdline && !isspace ((unsigned char) p[-1]))
    p = strstr (p + 1, "root=");
  if (p != NULL)
    sscanf (p + 5, "%63s", spec);
  if (strncmp (spec, "/dev/", 5) != 0 && strncmp (spec, "serial:", 7) != 0) {
    errno = EINVAL;
    stage1_fail ("no root=/dev/NAME or root=serial:SERIAL on the kernel "
                 "command line");
  }
  for (;;) {
    if (spec[0] == '/') {
      if (access (spec, F_OK) == 0) {
        snprintf (root, sizeof root, "%s", spec);
        break;
      }
    }
    else if (find_disk_by_serial (spec + 7, root, sizeof root))
      break;
    if (waited >= ROOT_WAIT_MS) {
      errno = ENOENT;
      stage1_fail (spec);
    }
    usleep (1000);
    waited += 1;
  }
  debug ("root %s is %s, after waiting %d ms", spec, root, waited);

  mkdir ("/root", 0755);
  /* The ext4 driver also serves ext2; the disk is a throw-away qemu
   * snapshot so it is mounted read-write and nothing needs fsck. */
  if (mount (root, "/root", "ext4", MS_NOATIME, NULL) == -1) {
    int saved = errno;
    if (mount (root, "/root", "ext2", MS_NOATIME, NULL) == -1) {
      errno = saved;
      stage1_fail (root);
    }
  }
  debug ("mounted %s", root);

  /* Stage 2 mounts its own /proc, /sys and /dev. */
  umount2 ("/sys", MNT_DETACH);
  umount2 ("/dev", MNT_DETACH);
  umount2 ("/proc", MNT_DETACH);

  /* Classic switch_root: make the new root "/" by moving it over the
   * initramfs.  The initramfs files (a few MiB) are left in memory:
   * deleting them costs boot time and the memory is not needed. */
  if (chdir ("/root") == -1)
    stage1_fail ("chdir /root");
  if (mount (".", "/", NULL, MS_MOVE, NULL) == -1)
    stage1_fail ("move root");
  if (chroot (".") == -1 || chdir ("/") == -1)
    stage1_fail ("chroot");
  /* Stage 2 continues in this process: exec'ing the appliance root's
   * copy of this program would only re-read it from the emulated disk. */
}

static bool
running_from_initramfs (void)
{
  struct statfs sf;

  if (statfs ("/", &sf) == -1)
    return false;
  return sf.f_type == RAMFS_MAGIC || sf.f_type == TMPFS_MAGIC;
}

int
main (void)
{
  pid_t daemon_pid;
  int status;
  bool from_initrd;

  clock_gettime (CLOCK_BOOTTIME, &start_time);

  /* Should not happen, but if the kernel could not give us a console,
   * stdout/stderr would point nowhere. */
  if (fcntl (STDERR_FILENO, F_GETFD) == -1) {
    int fd = open ("/dev/console", O_RDWR|O_NOCTTY);
    if (fd >= 0) {
      dup2 (fd, 0); dup2 (fd, 1); dup2 (fd, 2);
      if (fd > 2) close (fd);
    }
  }

  umask (0022);
  do_mount ("proc", "/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL);
  read_cmdline ();
  verbose = cmdline_has ("guestfs_verbose=1");
  from_initrd = getpid () == 1 && running_from_initramfs ();
  if (from_initrd) {
    stage1 ();
    do_mount ("proc", "/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL);
    debug ("stage 2, on the appliance root");
  }
  else
    debug ("stage 2 (started at %ld.%06ld), cmdline: %s",
           (long) start_time.tv_sec, start_time.tv_nsec / 1000, cmdline);

  do_mount ("sysfs", "/sys", "sysfs", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL);
  do_mount ("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
  do_mount ("devpts", "/dev/pts", "devpts", MS_NOSUID|MS_NOEXEC,
            "gid=5,mode=620,ptmxmode=666");
  do_mount ("shm", "/dev/shm", "tmpfs", MS_NOSUID|MS_NODEV, "mode=1777");
  do_mount ("run", "/run", "tmpfs", MS_NOSUID|MS_NODEV, "mode=0755");
  /* The root disk is a throw-away qemu snapshot, so /tmp could live there,
   * but tmpfs avoids writing to the emulated disk. */
  do_mount ("tmp", "/tmp", "tmpfs", MS_NOSUID|MS_NODEV, "mode=1777");
  debug ("filesystems mounted");

  if (!from_initrd) {
    struct utsname u;
    char path[300];
    if (uname (&u) == 0) {
      snprintf (path, sizeof path, "/lib/modules/%s/modules.devname",
                u.release);
      populate_dev (path);
    }
  }
  mkdir ("/sysroot", 0755);
  if (sethostname ("guestfs", 7) == -1)
    debug ("sethostname: %m");
  /* Bringing lo up costs ~15 ms under emulation (IPv6 address setup);
   * only the network option needs it. */
  if (cmdline_has ("guestfs_network=1"))
    bring_up_lo ();
  set_environment ();

  setup_virtio_ports ();
  debug ("virtio ports ready");

  activate_lvm ();
  debug ("block devices ready");

  daemon_pid = fork ();
  if (daemon_pid == -1) {
    error ("fork: %m");
    power_off ();
  }
  if (daemon_pid == 0) {
    char *argv[] = { DAEMON_PATH, NULL };
    /* The daemon gets a fresh session so that kill(-1) at shutdown and
     * job control in its children behave as on a normal system. */
    setsid ();
    execv (argv[0], argv);
    error ("cannot run %s: %m", DAEMON_PATH);
    _exit (127);
  }
  debug ("started %s, pid %d", DAEMON_PATH, (int) daemon_pid);

  /* Reap everything; only the daemon's exit matters. */
  for (;;) {
    pid_t pid = wait (&status);
    if (pid == -1) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (pid == daemon_pid) {
      if (WIFEXITED (status))
        debug ("%s exited with status %d", DAEMON_PATH, WEXITSTATUS (status));
      else if (WIFSIGNALED (status))
        error ("%s killed by signal %d", DAEMON_PATH, WTERMSIG (status));
      break;
    }
  }
  power_off ();
}
