/* The optional groups in the appliance, on a scratch disk: POSIX ACLs,
 * file capabilities, SELinux labels, inotify, the systemd journal, The
 * Sleuth Kit, YARA, squashfs, scrub, boot loaders and kernel modules.
 *
 * /dev/sda: partition 1 (ext4, 256 MiB) and partition 2 (the rest). */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "edit-util.h"

#define MiB (1024 * 1024)
#define P1 "/dev/sda1"
#define P2 "/dev/sda2"

static guestfs_h *g;
static char *tmpdir;

static void
test_groups (void)
{
  static const char *const groups[] = {
      "acl",          "linuxcaps", "selinux",  "selinuxrelabel", "journal",
      "inotify",      "sleuthkit", "libtsk",   "libyara",        "scrub",
      "squashfs",     "syslinux",  "extlinux", "grub",           "f2fs",
      "linuxmodules", NULL,
  };
  for (const char *const *grp = groups; *grp; ++grp) {
    char *const one[] = {(char *)*grp, NULL};
    if (guestfs_feature_available (g, one) != 1)
      fprintf (stderr, "group %s: %s\n", *grp, guestfs_last_error (g));
    CHECK (guestfs_feature_available (g, one) == 1);
  }
}

static void
test_acl (void)
{
  CHECK (guestfs_touch (g, "/aclfile") == 0);
  CHECK (guestfs_acl_set_file (g, "/aclfile", "access",
                               "user::rw-,user:4321:r--,group::r--,"
                               "mask::r--,other::---") == 0);
  CHECK_CALL_STREQ (g, guestfs_acl_get_file (g, "/aclfile", "access"),
                    "user::rw-\nuser:4321:r--\ngroup::r--\nmask::r--\n"
                    "other::---");
  /* The mode follows the ACL: the mask is the group bits. */
  struct guestfs_statns *st = guestfs_statns (g, "/aclfile");
  CHECK (st && (st->st_mode & 0777) == 0640);
  guestfs_free_statns (st);

  CHECK (guestfs_mkdir (g, "/acldir") == 0);
  CHECK_CALL_STREQ (g, guestfs_acl_get_file (g, "/acldir", "default"), "");
  CHECK (guestfs_acl_set_file (g, "/acldir", "default",
                               "u::rwx\ng::r-x\no::---") == 0);
  CHECK_CALL_STREQ (g, guestfs_acl_get_file (g, "/acldir", "default"),
                    "user::rwx\ngroup::r-x\nother::---");
  /* What is created in the directory inherits it. */
  CHECK (guestfs_touch (g, "/acldir/child") == 0);
  CHECK_CALL_STREQ (g, guestfs_acl_get_file (g, "/acldir/child", "access"),
                    "user::rw-\ngroup::r--\nother::---");
  CHECK (guestfs_acl_delete_def_file (g, "/acldir") == 0);
  CHECK_CALL_STREQ (g, guestfs_acl_get_file (g, "/acldir", "default"), "");

  CHECK_ERROR_NULL (g, guestfs_acl_get_file (g, "/aclfile", "bogus"), EINVAL,
                    "acltype");
  CHECK_ERROR (g, guestfs_acl_set_file (g, "/aclfile", "access", "nonsense"),
               EINVAL, "not a valid ACL");
  CHECK_ERROR (g,
               guestfs_acl_set_file (g, "/aclfile", "access",
                                     "user::rw-,user:4321:r--,group::r--,"
                                     "other::---"),
               EINVAL, "mask");
  CHECK_ERROR_NULL (g, guestfs_acl_get_file (g, "/nonexistent", "access"),
                    ENOENT, NULL);
}

