/* One appliance build: supermin --build makes the root disk (and a
 * kernel and initrd we replace when we can), then the kernel is
 * unpacked (kernel.c) and the small initrd made (initrd.c). */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "appliance-internal.h"

/* Builds into dir, which exists and is empty. */
int
build_into (struct ctx *c, const char *supermin_d, const char *dir)
{
  char *smout = xasprintf ("%s/supermin.out", dir);
  char *smkernel = xasprintf ("%s/supermin.out/kernel", dir);
  char *sminitrd = xasprintf ("%s/supermin.out/initrd", dir);
  char *smroot = xasprintf ("%s/supermin.out/root", dir);
  char *kernel = xasprintf ("%s/kernel", dir);
  char *initrd = xasprintf ("%s/initrd", dir);
  char *root = xasprintf ("%s/root", dir);
  char *supermin = find_program ("supermin");
  char tail[2048];
  int ret = -1, status;

  if (!smout || !smkernel || !sminitrd || !smroot || !kernel || !initrd || !root) {
    fail (c, "out of memory");
    goto out;
  }
  if (supermin == NULL) {
    fail (c, "supermin is not installed: it is needed to build the appliance "
          "from %s (or set LIBGUESTFS_PATH to a fixed appliance)", supermin_d);
    goto out;
  }
  {
    char *argv[] = { supermin, "--build", "-f", "ext2", "-o", smout,
                     (char *) supermin_d, c->verbose ? "-v" : NULL, NULL };
    debug (c, "running supermin --build -f ext2 -o %s %s", smout, supermin_d);
    status = run_program (c, argv, -1, -1, tail, sizeof tail);
  }
  if (status == -1)
    goto out;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    strip_trailing_newline (tail);
    fail (c, "supermin --build failed (status %d): %s", status, tail);
    goto out;
  }
  debug (c, "supermin --build done");
  if (rename (smroot, root) == -1) {
    fail_errno (c, "rename %s", smroot);
    goto out;
  }

  /* The two optimisations below are optional: when one is not possible
   * the reason is logged and supermin's file is used instead. */
  char why[512];
  struct ctx sub = { c->verbose, c->log, c->opaque, why, sizeof why };

  /* Kernel: uncompressed if we can, else the file supermin picked. */
  if (kernel_unpack_vmlinux (&sub, smkernel, kernel, dir) == 0)
    debug (c, "kernel: uncompressed %s", smkernel);
  else {
    debug (c, "kernel: booting %s as it is (%s)", smkernel, why);
    char *target = realpath (smkernel, NULL);
    if (target == NULL || symlink (target, kernel) == -1) {
      free (target);
      fail_errno (c, "%s", smkernel);
      goto out;
    }
    free (target);
  }

  /* Initrd: ours if we can, else supermin's. */
  {
    char *ktarget = realpath (smkernel, NULL);
    int r = initrd_build_small (&sub, supermin_d,
                                ktarget ? ktarget : smkernel, initrd);
    free (ktarget);
    if (r == 0)
      debug (c, "initrd: small initrd built");
    else {
      debug (c, "initrd: using supermin's (%s)", why);
      if (rename (sminitrd, initrd) == -1) {
        fail_errno (c, "rename %s", sminitrd);
        goto out;
      }
    }
  }
  remove_tree (smout);
  ret = 0;
 out:
  free (smout); free (smkernel); free (sminitrd); free (smroot);
  free (kernel); free (initrd); free (root); free (supermin);
  return ret;
}

int
appliance_build (const char *supermin_d, const char *outdir, int verbose,
                 appliance_log_fn log, void *opaque, char *err, size_t errlen)
{
  struct ctx c = { verbose, log, opaque, err, errlen };

  if (err && errlen)
    err[0] = '\0';
  if (mkdir (outdir, 0755) == -1)
    return fail_errno (&c, "mkdir %s", outdir);
  if (build_into (&c, supermin_d, outdir) == -1) {
    remove_tree (outdir);
    return -1;
  }
  return 0;
}
