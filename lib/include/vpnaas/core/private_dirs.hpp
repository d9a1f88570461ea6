#pragma once

#include <vpnaas/core/error.hpp>

#include <filesystem>

namespace vpnaas {

// Creates every missing folder of `dir` with mode exactly 0700 (whatever the
// umask); folders that already exist are left as they are. Returns Ok when
// `dir` exists afterwards; fails with io, naming the folder that could not be
// created or given its mode.
Status create_private_directories(const std::filesystem::path& dir);

} // namespace vpnaas
