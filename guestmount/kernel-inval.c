/* Kernel cache invalidation, from a thread of its own: see
 * kernel-inval.h.
 */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "cleanup.h"
#include "fs.h"
#include "kernel-inval.h"

struct inval {
  struct inval *next;
  fuse_ino_t ino;
  char *name; /* NULL: the inode's attributes */
};

static struct fuse_session *session;

static pthread_mutex_t inval_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t inval_cond = PTHREAD_COND_INITIALIZER;
static struct inval *inval_head;
static bool inval_stop;
static pthread_t inval_thread;
static bool inval_started;

static void
queue_inval (fuse_ino_t ino, const char *name)
{
  struct inval *iv = malloc (sizeof *iv);
  if (iv == NULL)
    return;
  iv->ino = ino;
  iv->name = name ? strdup (name) : NULL;
  if (name && iv->name == NULL) {
    free (iv);
    return;
  }
  SCOPED_LOCK (&inval_lock);
  iv->next = inval_head;
  inval_head = iv;
  pthread_cond_signal (&inval_cond);
}

static void *
inval_main (void *arg)
{
  (void) arg;
  pthread_mutex_lock (&inval_lock);
  for (;;) {
    while (inval_head == NULL && !inval_stop)
      pthread_cond_wait (&inval_cond, &inval_lock);
    if (inval_head == NULL)
      break;
    struct inval *iv = inval_head;
    inval_head = iv->next;
    pthread_mutex_unlock (&inval_lock);
    if (iv->name)
      fuse_lowlevel_notify_inval_entry (session, iv->ino, iv->name,
                                        strlen (iv->name));
    else
      fuse_lowlevel_notify_inval_inode (session, iv->ino, -1, 0);
    free (iv->name);
    free (iv);
    pthread_mutex_lock (&inval_lock);
  }
  pthread_mutex_unlock (&inval_lock);
  return NULL;
}

static void
stale_name (struct node *dir, const char *name)
{
  queue_inval (node_id (dir), name);
}

void
kernel_inval_init (struct fuse_session *se)
{
  session = se;
  cache_stale_name_hook = stale_name;
}

void
kernel_inval_attrs (fuse_ino_t ino)
{
  queue_inval (ino, NULL);
}

int
fs_start_background (void)
{
  if (pthread_create (&inval_thread, NULL, inval_main, NULL) != 0)
    return -1;
  inval_started = true;
  return 0;
}

void
fs_stop_background (void)
{
  if (!inval_started)
    return;
  {
    SCOPED_LOCK (&inval_lock);
    inval_stop = true;
    pthread_cond_signal (&inval_cond);
  }
  pthread_join (inval_thread, NULL);
  inval_started = false;
}
