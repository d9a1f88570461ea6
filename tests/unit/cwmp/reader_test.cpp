// read_envelope(): the real RouterOS Inform, the sloppiness real CPEs show,
// and the inputs that must be refused with a sentence instead of a crash.
#include <vpnaas/cwmp/codec.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "support/paths.hpp"

using namespace vpnaas::cwmp;

namespace {

constexpr std::string_view soap_env = "http://schemas.xmlsoap.org/soap/envelope/";

// An envelope in the usual prefixes around `body`, with an optional header.
std::string envelope(std::string_view body, std::string_view cwmp = "urn:dslforum-org:cwmp-1-0",
                     std::string_view header = "") {
  std::string out = "<SOAP-ENV:Envelope xmlns:SOAP-ENV='";
  out += soap_env;
  out += "' xmlns:SOAP-ENC='http://schemas.xmlsoap.org/soap/encoding/'"
         " xmlns:xsd='http://www.w3.org/2001/XMLSchema'"
         " xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' xmlns:cwmp='";
  out += cwmp;
  out += "'>";
  if (!header.empty()) {
    out += "<SOAP-ENV:Header>";
    out += header;
    out += "</SOAP-ENV:Header>";
  }
  out += "<SOAP-ENV:Body>";
  out += body;
  out += "</SOAP-ENV:Body></SOAP-ENV:Envelope>";
  return out;
}

Envelope read_ok(std::string_view xml) {
  auto r = read_envelope(xml);
  if (!r) {
    FAIL_CHECK("read failed: " << r.error().message);
    return {};
  }
  return *r;
}

std::string read_error(std::string_view xml, std::size_t max = default_max_envelope_bytes) {
  auto r = read_envelope(xml, max);
  if (r) {
    FAIL_CHECK("read succeeded, expected an error");
    return {};
  }
  CHECK(r.error().code == vpnaas::ErrorCode::invalid_input);
  CHECK_FALSE(r.error().hint.empty());
  return r.error().message;
}

constexpr std::string_view minimal_inform =
    "<cwmp:Inform><DeviceId><SerialNumber>S1</SerialNumber></DeviceId>"
    "<Event><EventStruct><EventCode>2 PERIODIC</EventCode></EventStruct></Event>"
    "</cwmp:Inform>";

} // namespace

TEST_CASE("the real RouterOS 6.42 Inform reads with its serial, event, parameters and version") {
  auto path = vpnaas::test::shared_path("data/cwmp/mikrotik-inform-haplite-6.42rc49.xml");
  if (!path) {
    return;
  }
  auto e = read_ok(vpnaas::test::read_file(*path));
  CHECK(e.version == Version::v1_0);
  CHECK_FALSE(e.id.has_value()); // MikroTik sends no SOAP Header
  REQUIRE(std::holds_alternative<Inform>(e.body));
  const auto& inform = std::get<Inform>(e.body);
  CHECK(inform.device_id == DeviceId{"MikroTik", "E48D8C", "hAP lite", "XXXXXXXXXXXX"});
  REQUIRE(inform.events.size() == 1);
  CHECK(inform.events[0] == EventStruct{"8 DIAGNOSTICS COMPLETE", ""});
  CHECK(inform.max_envelopes == 1);
  CHECK(inform.current_time == "2018-04-01T19:45:02-04:00");
  CHECK(inform.retry_count == 0);
  REQUIRE(inform.parameters.size() == 7);
  CHECK(inform.parameters[0] == ParameterValue{"Device.RootDataModelVersion", "2.11", "string"});
  CHECK(inform.parameters[2] == ParameterValue{"Device.DeviceInfo.ProvisioningCode", "", "string"});
  CHECK(inform.parameters[5].value == "http://10.0.0.1:7547/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  CHECK(inform.parameters[6] ==
        ParameterValue{"Device.ManagementServer.AliasBasedAddressing", "0", "boolean"});
}

