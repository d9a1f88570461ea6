#include <fmt/format.h>

#include <algorithm>

#include "sim_engine.hpp"

namespace vpnaas::routeros::detail {

SimValue SimValue::str(std::string s) {
  SimValue v;
  v.kind = Kind::str;
  v.text = std::move(s);
  return v;
}

SimValue SimValue::num(std::int64_t n) {
  SimValue v;
  v.kind = Kind::num;
  v.number = n;
  return v;
}

SimValue SimValue::boolean(bool b) {
  SimValue v;
  v.kind = Kind::boolean;
  v.flag = b;
  return v;
}

SimValue SimValue::id(std::uint64_t n) {
  SimValue v;
  v.kind = Kind::id;
  v.text = fmt::format("*{:X}", n);
  v.number = static_cast<std::int64_t>(n);
  return v;
}

SimValue SimValue::array() {
  SimValue v;
  v.kind = Kind::array;
  return v;
}

std::string SimValue::to_string() const {
  switch (kind) {
  case Kind::nothing:
  case Kind::nil:
    return {};
  case Kind::str:
  case Kind::id:
    return text;
  case Kind::num:
    return std::to_string(number);
  case Kind::boolean:
    return flag ? "true" : "false";
  case Kind::array: {
    std::string out;
    for (const auto& e : elements()) {
      out += out.empty() ? "" : ";";
      out += e.to_string();
    }
    return out;
  }
  }
  return {};
}

const char* SimValue::type_name() const {
  switch (kind) {
  case Kind::nothing:
    return "nothing";
  case Kind::nil:
    return "nil";
  case Kind::str:
    return "str";
  case Kind::num:
    return "num";
  case Kind::boolean:
    return "bool";
  case Kind::id:
    return "id";
  case Kind::array:
    return "array";
  }
  return "nothing";
}

std::size_t SimValue::length() const {
  switch (kind) {
  case Kind::array:
    return list.size() + keyed.size();
  case Kind::str:
    return text.size();
  case Kind::nothing:
  case Kind::nil:
    return 0;
  default:
    return to_string().size();
  }
}

std::vector<SimValue> SimValue::elements() const {
  if (kind != Kind::array) {
    if (kind == Kind::nothing || kind == Kind::nil) {
      return {};
    }
    return {*this};
  }
  std::vector<SimValue> out = list;
  for (const auto& [key, value] : keyed) {
    out.push_back(value);
  }
  return out;
}

std::size_t weight(const SimValue& v) {
  std::size_t total = 1 + v.text.size();
  for (const auto& e : v.list) {
    total += weight(e);
  }
  for (const auto& [key, e] : v.keyed) {
    total += key.size() + weight(e);
  }
  return total;
}

std::size_t nesting(const SimValue& v) {
  if (v.kind != SimValue::Kind::array) {
    return 0;
  }
  std::size_t deepest = 0;
  for (const auto& e : v.list) {
    deepest = std::max(deepest, nesting(e));
  }
  for (const auto& [key, e] : v.keyed) {
    deepest = std::max(deepest, nesting(e));
  }
  return deepest + 1;
}

bool equal(const SimValue& a, const SimValue& b) {
  using K = SimValue::Kind;
  if (a.kind == K::nothing || b.kind == K::nothing || a.kind == K::nil || b.kind == K::nil) {
    // RouterOS: nothing equals neither 0 nor "", only another nothing.
    return a.kind == b.kind;
  }
  if (a.kind == K::num && b.kind == K::num) {
    return a.number == b.number;
  }
  if (a.kind == K::boolean && b.kind == K::boolean) {
    return a.flag == b.flag;
  }
  return a.to_string() == b.to_string();
}

std::uint64_t id_number(const SimValue& v) {
  return v.kind == SimValue::Kind::id ? static_cast<std::uint64_t>(v.number) : 0;
}

} // namespace vpnaas::routeros::detail
