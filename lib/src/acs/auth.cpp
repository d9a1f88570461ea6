#include <vpnaas/acs/auth.hpp>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <vector>

namespace vpnaas::acs::auth {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (is_space(text.back()) || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  std::size_t padding = 0;
  for (char c : text) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') {
      value = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      value = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      value = c - '0' + 52;
    } else if (c == '+') {
      value = 62;
    } else if (c == '/') {
      value = 63;
    } else if (c == '=') {
      ++padding;
      continue;
    }
    if (value < 0 || padding > 0) {
      return std::nullopt; // a character outside the alphabet, or data after '='
    }
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  if (padding > 2 || count >= 6) {
    return std::nullopt;
  }
  return out;
}

// Digest parameters: name=value or name="quoted \" value", comma-separated.
std::optional<std::map<std::string, std::string>> parse_params(std::string_view text) {
  std::map<std::string, std::string> params;
  std::size_t at = 0;
  auto skip = [&](auto pred) {
    while (at < text.size() && pred(text[at])) {
      ++at;
    }
  };
  for (;;) {
    skip([](char c) { return is_space(c) || c == ','; });
    if (at >= text.size()) {
      return params;
    }
    const std::size_t name_start = at;
    skip([](char c) { return c != '=' && c != ',' && !is_space(c); });
    const std::string name = lower(text.substr(name_start, at - name_start));
    skip(is_space);
    if (at >= text.size() || text[at] != '=' || name.empty()) {
      return std::nullopt;
    }
    ++at;
    skip(is_space);
    std::string value;
    if (at < text.size() && text[at] == '"') {
      ++at;
      bool closed = false;
      while (at < text.size()) {
        const char c = text[at++];
        if (c == '\\' && at < text.size()) {
          value += text[at++];
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) {
        return std::nullopt;
      }
    } else {
      const std::size_t value_start = at;
      skip([](char c) { return c != ',' && !is_space(c); });
      value = std::string(text.substr(value_start, at - value_start));
    }
    if (!params.emplace(name, std::move(value)).second) {
      return std::nullopt; // a repeated parameter could mean two things
    }
  }
}

std::string random_hex(std::size_t bytes) {
  std::array<unsigned char, 32> buffer{};
  bytes = std::min(bytes, buffer.size());
  if (RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1) {
    // Without randomness no nonce is safe; a predictable one is worse than none.
    throw std::runtime_error("the random number generator failed");
  }
  std::string out;
  constexpr const char* kDigits = "0123456789abcdef";
  for (std::size_t i = 0; i < bytes; ++i) {
    out += kDigits[buffer[i] >> 4];
    out += kDigits[buffer[i] & 0x0f];
  }
  return out;
}

std::optional<std::uint32_t> parse_nc(std::string_view nc) {
  if (nc.size() != 8) {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  for (char c : nc) {
    const int digit = std::isdigit(static_cast<unsigned char>(c)) != 0 ? c - '0'
                      : (c >= 'a' && c <= 'f')                         ? c - 'a' + 10
                      : (c >= 'A' && c <= 'F')                         ? c - 'A' + 10
                                                                       : -1;
    if (digit < 0) {
      return std::nullopt;
    }
    value = value * 16 + static_cast<std::uint32_t>(digit);
  }
  return value;
}

std::string param(const std::map<std::string, std::string>& params, const char* name) {
  auto found = params.find(name);
  return found == params.end() ? std::string() : found->second;
}

} // namespace

std::optional<Authorization> parse_authorization(std::string_view header) {
  header = trim(header);
  const std::size_t space = header.find_first_of(" \t");
  if (space == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string scheme = lower(header.substr(0, space));
  const std::string_view rest = trim(header.substr(space));
  Authorization out;
  if (scheme == "basic") {
    auto decoded = base64_decode(rest);
    if (!decoded) {
      return std::nullopt;
    }
    const std::size_t colon = decoded->find(':');
    if (colon == std::string::npos) {
      return std::nullopt;
    }
    out.scheme = Authorization::Scheme::basic;
    out.username = decoded->substr(0, colon);
    out.password = decoded->substr(colon + 1);
    OPENSSL_cleanse(decoded->data(), decoded->size());
    return out;
  }
  if (scheme == "digest") {
    auto params = parse_params(rest);
    if (!params) {
      return std::nullopt;
    }
    out.scheme = Authorization::Scheme::digest;
    out.params = std::move(*params);
    out.username = param(out.params, "username");
    return out;
  }
  return std::nullopt;
}

bool verify_basic(const Authorization& credentials, std::string_view username,
                  std::string_view password) {
  // Both compared, always: the time taken tells nothing about which was wrong.
  const bool user_ok = equal_constant_time(credentials.username, username);
  const bool password_ok = equal_constant_time(credentials.password, password);
  return credentials.scheme == Authorization::Scheme::basic && user_ok && password_ok;
}

std::string basic_challenge(std::string_view realm) {
  return fmt::format("Basic realm=\"{}\"", realm);
}

std::string md5_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_md5(), nullptr);
  std::string out;
  constexpr const char* kDigits = "0123456789abcdef";
  for (unsigned int i = 0; i < size; ++i) {
    out += kDigits[digest[i] >> 4];
    out += kDigits[digest[i] & 0x0f];
  }
  return out;
}

