#include "support/cwmp/load_tool.hpp"

namespace vpnaas::test {

std::string cpe_load_path() {
  return VPNAAS_CPE_LOAD_PATH;
}

} // namespace vpnaas::test
