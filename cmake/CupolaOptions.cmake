# Compiler options shared by every target, and the sanitizer switch.
option(CUPOLA_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(CUPOLA_WERROR "Treat warnings as errors" ON)

find_program(CUPOLA_CCACHE ccache)
if(CUPOLA_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CUPOLA_CCACHE})
endif()

add_library(cupola_options INTERFACE)
# Designated initialisers of option structs leave members at their defaults on purpose.
# GCC 12 reports Asio's coroutine frame allocator as a new/delete mismatch (a false positive).
target_compile_options(cupola_options INTERFACE -Wall -Wextra -Wpedantic
  -Wno-missing-field-initializers -Wno-mismatched-new-delete)
if(CUPOLA_WERROR)
  target_compile_options(cupola_options INTERFACE -Werror)
endif()
target_include_directories(cupola_options INTERFACE ${PROJECT_SOURCE_DIR})
target_compile_definitions(cupola_options INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION
  BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED
  BOOST_URL_NO_LIB)
if(CUPOLA_SANITIZE)
  target_compile_options(cupola_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(cupola_options INTERFACE -fsanitize=address,undefined)
endif()
