/* Untrusted text for a terminal (common/sanitize.c): what a terminal
 * would act on becomes visible, everything else stays as it was. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "sanitize.h"

static void
check_one (const char *in, int flags, const char *want)
{
  char *got = guestfs_int_sanitize (in, flags);
  if (got == NULL || strcmp (got, want) != 0) {
    fprintf (stderr, "FAIL: sanitize (\"%s\"): got \"%s\", want \"%s\"\n",
             in, got ? got : "(null)", want);
    ++test_failures;
  }
  free (got);
}

static void
test_controls (void)
{
  /* Plain text and UTF-8 names are untouched. */
  check_one ("etc/passwd", 0, "etc/passwd");
  check_one ("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", 0,
             "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
  check_one ("C:\\Windows", 0, "C:\\Windows");
  /* An OSC that retitles the window, a CSI that clears the screen. */
  check_one ("a\x1b]0;owned\x07z", 0, "a\\x1b]0;owned\\x07z");
  check_one ("\x1b[2J\x1b[H", 0, "\\x1b[2J\\x1b[H");
  check_one ("del\x7f", 0, "del\\x7f");
  check_one ("line\nfeed\rret\ttab", 0, "line\\x0afeed\\x0dret\\x09tab");
  /* Several lines: newlines and tabs stay, CR LF becomes LF, a lone CR
   * (which would overwrite the line) does not. */
  check_one ("one\r\ntwo\n\tthree\rfour", GUESTFS_SANITIZE_MULTILINE,
             "one\ntwo\n\tthree\\x0dfour");
  check_one ("x\x1b[31my\n", GUESTFS_SANITIZE_MULTILINE, "x\\x1b[31my\n");
}

static void
test_utf8 (void)
{
  /* C1 controls: as UTF-8 (U+009B is CSI) and as single bytes. */
  check_one ("a\xc2\x9b" "31mb", 0, "a\\u009b31mb");
  check_one ("a\x9b" "31mb", 0, "a\\x9b31mb");
  /* Bidirectional overrides reorder what is shown. */
  check_one ("evil\xe2\x80\xaetxt.exe", 0, "evil\\u202etxt.exe");
  check_one ("\xe2\x81\xa6x\xe2\x81\xa9", 0, "\\u2066x\\u2069");
  /* Not UTF-8: overlong, surrogate, beyond U+10FFFF, truncated. */
  check_one ("\xc0\xaf", 0, "\\xc0\\xaf");
  check_one ("\xed\xa0\x80", 0, "\\xed\\xa0\\x80");
  check_one ("\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80");
  check_one ("end\xe6\x97", 0, "end\\xe6\\x97");
  check_one ("\xff\xfe", 0, "\\xff\\xfe");
}

int
main (void)
{
  test_controls ();
  test_utf8 ();
  return test_result ();
}