static void
test_caps (void)
{
  CHECK (guestfs_write (g, "/capfile", "#!/bin/sh\n", 10) == 0);
  CHECK_CALL_STREQ (g, guestfs_cap_get_file (g, "/capfile"), "");
  CHECK (guestfs_cap_set_file (g, "/capfile", "cap_net_raw+ep") == 0);
  CHECK_CALL_STREQ (g, guestfs_cap_get_file (g, "/capfile"), "cap_net_raw=ep");
  /* The same thing seen as the extended attribute it is. */
  size_t len = 0;
  char *raw = guestfs_getxattr (g, "/capfile", "security.capability", &len);
  CHECK (raw && len >= 20);
  free (raw);
  CHECK_ERROR (g, guestfs_cap_set_file (g, "/capfile", "cap_bogus+zz"), EINVAL,
               NULL);
  CHECK_ERROR (g, guestfs_cap_set_file (g, "/acldir", "cap_net_raw+ep"), EINVAL,
               "regular");
  CHECK_ERROR_NULL (g, guestfs_cap_get_file (g, "/nonexistent"), ENOENT, NULL);
}

static void
test_selinux (void)
{
  /* Labels are extended attributes: setfiles writes them without
   * SELinux running in the appliance. */
  static const char contexts[] =
      "/.*\tsystem_u:object_r:default_t:s0\n"
      "/labelled(/.*)?\tsystem_u:object_r:etc_t:s0\n";
  CHECK (guestfs_mkdir (g, "/labelled") == 0);
  CHECK (guestfs_touch (g, "/labelled/file") == 0);
  CHECK (guestfs_write (g, "/file_contexts", contexts, sizeof contexts - 1) ==
         0);
  OK (g, guestfs_selinux_relabel (g, "/file_contexts", "/labelled", -1));
  size_t len = 0;
  char *label =
      guestfs_getxattr (g, "/labelled/file", "security.selinux", &len);
  CHECK (label && len >= 26 &&
         strncmp (label, "system_u:object_r:etc_t:s0", 26) == 0);
  free (label);
  CHECK_ERROR (g, guestfs_selinux_relabel (g, "/nonexistent", "/", -1), ENOENT,
               NULL);
  /* The appliance's kernel runs no SELinux policy: the context is the
   * security module's (one line), and none can be set. */
  char *con = guestfs_getcon (g);
  CHECK (con && *con && strchr (con, '\n') == NULL);
  free (con);
  CHECK_ERROR (g, guestfs_setcon (g, "system_u:system_r:nonsense_t:s0"), EINVAL,
               NULL);
}

static void
test_inotify (void)
{
  CHECK_ERROR (g, guestfs_inotify_add_watch (g, "/", IN_ALL_EVENTS), 0,
               "inotify_init");
  CHECK (guestfs_inotify_init (g, 0) == 0);
  CHECK_ERROR (g, guestfs_inotify_init (g, -1), EINVAL, "negative");
  CHECK (guestfs_inotify_init (g, 0) == 0);
  CHECK (guestfs_mkdir (g, "/watched") == 0);
  int64_t wd = guestfs_inotify_add_watch (g, "/watched", IN_CREATE | IN_MODIFY);
  CHECK (wd >= 0);
  struct guestfs_inotify_event_list *none = guestfs_inotify_read (g);
  CHECK (none && none->len == 0);
  guestfs_free_inotify_event_list (none);

  CHECK (guestfs_write (g, "/watched/new", "data", 4) == 0);
  struct guestfs_inotify_event_list *ev = guestfs_inotify_read (g);
  CHECK (ev && ev->len >= 2);
  bool created = false, modified = false;
  for (uint32_t i = 0; ev && i < ev->len; ++i) {
    CHECK (ev->val[i].in_wd == wd);
    CHECK (strcmp (ev->val[i].in_name, "new") == 0);
    created |= (ev->val[i].in_mask & IN_CREATE) != 0;
    modified |= (ev->val[i].in_mask & IN_MODIFY) != 0;
  }
  CHECK (created && modified);
  guestfs_free_inotify_event_list (ev);

  CHECK (guestfs_touch (g, "/watched/b") == 0);
  CHECK (guestfs_touch (g, "/watched/a") == 0);
  char **files = guestfs_inotify_files (g);
  CHECK (files && list_len (files) == 2 && strcmp (files[0], "a") == 0 &&
         strcmp (files[1], "b") == 0);
  free_list (files);

  CHECK (guestfs_inotify_rm_watch (g, wd) == 0);
  CHECK_ERROR (g, guestfs_inotify_rm_watch (g, wd), EINVAL, NULL);
  CHECK_ERROR (g, guestfs_inotify_add_watch (g, "/nonexistent", IN_CREATE),
               ENOENT, NULL);
  CHECK (guestfs_inotify_close (g) == 0);
  CHECK (guestfs_inotify_read (g) == NULL);
}

