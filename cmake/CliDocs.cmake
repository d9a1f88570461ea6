# The man page and the bash and zsh completions, generated from the built
# CLI's --help (every command, found by walking the help itself), so they
# list exactly the commands and options the binary has.
find_package(Python3 3.9 REQUIRED COMPONENTS Interpreter)

set(VPNAAS_CLI_DOCS_DIR ${PROJECT_BINARY_DIR}/docs)
set(generator ${PROJECT_SOURCE_DIR}/scripts/packaging/gen-cli-docs.py)
file(GLOB generator_modules CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scripts/packaging/*.py)
add_custom_command(
  OUTPUT ${VPNAAS_CLI_DOCS_DIR}/vpnaas.1 ${VPNAAS_CLI_DOCS_DIR}/vpnaas.1.gz
         ${VPNAAS_CLI_DOCS_DIR}/vpnaas.bash ${VPNAAS_CLI_DOCS_DIR}/_vpnaas
  COMMAND Python3::Interpreter ${generator} --cli $<TARGET_FILE:vpnaas_cli>
          --out ${VPNAAS_CLI_DOCS_DIR}
  DEPENDS vpnaas_cli ${generator_modules}
  COMMENT "Generating the man page and shell completions from vpnaas --help"
  VERBATIM)
add_custom_target(vpnaas_cli_docs ALL
  DEPENDS ${VPNAAS_CLI_DOCS_DIR}/vpnaas.1 ${VPNAAS_CLI_DOCS_DIR}/vpnaas.1.gz
          ${VPNAAS_CLI_DOCS_DIR}/vpnaas.bash ${VPNAAS_CLI_DOCS_DIR}/_vpnaas)
