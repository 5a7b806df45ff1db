/* The installed tree works on its own: `cmake --install` with DESTDIR
 * into a temporary directory puts every file where GNUInstallDirs
 * says; a program compiled with the installed header and pkg-config
 * file runs on the installed library; and the installed guestmount
 * loads the installed library, builds its appliance from the installed
 * inputs (never the build tree's: its verbose output names them),
 * mounts a test guest, and the installed guestunmount takes it down.
 * Then the installed guestfs-test-tool boots the same appliance.
 */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guests.h"
#include "mountenv.h"

static char *dest; /* DESTDIR */
static char *prefix; /* DESTDIR + the configured prefix */

static char *
installed (const char *dir, const char *name)
{
  return xasprintf ("%s/%s/%s", prefix, dir, name);
}

static bool
installed_file (const char *dir, const char *name)
{
  char *p = installed (dir, name);
  struct stat st;
  bool ok = stat (p, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 0;
  if (!ok)
    fprintf (stderr, "not installed: %s\n", p);
  free (p);
  return ok;
}

static void
check_files (void)
{
  CHECK (installed_file (LIBDIR, "libguestfs.so.0"));
  CHECK (shell ("readelf -d '%s/%s/libguestfs.so.0' | "
                "grep -q 'SONAME.*\\[libguestfs\\.so\\.0\\]'",
                prefix, LIBDIR) == 0);
  CHECK (installed_file (INCLUDEDIR, "guestfs.h"));
  CHECK (installed_file (LIBDIR, "pkgconfig/libguestfs.pc"));
  static const char *const programs[] = { "guestmount", "guestunmount",
                                          "guestfs-test-tool" };
  for (size_t i = 0; i < 3; ++i) {
    CHECK (installed_file (BINDIR, programs[i]));
    char *p = xasprintf ("bash-completion/completions/%s", programs[i]);
    if (strcmp (programs[i], "guestfs-test-tool") != 0)
      CHECK (installed_file (DATADIR, p));
    free (p);
    p = xasprintf ("man1/%s.1", programs[i]);
    CHECK (installed_file (MANDIR, p));
    free (p);
  }
  CHECK (installed_file (MANDIR, "man3/guestfs.3"));
  CHECK (installed_file (MANDIR, "man8/guestfsd.8"));
  CHECK (installed_file (LIBDIR, "guestfs/guestfsd"));
  CHECK (installed_file (LIBDIR, "guestfs/supermin.d/zz-init.tar"));
  CHECK (installed_file (LIBDIR, "guestfs/supermin.d/packages"));
  /* The completion script completes from the installed program. */
  CHECK (shell ("PATH='%s/%s':$PATH; . '%s/%s/bash-completion/completions/"
                "guestmount'; COMP_WORDS=(guestmount --r); COMP_CWORD=1; "
                "_guestfs_mount_tools guestmount; "
                "test \"${COMPREPLY[*]}\" = '--ro --rw'",
                prefix, BINDIR, prefix, DATADIR) == 0);
}

/* A program built with the installed header and pkg-config file, run
 * on the installed library.  The program is not built with the
 * sanitizers, so for a sanitizer build of the library ASan's runtime is
 * not first in its library list: that check is off for it. */
static void
check_compile (void)
{
  CHECK (shell ("cd '%s' && printf '%%s\\n' '#include <guestfs.h>' "
                "'int main (void) { guestfs_h *g = guestfs_create (); "
                "if (!g) return 1; guestfs_close (g); return 0; }' > prog.c "
                "&& PKG_CONFIG_PATH='%s/%s/pkgconfig' "
                "cc prog.c -o prog $(PKG_CONFIG_PATH='%s/%s/pkgconfig' "
                "pkg-config --cflags --libs libguestfs) "
                "&& ASAN_OPTIONS=verify_asan_link_order=0 LD_LIBRARY_PATH='%s/%s' ./prog "
                "&& LD_LIBRARY_PATH='%s/%s' ldd ./prog | "
                "grep -q 'libguestfs.so.0 => %s/%s/libguestfs.so.0'",
                dest, prefix, LIBDIR, prefix, LIBDIR, prefix, LIBDIR,
                prefix, LIBDIR, prefix, LIBDIR) == 0);
}

static bool
maps_hold (pid_t pid, const char *text)
{
  char *maps = xasprintf ("/proc/%d/maps", (int) pid);
  size_t len;
  char *c = host_read (maps, &len);
  bool found = c && strstr (c, text);
  free (c);
  free (maps);
  return found;
}

static void
check_guestmount (const char *cache)
{
  struct mountenv *env = mountenv_new ();
  guestmount_path = installed (BINDIR, "guestmount");
  guestunmount_path = installed (BINDIR, "guestunmount");
  const char *image = test_guest_path ("debian");
  unsetenv ("LIBGUESTFS_BACKEND");
  unsetenv ("LIBGUESTFS_PATH");
  unsetenv ("LD_LIBRARY_PATH");
  setenv ("XDG_CACHE_HOME", cache, 1);
  int status = run_guestmount (env, (const char *[]) {
                                 "-v", "--pid-file", env->pidfile,
                                 "-a", image, "--ro", "-i", env->mnt, NULL },
                               "direct");
  char *err = gm_stderr (env);
  CHECK (status == 0);
  if (status != 0) {
    fprintf (stderr, "installed guestmount: %s\n", err);
    free (err);
    return;
  }
  mountenv_read_pid (env);
  char *inputs = xasprintf ("appliance inputs: %s/%s/guestfs/supermin.d\n",
                            prefix, LIBDIR);
  CHECK (strstr (err, inputs) != NULL);
  CHECK (strstr (err, BUILD_DIR "/appliance") == NULL);
  free (inputs);
  free (err);
  char *lib = installed (LIBDIR, "libguestfs.so.0");
  CHECK (maps_hold (env->gm_pid, lib));
  free (lib);

  char *hostname = in_mnt (env, "etc/hostname");
  size_t len;
  char *c = host_read (hostname, &len);
  CHECK (c && len == strlen (DEBIAN_HOSTNAME) + 1 &&
         memcmp (c, DEBIAN_HOSTNAME "\n", len) == 0);
  free (c);

  CHECK (run_guestunmount ((const char *[]) { env->mnt, NULL }) == 0);
  CHECK (wait_exit (env->gm_pid, 120) == 0);
  CHECK (!is_mountpoint (env->mnt));
  CHECK (children_named ("qemu-system-x86") == 0);
}

/* The installed test tool finds the same inputs from its own directory
 * (so the appliance the mount built, in the same cache slot) and boots
 * it. */
static void
check_test_tool (const char *cache)
{
  char *out = xasprintf ("%s/test-tool.out", dest);
  CHECK (shell ("XDG_CACHE_HOME='%s' '%s/%s/guestfs-test-tool' > '%s' 2>&1",
                cache, prefix, BINDIR, out) == 0);
  size_t len;
  char *c = host_read (out, &len);
  CHECK (c && strstr (c, "kernel:     ") && strstr (c, cache) &&
         strstr (c, "read it back"));
  if (c)
    fputs (c, stderr);
  free (c);
  free (out);
}

int
main (void)
{
  require_fuse ();
  dest = test_tmpdir ();
  prefix = xasprintf ("%s%s", dest, INSTALL_PREFIX);
  if (shell ("DESTDIR='%s' '%s' --install '%s' > '%s/install.log'", dest,
             CMAKE_COMMAND, BUILD_DIR, dest) != 0) {
    shell ("cat '%s/install.log'", dest);
    fprintf (stderr, "FAIL: cmake --install\n");
    return EXIT_FAILURE;
  }
  check_files ();
  check_compile ();
  char *cache = xasprintf ("%s/cache", dest);
  check_guestmount (cache);
  check_test_tool (cache);
  free (cache);
  return test_result ();
}
