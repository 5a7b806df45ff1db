/* FileOut helpers shared by the optional groups (fileout.c). */
#ifndef GUESTFSD_FILEOUT_H
#define GUESTFSD_FILEOUT_H

#include "record-stream.h"

/* A record writer whose bytes go out as FileOut chunks. */
extern void record_writer_init (struct record_writer *w);
/* Send the rest and end the stream; -1 after replying if the library
 * cancelled it (or memory ran out). */
extern int record_writer_end (struct record_writer *w, const char *what);
/* Send what is left to read of fd; -1 after replying. */
extern int send_fd_contents (int fd, const char *what);

#endif
