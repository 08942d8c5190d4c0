"""The laptop's addresses on the venue's network: which are offered, and which one the join link uses."""

import ipaddress

from facilitator.workshops.addresses import is_loopback, join_address, lan_addresses, machine_addresses

FOUND = ["127.0.0.1", "81.2.69.142", "169.254.7.1", "192.168.1.20", "not an address", "fe80::1", "10.0.0.5"]


def test_only_addresses_a_phone_could_reach_are_offered_private_ones_first():
    assert lan_addresses(FOUND + ["192.168.1.20", "0.0.0.0", "224.0.0.1"]) == [
        "192.168.1.20",
        "10.0.0.5",
        "81.2.69.142",
    ]
    assert lan_addresses(["127.0.0.1", "127.0.1.1"]) == []


def test_the_machine_is_read_without_the_network():
    found = machine_addresses()
    assert isinstance(found, list)
    assert all(isinstance(ipaddress.ip_address(address), ipaddress.IPv4Address) for address in found)


def test_loopback_hosts():
    for host in ("127.0.0.1", "127.0.1.1", "localhost", "LOCALHOST", "app.localhost", "::1"):
        assert is_loopback(host), host
    for host in ("192.168.1.20", "warsztaty.example.org", "", "10.0.0.5"):
        assert not is_loopback(host), host


def test_on_the_laptop_itself_the_first_private_address_is_the_default():
    address = join_address("http", "127.0.0.1:5000", found=FOUND)
    assert address.base == "http://192.168.1.20:5000" and address.chosen == "192.168.1.20"
    assert address.choices == (
        ("192.168.1.20", "http://192.168.1.20:5000"),
        ("10.0.0.5", "http://10.0.0.5:5000"),
        ("81.2.69.142", "http://81.2.69.142:5000"),
    )
    assert not address.unreachable
    assert join_address("http", "localhost", found=FOUND).base == "http://192.168.1.20"
    assert join_address("http", "[::1]:8000", found=FOUND).base == "http://192.168.1.20:8000"


def test_the_chosen_address_must_be_one_offered():
    assert join_address("http", "localhost:5000", "10.0.0.5", found=FOUND).base == "http://10.0.0.5:5000"
    for foreign in ("6.6.6.6", "evil.example", "10.0.0.5:80/x", "127.0.0.1", ""):
        address = join_address("http", "localhost:5000", foreign, found=FOUND)
        assert address.base == "http://192.168.1.20:5000" and address.chosen == "192.168.1.20", foreign


def test_no_choice_when_reached_by_the_network_or_a_public_address_is_set():
    for address in (
        join_address("http", "192.168.1.20:5000", "10.0.0.5", found=FOUND),
        join_address("https", "localhost", "10.0.0.5", public=True, found=FOUND),
    ):
        assert address.base is None and address.choices == () and not address.unreachable


def test_on_the_laptop_with_no_network_address_it_says_so():
    address = join_address("http", "127.0.0.1:5000", found=["127.0.0.1"])
    assert address.unreachable and address.base is None and address.choices == ()
