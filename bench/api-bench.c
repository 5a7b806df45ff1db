/* api-bench: launch and API figures through the guestfs(3) C API.
 *
 * The same source is compiled against this project's library and
 * against Debian's libguestfs, so both sides make the same calls:
 *
 *   api-bench IMAGE RUNS
 *
 * IMAGE is an ext4 image (no partition table) made by bench/api-bench.sh:
 * /d10k (10,000 files), /d100k (100,000 files), /big (1 GiB).  Prints
 * one "figure seconds" line per measurement and per run.
 */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <guestfs.h>

#define MiB (1024 * 1024)
#define BIG_SIZE (1024LL * MiB)

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void
die (guestfs_h *g, const char *what)
{
  fprintf (stderr, "api-bench: %s: %s\n", what,
           g ? guestfs_last_error (g) : strerror (errno));
  exit (EXIT_FAILURE);
}

/* The appliance's qemu: our child whose command line mentions qemu. */
static long
qemu_rss_kib (const char *field)
{
  DIR *d = opendir ("/proc");
  struct dirent *e;
  long kib = -1;
  while (d && (e = readdir (d)) != NULL) {
    char path[300], line[512];
    snprintf (path, sizeof path, "/proc/%s/status", e->d_name);
    FILE *f = fopen (path, "r");
    if (f == NULL)
      continue;
    long ppid = -1, value = -1;
    bool qemu = false;
    while (fgets (line, sizeof line, f)) {
      if (strncmp (line, "Name:", 5) == 0 && strstr (line, "qemu"))
        qemu = true;
      sscanf (line, "PPid: %ld", &ppid);
      if (strncmp (line, field, strlen (field)) == 0)
        sscanf (line + strlen (field), ": %ld", &value);
    }
    fclose (f);
    if (qemu && ppid == getpid ())
      kib = value;
  }
  if (d)
    closedir (d);
  return kib;
}

static guestfs_h *
launch (const char *image, double *secs)
{
  double t0 = now ();
  guestfs_h *g = guestfs_create ();
  if (g == NULL)
    die (NULL, "guestfs_create");
  if (guestfs_add_drive_opts (g, image, GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
                              GUESTFS_ADD_DRIVE_OPTS_READONLY, 1, -1) == -1 ||
      guestfs_launch (g) == -1)
    die (g, "launch");
  *secs = now () - t0;
  return g;
}

static char **
names_of (guestfs_h *g, const char *dir)
{
  char **l = guestfs_ls (g, dir);
  if (l == NULL)
    die (g, "ls");
  return l;
}

static void
free_list (char **l)
{
  for (size_t i = 0; l[i]; ++i)
    free (l[i]);
  free (l);
}

static double
time_lstatnslist (guestfs_h *g, char **names)
{
  double t0 = now ();
  struct guestfs_statns_list *r = guestfs_lstatnslist (g, "/d10k", names);
  if (r == NULL || r->len != 10000)
    die (g, "lstatnslist");
  guestfs_free_statns_list (r);
  return now () - t0;
}

static double
time_readdir (guestfs_h *g)
{
  double t0 = now ();
  struct guestfs_dirent_list *r = guestfs_readdir (g, "/d100k");
  if (r == NULL || r->len != 100002)
    die (g, "readdir");
  guestfs_free_dirent_list (r);
  return now () - t0;
}

static double
time_download (guestfs_h *g)
{
  double t0 = now ();
  if (guestfs_download (g, "/big", "/dev/null") == -1)
    die (g, "download");
  return now () - t0;
}

/* Sequential reads of the whole 1 GiB file in 1 MiB requests: through
 * an open handle where the library has them, by path otherwise. */
static double
time_reads (guestfs_h *g)
{
  double t0 = now ();
#ifdef LIBGUESTFS_HAVE_FUSE_PREAD
  struct guestfs_fuse_entry *e =
    guestfs_fuse_open (g, "/big", O_RDONLY, 0, 0, "", 0);
  if (e == NULL)
    die (g, "fuse_open");
  int64_t h = e->handle;
  guestfs_free_fuse_entry (e);
#endif
  for (int64_t off = 0; off < BIG_SIZE; off += MiB) {
    size_t n;
#ifdef LIBGUESTFS_HAVE_FUSE_PREAD
    char *b = guestfs_fuse_pread (g, h, MiB, off, &n);
#else
    char *b = guestfs_pread (g, "/big", MiB, off, &n);
#endif
    if (b == NULL || n != MiB)
      die (g, "pread");
    free (b);
  }
#ifdef LIBGUESTFS_HAVE_FUSE_PREAD
  unsigned char be[8];
  for (int i = 0; i < 8; ++i)
    be[i] = (uint64_t) h >> (56 - 8 * i);
  if (guestfs_fuse_close (g, (const char *) be, sizeof be) == -1)
    die (g, "fuse_close");
#endif
  return now () - t0;
}

int
main (int argc, char *argv[])
{
  if (argc != 3) {
    fprintf (stderr, "usage: api-bench IMAGE RUNS\n");
    return EXIT_FAILURE;
  }
  const char *image = argv[1];
  int runs = atoi (argv[2]);
  for (int run = 0; run < runs; ++run) {
    double t;
    guestfs_h *g = launch (image, &t);
    printf ("launch %.3f\n", t);
    printf ("qemu_rss_mib %.1f\n", qemu_rss_kib ("VmRSS") / 1024.0);
    if (guestfs_mount_ro (g, "/dev/sda", "/") == -1)
      die (g, "mount_ro");
    char **names = names_of (g, "/d10k");
    printf ("lstatnslist_10k %.3f\n", time_lstatnslist (g, names));
    free_list (names);
    printf ("readdir_100k %.3f\n", time_readdir (g));
    printf ("download_1g %.3f\n", time_download (g));
    printf ("pread_1m_1g %.3f\n", time_reads (g));
    printf ("qemu_peak_rss_mib %.1f\n", qemu_rss_kib ("VmHWM") / 1024.0);
    guestfs_close (g);
    fflush (stdout);
  }
  return EXIT_SUCCESS;
}
