/* Writing Windows registry hive files ("regf") for test guests.
 *
 * hivex edits hives but cannot make one from nothing, so regf_write_empty
 * lays down the smallest hive it accepts: the 4 KiB base block, then one
 * 4 KiB hive bin holding the root key (an nk cell), the security cell
 * every key must reference (sk), and the free rest of the bin.  The
 * tests then fill it with hivex_node_add_child and hivex_node_set_values.
 *
 * The layout follows the published descriptions of the format (base
 * block fields and the XOR checksum over its first 508 bytes, hbin
 * headers, and cells: a signed 32-bit size, negative while in use,
 * rounded up to 8 bytes).  All numbers are little-endian.
 */
#ifndef TEST_GUESTS_REGF_H
#define TEST_GUESTS_REGF_H

#include <stddef.h>
#include <stdint.h>

/* Sizes of the parts of a hive file. */
#define REGF_BASE_BLOCK_SIZE 4096
#define REGF_HBIN_SIZE 4096

/* Fill buf (REGF_BASE_BLOCK_SIZE + REGF_HBIN_SIZE bytes) with an empty
 * hive whose root key is called root_name (ASCII, at most 64 bytes) and
 * whose header records file_name (as Windows does, the last 31
 * characters of the hive's path).  Returns 0, or -1 if a name is too
 * long. */
extern int regf_make_empty (unsigned char *buf, const char *root_name,
                            const char *file_name);

/* Write an empty hive (as above) to path.  Returns 0, or -1 with errno
 * set. */
extern int regf_write_empty (const char *path, const char *root_name,
                             const char *file_name);

/* The checksum of a base block: the XOR of its first 127 32-bit words. */
extern uint32_t regf_checksum (const unsigned char *base_block);

#endif
