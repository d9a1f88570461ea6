// write_envelope() then read_envelope() gives back the same Envelope, for
// every message of the codec in every CWMP version, and what is written is
// what a CPE expects to see.
#include <vpnaas/cwmp/codec.hpp>
#include <vpnaas/cwmp/device_facts.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

using namespace vpnaas::cwmp;

namespace {

// Text that XML must escape, a CR a reader would otherwise turn into LF,
// spaces at both ends, and non-ASCII.
const std::string awkward = " a<b>&c\"d'e\r\nf\tLiège ";

std::vector<Body> one_of_each() {
  const ParameterValue value{"Device.DeviceInfo.X_MIKROTIK_SystemIdentity", awkward, "string"};
  const ParameterValue flag{"Device.ManagementServer.PeriodicInformEnable", "1", "boolean"};
  return {
      Inform{{"MikroTik", "E48D8C", "hAP lite", "HG1234567"},
             {{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}, {"M Reboot", "vpnaas-17"}},
             1,
             "2026-11-30T10:00:00Z",
             2,
             {value, flag}},
      InformResponse{1},
      TransferComplete{"vpnaas-18",
                       {9010, "Download failure: <404>"},
                       "2026-11-30T10:00:01Z",
                       "2026-11-30T10:00:02Z"},
      TransferCompleteResponse{},
      AutonomousTransferComplete{"http://a/announce",
                                 "http://a/file.alter",
                                 true,
                                 "3 Vendor Configuration File",
                                 1234,
                                 "x.alter",
                                 {0, ""},
                                 "2026-11-30T10:00:01Z",
                                 "2026-11-30T10:00:02Z"},
      AutonomousTransferCompleteResponse{},
      GetRPCMethods{},
      GetRPCMethodsResponse{{"Inform", "GetRPCMethods", "TransferComplete"}},
      GetParameterNames{"Device.DeviceInfo.", true},
      GetParameterValues{{"Device.DeviceInfo.SoftwareVersion", "Device.ManagementServer."}},
      SetParameterValues{
          {value, flag, {"Device.ManagementServer.PeriodicInformInterval", "300", "unsignedInt"}},
          "key<&>"},
      GetParameterAttributes{{"Device.DeviceInfo."}},
      SetParameterAttributes{{{"Device.DeviceInfo.SoftwareVersion", true, 2, true, {"Subscriber"}},
                              {"Device.X.", false, 0, false, {}}}},
      AddObject{"Device.IP.Interface.", "pk"},
      DeleteObject{"Device.IP.Interface.3.", ""},
      Reboot{"vpnaas-19"},
      FactoryReset{},
      Download{"vpnaas-20", "3 Vendor Configuration File", "https://acs:7547/files/ab&cd.alter",
               "u", "p<w>d", 4096, "vpnaas.alter", 5, "", ""},
      Upload{"vpnaas-21", "1 Vendor Configuration File", "https://acs:7547/upload/x", "", "", 0},
      GetParameterNamesResponse{{{"Device.DeviceInfo.", false}, {"Device.DeviceInfo.X", true}}},
      GetParameterValuesResponse{{value, flag}},
      SetParameterValuesResponse{1},
      GetParameterAttributesResponse{{{"Device.A", 2, {"Subscriber"}}, {"Device.B", 0, {}}}},
      SetParameterAttributesResponse{},
      AddObjectResponse{4, 0},
      DeleteObjectResponse{1},
      RebootResponse{},
      FactoryResetResponse{},
      DownloadResponse{1, "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"},
      UploadResponse{0, "2026-11-30T10:00:01Z", "2026-11-30T10:00:02Z"},
      Fault{9003, "Invalid arguments", {{"Device.A", 9007, awkward}, {"Device.B", 9008, ""}}},
  };
}

} // namespace

