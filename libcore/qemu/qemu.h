/* The qemu command line, the accelerator probe and starting qemu.
 *
 * This module does not depend on the library handle: errors go into a
 * caller-supplied buffer.
 */

#ifndef GUESTFS_QEMU_H
#define GUESTFS_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The qemu binary: $LIBGUESTFS_QEMU if set, else the built-in default. */
const char *qemu_default_binary (void);

enum qemu_disk_interface {
  /* virtio-blk (the default): the guest sees /dev/vda, /dev/vdb, ... in
   * drive order (PCI slot order, probed synchronously), the appliance
   * disk last.  One PCI slot per drive: QEMU_MAX_DRIVES_BLK drives. */
  QEMU_IFACE_VIRTIO_BLK = 0,
  /* virtio-scsi: /dev/sd*, one SCSI target per drive, up to 255 drives.
   * The kernel's SCSI disk driver probes asynchronously, so sdX names
   * do NOT follow the drive order: the daemon would have to map drives
   * by SCSI target (/sys/block/sdX/device is H:C:T:L) or serial.  Boots
   * about 0.1 s slower under TCG (more modules to load). */
  QEMU_IFACE_VIRTIO_SCSI = 1,
};

struct qemu_drive {
  const char *path;       /* image file or host block device */
  const char *format;     /* "raw", "qcow2", ...; NULL lets qemu probe,
                           * which is unsafe for untrusted raw images */
  int readonly;           /* guest cannot write (readonly=on) */
  int snapshot;           /* guest writes go to a temporary overlay that
                           * qemu discards at exit (snapshot=on, in
                           * $TMPDIR): for read-only use of images that
                           * must still be mountable (journal replay), or
                           * for a scratch disk (a sparse file the caller
                           * makes with truncate) */
  const char *cachemode;  /* "writeback" (default if NULL), "unsafe",
                           * "none", ... */
  const char *discard;    /* NULL, "ignore" or "unmap" */
  const char *serial;     /* NULL: "d<index>", visible in the guest in
                           * /sys/block/<dev>/device/vpd_pg80 (SCSI) or
                           * /sys/block/<dev>/serial (virtio-blk) */
  int blocksize;          /* 0, or the sector size the guest sees (512,
                           * 4096) */
  const char *backing;    /* NULL, or options naming the backing chain
                           * (",backing.driver=...,backing.file..."),
                           * appended to the -drive options */
  int fdset;              /* > 0: qemu opens /dev/fdset/FDSET (see
                           * qemu_config.add_fds), not path, which is
                           * then only looked at (block device or not) */
  int copyonread;         /* copy data read from a backing file into the
                           * image (copy-on-read=on) */
  const char *file_opts;  /* NULL: path is a local file or device;
                           * else the protocol layer's options, such as
                           * "file.driver=nbd,file.server.type=unix,..."
                           * (path is then ignored) */
  const char *object;     /* NULL, or an -object the drive refers to
                           * (a secret holding a password) */
};

/* -add-fd: the passed descriptor fd (qemu's number) joins fdset set. */
struct qemu_add_fd {
  int fd;
  int set;
};

struct qemu_config {
  const char *qemu;             /* binary or LIBGUESTFS_QEMU wrapper */
  const char *accel;            /* "kvm" or "tcg" */
  const char *cpu;              /* NULL: "host" with kvm, "qemu64,+rdrand"
                                 * with tcg */
  int memsize_mb;               /* 0: QEMU_DEFAULT_MEMSIZE */
  int smp;                      /* 0: 1 */
  int network;                  /* a virtio-net card on qemu's user-mode
                                 * network (outgoing connections only) */
  enum qemu_disk_interface iface;
  const char *kernel;           /* appliance files, see appliance.h */
  const char *initrd;
  const char *root;             /* NULL for an initrd-only appliance */
  int root_fdset;               /* > 0: as qemu_drive.fdset */
  /* Unix socket the library is already listening on; qemu connects to
   * it as a client at startup and exits if it cannot.  Or, if
   * channel_socket is NULL, channel_fd: qemu's number of a connected
   * socket. */
  const char *channel_socket;
  int channel_fd;
  /* Extra channels (QEMU_EXTRA_CHANNEL_PREFIX 1, 2...): qemu's numbers
   * channel_fd + 1 ... + nextra_channels of connected sockets.  Only
   * with channel_fd. */
  int nextra_channels;
  const struct qemu_add_fd *add_fds;
  size_t nadd_fds;
  const struct qemu_drive *drives;
  size_t ndrives;
  const char *append;           /* extra kernel arguments (user's), or NULL */
  /* The program's own qemu options (guestfs_config): nextra_params
   * pairs of an option and its value (NULL: none).  Added last. */
  char *const *extra_params;
  size_t nextra_params;
  /* Firmware (-bios).  NULL: under TCG, qboot when the host has it
   * (QEMU_QBOOT_PATH), it reaches the kernel ~0.1 s sooner than SeaBIOS;
   * otherwise qemu's default.  "": always qemu's default. */
  const char *firmware;
  int verbose;                  /* guestfs_verbose=1, and kernel messages */
  /* The appliance disk's format (NULL: raw), the options naming its
   * backing file (as qemu_drive.backing), and whether the guest writes
   * to it directly instead of to a throw-away overlay (the saved
   * appliance keeps the guest's writes with its saved state). */
  const char *root_format;
  const char *root_backing;
  int root_writable;
  /* Arguments appended at the end, NULL-terminated, or NULL. */
  char *const *extra_args;
};

