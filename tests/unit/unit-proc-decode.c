/* Decoding every procedure's arguments (what the daemon reads) and
 * return value (what the library reads) from proc_table: valid
 * encodings round-trip, and truncated, mutated or random bytes either
 * decode or fail cleanly, never overrun the struct or leak (the
 * sanitizer build checks both). */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "harness.h"
#include "proc-table.h"
#include "wire.h"
#include "xdr-sample.h"

#define RANDOM_ROUNDS 300

static uint64_t rng_state = UINT64_C (0x9e3779b97f4a7c15);

static uint32_t
rng (void)
{
  /* xorshift64*: reproducible across runs, no libc state. */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (rng_state * UINT64_C (2685821657736338717)) >> 32;
}

/* Decode into a heap object of exactly the struct's size, so that a
 * decoder writing past it is caught.  Returns 1 if it decoded, 0 if it
 * failed; *pos gets the bytes consumed. */
static int
try_decode (xdrproc_t xdrp, size_t size, const char *bytes, size_t len,
            u_int *pos, char *reencoded, size_t *relen)
{
  void *obj = calloc (1, size);
  if (obj == NULL)
    abort ();
  XDR xdr;
  xdrmem_create (&xdr, (char *) bytes, len, XDR_DECODE);
  bool_t ok = xdrp (&xdr, obj, 0);
  if (pos)
    *pos = xdr_getpos (&xdr);
  xdr_destroy (&xdr);
  if (ok && reencoded) {
    XDR out;
    xdrmem_create (&out, reencoded, *relen, XDR_ENCODE);
    CHECK (xdrp (&out, obj, 0));
    *relen = xdr_getpos (&out);
    xdr_destroy (&out);
  }
  /* Freeing a half-decoded object is how every caller cleans up. */
  xdr_free (xdrp, obj);
  free (obj);
  return ok ? 1 : 0;
}