TEST_CASE("the samples cover every message of the codec") {
  std::set<std::size_t> kinds;
  for (const auto& body : one_of_each()) {
    kinds.insert(body.index());
  }
  CHECK(kinds.size() == std::variant_size_v<Body>);
}

TEST_CASE("every message round-trips in every CWMP version, with and without an ID") {
  for (auto version : {Version::v1_0, Version::v1_1, Version::v1_2, Version::v1_3, Version::v1_4}) {
    for (const auto& body : one_of_each()) {
      for (int header = 0; header < 3; ++header) {
        Envelope e;
        e.version = version;
        e.body = body;
        if (header == 1) {
          e.id = "id <&> " + std::to_string(header);
          e.id_must_understand = true;
        } else if (header == 2) {
          e.id = "";
          e.id_must_understand = false;
          e.hold_requests = false;
        }
        const auto xml = write_envelope(e);
        CAPTURE(xml);
        auto back = read_envelope(xml);
        REQUIRE_MESSAGE(back.ok(), back.error().message);
        CHECK(back->version == version);
        CHECK(std::string(method_name(back->body)) == method_name(body));
        CHECK(*back == e);
      }
    }
  }
}

TEST_CASE("the writer names the version's namespace and counts arrays") {
  Envelope e;
  e.version = Version::v1_2;
  e.id = "42";
  e.body = GetParameterValues{{"Device.A", "Device.B"}};
  CHECK(write_envelope(e) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\" "
        "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\">"
        "<soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\">42</cwmp:ID></soap-env:Header>"
        "<soap-env:Body><cwmp:GetParameterValues>"
        "<ParameterNames soap-enc:arrayType=\"xsd:string[2]\"><string>Device.A</string>"
        "<string>Device.B</string></ParameterNames>"
        "</cwmp:GetParameterValues></soap-env:Body></soap-env:Envelope>");
}

TEST_CASE("values are escaped and typed, and a fault carries TR-069's SOAP faultcode") {
  Envelope set;
  set.body =
      SetParameterValues{{{"Device.A", "<&\"'\r", "string"}, {"Device.B", "1", "boolean"}}, "k"};
  const auto xml = write_envelope(set);
  CHECK(xml.find("<Value xsi:type=\"xsd:string\">&lt;&amp;\"'&#xD;</Value>") != std::string::npos);
  CHECK(xml.find("<Value xsi:type=\"xsd:boolean\">1</Value>") != std::string::npos);
  CHECK(xml.find("soap-env:Header") == std::string::npos); // no ID, no Header

  Envelope client;
  client.body = Fault{9005, "Invalid parameter name", {}};
  CHECK(write_envelope(client).find("<faultcode>Client</faultcode>") != std::string::npos);
  Envelope server;
  server.body = Fault{9002, "Internal error", {}};
  CHECK(write_envelope(server).find("<faultcode>Server</faultcode>") != std::string::npos);
  CHECK(std::string(soap_fault_code(8003)) == "Client");
  CHECK(std::string(soap_fault_code(8005)) == "Server");
}

TEST_CASE("an Inform is answered in its own version with its ID, as the README shows") {
  Envelope inform;
  inform.version = Version::v1_3;
  inform.id = "abc";
  inform.id_must_understand = true;
  inform.body = Inform{{"MikroTik", "E48D8C", "hAP", "S1"}, {{"2 PERIODIC", ""}}, 1, "", 0, {}};
  auto envelope = read_envelope(write_envelope(inform), 4096);
  REQUIRE(envelope.ok());
  auto facts = device_facts(std::get<Inform>(envelope->body));
  CHECK(facts.has_event(EventCode::periodic));
  std::string reply = write_envelope(answer(*envelope, InformResponse{}));
  auto back = read_envelope(reply);
  REQUIRE(back.ok());
  CHECK(back->version == Version::v1_3);
  CHECK(back->id == std::optional<std::string>("abc"));
  CHECK(std::holds_alternative<InformResponse>(back->body));
}
