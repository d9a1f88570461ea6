#pragma once

#include <vpnaas/core/error.hpp>

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace vpnaas {

class Ipv4Address {
public:
  constexpr Ipv4Address() = default;
  constexpr explicit Ipv4Address(std::uint32_t value) : m_value(value) {}

  // Strict dotted quad: four decimal octets 0..255, no leading zeros (which
  // some tools read as octal), no spaces. Fails with a sentence naming the problem.
  static Result<Ipv4Address> parse(std::string_view text);

  constexpr std::uint32_t value() const { return m_value; }
  std::string to_string() const;
  auto operator<=>(const Ipv4Address&) const = default;

private:
  std::uint32_t m_value = 0;
};

class Ipv4Prefix {
public:
  constexpr Ipv4Prefix() = default;
  // Host bits of `network` beyond `length` are cleared.
  Ipv4Prefix(Ipv4Address network, int length);

  // "a.b.c.d/len" with len 0..32 and no host bits set; the error for set host
  // bits suggests the network the user probably meant.
  static Result<Ipv4Prefix> parse(std::string_view text);

  Ipv4Address network() const { return m_network; }
  int length() const { return m_length; }
  std::uint32_t mask() const;
  // Number of addresses, as 64-bit so that /0 fits.
  std::uint64_t size() const { return std::uint64_t{1} << (32 - m_length); }
  Ipv4Address last() const;
  Ipv4Address host(std::uint32_t offset) const;

  bool contains(Ipv4Address a) const;
  bool contains(const Ipv4Prefix& other) const;
  bool overlaps(const Ipv4Prefix& other) const;

  std::string to_string() const;
  auto operator<=>(const Ipv4Prefix&) const = default;

private:
  Ipv4Address m_network;
  int m_length = 32;
};

} // namespace vpnaas
