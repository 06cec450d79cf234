#include "common/jwt/rsa_key.h"

#include <catch2/catch.hpp>

#include "common/json/json.h"
#include "common/jwt/base64url.h"
#include "common/jwt/errors.h"
#include "test/common/jwt/test_keys.h"

using namespace cupola;
using namespace cupola::jwt;
using cupola::jwt::test::key_a;
using cupola::jwt::test::key_b;

namespace {

json::Document parse(std::string_view text) { return json::parse(text).value(); }

std::string without_final_newline(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("a generated key is a 2048-bit RSA key pair with exponent 65537") {
  const RsaKey& key = key_a();
  CHECK(key.has_private_key());
  CHECK(key.bits() == 2048);
  CHECK(key.exponent() == "AQAB");
  auto n = base64url_decode(key.modulus());
  REQUIRE(n.has_value());
  CHECK(n->size() == 256);
  CHECK(static_cast<unsigned char>(n->front()) != 0);  // no sign byte
  CHECK_FALSE(key.same_public_key(key_b()));
  CHECK(has_code(RsaKey::generate(1024).error(), JwtErrc::InvalidKey));
}

TEST_CASE("keys round-trip through PEM") {
  SECTION("when the private key is written and read back") {
    auto pem = key_a().private_pem();
    REQUIRE(pem.ok());
    CHECK(pem->rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
    auto back = RsaKey::from_private_pem(*pem);
    REQUIRE(back.ok());
    CHECK(back->has_private_key());
    CHECK(back->same_public_key(key_a()));
  }
  SECTION("when the public key is written and read back") {
    std::string pem = key_a().public_pem();
    CHECK(pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0) == 0);
    CHECK(pem.find("\n-----END PUBLIC KEY-----\n") != std::string::npos);
    auto back = RsaKey::from_public_pem(pem);
    REQUIRE(back.ok());
    CHECK_FALSE(back->has_private_key());
    CHECK(back->same_public_key(key_a()));
    CHECK(has_code(back->private_pem().error(), JwtErrc::InvalidKey));
    CHECK(has_code(back->sign_sha256("data").error(), JwtErrc::InvalidKey));
  }
  SECTION("when the PEM is not a key of the expected kind") {
    CHECK(has_code(RsaKey::from_private_pem("not a key").error(), JwtErrc::InvalidKey));
    CHECK(has_code(RsaKey::from_private_pem(key_a().public_pem()).error(), JwtErrc::InvalidKey));
    CHECK(has_code(RsaKey::from_public_pem(key_a().private_pem().value()).error(),
                   JwtErrc::InvalidKey));
  }
}

TEST_CASE("a key signs and verifies RS256 signatures") {
  auto sig = key_a().sign_sha256("header.payload");
  REQUIRE(sig.ok());
  CHECK(sig->size() == 256);
  auto public_only = RsaKey::from_public_pem(key_a().public_pem()).value();
  CHECK(public_only.verify_sha256("header.payload", *sig));
  CHECK_FALSE(public_only.verify_sha256("header.payloaD", *sig));
  CHECK_FALSE(key_b().verify_sha256("header.payload", *sig));
  CHECK_FALSE(public_only.verify_sha256("header.payload", sig->substr(1)));
  CHECK_FALSE(public_only.verify_sha256("header.payload", ""));
}

TEST_CASE("a key exports as a /token_keys entry in UAA's shape") {
  const RsaKey& key = key_a();
  std::string jwk = key.to_jwk("key-1");
  CHECK(jwk.rfind(R"({"kty":"RSA","e":"AQAB","use":"sig","kid":"key-1","alg":"RS256","value":)",
                  0) == 0);
  auto doc = parse(jwk);
  CHECK(doc.MemberCount() == 7);
  CHECK(std::string(doc["value"].GetString()) == without_final_newline(key.public_pem()));
  CHECK(std::string(doc["n"].GetString()) == key.modulus());
  CHECK(parse(key.to_jwk("")).HasMember("kid") == false);
}

TEST_CASE("a public key is read back from a JWK") {
  const RsaKey& key = key_a();
  auto full = parse(key.to_jwk("key-1"));

  SECTION("when it has n, e and value") {
    auto back = RsaKey::from_jwk(full);
    REQUIRE(back.ok());
    CHECK_FALSE(back->has_private_key());
    CHECK(back->same_public_key(key));
  }
  SECTION("when it has only n and e") {
    full.RemoveMember("value");
    auto back = RsaKey::from_jwk(full);
    REQUIRE(back.ok());
    CHECK(back->same_public_key(key));
  }
  SECTION("when it has only the value PEM") {
    full.RemoveMember("n");
    full.RemoveMember("e");
    auto back = RsaKey::from_jwk(full);
    REQUIRE(back.ok());
    CHECK(back->same_public_key(key));
  }
  SECTION("when n and e disagree with value") {
    auto other = parse(key_b().to_jwk("key-2"));
    full["value"].SetString(other["value"].GetString(), full.GetAllocator());
    auto back = RsaKey::from_jwk(full);
    REQUIRE_FALSE(back.ok());
    CHECK(has_code(back.error(), JwtErrc::InvalidKey));
    CHECK_THAT(back.error().message, Catch::Contains("different keys"));
  }
  SECTION("when it is not an RSA signing key for RS256") {
    auto refused = [](std::string_view text) {
      auto r = RsaKey::from_jwk(parse(text));
      return !r.ok() && has_code(r.error(), JwtErrc::InvalidKey);
    };
    CHECK(refused(R"({"kty":"MAC","alg":"HS256","value":"secret"})"));
    CHECK(refused(R"({"n":"AQAB","e":"AQAB"})"));
    CHECK(refused(R"(["RSA"])"));
    CHECK(refused(R"({"kty":"RSA"})"));
    full["use"].SetString("enc");
    CHECK_FALSE(RsaKey::from_jwk(full).ok());
    full["use"].SetString("sig");
    full["alg"].SetString("RS512");
    CHECK_FALSE(RsaKey::from_jwk(full).ok());
  }
  SECTION("when n is not a usable modulus") {
    full.RemoveMember("value");
    const std::string& n = key.modulus();
    full["n"].SetString("not base64url!", full.GetAllocator());
    CHECK(has_code(RsaKey::from_jwk(full).error(), JwtErrc::InvalidKey));
    // The first 128 bytes of the modulus: a 1024-bit number, too small for RS256.
    std::string half = base64url_encode(base64url_decode(n).value().substr(0, 128));
    full["n"].SetString(half.c_str(), full.GetAllocator());
    auto small = RsaKey::from_jwk(full);
    REQUIRE_FALSE(small.ok());
    CHECK(has_code(small.error(), JwtErrc::InvalidKey));
    CHECK_THAT(small.error().message, Catch::Contains("1024 bits"));
  }
}
