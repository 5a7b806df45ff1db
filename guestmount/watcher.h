/* The watcher: a process of its own that unmounts if guestmount dies
 * without doing it (watcher.c). */
#ifndef GUESTMOUNT_WATCHER_H
#define GUESTMOUNT_WATCHER_H

/* Fork the watcher of mountpoint (absolute, resolved).  Call while
 * this process has one thread and before it opens anything the
 * watcher must not keep open.  Prints the reason and returns -1 on
 * failure. */
extern int watcher_start (const char *mountpoint);
/* The FUSE mount is made: from now on the watcher takes it down if
 * this process dies. */
extern void watcher_mounted (void);
/* guestmount took the mount down itself: the watcher exits (and is
 * collected) without touching the mountpoint. */
extern void watcher_done (void);

#endif
