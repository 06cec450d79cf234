# Third-party libraries: Debian packages only (./dev deps installs them).
find_package(Boost 1.81 REQUIRED CONFIG)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(fmt REQUIRED)
find_package(RapidJSON REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(Catch2 REQUIRED)

if(NOT TARGET RapidJSON::RapidJSON)
  add_library(RapidJSON::RapidJSON INTERFACE IMPORTED)
  set_target_properties(RapidJSON::RapidJSON PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${RAPIDJSON_INCLUDE_DIRS}")
endif()

# Debian's cnats CMake package names a static library it does not ship: find it directly.
find_path(CNATS_INCLUDE_DIR nats/nats.h REQUIRED)
find_library(CNATS_LIBRARY nats REQUIRED)
add_library(cnats::nats UNKNOWN IMPORTED)
set_target_properties(cnats::nats PROPERTIES
  IMPORTED_LOCATION "${CNATS_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${CNATS_INCLUDE_DIR}")
