#pragma once

namespace vpnaas::test {

// True in the AddressSanitizer build (GCC defines __SANITIZE_ADDRESS__, clang
// answers __has_feature). Sanitizers find memory errors on the first pass
// through a code path, not on the sixtieth, while they make the simulator
// several times slower; tests that repeat the same paths at growing sizes run
// their largest sizes only in the normal build, which CI runs too.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kUnderSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kUnderSanitizer = true;
#else
inline constexpr bool kUnderSanitizer = false;
#endif
#else
inline constexpr bool kUnderSanitizer = false;
#endif

} // namespace vpnaas::test
