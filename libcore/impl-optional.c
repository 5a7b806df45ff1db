/* Library-side calls of the optional groups over the daemon's record
 * streams: journal_get, filesystem_walk, find_inode, yara_scan.  Each
 * downloads its stream (an internal_* FileOut) into a file of the
 * handle's temporary directory and parses it (record-lists.c). */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cleanup.h"
#include "guestfs-internal.h"
#include "internal-actions.h"
#include "record-lists.h"

/* A new empty file for a stream: its path (to free and unlink). */
static char *
stream_file (guestfs_h *g)
{
  if (guestfs_int_lazy_make_tmpdir (g) == -1)
    return NULL;
  char *path = safe_asprintf (g, "%s/streamXXXXXX", g->tmpdir);
  int fd = mkstemp (path);
  if (fd == -1) {
    perrorf (g, "mkstemp: %s", path);
    free (path);
    return NULL;
  }
  close (fd);
  return path;
}

/* Open the stream in path; after parsing, done reports a malformed
 * one (r NULL) as EIO under name. */
static FILE *
open_stream (guestfs_h *g, const char *path)
{
  FILE *fp = fopen (path, "re");
  if (fp == NULL)
    perrorf (g, "%s", path);
  return fp;
}

static void *
done (guestfs_h *g, const char *name, FILE *fp, void *r, const char *err)
{
  fclose (fp);
  if (r == NULL)
    guestfs_int_error_errno (g, EIO, "%s: %s", name, err);
  return r;
}

struct guestfs_xattr_list *
guestfs_impl_journal_get (guestfs_h *g)
{
  CLEANUP_FREE char *path = stream_file (g);
  if (path == NULL)
    return NULL;
  void *r = NULL;
  if (guestfs_internal_journal_get (g, path) != -1) {
    FILE *fp = open_stream (g, path);
    char err[256];
    if (fp)
      r = done (g, "journal_get", fp,
                guestfs_int_parse_journal_entry (fp, err, sizeof err), err);
  }
  unlink (path);
  return r;
}

struct guestfs_tsk_dirent_list *
guestfs_impl_filesystem_walk (guestfs_h *g, const char *device)
{
  CLEANUP_FREE char *path = stream_file (g);
  if (path == NULL)
    return NULL;
  void *r = NULL;
  if (guestfs_internal_filesystem_walk (g, device, path) != -1) {
    FILE *fp = open_stream (g, path);
    char err[256];
    if (fp)
      r = done (g, "filesystem_walk", fp,
                guestfs_int_parse_tsk_dirents (fp, err, sizeof err), err);
  }
  unlink (path);
  return r;
}

struct guestfs_tsk_dirent_list *
guestfs_impl_find_inode (guestfs_h *g, const char *device, int64_t inode)
{
  CLEANUP_FREE char *path = stream_file (g);
  if (path == NULL)
    return NULL;
  void *r = NULL;
  if (guestfs_internal_find_inode (g, device, inode, path) != -1) {
    FILE *fp = open_stream (g, path);
    char err[256];
    if (fp)
      r = done (g, "find_inode", fp,
                guestfs_int_parse_tsk_dirents (fp, err, sizeof err), err);
  }
  unlink (path);
  return r;
}

struct guestfs_yara_detection_list *
guestfs_impl_yara_scan (guestfs_h *g, const char *path)
{
  CLEANUP_FREE char *file = stream_file (g);
  if (file == NULL)
    return NULL;
  void *r = NULL;
  if (guestfs_internal_yara_scan (g, path, file) != -1) {
    FILE *fp = open_stream (g, file);
    char err[256];
    if (fp)
      r = done (g, "yara_scan", fp,
                guestfs_int_parse_yara_detections (fp, err, sizeof err), err);
  }
  unlink (file);
  return r;
}
