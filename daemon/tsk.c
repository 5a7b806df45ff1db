/* The sleuthkit and libtsk groups: reading filesystems below the
 * kernel with The Sleuth Kit.  File contents and data units come from
 * its programs (icat, blkls); directory walks from libtsk, sent to
 * the library as a record stream of entries (record-stream.h):
 *
 *   inode, type (a character), size, name (bytes), flags,
 *   atime sec, nsec, mtime sec, nsec, ctime sec, nsec,
 *   crtime sec, nsec, nlink, link target (bytes), spare
 *
 * each number a u64 (signed ones in two's complement).  libguestfs's
 * filesystem_walk and find_inode are library-side over this stream.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tsk/libtsk.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "daemon.h"
#include "fileout.h"

/* Names and flags as libguestfs's tsk_dirent documents them. */
enum { DIRENT_ALLOC = 1, DIRENT_REALLOC = 2, DIRENT_COMPRESSED = 4 };

int
do_download_inode (const char *device, int64_t inode)
{
  if (inode < 0) {
    reply_with_error_errno (EINVAL, "inode: %" PRIi64 " is negative", inode);
    return -1;
  }
  char num[32];
  snprintf (num, sizeof num, "%" PRIi64, inode);
  const char *argv[] = {"icat", "-r", device, num, NULL};
  struct command_opts opts = COMMAND_OPTS_INIT;
  return command_send_output (device, argv, &opts, NULL, NULL);
}

int
do_download_blocks (const char *device, int64_t start, int64_t stop,
                    int unallocated)
{
  if (start < 0 || stop < start) {
    reply_with_error_errno (
        EINVAL, "blocks %" PRIi64 " to %" PRIi64 ": not a range", start, stop);
    return -1;
  }
  char range[64];
  snprintf (range, sizeof range, "%" PRIi64 "-%" PRIi64, start, stop);
  /* blkls writes only unallocated units unless told -e (every one). */
  bool only_unallocated = (optargs_bitmask & 1) && unallocated;
  const char *argv[5];
  size_t n = 0;
  argv[n++] = "blkls";
  if (!only_unallocated)
    argv[n++] = "-e";
  argv[n++] = device;
  argv[n++] = range;
  argv[n] = NULL;
  struct command_opts opts = COMMAND_OPTS_INIT;
  return command_send_output (device, argv, &opts, NULL, NULL);
}

static char
entry_type (const TSK_FS_FILE *f)
{
  switch (f->name->type) {
  case TSK_FS_NAME_TYPE_BLK:
    return 'b';
  case TSK_FS_NAME_TYPE_CHR:
    return 'c';
  case TSK_FS_NAME_TYPE_DIR:
  case TSK_FS_NAME_TYPE_VIRT_DIR:
    return 'd';
  case TSK_FS_NAME_TYPE_FIFO:
    return 'f';
  case TSK_FS_NAME_TYPE_LNK:
    return 'l';
  case TSK_FS_NAME_TYPE_REG:
  case TSK_FS_NAME_TYPE_VIRT:
    return 'r';
  case TSK_FS_NAME_TYPE_SOCK:
    return 's';
  case TSK_FS_NAME_TYPE_SHAD:
    return 'h';
  case TSK_FS_NAME_TYPE_WHT:
    return 'w';
  default:
    return 'u';
  }
}

static uint64_t
entry_flags (const TSK_FS_FILE *f)
{
  uint64_t flags = 0;
  bool meta_alloc = f->meta && (f->meta->flags & TSK_FS_META_FLAG_ALLOC);
  if (!(f->name->flags & TSK_FS_NAME_FLAG_UNALLOC))
    flags |= DIRENT_ALLOC;
  else if (meta_alloc)
    flags |= DIRENT_REALLOC;
  if (f->meta && (f->meta->flags & TSK_FS_META_FLAG_COMP))
    flags |= DIRENT_COMPRESSED;
  return flags;
}

static void
put_entry (struct record_writer *w, const TSK_FS_FILE *f, const char *path)
{
  const TSK_FS_META *m = f->meta;
  CLEANUP_FREE char *name = NULL;
  if (asprintf (&name, "%s%s", path, f->name->name) == -1) {
    w->failed = true;
    return;
  }
  record_put_u64 (w, f->name->meta_addr);
  record_put_u64 (w, (unsigned char)entry_type (f));
  record_put_u64 (w, m ? (uint64_t)m->size : (uint64_t)-1);
  record_put_string (w, name);
  record_put_u64 (w, entry_flags (f));
  int64_t times[8] = {0};
  if (m) {
    int64_t t[8] = {m->atime, m->atime_nano, m->mtime,  m->mtime_nano,
                    m->ctime, m->ctime_nano, m->crtime, m->crtime_nano};
    memcpy (times, t, sizeof times);
  }
  for (int i = 0; i < 8; ++i)
    record_put_u64 (w, (uint64_t)times[i]);
  record_put_u64 (w, m ? m->nlink : 0);
  record_put_string (w, m && m->link ? m->link : "");
  record_put_u64 (w, 0);
}

struct walk {
  struct record_writer w;
  bool all; /* every entry, else those naming inode */
  TSK_INUM_T inode;
};

static bool
is_dot_entry (const TSK_FS_FILE *f)
{
  return strcmp (f->name->name, ".") == 0 || strcmp (f->name->name, "..") == 0;
}

static TSK_WALK_RET_ENUM
walk_entry (TSK_FS_FILE *f, const char *path, void *opaque)
{
  struct walk *wk = opaque;
  if (f->name == NULL || is_dot_entry (f))
    return TSK_WALK_CONT;
  if (wk->all || f->name->meta_addr == wk->inode)
    put_entry (&wk->w, f, path);
  return wk->w.failed ? TSK_WALK_STOP : TSK_WALK_CONT;
}

static int
walk_filesystem (const char *device, struct walk *wk, const char *what)
{
  TSK_IMG_INFO *img = tsk_img_open_sing (device, TSK_IMG_TYPE_DETECT, 0);
  TSK_FS_INFO *fs = img ? tsk_fs_open_img (img, 0, TSK_FS_TYPE_DETECT) : NULL;
  if (fs == NULL) {
    reply_with_error_errno (EINVAL, "%s: %s", device, tsk_error_get ());
    if (img)
      tsk_img_close (img);
    return -1;
  }
  record_writer_init (&wk->w);
  int flags = TSK_FS_DIR_WALK_FLAG_ALLOC | TSK_FS_DIR_WALK_FLAG_UNALLOC |
              TSK_FS_DIR_WALK_FLAG_RECURSE | TSK_FS_DIR_WALK_FLAG_NOORPHAN;
  uint8_t failed = tsk_fs_dir_walk (fs, fs->root_inum, flags, walk_entry, wk);
  int r;
  if (failed && !wk->w.failed) {
    record_finish (&wk->w);
    reply_with_error ("%s: %s", device, tsk_error_get ());
    r = -1;
  } else
    r = record_writer_end (&wk->w, what);
  tsk_fs_close (fs);
  tsk_img_close (img);
  return r;
}

int
do_internal_filesystem_walk (const char *device)
{
  struct walk wk = {.all = true};
  return walk_filesystem (device, &wk, "filesystem_walk");
}

int
do_internal_find_inode (const char *device, int64_t inode)
{
  if (inode < 0) {
    reply_with_error_errno (EINVAL, "inode: %" PRIi64 " is negative", inode);
    return -1;
  }
  struct walk wk = {.all = false, .inode = inode};
  return walk_filesystem (device, &wk, "find_inode");
}
