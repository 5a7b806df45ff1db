/* The augeas group against a host guestfsd: reading, every tree
 * operation, saving (checked from the host), the errors and their
 * errno, and a guest symbolic link pointing outside the guest
 * directory, which Augeas must not follow to the host's files. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon-util.h"
#include "edit-util.h"

static struct test_daemon td;
static guestfs_h *g;

#define HOSTS                                                                  \
  "127.0.0.1 localhost\n"                                                      \
  "192.168.1.10 server.example.com server\n"

/* Through the API, making the parent directories. */
static void
write_guest_file (const char *path, const char *text)
{
  char *dir = strdup (path);
  *strrchr (dir, '/') = '\0';
  CHECK (guestfs_mkdir_p (g, dir) == 0);
  CHECK (guestfs_write (g, path, text, strlen (text)) == 0);
  free (dir);
}

static char *
read_guest_file (const char *path)
{
  return guestfs_cat (g, path);
}

static bool
list_is (char **list, const char *const *want)
{
  bool same = list != NULL;
  size_t i = 0;
  for (; same && want[i]; ++i)
    same = list[i] && strcmp (list[i], want[i]) == 0;
  same = same && list[i] == NULL;
  if (!same) {
    fprintf (stderr, "list:");
    for (size_t j = 0; list && list[j]; ++j)
      fprintf (stderr, " [%s]", list[j]);
    fprintf (stderr, "\n");
  }
  for (size_t j = 0; list && list[j]; ++j)
    free (list[j]);
  free (list);
  return same;
}

static void
test_before_init (void)
{
  CHECK_ERROR_NULL (g, guestfs_aug_get (g, "/files/etc/hostname/hostname"), 0,
                    "aug-init");
  CHECK_ERROR (g, guestfs_aug_close (g), 0, "aug-init");
  CHECK_ERROR (g, guestfs_aug_init (g, "etc", 0), EINVAL, "absolute");
  CHECK_ERROR (g, guestfs_aug_init (g, "/nonexistent", 0), ENOENT,
               "/nonexistent");
}

static void
test_read (void)
{
  CHECK (guestfs_aug_init (g, "/", 0) == 0);
  CHECK (aug_get_is (g, "/files/etc/hostname/hostname", "myhost"));
  CHECK (aug_get_is (g, "/files/etc/hosts/2/canonical", "server.example.com"));
  CHECK (list_is (guestfs_aug_match (g, "/files/etc/hosts/*/ipaddr"),
                  (const char *const[]){"/files/etc/hosts/1/ipaddr",
                                        "/files/etc/hosts/2/ipaddr", NULL}));
  CHECK (list_is (guestfs_aug_ls (g, "/files/etc/hosts/2"),
                  (const char *const[]){"/files/etc/hosts/2/alias",
                                        "/files/etc/hosts/2/canonical",
                                        "/files/etc/hosts/2/ipaddr", NULL}));
  char *label = guestfs_aug_label (g, "/files/etc/hosts/2/canonical");
  CHECK (label && strcmp (label, "canonical") == 0);
  free (label);
  CHECK (guestfs_aug_defvar (g, "hosts", "/files/etc/hosts/*") == 2);
  CHECK (aug_get_is (g, "$hosts[1]/ipaddr", "127.0.0.1"));
  CHECK (guestfs_aug_defvar (g, "hosts", NULL) == 0);
}

