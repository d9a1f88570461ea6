// Writing CWMP SOAP envelopes. The prefixes (soap-env, soap-enc, xsd, xsi,
// cwmp) are a common choice, not a requirement: readers must match on the
// namespace URIs, and a CPE that insists on a prefix is broken.

#include <vpnaas/cwmp/codec.hpp>

#include <fmt/format.h>

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "xml_tree.hpp"

namespace vpnaas::cwmp {

namespace {

// XML 1.0 escaping. CR goes as a character reference, or a reader would
// turn it into LF; the other C0 controls cannot appear in XML 1.0 at all,
// and go as references too, which tinyxml2 (both ends here) reads back.
void escape_into(std::string& out, std::string_view text, bool attribute) {
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += attribute ? "&quot;" : "\"";
      break;
    case '\'':
      out += attribute ? "&apos;" : "'";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') {
        out += fmt::format("&#x{:X};", static_cast<unsigned>(static_cast<unsigned char>(c)));
      } else {
        out += c;
      }
    }
  }
}

class Writer {
public:
  std::string out;

  void open(std::string_view name, std::string_view attributes = {}) {
    out += '<';
    out += name;
    out += attributes;
    out += '>';
  }
  void close(std::string_view name) {
    out += "</";
    out += name;
    out += '>';
  }
  void leaf(std::string_view name, std::string_view text, std::string_view attributes = {}) {
    open(name, attributes);
    escape_into(out, text, false);
    close(name);
  }
  // Named apart from leaf(): a string literal would pick a bool overload.
  void number(std::string_view name, std::int64_t value) { leaf(name, std::to_string(value)); }
  void flag(std::string_view name, bool value) { leaf(name, value ? "1" : "0"); }

  // An array element with a SOAP-ENC:arrayType of the right count.
  void open_array(std::string_view name, std::string_view item_type, std::size_t count) {
    open(name, fmt::format(" soap-enc:arrayType=\"{}[{}]\"", item_type, count));
  }
  void strings(std::string_view name, const std::vector<std::string>& items) {
    open_array(name, "xsd:string", items.size());
    for (const auto& s : items) {
      leaf("string", s);
    }
    close(name);
  }
  void parameter_values(std::string_view name, const std::vector<ParameterValue>& params) {
    open_array(name, "cwmp:ParameterValueStruct", params.size());
    for (const auto& p : params) {
      open("ParameterValueStruct");
      leaf("Name", p.name);
      std::string type_attribute = " xsi:type=\"xsd:";
      escape_into(type_attribute, p.type.empty() ? "string" : p.type, true);
      type_attribute += '"';
      leaf("Value", p.value, type_attribute);
      close("ParameterValueStruct");
    }
    close(name);
  }
  void transfer_fault(const TransferFault& f) {
    open("FaultStruct");
    number("FaultCode", f.fault_code);
    leaf("FaultString", f.fault_string);
    close("FaultStruct");
  }

