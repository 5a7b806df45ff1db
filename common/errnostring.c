#include <config.h>

#include <errno.h>
#include <string.h>

#include "errnostring.h"

#define ERRNO_NAMES(X)                                                       \
  X (EPERM)                                                                 \
  X (ENOENT)                                                                \
  X (ESRCH)                                                                 \
  X (EINTR)                                                                 \
  X (EIO)                                                                   \
  X (ENXIO)                                                                 \
  X (E2BIG)                                                                 \
  X (ENOEXEC)                                                               \
  X (EBADF)                                                                 \
  X (ECHILD)                                                                \
  X (EAGAIN)                                                                \
  X (ENOMEM)                                                                \
  X (EACCES)                                                                \
  X (EFAULT)                                                                \
  X (ENOTBLK)                                                               \
  X (EBUSY)                                                                 \
  X (EEXIST)                                                                \
  X (EXDEV)                                                                 \
  X (ENODEV)                                                                \
  X (ENOTDIR)                                                               \
  X (EISDIR)                                                                \
  X (EINVAL)                                                                \
  X (ENFILE)                                                                \
  X (EMFILE)                                                                \
  X (ENOTTY)                                                                \
  X (ETXTBSY)                                                               \
  X (EFBIG)                                                                 \
  X (ENOSPC)                                                                \
  X (ESPIPE)                                                                \
  X (EROFS)                                                                 \
  X (EMLINK)                                                                \
  X (EPIPE)                                                                 \
  X (EDOM)                                                                  \
  X (ERANGE)                                                                \
  X (EDEADLK)                                                               \
  X (ENAMETOOLONG)                                                          \
  X (ENOLCK)                                                                \
  X (ENOSYS)                                                                \
  X (ENOTEMPTY)                                                             \
  X (ELOOP)                                                                 \
  X (ENOMSG)                                                                \
  X (EIDRM)                                                                 \
  X (ENOSTR)                                                                \
  X (ENODATA)                                                               \
  X (ETIME)                                                                 \
  X (ENOSR)                                                                 \
  X (EREMOTE)                                                               \
  X (ENOLINK)                                                               \
  X (EPROTO)                                                                \
  X (EMULTIHOP)                                                             \
  X (EBADMSG)                                                               \
  X (EOVERFLOW)                                                             \
  X (EILSEQ)                                                                \
  X (EUSERS)                                                                \
  X (ENOTSOCK)                                                              \
  X (EDESTADDRREQ)                                                          \
  X (EMSGSIZE)                                                              \
  X (EPROTOTYPE)                                                            \
  X (ENOPROTOOPT)                                                           \
  X (EPROTONOSUPPORT)                                                       \
  X (ESOCKTNOSUPPORT)                                                       \
  X (EOPNOTSUPP)                                                            \
  X (EPFNOSUPPORT)                                                          \
  X (EAFNOSUPPORT)                                                          \
  X (EADDRINUSE)                                                            \
  X (EADDRNOTAVAIL)                                                         \
  X (ENETDOWN)                                                              \
  X (ENETUNREACH)                                                           \
  X (ENETRESET)                                                             \
  X (ECONNABORTED)                                                          \
  X (ECONNRESET)                                                            \
  X (ENOBUFS)                                                               \
  X (EISCONN)                                                               \
  X (ENOTCONN)                                                              \
  X (ESHUTDOWN)                                                             \
  X (ETOOMANYREFS)                                                          \
  X (ETIMEDOUT)                                                             \
  X (ECONNREFUSED)                                                          \
  X (EHOSTDOWN)                                                             \
  X (EHOSTUNREACH)                                                          \
  X (EALREADY)                                                              \
  X (EINPROGRESS)                                                           \
  X (ESTALE)                                                                \
  X (EUCLEAN)                                                               \
  X (EDQUOT)                                                                \
  X (ECANCELED)                                                             \
  X (EKEYEXPIRED)                                                           \
  X (EKEYREJECTED)                                                          \
  X (EKEYREVOKED)                                                           \
  X (ENOKEY)                                                                \
  X (EMEDIUMTYPE)                                                           \
  X (ENOMEDIUM)                                                             \
  X (EREMOTEIO)                                                             \
  X (ENOTRECOVERABLE)                                                       \
  X (EOWNERDEAD)                                                            \
  X (ERFKILL)                                                               \
  X (EHWPOISON)

struct errno_name {
  int errnum;
  const char *name;
};

#define ENTRY(e) { e, #e },
static const struct errno_name errno_names[] = { ERRNO_NAMES (ENTRY) };
#undef ENTRY

const char *
guestfs_int_errno_to_string (int errnum)
{
  /* EWOULDBLOCK and ENOTSUP alias EAGAIN and EOPNOTSUPP on Linux. */
  for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; ++i)
    if (errno_names[i].errnum == errnum)
      return errno_names[i].name;
  return NULL;
}

int
guestfs_int_string_to_errno (const char *name)
{
  if (name == NULL)
    return EINVAL;
  for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; ++i)
    if (strcmp (errno_names[i].name, name) == 0)
      return errno_names[i].errnum;
  if (strcmp (name, "EWOULDBLOCK") == 0)
    return EAGAIN;
  if (strcmp (name, "ENOTSUP") == 0)
    return EOPNOTSUPP;
  return EINVAL;
}
