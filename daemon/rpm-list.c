/* The child that reads an rpm database with librpm: guestfsd started
 * again as "guestfsd --list-rpm-database BACKEND DBPATH" by
 * internal_list_rpm_applications (rpm.c), on a private copy of the
 * guest's database.
 *
 * It writes one record per package to stdout (common/record-stream.h):
 * name, epoch (a number), version, release, arch, url, summary and
 * description, the fields libguestfs takes from each header, in the
 * order librpm iterates the database.  Anything librpm logs as an error
 * (a database it cannot open, a header that fails its digest check and
 * is skipped) makes it fail: it prints librpm's first error on stderr
 * and exits with status 1.
 *
 * The database is hostile input, and this process exists so that
 * whatever librpm does with it cannot harm the daemon: it has a CPU time
 * limit and is the first process the kernel kills when memory runs out.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>

#include "cleanup.h"
#include "daemon.h"
#include "record-stream.h"

/* Seconds of CPU time: far more than the largest real database needs
 * under emulation (a few thousand headers, each parsed once). */
#define RPM_LIST_CPU_SECONDS 600

static char *first_error; /* librpm's first error message */

static int
log_message (rpmlogRec rec, rpmlogCallbackData data)
{
  (void)data;
  rpmlogLvl level = rpmlogRecPriority (rec);
  const char *msg = rpmlogRecMessage (rec);
  if (level <= RPMLOG_ERR && first_error == NULL) {
    first_error = strdup (msg ? msg : "unknown error");
    size_t len = first_error ? strlen (first_error) : 0;
    while (len > 0 && first_error[len - 1] == '\n')
      first_error[--len] = '\0';
  }
  if (level == RPMLOG_WARNING && msg) /* for the daemon's debug output */
    fprintf (stderr, "warning: %s", msg);
  return 0; /* nothing more: no exit, no default printing */
}

/* Limits of this process, set before librpm sees anything. */
static void
limit_self (void)
{
  struct rlimit cpu = {RPM_LIST_CPU_SECONDS, RPM_LIST_CPU_SECONDS};
  setrlimit (RLIMIT_CPU, &cpu);
  FILE *f = fopen ("/proc/self/oom_score_adj", "w");
  if (f) {
    fputs ("1000", f);
    fclose (f);
  }
}

static int
write_stdout (const void *buf, size_t len)
{
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write (STDOUT_FILENO, p, len);
    if (n == -1 && errno == EINTR)
      continue;
    if (n <= 0)
      return -1;
    p += n;
    len -= n;
  }
  return 0;
}

static void
put_tag (struct record_writer *w, Header h, const char *fmt)
{
  CLEANUP_FREE char *s = headerFormat (h, fmt, NULL);
  record_put_string (w, s); /* NULL (no such tag) is written as "" */
}

static void
put_package (struct record_writer *w, Header h)
{
  put_tag (w, h, "%{NAME}");
  record_put_u64 (w, (uint32_t)headerGetNumber (h, RPMTAG_EPOCH));
  put_tag (w, h, "%{VERSION}");
  put_tag (w, h, "%{RELEASE}");
  put_tag (w, h, "%{ARCH}");
  put_tag (w, h, "%{URL}");
  put_tag (w, h, "%{SUMMARY}");
  put_tag (w, h, "%{DESCRIPTION}");
}

static int
fail (const char *what)
{
  fprintf (stderr, "%s\n", first_error ? first_error : what);
  return EXIT_FAILURE;
}

int
rpm_list_database (const char *backend, const char *dbpath)
{
  limit_self ();
  rpmlogSetCallback (log_message, NULL);
  /* The appliance's own configuration (rpm-common), never the
   * guest's: guest macros can run commands when expanded. */
  if (rpmReadConfigFiles (NULL, NULL) == -1)
    return fail ("reading rpm's configuration failed");
  rpmPushMacro (NULL, "_dbpath", NULL, dbpath, RMIL_CMDLINE);
  rpmPushMacro (NULL, "_db_backend", NULL, backend, RMIL_CMDLINE);

  rpmts ts = rpmtsCreate ();
  if (ts == NULL)
    return fail ("rpmtsCreate failed");
  /* Header digests are checked; signatures are not (as in libguestfs,
   * RHBZ#2064182): the keys would have to come from the guest. */
  rpmtsSetVSFlags (ts, rpmtsVSFlags (ts) | RPMVSF_MASK_NOSIGNATURES);
  rpmdbMatchIterator it = rpmtsInitIterator (ts, RPMDBI_PACKAGES, NULL, 0);
  if (it == NULL) {
    rpmtsFree (ts);
    return fail ("the rpm database cannot be opened");
  }
  struct record_writer w = {.flush = write_stdout};
  Header h;
  while ((h = rpmdbNextIterator (it)) != NULL && !w.failed)
    put_package (&w, h);
  rpmdbFreeIterator (it);
  rpmtsFree (ts);
  if (record_finish (&w) == -1)
    return fail ("writing the list failed");
  if (first_error)
    return fail (first_error);
  return EXIT_SUCCESS;
}