  // -- one overload per message: the fields inside the method element --
  void fields(const Inform& m) {
    open("DeviceId");
    leaf("Manufacturer", m.device_id.manufacturer);
    leaf("OUI", m.device_id.oui);
    leaf("ProductClass", m.device_id.product_class);
    leaf("SerialNumber", m.device_id.serial_number);
    close("DeviceId");
    open_array("Event", "cwmp:EventStruct", m.events.size());
    for (const auto& e : m.events) {
      open("EventStruct");
      leaf("EventCode", e.event_code);
      leaf("CommandKey", e.command_key);
      close("EventStruct");
    }
    close("Event");
    number("MaxEnvelopes", m.max_envelopes);
    leaf("CurrentTime", m.current_time);
    number("RetryCount", m.retry_count);
    parameter_values("ParameterList", m.parameters);
  }
  void fields(const InformResponse& m) { number("MaxEnvelopes", m.max_envelopes); }
  void fields(const TransferComplete& m) {
    leaf("CommandKey", m.command_key);
    transfer_fault(m.fault);
    leaf("StartTime", m.start_time);
    leaf("CompleteTime", m.complete_time);
  }
  void fields(const AutonomousTransferComplete& m) {
    leaf("AnnounceURL", m.announce_url);
    leaf("TransferURL", m.transfer_url);
    flag("IsDownload", m.is_download);
    leaf("FileType", m.file_type);
    number("FileSize", m.file_size);
    leaf("TargetFileName", m.target_file_name);
    transfer_fault(m.fault);
    leaf("StartTime", m.start_time);
    leaf("CompleteTime", m.complete_time);
  }
  void fields(const TransferCompleteResponse&) {}
  void fields(const AutonomousTransferCompleteResponse&) {}
  void fields(const GetRPCMethods&) {}
  void fields(const GetRPCMethodsResponse& m) { strings("MethodList", m.methods); }
  void fields(const GetParameterNames& m) {
    leaf("ParameterPath", m.parameter_path);
    flag("NextLevel", m.next_level);
  }
  void fields(const GetParameterValues& m) { strings("ParameterNames", m.names); }
  void fields(const SetParameterValues& m) {
    parameter_values("ParameterList", m.parameters);
    leaf("ParameterKey", m.parameter_key);
  }
  void fields(const GetParameterAttributes& m) { strings("ParameterNames", m.names); }
  void fields(const SetParameterAttributes& m) {
    open_array("ParameterList", "cwmp:SetParameterAttributesStruct", m.parameters.size());
    for (const auto& p : m.parameters) {
      open("SetParameterAttributesStruct");
      leaf("Name", p.name);
      flag("NotificationChange", p.notification_change);
      number("Notification", p.notification);
      flag("AccessListChange", p.access_list_change);
      strings("AccessList", p.access_list);
      close("SetParameterAttributesStruct");
    }
    close("ParameterList");
  }
  void fields(const AddObject& m) {
    leaf("ObjectName", m.object_name);
    leaf("ParameterKey", m.parameter_key);
  }
  void fields(const DeleteObject& m) {
    leaf("ObjectName", m.object_name);
    leaf("ParameterKey", m.parameter_key);
  }
  void fields(const Reboot& m) { leaf("CommandKey", m.command_key); }
  void fields(const FactoryReset&) {}
  void fields(const Download& m) {
    leaf("CommandKey", m.command_key);
    leaf("FileType", m.file_type);
    leaf("URL", m.url);
    leaf("Username", m.username);
    leaf("Password", m.password);
    number("FileSize", m.file_size);
    leaf("TargetFileName", m.target_file_name);
    number("DelaySeconds", m.delay_seconds);
    leaf("SuccessURL", m.success_url);
    leaf("FailureURL", m.failure_url);
  }
  void fields(const Upload& m) {
    leaf("CommandKey", m.command_key);
    leaf("FileType", m.file_type);
    leaf("URL", m.url);
    leaf("Username", m.username);
    leaf("Password", m.password);
    number("DelaySeconds", m.delay_seconds);
  }
  void fields(const GetParameterNamesResponse& m) {
    open_array("ParameterList", "cwmp:ParameterInfoStruct", m.parameters.size());
    for (const auto& p : m.parameters) {
      open("ParameterInfoStruct");
      leaf("Name", p.name);
      flag("Writable", p.writable);
      close("ParameterInfoStruct");
    }
    close("ParameterList");
  }
  void fields(const GetParameterValuesResponse& m) {
    parameter_values("ParameterList", m.parameters);
  }
  void fields(const SetParameterValuesResponse& m) { number("Status", m.status); }
  void fields(const GetParameterAttributesResponse& m) {
    open_array("ParameterList", "cwmp:ParameterAttributeStruct", m.parameters.size());
    for (const auto& p : m.parameters) {
      open("ParameterAttributeStruct");
      leaf("Name", p.name);
      number("Notification", p.notification);
      strings("AccessList", p.access_list);
      close("ParameterAttributeStruct");
    }
    close("ParameterList");
  }
  void fields(const SetParameterAttributesResponse&) {}
  void fields(const AddObjectResponse& m) {
    number("InstanceNumber", m.instance_number);
    number("Status", m.status);
  }
  void fields(const DeleteObjectResponse& m) { number("Status", m.status); }
  void fields(const RebootResponse&) {}
  void fields(const FactoryResetResponse&) {}
  void fields(const DownloadResponse& m) {
    number("Status", m.status);
    leaf("StartTime", m.start_time);
    leaf("CompleteTime", m.complete_time);
  }
  void fields(const UploadResponse& m) {
    number("Status", m.status);
    leaf("StartTime", m.start_time);
    leaf("CompleteTime", m.complete_time);
  }

  // A SOAP Fault with the CWMP fault in its detail, as TR-069 lays it out.
  void soap_fault(const Fault& m) {
    open("soap-env:Fault");
    leaf("faultcode", soap_fault_code(m.fault_code));
    leaf("faultstring", "CWMP fault");
    open("detail");
    open("cwmp:Fault");
    number("FaultCode", m.fault_code);
    leaf("FaultString", m.fault_string);
    for (const auto& f : m.set_parameter_values_faults) {
      open("SetParameterValuesFault");
      leaf("ParameterName", f.parameter_name);
      number("FaultCode", f.fault_code);
      leaf("FaultString", f.fault_string);
      close("SetParameterValuesFault");
    }
    close("cwmp:Fault");
    close("detail");
    close("soap-env:Fault");
  }
};

} // namespace

std::string write_envelope(const Envelope& envelope) {
  Writer w;
  w.out.reserve(1024);
  w.out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  w.open("soap-env:Envelope",
         fmt::format(" xmlns:soap-env=\"{}\" xmlns:soap-enc=\"{}\" xmlns:xsd=\"{}\" "
                     "xmlns:xsi=\"{}\" xmlns:cwmp=\"{}\"",
                     detail::soap_env_ns, detail::soap_enc_ns, detail::xsd_ns, detail::xsi_ns,
                     namespace_uri(envelope.version)));
  if (envelope.id || envelope.hold_requests) {
    w.open("soap-env:Header");
    if (envelope.id) {
      w.leaf("cwmp:ID", *envelope.id,
             envelope.id_must_understand ? " soap-env:mustUnderstand=\"1\"" : "");
    }
    if (envelope.hold_requests) {
      w.leaf("cwmp:HoldRequests", *envelope.hold_requests ? "1" : "0",
             " soap-env:mustUnderstand=\"1\"");
    }
    w.close("soap-env:Header");
  }
  w.open("soap-env:Body");
  const std::string element = std::string("cwmp:") + method_name(envelope.body);
  std::visit(
      [&w, &element](const auto& message) {
        using T = std::decay_t<decltype(message)>;
        if constexpr (std::is_same_v<T, Fault>) {
          w.soap_fault(message);
        } else {
          w.open(element);
          w.fields(message);
          w.close(element);
        }
      },
      envelope.body);
  w.close("soap-env:Body");
  w.close("soap-env:Envelope");
  return w.out;
}

Envelope answer(const Envelope& request, Body body) {
  Envelope out;
  out.version = request.version;
  out.id = request.id;
  out.id_must_understand = request.id_must_understand;
  out.body = std::move(body);
  return out;
}

} // namespace vpnaas::cwmp
