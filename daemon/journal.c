/* The journal group: reading systemd journal files with libsystemd's
 * sd-journal.  One journal open at a time per daemon, as in
 * libguestfs.  The directory is resolved inside the sysroot and given
 * to sd-journal as a descriptor. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"
#include "fileout.h"

static sd_journal *journal;
static int journal_dir_fd = -1; /* sd-journal reads through it */

static void
close_journal (void)
{
  if (journal)
    sd_journal_close (journal);
  journal = NULL;
  if (journal_dir_fd != -1)
    close (journal_dir_fd);
  journal_dir_fd = -1;
}

static int
need_journal (void)
{
  if (journal == NULL) {
    reply_with_error ("journal handle is not open: use 'journal-open' "
                      "first");
    return -1;
  }
  return 0;
}

int
do_journal_open (const char *directory)
{
  close_journal ();
  journal_dir_fd = sysroot_open (directory, O_RDONLY | O_DIRECTORY, 0);
  if (journal_dir_fd == -1) {
    reply_with_perror ("%s", directory);
    return -1;
  }
  int r = sd_journal_open_directory_fd (&journal, journal_dir_fd, 0);
  if (r < 0) {
    journal = NULL;
    close_journal ();
    reply_with_perror_errno (-r, "sd_journal_open_directory: %s", directory);
    return -1;
  }
  return 0;
}

int
do_journal_close (void)
{
  if (need_journal () == -1)
    return -1;
  close_journal ();
  return 0;
}

int
do_journal_next (void)
{
  if (need_journal () == -1)
    return -1;
  int r = sd_journal_next (journal);
  if (r < 0) {
    reply_with_perror_errno (-r, "sd_journal_next");
    return -1;
  }
  return r > 0;
}

int64_t
do_journal_skip (int64_t skip)
{
  if (need_journal () == -1)
    return -1;
  /* sd-journal counts in 64-bit, libguestfs's argument may not fit. */
  if (skip > INT32_MAX || skip < -(int64_t)INT32_MAX) {
    reply_with_error_errno (EINVAL, "skip: %" PRIi64 " is out of range", skip);
    return -1;
  }
  int r = skip >= 0 ? sd_journal_next_skip (journal, skip)
                    : sd_journal_previous_skip (journal, -skip);
  if (r < 0) {
    reply_with_perror_errno (-r, "sd_journal_skip");
    return -1;
  }
  return r;
}

/* Each field of the current entry is one record: one byte string,
 * NAME=value. */
int
do_internal_journal_get (void)
{
  if (need_journal () == -1)
    return -1;
  struct record_writer w;
  record_writer_init (&w);
  const void *data;
  size_t len;
  int r;
  sd_journal_restart_data (journal);
  while ((r = sd_journal_enumerate_data (journal, &data, &len)) > 0)
    record_put_bytes (&w, data, len);
  if (r < 0) {
    record_finish (&w);
    reply_with_perror_errno (-r, "sd_journal_enumerate_data");
    return -1;
  }
  return record_writer_end (&w, "journal_get");
}

int64_t
do_journal_get_data_threshold (void)
{
  if (need_journal () == -1)
    return -1;
  size_t sz;
  int r = sd_journal_get_data_threshold (journal, &sz);
  if (r < 0) {
    reply_with_perror_errno (-r, "sd_journal_get_data_threshold");
    return -1;
  }
  return sz;
}

int
do_journal_set_data_threshold (int64_t threshold)
{
  if (need_journal () == -1)
    return -1;
  if (threshold < 0) {
    reply_with_error_errno (EINVAL, "threshold: %" PRIi64 " is negative",
                            threshold);
    return -1;
  }
  int r = sd_journal_set_data_threshold (journal, threshold);
  if (r < 0) {
    reply_with_perror_errno (-r, "sd_journal_set_data_threshold");
    return -1;
  }
  return 0;
}

int64_t
do_journal_get_realtime_usec (void)
{
  if (need_journal () == -1)
    return -1;
  uint64_t usec;
  int r = sd_journal_get_realtime_usec (journal, &usec);
  if (r < 0) {
    reply_with_perror_errno (-r, "sd_journal_get_realtime_usec");
    return -1;
  }
  return usec;
}
