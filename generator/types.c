/* Each argument, optional-argument, return and field type, spelled in C
 * and in XDR.  Every emitter that needs a type's spelling asks here, so
 * a new type is added in one place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

bool
is_list_arg (enum arg_type t)
{
  return t == A_STRINGLIST || t == A_DEVICELIST;
}

enum arg_type
optarg_arg_type (enum optarg_type t)
{
  switch (t) {
  case O_BOOL: return A_BOOL;
  case O_INT: return A_INT;
  case O_INT64: return A_INT64;
  case O_STRING: return A_STRING;
  case O_STRINGLIST: return A_STRINGLIST;
  case O_END: break;
  }
  abort ();
}

/* ---- C ---- */

const char *
c_arg_type (enum arg_type t)
{
  switch (t) {
  case A_INT: case A_BOOL: return "int";
  case A_INT64: return "int64_t";
  case A_STRINGLIST: case A_DEVICELIST: return "char *const *";
  case A_STRING: case A_OPTSTRING: case A_PATHNAME: case A_DEVICE:
  case A_MOUNTABLE: case A_KEY: case A_BUFFERIN: case A_FILEIN:
  case A_FILEOUT:
    return "const char *";
  case A_POINTER: return "void *";
  case A_END: break;
  }
  abort ();
}

const char *
c_decl (const char *type, const char *name)
{
  static char bufs[4][256];
  static unsigned next;
  char *buf = bufs[next++ % 4];
  size_t len = strlen (type);
  bool pointer = len > 0 && type[len - 1] == '*';
  snprintf (buf, sizeof bufs[0], "%s%s%s", type, pointer ? "" : " ", name);
  return buf;
}

void
pr_c_param (const struct arg *arg)
{
  pr ("%s", c_decl (c_arg_type (arg->type), arg->name));
  if (arg->type == A_BUFFERIN)
    pr (", size_t %s_size", arg->name);
}

void
pr_c_params (const struct action *a)
{
  FOR_ARGS (a, arg) {
    pr (", ");
    pr_c_param (arg);
  }
  if (a->ret == R_BUFFEROUT)
    pr (", size_t *size_r");
}

const char *
c_optarg_decl (const struct optarg *oa)
{
  return c_decl (c_arg_type (optarg_arg_type (oa->type)), oa->name);
}

/* "PREFIXNAME *" or "PREFIXNAME_list *" for a struct return. */
static const char *
struct_ret_type (const char *prefix, const struct action *a)
{
  static char buf[128];
  snprintf (buf, sizeof buf, "%s%s%s *", prefix, a->ret_struct,
            a->ret == R_STRUCTLIST ? "_list" : "");
  return buf;
}

const char *
c_ret_type (const struct action *a)
{
  switch (a->ret) {
  case R_ERR: case R_INT: case R_BOOL: return "int ";
  case R_INT64: return "int64_t ";
  case R_CONSTSTRING: return "const char *";
  case R_STRING: case R_BUFFEROUT: return "char *";
  case R_STRINGLIST: case R_HASHTABLE: return "char **";
  case R_STRUCT: case R_STRUCTLIST:
    return struct_ret_type ("struct guestfs_", a);
  }
  abort ();
}

/* The daemon returns the XDR structs, which have the public structs'
 * layout under their guestfs_int_ names. */
const char *
daemon_ret_type (const struct action *a)
{
  switch (a->ret) {
  case R_STRUCT: case R_STRUCTLIST:
    return struct_ret_type ("guestfs_int_", a);
  default:
    return c_ret_type (a);
  }
}

bool
ret_is_int (enum ret_type t)
{
  return t == R_ERR || t == R_INT || t == R_BOOL || t == R_INT64;
}

const char *
error_value (const struct action *a)
{
  return ret_is_int (a->ret) ? "-1" : "NULL";
}

static const char *
c_field_type (enum field_type t)
{
  switch (t) {
  case F_STRING: return "char *";
  case F_INT32: return "int32_t";
  case F_UINT32: return "uint32_t";
  case F_INT64: return "int64_t";
  case F_UINT64: return "uint64_t";
  case F_CHAR: return "char";
  case F_PERCENT: return "float";
  case F_UUID: return "char";
  case F_BUFFER: case F_END: break;
  }
  abort ();
}

void
pr_c_fields (const struct api_struct *s, const char *indent)
{
  FOR_FIELDS (s, f) {
    if (f->type == F_BUFFER)
      pr ("%suint32_t %s_len;\n%schar *%s;\n", indent, f->name, indent,
          f->name);
    else if (f->type == F_UUID)
      pr ("%schar %s[32]; /* NOT NUL-terminated */\n", indent, f->name);
    else
      pr ("%s%s;\n", indent, c_decl (c_field_type (f->type), f->name));
  }
}

/* ---- XDR ---- */

static const char *
xdr_field_type (enum field_type t)
{
  switch (t) {
  case F_STRING: return "guestfs_str";
  case F_INT32: return "int";
  case F_UINT32: return "unsigned int";
  case F_INT64: return "hyper";
  case F_UINT64: return "unsigned hyper";
  case F_CHAR: return "char";
  case F_PERCENT: return "float";
  case F_BUFFER: case F_UUID: case F_END: break;
  }
  abort ();
}

void
pr_xdr_fields (const struct api_struct *s)
{
  FOR_FIELDS (s, f) {
    if (f->type == F_BUFFER)
      pr ("  opaque %s<GUESTFS_MESSAGE_MAX>;\n", f->name);
    else if (f->type == F_UUID)
      pr ("  opaque %s[32];\n", f->name);
    else
      pr ("  %s %s;\n", xdr_field_type (f->type), f->name);
  }
}

void
pr_xdr_arg (enum arg_type t, const char *name)
{
  switch (t) {
  case A_STRING: case A_PATHNAME: case A_DEVICE: case A_MOUNTABLE:
  case A_KEY:
    pr ("  guestfs_str %s;\n", name);
    break;
  case A_OPTSTRING: pr ("  guestfs_str *%s;\n", name); break;
  case A_INT: pr ("  int %s;\n", name); break;
  case A_INT64: pr ("  hyper %s;\n", name); break;
  case A_BOOL: pr ("  bool %s;\n", name); break;
  case A_STRINGLIST: case A_DEVICELIST:
    pr ("  guestfs_str %s<GUESTFS_MESSAGE_MAX>;\n", name);
    break;
  case A_BUFFERIN: pr ("  opaque %s<GUESTFS_MESSAGE_MAX>;\n", name); break;
  case A_FILEIN: case A_FILEOUT: case A_POINTER: case A_END:
    /* Files travel as chunks after the call, not in the args; pointers
     * never leave the library. */
    break;
  }
}

void
pr_xdr_ret (const struct action *a)
{
  switch (a->ret) {
  case R_INT: pr ("  int r;\n"); break;
  case R_BOOL: pr ("  bool r;\n"); break;
  case R_INT64: pr ("  hyper r;\n"); break;
  case R_STRING: case R_CONSTSTRING: pr ("  guestfs_str r;\n"); break;
  case R_STRINGLIST: case R_HASHTABLE:
    pr ("  guestfs_str r<GUESTFS_MESSAGE_MAX>;\n");
    break;
  case R_STRUCT: pr ("  guestfs_int_%s r;\n", a->ret_struct); break;
  case R_STRUCTLIST: pr ("  guestfs_int_%s_list r;\n", a->ret_struct); break;
  case R_BUFFEROUT: pr ("  opaque r<GUESTFS_MESSAGE_MAX>;\n"); break;
  case R_ERR: break;
  }
}
