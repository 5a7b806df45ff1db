/* One appliance build: supermin --build makes the root disk (and a
 * kernel and initrd we replace when we can), then the kernel is
 * unpacked (kernel.c) and the small initrd made (initrd.c).  A change
 * to what a build produces needs RECIPE_VERSION (cache.c) bumped, so
 * that cached appliances are rebuilt. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "appliance-internal.h"
#include "cleanup.h"

/* supermin --build -f ext2 of supermin_d into smout. */
static int
run_supermin (struct ctx *c, const char *supermin_d, const char *smout)
{
  CLEANUP_FREE char *supermin = find_program ("supermin");
  char tail[2048];
  int status;

  if (supermin == NULL)
    return fail (c, "supermin is not installed: it is needed to build the "
                 "appliance from %s (or set LIBGUESTFS_PATH to a fixed "
                 "appliance)", supermin_d);
  char *argv[] = { supermin, "--build", "-f", "ext2", "-o", (char *) smout,
                   (char *) supermin_d, c->verbose ? "-v" : NULL, NULL };
  debug (c, "running supermin --build -f ext2 -o %s %s", smout, supermin_d);
  status = run_program (c, argv, -1, -1, tail, sizeof tail);
  if (status == -1)
    return -1;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    strip_trailing_newline (tail);
    return fail (c, "supermin --build failed (status %d): %s", status, tail);
  }
  debug (c, "supermin --build done");
  return 0;
}

/* The two optimisations below are optional: when one is not possible
 * the reason is logged (sub carries it) and supermin's file is used
 * instead. */

/* Kernel: uncompressed if we can, else the file supermin picked. */
static int
place_kernel (struct ctx *c, struct ctx *sub, const char *smkernel,
              const char *kernel, const char *dir)
{
  if (kernel_unpack_vmlinux (sub, smkernel, kernel, dir) == 0) {
    debug (c, "kernel: uncompressed %s", smkernel);
    return 0;
  }
  debug (c, "kernel: booting %s as it is (%s)", smkernel, sub->err);
  CLEANUP_FREE char *target = realpath (smkernel, NULL);
  if (target == NULL || symlink (target, kernel) == -1)
    return fail_errno (c, "%s", smkernel);
  return 0;
}

/* Initrd: ours if we can, else supermin's. */
static int
place_initrd (struct ctx *c, struct ctx *sub, const char *supermin_d,
              const char *smkernel, const char *sminitrd, const char *initrd)
{
  CLEANUP_FREE char *ktarget = realpath (smkernel, NULL);

  if (initrd_build_small (sub, supermin_d, ktarget ? ktarget : smkernel,
                          initrd) == 0) {
    debug (c, "initrd: small initrd built");
    return 0;
  }
  debug (c, "initrd: using supermin's (%s)", sub->err);
  if (rename (sminitrd, initrd) == -1)
    return fail_errno (c, "rename %s", sminitrd);
  return 0;
}

/* Builds into dir, which exists and is empty. */
int
build_into (struct ctx *c, const char *supermin_d, const char *dir)
{
  CLEANUP_FREE char *smout = appliance_asprintf ("%s/supermin.out", dir);
  CLEANUP_FREE char *smkernel = appliance_asprintf ("%s/supermin.out/kernel", dir);
  CLEANUP_FREE char *sminitrd = appliance_asprintf ("%s/supermin.out/initrd", dir);
  CLEANUP_FREE char *smroot = appliance_asprintf ("%s/supermin.out/root", dir);
  CLEANUP_FREE char *kernel = appliance_asprintf ("%s/kernel", dir);
  CLEANUP_FREE char *initrd = appliance_asprintf ("%s/initrd", dir);
  CLEANUP_FREE char *root = appliance_asprintf ("%s/root", dir);
  char why[512] = "";
  struct ctx sub = { c->verbose, c->log, c->opaque, why, sizeof why };

  if (!smout || !smkernel || !sminitrd || !smroot || !kernel || !initrd ||
      !root)
    return fail (c, "out of memory");
  if (run_supermin (c, supermin_d, smout) == -1)
    return -1;
  if (rename (smroot, root) == -1)
    return fail_errno (c, "rename %s", smroot);
  if (place_kernel (c, &sub, smkernel, kernel, dir) == -1 ||
      place_initrd (c, &sub, supermin_d, smkernel, sminitrd, initrd) == -1)
    return -1;
  remove_tree (smout);
  return 0;
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
