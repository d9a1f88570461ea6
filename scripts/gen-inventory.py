#!/usr/bin/env python3
"""Writes a synthetic inventory for benchmarks and scale tests.

usage: gen-inventory.py OUT_DIR SITES [--customers N] [--routeros 6|7]

One cluster of two routers; N customers (default 1) sharing SITES sites in a
full mesh; each customer gets its own transit-pool slice large enough for its
tunnels. Addresses are synthetic (CGN and RFC 1918 ranges).
"""
import argparse
import os


def prefix_len_for(tunnels: int) -> int:
    length = 30
    while length > 8 and (1 << (32 - length)) // 4 < tunnels:
        length -= 1
    return length


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("sites", type=int)
    p.add_argument("--customers", type=int, default=1)
    p.add_argument("--routeros", type=int, default=7)
    a = p.parse_args()
    os.makedirs(os.path.join(a.out, "clusters"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "customers"), exist_ok=True)
    with open(os.path.join(a.out, "vpnaas.yaml"), "w") as f:
        f.write(f"vpnaas: 1\ndefaults:\n  routeros: {a.routeros}\n  transit-pool: 10.0.0.0/8\n")
    with open(os.path.join(a.out, "clusters", "dc1.yaml"), "w") as f:
        f.write("cluster: dc1\nnetworks: [172.31.0.0/24]\ndevices:\n")
        for r in (1, 2):
            f.write(f"  - name: dc1-r{r}\n    public-ip: 203.0.113.{r}\n    router-id: 10.255.255.{r}\n")
    per_customer = max(1, a.sites // a.customers)
    next_pool = 0  # in /30 units inside 10.0.0.0/8
    site_no = 0
    for c in range(a.customers):
        n = per_customer
        tunnels = n * (n - 1) // 2 + 2 * n
        length = prefix_len_for(tunnels)
        size = 1 << (32 - length)
        start = ((next_pool + size - 1) // size) * size
        next_pool = start + size
        pool = f"10.{(start >> 16) & 255}.{(start >> 8) & 255}.{start & 255}/{length}"
        name = f"cust{c:03d}"
        with open(os.path.join(a.out, "customers", f"{name}.yaml"), "w") as f:
            f.write(f"customer: {name}\ncluster: dc1\ntransit-pool: {pool}\nsites:\n")
            for s in range(n):
                i = site_no
                site_no += 1
                f.write(
                    f"  - name: site{s:04d}\n"
                    f"    lan: [172.{16 + (i >> 8)}.{i & 255}.0/24]\n"
                    f"    device: {{ name: {name}-s{s:04d}, public-ip: 100.{64 + (i >> 16)}.{(i >> 8) & 255}.{i & 255},"
                    f" router-id: 192.168.{i >> 8}.{i & 255} }}\n")


if __name__ == "__main__":
    main()
