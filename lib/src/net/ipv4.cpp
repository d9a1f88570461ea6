#include <vpnaas/net/ipv4.hpp>

#include <fmt/format.h>

#include <charconv>

namespace vpnaas {
namespace {

Error bad_address(std::string_view text, std::string why) {
  return make_error(ErrorCode::invalid_input,
                    fmt::format("\"{}\" is not a valid IPv4 address: {}", text, why),
                    "write four numbers 0-255 separated by dots, e.g. 192.0.2.10");
}

std::uint32_t mask_for(int length) {
  return length == 0 ? 0u : ~std::uint32_t{0} << (32 - length);
}

} // namespace

Result<Ipv4Address> Ipv4Address::parse(std::string_view text) {
  std::uint32_t value = 0;
  std::size_t pos = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (pos >= text.size() || text[pos] != '.') {
        return bad_address(text, "expected four dot-separated numbers");
      }
      ++pos;
    }
    std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      ++pos;
    }
    if (pos == start) {
      return bad_address(text, "expected four dot-separated numbers");
    }
    if (pos - start > 1 && text[start] == '0') {
      return bad_address(text, "an octet has a leading zero, which some tools read as octal");
    }
    unsigned number = 0;
    auto [end, ec] = std::from_chars(text.data() + start, text.data() + pos, number);
    if (ec != std::errc{} || number > 255 || end != text.data() + pos) {
      return bad_address(text, "each number must be between 0 and 255");
    }
    value = (value << 8) | number;
  }
  if (pos != text.size()) {
    return bad_address(text, "unexpected text after the address");
  }
  return Ipv4Address(value);
}

std::string Ipv4Address::to_string() const {
  return fmt::format("{}.{}.{}.{}", m_value >> 24, (m_value >> 16) & 0xFF, (m_value >> 8) & 0xFF,
                     m_value & 0xFF);
}

Ipv4Prefix::Ipv4Prefix(Ipv4Address network, int length)
    : m_network(network.value() & mask_for(length)), m_length(length) {}

Result<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("\"{}\" is not a network prefix: the /length is missing", text),
                      fmt::format("write it as {}/24 or another length 0-32", text));
  }
  auto address = Ipv4Address::parse(text.substr(0, slash));
  if (!address) {
    return make_error(
        ErrorCode::invalid_input,
        fmt::format("\"{}\" is not a valid prefix: {}", text, address.error().message),
        address.error().hint);
  }
  std::string_view len_text = text.substr(slash + 1);
  int length = -1;
  auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), length);
  if (len_text.empty() || ec != std::errc{} || end != len_text.data() + len_text.size() ||
      (len_text.size() > 1 && len_text[0] == '0')) {
    return make_error(
        ErrorCode::invalid_input,
        fmt::format("\"{}\" is not a valid prefix: \"{}\" is not a prefix length", text, len_text),
        "the length after / is a number from 0 to 32");
  }
  if (length < 0 || length > 32) {
    return make_error(
        ErrorCode::invalid_input,
        fmt::format("\"{}\" is not a valid prefix: length {} is larger than 32", text, length),
        "the length after / is a number from 0 to 32");
  }
  Ipv4Prefix prefix(*address, length);
  if (prefix.network() != *address) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("\"{}\" has host bits set: the network of {}/{} is {}", text,
                                  address->to_string(), length, prefix.to_string()),
                      fmt::format("write {}, or use a longer prefix if you meant a smaller network",
                                  prefix.to_string()));
  }
  return prefix;
}

std::uint32_t Ipv4Prefix::mask() const {
  return mask_for(m_length);
}

Ipv4Address Ipv4Prefix::last() const {
  return Ipv4Address(m_network.value() | ~mask());
}

Ipv4Address Ipv4Prefix::host(std::uint32_t offset) const {
  return Ipv4Address(m_network.value() + offset);
}

bool Ipv4Prefix::contains(Ipv4Address a) const {
  return (a.value() & mask()) == m_network.value();
}

bool Ipv4Prefix::contains(const Ipv4Prefix& other) const {
  return other.m_length >= m_length && contains(other.m_network);
}

bool Ipv4Prefix::overlaps(const Ipv4Prefix& other) const {
  return contains(other) || other.contains(*this);
}

std::string Ipv4Prefix::to_string() const {
  return fmt::format("{}/{}", m_network.to_string(), m_length);
}

} // namespace vpnaas
