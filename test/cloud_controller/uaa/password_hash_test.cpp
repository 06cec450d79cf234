#include "cloud_controller/src/uaa/password_hash.h"

#include <catch2/catch.hpp>

#include <regex>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "test/common/pg/pg_test_support.h"

using namespace cupola;
using namespace cupola::cc::uaa;

namespace {
const PasswordHashOptions kCheap{1000};
}

TEST_CASE("Password hashes verify the right password only", "[password]") {
  auto hash = hash_password("correct horse", kCheap);
  REQUIRE(hash);
  CHECK(verify_password("correct horse", *hash));
  CHECK_FALSE(verify_password("correct horsE", *hash));
  CHECK_FALSE(verify_password("", *hash));
  CHECK_FALSE(verify_password("correct horse ", *hash));

  SECTION("the stored form names the scheme, the cost, a salt and the key") {
    std::regex shape(R"(pbkdf2-sha256\$1000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=)");
    CHECK(std::regex_match(*hash, shape));
    auto parts = parse_password_hash(*hash);
    REQUIRE(parts);
    CHECK(parts->iterations == 1000);
    CHECK(parts->salt.size() == 16);
    CHECK(parts->derived_key.size() == 32);
    CHECK(hash->find("correct") == std::string::npos);
  }
  SECTION("each hash has its own salt") {
    auto again = hash_password("correct horse", kCheap);
    REQUIRE(again);
    CHECK(*again != *hash);
    CHECK(verify_password("correct horse", *again));
  }
  SECTION("malformed stored values never match") {
    for (const std::string& bad :
         {std::string(""), std::string("correct horse"),
          std::string("pbkdf2-sha256$0$c2FsdA==$") + std::string(44, 'A'),
          std::string("pbkdf2-sha256$x$c2FsdA==$") + std::string(44, 'A'),
          std::string("pbkdf2-sha1$1000$c2FsdA==$") + std::string(44, 'A'),
          std::string("pbkdf2-sha256$1000$c2FsdA==$AAAA"),
          std::string("pbkdf2-sha256$1000$$") + std::string(44, 'A'), *hash + "$extra"}) {
      INFO(bad);
      CHECK_FALSE(verify_password("correct horse", bad));
      CHECK_FALSE(parse_password_hash(bad));
    }
  }
  SECTION("a hash cheaper than configured needs replacing") {
    CHECK_FALSE(needs_rehash(*hash, kCheap));
    CHECK(needs_rehash(*hash, PasswordHashOptions{2000}));
    CHECK(needs_rehash("not a hash", kCheap));
  }
  SECTION("zero iterations are refused") {
    CHECK_FALSE(hash_password("x", PasswordHashOptions{0}));
  }
}

TEST_CASE("The default cost is at least 200,000 PBKDF2 iterations", "[password]") {
  PasswordHashOptions defaults;
  CHECK(defaults.iterations >= 200'000);
  CHECK(PasswordHashOptions::kMinIterations >= 200'000);
  auto hash = hash_password("pw", defaults);
  REQUIRE(hash);
  CHECK(parse_password_hash(*hash)->iterations == defaults.iterations);
  CHECK(verify_password("pw", *hash));
}

TEST_CASE("constant_time_equals compares whole byte strings", "[password]") {
  CHECK(constant_time_equals("", ""));
  CHECK(constant_time_equals("abc", "abc"));
  CHECK_FALSE(constant_time_equals("abc", "abd"));
  CHECK_FALSE(constant_time_equals("abc", "ab"));
  CHECK_FALSE(constant_time_equals("", "a"));
  std::string with_nul("a\0b", 3);
  CHECK(constant_time_equals(with_nul, std::string("a\0b", 3)));
  CHECK_FALSE(constant_time_equals(with_nul, std::string("a\0c", 3)));
}

TEST_CASE("PasswordHasher hashes on its pool and resumes on the caller's executor", "[password]") {
  boost::asio::io_context io;
  boost::asio::thread_pool pool(1);
  PasswordHasher hasher(pool.get_executor(), kCheap);
  auto hash = pg::test::run(io, hasher.hash("pw"));
  REQUIRE(hash);
  CHECK(pg::test::run(io, hasher.verify("pw", *hash)));
  CHECK_FALSE(pg::test::run(io, hasher.verify("nope", *hash)));
  CHECK_FALSE(hasher.needs_rehash(*hash));
  pool.join();
}
