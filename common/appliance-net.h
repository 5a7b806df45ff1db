/* The appliance's network (guestfs_set_network): qemu's user-mode
 * network on libguestfs's link-local range, with every address named
 * so that qemu (libcore/qemu/cmdline.c) and the daemon that configures
 * the guest's side (daemon/network.c) agree without DHCP. */
#ifndef GUESTFS_APPLIANCE_NET_H
#define GUESTFS_APPLIANCE_NET_H

#define APPLIANCE_NET "169.254.0.0/16"
#define APPLIANCE_NET_MASK "255.255.0.0"
#define APPLIANCE_NET_GUEST "169.254.2.15"   /* the appliance */
#define APPLIANCE_NET_GATEWAY "169.254.2.2"  /* qemu: the host's side */
#define APPLIANCE_NET_DNS "169.254.2.3"      /* qemu's DNS forwarder */

#endif
