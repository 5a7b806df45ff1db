/* Launch from a saved appliance (on unless the "saved_appliance"
 * backend setting is 0).
 *
 * The first launch boots the appliance with no guest drives, waits for
 * the daemon, and saves the whole VM with QMP "migrate" to a file in the
 * appliance's cache slot.  Later launches start qemu with the same
 * machine plus -incoming, hot-plug the caller's drives into PCIe root
 * ports created empty at boot, resume the guest, and ask the daemon to
 * rescan (internal_rescan_drives), which names the drives /dev/vda,
 * /dev/vdb, ... in drive order as a cold boot does.
 *
 * What the saved state is made of:
 *   - the guest's memory and devices, saved after the daemon sent its
 *     launch flag and before it received any request: no user data;
 *   - the appliance disk as the guest left it: a qcow2 overlay over the
 *     appliance's root, written by the saving qemu and then only read
 *     (each restore puts a throw-away overlay on top, snapshot=on), so
 *     what the guest's page cache believes is on the disk stays true.
 * The files in the slot, and how concurrent launches share them, are
 * saved-slot.c's.
 *
 * qemu is confined as for a cold boot (-sandbox, and the guestfs-qemu
 * user under root) and opens no file itself: the library passes the
 * overlay and the appliance's root as fdsets, the saved state as a
 * descriptor (QMP "migrate" to fd:N when saving, -incoming fd:N when
 * restoring), and the caller's drives and their backing files over the
 * monitor (QMP "add-fd" with SCM_RIGHTS) before hot-plugging them from
 * /dev/fdset/N.  The monitor is one end of a socket pair.
 *
 * The key is everything that changes the guest: the appliance files,
 * the qemu binary and firmware, the whole qemu command line (machine,
 * memory, vCPUs, network, accelerator, CPU model) and the kernel command
 * line (appliance disk, user's append, verbose).  A custom qemu (set_hv,
 * LIBGUESTFS_QEMU) is never used: its identity is not known.  Any failure falls
 * back to a cold boot.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "guestfs-internal.h"
#include "backend-qemu.h"
#include "internal-actions.h"
#include "fileutil.h"
#include "qmp.h"
#include "saved-slot.h"
#include "util.h"

/* Empty PCIe root ports for hot-plugged drives: the most drives a
 * launch from the saved appliance takes. */
#define SAVED_MAX_DRIVES 8
#define QMP_TIMEOUT_MS 30000
#define KEY_VERSION "saved-appliance 4"
/* The fdsets of the appliance disk (the overlay, and the appliance's
 * root as its backing file), clear of those of the hot-added drives
 * (drive i is fdset i + 1, backing files follow). */
#define OVERLAY_FDSET 1000
#define ROOT_FDSET 1001

/* The directory the saved states are kept in: the appliance's own (its
 * cache slot), or NULL. */
static char *
slot_dir (guestfs_h *g, const struct appliance_files *ap)
{
  char *dir = safe_strdup (g, ap->kernel);
  char *slash = strrchr (dir, '/');
  if (slash == NULL) {
    free (dir);
    return NULL;
  }
  *slash = '\0';
  return dir;
}

/* Why the saved appliance cannot be used for this launch, or NULL. */
static const char *
not_applicable (guestfs_h *g, const struct appliance_files *ap,
                const char *qemu)
{
  if (g->qemu || strcmp (qemu, "qemu-system-x86_64") != 0)
    return "a custom qemu is set";
  if (ap->root == NULL)
    return "the appliance has no root disk";
  CLEANUP_FREE char *dir = slot_dir (g, ap);
  if (dir == NULL || access (dir, W_OK) != 0)
    return "the appliance's directory is not writable";
  if (g->nr_hv_params > 0)
    return "qemu options are set with config";
  if (g->nr_drives > SAVED_MAX_DRIVES)
    return "more drives than the saved appliance has slots for";
  for (size_t i = 0; i < g->nr_drives; ++i) {
    if (g->drives[i].format && strcmp (g->drives[i].format, "auto") == 0)
      return "a drive's format is to be probed";
    if (g->drives[i].remote_opts)
      return "a drive is remote";
  }
  return NULL;
}

