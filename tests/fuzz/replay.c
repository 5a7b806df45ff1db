/* Run the fuzz target over saved inputs without libFuzzer: each
 * argument is a file or a directory of files.  Used by the
 * fuzz-corpus-replay test in ordinary (gcc) builds. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
replay_file (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd == -1 || fstat (fd, &st) == -1) {
    perror (path);
    return -1;
  }
  uint8_t *data = malloc (st.st_size ? st.st_size : 1);
  ssize_t n = data ? read (fd, data, st.st_size) : -1;
  close (fd);
  if (n != st.st_size) {
    fprintf (stderr, "%s: short read\n", path);
    free (data);
    return -1;
  }
  LLVMFuzzerTestOneInput (data, n);
  free (data);
  return 0;
}

static int
replay_dir (const char *dir, size_t *count)
{
  struct dirent **names;
  int n = scandir (dir, &names, NULL, alphasort);
  if (n == -1) {
    perror (dir);
    return -1;
  }
  int r = 0;
  for (int i = 0; i < n; ++i) {
    if (names[i]->d_name[0] != '.' && r == 0) {
      char *p;
      if (asprintf (&p, "%s/%s", dir, names[i]->d_name) == -1)
        abort ();
      r = replay_file (p);
      free (p);
      ++*count;
    }
    free (names[i]);
  }
  free (names);
  return r;
}

int
main (int argc, char *argv[])
{
  size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    struct stat st;
    if (stat (argv[i], &st) == -1) {
      perror (argv[i]);
      return EXIT_FAILURE;
    }
    int r = S_ISDIR (st.st_mode) ? replay_dir (argv[i], &count)
                                 : (++count, replay_file (argv[i]));
    if (r == -1)
      return EXIT_FAILURE;
  }
  if (count == 0) {
    fprintf (stderr, "no inputs to replay\n");
    return EXIT_FAILURE;
  }
  printf ("%zu inputs replayed\n", count);
  return EXIT_SUCCESS;
}
