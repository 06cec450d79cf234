#include "common/jwt/key_set.h"

#include <catch2/catch.hpp>

#include "common/jwt/errors.h"
#include "common/jwt/jws.h"
#include "test/common/jwt/test_keys.h"

using namespace cupola;
using namespace cupola::jwt;
using cupola::jwt::test::at;
using cupola::jwt::test::key_a;
using cupola::jwt::test::key_b;

namespace {

KeySet two_keys() {
  KeySet keys;
  REQUIRE(keys.add("key-1", key_a()).ok());
  REQUIRE(keys.add("key-2", key_b()).ok());
  return keys;
}

Error error_of(std::string_view doc) {
  auto r = KeySet::from_token_keys(doc);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("a key set holds keys by kid in insertion order") {
  KeySet keys = two_keys();
  CHECK(keys.size() == 2);
  CHECK(keys.entries()[0].kid == "key-1");
  CHECK(keys.entries()[1].kid == "key-2");
  REQUIRE(keys.find("key-2") != nullptr);
  CHECK(keys.find("key-2")->same_public_key(key_b()));
  CHECK(keys.find("key-3") == nullptr);
  CHECK(has_code(keys.add("key-1", key_b()).error(), JwtErrc::InvalidKey));
  CHECK(has_code(keys.add("", key_b()).error(), JwtErrc::InvalidKey));
  CHECK(keys.size() == 2);
}

TEST_CASE("a key set round-trips through a /token_keys document") {
  KeySet keys = two_keys();
  std::string doc = keys.to_token_keys();
  CHECK(doc.rfind(R"({"keys":[{"kty":"RSA","e":"AQAB","use":"sig","kid":"key-1",)", 0) == 0);
  CHECK(doc.find("PRIVATE") == std::string::npos);

  auto back = KeySet::from_token_keys(doc);
  REQUIRE(back.ok());
  REQUIRE(back->size() == 2);
  CHECK(back->entries()[0].kid == "key-1");
  CHECK_FALSE(back->entries()[0].key.has_private_key());
  CHECK(back->find("key-1")->same_public_key(key_a()));
  CHECK(back->find("key-2")->same_public_key(key_b()));
  CHECK(back->to_token_keys() == doc);

  // A token the issuer signs with its private key verifies with the published keys.
  auto token = sign_rs256("", R"({"exp":1700000600})", key_b(), "key-2");
  REQUIRE(token.ok());
  CHECK(verify_rs256(*token, *back, at(1'700'000'000)).ok());
}

TEST_CASE("a /token_keys document skips keys it cannot use for RS256 and refuses bad ones") {
  SECTION("when it lists a symmetric key and an encryption key") {
    std::string doc = R"({"keys":[{"kty":"MAC","alg":"HS256","use":"sig","kid":"legacy",)"
                      R"("value":"secret"},)" +
                      std::string(R"({"kty":"RSA","use":"enc","kid":"enc-1","n":"x","e":"y"},)") +
                      key_a().to_jwk("key-1") + "]}";
    auto keys = KeySet::from_token_keys(doc);
    REQUIRE(keys.ok());
    REQUIRE(keys->size() == 1);
    CHECK(keys->entries()[0].kid == "key-1");
  }
  SECTION("when it has no keys") {
    auto keys = KeySet::from_token_keys(R"({"keys":[]})");
    REQUIRE(keys.ok());
    CHECK(keys->empty());
  }
  SECTION("when the document is not a key list") {
    CHECK(has_code(error_of("not json"), JwtErrc::InvalidKey));
    CHECK(has_code(error_of("[]"), JwtErrc::InvalidKey));
    CHECK(has_code(error_of(R"({"keys":{}})"), JwtErrc::InvalidKey));
    CHECK(has_code(error_of(R"({"keys":[1]})"), JwtErrc::InvalidKey));
    CHECK(has_code(error_of(R"({"keys":[[[[[[[[[[]]]]]]]]]]})"), JwtErrc::InvalidKey));
  }
  SECTION("when an RSA key has no kid, a duplicate kid or bad material") {
    std::string a = key_a().to_jwk("key-1");
    Error no_kid = error_of("{\"keys\":[" + key_a().to_jwk("") + "]}");
    CHECK_THAT(no_kid.message, Catch::Contains("keys[0]") && Catch::Contains("kid"));
    Error duplicate = error_of("{\"keys\":[" + a + "," + key_b().to_jwk("key-1") + "]}");
    CHECK_THAT(duplicate.message, Catch::Contains("keys[1]") && Catch::Contains("duplicate"));
    Error bad = error_of(R"({"keys":[{"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB"}]})");
    CHECK(has_code(bad, JwtErrc::InvalidKey));
  }
}
