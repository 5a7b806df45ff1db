/* Windows dynamic disks (LDM), with ldmtool.
 *
 * ldmtool answers in JSON: an array of strings, or an object whose
 * members are strings, numbers or arrays of strings.  The small reader
 * below knows exactly that much.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "daemon-actions.h"
#include "storage.h"

/* ---- Reading ldmtool's JSON ---- */

static const char *
skip_space (const char *p)
{
  return p + strspn (p, " \t\r\n");
}

/* A JSON string at p (after skipping blanks): malloc'd, *end after it.
 * NULL if p is not at a string. */
static char *
json_string (const char *p, const char **end)
{
  p = skip_space (p);
  if (*p != '"')
    return NULL;
  char *r = malloc (strlen (p) + 1), *q = r;
  if (r == NULL)
    return NULL;
  for (++p; *p && *p != '"'; ++p) {
    if (*p == '\\' && p[1]) {
      ++p;
      if (*p == 'u') { /* not in names ldmtool prints: keep a '?' */
        *q++ = '?';
        p += strspn (p + 1, "0123456789abcdefABCDEF") > 3 ? 4 : 0;
        continue;
      }
      *q++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
    } else
      *q++ = *p;
  }
  if (*p != '"') {
    free (r);
    return NULL;
  }
  *q = '\0';
  *end = p + 1;
  return r;
}

/* A JSON array of strings at p, as a list; NULL if it is not one. */
static char **
json_string_array (const char *p)
{
  p = skip_space (p);
  if (*p != '[')
    return NULL;
  struct stringsbuf sb = {0};
  p = skip_space (p + 1);
  while (*p == '"') {
    char *s = json_string (p, &p);
    if (s == NULL || add_string_nodup (&sb, s) == -1) {
      free_stringsbuf (&sb);
      return NULL;
    }
    p = skip_space (p);
    if (*p == ',')
      p = skip_space (p + 1);
  }
  if (*p != ']') {
    free_stringsbuf (&sb);
    return NULL;
  }
  return take_strings (&sb);
}

/* The value of member key of the top-level object, or NULL. */
static const char *
json_member (const char *json, const char *key)
{
  int depth = 0;
  for (const char *p = json; *p; ++p) {
    if (*p == '{' || *p == '[')
      ++depth;
    else if (*p == '}' || *p == ']')
      --depth;
    else if (*p == '"') {
      const char *end;
      char *s = json_string (p, &end);
      if (s == NULL)
        return NULL;
      bool match = depth == 1 && strcmp (s, key) == 0;
      free (s);
      p = end - 1;
      if (match) {
        const char *colon = skip_space (end);
        if (*colon == ':')
          return colon + 1;
      }
    }
  }
  return NULL;
}

/* ---- Running ldmtool ---- */

static char *
ldmtool (const char *subject, const char *const *argv)
{
  if (host_mode) {
    reply_with_error_errno (EPERM, "%s: dynamic disks are not available "
                            "when guestfsd runs on the host", subject);
    return NULL;
  }
  char *out = NULL;
  if (run_or_reply (subject, argv, &out) == -1)
    return NULL;
  return out;
}

static char **
reply_string_array (const char *subject, const char *value)
{
  char **r = value ? json_string_array (value) : NULL;
  if (r == NULL)
    reply_with_error_errno (EPROTO, "%s: cannot read ldmtool's answer",
                            subject);
  return r;
}

static char **
scan (char *const *devices)
{
  const char *argv[64] = {"ldmtool", "scan"};
  size_t n = 2;
  for (size_t i = 0; devices && devices[i] && n < 63; ++i)
    argv[n++] = devices[i];
  argv[n] = NULL;
  CLEANUP_FREE char *out = ldmtool ("scan", argv);
  return out ? reply_string_array ("scan", out) : NULL;
}

char **
do_ldmtool_scan (void)
{
  return scan (NULL);
}

char **
do_ldmtool_scan_devices (char *const *devices)
{
  if (count_strings (devices) > 60) {
    reply_with_error_errno (E2BIG, "devices: at most 60");
    return NULL;
  }
  return scan (devices);
}

