/* The inspection parsers (daemon/inspect-parse.c) on good, odd and
 * hostile input, without an appliance.  Run under the sanitizers
 * (scripts/run-tests), the random part checks that no input makes
 * them read or write out of bounds.
 */
#define _GNU_SOURCE 1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "inspect-parse.h"

/* A heap copy of exactly len bytes, so that reading past it is caught
 * by the sanitizers. */
static unsigned char *
exact_copy (const void *p, size_t len)
{
  unsigned char *c = malloc (len ? len : 1);
  if (c == NULL)
    abort ();
  memcpy (c, p, len);
  return c;
}

static void
test_elf (void)
{
  unsigned char h[64] = "\177ELF\2\1\1";
  h[18] = 62; /* EM_X86_64, little-endian */
  CHECK_STREQ (elf_architecture (h, sizeof h), "x86_64");
  h[18] = 183;
  CHECK_STREQ (elf_architecture (h, sizeof h), "aarch64");
  h[18] = 21; /* ppc64: the byte order names the variant */
  CHECK_STREQ (elf_architecture (h, sizeof h), "ppc64le");
  h[5] = 2;
  h[18] = 0;
  h[19] = 21;
  CHECK_STREQ (elf_architecture (h, sizeof h), "ppc64");
  h[19] = 22;
  CHECK_STREQ (elf_architecture (h, sizeof h), "s390x");
  h[4] = 1; /* 32-bit */
  CHECK_STREQ (elf_architecture (h, sizeof h), "s390");
  h[4] = 1, h[5] = 1, h[18] = 3, h[19] = 0;
  CHECK_STREQ (elf_architecture (h, sizeof h), "i386");

  /* Every truncation of a good header: nothing but NULL below 20. */
  for (size_t len = 0; len < 20; ++len) {
    unsigned char *c = exact_copy (h, len);
    CHECK_STREQ (elf_architecture (c, len), NULL);
    free (c);
  }
  unsigned char bad[64];
  memcpy (bad, h, sizeof bad);
  bad[4] = 3; /* no such class */
  CHECK_STREQ (elf_architecture (bad, sizeof bad), NULL);
  memcpy (bad, h, sizeof bad);
  bad[6] = 2; /* no such version */
  CHECK_STREQ (elf_architecture (bad, sizeof bad), NULL);
  memcpy (bad, h, sizeof bad);
  bad[18] = 0xff, bad[19] = 0xff; /* unknown machine */
  CHECK_STREQ (elf_architecture (bad, sizeof bad), NULL);
  CHECK_STREQ (elf_architecture ((unsigned char *)"#!/bin/sh\n", 10), NULL);
}

static void
test_pe (void)
{
  unsigned char pe[512] = "MZ";
  pe[0x3c] = 0x80;
  memcpy (pe + 0x80, "PE\0\0", 4);
  pe[0x84] = 0x64, pe[0x85] = 0x86;
  CHECK_STREQ (pe_architecture (pe, sizeof pe), "x86_64");
  pe[0x84] = 0x4c, pe[0x85] = 0x01;
  CHECK_STREQ (pe_architecture (pe, sizeof pe), "i386");
  pe[0x84] = 0x64, pe[0x85] = 0xaa;
  CHECK_STREQ (pe_architecture (pe, sizeof pe), "aarch64");
  /* The machine field cut off: the header is not read past the end. */
  for (size_t len = 0; len < 0x86; ++len) {
    unsigned char *c = exact_copy (pe, len);
    CHECK_STREQ (pe_architecture (c, len), NULL);
    free (c);
  }
  /* e_lfanew pointing anywhere, including past 4 GiB arithmetic. */
  static const uint32_t offsets[] = {0,     4,     0x3c,       0x1fc,
                                     0x1fb, 0x200, 0xfffffffc, 0xffffffff};
  for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; ++i) {
    unsigned char c[512];
    memcpy (c, pe, sizeof c);
    for (int b = 0; b < 4; ++b)
      c[0x3c + b] = (offsets[i] >> (8 * b)) & 0xff;
    CHECK_STREQ (pe_architecture (c, sizeof c), NULL);
  }
}

