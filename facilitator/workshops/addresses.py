"""The laptop's addresses on the venue's network, so the join link is one a phone can open.

Opened on the laptop itself (127.0.0.1, localhost), the page's own address means "this phone" to
every phone that scans it. Standard library only, and nothing is sent: a UDP socket that is only
connected asks the kernel for a route, and the interfaces are read from the kernel.
"""

import ipaddress
import socket
import struct
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

try:
    import fcntl
except ImportError:  # Windows: the addresses come from the machine's name instead
    fcntl = None

#: Where a route is looked up to (never sent to): the internet first, then the usual home/venue ranges.
ROUTE_PROBES = ("198.51.100.1", "10.0.0.1", "172.16.0.1", "192.168.0.1", "192.168.1.1")
#: Linux's ioctl for an interface's IPv4 address.
SIOCGIFADDR = 0x8915


def _routed():
    """The addresses the machine would send from: the Wi-Fi's, usually, ahead of a VM bridge's."""
    found = []
    for probe in ROUTE_PROBES:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe_socket:
            try:
                probe_socket.connect((probe, 9))
            except OSError:  # no route there (offline, or no such network)
                continue
            found.append(probe_socket.getsockname()[0])
    return found


def _interfaces():
    """Every interface's IPv4 address, read from the Linux kernel."""
    found = []
    try:
        names = [name for _index, name in socket.if_nameindex()]
    except OSError:
        return _hostname()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as query:
        for name in names:
            request = struct.pack("256s", name.encode()[:15])
            try:
                answer = fcntl.ioctl(query.fileno(), SIOCGIFADDR, request)
            except OSError:  # an interface without an IPv4 address
                continue
            found.append(socket.inet_ntoa(answer[20:24]))
    return found


def _hostname():
    """What the machine's own name resolves to: elsewhere than Linux, its addresses as the system lists them."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return [info[4][0] for info in infos]


def machine_addresses():
    """Every IPv4 address found on this machine, the routed ones first (duplicates and loopback included)."""
    listed = _interfaces if fcntl and sys.platform.startswith("linux") else _hostname
    return _routed() + listed()


def lan_addresses(found):
    """Of the `found` addresses, the IPv4 ones another device could reach, private ranges first, each once."""
    addresses = []
    for text in found:
        try:
            address = ipaddress.IPv4Address(text)
        except ValueError:
            continue
        if address.is_loopback or address.is_link_local or address.is_unspecified or address.is_multicast:
            continue
        if address not in addresses:
            addresses.append(address)
    return [str(address) for address in sorted(addresses, key=lambda address: not address.is_private)]


def is_loopback(host):
    """Whether `host` (a name or address, no port) is this machine only."""
    host = host.lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class JoinAddress:
    """Where the join link points. `base` None: the app's own (the public address, or the one reached)."""

    base: str | None = None
    #: (address, base URL) pairs to choose from, the chosen one among them.
    choices: tuple = ()
    chosen: str | None = None
    #: Opened on the laptop itself, which has no address on any network: phones cannot reach it.
    unreachable: bool = False


def join_address(scheme, host, wanted=None, public=False, found=None):
    """The join link's base for a page requested at `scheme`://`host` (a Host header, port included).

    `wanted` is taken only if it is one of the addresses offered; `found` stands for the machine's
    addresses (tests give their own).
    """
    if public:
        return JoinAddress()
    reached = urlsplit(f"//{host}")
    if not is_loopback(reached.hostname or ""):
        return JoinAddress()
    offered = lan_addresses(machine_addresses() if found is None else found)
    if not offered:
        return JoinAddress(unreachable=True)
    port = f":{reached.port}" if reached.port else ""
    choices = tuple((address, f"{scheme}://{address}{port}") for address in offered)
    chosen = wanted if wanted in offered else offered[0]
    return JoinAddress(dict(choices)[chosen], choices, chosen)
