/* add_domain and add_libvirt_dom: the disks of a libvirt domain, read
 * from its XML (libxml2) and added with add_drive_opts, all or none.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "cleanup.h"
#include "guestfs-internal.h"
#include "internal-actions.h"
#include "libvirt-auth.h"

/* What to do with disks marked <readonly/> (readonlydisk). */
enum ro_policy { RO_ERROR, RO_READ, RO_WRITE, RO_IGNORE };

struct domain_disk {
  char *filename;   /* file, device, or the export/path on a server */
  char *format;     /* <driver type=...>, or NULL: probe */
  char *protocol;   /* network disks, else NULL */
  char *server;     /* "host:port" or "unix:/path", network disks */
  bool readonly;    /* <readonly/> */
  int blocksize;    /* <blockio logical_block_size=...>, 0: none */
};

static void
free_disks (struct domain_disk *disks, size_t n)
{
  for (size_t i = 0; i < n; ++i) {
    free (disks[i].filename);
    free (disks[i].format);
    free (disks[i].protocol);
    free (disks[i].server);
  }
  free (disks);
}

static int
parse_ro_policy (guestfs_h *g, const char *s, enum ro_policy *p)
{
  static const char *const names[] = { "error", "read", "write", "ignore" };
  for (int i = 0; i < 4; ++i)
    if (strcmp (s, names[i]) == 0) {
      *p = (enum ro_policy) i;
      return 0;
    }
  guestfs_int_error_errno (g, EINVAL, "add_libvirt_dom: readonlydisk: \"%s\" "
                           "is not one of error, read, write, ignore", s);
  return -1;
}

/* An attribute as a malloc'd string, or NULL. */
static char *
attr (xmlNodePtr n, const char *name)
{
  xmlChar *v = xmlGetProp (n, BAD_CAST name);
  if (v == NULL)
    return NULL;
  char *r = strdup ((const char *) v);
  xmlFree (v);
  return r;
}

static xmlNodePtr
child (xmlNodePtr n, const char *name)
{
  for (xmlNodePtr c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && xmlStrEqual (c->name, BAD_CAST name))
      return c;
  return NULL;
}

/* A network disk's source: <source protocol= name=><host name= port=
 * transport= socket=/></source>. */
static void
network_source (xmlNodePtr source, struct domain_disk *d)
{
  d->protocol = attr (source, "protocol");
  d->filename = attr (source, "name");
  xmlNodePtr host = child (source, "host");
  if (host == NULL)
    return;
  CLEANUP_FREE char *transport = attr (host, "transport");
  CLEANUP_FREE char *socket = attr (host, "socket");
  CLEANUP_FREE char *name = attr (host, "name");
  CLEANUP_FREE char *port = attr (host, "port");
  if (transport && strcmp (transport, "unix") == 0 && socket) {
    if (asprintf (&d->server, "unix:%s", socket) == -1)
      d->server = NULL;
  } else if (name && asprintf (&d->server, "%s%s%s", name, port ? ":" : "",
                               port ? port : "") == -1)
    d->server = NULL;
}

/* One <disk>; false if it has no source this library can open (an
 * empty CD-ROM drive, a storage-pool volume). */
static bool
parse_disk (xmlNodePtr disk, struct domain_disk *d)
{
  memset (d, 0, sizeof *d);
  CLEANUP_FREE char *type = attr (disk, "type");
  xmlNodePtr source = child (disk, "source");
  if (type == NULL || source == NULL)
    return false;
  if (strcmp (type, "file") == 0)
    d->filename = attr (source, "file");
  else if (strcmp (type, "block") == 0)
    d->filename = attr (source, "dev");
  else if (strcmp (type, "network") == 0)
    network_source (source, d);
  if (d->filename == NULL) {
    free (d->protocol);
    free (d->server);
    return false;
  }
  xmlNodePtr driver = child (disk, "driver");
  if (driver)
    d->format = attr (driver, "type");
  d->readonly = child (disk, "readonly") != NULL;
  xmlNodePtr blockio = child (disk, "blockio");
  if (blockio) {
    CLEANUP_FREE char *bs = attr (blockio, "logical_block_size");
    if (bs)
      d->blocksize = atoi (bs);
  }
  return true;
}