static void
test_errors (void)
{
  CHECK_ERROR_NULL (g, guestfs_aug_get (g, "/files/etc/nonexistent"), ENOENT,
                    "no matching node");
  CHECK_ERROR_NULL (g, guestfs_aug_get (g, "/files/etc/hosts/*/ipaddr"), EINVAL,
                    NULL);
  CHECK_ERROR_NULL (g, guestfs_aug_get (g, "/files/etc/hosts["), EINVAL, NULL);
  CHECK_ERROR_NULL (g, guestfs_aug_get (g, "/augeas"), ENODATA, NULL);
  CHECK_ERROR_NULL (g, guestfs_aug_label (g, "/files/etc/nothing"), ENOENT,
                    NULL);
  CHECK_ERROR_NULL (g, guestfs_aug_ls (g, "/files/etc/hosts/"), EINVAL,
                    "/ ] *");
  CHECK_ERROR_NULL (g, guestfs_aug_match (g, "/files["), EINVAL, NULL);
  CHECK_ERROR (g, guestfs_aug_mv (g, "/files/etc/nothing", "/files/etc/x"),
               ENOENT, NULL);
  CHECK_ERROR (g, guestfs_aug_insert (g, "/files/etc/hosts/1", "a/b", 1),
               EINVAL, NULL);
  CHECK_ERROR (g, guestfs_aug_set (g, "/files/etc/hosts/*/ipaddr", "x"), EINVAL,
               NULL);
  CHECK (guestfs_aug_rm (g, "/files/etc/nothing") == 0);
}

/* Change the tree, save, and read the files back from the host. */
static void
test_edit_and_save (void)
{
  CHECK (guestfs_aug_set (g, "/files/etc/hostname/hostname", "renamed") == 0);
  CHECK (guestfs_aug_setm (g, "/files/etc/hosts/*", "alias[2]", "extra") == 2);
  CHECK (guestfs_aug_insert (g, "/files/etc/hosts/1", "3", 0) == 0);
  CHECK (guestfs_aug_set (g, "/files/etc/hosts/3/ipaddr", "10.0.0.3") == 0);
  CHECK (guestfs_aug_set (g, "/files/etc/hosts/3/canonical", "third") == 0);
  struct guestfs_int_bool *ib =
      guestfs_aug_defnode (g, "n", "/files/etc/hosts/4/ipaddr", "10.0.0.4");
  CHECK (ib && ib->i == 1 && ib->b == 1);
  guestfs_free_int_bool (ib);
  CHECK (guestfs_aug_set (g, "$n/../canonical", "fourth") == 0);
  ib = guestfs_aug_defnode (g, "m", "/files/etc/hosts/4/ipaddr", "x");
  CHECK (ib && ib->i == 1 && ib->b == 0);
  guestfs_free_int_bool (ib);
  CHECK (guestfs_aug_mv (g, "/files/etc/hosts/2", "/files/etc/hosts/9") == 0);
  CHECK (guestfs_aug_save (g) == 0);

  char *hostname = read_guest_file ("/etc/hostname");
  CHECK (hostname && strcmp (hostname, "renamed\n") == 0);
  free (hostname);
  char *hosts = read_guest_file ("/etc/hosts");
  /* The Hosts lens separates new entries' fields with a tab. */
  const char *want = "127.0.0.1 localhost extra\n"
                     "10.0.0.3\tthird\n"
                     "10.0.0.4\tfourth\n"
                     "192.168.1.10\tserver.example.com server extra\n";
  CHECK (hosts && strcmp (hosts, want) == 0);
  if (hosts && strcmp (hosts, want) != 0)
    fprintf (stderr, "/etc/hosts:\n%s", hosts);
  free (hosts);

  CHECK (guestfs_aug_rm (g, "/files/etc/hosts/*[canonical='third']") == 3);
  CHECK (guestfs_aug_clear (g, "/files/etc/hosts/1/alias") == 0);
  CHECK_ERROR_NULL (g, guestfs_aug_get (g, "/files/etc/hosts/1/alias"), ENODATA,
                    NULL);
  CHECK (guestfs_aug_close (g) == 0);
}

/* AUG_NO_LOAD, then a transform of our own for a file no standard
 * lens covers, and AUG_SAVE_NEWFILE. */