/* A journal file written on the host by systemd-journal-remote from
 * entries in the export format. */
#define JOURNAL_REMOTE "/lib/systemd/systemd-journal-remote"

static char *
make_journal (void)
{
  if (access (JOURNAL_REMOTE, X_OK) != 0)
    return NULL;
  char *file = xasprintf ("%s/test.journal", tmpdir);
  char *cmd = xasprintf ("printf '%%s' '"
                         "__REALTIME_TIMESTAMP=1700000000000000\n"
                         "__MONOTONIC_TIMESTAMP=1000\n"
                         "_BOOT_ID=0123456789abcdef0123456789abcdef\n"
                         "MESSAGE=hello journal\nPRIORITY=6\n\n"
                         "__REALTIME_TIMESTAMP=1700000001000000\n"
                         "__MONOTONIC_TIMESTAMP=2000\n"
                         "_BOOT_ID=0123456789abcdef0123456789abcdef\n"
                         "MESSAGE=second\n\n' | %s -o %s - 2>/dev/null",
                         JOURNAL_REMOTE, file);
  int r = system (cmd);
  free (cmd);
  if (r != 0) {
    free (file);
    return NULL;
  }
  return file;
}

static const char *
journal_field (struct guestfs_xattr_list *l, const char *name)
{
  for (uint32_t i = 0; l && i < l->len; ++i)
    if (strcmp (l->val[i].attrname, name) == 0)
      return l->val[i].attrval;
  return NULL;
}

static void
test_journal (void)
{
  CHECK_ERROR (g, guestfs_journal_next (g), 0, "journal-open");
  char *file = make_journal ();
  if (file == NULL) {
    fprintf (stderr, "journal: skipped (%s cannot write a journal here)\n",
             JOURNAL_REMOTE);
    return;
  }
  CHECK (guestfs_mkdir (g, "/journal") == 0);
  CHECK (guestfs_upload (g, file, "/journal/test.journal") == 0);
  free (file);
  CHECK (guestfs_journal_open (g, "/journal") == 0);
  CHECK (guestfs_journal_next (g) == 1);
  struct guestfs_xattr_list *e = guestfs_journal_get (g);
  CHECK_STREQ (journal_field (e, "MESSAGE"), "hello journal");
  CHECK_STREQ (journal_field (e, "PRIORITY"), "6");
  guestfs_free_xattr_list (e);
  CHECK (guestfs_journal_get_realtime_usec (g) == INT64_C (1700000000000000));
  CHECK (guestfs_journal_next (g) == 1);
  CHECK (guestfs_journal_get_realtime_usec (g) == INT64_C (1700000001000000));
  CHECK (guestfs_journal_next (g) == 0);
  /* At the end the position stays on the last entry. */
  CHECK (guestfs_journal_skip (g, -2) == 1);
  CHECK (guestfs_journal_get_realtime_usec (g) == INT64_C (1700000000000000));

  /* sd-journal cuts only fields it stored compressed: these small
   * ones come whole. */
  CHECK (guestfs_journal_set_data_threshold (g, 10) == 0);
  CHECK (guestfs_journal_get_data_threshold (g) == 10);
  e = guestfs_journal_get (g);
  CHECK_STREQ (journal_field (e, "MESSAGE"), "hello journal");
  guestfs_free_xattr_list (e);
  CHECK_ERROR (g, guestfs_journal_set_data_threshold (g, -1), EINVAL,
               "negative");
  CHECK (guestfs_journal_close (g) == 0);
  CHECK_ERROR (g, guestfs_journal_close (g), 0, "journal-open");
  CHECK_ERROR (g, guestfs_journal_open (g, "/nonexistent"), ENOENT, NULL);
}