TEST_CASE("the cwmp:ID is kept with its mustUnderstand, and a missing Header is no error") {
  auto with_id = read_ok(envelope(minimal_inform, "urn:dslforum-org:cwmp-1-0",
                                  "<cwmp:ID SOAP-ENV:mustUnderstand='1'>a&amp;b 42</cwmp:ID>"));
  CHECK(with_id.id == std::optional<std::string>("a&b 42"));
  CHECK(with_id.id_must_understand);

  auto spelled = read_ok(envelope(minimal_inform, "urn:dslforum-org:cwmp-1-0",
                                  "<cwmp:ID SOAP-ENV:mustUnderstand=\"true\">7</cwmp:ID>"));
  CHECK(spelled.id_must_understand);

  auto plain =
      read_ok(envelope(minimal_inform, "urn:dslforum-org:cwmp-1-0", "<cwmp:ID>7</cwmp:ID>"));
  CHECK(plain.id == std::optional<std::string>("7"));
  CHECK_FALSE(plain.id_must_understand);

  // mustUnderstand in a namespace other than SOAP's is not SOAP's attribute.
  auto foreign = read_ok(envelope(minimal_inform, "urn:dslforum-org:cwmp-1-0",
                                  "<cwmp:ID xmlns:o='urn:other' o:mustUnderstand='1'>7</cwmp:ID>"));
  CHECK_FALSE(foreign.id_must_understand);

  auto none = read_ok(envelope(minimal_inform));
  CHECK_FALSE(none.id.has_value());

  auto hold =
      read_ok(envelope(minimal_inform, "urn:dslforum-org:cwmp-1-0",
                       "<cwmp:HoldRequests SOAP-ENV:mustUnderstand='1'>true</cwmp:HoldRequests>"
                       "<other:Thing xmlns:other='urn:x'>ignored</other:Thing>"));
  CHECK(hold.hold_requests == std::optional<bool>(true));
}

TEST_CASE("every CWMP version from 1.0 to 1.4 is read from the method's namespace") {
  const std::pair<const char*, Version> versions[] = {{"urn:dslforum-org:cwmp-1-0", Version::v1_0},
                                                      {"urn:dslforum-org:cwmp-1-1", Version::v1_1},
                                                      {"urn:dslforum-org:cwmp-1-2", Version::v1_2},
                                                      {"urn:dslforum-org:cwmp-1-3", Version::v1_3},
                                                      {"urn:dslforum-org:cwmp-1-4", Version::v1_4}};
  for (const auto& [uri, version] : versions) {
    CAPTURE(uri);
    CHECK(read_ok(envelope(minimal_inform, uri)).version == version);
  }
}

TEST_CASE("elements match by namespace URI whatever the prefix, default namespaces included") {
  // Unusual prefixes for every namespace.
  auto odd =
      read_ok("<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\" "
              "xmlns:tr=\"urn:dslforum-org:cwmp-1-1\"><e:Body><tr:Reboot><CommandKey>k</CommandKey>"
              "</tr:Reboot></e:Body></e:Envelope>");
  CHECK(odd.version == Version::v1_1);
  CHECK(std::get<Reboot>(odd.body).command_key == "k");

  // SOAP as the default namespace, CWMP as the default of the method: its
  // unprefixed children are then in the CWMP namespace, which is accepted.
  auto defaults =
      read_ok("<Envelope xmlns='http://schemas.xmlsoap.org/soap/envelope/'><Body>"
              "<Reboot xmlns='urn:dslforum-org:cwmp-1-2'><CommandKey>d</CommandKey></Reboot>"
              "</Body></Envelope>");
  CHECK(defaults.version == Version::v1_2);
  CHECK(std::get<Reboot>(defaults.body).command_key == "d");

  // A prefix redeclared on an inner element: the innermost binding counts.
  auto redeclared = read_ok(
      "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/' "
      "xmlns:cwmp='urn:dslforum-org:cwmp-1-0'><s:Body xmlns:cwmp='urn:dslforum-org:cwmp-1-3'>"
      "<cwmp:FactoryReset/></s:Body></s:Envelope>");
  CHECK(redeclared.version == Version::v1_3);
  CHECK(std::holds_alternative<FactoryReset>(redeclared.body));

  // The prefix "s" rebound to CWMP inside the Body does not confuse the SOAP elements.
  auto rebound =
      read_ok("<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body>"
              "<s:GetRPCMethods xmlns:s='urn:dslforum-org:cwmp-1-4'/></s:Body></s:Envelope>");
  CHECK(rebound.version == Version::v1_4);
  CHECK(std::holds_alternative<GetRPCMethods>(rebound.body));

  // The usual prefix bound to the wrong URI is not SOAP.
  CHECK(read_error("<soapenv:Envelope xmlns:soapenv='http://example.com/not-soap'>"
                   "<soapenv:Body/></soapenv:Envelope>") ==
        "the message is not a SOAP 1.1 envelope: its root element is <Envelope> in namespace "
        "'http://example.com/not-soap'");
}