/* The configuration both the saving and the restoring qemu use: only
 * the appliance disk's mode and -incoming differ.  qmp_fd: qemu's
 * number of its end of the monitor's socket pair. */
static char **
machine_args (int qmp_fd)
{
  size_t n = 0;
  char **v = calloc (4 + 2 * SAVED_MAX_DRIVES, sizeof *v);
  if (v == NULL)
    return NULL;
  /* Native PCIe hot-plug on the root ports (not ACPI); the guest's port
   * services are off (pcie_ports=compat), so a hot-plugged drive raises
   * nothing in the guest until the daemon rescans. */
  v[n++] = strdup ("-global");
  v[n++] = strdup ("ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off");
  for (int i = 0; i < SAVED_MAX_DRIVES; ++i) {
    v[n++] = strdup ("-device");
    if (asprintf (&v[n++], "pcie-root-port,id=rp%d,chassis=%d", i, i + 1) == -1)
      v[n - 1] = NULL;
  }
  for (size_t i = 0; i < n; ++i)
    if (v[i] == NULL) {
      qemu_free_argv (v);
      return NULL;
    }
  return guestfs_int_qemu_monitor_args (v, qmp_fd);
}

static char **
append_args (char **v, const char *a, const char *b)
{
  size_t n = 0;
  while (v[n])
    ++n;
  char **nv = realloc (v, (n + 3) * sizeof *nv);
  if (nv == NULL)
    return v;
  nv[n] = strdup (a);
  nv[n + 1] = strdup (b);
  nv[n + 2] = NULL;
  return nv;
}

/* The appliance disk: the overlay in the slot over the appliance's
 * root, both passed as fdsets. */
#define STRINGIFY(x) #x
#define XSTRINGIFY(x) STRINGIFY (x)
#define ROOT_BACKING                                                           \
  ",backing.driver=raw,backing.file.driver=file,"                              \
  "backing.file.filename=/dev/fdset/" XSTRINGIFY (ROOT_FDSET)

static void
init_config (guestfs_h *g, struct qemu_config *cfg, const char *qemu,
             const char *accel, const char *overlay, char *append)
{
  memset (cfg, 0, sizeof *cfg);
  cfg->qemu = qemu;
  cfg->accel = accel;
  cfg->memsize_mb = g->memsize;
  cfg->smp = g->smp;
  cfg->network = g->network;
  cfg->iface = QEMU_IFACE_VIRTIO_SCSI; /* for the appliance disk only */
  cfg->root = overlay;
  cfg->root_fdset = OVERLAY_FDSET;
  cfg->root_format = "qcow2";
  cfg->root_backing = ROOT_BACKING;
  cfg->append = append;
  cfg->verbose = g->verbose;
}

static char *
saved_append (guestfs_h *g)
{
  return safe_asprintf (g, "pcie_ports=compat%s%s", g->append ? " " : "",
                        g->append ? g->append : "");
}

