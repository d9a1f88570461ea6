// libFuzzer target for the CWMP SOAP reader: every byte a CPE (or anyone
// who reaches the ACS's port) sends goes through read_envelope(). The input
// is the HTTP body as is.
//
// Beyond not crashing, what it reads must survive the codec's own round
// trip: written back and read again it gives the same Envelope, or the
// reader and the writer disagree about some text (an escape, a trim).

#include <vpnaas/cwmp/codec.hpp>
#include <vpnaas/cwmp/device_facts.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <variant>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto read = vpnaas::cwmp::read_envelope(xml, 64 * 1024);
  if (!read) {
    (void)vpnaas::to_string(read.error());
    return 0;
  }
  if (const auto* inform = std::get_if<vpnaas::cwmp::Inform>(&read->body)) {
    (void)vpnaas::cwmp::device_facts(*inform);
  }
  const auto written = vpnaas::cwmp::write_envelope(*read);
  auto again = vpnaas::cwmp::read_envelope(written, 16 * 64 * 1024);
  if (!again || !(*again == *read)) {
    std::fprintf(stderr, "round trip differs: %s\nwritten: %s\n",
                 again ? "another envelope" : again.error().message.c_str(), written.c_str());
    std::abort();
  }
  return 0;
}
