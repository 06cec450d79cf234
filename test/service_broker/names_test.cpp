#include "service_broker/src/names.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <set>

#include "service_broker/src/credentials.h"
#include "service_broker/src/secrets.h"

using namespace cupola;
using namespace cupola::pg_broker;

TEST_CASE("names on the target server") {
  SECTION("are derived from the ids, stable, short and distinct") {
    auto db = instance_database("abc");
    CHECK(db == "cupola_i_ba7816bf8f01cfea414140de5dae2223");
    CHECK(instance_database("abc") == db);
    CHECK(instance_database("abd") != db);
    auto user = binding_username("abc", "b1");
    CHECK(user.starts_with("cupola_b_"));
    CHECK(user.size() == db.size());
    CHECK(binding_username("abc", "b2") != user);
    CHECK(binding_username("ab", "cb1") != binding_username("abc", "b1"));
    CHECK(instance_database("a\"; DROP DATABASE x; --").find('"') == std::string::npos);
  }
  SECTION("identifiers and literals are quoted") {
    CHECK(quote_ident("plain") == "\"plain\"");
    CHECK(quote_ident("we\"ird") == "\"we\"\"ird\"");
    CHECK(quote_literal("it's") == "'it''s'");
    CHECK(quote_literal("a\\b'") == "E'a\\\\b'''");
  }
  SECTION("a conninfo gets another database, whatever its form") {
    auto kv = with_dbname("host=127.0.0.1 port=5433 user=admin dbname=postgres", "cupola_i_x");
    REQUIRE(kv);
    CHECK(kv->find("dbname='cupola_i_x'") != std::string::npos);
    CHECK(kv->find("postgres") == std::string::npos);
    CHECK(kv->find("port='5433'") != std::string::npos);
    auto uri = with_dbname("postgres://admin:p%27w@db.example:6543/postgres", "d2");
    REQUIRE(uri);
    CHECK(uri->find("host='db.example'") != std::string::npos);
    CHECK(uri->find("password='p\\'w'") != std::string::npos);
    CHECK(uri->find("dbname='d2'") != std::string::npos);
    CHECK(!with_dbname("host='unterminated", "x"));
  }
}

TEST_CASE("secrets") {
  SECTION("passwords are long, alphanumeric and different every time") {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
      auto p = generate_password();
      REQUIRE(p);
      CHECK(p->size() == 32);
      CHECK(std::all_of(p->begin(), p->end(), [](char c) { return std::isalnum(c) != 0; }));
      seen.insert(*p);
    }
    CHECK(seen.size() == 50);
    CHECK(random_salt()->size() == 16);
  }
  SECTION("the SCRAM-SHA-256 verifier matches an independent computation") {
    // Salt and password from RFC 7677's example; keys computed with Python's hashlib.
    std::string salt = "\x5b\x6d\x99\x68\x9d\x12\x35\x8e\xec\xa0\x4b\x14\x12\x36\xfa\x81";
    CHECK(scram_sha256_verifier("pencil", salt) ==
          "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"
          "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
          "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");
  }
}

TEST_CASE("credentials") {
  json::Writer w;
  write_credentials(w, Endpoint{"db.example", 6543}, "cupola_i_1", "cupola_b_2", "pw");
  auto doc = json::parse(w.view());
  REQUIRE(doc);
  const auto& c = *doc;
  CHECK(std::string(c["uri"].GetString()) == "postgres://cupola_b_2:pw@db.example:6543/cupola_i_1");
  CHECK(std::string(c["jdbcUrl"].GetString()) ==
        "jdbc:postgresql://db.example:6543/cupola_i_1?user=cupola_b_2&password=pw");
  CHECK(std::string(c["hostname"].GetString()) == "db.example");
  CHECK(c["port"].GetInt() == 6543);
  CHECK(std::string(c["name"].GetString()) == "cupola_i_1");
  CHECK(std::string(c["username"].GetString()) == "cupola_b_2");
  CHECK(std::string(c["password"].GetString()) == "pw");
  json::Writer v6;
  write_credentials(v6, Endpoint{"::1", 5432}, "d", "u", "p");
  CHECK(v6.str().find("@[::1]:5432/d") != std::string::npos);
}
