/* The format probe's reading of qemu-img info: the parser on crafted
 * and hostile outputs, then qemu-img itself on images made here. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness.h"
#include "qemu-img.h"
#include "fileutil.h"
#include "qemu.h"

static char err[512];

static int
parse (const char *json, struct qemu_img_info *info)
{
  return qemu_img_info_parse (json, strlen (json), info, err, sizeof err);
}

static bool
refused (const char *json)
{
  struct qemu_img_info info;
  if (parse (json, &info) == 0) {
    qemu_img_info_free (&info);
    fprintf (stderr, "accepted: %s\n", json);
    return false;
  }
  return strstr (err, "qemu-img info") != NULL;
}

static void
test_real_output (void)
{
  /* qemu-img 7.2's output for a qcow2 image with a backing file. */
  const char *qcow2 =
    "{\n    \"backing-filename-format\": \"raw\",\n"
    "    \"virtual-size\": 1048576,\n    \"filename\": \"/tmp/pb.qcow2\",\n"
    "    \"cluster-size\": 65536,\n    \"format\": \"qcow2\",\n"
    "    \"actual-size\": 200704,\n    \"format-specific\": {\n"
    "        \"type\": \"qcow2\",\n        \"data\": {\n"
    "            \"compat\": \"1.1\",\n            \"lazy-refcounts\": false,\n"
    "            \"refcount-bits\": 16,\n            \"corrupt\": false,\n"
    "            \"bitmaps\": [ ], \"extended-l2\": null\n        }\n    },\n"
    "    \"full-backing-filename\": \"/tmp/pb.raw\",\n"
    "    \"backing-filename\": \"pb.raw\",\n    \"dirty-flag\": false\n}\n";
  struct qemu_img_info info;
  CHECK (parse (qcow2, &info) == 0);
  CHECK (info.format && strcmp (info.format, "qcow2") == 0);
  CHECK (info.backing && strcmp (info.backing, "/tmp/pb.raw") == 0);
  CHECK (info.backing_format && strcmp (info.backing_format, "raw") == 0);
  CHECK (info.virtual_size == 1048576);
  qemu_img_info_free (&info);

  /* No full name: the name as stored. */
  CHECK (parse ("{\"format\":\"qcow2\",\"backing-filename\":\"b.img\"}",
                &info) == 0);
  CHECK (info.backing && strcmp (info.backing, "b.img") == 0);
  qemu_img_info_free (&info);

  CHECK (parse ("{\"virtual-size\": 4096, \"format\": \"raw\"}", &info) == 0);
  CHECK (strcmp (info.format, "raw") == 0 && info.backing == NULL &&
         info.backing_format == NULL && info.virtual_size == 4096);
  qemu_img_info_free (&info);
}

static void
test_escapes (void)
{
  struct qemu_img_info info;
  CHECK (parse ("{\"format\":\"qcow2\",\"full-backing-filename\":"
                "\"/a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\"}", &info) == 0);
  CHECK (info.backing &&
         strcmp (info.backing, "/a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80") == 0);
  qemu_img_info_free (&info);
  /* A name with a NUL would be cut short by every C function after us. */
  CHECK (refused ("{\"format\":\"qcow2\",\"backing-filename\":\"/a\\u0000b\"}"));
  CHECK (refused ("{\"format\":\"raw\",\"x\":\"\\ud800\"}"));
  CHECK (refused ("{\"format\":\"raw\",\"x\":\"\\udc00\"}"));
  CHECK (refused ("{\"format\":\"raw\",\"x\":\"\\u12\"}"));
  CHECK (refused ("{\"format\":\"raw\",\"x\":\"\\q\"}"));
  CHECK (refused ("{\"format\":\"raw\",\"x\":\"a\nb\"}"));
}

