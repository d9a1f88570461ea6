# Every third-party dependency is found here, from Debian packages only.
find_package(fmt 9.1 REQUIRED)
find_package(yaml-cpp 0.7 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(OpenSSL 3.0 REQUIRED COMPONENTS Crypto)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(libssh 0.10 REQUIRED)  # target `ssh`: SSH transport to the routers
if(VPNAAS_BUILD_TESTS)
  find_package(doctest 2.4 REQUIRED)
endif()
