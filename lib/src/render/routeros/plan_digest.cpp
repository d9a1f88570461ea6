#include <vpnaas/render/routeros/plan_digest.hpp>

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

namespace vpnaas::render::routeros {
namespace {

constexpr std::string_view kRevisionLine = "inventory revision ";

// Feeds length-prefixed fields, so that ("ab", "c") and ("a", "bc") differ.
class Hasher {
public:
  Hasher() : m_ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
    EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr);
  }
  void add(std::string_view text) {
    const auto size = static_cast<std::uint64_t>(text.size());
    EVP_DigestUpdate(m_ctx.get(), &size, sizeof size);
    EVP_DigestUpdate(m_ctx.get(), text.data(), text.size());
  }
  void add(bool flag) { add(std::string_view(flag ? "1" : "0")); }
  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_ctx.get(), digest.data(), &length);
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
      out += fmt::format("{:02x}", digest[i]);
    }
    return out;
  }

private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> m_ctx;
};

} // namespace

std::string plan_digest(const DevicePlan& plan) {
  Hasher h;
  h.add(std::to_string(plan.header.size()));
  for (const auto& line : plan.header) {
    h.add(line.rfind(kRevisionLine, 0) == 0 ? std::string_view(kRevisionLine)
                                            : std::string_view(line));
  }
  // Counts before lists keep the encoding unambiguous.
  h.add(std::to_string(plan.menus.size()));
  for (const auto& menu : plan.menus) {
    h.add(menu.path);
    h.add(menu.title);
    h.add(menu.sweep_last);
    h.add(menu.key);
    h.add(menu.prefix);
    h.add(menu.owner);
    h.add(std::to_string(menu.items.size()));
    for (const auto& item : menu.items) {
      h.add(item.tag);
      h.add(item.before_drop_in);
      h.add(item.keep_last);
      h.add(std::to_string(item.props.size()));
      for (const auto& prop : item.props) {
        h.add(prop.name);
        h.add(prop.value);
        h.add(std::to_string(static_cast<int>(prop.style)));
        h.add(prop.secret);
      }
    }
  }
  return h.hex();
}

} // namespace vpnaas::render::routeros