/* "show diskgroup GUID" or "show volume GUID NAME": the JSON object. */
static char *
show (const char *what, const char *diskgroup, const char *volume)
{
  if (diskgroup[0] == '-' || (volume && volume[0] == '-')) {
    reply_with_error_errno (EINVAL, "%s: not a disk group", diskgroup);
    return NULL;
  }
  const char *argv[] = {"ldmtool", "show", what, diskgroup, volume, NULL};
  return ldmtool (volume ? volume : diskgroup, argv);
}

static char *
member_string (const char *subject, const char *json, const char *key)
{
  const char *v = json_member (json, key);
  const char *end;
  char *r = v ? json_string (v, &end) : NULL;
  if (r == NULL)
    reply_with_error_errno (EPROTO, "%s: ldmtool gave no %s", subject, key);
  return r;
}

char *
do_ldmtool_diskgroup_name (const char *diskgroup)
{
  CLEANUP_FREE char *out = show ("diskgroup", diskgroup, NULL);
  return out ? member_string (diskgroup, out, "name") : NULL;
}

static char **
diskgroup_list (const char *diskgroup, const char *key)
{
  CLEANUP_FREE char *out = show ("diskgroup", diskgroup, NULL);
  return out ? reply_string_array (diskgroup, json_member (out, key)) : NULL;
}

char **
do_ldmtool_diskgroup_volumes (const char *diskgroup)
{
  return diskgroup_list (diskgroup, "volumes");
}

char **
do_ldmtool_diskgroup_disks (const char *diskgroup)
{
  return diskgroup_list (diskgroup, "disks");
}

char *
do_ldmtool_volume_type (const char *diskgroup, const char *volume)
{
  CLEANUP_FREE char *out = show ("volume", diskgroup, volume);
  return out ? member_string (volume, out, "type") : NULL;
}

char *
do_ldmtool_volume_hint (const char *diskgroup, const char *volume)
{
  CLEANUP_FREE char *out = show ("volume", diskgroup, volume);
  if (out == NULL)
    return NULL;
  /* A volume without a hint has no such member. */
  const char *v = json_member (out, "hint");
  const char *end;
  char *r = v ? json_string (v, &end) : strdup ("");
  if (r == NULL)
    reply_with_error_errno (EPROTO, "%s: cannot read its hint", volume);
  return r;
}

char **
do_ldmtool_volume_partitions (const char *diskgroup, const char *volume)
{
  CLEANUP_FREE char *out = show ("volume", diskgroup, volume);
  return out ? reply_string_array (volume, json_member (out, "partitions"))
             : NULL;
}

static int
create_or_remove (const char *what)
{
  const char *argv[] = {"ldmtool", what, "all", NULL};
  char *out = ldmtool (what, argv);
  free (out);
  return out ? 0 : -1;
}

int
do_ldmtool_create_all (void)
{
  return create_or_remove ("create");
}

int
do_ldmtool_remove_all (void)
{
  return create_or_remove ("remove");
}

/* /dev/mapper/PREFIX*, sorted. */
static char **
list_mapper (const char *prefix)
{
  if (host_mode) {
    reply_with_error_errno (EPERM, "devices are not available when guestfsd "
                                   "runs on the host");
    return NULL;
  }
  struct stringsbuf sb = {0};
  DIR *d = opendir ("/dev/mapper");
  struct dirent *e;
  while (d && (e = readdir (d)) != NULL) {
    if (strncmp (e->d_name, prefix, strlen (prefix)) != 0)
      continue;
    char *dev;
    if (asprintf (&dev, "/dev/mapper/%s", e->d_name) == -1 ||
        add_string_nodup (&sb, dev) == -1) {
      closedir (d);
      free_stringsbuf (&sb);
      return NULL;
    }
  }
  if (d)
    closedir (d);
  sort_strings (sb.argv, sb.size);
  return take_strings (&sb);
}

char **
do_list_ldm_volumes (void)
{
  return list_mapper ("ldm_vol_");
}

char **
do_list_ldm_partitions (void)
{
  return list_mapper ("ldm_part_");
}