TEST_CASE("arrayType counts are ignored: the elements are counted") {
  auto wrong = read_ok(
      envelope("<cwmp:GetParameterValues><ParameterNames SOAP-ENC:arrayType='xsd:string[1]'>"
               "<string>Device.A</string><string>Device.B</string><string>Device.C</string>"
               "</ParameterNames></cwmp:GetParameterValues>"));
  CHECK(std::get<GetParameterValues>(wrong.body).names ==
        std::vector<std::string>{"Device.A", "Device.B", "Device.C"});

  auto too_many = read_ok(
      envelope("<cwmp:GetParameterValuesResponse><ParameterList "
               "SOAP-ENC:arrayType='cwmp:ParameterValueStruct[99]'>"
               "<ParameterValueStruct><Name>Device.A</Name><Value xsi:type='xsd:int'>5</Value>"
               "</ParameterValueStruct></ParameterList></cwmp:GetParameterValuesResponse>"));
  CHECK(std::get<GetParameterValuesResponse>(too_many.body).parameters ==
        std::vector<ParameterValue>{{"Device.A", "5", "int"}});

  auto garbage =
      read_ok(envelope("<cwmp:GetRPCMethodsResponse><MethodList SOAP-ENC:arrayType='nonsense'>"
                       "<string>Inform</string></MethodList></cwmp:GetRPCMethodsResponse>"));
  CHECK(std::get<GetRPCMethodsResponse>(garbage.body).methods ==
        std::vector<std::string>{"Inform"});

  auto none =
      read_ok(envelope("<cwmp:GetParameterValues><ParameterNames/></cwmp:GetParameterValues>"));
  CHECK(std::get<GetParameterValues>(none.body).names.empty());
}

TEST_CASE("booleans read as 0, 1, true and false in any case, with whitespace") {
  const std::pair<const char*, bool> cases[] = {{"0", false},        {"1", true},    {"true", true},
                                                {"false", false},    {"TRUE", true}, {" 1 ", true},
                                                {"\nFalse\n", false}};
  for (const auto& [text, expected] : cases) {
    CAPTURE(text);
    auto e = read_ok(envelope(std::string("<cwmp:GetParameterNames><ParameterPath>Device."
                                          "</ParameterPath><NextLevel>") +
                              text + "</NextLevel></cwmp:GetParameterNames>"));
    CHECK(std::get<GetParameterNames>(e.body).next_level == expected);
  }
  CHECK(read_error(envelope("<cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath>"
                            "<NextLevel>yes</NextLevel></cwmp:GetParameterNames>")) ==
        "GetParameterNames/NextLevel is not a boolean (0, 1, true or false): 'yes'");
}

