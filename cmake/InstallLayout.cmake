# What `cmake --install` (and so the Debian package) puts where. The build
# tree is left as it is: bin/vpnaas there still finds lib/ through its
# BUILD_RPATH and the bundled inventory in the source tree.

# No RPATH where the dynamic loader already looks (/usr/lib/<triplet>, as in
# the Debian package: Debian policy forbids one there); under any other
# prefix an $ORIGIN-relative one, so /opt/vpnaas/bin/vpnaas finds its library
# wherever the tree is moved.
if(NOT CMAKE_INSTALL_FULL_LIBDIR IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES)
  file(RELATIVE_PATH lib_from_bin ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
  set_target_properties(vpnaas_cli PROPERTIES INSTALL_RPATH "$ORIGIN/${lib_from_bin}")
endif()

install(TARGETS vpnaas_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The library without its headers: it is installed for the CLI, and a -dev
# package would need an ABI the project does not promise yet.
# A sanitizer build links them into the CLI (lib/CMakeLists.txt): nothing to install.
get_target_property(vpnaas_library_type vpnaas TYPE)
if(vpnaas_library_type STREQUAL "SHARED_LIBRARY")
  install(TARGETS vpnaas LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_SKIP)
  if(TARGET vpnaas_acs)
    install(TARGETS vpnaas_acs LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_SKIP)
  endif()
endif()

# The bundled demo inventory, found by the installed binary relative to itself
# (apps/vpnaas/bundled_inventory.cpp). Only what the inventory format reads is
# copied, so editor backups in a developer's tree do not end up in a package.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/inventory/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/vpnaas/inventory
        FILES_MATCHING PATTERN "*.yaml" PATTERN "vpnaas.lock")

install(FILES ${VPNAAS_CLI_DOCS_DIR}/vpnaas.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${VPNAAS_CLI_DOCS_DIR}/vpnaas.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME vpnaas)
install(FILES ${VPNAAS_CLI_DOCS_DIR}/_vpnaas DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

# The ACS's systemd unit, pointing at this install's binary. Under the
# prefix, not /etc: systemd reads units from /usr/lib/systemd/system (and
# /usr/local/lib/systemd/system); an administrator's override goes to /etc.
set(VPNAAS_ACS_BINARY ${CMAKE_INSTALL_FULL_BINDIR}/vpnaas)
configure_file(${PROJECT_SOURCE_DIR}/scripts/packaging/vpnaas-acs.service.in
               ${PROJECT_BINARY_DIR}/packaging/vpnaas-acs.service @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/packaging/vpnaas-acs.service DESTINATION lib/systemd/system)

# Debian wants the licence as /usr/share/doc/<package>/copyright, in the
# machine-readable format; it is made from LICENSE so the two cannot drift.
file(READ ${PROJECT_SOURCE_DIR}/LICENSE license_text)
string(REGEX REPLACE "\n+$" "" license_text "${license_text}")
string(REGEX REPLACE "\n\n" "\n.\n" license_text "${license_text}")
string(REGEX REPLACE "\n" "\n " license_text "${license_text}")
string(REGEX MATCH "Copyright \\(c\\) ([^\n]+)" copyright_line "${license_text}")
set(copyright_holder "${CMAKE_MATCH_1}")
file(WRITE ${PROJECT_BINARY_DIR}/packaging/copyright
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: vpnaas

Files: *
Copyright: ${copyright_holder}
License: MIT
 ${license_text}
")
install(FILES ${PROJECT_BINARY_DIR}/packaging/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
