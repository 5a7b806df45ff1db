/* The appliance's network card (guestfsd -n, or guestfs_network=1 on
 * the kernel command line: guestfs_set_network).  qemu's user-mode
 * network gives fixed addresses (common/appliance-net.h), so the
 * interface is configured statically, with ioctls: no DHCP client, no
 * ip(8), nothing that costs a process under emulation. */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "appliance-net.h"
#include "cleanup.h"
#include "daemon.h"

static void
set_addr (struct sockaddr *sa, const char *addr)
{
  struct sockaddr_in *in = (struct sockaddr_in *) sa;
  memset (in, 0, sizeof *in);
  in->sin_family = AF_INET;
  inet_pton (AF_INET, addr, &in->sin_addr);
}

/* The first interface that is not the loopback (the kernel's eth0:
 * the appliance has no udev to rename it). */
static bool
find_card (char name[IFNAMSIZ])
{
  struct if_nameindex *ifs = if_nameindex ();
  bool found = false;
  for (struct if_nameindex *i = ifs; i && i->if_index != 0 && !found; ++i)
    if (strcmp (i->if_name, "lo") != 0) {
      snprintf (name, IFNAMSIZ, "%s", i->if_name);
      found = true;
    }
  if (ifs)
    if_freenameindex (ifs);
  return found;
}

static int
configure (int s, const char *name)
{
  struct ifreq ifr;
  memset (&ifr, 0, sizeof ifr);
  snprintf (ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
  set_addr (&ifr.ifr_addr, APPLIANCE_NET_GUEST);
  if (ioctl (s, SIOCSIFADDR, &ifr) == -1)
    return -1;
  set_addr (&ifr.ifr_netmask, APPLIANCE_NET_MASK);
  if (ioctl (s, SIOCSIFNETMASK, &ifr) == -1 ||
      ioctl (s, SIOCGIFFLAGS, &ifr) == -1)
    return -1;
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl (s, SIOCSIFFLAGS, &ifr) == -1)
    return -1;
  struct rtentry rt;
  memset (&rt, 0, sizeof rt);
  set_addr (&rt.rt_dst, "0.0.0.0");
  set_addr (&rt.rt_genmask, "0.0.0.0");
  set_addr (&rt.rt_gateway, APPLIANCE_NET_GATEWAY);
  rt.rt_flags = RTF_UP | RTF_GATEWAY;
  rt.rt_dev = ifr.ifr_name;
  if (ioctl (s, SIOCADDRT, &rt) == -1 && errno != EEXIST)
    return -1;
  return 0;
}

/* Names resolve through qemu's forwarder (the root disk is a throw-away
 * snapshot: writing /etc is fine). */
static void
write_resolv_conf (void)
{
  CLEANUP_FCLOSE FILE *f = fopen ("/etc/resolv.conf", "we");
  if (f == NULL)
    debug ("/etc/resolv.conf: %m");
  else
    fputs ("nameserver " APPLIANCE_NET_DNS "\n", f);
}

void
network_up (void)
{
  char name[IFNAMSIZ];
  if (!find_card (name)) {
    fprintf (stderr, "guestfsd: network: no network card\n");
    return;
  }
  int s = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s == -1 || configure (s, name) == -1)
    fprintf (stderr, "guestfsd: network: %s: %m\n", name);
  else
    debug ("network: %s is %s, gateway %s", name, APPLIANCE_NET_GUEST,
           APPLIANCE_NET_GATEWAY);
  if (s >= 0)
    close (s);
  write_resolv_conf ();
}
