/* libvirt authentication, as libguestfs does it (guestfs(3), LIBVIRT
 * AUTHENTICATION): the program says which credential types it can
 * answer; when libvirt asks for some, the GUESTFS_EVENT_LIBVIRT_AUTH
 * callbacks run, and they read the requests and answer them with the
 * get/set_libvirt_requested_credential* calls.  Without such a
 * callback, libvirt's own command-line prompts are used.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "guestfs-internal.h"
#include "internal-actions.h"
#include "libvirt-auth.h"

static const struct {
  const char *name;
  int type;
} cred_types[] = {
  { "username", VIR_CRED_USERNAME },
  { "authname", VIR_CRED_AUTHNAME },
  { "language", VIR_CRED_LANGUAGE },
  { "cnonce", VIR_CRED_CNONCE },
  { "passphrase", VIR_CRED_PASSPHRASE },
  { "echoprompt", VIR_CRED_ECHOPROMPT },
  { "noechoprompt", VIR_CRED_NOECHOPROMPT },
  { "realm", VIR_CRED_REALM },
  { "external", VIR_CRED_EXTERNAL },
};
#define NR_CRED_TYPES (sizeof cred_types / sizeof cred_types[0])

static int
cred_type_of (const char *name)
{
  for (size_t i = 0; i < NR_CRED_TYPES; ++i)
    if (strcmp (cred_types[i].name, name) == 0)
      return cred_types[i].type;
  return -1;
}

static const char *
cred_name_of (int type)
{
  for (size_t i = 0; i < NR_CRED_TYPES; ++i)
    if (cred_types[i].type == type)
      return cred_types[i].name;
  return NULL;
}

int
guestfs_impl_set_libvirt_supported_credentials (guestfs_h *g,
                                                char *const *creds)
{
  if (creds[0] == NULL) {
    guestfs_int_error_errno (g, EINVAL, "set_libvirt_supported_credentials: "
                             "creds: the list must not be empty");
    return -1;
  }
  for (size_t i = 0; creds[i]; ++i)
    if (cred_type_of (creds[i]) == -1) {
      guestfs_int_error_errno (g, EINVAL, "set_libvirt_supported_credentials: "
                               "unknown credential type \"%s\"", creds[i]);
      return -1;
    }
  char **copy = guestfs_int_copy_string_list (g, creds);
  if (copy == NULL)
    return -1;
  guestfs_int_free_string_list (g->libvirt_supported_creds);
  g->libvirt_supported_creds = copy;
  return 0;
}

/* The index'th requested credential, or NULL (error set) outside the
 * event or out of range. */
static virConnectCredentialPtr
requested (guestfs_h *g, const char *fn, int index)
{
  if (g->libvirt_requested_creds == NULL) {
    guestfs_int_error_errno (g, EINVAL, "%s: should only be called during "
                             "the GUESTFS_EVENT_LIBVIRT_AUTH event handler",
                             fn);
    return NULL;
  }
  if (index < 0 || (size_t) index >= g->nr_libvirt_requested_creds) {
    guestfs_int_error_errno (g, EINVAL, "%s: index %d is out of range "
                             "(%zu credentials requested)", fn, index,
                             g->nr_libvirt_requested_creds);
    return NULL;
  }
  return (virConnectCredentialPtr) g->libvirt_requested_creds + index;
}

char **
guestfs_impl_get_libvirt_requested_credentials (guestfs_h *g)
{
  if (g->libvirt_requested_creds == NULL) {
    guestfs_int_error_errno (g, EINVAL, "get_libvirt_requested_credentials: "
                             "should only be called during the "
                             "GUESTFS_EVENT_LIBVIRT_AUTH event handler");
    return NULL;
  }
  size_t n = g->nr_libvirt_requested_creds;
  char **r = safe_malloc (g, (n + 1) * sizeof *r);
  virConnectCredentialPtr c = g->libvirt_requested_creds;
  for (size_t i = 0; i < n; ++i)
    r[i] = safe_strdup (g, cred_name_of (c[i].type));
  r[n] = NULL;
  return r;
}

