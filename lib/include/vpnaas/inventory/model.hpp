#pragma once

#include <vpnaas/core/duration.hpp>
#include <vpnaas/core/source_location.hpp>
#include <vpnaas/net/ipv4.hpp>
#include <vpnaas/routeros/version.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vpnaas::inventory {

// A value with the place in the user's files where it was written, so that
// checks long after loading can still point at the right line.
template <class T>
struct Located {
  T value{};
  SourceLocation where;
};

enum class RoutingMode { ospf, static_routes };
enum class Topology { full_mesh, hub_and_spoke };

const char* to_string(RoutingMode mode);
const char* to_string(Topology topology);

struct Keepalive {
  Duration interval{10};
  int retries = 3;
  // RouterOS form "10s,3".
  std::string to_string() const;
  bool operator==(const Keepalive&) const = default;
};

struct OspfSettings {
  std::string area = "0.0.0.0";
  Duration hello{1};
  Duration dead{4};
  int cost = 10;
  bool operator==(const OspfSettings&) const = default;
};

// One named crypto suite from vpnaas.yaml `crypto:`. Algorithm names are kept
// with their location so a weak choice can be reported where it was written.
struct CryptoSuite {
  std::string name;
  SourceLocation where;
  struct Ike {
    int version = 2;
    Located<std::string> encryption{"aes-256", {}};
    Located<std::string> hash{"sha256", {}};
    Located<std::string> dh{"modp2048", {}};
    Duration lifetime{86400};
  } ike;
  struct Esp {
    Located<std::string> encryption{"aes-256-cbc", {}};
    Located<std::string> auth{"sha256", {}};
    Located<std::string> pfs{"modp2048", {}};
    Duration lifetime{28800};
  } esp;
  bool allow_weak = false;
};

// The levels a device setting may be chosen at, least specific first. The
// most specific level that writes a key wins: device, then the customer (for
// a site's device) or the cluster (for a cluster router), then `defaults:`.
enum class SettingLevel { builtin, defaults, cluster, customer, device };

// "built-in", "defaults", "cluster", "customer", "device".
const char* to_string(SettingLevel level);

// Where the effective value of one setting was chosen, so `inventory show`
// can explain it and validation can point at the line that chose it.
struct SettingOrigin {
  SettingLevel level = SettingLevel::builtin;
  std::string owner;    // the customer or cluster name at those levels
  SourceLocation where; // the value as written; vpnaas.yaml as a whole for built-ins
};

// One origin per setting. `ospf:` merges key by key at every level, so each
// of its keys has an origin of its own.
struct SettingOrigins {
  SettingOrigin routeros;
  SettingOrigin crypto;
  SettingOrigin mtu;
  SettingOrigin keepalive;
  SettingOrigin routing;
  SettingOrigin ospf_area;
  SettingOrigin ospf_hello;
  SettingOrigin ospf_dead;
  SettingOrigin ospf_cost;
};

// Settings a device inherits from `defaults:`, then from its customer or
// cluster, and may override one by one.
struct DeviceSettings {
  // `routeros: 7` means the oldest supported 7.x release; `routeros: 7.16`
  // lets the renderer use what 7.16 has.
  routeros::Version routeros = routeros::oldest_supported(7);
  std::string crypto = "strong";
  int mtu = 1400;
  Keepalive keepalive;
  RoutingMode routing = RoutingMode::ospf;
  OspfSettings ospf;
  SettingOrigins origins;
};

struct SshTarget {
  std::string host;
  int port = 22;
  std::string user = "vpnaas";
  // `host-key: SHA256:...`: the only host key this device may present, in
  // the form `ssh-keygen -lf` prints. Absent: the known_hosts files decide.
  std::optional<Located<std::string>> host_key;
};

// The inventory's own known_hosts file (`known_hosts` next to vpnaas.yaml,
// committed with it): host keys pinned for every run, whatever the machine.
struct PinnedKnownHosts {
  std::string where; // the file as messages name it
  std::string text;
};

struct Device {
  Located<std::string> name;
  Located<Ipv4Address> public_ip;
  Located<Ipv4Address> router_id;
  std::string model;                          // informational only
  std::optional<Located<std::string>> serial; // binds a TR-069 device to this entry
  // `management: ssh | cwmp`: how `vpnaas device reboot` and the other ad-hoc
  // commands reach it unless --via says otherwise. Absent: ssh.
  std::optional<Located<std::string>> management;
  std::optional<SshTarget> ssh;
  // `interfaces: { lan: ... }`: the router's LAN interface, where a cluster
  // router's `networks` are (the VRFs leak them from main over it). Absent:
  // `bridge`, as in MikroTik's default configuration; `where` is then empty.
  Located<std::string> lan{"bridge", {}};
  // Defaults, then its customer's or cluster's keys, then its own overrides.
  DeviceSettings settings;
  int psk_epoch = 0;    // bump to rotate the keys of every tunnel of this device
  SourceLocation where; // the device's mapping
};

