/* Write a seed corpus for fuzz-decode into a directory: for every
 * procedure, valid encodings of its arguments and return value (see
 * xdr-sample.h), the same as whole call and reply messages, an error
 * reply, and a truncated copy of each; plus chunks and progress.
 * Every file starts with the two bytes that select the procedure. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc-table.h"
#include "wire.h"
#include "xdr-sample.h"

static const char *outdir;
static char *buf, *msg;
static unsigned files;

static void
put_file (unsigned proc, const char *kind, unsigned v, const char *data,
          size_t len)
{
  char path[4096];
  snprintf (path, sizeof path, "%s/p%03u-%s-%u", outdir, proc, kind, v);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  unsigned char sel[2] = { proc >> 8, proc & 0xff };
  if (fd == -1 || write (fd, sel, 2) != 2 ||
      write (fd, data, len) != (ssize_t) len || close (fd) == -1) {
    perror (path);
    exit (EXIT_FAILURE);
  }
  ++files;
}

/* The seed and a copy cut in the middle. */
static void
put_seed (unsigned proc, const char *kind, unsigned v, const char *data,
          size_t len)
{
  put_file (proc, kind, v, data, len);
  if (len > 8) {
    char cut[64];
    snprintf (cut, sizeof cut, "%s-cut", kind);
    put_file (proc, cut, v, data, len / 2 + 1);
  }
}

/* A whole message (without its length word) with a sample body. */
static void
put_message (unsigned proc, const char *kind, unsigned v,
             enum guestfs_message_direction dir, xdrproc_t xdrp, size_t size)
{
  struct guestfs_message_header h = {
    .prog = GUESTFS_PROGRAM, .vers = GUESTFS_PROTOCOL_VERSION, .proc = proc,
    .direction = dir, .serial = 1 + v, .status = GUESTFS_STATUS_OK,
  };
  void *obj = NULL;
  if (xdrp) {
    ssize_t n = xdr_sample_encode (xdrp, size, v, buf, WIRE_BUF_SIZE);
    if (n < 0)
      return;
    obj = calloc (1, size);
    XDR xdr;
    xdrmem_create (&xdr, buf, n, XDR_DECODE);
    if (!xdrp (&xdr, obj, 0))
      abort ();
    xdr_destroy (&xdr);
  }
  ssize_t m = wire_encode_message (msg, WIRE_BUF_SIZE, &h, xdrp, obj);
  if (xdrp)
    xdr_free (xdrp, obj);
  free (obj);
  if (m > 0)
    put_seed (proc, kind, v, msg + 4, m - 4);
}

static void
put_error (unsigned proc)
{
  struct guestfs_message_header h = {
    .prog = GUESTFS_PROGRAM, .vers = GUESTFS_PROTOCOL_VERSION, .proc = proc,
    .direction = GUESTFS_DIRECTION_REPLY, .serial = 9,
    .status = GUESTFS_STATUS_ERROR,
  };
  struct guestfs_message_error e = {
    .errno_string = (char *) "ENOENT",
    .error_message = (char *) "mkdir: /a/b: No such file or directory",
  };
  ssize_t m = wire_encode_message (msg, WIRE_BUF_SIZE, &h,
                                   (xdrproc_t) xdr_guestfs_message_error, &e);
  put_seed (proc, "error", 0, msg + 4, m - 4);
}

int
main (int argc, char *argv[])
{
  if (argc != 2) {
    fprintf (stderr, "usage: gen-corpus DIRECTORY\n");
    return EXIT_FAILURE;
  }
  outdir = argv[1];
  buf = malloc (WIRE_BUF_SIZE);
  msg = malloc (WIRE_BUF_SIZE);
  for (unsigned proc = 0; proc < GUESTFS_PROC_NR_PROCS; ++proc) {
    const struct proc_info *pi = proc_lookup (proc);
    if (pi == NULL)
      continue;
    for (unsigned v = 0; v < 3; ++v) {
      if (pi->args_xdr) {
        ssize_t n = xdr_sample_encode (pi->args_xdr, pi->args_size, v, buf,
                                       WIRE_BUF_SIZE);
        if (n >= 0)
          put_seed (proc, "args", v, buf, n);
      }
      if (pi->ret_xdr) {
        ssize_t n = xdr_sample_encode (pi->ret_xdr, pi->ret_size, v, buf,
                                       WIRE_BUF_SIZE);
        if (n >= 0)
          put_seed (proc, "ret", v, buf, n);
      }
    }
    put_message (proc, "call", 1, GUESTFS_DIRECTION_CALL, pi->args_xdr,
                 pi->args_size);
    put_message (proc, "reply", 2, GUESTFS_DIRECTION_REPLY, pi->ret_xdr,
                 pi->ret_size);
    put_error (proc);
  }
  /* Chunks, progress and strings do not depend on the procedure. */
  ssize_t n = wire_encode_chunk (buf, WIRE_BUF_SIZE, 0, "file data", 9);
  put_seed (0, "chunk", 0, buf + 4, n - 4);
  n = wire_encode_chunk (buf, WIRE_BUF_SIZE, 1, NULL, 0);
  put_seed (0, "chunk", 1, buf + 4, n - 4);
  wire_encode_progress (buf, GUESTFS_PROC_DOWNLOAD, 3, 1 << 20, 100 << 20);
  put_seed (0, "progress", 0, buf + 4, GUESTFS_PROGRESS_SIZE);
  put_seed (0, "string", 0, "\0\0\0\x05hello\0\0\0", 12);
  printf ("%u seed files written to %s\n", files, outdir);
  free (buf);
  free (msg);
  return EXIT_SUCCESS;
}