static const struct guestfs_tsk_dirent *
dirent_named (struct guestfs_tsk_dirent_list *l, const char *name)
{
  for (uint32_t i = 0; l && i < l->len; ++i)
    if (strcmp (l->val[i].tsk_name, name) == 0)
      return &l->val[i];
  return NULL;
}

/* The filesystem is unmounted: The Sleuth Kit reads the device. */
static void
test_tsk (int64_t ino, int64_t link_ino)
{
  struct guestfs_tsk_dirent_list *all = guestfs_filesystem_walk (g, P1);
  CHECK (all && all->len > 10);
  const struct guestfs_tsk_dirent *d = dirent_named (all, "tsk/hello.txt");
  CHECK (d && d->tsk_type == 'r' && d->tsk_size == 6 && (d->tsk_flags & 1) &&
         (int64_t)d->tsk_inode == ino && d->tsk_nlink == 2 &&
         d->tsk_mtime_sec > 1600000000);
  d = dirent_named (all, "tsk/link");
  CHECK (d && d->tsk_type == 'l' && strcmp (d->tsk_link, "hello.txt") == 0 &&
         (int64_t)d->tsk_inode == link_ino);
  d = dirent_named (all, "tsk");
  CHECK (d && d->tsk_type == 'd');
  CHECK (dirent_named (all, ".") == NULL);
  guestfs_free_tsk_dirent_list (all);

  struct guestfs_tsk_dirent_list *named = guestfs_find_inode (g, P1, ino);
  CHECK (named && named->len == 2 && dirent_named (named, "tsk/hello.txt") &&
         dirent_named (named, "tsk/hard"));
  guestfs_free_tsk_dirent_list (named);

  char *out = xasprintf ("%s/inode", tmpdir);
  CHECK (guestfs_download_inode (g, P1, ino, out) == 0);
  CHECK (host_content_is (out, "hello\n", 6));

  char **sb = guestfs_tune2fs_l (g, P1);
  const char *bs = hash_get (sb, "Block size");
  size_t block = bs ? strtoul (bs, NULL, 10) : 0;
  free_list (sb);
  CHECK (guestfs_download_blocks (g, P1, 0, 1, out, -1) == 0);
  size_t len = 0;
  char *blocks = host_read (out, &len);
  CHECK (block > 0 && len == 2 * block);
  /* The ext4 superblock magic, at byte 1024 + 56. */
  CHECK (blocks && len > 1082 && (unsigned char)blocks[1080] == 0x53 &&
         (unsigned char)blocks[1081] == 0xef);
  free (blocks);
  /* Those two are in use: none of them is unallocated. */
  CHECK (guestfs_download_blocks (g, P1, 0, 1, out,
                                  GUESTFS_DOWNLOAD_BLOCKS_UNALLOCATED, 1,
                                  -1) == 0);
  CHECK (host_content_is (out, "", 0));
  free (out);

  CHECK_ERROR_NULL (g, guestfs_find_inode (g, P1, -1), EINVAL, "negative");
  CHECK_ERROR (g, guestfs_download_blocks (g, P1, 5, 2, "/dev/null", -1),
               EINVAL, "range");
  CHECK_ERROR_NULL (g, guestfs_filesystem_walk (g, P2), EINVAL, NULL);
}