// How a cluster's routers keep customers apart. `vrf`: a VRF per customer
// (RouterOS 7 only), so customers' LANs may overlap; `none`: one routing
// table for all, so LANs must be unique on the cluster. Both drop forwarding
// between tunnels of different customers.
enum class Isolation { none, vrf };
const char* to_string(Isolation isolation);

struct Cluster {
  Located<std::string> name;
  std::vector<Located<Ipv4Prefix>> networks;
  // Absent `isolation:` means vrf when every router runs RouterOS 7, none
  // otherwise; `where` is then the cluster file.
  Located<Isolation> isolation{Isolation::none, {}};
  bool isolation_written = false;
  DeviceSettings settings; // defaults with the cluster's keys applied: what its routers start from
  std::vector<Device> devices;
  SourceLocation where; // the file
};

// A highly available site's `vrrp:` block: the LAN gateway address both
// routers share, the VRRP group, and which router holds it while both run.
struct Vrrp {
  Located<Ipv4Address> address;
  std::optional<int> length; // "/24" as written after the address, if any
  Located<int> vrid{1, {}};
  Located<std::string> primary;
  // `interface:` as written. Absent: each router's own `interfaces: { lan }`,
  // where the spec puts VRRP (spec/inventory.md, "Interfaces").
  std::optional<std::string> interface;
  SourceLocation where;

  // The LAN interface VRRP runs on, on `router`.
  const std::string& interface_on(const Device& router) const {
    return interface ? *interface : router.lan.value;
  }
};

struct Site {
  Located<std::string> name;
  std::vector<Located<Ipv4Prefix>> lan;
  // The site's router; on a highly available site (`devices:`) the primary
  // one, which keeps the site's tunnel ids so a site that becomes HA keeps
  // its existing tunnels, subnets and keys.
  Device device;
  std::optional<Device> backup; // HA site: the other router of `devices:`
  std::optional<Vrrp> vrrp;     // HA site: present exactly when `backup` is
  int psk_epoch = 0;            // bump to rotate the keys of every tunnel of this site
  SourceLocation where;

  bool highly_available() const { return backup.has_value(); }
  // `device`, then `backup` when the site has one.
  std::vector<const Device*> routers() const;
};

// A per-tunnel setting from a customer's `tunnels:` list; `between` names two
// sites of the customer, or a site and a device of its cluster.
struct TunnelOverride {
  Located<std::string> a;
  Located<std::string> b;
  int psk_epoch = 0;
  SourceLocation where;
};

struct Customer {
  Located<std::string> name;
  Located<std::string> cluster;
  Topology topology = Topology::full_mesh;
  std::optional<Located<Ipv4Prefix>> transit_pool;
  DeviceSettings settings; // defaults with the customer's keys applied: what its sites start from
  std::vector<Site> sites;
  std::vector<TunnelOverride> tunnels;
  SourceLocation where; // the file
};

struct AcsSettings {
  std::string url;
  Duration interval{300};
};

struct Management {
  std::vector<Located<Ipv4Prefix>> ranges;
  std::optional<AcsSettings> acs;
};

struct Defaults {
  DeviceSettings settings;
  Located<Ipv4Prefix> transit_pool{Ipv4Prefix(Ipv4Address(0x0AFF0000u), 16), {}};
};

// The whole inventory after loading. Clusters and customers are sorted by
// name so that file order never influences anything downstream.
struct Inventory {
  std::filesystem::path root; // as the user gave it, used to print file names
  int schema = 1;
  Defaults defaults;
  std::map<std::string, CryptoSuite> crypto; // includes the built-in "strong"
  Management management;
  std::vector<Cluster> clusters;
  std::vector<Customer> customers;
  std::optional<PinnedKnownHosts> known_hosts; // absent: the inventory has none

  // nullptr when absent.
  const Cluster* find_cluster(std::string_view name) const;
  const Customer* find_customer(std::string_view name) const;
  const CryptoSuite* find_crypto(std::string_view name) const;
};

// How many tunnels a customer needs: every router of every site to every
// router of `cluster` (null: none), and in a full mesh every site router to
// every router of the other sites, so an HA site counts its two routers.
std::uint64_t tunnel_count(const Customer& customer, const Cluster* cluster);

// The suite used when vpnaas.yaml defines none of that name.
CryptoSuite builtin_strong_suite();

} // namespace vpnaas::inventory