/* The disks of the domain XML. */
static struct domain_disk *
parse_domain_xml (guestfs_h *g, const char *xml, size_t *n_r)
{
  xmlDocPtr doc = xmlReadMemory (xml, strlen (xml), NULL, NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOENT);
  if (doc == NULL) {
    guestfs_int_error_errno (g, EINVAL, "add_libvirt_dom: the domain XML "
                             "could not be parsed");
    return NULL;
  }
  struct domain_disk *disks = NULL;
  size_t n = 0;
  xmlXPathContextPtr ctx = xmlXPathNewContext (doc);
  xmlXPathObjectPtr xp =
    ctx ? xmlXPathEvalExpression (BAD_CAST "//devices/disk", ctx) : NULL;
  if (xp && xp->nodesetval) {
    int count = xp->nodesetval->nodeNr;
    disks = safe_malloc (g, (count + 1) * sizeof *disks);
    for (int i = 0; i < count; ++i)
      if (parse_disk (xp->nodesetval->nodeTab[i], &disks[n]))
        ++n;
  } else
    disks = safe_malloc (g, sizeof *disks);
  xmlXPathFreeObject (xp);
  xmlXPathFreeContext (ctx);
  xmlFreeDoc (doc);
  *n_r = n;
  return disks;
}

static int
add_disk (guestfs_h *g, const struct domain_disk *d, bool readonly,
          const struct guestfs_add_libvirt_dom_argv *o)
{
  uint64_t m = o->bitmask;
  char *servers[] = { d->server, NULL };
  struct guestfs_add_drive_opts_argv a = {
    .bitmask = GUESTFS_ADD_DRIVE_OPTS_READONLY_BITMASK,
    .readonly = readonly,
  };
  if (d->format) {
    a.bitmask |= GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK;
    a.format = d->format;
  }
  if (d->protocol) {
    a.bitmask |= GUESTFS_ADD_DRIVE_OPTS_PROTOCOL_BITMASK;
    a.protocol = d->protocol;
  }
  if (d->server) {
    a.bitmask |= GUESTFS_ADD_DRIVE_OPTS_SERVER_BITMASK;
    a.server = servers;
  }
  if (d->blocksize) {
    a.bitmask |= GUESTFS_ADD_DRIVE_OPTS_BLOCKSIZE_BITMASK;
    a.blocksize = d->blocksize;
  }
  if (m & GUESTFS_ADD_LIBVIRT_DOM_IFACE_BITMASK) {
    a.bitmask |= GUESTFS_ADD_DRIVE_OPTS_IFACE_BITMASK;
    a.iface = o->iface;
  }
  if (m & GUESTFS_ADD_LIBVIRT_DOM_CACHEMODE_BITMASK) {
    a.bitmask |= GUESTFS_ADD_DRIVE_OPTS_CACHEMODE_BITMASK;
    a.cachemode = o->cachemode;
  }
  if (m & GUESTFS_ADD_LIBVIRT_DOM_DISCARD_BITMASK) {
    a.bitmask |= GUESTFS_ADD_DRIVE_OPTS_DISCARD_BITMASK;
    a.discard = o->discard;
  }
  if (m & GUESTFS_ADD_LIBVIRT_DOM_COPYONREAD_BITMASK) {
    a.bitmask |= GUESTFS_ADD_DRIVE_OPTS_COPYONREAD_BITMASK;
    a.copyonread = o->copyonread;
  }
  return guestfs_add_drive_opts_argv (g, d->filename, &a);
}

/* Add the disks under the readonlydisk policy; all or none. */
static int
add_disks (guestfs_h *g, const struct domain_disk *disks, size_t n,
           bool readonly, enum ro_policy policy,
           const struct guestfs_add_libvirt_dom_argv *o)
{
  if (policy == RO_ERROR && !readonly)
    for (size_t i = 0; i < n; ++i)
      if (disks[i].readonly) {
        guestfs_int_error_errno (g, EPERM, "add_libvirt_dom: %s: the disk "
                                 "is marked <readonly/> in the libvirt XML, "
                                 "and readonlydisk = \"error\"",
                                 disks[i].filename);
        return -1;
      }
  size_t before = g->nr_drives;
  int added = 0;
  for (size_t i = 0; i < n; ++i) {
    bool ro = readonly;
    if (disks[i].readonly) {
      if (policy == RO_IGNORE)
        continue;
      if (policy == RO_READ || policy == RO_ERROR)
        ro = true;
    }
    if (add_disk (g, &disks[i], ro, o) == -1) {
      guestfs_int_truncate_drives (g, before);
      return -1;
    }
    ++added;
  }
  return added;
}