static void
test_yara (void)
{
  CHECK_ERROR_NULL (g, guestfs_yara_scan (g, "/capfile"), 0, "no yara");
  char *rules = xasprintf ("%s/rules.yar", tmpdir);
  FILE *f = fopen (rules, "w");
  CHECK (f != NULL);
  if (f) {
    fputs ("rule has_secret { strings: $a = \"TOPSECRET\" condition: $a }\n"
           "rule never { condition: false }\n",
           f);
    fclose (f);
  }
  CHECK (guestfs_yara_load (g, rules) == 0);
  CHECK (guestfs_write (g, "/suspect", "xx TOPSECRET yy", 15) == 0);
  struct guestfs_yara_detection_list *hits = guestfs_yara_scan (g, "/suspect");
  CHECK (hits && hits->len == 1 &&
         strcmp (hits->val[0].yara_name, "/suspect") == 0 &&
         strcmp (hits->val[0].yara_rule, "has_secret") == 0);
  guestfs_free_yara_detection_list (hits);
  hits = guestfs_yara_scan (g, "/capfile");
  CHECK (hits && hits->len == 0);
  guestfs_free_yara_detection_list (hits);
  CHECK_ERROR_NULL (g, guestfs_yara_scan (g, "/acldir"), EINVAL, "regular");

  /* Rules compiled by the host's yarac, when there is one. */
  char *compiled = xasprintf ("%s/rules.yarc", tmpdir);
  char *cmd = xasprintf ("yarac %s %s 2>/dev/null", rules, compiled);
  if (system (cmd) == 0) {
    CHECK (guestfs_yara_load (g, compiled) == 0);
    hits = guestfs_yara_scan (g, "/suspect");
    CHECK (hits && hits->len == 1 &&
           strcmp (hits->val[0].yara_rule, "has_secret") == 0);
    guestfs_free_yara_detection_list (hits);
  } else
    fprintf (stderr, "yara: compiled rules not tested (no yarac)\n");
  free (cmd);
  free (compiled);

  f = fopen (rules, "w");
  if (f) {
    fputs ("rule broken { condition: $nothing }\n", f);
    fclose (f);
  }
  CHECK_ERROR (g, guestfs_yara_load (g, rules), EINVAL, "compile");
  free (rules);
  CHECK (guestfs_yara_destroy (g) == 0);
  CHECK_ERROR (g, guestfs_yara_destroy (g), 0, "no yara");
}

static void
test_squashfs (void)
{
  CHECK (guestfs_mkdir_p (g, "/sq/sub") == 0);
  CHECK (guestfs_write (g, "/sq/a.txt", "aaa", 3) == 0);
  CHECK (guestfs_write (g, "/sq/sub/b.log", "bbb", 3) == 0);
  char *out = xasprintf ("%s/fs.sqsh", tmpdir);
  char *excludes[] = {"sub/*.log", NULL};
  CHECK (guestfs_mksquashfs (g, "/sq", out, GUESTFS_MKSQUASHFS_COMPRESS, "xz",
                             GUESTFS_MKSQUASHFS_EXCLUDES, excludes, -1) == 0);
  size_t len = 0;
  char *img = host_read (out, &len);
  CHECK (img && len > 96 && memcmp (img, "hsqs", 4) == 0);
  free (img);
  /* Read it back with the host's unsquashfs, when there is one. */
  char *cmd = xasprintf ("unsquashfs -l %s 2>/dev/null", out);
  FILE *p = popen (cmd, "r");
  if (p) {
    char line[512];
    bool a = false, b = false, sub = false;
    while (fgets (line, sizeof line, p)) {
      a |= strcmp (line, "squashfs-root/a.txt\n") == 0;
      sub |= strcmp (line, "squashfs-root/sub\n") == 0;
      b |= strstr (line, "b.log") != NULL;
    }
    if (pclose (p) == 0)
      CHECK (a && sub && !b);
  }
  free (cmd);
  CHECK_ERROR (g,
               guestfs_mksquashfs (g, "/sq", out, GUESTFS_MKSQUASHFS_COMPRESS,
                                   "bogus", -1),
               EINVAL, "compression");
  CHECK_ERROR (g, guestfs_mksquashfs (g, "/nonexistent", out, -1), ENOENT,
               NULL);
  free (out);
}

static void
test_scrub (void)
{
  CHECK (guestfs_write (g, "/scrubme", "secret data", 11) == 0);
  CHECK (guestfs_ln_s (g, "scrubme", "/scrublink") == 0);
  CHECK_ERROR (g, guestfs_scrub_file (g, "/scrublink"), EINVAL, NULL);
  CHECK (guestfs_scrub_file (g, "/scrubme") == 0);
  CHECK (guestfs_exists (g, "/scrubme") == 0);
  CHECK_ERROR (g, guestfs_scrub_file (g, "/scrubme"), ENOENT, NULL);
  CHECK_ERROR (g, guestfs_scrub_freespace (g, "/sq"), EEXIST, NULL);
}

