/* Whole trees in and out of the mount with rsync -aHAX, cp -a and
 * tar, compared with their source: contents, modes, owners, times,
 * hard links, symbolic links, special files, sparse files, extended
 * attributes and ACLs; and what was written survives an unmount and
 * a new mount.
 */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mountenv.h"

static struct mountenv env;
static char *src; /* the source tree on the host */

/* A tree with a bit of everything rsync -aHAX and tar care about. */
static const char make_tree[] =
  "set -e\n"
  "mkdir -p \"$1\" && cd \"$1\"\n"
  "mkdir -p a/b/c 'dir with space' empty\n"
  "printf '' > zero\n"
  "printf x > one\n"
  "head -c 4095 /dev/urandom > a/4095\n"
  "head -c 1048583 /dev/urandom > a/b/1M7\n"
  "head -c 3145728 /dev/urandom > a/b/c/3M\n"
  "seq 1 20000 > 'dir with space/numbers'\n"
  "printf u > \"$(printf 'new\\nline')\"\n"
  "printf u > '\xc3\xa9t\xc3\xa9'\n"
  "ln a/4095 a/hardlink\n"
  "ln a/4095 'dir with space/hardlink2'\n"
  "ln -s a/b/1M7 rel\n"
  "ln -s /etc/hostname abs\n"
  "ln -s nowhere dangling\n"
  "mkfifo fifo\n"
  "mknod chardev c 1 3\n"
  "truncate -s 100M sparse && printf end >> sparse\n"
  "chmod 0600 a/b/1M7 && chmod 2755 a/b && chmod 1777 empty\n"
  "chown 1234:5678 one && chown -h 42:43 rel\n"
  "setfattr -n user.one -v value one\n"
  "setfattr -n user.bin -v 0x00ff00 a/4095\n"
  "setfattr -n trusted.t -v tt zero\n"
  "setfacl -m u:1234:rwx,g:99:r-x a/b/c/3M\n"
  "setfacl -d -m u:1234:rwx a/b/c\n"
  "touch -h -d '2001-02-03 04:05:06.789' rel\n"
  "find . -exec touch -h -d '2010-01-01 00:00:00.123456789' {} +\n"
  "touch -d '1999-12-31 23:59:59.5' a/b/c\n";

/* rsync's own comparison: what would change, with checksums.  Empty
 * output means identical. */
static int
same_tree (const char *a, const char *b)
{
  return shell ("out=$(rsync -naHAXc --numeric-ids --delete "
                "--out-format='%%i %%n' '%s/' '%s/') && "
                "{ [ -z \"$out\" ] || { echo \"differences:\"; "
                "echo \"$out\"; false; }; }",
                a, b);
}

/* The hard-link structure (which names share an inode) of a tree. */
static int
same_links (const char *a, const char *b)
{
  return shell ("links () { (cd \"$1\" && find . -type f -links +1 "
                "-printf '%%i %%p\\n' | sort | awk '{ if ($1 != last) n++; "
                "last = $1; print n, $2 }'); }; "
                "cmp <(links '%s') <(links '%s')", a, b);
}

static void
copy_in_and_out (void)
{
  char *in = in_mnt (&env, "in"), *out;
  if (asprintf (&out, "%s/out", env.dir) == -1)
    abort ();
  CHECK (shell ("rsync -aHAXS --numeric-ids '%s/' '%s/'", src, in) == 0);
  CHECK (same_tree (src, in) == 0);
  CHECK (same_tree (src, in_root (&env, "in")) == 0);
  CHECK (same_links (src, in) == 0);
  /* -S: the copy in the guest is sparse too. */
  struct stat st;
  CHECK (stat (in_root (&env, "in/sparse"), &st) == 0 &&
         st.st_blocks < 1024);
  CHECK (shell ("rsync -aHAX --numeric-ids '%s/' '%s/'", in, out) == 0);
  CHECK (same_tree (src, out) == 0);
  CHECK (same_links (src, out) == 0);
  /* ACLs and xattrs came back too (rsync compares them above; check
   * one of each by hand). */
  CHECK (shell ("getfacl -np '%s/a/b/c/3M' | grep -q '^user:1234:rwx'",
                out) == 0);
  CHECK (shell ("getfattr --absolute-names -n user.bin --only-values '%s/a/4095' | "
                "od -An -tx1 | grep -q '00 ff 00'", out) == 0);
  /* A second rsync has nothing to do: times and sizes all match. */
  CHECK (shell ("[ -z \"$(rsync -aHAXi --numeric-ids '%s/' '%s/')\" ]", src,
                in) == 0);
  free (out);
}