static void
kv (const char *text, const char *key, const char *want)
{
  size_t len = strlen (text);
  char *copy = (char *)exact_copy (text, len); /* not NUL-terminated */
  char *v = kv_lookup (copy, len, key);
  if (!((v == NULL && want == NULL) || (v && want && strcmp (v, want) == 0))) {
    fprintf (stderr,
             "FAIL: kv_lookup (\"%s\", %s) is \"%s\", expected "
             "\"%s\"\n",
             text, key, v ? v : "(null)", want ? want : "(null)");
    ++test_failures;
  }
  free (v);
  free (copy);
}

static void
test_kv (void)
{
  kv ("ID=debian\n", "ID", "debian");
  kv ("ID_LIKE=debian\nID=ubuntu", "ID", "ubuntu"); /* no final newline */
  kv ("NAME=\"Fedora Linux\"\n", "NAME", "Fedora Linux");
  kv ("NAME='single quoted'\n", "NAME", "single quoted");
  kv ("X=\"a \\\"b\\\" \\\\ \\$c \\n\"\n", "X", "a \"b\" \\ $c \\n");
  kv ("X=bare word\n", "X", "bare");
  kv ("  X=indented\n", "X", "indented");
  kv ("X=first\nX=second\n", "X", "second");
  kv ("X=\"unterminated\n", "X", NULL);
  kv ("X=\"unterminated\nX=ok\n", "X", "ok");
  kv ("X=\n", "X", "");
  kv ("#X=comment\n", "X", NULL);
  kv ("XY=1\n", "X", NULL);
  kv ("", "X", NULL);
  kv ("X", "X", NULL);
  kv ("X=", "X", "");
  /* A NUL inside a line spoils that line only. */
  char nul[] = "X=a\0b\nY=c\n";
  char *v = kv_lookup (nul, sizeof nul - 1, "X");
  CHECK_STREQ (v, NULL);
  free (v);
  v = kv_lookup (nul, sizeof nul - 1, "Y");
  CHECK_STREQ (v, "c");
  free (v);
}

static void
version (const char *s, bool ok, int major, int minor)
{
  int ma = -1, mi = -1;
  bool r = parse_version (s, &ma, &mi);
  if (r != ok || (ok && (ma != major || mi != minor))) {
    fprintf (stderr, "FAIL: parse_version (\"%s\") = %d %d.%d\n",
             s ? s : "(null)", r, ma, mi);
    ++test_failures;
  }
}

static void
test_versions (void)
{
  version ("12", true, 12, 0);
  version ("22.04", true, 22, 4);
  version ("7.9.2009", true, 7, 9);
  version ("39 (Thirty Nine)", true, 39, 0);
  version ("10.", true, 10, 0);
  version ("", false, 0, 0);
  version (NULL, false, 0, 0);
  version ("bookworm/sid", false, 0, 0);
  version ("-1", false, 0, 0);
  version ("1234567890", false, 0, 0); /* would overflow an int */
  version ("1.1234567890", true, 1, 0);
  int ma, mi;
  CHECK (
      parse_release_line ("CentOS Linux release 7.9.2009 (Core)", &ma, &mi) &&
      ma == 7 && mi == 9);
  CHECK (parse_release_line ("Fedora release 39 (Thirty Nine)", &ma, &mi) &&
         ma == 39 && mi == 0);
  CHECK (!parse_release_line ("Fedora", &ma, &mi));
  CHECK (!parse_release_line ("release", &ma, &mi));
}

