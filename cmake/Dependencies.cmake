# Every third-party dependency is found here, from Debian packages only.
find_package(fmt 9.1 REQUIRED)
find_package(yaml-cpp 0.7 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(OpenSSL 3.0 REQUIRED COMPONENTS Crypto SSL)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(libssh 0.10 REQUIRED)  # target `ssh`: SSH transport to the routers
# The ACS (lib/src/acs, lib/src/cwmp): SOAP, durable state, HTTP(S) server and
# connection requests. Boost is used header-only (Asio, Beast).
find_package(tinyxml2 9 REQUIRED)
find_package(SQLite3 3.40 REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(CURL 7.88 REQUIRED)
if(VPNAAS_BUILD_TESTS)
  find_package(doctest 2.4 REQUIRED)
endif()
