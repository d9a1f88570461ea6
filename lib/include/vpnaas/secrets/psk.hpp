#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/secrets/master_key.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::secrets {

// RFC 5869 HKDF-SHA256 via OpenSSL; exposed for known-answer tests.
Result<std::vector<unsigned char>> hkdf_sha256(const std::vector<unsigned char>& ikm,
                                               std::string_view salt, std::string_view info,
                                               std::size_t length);

// Pre-shared key of a tunnel: 64 lowercase hex digits of
// HKDF-SHA256(master, salt "vpnaas/psk/v1", info "<tunnel id>|<epoch tag>"),
// the epoch tag from topology::psk_epoch_tag.
// Both ends compute the same value; nothing needs to be stored.
Result<std::string> derive_psk(const MasterKey& key, std::string_view tunnel_id,
                               std::string_view epoch_tag);

} // namespace vpnaas::secrets
