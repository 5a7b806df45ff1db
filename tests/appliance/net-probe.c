/* Run inside the appliance (static: the scratch filesystem it is
 * copied to has no C library).  Prints each interface that has an IPv4
 * address as "NAME ADDRESS up|down", then, given a port, connects to
 * that port of the host's side of the user-mode network and sends a
 * line. */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "appliance-net.h"

int
main (int argc, char *argv[])
{
  int s = socket (AF_INET, SOCK_DGRAM, 0);
  struct ifreq reqs[16];
  struct ifconf conf = { .ifc_len = sizeof reqs, .ifc_req = reqs };
  if (s == -1 || ioctl (s, SIOCGIFCONF, &conf) == -1) {
    perror ("SIOCGIFCONF");
    return 1;
  }
  for (size_t i = 0; i < conf.ifc_len / sizeof reqs[0]; ++i) {
    struct sockaddr_in *in = (struct sockaddr_in *) &reqs[i].ifr_addr;
    char addr[INET_ADDRSTRLEN];
    inet_ntop (AF_INET, &in->sin_addr, addr, sizeof addr);
    struct ifreq f = reqs[i];
    int up = ioctl (s, SIOCGIFFLAGS, &f) == 0 && (f.ifr_flags & IFF_UP);
    printf ("%s %s %s\n", reqs[i].ifr_name, addr, up ? "up" : "down");
  }
  close (s);
  if (argc < 2)
    return 0;
  struct sockaddr_in host = { .sin_family = AF_INET,
                              .sin_port = htons (atoi (argv[1])) };
  inet_pton (AF_INET, APPLIANCE_NET_GATEWAY, &host.sin_addr);
  int c = socket (AF_INET, SOCK_STREAM, 0);
  if (c == -1 || connect (c, (struct sockaddr *) &host, sizeof host) == -1) {
    perror ("connect");
    return 1;
  }
  static const char line[] = "hello from the appliance\n";
  if (write (c, line, sizeof line - 1) != sizeof line - 1) {
    perror ("write");
    return 1;
  }
  close (c);
  printf ("sent\n");
  return 0;
}
