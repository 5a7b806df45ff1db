/* The action table's vocabulary.
 *
 * Every API action is declared once, in the actions_*.c files beside this
 * header, as a struct action.  The generator (gen.c, one emitter per
 * output: see gen.h) reads the table and writes the XDR protocol
 * description, the public header, the client stubs, the daemon
 * dispatcher and the API docs.
 */
#ifndef GENERATOR_H
#define GENERATOR_H

#include <stddef.h>

/* Positional argument types.  The comment says how each is passed in C. */
enum arg_type {
  A_END = 0,    /* terminates an argument list */
  A_STRING,     /* const char *: any string */
  A_OPTSTRING,  /* const char *: a string or NULL */
  A_PATHNAME,   /* const char *: absolute path in the guest filesystem */
  A_DEVICE,     /* const char *: /dev/... block device, name-translated */
  A_MOUNTABLE,  /* const char *: device, or btrfsvol:DEV/SUBVOL */
  A_KEY,        /* const char *: secret, never traced or logged */
  A_INT,        /* int */
  A_INT64,      /* int64_t */
  A_BOOL,       /* int (0 or 1) */
  A_STRINGLIST, /* char *const *: NULL-terminated list */
  A_DEVICELIST, /* char *const *: list of devices, name-translated */
  A_BUFFERIN,   /* const char *buf, size_t buf_size */
  A_FILEIN,     /* const char *: host file sent to the daemon as chunks */
  A_FILEOUT,    /* const char *: host file received from the daemon */
  A_POINTER,    /* void *: an object of another library (a libvirt
                 * virDomainPtr); library-side actions only */
};

/* Optional argument types (the _argv struct field type in parentheses). */
enum optarg_type {
  O_END = 0,
  O_BOOL,       /* int */
  O_INT,        /* int */
  O_INT64,      /* int64_t */
  O_STRING,     /* const char * */
  O_STRINGLIST, /* char *const * */
  O_KEY,        /* const char *: a secret (a password), traced as *** */
};

enum ret_type {
  R_ERR,          /* int: 0 or -1 */
  R_INT,          /* int: >= 0 or -1 */
  R_INT64,        /* int64_t: >= 0 or -1 */
  R_BOOL,         /* int: 0, 1 or -1 */
  R_CONSTSTRING,  /* const char *: owned by the handle (library side only) */
  R_STRING,       /* char *: caller frees */
  R_STRINGLIST,   /* char **: NULL-terminated, caller frees */
  R_HASHTABLE,    /* char **: key, value, ..., NULL */
  R_STRUCT,       /* struct guestfs_X *: guestfs_free_X */
  R_STRUCTLIST,   /* struct guestfs_X_list *: guestfs_free_X_list */
  R_BUFFEROUT,    /* char *, size_t *size_r: caller frees */
};

enum field_type {
  F_END = 0,
  F_STRING,  /* char * */
  F_BUFFER,  /* uint32_t NAME_len; char *NAME */
  F_INT32,   /* int32_t */
  F_UINT32,  /* uint32_t */
  F_INT64,   /* int64_t */
  F_UINT64,  /* uint64_t */
  F_CHAR,    /* char */
  F_PERCENT, /* float: 0..100, or -1 for "not applicable" */
  F_UUID,    /* char NAME[32]: exactly 32 bytes, NOT NUL-terminated */
};

struct arg {
  enum arg_type type;
  const char *name;
};

struct optarg {
  enum optarg_type type;
  const char *name;
};

/* Action flags. */
enum {
  /* Returns progress messages during long operations. */
  FL_PROGRESS = 1 << 0,
  /* Library-side: only valid in the CONFIG state. */
  FL_CONFIG_ONLY = 1 << 1,
  /* Library-side: valid in any state, no handle state checks. */
  FL_ANY_STATE = 1 << 2,
  /* Generate NAME without optional args plus NAME_opts with them, the
   * convention for actions that gained optional arguments later. */
  FL_ONCE_HAD_NO_OPTARGS = 1 << 3,
  /* Not part of the public API: used by the library's own code. */
  FL_INTERNAL = 1 << 4,
  /* Never trace the return value (it may hold key material). */
  FL_SECRET_RET = 1 << 5,
  /* An action of libguestfs not implemented yet: it exists (same
   * signature) but fails with ENOTSUP, naming its optional group the
   * way libguestfs does when a group is missing from its build.  Only
   * in actions_unavailable.c, with proc 0. */
  FL_UNAVAILABLE = 1 << 6,
};

/* Which parts of a daemon action's reply are device names.  The daemon
 * answers those as callers name disks (/dev/sdX where the appliance's
 * kernel has /dev/vdX), as libguestfs does: see daemon/devices.c. */
enum ret_devices {
  RD_NONE = 0,
  RD_ALL,    /* the R_STRING, or every element of the R_STRINGLIST */
  RD_KEYS,   /* the keys of the R_HASHTABLE */
  RD_VALUES, /* the values of the R_HASHTABLE */
  RD_TEXT,   /* every disk or partition name in the R_STRING's text */
};

#define MAX_ARGS 10
#define MAX_OPTARGS 64

struct action {
  const char *name;
  /* Procedure number on the wire: stable, append-only.  0 means the
   * action is implemented in the library (libcore/impl-*.c). */
  int proc;
  enum ret_type ret;
  const char *ret_struct; /* struct name for R_STRUCT / R_STRUCTLIST */
  enum ret_devices ret_devices;
  struct arg args[MAX_ARGS];
  struct optarg optargs[MAX_OPTARGS];
  unsigned flags;
  const char *group; /* optional feature group for guestfs_available */
  const char *shortdesc;
  const char *doc; /* POD */
};

struct field {
  enum field_type type;
  const char *name;
};

#define MAX_FIELDS 32

struct api_struct {
  const char *name;
  struct field fields[MAX_FIELDS];
  const char *doc;
};

/* The tables, each ending in an entry whose name is NULL.  Each area of
 * the API has its own file and its own range of procedure numbers, so
 * that numbers stay stable as areas grow.  The ranges are written once,
 * in tables.c, and gen refuses a daemon action numbered outside its
 * file's range (see HACKING.md).  Library-side actions (proc 0) may sit
 * in any file. */
extern const struct action actions_config[];
extern const struct action actions_core[];
extern const struct action actions_files[];
extern const struct action actions_devices[];
extern const struct action actions_fuse[];
extern const struct action actions_inspect[];
extern const struct action actions_unavailable[];
extern const struct action actions_edit[];
extern const struct action actions_storage[];
extern const struct action actions_text[];
extern const struct action actions_optional[];
extern const struct action actions_btrfs[];
extern const struct action actions_library[];
extern const struct api_struct api_structs[];
/* tables.c: the optional groups this project provides. */
extern const char *const provided_groups[];

struct action_table {
  const char *file;              /* where the table is written */
  const struct action *actions;
  int first_proc, last_proc;     /* its daemon actions' numbers; 0, 0: none */
  const char *area;
};

/* Every table, ending in an entry whose file is NULL. */
extern const struct action_table action_tables[];

/* The table whose daemon actions act only on files, through
 * descriptors and names under the sysroot: the daemon may serve them
 * on several connections at once (proc_info.concurrent).  Every other
 * action runs alone. */
extern const struct action *const concurrent_actions;

#endif
