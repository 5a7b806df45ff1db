/* Inspection: the parsers of guest content.
 *
 * Everything here reads bytes from a guest and must survive anything:
 * inputs are (pointer, length) or NUL-terminated strings the caller
 * bounded, nothing is trusted to be well formed, and failure to
 * understand is an ordinary answer (NULL, false), never an error.
 * These functions use no daemon state, so the unit tests exercise them
 * directly with hostile input (tests/inspect/inspect-parse.c).
 */
#ifndef GUESTFSD_INSPECT_PARSE_H
#define GUESTFSD_INSPECT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Executables ---- */

/* The architecture (as uname -m names it) of an ELF file whose first
 * len bytes are buf, or NULL if it is not an ELF file of a known
 * machine. */
extern const char *elf_architecture (const unsigned char *buf, size_t len);

/* The same for a PE (Windows) executable: MZ header, then the PE
 * header wherever e_lfanew says, which must lie within len. */
extern const char *pe_architecture (const unsigned char *buf, size_t len);

/* ---- KEY=VALUE files (os-release, lsb-release, sysconfig) ---- */

/* The value of key in text (len bytes, need not be NUL-terminated),
 * with the shell-like quoting of os-release(5) undone: "..." (in which
 * \" \\ \$ \` are escapes), '...', or a bare word.  The last assignment
 * wins, as when the file is sourced.  malloc'd, or NULL if the key is
 * absent, its value malformed, or memory runs out. */
extern char *kv_lookup (const char *text, size_t len, const char *key);

/* ---- Versions and names ---- */

/* "12", "22.04", "9.3.1", "7.9.2009": leading numbers separated by
 * dots.  Sets major (and minor, 0 when absent) and returns true, or
 * returns false if s does not start with a number (or it is absurdly
 * large). */
extern bool parse_version (const char *s, int *major, int *minor);

/* The version in a line like "Fedora release 39 (Thirty Nine)" or
 * "CentOS Linux release 7.9.2009 (Core)": the word after "release". */
extern bool parse_release_line (const char *line, int *major, int *minor);

/* A copy of at most max bytes of text without control characters
 * (newlines, tabs and the rest become spaces, runs of spaces become
 * one), trimmed; stops at the first NUL or newline if first_line.
 * malloc'd, NULL if nothing is left or memory runs out. */
extern char *clean_text (const char *text, size_t len, size_t max,
                         bool first_line);

/* A plausible host name: 1 to 253 characters of letters, digits, '-',
 * '_' and '.'. */
extern bool valid_hostname (const char *s);

/* ---- /etc/fstab ---- */

struct fstab_entry {
  char *spec;       /* UUID=..., /dev/..., ... (unescaped) */
  char *mountpoint; /* unescaped */
  char *vfstype;
  char *options;
};

/* Split one line of fstab (modified in place; the entry's strings
 * point into it).  Returns false for comments, blank and malformed
 * lines. */
extern bool fstab_parse_line (char *line, struct fstab_entry *e);

/* The value of option name (e.g. "subvol") in a comma-separated mount
 * option list: malloc'd, NULL if absent. */
extern char *mount_option (const char *options, const char *name);

/* The logical volume /dev/VG/LV of a device-mapper name "VG-LV" (dashes
 * in either part are doubled).  malloc'd, NULL if name is not of that
 * form. */
extern char *lv_of_mapper_name (const char *name);

/* A Linux disk name of the guest's own hardware: /dev/sdb2, /dev/vda1,
 * /dev/hdc, /dev/xvda3.  Sets *disk (0 for a, 1 for b, ..., 26 for aa)
 * and *partition (0 for the whole disk) and returns true; false for
 * anything else. */
extern bool parse_guest_disk_name (const char *dev, int *disk, int *partition);

/* Order mount points so that a directory comes before anything below
 * it: fewer path components first, then by name. */
extern int compare_mountpoints (const char *a, const char *b);

/* ---- Distributions ---- */

/* The distro name libguestfs uses for an os-release ID (or an
 * lsb-release DISTRIB_ID, compared without case), or NULL. */
extern const char *distro_of_id (const char *id);

/* The package format and manager of a distro ("deb", "apt"), or NULL.
 * The manager depends on the version for some (yum became dnf). */
extern const char *package_format_of_distro (const char *distro);
extern const char *package_manager_of_distro (const char *distro, int major);

/* ---- Windows ---- */

/* A MountedDevices value for an MBR partition: 12 bytes, the disk's
 * signature then the partition's byte offset, little-endian. */
extern bool parse_mbr_mounted_device (const unsigned char *data, size_t len,
                                      uint32_t *signature, uint64_t *offset);

/* A MountedDevices value for a GPT partition: "DMIO:ID:" and the
 * partition's GUID (16 bytes, mixed-endian as Windows stores GUIDs),
 * formatted into guid (37 bytes) the way libblkid formats
 * PART_ENTRY_UUID (lower case, 8-4-4-4-12). */
extern bool parse_gpt_mounted_device (const unsigned char *data, size_t len,
                                      char guid[37]);

/* A MountedDevices value name "\DosDevices\X:": sets the letter
 * (upper case). */
extern bool parse_dos_device_name (const char *name, char *letter);

#endif
