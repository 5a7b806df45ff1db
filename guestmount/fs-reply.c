/* Replies to the kernel that several operations make, traced with -x. */
#include <config.h>

#include "fs-ops.h"

void
reply_err (fuse_req_t req, const char *op, int err)
{
  if (err)
    TRACE ("%s = %s", op, strerror (err));
  else
    TRACE ("%s = ok", op);
  fuse_reply_err (req, err);
}

void
entry_param (struct fuse_entry_param *ep, struct node *n,
             const struct stat *st, bool fresh)
{
  memset (ep, 0, sizeof *ep);
  ep->ino = node_id (n);
  ep->generation = n->generation;
  report_stat (st, &ep->attr);
  ep->attr_timeout = fresh ? config.attr_timeout : 0;
  ep->entry_timeout = config.entry_timeout;
}

void
give_entry (fuse_req_t req, const char *op, struct node *n,
            const struct stat *st, bool fresh)
{
  {
    SCOPED_LOCK (&cache_mutex);
    ++n->nlookup;
  }
  struct fuse_entry_param ep;
  entry_param (&ep, n, st, fresh);
  TRACE ("%s = ino %lld", op, (long long) st->st_ino);
  if (fuse_reply_entry (req, &ep) != 0)
    cache_forget (n, 1);
}

void
give_negative (fuse_req_t req, const char *op)
{
  struct fuse_entry_param ep;
  memset (&ep, 0, sizeof ep);
  ep.entry_timeout = config.negative_timeout;
  TRACE ("%s = no such file", op);
  fuse_reply_entry (req, &ep);
}

void
give_attr (fuse_req_t req, const char *op, const struct stat *st, bool fresh)
{
  struct stat out;
  report_stat (st, &out);
  TRACE ("%s = ino %lld size %lld mode %o", op, (long long) st->st_ino,
         (long long) st->st_size, st->st_mode);
  fuse_reply_attr (req, &out, fresh ? config.attr_timeout : 0);
}
