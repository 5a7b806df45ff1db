/* Text from the appliance or a guest image (daemon error messages,
 * file names, link targets, console output) shown on a terminal.
 *
 * A hostile image can put escape sequences in any of them, and a
 * terminal obeys those: retitle the window, rewrite what is on the
 * screen, on some terminals answer with keystrokes.  Everything that
 * prints such text goes through here, which shows control characters,
 * C1 controls, bytes that are not UTF-8 and bidirectional overrides
 * as visible escapes (\x1b, \u202e) and leaves other text as it is.
 */
#ifndef GUESTFS_COMMON_SANITIZE_H
#define GUESTFS_COMMON_SANITIZE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Keep newlines and tabs (a carriage return before a newline is
 * dropped): for messages of several lines, such as console output.
 * Without it every control character is escaped. */
#define GUESTFS_SANITIZE_MULTILINE 1

/* Write len bytes of s to f, escaped. */
extern void guestfs_int_fput_sanitized (const char *s, size_t len, int flags,
                                        FILE *f);
/* The escaped string (malloc'd), or NULL if out of memory. */
extern char *guestfs_int_sanitize (const char *s, int flags);
/* Format, then write the result escaped. */
extern void guestfs_int_vfprintf_sanitized (FILE *f, int flags,
                                            const char *fmt, va_list ap)
  __attribute__ ((format (printf, 3, 0)));

#endif