int
guestfs_impl_add_libvirt_dom (guestfs_h *g, void *domvp,
                              const struct guestfs_add_libvirt_dom_argv *o)
{
  virDomainPtr dom = domvp;
  uint64_t m = o->bitmask;
  bool readonly = (m & GUESTFS_ADD_LIBVIRT_DOM_READONLY_BITMASK) &&
                  o->readonly;
  enum ro_policy policy = RO_WRITE;
  if ((m & GUESTFS_ADD_LIBVIRT_DOM_READONLYDISK_BITMASK) &&
      parse_ro_policy (g, o->readonlydisk, &policy) == -1)
    return -1;
  if (dom == NULL) {
    guestfs_int_error_errno (g, EINVAL, "add_libvirt_dom: dom: NULL");
    return -1;
  }
  /* The "live" flag is ignored, as in libguestfs 1.48. */
  if (!readonly && virDomainIsActive (dom) == 1) {
    guestfs_int_error_errno (g, EPERM,
      "error: domain is a live virtual machine.\n"
      "Writing to the disks of a running virtual machine can cause disk "
      "corruption.\n"
      "Use read-only access: in most libguestfs tools, --ro.");
    return -1;
  }
  char *xml = virDomainGetXMLDesc (dom, 0);
  if (xml == NULL) {
    const char *msg = virGetLastErrorMessage ();
    guestfs_int_error_errno (g, EIO, "add_libvirt_dom: the domain XML: %s",
                             msg ? msg : "");
    return -1;
  }
  size_t n;
  struct domain_disk *disks = parse_domain_xml (g, xml, &n);
  free (xml);
  if (disks == NULL)
    return -1;
  int r = add_disks (g, disks, n, readonly, policy, o);
  free_disks (disks, n);
  return r;
}

/* add_domain's optional arguments that add_libvirt_dom takes too. */
static struct guestfs_add_libvirt_dom_argv
dom_optargs (const struct guestfs_add_domain_argv *o)
{
  uint64_t m = o->bitmask;
  struct guestfs_add_libvirt_dom_argv d = { .bitmask = 0 };
#define PASS(UP, field)                                                      \
  if (m & GUESTFS_ADD_DOMAIN_##UP##_BITMASK) {                               \
    d.bitmask |= GUESTFS_ADD_LIBVIRT_DOM_##UP##_BITMASK;                     \
    d.field = o->field;                                                      \
  }
  PASS (READONLY, readonly);
  PASS (IFACE, iface);
  PASS (LIVE, live);
  PASS (READONLYDISK, readonlydisk);
  PASS (CACHEMODE, cachemode);
  PASS (DISCARD, discard);
  PASS (COPYONREAD, copyonread);
#undef PASS
  return d;
}

int
guestfs_impl_add_domain (guestfs_h *g, const char *domname,
                         const struct guestfs_add_domain_argv *o)
{
  uint64_t m = o->bitmask;
  const char *uri = (m & GUESTFS_ADD_DOMAIN_LIBVIRTURI_BITMASK)
                      ? o->libvirturi
                      : NULL;
  bool readonly = (m & GUESTFS_ADD_DOMAIN_READONLY_BITMASK) && o->readonly;
  virConnectPtr conn =
    guestfs_int_open_libvirt_connection (g, uri, readonly ? VIR_CONNECT_RO : 0);
  if (conn == NULL)
    return -1;
  virDomainPtr dom = NULL;
  if ((m & GUESTFS_ADD_DOMAIN_ALLOWUUID_BITMASK) && o->allowuuid)
    dom = virDomainLookupByUUIDString (conn, domname);
  if (dom == NULL)
    dom = virDomainLookupByName (conn, domname);
  if (dom == NULL) {
    const char *msg = virGetLastErrorMessage ();
    guestfs_int_error_errno (g, ENOENT, "no libvirt domain called '%s': %s",
                             domname, msg ? msg : "");
    virConnectClose (conn);
    return -1;
  }
  struct guestfs_add_libvirt_dom_argv d = dom_optargs (o);
  int r = guestfs_add_libvirt_dom_argv (g, dom, &d);
  virDomainFree (dom);
  virConnectClose (conn);
  return r;
}
