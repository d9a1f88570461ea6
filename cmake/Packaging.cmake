# `cpack -G DEB` in a build tree configured with -DCMAKE_INSTALL_PREFIX=/usr
# (scripts/package.sh) makes one package with the CLI, libvpnaas, the bundled
# inventory, the man page and the shell completions (cmake/InstallLayout.cmake).
set(VPNAAS_PACKAGE_MAINTAINER "vpnaas maintainers <maintainers@users.noreply.h-seed-03e1991f.example>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vpnaas)
set(CPACK_PACKAGE_VENDOR "The vpnaas authors")
set(CPACK_PACKAGE_CONTACT "${VPNAAS_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "full-mesh GRE-over-IPsec VPNs for MikroTik routers, from a git-kept inventory")
set(CPACK_PACKAGE_DESCRIPTION [[
vpnaas validates a YAML inventory of customers, sites and datacenter
clusters, allocates stable transit addresses, derives pre-shared keys from a
master key that never enters git, renders one idempotent RouterOS script per
router and pushes them over SSH.

This package holds the vpnaas command, the libvpnaas library it uses, a demo
inventory, a man page and bash and zsh completions.]])
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends comes from dpkg-shlibdeps over the packaged ELF files, never from a
# list kept here. The CLI's own libvpnaas.so.0 is in the package, not in any
# installed one, so dpkg-shlibdeps is pointed at the staged library folder
# (relative to the staging root it runs in) to resolve it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS usr/${CMAKE_INSTALL_LIBDIR})
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
# git is run, not linked, so dpkg-shlibdeps cannot see it: --rev, plan and the
# revision line of rendered scripts need it; everything else works without.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS git)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")

include(CPack)