static void
test_bootloaders (void)
{
  CHECK (guestfs_mkdir (g, "/boot") == 0);
  CHECK (guestfs_extlinux (g, "/boot") == 0);
  CHECK (guestfs_is_file (g, "/boot/ldlinux.sys") == 1);
  OK (g, guestfs_grub_install (g, "/", "/dev/sda"));
  CHECK (guestfs_is_file (g, "/boot/grub/i386-pc/core.img") == 1);
  CHECK_ERROR (g, guestfs_extlinux (g, "/nonexistent"), ENOENT, NULL);
}

static void
test_syslinux (void)
{
  CHECK (guestfs_mkfs (g, "vfat", P2) == 0);
  CHECK (guestfs_syslinux (g, P2, -1) == 0);
  CHECK (guestfs_mount (g, P2, "/") == 0);
  CHECK (guestfs_is_file (g, "/ldlinux.sys") == 1);
  CHECK (guestfs_mkdir (g, "/syslinux") == 0);
  CHECK (guestfs_umount (g, "/") == 0);
  CHECK (guestfs_syslinux (g, P2, GUESTFS_SYSLINUX_DIRECTORY, "/syslinux",
                           -1) == 0);
  CHECK (guestfs_mount (g, P2, "/") == 0);
  CHECK (guestfs_is_file (g, "/syslinux/ldlinux.sys") == 1);
  CHECK (guestfs_umount (g, "/") == 0);
  /* Not an f2fs filesystem. */
  CHECK (guestfs_f2fs_expand (g, P2) == -1);
}

static void
test_modprobe (void)
{
  CHECK (guestfs_modprobe (g, "squashfs") == 0);
  CHECK_ERROR (g, guestfs_modprobe (g, "no_such_module_here"), ENOENT, NULL);
  CHECK_ERROR (g, guestfs_modprobe (g, "../x"), EINVAL, NULL);
}

int
main (void)
{
  tmpdir = test_tmpdir ();
  g = guestfs_create ();
  if (g == NULL)
    skip ("guestfs_create failed");
  guestfs_set_error_handler (g, NULL, NULL);
  if (guestfs_add_drive_scratch (g, 512 * MiB, -1) == -1) {
    fprintf (stderr, "FAIL: add_drive_scratch: %s\n", guestfs_last_error (g));
    return 1;
  }
  test_launch_or_skip (g);
  CHECK (guestfs_part_init (g, "/dev/sda", "mbr") == 0);
  CHECK (guestfs_part_add (g, "/dev/sda", "p", 2048, 2048 + 256 * 2048 - 1) ==
         0);
  CHECK (guestfs_part_add (g, "/dev/sda", "p", 2048 + 256 * 2048, -2048) == 0);
  CHECK (guestfs_mkfs (g, "ext4", P1) == 0);
  CHECK (guestfs_mount (g, P1, "/") == 0);

  test_groups ();
  test_acl ();
  test_caps ();
  test_selinux ();
  test_inotify ();
  test_journal ();
  test_yara ();
  test_squashfs ();
  test_scrub ();
  test_bootloaders ();
  test_modprobe ();

  CHECK (guestfs_mkdir (g, "/tsk") == 0);
  CHECK (guestfs_write (g, "/tsk/hello.txt", "hello\n", 6) == 0);
  CHECK (guestfs_ln (g, "/tsk/hello.txt", "/tsk/hard") == 0);
  CHECK (guestfs_ln_s (g, "hello.txt", "/tsk/link") == 0);
  struct guestfs_statns *st = guestfs_lstatns (g, "/tsk/hello.txt");
  struct guestfs_statns *lst = guestfs_lstatns (g, "/tsk/link");
  CHECK (guestfs_umount (g, "/") == 0);
  CHECK (guestfs_zero_device (g, P2) == 0);
  if (st && lst)
    test_tsk (st->st_ino, lst->st_ino);
  guestfs_free_statns (st);
  guestfs_free_statns (lst);
  test_syslinux ();

  CHECK (guestfs_shutdown (g) == 0);
  guestfs_close (g);
  return test_result ();
}
