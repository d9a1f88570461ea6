#include "read_messages.hpp"

#include <fmt/format.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace vpnaas::cwmp::detail {

namespace {

constexpr auto req = Need::required;
constexpr auto opt = Need::optional;

std::string value_type(const XmlNode& value) {
  const auto* type = value.attribute(xsi_ns, "type");
  if (type == nullptr) {
    return "string";
  }
  // The value is a QName ("xsd:string"); only its local part is kept, so a
  // CPE that never declares its xsd prefix still reads.
  std::string_view t = trim(*type);
  auto colon = t.find(':');
  if (colon != std::string_view::npos) {
    t = t.substr(colon + 1);
  }
  return t.empty() ? "string" : std::string(t);
}

std::vector<ParameterValue> parameter_values(const XmlNode& parent, std::string_view name,
                                             Fields& f, Need need) {
  std::vector<ParameterValue> out;
  for (const auto* item : f.items(parent, name, need)) {
    ParameterValue p;
    p.name = f.text(*item, "Name", req);
    if (const auto* value = f.child(*item, "Value", req)) {
      p.value = value->text;
      p.type = value_type(*value);
    }
    out.push_back(std::move(p));
  }
  return out;
}

TransferFault transfer_fault(const XmlNode& parent, Fields& f) {
  TransferFault out;
  if (const auto* fault = f.child(parent, "FaultStruct", opt)) {
    out.fault_code = f.unsigned_number(*fault, "FaultCode", opt);
    out.fault_string = f.raw_text(*fault, "FaultString", opt);
  }
  return out;
}

Inform inform(const XmlNode& m, Fields& f) {
  Inform out;
  if (const auto* id = f.child(m, "DeviceId", req)) {
    out.device_id.manufacturer = f.text(*id, "Manufacturer", opt);
    out.device_id.oui = f.text(*id, "OUI", opt);
    out.device_id.product_class = f.text(*id, "ProductClass", opt);
    out.device_id.serial_number = f.text(*id, "SerialNumber", req);
  }
  for (const auto* item : f.items(m, "Event", req)) {
    out.events.push_back({f.text(*item, "EventCode", req), f.text(*item, "CommandKey", opt)});
  }
  out.max_envelopes =
      f.child(m, "MaxEnvelopes", opt) ? f.unsigned_number(m, "MaxEnvelopes", opt) : 1;
  out.current_time = f.text(m, "CurrentTime", opt);
  out.retry_count = f.unsigned_number(m, "RetryCount", opt);
  out.parameters = parameter_values(m, "ParameterList", f, opt);
  return out;
}

TransferComplete transfer_complete(const XmlNode& m, Fields& f) {
  TransferComplete out;
  out.command_key = f.text(m, "CommandKey", req);
  out.fault = transfer_fault(m, f);
  out.start_time = f.text(m, "StartTime", opt);
  out.complete_time = f.text(m, "CompleteTime", opt);
  return out;
}

AutonomousTransferComplete autonomous_transfer_complete(const XmlNode& m, Fields& f) {
  AutonomousTransferComplete out;
  out.announce_url = f.text(m, "AnnounceURL", opt);
  out.transfer_url = f.text(m, "TransferURL", opt);
  out.is_download = f.boolean(m, "IsDownload", req);
  out.file_type = f.text(m, "FileType", req);
  out.file_size = f.unsigned_number(m, "FileSize", opt);
  out.target_file_name = f.text(m, "TargetFileName", opt);
  out.fault = transfer_fault(m, f);
  out.start_time = f.text(m, "StartTime", opt);
  out.complete_time = f.text(m, "CompleteTime", opt);
  return out;
}

GetParameterNames get_parameter_names(const XmlNode& m, Fields& f) {
  return {f.text(m, "ParameterPath", opt), f.boolean(m, "NextLevel", opt)};
}

SetParameterValues set_parameter_values(const XmlNode& m, Fields& f) {
  SetParameterValues out;
  out.parameters = parameter_values(m, "ParameterList", f, req);
  out.parameter_key = f.raw_text(m, "ParameterKey", opt);
  return out;
}

SetParameterAttributes set_parameter_attributes(const XmlNode& m, Fields& f) {
  SetParameterAttributes out;
  for (const auto* item : f.items(m, "ParameterList", req)) {
    SetParameterAttribute a;
    a.name = f.text(*item, "Name", req);
    a.notification_change = f.boolean(*item, "NotificationChange", opt);
    a.notification = f.number(*item, "Notification", opt);
    a.access_list_change = f.boolean(*item, "AccessListChange", opt);
    a.access_list = f.strings(*item, "AccessList", opt);
    out.parameters.push_back(std::move(a));
  }
  return out;
}

Download download(const XmlNode& m, Fields& f) {
  Download out;
  out.command_key = f.text(m, "CommandKey", opt);
  out.file_type = f.text(m, "FileType", req);
  out.url = f.text(m, "URL", req);
  out.username = f.raw_text(m, "Username", opt);
  out.password = f.raw_text(m, "Password", opt);
  out.file_size = f.unsigned_number(m, "FileSize", opt);
  out.target_file_name = f.text(m, "TargetFileName", opt);
  out.delay_seconds = f.unsigned_number(m, "DelaySeconds", opt);
  out.success_url = f.text(m, "SuccessURL", opt);
  out.failure_url = f.text(m, "FailureURL", opt);
  return out;
}

Upload upload(const XmlNode& m, Fields& f) {
  Upload out;
  out.command_key = f.text(m, "CommandKey", opt);
  out.file_type = f.text(m, "FileType", req);
  out.url = f.text(m, "URL", req);
  out.username = f.raw_text(m, "Username", opt);
  out.password = f.raw_text(m, "Password", opt);
  out.delay_seconds = f.unsigned_number(m, "DelaySeconds", opt);
  return out;
}

GetParameterNamesResponse get_parameter_names_response(const XmlNode& m, Fields& f) {
  GetParameterNamesResponse out;
  for (const auto* item : f.items(m, "ParameterList", req)) {
    out.parameters.push_back({f.text(*item, "Name", req), f.boolean(*item, "Writable", opt)});
  }
  return out;
}

GetParameterAttributesResponse get_parameter_attributes_response(const XmlNode& m, Fields& f) {
  GetParameterAttributesResponse out;
  for (const auto* item : f.items(m, "ParameterList", req)) {
    out.parameters.push_back({f.text(*item, "Name", req), f.number(*item, "Notification", opt),
                              f.strings(*item, "AccessList", opt)});
  }
  return out;
}

template <class Response>
Response transfer_response(const XmlNode& m, Fields& f) {
  return {f.number(m, "Status", req), f.text(m, "StartTime", opt), f.text(m, "CompleteTime", opt)};
}

using MethodReader = std::function<Body(const XmlNode&, Fields&)>;

struct MethodEntry {
  std::string_view name;
  MethodReader read;
};

template <class T>
MethodReader empty_message() {
  return [](const XmlNode&, Fields&) -> Body { return T{}; };
}

const std::vector<MethodEntry>& method_table() {
  static const std::vector<MethodEntry> table = {
      {"Inform", inform},
      {"InformResponse",
       [](const XmlNode& m, Fields& f) -> Body {
         return InformResponse{
             f.child(m, "MaxEnvelopes", opt) ? f.unsigned_number(m, "MaxEnvelopes", opt) : 1};
       }},
      {"TransferComplete", transfer_complete},
      {"TransferCompleteResponse", empty_message<TransferCompleteResponse>()},
      {"AutonomousTransferComplete", autonomous_transfer_complete},
      {"AutonomousTransferCompleteResponse", empty_message<AutonomousTransferCompleteResponse>()},
      {"GetRPCMethods", empty_message<GetRPCMethods>()},
      {"GetRPCMethodsResponse",
       [](const XmlNode& m, Fields& f) -> Body {
         return GetRPCMethodsResponse{f.strings(m, "MethodList", req)};
       }},
      {"GetParameterNames", get_parameter_names},
      {"GetParameterValues",
       [](const XmlNode& m, Fields& f) -> Body {
         return GetParameterValues{f.strings(m, "ParameterNames", req)};
       }},
      {"SetParameterValues", set_parameter_values},
      {"GetParameterAttributes",
       [](const XmlNode& m, Fields& f) -> Body {
         return GetParameterAttributes{f.strings(m, "ParameterNames", req)};
       }},
      {"SetParameterAttributes", set_parameter_attributes},
      {"AddObject",
       [](const XmlNode& m, Fields& f) -> Body {
         return AddObject{f.text(m, "ObjectName", req), f.raw_text(m, "ParameterKey", opt)};
       }},
      {"DeleteObject",
       [](const XmlNode& m, Fields& f) -> Body {
         return DeleteObject{f.text(m, "ObjectName", req), f.raw_text(m, "ParameterKey", opt)};
       }},
      {"Reboot",
       [](const XmlNode& m, Fields& f) -> Body { return Reboot{f.text(m, "CommandKey", opt)}; }},
      {"FactoryReset", empty_message<FactoryReset>()},
      {"Download", download},
      {"Upload", upload},
      {"GetParameterNamesResponse", get_parameter_names_response},
      {"GetParameterValuesResponse",
       [](const XmlNode& m, Fields& f) -> Body {
         return GetParameterValuesResponse{parameter_values(m, "ParameterList", f, req)};
       }},
      {"SetParameterValuesResponse",
       [](const XmlNode& m, Fields& f) -> Body {
         return SetParameterValuesResponse{f.number(m, "Status", req)};
       }},
      {"GetParameterAttributesResponse", get_parameter_attributes_response},
      {"SetParameterAttributesResponse", empty_message<SetParameterAttributesResponse>()},
      {"AddObjectResponse",
       [](const XmlNode& m, Fields& f) -> Body {
         return AddObjectResponse{f.unsigned_number(m, "InstanceNumber", req),
                                  f.number(m, "Status", req)};
       }},
      {"DeleteObjectResponse",
       [](const XmlNode& m, Fields& f) -> Body {
         return DeleteObjectResponse{f.number(m, "Status", req)};
       }},
      {"RebootResponse", empty_message<RebootResponse>()},
      {"FactoryResetResponse", empty_message<FactoryResetResponse>()},
      {"DownloadResponse", transfer_response<DownloadResponse>},
      {"UploadResponse", transfer_response<UploadResponse>},
  };
  return table;
}

} // namespace

Fault read_fault(const XmlNode& cwmp_fault, Fields& f) {
  Fault out;
  out.fault_code = f.unsigned_number(cwmp_fault, "FaultCode", req);
  out.fault_string = f.raw_text(cwmp_fault, "FaultString", opt);
  for (const auto& c : cwmp_fault.children) {
    if (c.local != "SetParameterValuesFault") {
      continue;
    }
    out.set_parameter_values_faults.push_back({f.text(c, "ParameterName", req),
                                               f.unsigned_number(c, "FaultCode", req),
                                               f.raw_text(c, "FaultString", opt)});
  }
  return out;
}

std::optional<Body> read_method(const XmlNode& method, Fields& fields) {
  for (const auto& entry : method_table()) {
    if (entry.name == method.local) {
      return entry.read(method, fields);
    }
  }
  return std::nullopt;
}

} // namespace vpnaas::cwmp::detail