static void
test_hostile (void)
{
  /* A second "format" or backing name must not override the first. */
  CHECK (refused ("{\"format\":\"raw\",\"format\":\"qcow2\"}"));
  CHECK (refused ("{\"format\":\"qcow2\",\"full-backing-filename\":\"/a\","
                  "\"full-backing-filename\":\"/dev/sda\"}"));
  CHECK (refused ("{\"virtual-size\":1}"));
  CHECK (refused ("{\"format\":\"\"}"));
  CHECK (refused ("{\"format\":7}"));
  CHECK (refused ("{\"format\":\"raw\"} {\"format\":\"qcow2\"}"));
  CHECK (refused ("{\"format\":\"raw\""));
  CHECK (refused ("{\"format\":\"raw\",}"));
  CHECK (refused ("[\"format\",\"raw\"]"));
  CHECK (refused (""));
  CHECK (refused ("{\"format\":\"raw\",\"virtual-size\":99999999999999999999}"));
  CHECK (refused ("{\"format\":\"raw\",\"x\":tru}"));
  /* Deep nesting is refused, not followed down the stack. */
  size_t depth = 100000;
  char *deep = malloc (depth * 2 + 64);
  char *p = deep + sprintf (deep, "{\"format\":\"raw\",\"x\":");
  for (size_t i = 0; i < depth; ++i)
    *p++ = '[';
  for (size_t i = 0; i < depth; ++i)
    *p++ = ']';
  strcpy (p, "}");
  CHECK (refused (deep));
  free (deep);
  /* Every prefix of a valid answer is refused, never read past. */
  const char *ok = "{\"format\":\"qcow2\",\"backing-filename\":\"/b\\u00e9\","
                   "\"x\":[1,{\"y\":null}],\"virtual-size\":-1}";
  for (size_t n = 0; n < strlen (ok); ++n) {
    struct qemu_img_info info;
    char *prefix = strndup (ok, n);
    bool r = qemu_img_info_parse (prefix, n, &info, err, sizeof err) == -1;
    if (!r)
      qemu_img_info_free (&info);
    CHECK (r);
    free (prefix);
  }
}

static int
run (const char *cmd)
{
  int r = system (cmd);
  return WIFEXITED (r) ? WEXITSTATUS (r) : -1;
}

static void
test_qemu_img (void)
{
  char *prog = find_program ("qemu-img");
  if (prog == NULL) {
    printf ("qemu-img not found: its part skipped\n");
    return;
  }
  free (prog);
  char *dir = test_tmpdir ();
  char *cmd, *opts, *raw;
  if (asprintf (&cmd, "cd %s && qemu-img create -q -f raw base,1.img 1M && "
                "qemu-img create -q -f qcow2 -b base,1.img -F raw top.qcow2",
                dir) == -1 ||
      asprintf (&raw, "%s/base,1.img", dir) == -1)
    abort ();
  CHECK (run (cmd) == 0);
  free (cmd);

  struct qemu_img_info info;
  opts = qemu_local_file_opts (raw);
  CHECK (qemu_img_info (opts, NULL, &info, err, sizeof err) == 0);
  CHECK (info.format && strcmp (info.format, "raw") == 0);
  CHECK (info.backing == NULL && info.virtual_size == 1048576);
  qemu_img_info_free (&info);
  free (opts);

  if (asprintf (&cmd, "%s/top.qcow2", dir) == -1)
    abort ();
  opts = qemu_local_file_opts (cmd);
  CHECK (qemu_img_info (opts, NULL, &info, err, sizeof err) == 0);
  CHECK (info.format && strcmp (info.format, "qcow2") == 0);
  CHECK (info.backing && strcmp (info.backing, raw) == 0);
  qemu_img_info_free (&info);
  free (opts);
  free (cmd);

  /* qemu-img's own message when it fails. */
  if (asprintf (&cmd, "%s/missing.img", dir) == -1)
    abort ();
  opts = qemu_local_file_opts (cmd);
  CHECK (qemu_img_info (opts, NULL, &info, err, sizeof err) == -1);
  CHECK (strstr (err, "missing.img") != NULL);
  free (opts);
  free (cmd);
  free (raw);
  free (dir);
}

int
main (void)
{
  test_real_output ();
  test_escapes ();
  test_hostile ();
  test_qemu_img ();
  return test_result ();
}