static void
test_transform (void)
{
  write_guest_file ("/srv/custom.hosts", "10.1.1.1 custom\n");
  CHECK (guestfs_aug_init (g, "/", 32 | 2) == 0);
  CHECK (list_is (guestfs_aug_match (g, "/files/etc/*"),
                  (const char *const[]){NULL}));
  CHECK (guestfs_aug_transform (g, "Hosts.lns", "/srv/custom.hosts", -1) == 0);
  CHECK (guestfs_aug_load (g) == 0);
  CHECK (aug_get_is (g, "/files/srv/custom.hosts/1/canonical", "custom"));
  CHECK (guestfs_aug_set (g, "/files/srv/custom.hosts/1/canonical", "new") ==
         0);
  CHECK (guestfs_aug_save (g) == 0);
  char *orig = read_guest_file ("/srv/custom.hosts");
  char *saved = read_guest_file ("/srv/custom.hosts.augnew");
  CHECK (orig && strcmp (orig, "10.1.1.1 custom\n") == 0);
  CHECK (saved && strcmp (saved, "10.1.1.1 new\n") == 0);
  free (orig);
  free (saved);
  CHECK (guestfs_aug_transform_argv (
             g, "Hosts.lns", "/srv/custom.hosts",
             &(struct guestfs_aug_transform_argv){
                 .bitmask = GUESTFS_AUG_TRANSFORM_REMOVE_BITMASK,
                 .remove = 1}) == 0);
  CHECK (guestfs_aug_close (g) == 0);
}

/* A root other than /: Augeas sees only that directory. */
static void
test_other_root (void)
{
  write_guest_file ("/chroot/etc/hostname", "inner\n");
  CHECK (guestfs_aug_init (g, "/chroot", 0) == 0);
  CHECK (aug_get_is (g, "/files/etc/hostname/hostname", "inner"));
  CHECK (guestfs_aug_close (g) == 0);
}

/* /etc/passwd in the guest is a link to a file outside the guest
 * directory: Augeas must fail to read it and must not write it. */
static void
test_link_outside (void)
{
  char *outside = test_tmpdir ();
  char *secret;
  if (asprintf (&secret, "%s/passwd", outside) == -1)
    abort ();
  const char *text = "root:x:0:0:host secret:/root:/bin/sh\n";
  write_host_file (secret, text, strlen (text));
  CHECK (symlink (secret, host_path (&td, "/etc/passwd")) == 0);

  CHECK (guestfs_aug_init (g, "/", 0) == 0);
  CHECK_ERROR_NULL (g, guestfs_aug_get (g, "/files/etc/passwd/root/name"),
                    ENOENT, NULL);
  char **errors = guestfs_aug_match (g, "/augeas/files/etc/passwd/error");
  CHECK (errors && errors[0] != NULL);
  for (size_t i = 0; errors && errors[i]; ++i)
    free (errors[i]);
  free (errors);
  /* Writing through the link is refused too: Augeas saves next to
   * the file the link names, outside the guest. */
  CHECK (guestfs_aug_set (g, "/files/etc/passwd/root/password", "y") == 0);
  CHECK_ERROR (g, guestfs_aug_save (g), EIO, "/etc/passwd");
  char after[256] = "";
  FILE *f = fopen (secret, "r");
  CHECK (f != NULL);
  if (f) {
    after[fread (after, 1, sizeof after - 1, f)] = '\0';
    fclose (f);
  }
  CHECK (strcmp (after, text) == 0);
  struct stat st;
  CHECK (lstat (host_path (&td, "/etc/passwd"), &st) == 0 &&
         S_ISLNK (st.st_mode));
  CHECK (guestfs_aug_close (g) == 0);
  free (secret);
  free (outside);
}

int
main (void)
{
  g = test_daemon_start (&td);
  write_guest_file ("/etc/hosts", HOSTS);
  write_guest_file ("/etc/hostname", "myhost\n");

  test_before_init ();
  test_read ();
  test_errors ();
  test_edit_and_save ();
  test_transform ();
  test_other_root ();
  test_link_outside ();

  test_daemon_stop (&td, g);
  return test_result ();
}
