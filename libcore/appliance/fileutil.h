/* File utilities shared by the appliance builder and the qemu module
 * (libcore/qemu/): whole-file and positioned reads, one-line state
 * files, program lookup along $PATH, tree removal, and the hash their
 * cache keys are made with.
 *
 * Nothing here reports errors itself: functions return -1/NULL/false
 * with errno set, and the caller words the message.
 */

#ifndef GUESTFS_FILEUTIL_H
#define GUESTFS_FILEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A regular file / a directory (following symbolic links). */
bool is_file (const char *path);
bool is_dir (const char *path);

/* The names in dir but "." and "..", sorted as alphasort(3) does, as a
 * NULL-terminated malloc'd list (free with CLEANUP_FREE_STRING_LIST);
 * NULL if dir cannot be read. */
char **list_dir (const char *dir);

/* Reads exactly len bytes at offset off.  Returns 0, or -1 on error or
 * end of file. */
int read_exact_at (int fd, void *buf, size_t len, off_t off);

/* The whole of a file, malloc'd, its size in *len_out; NULL on error. */
unsigned char *read_whole_file (const char *path, size_t *len_out);

/* The first line of a small state file (up to PATH_MAX bytes), without
 * its newline, malloc'd; NULL if the file is missing or empty. */
char *read_first_line (const char *path);

/* Creates or truncates path (mode 0644) and writes content to it.
 * Returns 0 or -1. */
int write_file (const char *path, const char *content);

/* The file that running prog would execute: prog itself if it contains
 * a '/', else the first executable prog along $PATH (the lookup execvp
 * does, done before fork because the child of a multithreaded program
 * may only make async-signal-safe calls).  malloc'd; NULL with errno
 * ENOENT if there is none. */
char *find_program (const char *prog);

/* Removes path and everything under it, never following a symbolic
 * link; errors are ignored. */
void remove_tree (const char *path);

/* 64-bit FNV-1a: h = FNV1A64_INIT, then h = fnv1a64 (h, s) for each
 * string.  Cache keys are made with it; not for security. */
#define FNV1A64_INIT 0xcbf29ce484222325ULL
uint64_t fnv1a64 (uint64_t h, const char *s);

#endif /* GUESTFS_FILEUTIL_H */
