# cupola_library(NAME SOURCES... [DEPS ...]): a static library target cupola_NAME
# (alias cupola::NAME) with the shared options.
function(cupola_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(cupola_${name} STATIC ${ARG_SOURCES})
  add_library(cupola::${name} ALIAS cupola_${name})
  target_link_libraries(cupola_${name} PUBLIC cupola_options ${ARG_DEPS})
endfunction()

# cupola_test(NAME SOURCES... [DEPS ...] [LABELS ...]): a Catch2 test binary NAME registered
# with CTest. Integration tests carry the label "integration".
function(cupola_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE cupola_options cupola_catch_main ${ARG_DEPS})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT})
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()
