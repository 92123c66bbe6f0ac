# Writes version.cpp with the git commit the sources are at: run at every build (not only
# at configure time), rewriting the file only when the commit changes.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE SMESIM_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR SMESIM_GIT_COMMIT STREQUAL "")
  set(SMESIM_GIT_COMMIT "unknown")
endif()
configure_file(${SOURCE_DIR}/src/core/version.cpp.in ${OUTPUT} @ONLY)
