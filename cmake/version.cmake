# The version and commit go into every result record, so a figure can be traced to the code that made it.
execute_process(COMMAND git describe --always --dirty
                WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                OUTPUT_VARIABLE SPECGAP_GIT_DESCRIBE OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT SPECGAP_GIT_DESCRIBE)
  set(SPECGAP_GIT_DESCRIBE "unknown")
endif()
list(JOIN SPECGAP_BACKENDS " " SPECGAP_BACKENDS_TEXT)
configure_file(${CMAKE_SOURCE_DIR}/src/core/build_info.h.in ${CMAKE_BINARY_DIR}/generated/core/build_info.h @ONLY)