static void
describe_file (FILE *fp, const char *tag, const char *path)
{
  struct stat st;
  if (stat (path, &st) == 0)
    fprintf (fp, "%s %s %jd %jd %jd.%09ld\n", tag, path, (intmax_t)st.st_ino,
             (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec,
             st.st_mtim.tv_nsec);
  else
    fprintf (fp, "%s %s missing\n", tag, path);
}

/* The qemu command line of the saved configuration, without what
 * differs between launches (the descriptors' numbers), for the key:
 * whatever the library changes in the machine changes the key. */
static void
describe_machine (FILE *fp, guestfs_h *g, const char *qemu, const char *accel,
                  char *append)
{
  struct qemu_config cfg;
  init_config (g, &cfg, qemu, accel, "overlay", append);
  cfg.kernel = "kernel";
  cfg.initrd = "initrd";
  cfg.channel_fd = QEMU_FIRST_PASSED_FD;
  cfg.nextra_channels = EXTRA_CHANNELS;
  char **extra = machine_args (QEMU_FIRST_PASSED_FD);
  cfg.extra_args = extra;
  char err[256];
  char **argv = extra ? qemu_build_argv (&cfg, err, sizeof err) : NULL;
  fprintf (fp, "argv");
  for (size_t i = 0; argv && argv[i]; ++i)
    fprintf (fp, " %s", argv[i]);
  fputc ('\n', fp);
  /* The firmware is in the saved memory: a new one is a new guest. */
  for (size_t i = 0; argv && argv[i] && argv[i + 1]; ++i)
    if (strcmp (argv[i], "-bios") == 0)
      describe_file (fp, "firmware", argv[i + 1]);
  qemu_free_argv (argv);
  qemu_free_argv (extra);
}

/* The key: everything that changes the guest. */
static char *
key_text (guestfs_h *g, const struct appliance_files *ap, const char *qemu,
          const char *accel)
{
  char *text = NULL;
  size_t len = 0;
  FILE *fp = open_memstream (&text, &len);
  if (fp == NULL)
    return NULL;
  CLEANUP_FREE char *append = saved_append (g);
  struct qemu_config cfg;
  init_config (g, &cfg, qemu, accel, "-", append);
  CLEANUP_FREE char *cmdline = qemu_kernel_cmdline (&cfg);
  CLEANUP_FREE char *qemu_path = find_program (qemu);
  fprintf (fp,
           "%s\nmachine q35\naccel %s\nmemsize %d\nsmp %d\nnetwork %d\n"
           "slots %d\ncmdline %s\n",
           KEY_VERSION, accel, g->memsize, g->smp > 0 ? g->smp : 1,
           g->network ? 1 : 0, SAVED_MAX_DRIVES, cmdline ? cmdline : "");
  describe_machine (fp, g, qemu, accel, append);
  describe_file (fp, "qemu", qemu_path ? qemu_path : qemu);
  describe_file (fp, "kernel", ap->kernel);
  describe_file (fp, "initrd", ap->initrd);
  describe_file (fp, "root", ap->root);
  if (fclose (fp) != 0) {
    free (text);
    return NULL;
  }
  return text;
}

/* The slot of this configuration: the key, in the appliance's cache
 * directory. */
static int
open_slot (guestfs_h *g, const struct appliance_files *ap, const char *qemu,
           const char *accel, struct saved_slot *slot)
{
  memset (slot, 0, sizeof *slot);
  char *text = key_text (g, ap, qemu, accel);
  CLEANUP_FREE char *dir = slot_dir (g, ap);
  if (text == NULL || dir == NULL) {
    free (text);
    return -1;
  }
  return saved_slot_init (slot, dir, text);
}

/* Runs argv to completion (qemu-img), its output in the console log. */
static int
run_tool (guestfs_h *g, char **argv)
{
  char err[512];
  pid_t pid;
  struct qemu_spawn_opts o = {.console_fd = -1};
  if (qemu_spawn (argv, &o, &pid, err, sizeof err) == -1) {
    debug (g, "saved appliance: %s", err);
    return -1;
  }
  int status;
  while (waitpid (pid, &status, 0) == -1 && errno == EINTR)
    ;
  return WIFEXITED (status) && WEXITSTATUS (status) == 0 ? 0 : -1;
}

/* Polls QMP command until its answer holds want (or fail). */
static int
qmp_wait_for (guestfs_h *g, struct qmp *m, const char *command,
              const char *want, const char *fail)
{
  char err[1024];
  struct timespec started;
  clock_gettime (CLOCK_MONOTONIC, &started);
  for (;;) {
    CLEANUP_FREE char *reply = NULL;
    if (qmp_execute (m, command, QMP_TIMEOUT_MS, &reply, err, sizeof err) ==
        -1) {
      debug (g, "saved appliance: %s", err);
      return -1;
    }
    if (strstr (reply, want))
      return 0;
    if (fail && strstr (reply, fail)) {
      debug (g, "saved appliance: %s: %s", command, reply);
      return -1;
    }
    if (guestfs_int_ms_since (&started) > QMP_TIMEOUT_MS) {
      debug (g, "saved appliance: %s: still %s", command, reply);
      return -1;
    }
    struct timespec t = {0, 5000000};
    nanosleep (&t, NULL);
  }
}

static int
qmp_run (guestfs_h *g, struct qmp *m, const char *command)
{
  char err[1024];
  if (qmp_execute (m, command, QMP_TIMEOUT_MS, NULL, err, sizeof err) == -1) {
    debug (g, "saved appliance: %s", err);
    return -1;
  }
  return 0;
}

/* One qemu of the saved configuration: started, channel and monitor
 * connected. */
struct saved_qemu {
  struct qemu_data q;
};

/* Starts qemu on the overlay; with restore, its state read from
 * state. */
static int
start_saved_qemu (guestfs_h *g, struct saved_qemu *s,
                  const struct appliance_files *ap, const char *qemu,
                  const char *accel, bool restore, const char *overlay,
                  const char *state)
{
  struct qemu_start st;
  int r = -1;
  char **extra = NULL;
  CLEANUP_FREE char *incoming = NULL, *append = NULL;
  if (guestfs_int_qemu_start_begin (g, &st, ap, accel) == -1)
    goto out;
  int qmp_fd = guestfs_int_qemu_monitor_pass (g, &s->q, &st.p);
  int state_fd =
      restore ? guestfs_int_qemu_pass_file (g, &st.p, state, O_RDONLY) : 0;
  if (qmp_fd == -1 || state_fd == -1 ||
      guestfs_int_qemu_pass_fdset (g, &st.p, overlay, restore, OVERLAY_FDSET) ==
          -1 ||
      guestfs_int_qemu_pass_fdset (g, &st.p, ap->root, true, ROOT_FDSET) == -1)
    goto out;
  extra = machine_args (qmp_fd);
  incoming = safe_asprintf (g, "fd:%d", state_fd);
  if (extra && restore)
    extra = append_args (extra, "-incoming", incoming);
  if (extra == NULL)
    goto out;
  append = saved_append (g);
  struct qemu_config cfg;
  init_config (g, &cfg, qemu, accel, overlay, append);
  cfg.root_writable = !restore;
  cfg.extra_args = extra;
  if (guestfs_int_qemu_start_spawn (g, &s->q, &st, &cfg) == -1)
    goto out;
  char err[1024];
  if (qmp_handshake (&s->q.mon, QMP_TIMEOUT_MS, err, sizeof err) == -1) {
    debug (g, "saved appliance: %s", err);
    goto out;
  }
  s->q.mon_ready = true;
  r = 0;
out:
  if (r == -1 && guestfs_last_error (g))
    debug (g, "saved appliance: %s", guestfs_last_error (g));
  qemu_free_argv (extra);
  guestfs_int_qemu_start_end (&st);
  return r;
}

/* Closes the monitor; with kill, stops qemu and drops the channel. */
static void
close_saved_qemu (guestfs_h *g, struct saved_qemu *s, bool kill_it)
{
  if (!kill_it)
    return;
  if (s->q.mon.fd >= 0)
    close (s->q.mon.fd);
  s->q.mon.fd = -1;
  if (s->q.pid > 0) {
    kill (s->q.pid, SIGKILL);
    waitpid (s->q.pid, NULL, 0);
    s->q.pid = 0;
  }
  if (g->daemon_fd >= 0)
    close (g->daemon_fd);
  g->daemon_fd = -1;
  if (g->console_fd >= 0) {
    guestfs_int_drain_console (g);
    close (g->console_fd);
  }
  g->console_fd = -1;
}

/* The daemon's rescan with no drives: loads the virtio-blk driver
 * before the save, so that a restore does not spend ~0.3 s (under TCG)
 * loading it. */
static int
prepare_guest (guestfs_h *g)
{
  char *none[] = {NULL};
  g->state = READY;
  int r = guestfs_internal_rescan_drives (g, none, 0);
  g->state = LAUNCHING;
  if (r == -1)
    debug (g, "saved appliance: %s", guestfs_last_error (g));
  return r;
}

/* Boots the appliance with no drives and saves it into a new build of
 * the slot, made current once complete; under the lock. */
static int
build_saved_state (guestfs_h *g, const struct appliance_files *ap,
                   const char *qemu, const char *accel, struct saved_slot *f)
{
  struct timespec start;
  clock_gettime (CLOCK_MONOTONIC, &start);
  if (saved_slot_new_build (f) == -1)
    return -1;
  char *img[] = {
      (char *)"qemu-img", (char *)"create", (char *)"-q",  (char *)"-f",
      (char *)"qcow2",    (char *)"-F",     (char *)"raw", (char *)"-b",
      ap->root,           f->overlay,       NULL};
  if (run_tool (g, img) == -1) {
    debug (g, "saved appliance: cannot create the overlay %s", f->overlay);
    return -1;
  }
  struct saved_qemu s = {.q.mon.fd = -1};
  int r = -1;
  CLEANUP_CLOSE int state_fd =
      open (f->state, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  char err[1024];
  if (state_fd == -1) {
    debug (g, "saved appliance: %s: %m", f->state);
    goto out;
  }
  if (start_saved_qemu (g, &s, ap, qemu, accel, false, f->overlay, NULL) ==
          -1 ||
      guestfs_int_qemu_wait_for_daemon (
          g, &s.q, guestfs_int_qemu_launch_timeout_ms (g), &start) == -1 ||
      prepare_guest (g) == -1 ||
      qmp_run (g, &s.q.mon, "{\"execute\": \"stop\"}") == -1)
    goto out;
  /* The state file reaches qemu over the monitor, named "state". */
  if (qmp_execute_fd (&s.q.mon,
                      "{\"execute\": \"getfd\", \"arguments\": "
                      "{\"fdname\": \"state\"}}",
                      state_fd, QMP_TIMEOUT_MS, NULL, err, sizeof err) == -1) {
    debug (g, "saved appliance: %s", err);
    goto out;
  }
  if (qmp_run (g, &s.q.mon,
               "{\"execute\": \"migrate\", \"arguments\": "
               "{\"uri\": \"fd:state\"}}") == -1 ||
      qmp_wait_for (g, &s.q.mon, "{\"execute\": \"query-migrate\"}",
                    "\"completed\"", "\"failed\"") == -1)
    goto out;
  r = 0;
out:
  close_saved_qemu (g, &s, true);
  if (r == 0 && saved_slot_commit (f) == -1) {
    debug (g, "saved appliance: %s: %m", f->key);
    r = -1;
  }
  if (r == -1) {
    unlink (f->overlay);
    unlink (f->state);
    return -1;
  }
  debug (g, "saved appliance: built %s in %ld ms", f->state,
         guestfs_int_ms_since (&start));
  return 0;
}

/* Saved states kept per appliance slot, the most recently used: each
 * is ~80 MiB, and another memory size, append string, verbose or
 * network setting makes another. */
#define SAVED_KEEP 4

/* The saved state for this key, built if missing or damaged.  -1: none
 * (the reason is in the debug output). */
static int
ensure_saved_state (guestfs_h *g, const struct appliance_files *ap,
                    const char *qemu, const char *accel, struct saved_slot *f)
{
  const char *why;
  if (saved_slot_read (f, &why) == 1)
    return 0;
  debug (g, "saved appliance: %s (%s): building it", why, f->key);
  int fd = saved_slot_lock (f);
  if (fd == -1) {
    debug (g, "saved appliance: %s: %m", f->lock);
    return -1;
  }
  /* Someone else may have built it while we waited for the lock. */
  int r = 0;
  if (saved_slot_read (f, &why) != 1) {
    saved_slot_discard (f, true);
    r = build_saved_state (g, ap, qemu, accel, f);
  }
  if (r == 0)
    saved_slot_prune (f, SAVED_KEEP);
  close (fd);
  return r;
}

/* Hands qemu the descriptors of p's fdsets over the monitor. */
static int
send_fdsets (guestfs_h *g, struct qmp *m, const struct passed *p)
{
  for (size_t i = 0; i < p->nsets; ++i) {
    int fd = p->fds[p->sets[i].fd - QEMU_FIRST_PASSED_FD];
    CLEANUP_FREE char *add =
        safe_asprintf (g,
                       "{\"execute\": \"add-fd\", \"arguments\": "
                       "{\"fdset-id\": %d}}",
                       p->sets[i].set);
    char err[1024];
    if (qmp_execute_fd (m, add, fd, QMP_TIMEOUT_MS, NULL, err, sizeof err) ==
        -1) {
      debug (g, "saved appliance: %s", err);
      return -1;
    }
  }
  return 0;
}

/* Opens the drives as a cold boot would (backing chains included), and
 * hot-plugs them: add-fd, drive_add from /dev/fdset/N, device_add. */
static int
hot_add_drives (guestfs_h *g, struct qmp *m)
{
  struct passed p = {.n = 0, .next_set = g->nr_drives + 2};
  struct qemu_spawn_opts none = {.console_fd = -1};
  struct qemu_drive *drives = guestfs_int_qemu_make_drives (g, &p, &none);
  int r = drives && send_fdsets (g, m, &p) == 0 ? 0 : -1;
  if (drives == NULL)
    debug (g, "saved appliance: %s", guestfs_last_error (g));
  for (size_t i = 0; r == 0 && i < g->nr_drives; ++i) {
    const struct qemu_drive *d = &drives[i];
    char id[32];
    snprintf (id, sizeof id, "hd%zu", i);
    CLEANUP_FREE char *opts = qemu_drive_opts (id, d);
    CLEANUP_FREE char *hmp = safe_asprintf (g, "drive_add 0 %s", opts);
    CLEANUP_FREE char *qhmp = qmp_quote (hmp);
    CLEANUP_FREE char *add = safe_asprintf (
        g,
        "{\"execute\": \"human-monitor-command\", \"arguments\": "
        "{\"command-line\": %s}}",
        qhmp);
    char sectors[96] = "";
    if (d->blocksize > 0)
      snprintf (sectors, sizeof sectors,
                ", \"logical_block_size\": %d, "
                "\"physical_block_size\": %d",
                d->blocksize, d->blocksize);
    CLEANUP_FREE char *dev = safe_asprintf (
        g,
        "{\"execute\": \"device_add\", \"arguments\": {\"driver\": "
        "\"virtio-blk-pci\", \"bus\": \"rp%zu\", \"id\": \"vblk%zu\", "
        "\"drive\": \"%s\", \"serial\": \"d%zu\"%s}}",
        i, i, id, i, sectors);
    CLEANUP_FREE char *reply = NULL;
    char err[1024];
    /* HMP answers "OK" or an error as text, in an otherwise good return. */
    if (qmp_execute (m, add, QMP_TIMEOUT_MS, &reply, err, sizeof err) == -1 ||
        strstr (reply, "\"return\": \"OK\\r\\n\"") == NULL) {
      debug (g, "saved appliance: drive_add %s: %s", d->path,
             reply ? reply : err);
      r = -1;
    } else if (qmp_run (g, m, dev) == -1)
      r = -1;
  }
  for (size_t i = 0; i < p.n; ++i)
    close (p.fds[i]);
  guestfs_int_qemu_free_drives (drives, g->nr_drives);
  return r;
}

/* How a restore went. */
enum restored {
  RESTORED,
  STATE_REFUSED, /* qemu could not load the saved state */
  DRIVES_FAILED, /* loaded, but the drives could not be brought in */
};

/* Restores the saved state into q and brings the drives in. */
static enum restored
restore (guestfs_h *g, struct qemu_data *q, const struct appliance_files *ap,
         const char *qemu, const char *accel, const struct saved_slot *f,
         const struct timespec *start)
{
  struct saved_qemu s = {.q.mon.fd = -1};
  int r = -1;
  enum restored how = STATE_REFUSED;
  CLEANUP_FREE_STRING_LIST char **serials = NULL;
  if (start_saved_qemu (g, &s, ap, qemu, accel, true, f->overlay, f->state) ==
          -1 ||
      /* The state was saved stopped, so the guest stays paused. */
      qmp_wait_for (g, &s.q.mon, "{\"execute\": \"query-status\"}",
                    "\"status\": \"paused\"", "\"status\": \"running\"") == -1)
    goto out;
  debug (g, "saved appliance: restored after %ld ms",
         guestfs_int_ms_since (start));
  how = DRIVES_FAILED;
  if (hot_add_drives (g, &s.q.mon) == -1)
    goto out;
  how = STATE_REFUSED;
  if (qmp_run (g, &s.q.mon, "{\"execute\": \"cont\"}") == -1)
    goto out;
  serials = safe_calloc (g, g->nr_drives + 1, sizeof *serials);
  for (size_t i = 0; i < g->nr_drives; ++i)
    serials[i] = safe_asprintf (g, "d%zu", i);
  /* The daemon is up (it was when saved): this is its first request. */
  g->state = READY;
  struct timespec now;
  clock_gettime (CLOCK_REALTIME, &now);
  r = guestfs_internal_rescan_drives (g, serials,
                                      now.tv_sec * 1000000000LL + now.tv_nsec);
  g->state = LAUNCHING;
  if (r == -1) {
    debug (g, "saved appliance: %s", guestfs_last_error (g));
    /* The daemon answered, but a drive did not show up. */
    if (guestfs_last_errno (g) == ENODEV)
      how = DRIVES_FAILED;
  }
out:
  close_saved_qemu (g, &s, r == -1);
  if (r == -1)
    return how;
  *q = s.q;
  return RESTORED;
}

/* The backend setting: "saved_appliance=0" (or off, false, no) turns
 * it off; unset, "saved_appliance" or any other value: on. */
#define SAVED_BY_DEFAULT true

static bool
saved_appliance_wanted (guestfs_h *g)
{
  const char *v = guestfs_int_get_backend_setting (g, "saved_appliance");
  if (v == NULL)
    return SAVED_BY_DEFAULT;
  return strcmp (v, "0") != 0 && strcmp (v, "off") != 0 &&
         strcmp (v, "false") != 0 && strcmp (v, "no") != 0;
}

int
guestfs_int_saved_launch (guestfs_h *g, struct qemu_data *q,
                          const struct appliance_files *ap, const char *qemu,
                          const char *accel, const struct timespec *start)
{
  if (!saved_appliance_wanted (g)) {
    debug (g,
           "saved appliance: off (backend setting saved_appliance=%s), "
           "cold boot",
           guestfs_int_get_backend_setting (g, "saved_appliance"));
    return 0;
  }
  const char *why = not_applicable (g, ap, qemu);
  if (why) {
    debug (g, "saved appliance: not used, cold boot: %s", why);
    return 0;
  }
  struct saved_slot f;
  if (open_slot (g, ap, qemu, accel, &f) == -1) {
    debug (g, "saved appliance: not used, cold boot: cannot make its key");
    saved_slot_free (&f);
    return 0;
  }
  int r = 0;
  if (ensure_saved_state (g, ap, qemu, accel, &f) == -1) {
    debug (g, "saved appliance: not used, cold boot: it could not be built");
    goto out;
  }
  switch (restore (g, q, ap, qemu, accel, &f, start)) {
  case RESTORED:
    debug (g, "saved appliance: launched from %s", f.state);
    saved_slot_used (&f);
    r = 1;
    break;
  case STATE_REFUSED:
    /* Damaged, or made by another qemu: the next launch rebuilds it. */
    debug (g,
           "saved appliance: not used, cold boot: the restore failed; "
           "removing %s",
           f.state);
    saved_slot_discard (&f, false);
    break;
  case DRIVES_FAILED:
    /* The saved state is fine; a cold boot says what is wrong with the
     * drives in its own words. */
    debug (g, "saved appliance: not used, cold boot: the drives could not "
              "be added to the restored appliance");
    break;
  }
out:
  saved_slot_free (&f);
  return r;
}