static void
copy_with_cp_and_tar (void)
{
  char *cpdir = in_mnt (&env, "cp"), *tarout;
  if (asprintf (&tarout, "%s/tarout", env.dir) == -1)
    abort ();
  CHECK (shell ("cp -a '%s' '%s'", src, cpdir) == 0);
  CHECK (same_tree (src, cpdir) == 0);
  CHECK (same_links (src, cpdir) == 0);
  CHECK (shell ("mkdir '%s' && tar -C '%s' --xattrs --acls -cf - . | "
                "tar -C '%s' --xattrs --xattrs-include='*' --acls "
                "--numeric-owner -xf -",
                tarout, cpdir, tarout) == 0);
  CHECK (same_tree (src, tarout) == 0);
  CHECK (same_links (src, tarout) == 0);
  free (tarout);
}

/* cp -a of plain small files: the times and the mode (cp -a sets
 * them with a minimal ACL) go with each file's data, so a file costs
 * its create and one write; a directory its mkdir and three changes
 * (times, owner, mode). */
#define SMALL_DIRS 4
#define SMALL_FILES 25 /* per directory */

static void
copy_small_files (void)
{
  char *small;
  if (asprintf (&small, "%s/small", env.dir) == -1)
    abort ();
  CHECK (shell ("for d in $(seq %d); do mkdir -p '%s'/$d && "
                "for f in $(seq %d); do echo $d.$f > '%s'/$d/$f; done; "
                "chmod 0640 '%s'/$d/1; done && "
                "touch -d '2010-01-01 00:00:00.123456789' '%s'/*/*",
                SMALL_DIRS, small, SMALL_FILES, small, small, small) == 0);
  CHECK (access (in_mnt (&env, "small"), F_OK) == -1);
  long before = daemon_requests (&env);
  CHECK (shell ("cp -a '%s' '%s'", small, in_mnt (&env, "small")) == 0);
  long calls = daemon_requests (&env) - before;
  long files = SMALL_DIRS * SMALL_FILES, dirs = SMALL_DIRS + 1;
  fprintf (stderr, "cp -a of %ld files, %ld directories: %ld requests\n",
           files, dirs, calls);
  /* (A tenth to spare: a loaded machine may see data older than 1 s
   * sent on its own before the change that would have gone with it.) */
  CHECK (calls <= 2 * files + 4 * dirs + files / 10);
  /* Modes, times and contents, through the mount and in the guest. */
  CHECK (same_tree (small, in_mnt (&env, "small")) == 0);
  CHECK (same_tree (small, in_root (&env, "small")) == 0);
  CHECK (shell ("rm -rf '%s'", in_mnt (&env, "small")) == 0);
  free (small);
}

/* Remove a tree through the mount: every name disappears. */
static void
remove_tree (void)
{
  CHECK (shell ("rm -rf '%s'", in_mnt (&env, "cp")) == 0);
  CHECK (access (in_root (&env, "cp"), F_OK) == -1);
  CHECK (shell ("[ -z \"$(ls -A '%s' | grep -vx in)\" ]", env.mnt) == 0);
}

int
main (void)
{
  require_fuse ();
  if (system ("command -v rsync setfacl setfattr >/dev/null") != 0)
    skip ("rsync, setfacl or setfattr is not installed");
  mountenv_init (&env);
  if (asprintf (&src, "%s/src", env.dir) == -1)
    abort ();
  char *script;
  if (asprintf (&script, "%s/make-tree", env.dir) == -1 ||
      write_file (script, make_tree, strlen (make_tree)) != 0 ||
      shell ("bash '%s' '%s'", script, src) != 0) {
    fprintf (stderr, "FAIL: could not build the source tree\n");
    return EXIT_FAILURE;
  }
  free (script);
  CHECK (mountenv_mount (&env, NULL) == 0);
  copy_in_and_out ();
  copy_with_cp_and_tar ();
  copy_small_files ();
  remove_tree ();
  CHECK (mountenv_unmount (&env) == 0);
  /* Everything written is in the guest after the unmount, and reads
   * back the same through a new mount. */
  CHECK (same_tree (src, in_root (&env, "in")) == 0);
  CHECK (mountenv_mount (&env, (const char *[]) { "--ro", NULL }) == 0);
  CHECK (same_tree (src, in_mnt (&env, "in")) == 0);
  CHECK (same_links (src, in_mnt (&env, "in")) == 0);
  CHECK (mountenv_unmount (&env) == 0);
  return test_result ();
}