static char *
text_or_empty (guestfs_h *g, const char *s)
{
  return safe_strdup (g, s ? s : "");
}

char *
guestfs_impl_get_libvirt_requested_credential_prompt (guestfs_h *g,
                                                      int index)
{
  virConnectCredentialPtr c =
    requested (g, "get_libvirt_requested_credential_prompt", index);
  return c ? text_or_empty (g, c->prompt) : NULL;
}

char *
guestfs_impl_get_libvirt_requested_credential_challenge (guestfs_h *g,
                                                         int index)
{
  virConnectCredentialPtr c =
    requested (g, "get_libvirt_requested_credential_challenge", index);
  return c ? text_or_empty (g, c->challenge) : NULL;
}

char *
guestfs_impl_get_libvirt_requested_credential_defresult (guestfs_h *g,
                                                         int index)
{
  virConnectCredentialPtr c =
    requested (g, "get_libvirt_requested_credential_defresult", index);
  return c ? text_or_empty (g, c->defresult) : NULL;
}

int
guestfs_impl_set_libvirt_requested_credential (guestfs_h *g, int index,
                                               const char *cred,
                                               size_t cred_size)
{
  virConnectCredentialPtr c =
    requested (g, "set_libvirt_requested_credential", index);
  if (c == NULL)
    return -1;
  /* libvirt frees the result; it reads resultlen bytes and expects a
   * terminating NUL after them as well. */
  char *r = safe_malloc (g, cred_size + 1);
  memcpy (r, cred, cred_size);
  r[cred_size] = '\0';
  free (c->result);
  c->result = r;
  c->resultlen = cred_size;
  return 0;
}

/* libvirt's callback: hand the requests to the program's event
 * handlers, which answer them in place. */
static int
auth_callback (virConnectCredentialPtr cred, unsigned int ncred, void *opaque)
{
  struct libvirt_auth *a = opaque;
  guestfs_h *g = a->g;
  g->libvirt_requested_creds = cred;
  g->nr_libvirt_requested_creds = ncred;
  for (unsigned i = 0; i < ncred; ++i) {
    cred[i].result = NULL;
    cred[i].resultlen = 0;
  }
  const char *uri = a->uri ? a->uri : "";
  guestfs_int_call_callbacks_message (g, GUESTFS_EVENT_LIBVIRT_AUTH, uri,
                                      strlen (uri));
  g->libvirt_requested_creds = NULL;
  g->nr_libvirt_requested_creds = 0;
  return 0;
}

/* libvirt prints its errors on stderr unless told otherwise; they are
 * reported as the library's errors instead (libguestfs does the
 * same). */
static void
ignore_errors (void *data, virErrorPtr err)
{
  (void) data;
  (void) err;
}

void *
guestfs_int_open_libvirt_connection (guestfs_h *g, const char *uri,
                                     unsigned flags)
{
  virConnectPtr conn;
  virSetErrorFunc (NULL, ignore_errors);
  if (g->libvirt_supported_creds &&
      guestfs_int_has_callback (g, GUESTFS_EVENT_LIBVIRT_AUTH)) {
    int types[NR_CRED_TYPES];
    size_t n = 0;
    for (size_t i = 0; g->libvirt_supported_creds[i] && n < NR_CRED_TYPES;
         ++i)
      types[n++] = cred_type_of (g->libvirt_supported_creds[i]);
    struct libvirt_auth a = { .g = g, .uri = uri };
    virConnectAuth auth = {
      .credtype = types, .ncredtype = n, .cb = auth_callback, .cbdata = &a,
    };
    conn = virConnectOpenAuth (uri, &auth, flags);
  } else
    conn = virConnectOpenAuth (uri, virConnectAuthPtrDefault, flags);
  if (conn == NULL) {
    const char *msg = virGetLastErrorMessage ();
    guestfs_int_error_errno (g, EIO, "could not connect to libvirt (URI = "
                             "%s): %s", uri ? uri : "NULL", msg ? msg : "");
  }
  return conn;
}