std::string digest_response(std::string_view username, std::string_view realm,
                            std::string_view password, std::string_view method,
                            std::string_view uri, std::string_view nonce, std::string_view nc,
                            std::string_view cnonce) {
  std::string a1 = fmt::format("{}:{}:{}", username, realm, password);
  const std::string ha1 = md5_hex(a1);
  OPENSSL_cleanse(a1.data(), a1.size());
  const std::string ha2 = md5_hex(fmt::format("{}:{}", method, uri));
  return md5_hex(fmt::format("{}:{}:{}:{}:auth:{}", ha1, nonce, nc, cnonce, ha2));
}

const char* digest_verdict_name(DigestVerdict verdict) {
  switch (verdict) {
  case DigestVerdict::ok:
    return "ok";
  case DigestVerdict::malformed:
    return "malformed";
  case DigestVerdict::wrong_realm:
    return "wrong-realm";
  case DigestVerdict::bad_credentials:
    return "bad-credentials";
  case DigestVerdict::stale_nonce:
    return "stale-nonce";
  case DigestVerdict::replayed:
    return "replayed";
  }
  return "malformed";
}

DigestAuthenticator::DigestAuthenticator(DigestOptions options)
    : m_options(std::move(options)), m_opaque(random_hex(16)) {
  if (!m_options.nonce_source) {
    m_options.nonce_source = [] { return random_hex(16); };
  }
}

std::string DigestAuthenticator::challenge(TimePoint now, bool stale) {
  std::string nonce = m_options.nonce_source();
  {
    std::lock_guard lock(m_mutex);
    make_room(now);
    m_nonces[nonce] = Nonce{now + m_options.nonce_lifetime, {}};
  }
  return fmt::format(R"(Digest realm="{}", qop="auth", algorithm=MD5, nonce="{}", opaque="{}"{})",
                     m_options.realm, nonce, m_opaque, stale ? ", stale=true" : "");
}

DigestVerdict DigestAuthenticator::verify(const std::map<std::string, std::string>& params,
                                          std::string_view method, std::string_view uri,
                                          std::string_view password, TimePoint now) {
  for (const char* required : {"username", "realm", "nonce", "uri", "response", "nc", "cnonce"}) {
    if (params.count(required) == 0) {
      return DigestVerdict::malformed;
    }
  }
  const std::string algorithm = lower(param(params, "algorithm"));
  const auto nc = parse_nc(param(params, "nc"));
  if (lower(param(params, "qop")) != "auth" || !(algorithm.empty() || algorithm == "md5") || !nc) {
    return DigestVerdict::malformed;
  }
  if (param(params, "realm") != m_options.realm || param(params, "uri") != uri) {
    return DigestVerdict::wrong_realm;
  }
  const std::string nonce = param(params, "nonce");
  const std::string expected =
      digest_response(param(params, "username"), m_options.realm, password, method, uri, nonce,
                      param(params, "nc"), param(params, "cnonce"));
  if (!equal_constant_time(lower(param(params, "response")), expected)) {
    return DigestVerdict::bad_credentials;
  }
  std::lock_guard lock(m_mutex);
  auto found = m_nonces.find(nonce);
  if (found == m_nonces.end()) {
    return DigestVerdict::stale_nonce; // expired and dropped, or from before a restart
  }
  if (found->second.expires <= now) {
    m_nonces.erase(found);
    return DigestVerdict::stale_nonce;
  }
  if (!found->second.counts.insert(*nc).second) {
    return DigestVerdict::replayed;
  }
  return DigestVerdict::ok;
}

std::size_t DigestAuthenticator::nonces_in_use() const {
  std::lock_guard lock(m_mutex);
  return m_nonces.size();
}

void DigestAuthenticator::make_room(TimePoint now) {
  if (m_nonces.size() < m_options.max_nonces) {
    return;
  }
  std::erase_if(m_nonces, [&](const auto& entry) { return entry.second.expires <= now; });
  if (m_nonces.size() < m_options.max_nonces) {
    return;
  }
  // Still full of live nonces (a flood of unauthenticated requests): drop the
  // oldest tenth at once, so each new challenge does not scan the table.
  std::vector<TimePoint> expiries;
  expiries.reserve(m_nonces.size());
  for (const auto& entry : m_nonces) {
    expiries.push_back(entry.second.expires);
  }
  const auto cut = expiries.begin() + static_cast<std::ptrdiff_t>(expiries.size() / 10);
  std::nth_element(expiries.begin(), cut, expiries.end());
  const TimePoint oldest_kept = *cut;
  std::erase_if(m_nonces, [&](const auto& entry) { return entry.second.expires <= oldest_kept; });
}

} // namespace vpnaas::acs::auth
