#include <vpnaas/plan/diff.hpp>

namespace vpnaas::plan {

// Any fixed key works: the real master key is not in git and is the same at
// both revisions, so comparing keys derived from one constant key finds
// exactly the tunnels whose derivation inputs (tunnel id, psk-epochs) changed,
// without asking CI jobs for a secret they must not have. The bytes are
// public, so nothing derived from them may ever be configured on a router;
// diff_plans hides them all the same, like any secret.
const secrets::MasterKey& comparison_key() {
  static const secrets::MasterKey key(std::vector<unsigned char>(secrets::kMasterKeyBytes, 0x5a),
                                      "vpnaas plan comparison key");
  return key;
}

} // namespace vpnaas::plan
