/* The daemon and the kernel it runs on: utsname, dmesg, df, the umask,
 * and the connection tests sleep and echo_daemon. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include "daemon.h"
#include "daemon-actions.h"

guestfs_int_utsname *
do_utsname (void)
{
  struct utsname u;
  if (uname (&u) == -1) {
    reply_with_perror ("uname");
    return NULL;
  }
  guestfs_int_utsname *r = calloc (1, sizeof *r);
  if (r == NULL || (r->uts_sysname = strdup (u.sysname)) == NULL ||
      (r->uts_release = strdup (u.release)) == NULL ||
      (r->uts_version = strdup (u.version)) == NULL ||
      (r->uts_machine = strdup (u.machine)) == NULL) {
    reply_with_perror ("strdup");
    if (r) {
      free (r->uts_sysname);
      free (r->uts_release);
      free (r->uts_version);
      free (r);
    }
    return NULL;
  }
  return r;
}

static char *
run_host_tool (const char *const *argv)
{
  return run_tool (argv, -1, -1);
}

char *
do_dmesg (void)
{
  const char *argv[] = { "dmesg", NULL };
  return run_host_tool (argv);
}

/* df of the guest's filesystems: the mounts under the sysroot, as
 * libguestfs shows them (in the appliance, that is every filesystem
 * df lists).  On the host, only the scratch directory's filesystem. */
static char *
run_df (const char *option)
{
  const char *argv[4] = { "df", NULL, NULL, NULL };
  size_t n = 1;
  if (option)
    argv[n++] = option;
  if (host_mode)
    argv[n++] = sysroot;
  return run_host_tool (argv);
}

char *
do_df (void)
{
  return run_df (NULL);
}

char *
do_df_h (void)
{
  return run_df ("-h");
}

int
do_get_umask (void)
{
  mode_t mask = umask (022);
  umask (mask);
  return mask;
}

int
do_sleep (int secs)
{
  if (secs < 0) {
    reply_with_error_errno (EINVAL, "secs: %d is negative", secs);
    return -1;
  }
  struct timespec t = { .tv_sec = secs };
  while (nanosleep (&t, &t) == -1 && errno == EINTR)
    ;
  return 0;
}

char *
do_echo_daemon (char *const *words)
{
  size_t len = 1;
  for (size_t i = 0; words[i]; ++i)
    len += strlen (words[i]) + 1;
  char *r = malloc (len), *p = r;
  if (r == NULL) {
    reply_with_perror ("malloc");
    return NULL;
  }
  *p = '\0';
  for (size_t i = 0; words[i]; ++i) {
    if (i > 0)
      *p++ = ' ';
    p = stpcpy (p, words[i]);
  }
  return r;
}