TEST_CASE("whitespace around names and numbers is trimmed, values keep theirs") {
  auto e = read_ok(envelope(
      "<cwmp:Inform>\n  <DeviceId>\n <SerialNumber>\n  S 1 \n</SerialNumber></DeviceId>"
      "<Event><EventStruct><EventCode> 1 BOOT </EventCode><CommandKey/></EventStruct></Event>"
      "<MaxEnvelopes>\t1\t</MaxEnvelopes><RetryCount> 3 </RetryCount>"
      "<ParameterList><ParameterValueStruct><Name> Device.X </Name>"
      "<Value>  two  spaces  </Value></ParameterValueStruct></ParameterList></cwmp:Inform>"));
  const auto& inform = std::get<Inform>(e.body);
  CHECK(inform.device_id.serial_number == "S 1");
  CHECK(inform.events[0].event_code == "1 BOOT");
  CHECK(inform.retry_count == 3);
  REQUIRE(inform.parameters.size() == 1);
  CHECK(inform.parameters[0] == ParameterValue{"Device.X", "  two  spaces  ", "string"});
}

TEST_CASE("a SOAP Fault reads its cwmp:Fault and the per-parameter faults") {
  auto e = read_ok(envelope(
      "<SOAP-ENV:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring>"
      "<detail><cwmp:Fault><FaultCode>9003</FaultCode><FaultString>Invalid arguments</FaultString>"
      "<SetParameterValuesFault><ParameterName>Device.A</ParameterName><FaultCode>9007"
      "</FaultCode><FaultString>bad &lt;value&gt;</FaultString></SetParameterValuesFault>"
      "<SetParameterValuesFault><ParameterName>Device.B</ParameterName><FaultCode>9008"
      "</FaultCode><FaultString>read-only</FaultString></SetParameterValuesFault>"
      "</cwmp:Fault></detail></SOAP-ENV:Fault>",
      "urn:dslforum-org:cwmp-1-2", "<cwmp:ID SOAP-ENV:mustUnderstand='1'>9</cwmp:ID>"));
  CHECK(e.version == Version::v1_2);
  CHECK(e.id == std::optional<std::string>("9"));
  REQUIRE(std::holds_alternative<Fault>(e.body));
  const auto& fault = std::get<Fault>(e.body);
  CHECK(fault.fault_code == 9003);
  CHECK(fault.fault_string == "Invalid arguments");
  CHECK(fault.set_parameter_values_faults ==
        std::vector<SetParameterValuesFault>{{"Device.A", 9007, "bad <value>"},
                                             {"Device.B", 9008, "read-only"}});
}

TEST_CASE("oversized, empty and malformed input is refused with a sentence") {
  CHECK(read_error(envelope(minimal_inform), 100).starts_with("the CWMP message is "));
  CHECK(read_error(std::string(101, ' '), 100) ==
        "the CWMP message is 101 bytes, more than the limit of 100 bytes");
  CHECK(read_error("") ==
        "the message is not well-formed XML (XML_ERROR_EMPTY_DOCUMENT at line 0)");
  CHECK(read_error("<a><b></a>") ==
        "the message is not well-formed XML (XML_ERROR_MISMATCHED_ELEMENT at line 1)");
  CHECK(read_error("<a>\n<b x='1></b></a>").starts_with("the message is not well-formed XML ("));
  CHECK(read_error("<x:Envelope/>") ==
        "the XML uses the namespace prefix 'x' (in 'x:Envelope') without declaring it");
  CHECK(read_error(envelope("<cwmp:Reboot><k:CommandKey/></cwmp:Reboot>")) ==
        "the XML uses the namespace prefix 'k' (in 'k:CommandKey') without declaring it");
  // Nesting past tinyxml2's depth limit is an error, not a stack overflow.
  std::string deep;
  for (int i = 0; i < 5000; ++i) {
    deep += "<a>";
  }
  CHECK(read_error(deep).starts_with(
      "the message is not well-formed XML (XML_ELEMENT_DEPTH_EXCEEDED"));
}