static void
check_valid (const char *what, unsigned proc, xdrproc_t xdrp, size_t size,
             char *enc, char *tmp)
{
  for (unsigned v = 0; v < 4; ++v) {
    ssize_t n = xdr_sample_encode (xdrp, size, v, enc, 65536);
    if (n < 0) {
      fprintf (stderr, "proc %u %s: no sample encoding\n", proc, what);
      CHECK (n >= 0);
      continue;
    }
    u_int pos;
    size_t relen = 65536;
    CHECK (try_decode (xdrp, size, enc, n, &pos, tmp, &relen) == 1);
    CHECK (pos == (u_int) n);
    CHECK (relen == (size_t) n && memcmp (enc, tmp, n) == 0);

    /* A strict prefix of a valid encoding never decodes: the decoder
     * reads the same fields and runs out of bytes. */
    for (ssize_t cut = 0; cut < n; ++cut)
      if (try_decode (xdrp, size, enc, cut, NULL, NULL, NULL)) {
        fprintf (stderr, "proc %u %s: %zd of %zd bytes decoded\n", proc,
                 what, cut, n);
        ++test_failures;
      }

    /* Single-byte corruptions: whatever decodes must re-encode to
     * something that decodes again.  Words are 4-byte aligned, so i % 4
     * says which byte of a word is hit.  The middle bytes only get
     * small values: a list count in the millions makes every decoder
     * allocate and then walk that many empty elements to free them,
     * which is slow, not wrong (see check_random for such counts). */
    static const unsigned char high[] = { 0x00, 0x7f, 0x80, 0xff };
    static const unsigned char middle[] = { 0x00, 0x01 };
    static const unsigned char low[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
    for (ssize_t i = 0; i < n; ++i) {
      const unsigned char *subst = i % 4 == 0 ? high : i % 4 == 3 ? low
                                                                  : middle;
      size_t nsubst = i % 4 == 0 ? sizeof high : i % 4 == 3 ? sizeof low
                                                            : sizeof middle;
      for (size_t s = 0; s < nsubst; ++s) {
        char saved = enc[i];
        enc[i] = subst[s];
        size_t rl = 65536;
        if (try_decode (xdrp, size, enc, n, NULL, tmp, &rl))
          CHECK (try_decode (xdrp, size, tmp, rl, NULL, NULL, NULL) == 1);
        enc[i] = saved;
      }
    }
  }
}

static void
fill_random (char *b, size_t len, bool structured)
{
  for (size_t i = 0; i + 4 <= len; i += 4) {
    uint32_t w = rng ();
    /* Small words look like lengths and counts, so that the decoder
     * gets past the first field more often. */
    if (structured && (w & 3) != 0)
      w = (w >> 8) % 9;
    wire_put_u32 (b + i, w);
  }
  for (size_t i = len & ~(size_t) 3; i < len; ++i)
    b[i] = rng ();
}

static void
check_random (xdrproc_t xdrp, size_t size, char *b)
{
  for (int round = 0; round < RANDOM_ROUNDS; ++round) {
    size_t len = rng () % 512;
    fill_random (b, len, round & 1);
    try_decode (xdrp, size, b, len, NULL, NULL, NULL);
  }
  /* Lengths and counts at and beyond every limit. */
  static const uint32_t huge[] = { 0xffffffff, 0x7fffffff, 0x0aaaaaaa,
                                   0x01000000, 0x00ffffff, 0x00400001,
                                   0x00400000, 0x00100001, 0x00010000 };
  for (size_t i = 0; i < sizeof huge / sizeof huge[0]; ++i) {
    for (size_t j = 0; j < 4096; j += 4)
      wire_put_u32 (b + j, huge[i]);
    try_decode (xdrp, size, b, 4096, NULL, NULL, NULL);
  }
}

/* A whole request or reply: header plus body, as both sides read it. */
static void
check_message (unsigned proc, xdrproc_t xdrp, size_t size, char *enc,
               char *msg)
{
  struct guestfs_message_header h = {
    .prog = GUESTFS_PROGRAM, .vers = GUESTFS_PROTOCOL_VERSION, .proc = proc,
    .direction = GUESTFS_DIRECTION_CALL, .serial = proc * 7,
    .status = GUESTFS_STATUS_OK,
  };
  ssize_t n = xdr_sample_encode (xdrp, size, 2, enc, 65536);
  if (n < 0)
    return;
  /* Re-encode through the real framing: decode the sample first. */
  void *obj = calloc (1, size);
  XDR xdr;
  xdrmem_create (&xdr, enc, n, XDR_DECODE);
  CHECK (xdrp (&xdr, obj, 0));
  xdr_destroy (&xdr);
  ssize_t m = wire_encode_message (msg, 65536, &h, xdrp, obj);
  xdr_free (xdrp, obj);
  CHECK (m == n + 4 + 24);
  if (m < 0) {
    free (obj);
    return;
  }
  struct guestfs_message_header h2;
  memset (obj, 0, size);
  CHECK (wire_decode_header (&xdr, msg + 4, m - 4, &h2) == 0);
  CHECK (h2.proc == proc && h2.serial == proc * 7);
  CHECK (wire_decode_rest (&xdr, m - 4, xdrp, obj) == 0);
  xdr_destroy (&xdr);
  xdr_free (xdrp, obj);
  /* Truncated anywhere after the header: fails, nothing leaks. */
  for (ssize_t cut = 24; cut < m - 4; ++cut) {
    memset (obj, 0, size);
    CHECK (wire_decode_header (&xdr, msg + 4, cut, &h2) == 0);
    CHECK (wire_decode_rest (&xdr, cut, xdrp, obj) == -1);
    xdr_destroy (&xdr);
  }
  free (obj);
}

static void
check_fixed_types (char *b)
{
  /* The types every message uses, with no procedure behind them. */
  static const struct {
    xdrproc_t xdrp;
    size_t size;
  } types[] = {
    { (xdrproc_t) xdr_guestfs_message_header,
      sizeof (struct guestfs_message_header) },
    { (xdrproc_t) xdr_guestfs_message_error,
      sizeof (struct guestfs_message_error) },
    { (xdrproc_t) xdr_guestfs_chunk, sizeof (struct guestfs_chunk) },
    { (xdrproc_t) xdr_guestfs_progress, sizeof (struct guestfs_progress) },
  };
  char *enc = malloc (65536), *tmp = malloc (65536);
  for (size_t i = 0; i < sizeof types / sizeof types[0]; ++i) {
    check_valid ("fixed type", i, types[i].xdrp, types[i].size, enc, tmp);
    check_random (types[i].xdrp, types[i].size, b);
  }
  free (enc);
  free (tmp);
}

int
main (void)
{
  char *enc = malloc (65536), *tmp = malloc (65536), *b = malloc (65536);
  if (!enc || !tmp || !b)
    abort ();
  unsigned nprocs = 0;
  for (unsigned proc = 0; proc < GUESTFS_PROC_NR_PROCS; ++proc) {
    const struct proc_info *pi = proc_lookup (proc);
    if (pi == NULL)
      continue;
    ++nprocs;
    CHECK (pi->name[0] != '\0');
    CHECK ((pi->args_xdr == NULL) == (pi->args_size == 0));
    CHECK ((pi->ret_xdr == NULL) == (pi->ret_size == 0));
    if (pi->args_xdr) {
      check_valid ("args", proc, pi->args_xdr, pi->args_size, enc, tmp);
      check_random (pi->args_xdr, pi->args_size, b);
      check_message (proc, pi->args_xdr, pi->args_size, enc, tmp);
    }
    if (pi->ret_xdr) {
      check_valid ("ret", proc, pi->ret_xdr, pi->ret_size, enc, tmp);
      check_random (pi->ret_xdr, pi->ret_size, b);
      check_message (proc, pi->ret_xdr, pi->ret_size, enc, tmp);
    }
  }
  CHECK (nprocs > 0);
  CHECK (proc_lookup (0) == NULL);
  CHECK (proc_lookup (GUESTFS_PROC_NR_PROCS) == NULL);
  CHECK (proc_lookup (0xffffffff) == NULL);
  check_fixed_types (b);
  /* A count in a 4-byte word must not make a decoder allocate and
   * touch gigabytes (lists are capped at what a message can hold). */
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  CHECK (ru.ru_maxrss < 512 * 1024);
  printf ("%u procedures checked\n", nprocs);
  free (enc);
  free (tmp);
  free (b);
  return test_result ();
}
