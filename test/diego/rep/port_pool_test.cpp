#include "diego/rep/src/port_pool.h"

#include <catch2/catch.hpp>

using namespace cupola::rep;

TEST_CASE("ports are handed out round-robin and a released one comes back last") {
  PortPool pool(61000, 61002);
  CHECK(pool.acquire() == 61000u);
  CHECK(pool.acquire() == 61001u);
  pool.release(61000);
  CHECK(pool.acquire() == 61002u);
  CHECK(pool.acquire() == 61000u);
  CHECK_FALSE(pool.acquire().has_value());
  CHECK(pool.available() == 0);
}

TEST_CASE("ports something else uses are skipped; claimed ports are taken") {
  PortPool pool(61000, 61009);
  CHECK(pool.claim(61000));
  CHECK_FALSE(pool.claim(61000));
  CHECK_FALSE(pool.claim(70000));
  CHECK(pool.acquire([](std::uint32_t p) { return p != 61001; }) == 61002u);
  CHECK(pool.available() == 8);
}