TEST_CASE("a message that is not SOAP or not CWMP is refused") {
  CHECK(read_error("<html><body>hello</body></html>") ==
        "the message is not a SOAP 1.1 envelope: its root element is <html> in no namespace");
  CHECK(read_error("<e:Envelope xmlns:e='http://www.w3.org/2003/05/soap-envelope'><e:Body/>"
                   "</e:Envelope>") ==
        "the message is not a SOAP 1.1 envelope: its root element is <Envelope> in namespace "
        "'http://www.w3.org/2003/05/soap-envelope'");
  CHECK(read_error("<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'/>") ==
        "the SOAP envelope has no Body");
  CHECK(read_error(envelope("")) == "the SOAP Body holds no CWMP method");
  CHECK(read_error(envelope("<cwmp:Reboot/><cwmp:Reboot/>")) ==
        "the SOAP Body holds 2 elements; CWMP sends one method per envelope");
  CHECK(read_error(envelope("<cwmp:Inform/>", "urn:dslforum-org:cwmp-2-0")) ==
        "the SOAP Body's method <Inform> in namespace 'urn:dslforum-org:cwmp-2-0' is not CWMP "
        "(urn:dslforum-org:cwmp-1-0 to cwmp-1-4)");
  CHECK(read_error(envelope("<Inform/>")) ==
        "the SOAP Body's method <Inform> in no namespace is not CWMP (urn:dslforum-org:cwmp-1-0 "
        "to cwmp-1-4)");
  CHECK(read_error(envelope("<cwmp:Kicked><Command>x</Command></cwmp:Kicked>")) ==
        "the CWMP method 'Kicked' is not one vpnaas knows");
  CHECK(read_error(envelope("<SOAP-ENV:Fault><faultcode>Client</faultcode></SOAP-ENV:Fault>")) ==
        "the SOAP Fault carries no cwmp:Fault in its <detail>");
}

TEST_CASE("a missing or garbled field names its path") {
  CHECK(read_error(envelope("<cwmp:Inform><Event/></cwmp:Inform>")) ==
        "Inform lacks the element <DeviceId>");
  CHECK(read_error(envelope("<cwmp:Inform><DeviceId><OUI>1</OUI></DeviceId><Event/>"
                            "</cwmp:Inform>")) ==
        "Inform/DeviceId lacks the element <SerialNumber>");
  CHECK(read_error(envelope("<cwmp:Inform><DeviceId><SerialNumber>S</SerialNumber></DeviceId>"
                            "<Event/><RetryCount>-1</RetryCount></cwmp:Inform>")) ==
        "Inform/RetryCount is not an unsigned 32-bit number: '-1'");
  CHECK(read_error(envelope("<cwmp:AddObjectResponse><InstanceNumber>99999999999</InstanceNumber>"
                            "<Status>0</Status></cwmp:AddObjectResponse>")) ==
        "AddObjectResponse/InstanceNumber is not an unsigned 32-bit number: '99999999999'");
  CHECK(read_error(envelope("<cwmp:SetParameterValuesResponse/>")) ==
        "SetParameterValuesResponse lacks the element <Status>");
  CHECK(read_error(envelope("<cwmp:GetParameterValuesResponse><ParameterList>"
                            "<ParameterValueStruct><Name>Device.A</Name></ParameterValueStruct>"
                            "</ParameterList></cwmp:GetParameterValuesResponse>")) ==
        "GetParameterValuesResponse/ParameterList/ParameterValueStruct lacks the element <Value>");
  CHECK(read_error(envelope("<cwmp:Download><FileType>3 Vendor Configuration File</FileType>"
                            "</cwmp:Download>")) == "Download lacks the element <URL>");
  CHECK(read_error(envelope(minimal_inform, "urn:dslforum-org:cwmp-1-0",
                            "<cwmp:HoldRequests>maybe</cwmp:HoldRequests>")) ==
        "HoldRequests is not a boolean (0, 1, true or false): 'maybe'");
}
