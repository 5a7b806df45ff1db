#define _GNU_SOURCE 1
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "qemu-procs.h"

/* /proc/PID/cmdline with spaces for NULs, or "" */
static void
read_cmdline (const char *pid, char *buf, size_t len)
{
  char path[300];
  snprintf (path, sizeof path, "/proc/%s/cmdline", pid);
  buf[0] = '\0';
  int fd = open (path, O_RDONLY);
  if (fd == -1)
    return;
  ssize_t r = read (fd, buf, len - 1);
  close (fd);
  if (r <= 0)
    return;
  for (ssize_t i = 0; i < r; ++i)
    if (buf[i] == '\0')
      buf[i] = ' ';
  buf[r] = '\0';
}

static bool
holds_open (const char *pid, const char *needle)
{
  char path[300];
  snprintf (path, sizeof path, "/proc/%s/fd", pid);
  DIR *d = opendir (path);
  struct dirent *e;
  bool found = false;
  while (d && !found && (e = readdir (d)) != NULL) {
    char link[600], target[4096];
    snprintf (link, sizeof link, "%s/%s", path, e->d_name);
    ssize_t n = readlink (link, target, sizeof target - 1);
    if (n > 0) {
      target[n] = '\0';
      found = strstr (target, needle) != NULL;
    }
  }
  if (d)
    closedir (d);
  return found;
}

int
count_qemu_using (const char *needle)
{
  DIR *d = opendir ("/proc");
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir (d)) != NULL) {
    char buf[8192];
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    read_cmdline (e->d_name, buf, sizeof buf);
    if (strstr (buf, "qemu") &&
        (strstr (buf, needle) || holds_open (e->d_name, needle)))
      ++n;
  }
  if (d)
    closedir (d);
  return n;
}

pid_t
qemu_child_of (pid_t parent)
{
  DIR *d = opendir ("/proc");
  pid_t found = -1;
  struct dirent *e;
  while (d && found == -1 && (e = readdir (d)) != NULL) {
    char buf[8192];
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    pid_t pid = atoi (e->d_name);
    read_cmdline (e->d_name, buf, sizeof buf);
    if (strstr (buf, "qemu") && proc_status_field (pid, "PPid") == parent)
      found = pid;
  }
  if (d)
    closedir (d);
  return found;
}