#define QEMU_DEFAULT_MEMSIZE 1024
#define QEMU_QBOOT_PATH "/usr/share/qemu/qboot.rom"
#define QEMU_MAX_DRIVES_SCSI 255
#define QEMU_MAX_DRIVES_BLK 24

/* The port name the daemon opens in the guest. */
#define QEMU_CHANNEL_NAME "org.libguestfs.channel.0"
/* Extra channels, for requests that may overlap (the daemon serves each
 * in a thread): this prefix and 1, 2, ... */
#define QEMU_EXTRA_CHANNEL_PREFIX "org.libguestfs.channel."
#define QEMU_MAX_EXTRA_CHANNELS 8

/* Builds qemu's argv (argv[0] = cfg->qemu), NULL-terminated and
 * heap-allocated: free with qemu_free_argv.  The serial console is
 * qemu's stdout; qemu_spawn points it at the caller's fd.  Returns NULL
 * with a message in err on error. */
char **qemu_build_argv (const struct qemu_config *cfg, char *err, size_t errlen);
void qemu_free_argv (char **argv);

/* The -drive option string (if=none,id=ID) of drive d, as
 * qemu_build_argv writes it; also what HMP drive_add takes to hot-add
 * it.  Heap-allocated, NULL if out of memory. */
char *qemu_drive_opts (const char *id, const struct qemu_drive *d);

/* The kernel command line qemu_build_argv uses (heap-allocated). */
char *qemu_kernel_cmdline (const struct qemu_config *cfg);

/* Guest device name of drive index i: "vda", "vdb", ..., "vdaa" for
 * virtio-blk; for virtio-scsi the name the drive would get if the disks
 * were probed in order (see above).  buf needs 8 bytes. */
void qemu_drive_name (enum qemu_disk_interface iface, size_t i,
                      char *buf, size_t len);

/* Descriptors handed to qemu are numbered from here (0-2 are stdio, 3
 * is qemu_spawn's error pipe). */
#define QEMU_FIRST_PASSED_FD 4
#define QEMU_MAX_PASSED_FDS 128

struct qemu_spawn_opts {
  int console_fd;          /* qemu's stdout and stderr; -1: /dev/null */
  const int *pass_fds;     /* pass_fds[i] becomes qemu's fd
                            * QEMU_FIRST_PASSED_FD + i */
  size_t npass;
  bool drop_privileges;    /* run as uid/gid with only these groups */
  uid_t uid;
  gid_t gid;
  const gid_t *groups;
  size_t ngroups;
  char *const *envp;       /* qemu's environment; NULL: the caller's */
};

/* s with every comma doubled, as qemu option values need (heap). */
char *qemu_escape_commas (const char *s);

/* The protocol options of a local image or block device:
 * "file.driver=file,file.filename=PATH" ("host_device" for a block
 * device), the comma-escaped path.  Heap-allocated; NULL if out of
 * memory. */
char *qemu_local_file_opts (const char *path);

/* Starts qemu.  stdin is /dev/null, and 0-2 are always open whatever
 * the caller's were; everything else is closed but the passed fds.
 * qemu gets PR_SET_PDEATHSIG(SIGKILL) from a thread that lives as long
 * as the process, so that it dies with the process, even SIGKILLed,
 * whichever thread called qemu_spawn.  argv[0] may be a wrapper script
 * as long as it execs qemu (the pid then stays the same).  qemu is put
 * in its own process group so that a terminal's ^C does not reach it.
 * Returns 0 and the pid, or -1 with err set (also when argv[0] cannot
 * be executed). */
int qemu_spawn (char *const argv[], const struct qemu_spawn_opts *opts,
                pid_t *pid_out, char *err, size_t errlen);

enum qemu_accel_choice {
  QEMU_ACCEL_TCG = 0,
  QEMU_ACCEL_KVM = 1,
};

#define QEMU_ACCEL_FORCE_TCG 1   /* flags for qemu_choose_accel */
#define QEMU_ACCEL_FORCE_KVM 2

/* Decides between KVM and TCG.  KVM is chosen only when /dev/kvm can be
 * opened, answers KVM_GET_API_VERSION, and a throw-away qemu -accel kvm
 * with the CPU model we would use actually executes guest code (a tiny
 * firmware that writes to an isa-debug-exit port) within timeout_ms
 * (0: 5000).  The probe's verdict is remembered in cachedir (if not
 * NULL) under a key made of the host name, kernel release and build, CPU
 * model, the qemu binary's identity and /dev/kvm's creation time (new at
 * each host boot or kvm module load), so later launches do not repeat
 * it.  Deleting cachedir/accel-* forces a new probe.
 * Forcing flags skip the probe.  Writes a one-line human-readable reason
 * to reason. */
enum qemu_accel_choice qemu_choose_accel (const char *qemu,
                                          const char *cachedir,
                                          unsigned flags, int timeout_ms,
                                          char *reason, size_t reasonlen);

/* Reads LIBGUESTFS_BACKEND_SETTINGS-style strings ("force_tcg",
 * "force_kvm", colon-separated) into QEMU_ACCEL_FORCE_* flags. */
unsigned qemu_accel_flags_from_settings (const char *settings);

#endif /* GUESTFS_QEMU_H */