static void
test_text (void)
{
  char *s = clean_text ("  a\tb\r\n\x01 c  ", 12, 100, false);
  CHECK_STREQ (s, "a b c");
  free (s);
  s = clean_text ("first\nsecond", 12, 100, true);
  CHECK_STREQ (s, "first");
  free (s);
  s = clean_text ("\n\n", 2, 100, false);
  CHECK_STREQ (s, NULL);
  /* Cut to the limit without splitting "é" (two bytes). */
  s = clean_text ("abé", 4, 3, false);
  CHECK_STREQ (s, "ab");
  free (s);
  s = clean_text ("a\0b", 3, 100, false);
  CHECK_STREQ (s, "a");
  free (s);

  CHECK (valid_hostname ("debian-test"));
  CHECK (valid_hostname ("fedora-test.example.com"));
  CHECK (!valid_hostname (""));
  CHECK (!valid_hostname ("has space"));
  CHECK (!valid_hostname ("semi;colon"));
  char longname[300];
  memset (longname, 'a', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  CHECK (!valid_hostname (longname));
}

static void
test_fstab (void)
{
  struct fstab_entry e;
  char l1[] = "UUID=abc /boot ext4 defaults 0 2";
  CHECK (fstab_parse_line (l1, &e) && strcmp (e.spec, "UUID=abc") == 0 &&
         strcmp (e.mountpoint, "/boot") == 0 &&
         strcmp (e.vfstype, "ext4") == 0 &&
         strcmp (e.options, "defaults") == 0);
  char l2[] = "LABEL=My\\040Disk /mnt/my\\040disk vfat";
  CHECK (fstab_parse_line (l2, &e) && strcmp (e.spec, "LABEL=My Disk") == 0 &&
         strcmp (e.mountpoint, "/mnt/my disk") == 0 &&
         strcmp (e.options, "defaults") == 0);
  char l3[] = "   # /dev/sda1 / ext4";
  CHECK (!fstab_parse_line (l3, &e));
  char l4[] = "/dev/sda1 /";
  CHECK (!fstab_parse_line (l4, &e));
  char l5[] = "";
  CHECK (!fstab_parse_line (l5, &e));
  char l6[] = "/dev/a\\000b /x ext4"; /* \000 would cut the name: kept */
  CHECK (fstab_parse_line (l6, &e) && strcmp (e.spec, "/dev/a\\000b") == 0);

  char *o = mount_option ("rw,subvol=root,compress=zstd:1", "subvol");
  CHECK_STREQ (o, "root");
  free (o);
  o = mount_option ("subvolid=5,subvol=/home", "subvol");
  CHECK_STREQ (o, "/home");
  free (o);
  o = mount_option ("subvolume=x", "subvol");
  CHECK_STREQ (o, NULL);
  o = mount_option ("", "subvol");
  CHECK_STREQ (o, NULL);

  static const char *const lvs[][2] = {
      {"debian--vg-root", "/dev/debian-vg/root"},
      {"vgubuntu-swap_1", "/dev/vgubuntu/swap_1"},
      {"a--b-c--d", "/dev/a-b/c-d"},
      {"vg-lv-real", NULL},
      {"-lv", NULL},
      {"vg-", NULL},
      {"vg", NULL},
      {"a--b", NULL},
      {"", NULL},
      {"luks-0123", "/dev/luks/0123"},
  };
  for (size_t i = 0; i < sizeof lvs / sizeof lvs[0]; ++i) {
    char *lv = lv_of_mapper_name (lvs[i][0]);
    CHECK_STREQ (lv, lvs[i][1]);
    free (lv);
  }

  int d, p;
  CHECK (parse_guest_disk_name ("/dev/sda", &d, &p) && d == 0 && p == 0);
  CHECK (parse_guest_disk_name ("/dev/vdb2", &d, &p) && d == 1 && p == 2);
  CHECK (parse_guest_disk_name ("/dev/xvdc10", &d, &p) && d == 2 && p == 10);
  CHECK (parse_guest_disk_name ("/dev/sdaa1", &d, &p) && d == 26 && p == 1);
  CHECK (!parse_guest_disk_name ("/dev/sdzzz1", &d, &p));
  CHECK (!parse_guest_disk_name ("/dev/sda0", &d, &p));
  CHECK (!parse_guest_disk_name ("/dev/sda1x", &d, &p));
  CHECK (!parse_guest_disk_name ("/dev/sda99999999999", &d, &p));
  CHECK (!parse_guest_disk_name ("/dev/nvme0n1p1", &d, &p));
  CHECK (!parse_guest_disk_name ("/dev/sd", &d, &p));

  CHECK (compare_mountpoints ("/", "/boot") < 0);
  CHECK (compare_mountpoints ("/home", "/boot/efi") < 0);
  CHECK (compare_mountpoints ("/boot/efi", "/home") > 0);
  CHECK (compare_mountpoints ("/boot", "/home") < 0);
  CHECK (compare_mountpoints ("/usr//local/", "/var") > 0);
}

static void
test_distros (void)
{
  CHECK_STREQ (distro_of_id ("debian"), "debian");
  CHECK_STREQ (distro_of_id ("Ubuntu"), "ubuntu");
  CHECK_STREQ (distro_of_id ("opensuse-leap"), "opensuse");
  CHECK_STREQ (distro_of_id ("arch"), "archlinux");
  CHECK_STREQ (distro_of_id ("ol"), "oraclelinux");
  CHECK_STREQ (distro_of_id ("nonesuch"), NULL);
  CHECK_STREQ (package_format_of_distro ("ubuntu"), "deb");
  CHECK_STREQ (package_format_of_distro ("sles"), "rpm");
  CHECK_STREQ (package_format_of_distro ("unknown"), NULL);
  CHECK_STREQ (package_manager_of_distro ("fedora", 39), "dnf");
  CHECK_STREQ (package_manager_of_distro ("fedora", 21), "yum");
  CHECK_STREQ (package_manager_of_distro ("centos", 7), "yum");
  CHECK_STREQ (package_manager_of_distro ("rhel", 9), "dnf");
  CHECK_STREQ (package_manager_of_distro ("debian", 12), "apt");
  CHECK_STREQ (package_manager_of_distro ("opensuse", 15), "zypper");
  CHECK_STREQ (package_manager_of_distro ("unknown", 1), NULL);
}

static void
test_windows (void)
{
  static const unsigned char mbr[12] = {0x78, 0x56, 0x34, 0x12, 0, 0,
                                        0x10, 0,    0,    0,    0, 0};
  uint32_t sig;
  uint64_t off;
  CHECK (parse_mbr_mounted_device (mbr, 12, &sig, &off) && sig == 0x12345678 &&
         off == 0x100000);
  CHECK (!parse_mbr_mounted_device (mbr, 11, &sig, &off));
  unsigned char gpt[24] = "DMIO:ID:";
  static const unsigned char guid[16] = {0x33, 0x22, 0x11, 0x00, 0x55, 0x44,
                                         0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb,
                                         0xcc, 0xdd, 0xee, 0xff};
  memcpy (gpt + 8, guid, 16);
  char s[37];
  CHECK (parse_gpt_mounted_device (gpt, 24, s) &&
         strcmp (s, "00112233-4455-6677-8899-aabbccddeeff") == 0);
  CHECK (!parse_gpt_mounted_device (gpt, 23, s));
  CHECK (!parse_gpt_mounted_device (mbr, 12, s));
  char letter;
  CHECK (parse_dos_device_name ("\\DosDevices\\C:", &letter) && letter == 'C');
  CHECK (parse_dos_device_name ("\\dosdevices\\d:", &letter) && letter == 'D');
  CHECK (!parse_dos_device_name ("\\DosDevices\\CD:", &letter));
  CHECK (!parse_dos_device_name ("\\DosDevices\\1:", &letter));
  CHECK (!parse_dos_device_name ("\\??\\Volume{x}", &letter));
}

/* Random bytes through every parser: no crash, no out-of-bounds access
 * (with the sanitizers), and no answer for garbage that could not be
 * one. */
static void
test_random (void)
{
  uint64_t state = 0x696e7370656374; /* "inspect" */
  for (int iter = 0; iter < 20000; ++iter) {
    size_t len = 0;
    unsigned char buf[600];
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    len = state % sizeof buf;
    for (size_t i = 0; i < len; ++i) {
      state ^= state << 13, state ^= state >> 7, state ^= state << 17;
      buf[i] = (unsigned char)state;
      /* Bias towards the bytes the parsers look for. */
      if (state % 7 == 0)
        buf[i] = "=\"'\\\n#-./\0"[state % 10];
    }
    if (len > 4 && state % 3 == 0)
      memcpy (buf, iter % 2 ? "\177ELF" : "MZ\0\0", 4);
    unsigned char *c = exact_copy (buf, len);
    elf_architecture (c, len);
    pe_architecture (c, len);
    free (kv_lookup ((char *)c, len, "ID"));
    free (clean_text ((char *)c, len, 50, iter % 2));
    char *str = malloc (len + 1);
    memcpy (str, buf, len);
    str[len] = '\0';
    struct fstab_entry e;
    fstab_parse_line (str, &e);
    memcpy (str, buf, len);
    free (lv_of_mapper_name (str));
    free (mount_option (str, "subvol"));
    int a, b;
    parse_version (str, &a, &b);
    parse_release_line (str, &a, &b);
    parse_guest_disk_name (str, &a, &b);
    valid_hostname (str);
    char letter, guid[37];
    parse_dos_device_name (str, &letter);
    parse_gpt_mounted_device (c, len, guid);
    free (str);
    free (c);
  }
}

int
main (void)
{
  test_elf ();
  test_pe ();
  test_kv ();
  test_versions ();
  test_text ();
  test_fstab ();
  test_distros ();
  test_windows ();
  test_random ();
  return test_result ();
}
