#pragma once

// The CWMP (TR-069) messages the ACS and its test CPE exchange, as plain
// values. Field names follow TR-069's RPC arguments. Times (dateTime) stay
// the text the peer sent: the codec does not judge clocks, the store does.
// Reading and writing: vpnaas/cwmp/codec.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace vpnaas::cwmp {

// urn:dslforum-org:cwmp-1-0 .. cwmp-1-4. An ACS answers in the version the
// CPE used in its Inform.
enum class Version { v1_0, v1_1, v1_2, v1_3, v1_4 };

// "urn:dslforum-org:cwmp-1-2" for Version::v1_2.
const char* namespace_uri(Version v);

// "1.2" for Version::v1_2.
const char* version_name(Version v);

// -- Structures shared by several messages ------------------------------

struct DeviceId {
  std::string manufacturer;
  std::string oui;
  std::string product_class;
  std::string serial_number;
  friend bool operator==(const DeviceId&, const DeviceId&) = default;
};

struct EventStruct {
  std::string event_code; // "0 BOOTSTRAP", "M Reboot", ...: see device_facts.hpp
  std::string command_key;
  friend bool operator==(const EventStruct&, const EventStruct&) = default;
};

// A parameter value with its xsi:type as the XML Schema type's local name
// ("string", "boolean", "unsignedInt", "dateTime", ...). A value whose type
// the peer did not give reads as "string".
struct ParameterValue {
  std::string name;
  std::string value;
  std::string type = "string";
  friend bool operator==(const ParameterValue&, const ParameterValue&) = default;
};

struct ParameterInfo {
  std::string name;
  bool writable = false;
  friend bool operator==(const ParameterInfo&, const ParameterInfo&) = default;
};

struct ParameterAttribute {
  std::string name;
  int notification = 0; // 0 off, 1 passive, 2 active
  std::vector<std::string> access_list;
  friend bool operator==(const ParameterAttribute&, const ParameterAttribute&) = default;
};

struct SetParameterAttribute {
  std::string name;
  bool notification_change = false;
  int notification = 0;
  bool access_list_change = false;
  std::vector<std::string> access_list;
  friend bool operator==(const SetParameterAttribute&, const SetParameterAttribute&) = default;
};

// FaultStruct of TransferComplete: code 0 means success.
struct TransferFault {
  std::uint32_t fault_code = 0;
  std::string fault_string;
  friend bool operator==(const TransferFault&, const TransferFault&) = default;
};

// -- CPE -> ACS requests ---------------------------------------------------

struct Inform {
  DeviceId device_id;
  std::vector<EventStruct> events;
  std::uint32_t max_envelopes = 1;
  std::string current_time;
  std::uint32_t retry_count = 0;
  std::vector<ParameterValue> parameters;
  friend bool operator==(const Inform&, const Inform&) = default;
};

struct TransferComplete {
  std::string command_key;
  TransferFault fault;
  std::string start_time;
  std::string complete_time;
  friend bool operator==(const TransferComplete&, const TransferComplete&) = default;
};

struct AutonomousTransferComplete {
  std::string announce_url;
  std::string transfer_url;
  bool is_download = false;
  std::string file_type;
  std::uint32_t file_size = 0;
  std::string target_file_name;
  TransferFault fault;
  std::string start_time;
  std::string complete_time;
  friend bool operator==(const AutonomousTransferComplete&,
                         const AutonomousTransferComplete&) = default;
};

// Sent by either side; the answer is GetRPCMethodsResponse.
struct GetRPCMethods {
  friend bool operator==(const GetRPCMethods&, const GetRPCMethods&) = default;
};

// -- ACS -> CPE answers to those -----------------------------------------

struct InformResponse {
  std::uint32_t max_envelopes = 1;
  friend bool operator==(const InformResponse&, const InformResponse&) = default;
};
struct TransferCompleteResponse {
  friend bool operator==(const TransferCompleteResponse&,
                         const TransferCompleteResponse&) = default;
};
struct AutonomousTransferCompleteResponse {
  friend bool operator==(const AutonomousTransferCompleteResponse&,
                         const AutonomousTransferCompleteResponse&) = default;
};
struct GetRPCMethodsResponse {
  std::vector<std::string> methods;
  friend bool operator==(const GetRPCMethodsResponse&, const GetRPCMethodsResponse&) = default;
};

// -- ACS -> CPE requests ---------------------------------------------------

struct GetParameterNames {
  std::string parameter_path;
  bool next_level = false;
  friend bool operator==(const GetParameterNames&, const GetParameterNames&) = default;
};
struct GetParameterValues {
  std::vector<std::string> names;
  friend bool operator==(const GetParameterValues&, const GetParameterValues&) = default;
};
struct SetParameterValues {
  std::vector<ParameterValue> parameters;
  std::string parameter_key;
  friend bool operator==(const SetParameterValues&, const SetParameterValues&) = default;
};
struct GetParameterAttributes {
  std::vector<std::string> names;
  friend bool operator==(const GetParameterAttributes&, const GetParameterAttributes&) = default;
};
struct SetParameterAttributes {
  std::vector<SetParameterAttribute> parameters;
  friend bool operator==(const SetParameterAttributes&, const SetParameterAttributes&) = default;
};
struct AddObject {
  std::string object_name; // ends in '.'
  std::string parameter_key;
  friend bool operator==(const AddObject&, const AddObject&) = default;
};
struct DeleteObject {
  std::string object_name; // ends in "<instance>."
  std::string parameter_key;
  friend bool operator==(const DeleteObject&, const DeleteObject&) = default;
};
struct Reboot {
  std::string command_key;
  friend bool operator==(const Reboot&, const Reboot&) = default;
};
struct FactoryReset {
  friend bool operator==(const FactoryReset&, const FactoryReset&) = default;
};
struct Download {
  std::string command_key;
  std::string file_type; // "3 Vendor Configuration File", ...
  std::string url;
  std::string username;
  std::string password;
  std::uint32_t file_size = 0;
  std::string target_file_name;
  std::uint32_t delay_seconds = 0;
  std::string success_url;
  std::string failure_url;
  friend bool operator==(const Download&, const Download&) = default;
};
struct Upload {
  std::string command_key;
  std::string file_type; // "1 Vendor Configuration File", "2 Vendor Log File"
  std::string url;
  std::string username;
  std::string password;
  std::uint32_t delay_seconds = 0;
  friend bool operator==(const Upload&, const Upload&) = default;
};

