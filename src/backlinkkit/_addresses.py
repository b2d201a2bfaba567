"""Refusing private addresses: where a host name resolves, and whether that is on the internet."""

from __future__ import annotations

import ipaddress
import socket

__all__ = ["AddressRefusal", "check_public"]


class AddressRefusal(Exception):  # noqa: N818 - a verdict carried up, not an error users see
    """The host does not resolve (`dns` True) or resolves to an address that is not public."""

    def __init__(self, message: str, *, dns: bool) -> None:
        super().__init__(message)
        self.dns = dns


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    # is_global is False for private, loopback, link-local, reserved, shared (100.64/10) and
    # documentation ranges (the IANA special-purpose registries); multicast is no web server.
    return address.is_global and not address.is_multicast


def check_public(host: str, port: int) -> None:
    """Resolve `host` and make sure every address it has is a public one.

    Every address counts, not just the first: the HTTP client may try any of them.

    Raises:
        AddressRefusal: the host does not resolve, or one of its addresses is not public.
    """
    name = host[1:-1] if host.startswith("[") else host
    try:
        infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise AddressRefusal(f"{host} does not resolve: {error}", dns=True) from None
    for *_, sockaddr in infos:
        # An IPv6 address may carry a zone (`fe80::1%eth0`): the address is what precedes it.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not _is_public(address):
            raise AddressRefusal(
                f"{host} resolves to {address}, which is not a public address", dns=False
            )
