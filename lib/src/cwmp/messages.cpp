#include <vpnaas/cwmp/messages.hpp>

#include <type_traits>

namespace vpnaas::cwmp {

const char* namespace_uri(Version v) {
  switch (v) {
  case Version::v1_0:
    return "urn:dslforum-org:cwmp-1-0";
  case Version::v1_1:
    return "urn:dslforum-org:cwmp-1-1";
  case Version::v1_2:
    return "urn:dslforum-org:cwmp-1-2";
  case Version::v1_3:
    return "urn:dslforum-org:cwmp-1-3";
  case Version::v1_4:
    return "urn:dslforum-org:cwmp-1-4";
  }
  return "urn:dslforum-org:cwmp-1-0";
}

const char* version_name(Version v) {
  switch (v) {
  case Version::v1_0:
    return "1.0";
  case Version::v1_1:
    return "1.1";
  case Version::v1_2:
    return "1.2";
  case Version::v1_3:
    return "1.3";
  case Version::v1_4:
    return "1.4";
  }
  return "1.0";
}

const char* soap_fault_code(std::uint32_t cwmp_fault_code) {
  // TR-069's fault table: invalid arguments (8003, 9003) and the parameter
  // faults 9005..9008 are the caller's ("Client"); the rest, the callee's.
  // The same split is in easycwmp's fault_array (src/xml.c).
  switch (cwmp_fault_code) {
  case 8003:
  case 9003:
  case 9005:
  case 9006:
  case 9007:
  case 9008:
    return "Client";
  default:
    return "Server";
  }
}

namespace {

template <class T>
constexpr const char* name_of() {
  if constexpr (std::is_same_v<T, Inform>) {
    return "Inform";
  } else if constexpr (std::is_same_v<T, InformResponse>) {
    return "InformResponse";
  } else if constexpr (std::is_same_v<T, TransferComplete>) {
    return "TransferComplete";
  } else if constexpr (std::is_same_v<T, TransferCompleteResponse>) {
    return "TransferCompleteResponse";
  } else if constexpr (std::is_same_v<T, AutonomousTransferComplete>) {
    return "AutonomousTransferComplete";
  } else if constexpr (std::is_same_v<T, AutonomousTransferCompleteResponse>) {
    return "AutonomousTransferCompleteResponse";
  } else if constexpr (std::is_same_v<T, GetRPCMethods>) {
    return "GetRPCMethods";
  } else if constexpr (std::is_same_v<T, GetRPCMethodsResponse>) {
    return "GetRPCMethodsResponse";
  } else if constexpr (std::is_same_v<T, GetParameterNames>) {
    return "GetParameterNames";
  } else if constexpr (std::is_same_v<T, GetParameterValues>) {
    return "GetParameterValues";
  } else if constexpr (std::is_same_v<T, SetParameterValues>) {
    return "SetParameterValues";
  } else if constexpr (std::is_same_v<T, GetParameterAttributes>) {
    return "GetParameterAttributes";
  } else if constexpr (std::is_same_v<T, SetParameterAttributes>) {
    return "SetParameterAttributes";
  } else if constexpr (std::is_same_v<T, AddObject>) {
    return "AddObject";
  } else if constexpr (std::is_same_v<T, DeleteObject>) {
    return "DeleteObject";
  } else if constexpr (std::is_same_v<T, Reboot>) {
    return "Reboot";
  } else if constexpr (std::is_same_v<T, FactoryReset>) {
    return "FactoryReset";
  } else if constexpr (std::is_same_v<T, Download>) {
    return "Download";
  } else if constexpr (std::is_same_v<T, Upload>) {
    return "Upload";
  } else if constexpr (std::is_same_v<T, GetParameterNamesResponse>) {
    return "GetParameterNamesResponse";
  } else if constexpr (std::is_same_v<T, GetParameterValuesResponse>) {
    return "GetParameterValuesResponse";
  } else if constexpr (std::is_same_v<T, SetParameterValuesResponse>) {
    return "SetParameterValuesResponse";
  } else if constexpr (std::is_same_v<T, GetParameterAttributesResponse>) {
    return "GetParameterAttributesResponse";
  } else if constexpr (std::is_same_v<T, SetParameterAttributesResponse>) {
    return "SetParameterAttributesResponse";
  } else if constexpr (std::is_same_v<T, AddObjectResponse>) {
    return "AddObjectResponse";
  } else if constexpr (std::is_same_v<T, DeleteObjectResponse>) {
    return "DeleteObjectResponse";
  } else if constexpr (std::is_same_v<T, RebootResponse>) {
    return "RebootResponse";
  } else if constexpr (std::is_same_v<T, FactoryResetResponse>) {
    return "FactoryResetResponse";
  } else if constexpr (std::is_same_v<T, DownloadResponse>) {
    return "DownloadResponse";
  } else if constexpr (std::is_same_v<T, UploadResponse>) {
    return "UploadResponse";
  } else {
    static_assert(std::is_same_v<T, Fault>, "every Body alternative needs a name");
    return "Fault";
  }
}

} // namespace

const char* method_name(const Body& body) {
  return std::visit([](const auto& m) { return name_of<std::decay_t<decltype(m)>>(); }, body);
}

} // namespace vpnaas::cwmp
