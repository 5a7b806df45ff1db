/* The FUSE side of guestmount: its operations table is the index of
 * what the kernel can ask and which file answers (fs-ops.h says how
 * they work together).
 */
#include <config.h>

#include "fs-ops.h"
#include "fs.h"
#include "kernel-inval.h"

static void
gm_init (void *userdata, struct fuse_conn_info *conn)
{
  (void) userdata;
  unsigned want = FUSE_CAP_ATOMIC_O_TRUNC | FUSE_CAP_READDIRPLUS |
                  FUSE_CAP_CACHE_SYMLINKS | FUSE_CAP_AUTO_INVAL_DATA |
                  FUSE_CAP_ASYNC_READ | FUSE_CAP_PARALLEL_DIROPS;
  conn->want |= want & conn->capable;
  /* Always readdirplus: a listing already carries every status. */
  conn->want &= ~(FUSE_CAP_READDIRPLUS_AUTO | FUSE_CAP_WRITEBACK_CACHE |
                  FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE |
                  FUSE_CAP_SPLICE_MOVE);
  conn->max_write = FUSE_IO_MAX;
  conn->max_read = 0; /* no limit below the kernel's own */
  conn->max_readahead = FUSE_IO_MAX;
  conn->time_gran = 1;
  debug ("kernel capabilities %#x, using %#x; max_write %u",
         conn->capable, conn->want, conn->max_write);
}

static void
gm_destroy (void *userdata)
{
  (void) userdata;
  fileio_finish ();
}

static const struct fuse_lowlevel_ops ops = {
  /* The session (here). */
  .init = gm_init,
  .destroy = gm_destroy,

  /* Lookup, status and attributes (fs-attr.c). */
  .lookup = gm_lookup,
  .forget = gm_forget,
  .forget_multi = gm_forget_multi,
  .getattr = gm_getattr,
  .setattr = gm_setattr,
  .readlink = gm_readlink,
  .access = gm_access,
  .statfs = gm_statfs,

  /* Creating, linking, renaming and removing names (fs-names.c). */
  .create = gm_create,
  .mknod = gm_mknod,
  .mkdir = gm_mkdir,
  .symlink = gm_symlink,
  .link = gm_link,
  .unlink = gm_unlink,
  .rmdir = gm_rmdir,
  .rename = gm_rename,

  /* Open files (fs-file.c, over fileio.c). */
  .open = gm_open,
  .read = gm_read,
  .write = gm_write,
  .flush = gm_flush,
  .release = gm_release,
  .fsync = gm_fsync,
  .fallocate = gm_fallocate,
  .lseek = gm_lseek,

  /* Directories and their listings (fs-dir.c). */
  .opendir = gm_opendir,
  .readdir = gm_readdir,
  .readdirplus = gm_readdirplus,
  .releasedir = gm_releasedir,
  .fsyncdir = gm_fsyncdir,

  /* Extended attributes and ACLs (fs-xattr.c). */
  .getxattr = gm_getxattr,
  .listxattr = gm_listxattr,
  .setxattr = gm_setxattr,
  .removexattr = gm_removexattr,
};

struct fuse_session *
fs_new_session (struct fuse_args *args)
{
  struct fuse_session *se = fuse_session_new (args, &ops, sizeof ops, NULL);
  kernel_inval_init (se);
  return se;
}
