/* Daemonizing, the pid file and the --fd handshake (daemonize.c).
 */
#ifndef GUESTMOUNT_DAEMONIZE_H
#define GUESTMOUNT_DAEMONIZE_H

/* Fork; the parent waits for the child's status byte and exits with
 * its status.  Returns in the child. */
extern void daemonize_start (void);
/* The mount is ready: detach from the terminal and tell the parent
 * (nothing without daemonize_start). */
extern void daemonize_ready (void);

/* Open and lock --pid-file, if given.  Prints the reason and returns
 * -1 on failure. */
extern int pid_file_lock (void);
/* Write the pid into the locked file. */
extern int pid_file_write (void);
/* Remove the file if its name still is the file locked. */
extern void pid_file_remove (void);

/* Write a byte to --fd, if given, and close it. */
extern void signal_ready_fd (void);

#endif