// -- CPE -> ACS answers to those -------------------------------------------

struct GetParameterNamesResponse {
  std::vector<ParameterInfo> parameters;
  friend bool operator==(const GetParameterNamesResponse&,
                         const GetParameterNamesResponse&) = default;
};
struct GetParameterValuesResponse {
  std::vector<ParameterValue> parameters;
  friend bool operator==(const GetParameterValuesResponse&,
                         const GetParameterValuesResponse&) = default;
};
// Status 0: applied; 1: applied once the CPE reboots (or commits later).
struct SetParameterValuesResponse {
  int status = 0;
  friend bool operator==(const SetParameterValuesResponse&,
                         const SetParameterValuesResponse&) = default;
};
struct GetParameterAttributesResponse {
  std::vector<ParameterAttribute> parameters;
  friend bool operator==(const GetParameterAttributesResponse&,
                         const GetParameterAttributesResponse&) = default;
};
struct SetParameterAttributesResponse {
  friend bool operator==(const SetParameterAttributesResponse&,
                         const SetParameterAttributesResponse&) = default;
};
struct AddObjectResponse {
  std::uint32_t instance_number = 0;
  int status = 0;
  friend bool operator==(const AddObjectResponse&, const AddObjectResponse&) = default;
};
struct DeleteObjectResponse {
  int status = 0;
  friend bool operator==(const DeleteObjectResponse&, const DeleteObjectResponse&) = default;
};
struct RebootResponse {
  friend bool operator==(const RebootResponse&, const RebootResponse&) = default;
};
struct FactoryResetResponse {
  friend bool operator==(const FactoryResetResponse&, const FactoryResetResponse&) = default;
};
// Status 0: transfer done (times given); 1: it completes later with a
// TransferComplete carrying the same CommandKey.
struct DownloadResponse {
  int status = 0;
  std::string start_time;
  std::string complete_time;
  friend bool operator==(const DownloadResponse&, const DownloadResponse&) = default;
};
struct UploadResponse {
  int status = 0;
  std::string start_time;
  std::string complete_time;
  friend bool operator==(const UploadResponse&, const UploadResponse&) = default;
};

// -- Faults ------------------------------------------------------------------

struct SetParameterValuesFault {
  std::string parameter_name;
  std::uint32_t fault_code = 0;
  std::string fault_string;
  friend bool operator==(const SetParameterValuesFault&, const SetParameterValuesFault&) = default;
};

// A SOAP Fault carrying a cwmp:Fault: a CPE's answer to an RPC it refused
// (9000..9899) or an ACS's answer to a CPE request (8000..8899).
struct Fault {
  std::uint32_t fault_code = 0;
  std::string fault_string;
  std::vector<SetParameterValuesFault> set_parameter_values_faults;
  friend bool operator==(const Fault&, const Fault&) = default;
};

// "Client" or "Server", the SOAP faultcode TR-069 pairs with a CWMP fault
// code (the caller's arguments were wrong, or the callee failed).
const char* soap_fault_code(std::uint32_t cwmp_fault_code);

using Body = std::variant<
    // CPE -> ACS requests and ACS -> CPE answers
    Inform, InformResponse, TransferComplete, TransferCompleteResponse, AutonomousTransferComplete,
    AutonomousTransferCompleteResponse, GetRPCMethods, GetRPCMethodsResponse,
    // ACS -> CPE requests
    GetParameterNames, GetParameterValues, SetParameterValues, GetParameterAttributes,
    SetParameterAttributes, AddObject, DeleteObject, Reboot, FactoryReset, Download, Upload,
    // CPE -> ACS answers
    GetParameterNamesResponse, GetParameterValuesResponse, SetParameterValuesResponse,
    GetParameterAttributesResponse, SetParameterAttributesResponse, AddObjectResponse,
    DeleteObjectResponse, RebootResponse, FactoryResetResponse, DownloadResponse, UploadResponse,
    Fault>;

// The SOAP element name of a body: "Inform", "GetParameterValuesResponse",
// "Fault" for a Fault.
const char* method_name(const Body& body);

// One SOAP envelope: the header fields CWMP uses and one message.
struct Envelope {
  Version version = Version::v1_0;
  // cwmp:ID from the SOAP Header: absent when the peer sent none (MikroTik
  // does not). An answer echoes it with the same mustUnderstand.
  std::optional<std::string> id;
  bool id_must_understand = true;
  // cwmp:HoldRequests (ACS -> CPE), absent unless sent.
  std::optional<bool> hold_requests;
  Body body;
  friend bool operator==(const Envelope&, const Envelope&) = default;
};

} // namespace vpnaas::cwmp
