"""Refusing private addresses: which addresses may be connected to, and where a host resolves.

`address_refusal` is the one place that decides whether an IP address is a public one: the
fetcher asks it for every address a host name resolves to, before the request (every hop of a
redirect chain, robots.txt included) and again at connection time, for the addresses it actually
connects to. Name look-ups run within a time limit (`resolve`), since a hostile name server can
otherwise hold a look-up for tens of seconds.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from typing import Any

from ._fetch_result import FetchErrorKind

__all__ = ["AddressRefusal", "address_refusal", "check_addresses", "check_public", "resolve"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# What getaddrinfo gives for one address: family, socket type, protocol, canonical name, address.
AddressInfo = tuple[socket.AddressFamily, socket.SocketKind, int, str, tuple[Any, ...]]

# IPv4 ranges that are not globally reachable: the IANA IPv4 Special-Purpose Address Registry
# (entries whose "Globally Reachable" is False; RFC 6890 and its updates), multicast (RFC 5771)
# and the reserved 240/4 (RFC 1112). Kept here, not taken from `ipaddress.is_global`, whose
# lists differ between Python releases.
_IPV4_NOT_GLOBAL = (
    ("0.0.0.0/8", "'this network'"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "shared address space (carrier-grade NAT)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local (cloud metadata services live here)"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "IETF protocol assignments"),
    ("192.0.2.0/24", "documentation (TEST-NET-1)"),
    ("192.88.99.0/24", "deprecated 6to4 relay anycast"),
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation (TEST-NET-2)"),
    ("203.0.113.0/24", "documentation (TEST-NET-3)"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
)
# 192.0.0.0/24 holds two globally reachable anycast services (PCP, TURN): no web servers, but
# the registry says global, so they are not refused.
_IPV4_GLOBAL_EXCEPTIONS = ("192.0.0.9/32", "192.0.0.10/32")

# IPv6 global unicast is 2000::/3 (the IANA IPv6 Address Space registry); everything outside it is
# refused, except the forms that embed an IPv4 address, which are judged by that address. Inside
# it, the IANA IPv6 Special-Purpose Address Registry's not globally reachable entries.
_IPV6_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
_IPV6_NOT_GLOBAL = (
    ("2001::/23", "IETF protocol assignments"),
    ("2001:db8::/32", "documentation"),
    ("3fff::/20", "documentation"),
    ("2001:2::/48", "benchmarking"),
)
# Within 2001::/23, the registry's globally reachable entries (PCP/TURN/DNS-SD anycast, AMT,
# AS112, ORCHIDv2, drone remote ID): not refused.
_IPV6_GLOBAL_EXCEPTIONS = (
    "2001:1::1/128",
    "2001:1::2/128",
    "2001:1::3/128",
    "2001:3::/32",
    "2001:4:112::/48",
    "2001:20::/28",
    "2001:30::/28",
)
# Outside 2000::/3, named for the refusal message (the rest is "reserved by the IETF").
_IPV6_NAMED = (
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),
    ("100::/64", "discard-only"),
    ("5f00::/16", "SRv6 segment identifiers"),
    ("fc00::/7", "unique local (private)"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local (deprecated, private)"),
    ("ff00::/8", "multicast"),
)

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the IPv4 address in the last 32 bits
_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")  # RFC 4291 2.5.5.2
_COMPATIBLE = ipaddress.IPv6Network("::/96")  # RFC 4291 2.5.5.1, deprecated
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")  # RFC 3056: the IPv4 address in bits 16-47
_TEREDO = ipaddress.IPv6Network("2001::/32")  # RFC 4380: server in 32-63, client XOR-ed in 96-127


def _networks(
    table: tuple[tuple[str, str], ...],
) -> tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...]:
    return tuple((ipaddress.ip_network(net), why) for net, why in table)


_IPV4_REFUSED = _networks(_IPV4_NOT_GLOBAL)
_IPV4_ALLOWED = tuple(ipaddress.IPv4Network(net) for net in _IPV4_GLOBAL_EXCEPTIONS)
_IPV6_REFUSED = _networks(_IPV6_NOT_GLOBAL)
_IPV6_ALLOWED = tuple(ipaddress.IPv6Network(net) for net in _IPV6_GLOBAL_EXCEPTIONS)
_IPV6_OUTSIDE = _networks(_IPV6_NAMED)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[tuple[ipaddress.IPv4Address, str]]:
    """The IPv4 addresses an IPv6 address stands for, with the name of the form."""
    if address in _NAT64:
        return [(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF), "NAT64")]
    if address in _MAPPED:
        return [(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF), "IPv4-mapped")]
    if address in _COMPATIBLE and int(address) > 1:  # :: and ::1 are themselves
        return [(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF), "IPv4-compatible")]
    if address in _SIX_TO_FOUR:
        return [(ipaddress.IPv4Address((int(address) >> 80) & 0xFFFFFFFF), "6to4")]
    if address in _TEREDO:
        server = ipaddress.IPv4Address((int(address) >> 64) & 0xFFFFFFFF)
        client = ipaddress.IPv4Address(~int(address) & 0xFFFFFFFF)  # obfuscated: bits inverted
        return [(server, "Teredo server"), (client, "Teredo client")]
    return []


def _ipv4_refusal(address: ipaddress.IPv4Address) -> str | None:
    if any(address in net for net in _IPV4_ALLOWED):
        return None
    for net, why in _IPV4_REFUSED:
        if address in net:
            return why
    return None


def _ipv6_refusal(address: ipaddress.IPv6Address) -> str | None:
    embedded = _embedded_ipv4(address)
    if embedded:
        for ipv4, form in embedded:
            why = _ipv4_refusal(ipv4)
            if why is not None:
                return f"{form} form of {ipv4}: {why}"
        return None
    if address not in _IPV6_GLOBAL_UNICAST:
        for net, why in _IPV6_OUTSIDE:
            if address in net:
                return why
        return "reserved by the IETF (outside global unicast 2000::/3)"
    if any(address in net for net in _IPV6_ALLOWED):
        return None
    for net, why in _IPV6_REFUSED:
        if address in net:
            return why
    return None


def address_refusal(address: IPAddress) -> str | None:
    """Why `address` may not be connected to, or None when it is a public unicast address.

    An IPv6 address that embeds an IPv4 one (NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, Teredo
    `2001::/32` with its obfuscated client address, IPv4-mapped `::ffff:0:0/96`,
    IPv4-compatible `::/96`) is judged by the IPv4 address it carries, since that is where
    packets to it end up. Otherwise an address must be outside every range the IANA
    special-purpose registries mark as not globally reachable (private, loopback, link-local,
    shared, documentation, benchmarking, ...), multicast and reserved space.

    >>> address_refusal(ipaddress.ip_address("93.184.215.14")) is None
    True
    >>> address_refusal(ipaddress.ip_address("64:ff9b::a9fe:a9fe"))
    'NAT64 form of 169.254.169.254: link-local (cloud metadata services live here)'
    """
    if isinstance(address, ipaddress.IPv4Address):
        return _ipv4_refusal(address)
    return _ipv6_refusal(address)


class AddressRefusal(Exception):  # noqa: N818 - a verdict carried up, not an error users see
    """A host that may not be fetched: it does not resolve, resolves too slowly, or not publicly.

    Attributes:
        kind: `DNS`, `TIMEOUT` (the look-up outlasted the time left) or `PRIVATE_ADDRESS`.
    """

    def __init__(self, message: str, *, kind: FetchErrorKind) -> None:
        super().__init__(message)
        self.kind = kind


def _numeric(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def resolve(host: str, port: int, *, timeout: float, family: int = 0) -> list[AddressInfo]:
    """The addresses of `host` (`getaddrinfo`, stream sockets), looked up within `timeout` s.

    The look-up runs in a helper thread, so a name server that never answers costs at most
    `timeout`; the thread ends on its own when the system resolver gives up.

    Raises:
        AddressRefusal: the name does not resolve (`DNS`) or not in time (`TIMEOUT`).
    """
    name = host[1:-1] if host.startswith("[") else host
    if _numeric(name) is not None:  # an IP literal: no name server involved
        return _getaddrinfo(name, port, family)
    outcome: list[list[AddressInfo] | AddressRefusal] = []
    done = threading.Event()

    def look_up() -> None:
        try:
            outcome.append(_getaddrinfo(name, port, family))
        except AddressRefusal as refusal:
            outcome.append(refusal)
        finally:
            done.set()

    threading.Thread(target=look_up, name=f"backlinkkit-dns-{name}", daemon=True).start()
    if not done.wait(max(timeout, 0.0)):
        raise AddressRefusal(
            f"looking up {host} took longer than the {timeout:.3g} s left",
            kind=FetchErrorKind.TIMEOUT,
        )
    result = outcome[0]
    if isinstance(result, AddressRefusal):
        raise result
    return result


def _getaddrinfo(name: str, port: int, family: int) -> list[AddressInfo]:
    try:
        infos: list[AddressInfo] = list(socket.getaddrinfo(name, port, family, socket.SOCK_STREAM))
    except (OSError, UnicodeError) as error:
        raise AddressRefusal(f"{name} does not resolve: {error}", kind=FetchErrorKind.DNS) from None
    return infos


def check_addresses(host: str, infos: list[AddressInfo]) -> None:
    """Make sure every address in `infos` (a look-up of `host`) is public.

    Every address counts, not just the first: a client may try any of them, and a name that
    mixes public and private addresses is a rebinding attempt more often than not.

    Raises:
        AddressRefusal: one of the addresses is not public (`PRIVATE_ADDRESS`).
    """
    for *_, sockaddr in infos:
        # An IPv6 address may carry a zone (`fe80::1%eth0`): the address is what precedes it.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        why = address_refusal(address)
        if why is not None:
            raise AddressRefusal(
                f"{host} resolves to {address}, which is not a public address ({why})",
                kind=FetchErrorKind.PRIVATE_ADDRESS,
            )


def check_public(host: str, port: int, *, timeout: float) -> None:
    """Resolve `host` within `timeout` seconds and make sure every address it has is public.

    Raises:
        AddressRefusal: the host does not resolve (in time), or one of its addresses is not
            public.
    """
    check_addresses(host, resolve(host, port, timeout=timeout))
