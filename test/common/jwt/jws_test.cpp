#include "common/jwt/jws.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "common/jwt/base64url.h"
#include "common/jwt/errors.h"
#include "test/common/jwt/test_keys.h"

using namespace cupola;
using namespace cupola::jwt;
using namespace std::chrono_literals;
using cupola::jwt::test::assemble;
using cupola::jwt::test::at;
using cupola::jwt::test::key_a;
using cupola::jwt::test::key_b;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;

std::string claims_at(std::int64_t iat, std::int64_t exp) {
  return fmt::format(R"({{"jti":"t-1","sub":"user-1","iat":{},"exp":{},"scope":["openid"]}})", iat,
                     exp);
}

KeySet one_key(std::string kid, const RsaKey& key) {
  KeySet keys;
  auto added = keys.add(std::move(kid), key);
  REQUIRE(added.ok());
  return keys;
}

std::string sign(std::string_view claims, const RsaKey& key = key_a(),
                 std::string_view kid = "k1") {
  return sign_rs256("", claims, key, kid).value();
}

// The parts of a compact token.
std::vector<std::string> parts_of(std::string_view token) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto dot = token.find('.'); dot != std::string_view::npos; dot = token.find('.', start)) {
    out.emplace_back(token.substr(start, dot - start));
    start = dot + 1;
  }
  out.emplace_back(token.substr(start));
  return out;
}

JwtErrc code_of(const Result<Claims>& r) {
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().code.category() == jwt_category());
  return static_cast<JwtErrc>(r.error().code.value());
}

}  // namespace

TEST_CASE("a signed token verifies and yields its claims") {
  std::string token = sign(claims_at(kNow, kNow + 600));
  auto parts = parts_of(token);
  REQUIRE(parts.size() == 3);
  CHECK(base64url_decode(parts[0]) == std::string(R"({"alg":"RS256","kid":"k1","typ":"JWT"})"));
  CHECK(base64url_decode(parts[1]) == claims_at(kNow, kNow + 600));

  auto claims = verify_rs256(token, one_key("k1", key_a()), at(kNow + 1));
  REQUIRE(claims.ok());
  CHECK(claims->jti() == "t-1");
  CHECK(claims->sub() == "user-1");
  CHECK(claims->exp() == kNow + 600);
  CHECK(claims->has_scope("openid"));
}

TEST_CASE("signing writes the header UAA writes and refuses what cannot be signed") {
  SECTION("when extra header fields are given") {
    auto token = sign_rs256(R"({"jku":"https://api.example.com/token_keys"})",
                            claims_at(kNow, kNow + 60), key_a(), "k1");
    REQUIRE(token.ok());
    CHECK(
        base64url_decode(parts_of(*token)[0]) ==
        std::string(
            R"({"alg":"RS256","jku":"https://api.example.com/token_keys","kid":"k1","typ":"JWT"})"));
    CHECK(verify_rs256(*token, one_key("k1", key_a()), at(kNow)).ok());
  }
  SECTION("when there is no kid") {
    std::string token = sign(claims_at(kNow, kNow + 60), key_a(), "");
    CHECK(base64url_decode(parts_of(token)[0]) == std::string(R"({"alg":"RS256","typ":"JWT"})"));
  }
  SECTION("when the header fields or claims are not usable") {
    auto bad = [](std::string_view header, std::string_view claims, const RsaKey& key) {
      auto r = sign_rs256(header, claims, key, "k1");
      REQUIRE_FALSE(r.ok());
      return r.error().code;
    };
    CHECK(bad(R"({"alg":"none"})", "{}", key_a()) == Errc::InvalidArgument);
    CHECK(bad(R"({"kid":"other"})", "{}", key_a()) == Errc::InvalidArgument);
    CHECK(bad("[]", "{}", key_a()) == Errc::InvalidArgument);
    CHECK(bad("", "[1]", key_a()) == Errc::InvalidArgument);
    CHECK(bad("", "{\"a\":", key_a()) == Errc::InvalidArgument);
    auto public_only = RsaKey::from_public_pem(key_a().public_pem()).value();
    CHECK(bad("", "{}", public_only) == JwtErrc::InvalidKey);
  }
}

TEST_CASE("a tampered token fails verification") {
  const KeySet keys = one_key("k1", key_a());
  const std::string claims = claims_at(kNow, kNow + 600);
  auto parts = parts_of(sign(claims));
  auto rejoin = [&] { return parts[0] + "." + parts[1] + "." + parts[2]; };

  SECTION("when the header is changed") {
    parts[0] = base64url_encode(R"({"alg":"RS256","kid":"k1","typ":"JWS"})");
    CHECK(code_of(verify_rs256(rejoin(), keys, at(kNow))) == JwtErrc::BadSignature);
  }
  SECTION("when the claims are changed") {
    std::string forged = claims;
    forged.replace(forged.find("user-1"), 6, "user-2");
    parts[1] = base64url_encode(forged);
    auto r = verify_rs256(rejoin(), keys, at(kNow));
    CHECK(code_of(r) == JwtErrc::BadSignature);
    CHECK(r.error().message == "token signature does not verify");
  }
  SECTION("when the signature is changed") {
    parts[2][10] = parts[2][10] == 'A' ? 'B' : 'A';
    CHECK(code_of(verify_rs256(rejoin(), keys, at(kNow))) == JwtErrc::BadSignature);
  }
  SECTION("when the signature's last character is changed") {
    parts[2].back() = parts[2].back() == 'A' ? 'Q' : 'A';
    CHECK_FALSE(verify_rs256(rejoin(), keys, at(kNow)).ok());
  }
  SECTION("when the signature is cut or missing") {
    std::string signature = base64url_decode(parts[2]).value();
    parts[2] = base64url_encode(signature.substr(0, signature.size() - 1));
    CHECK(code_of(verify_rs256(rejoin(), keys, at(kNow))) == JwtErrc::BadSignature);
    parts[2].clear();
    CHECK(code_of(verify_rs256(rejoin(), keys, at(kNow))) == JwtErrc::BadSignature);
  }
}

TEST_CASE("only RS256 is accepted") {
  const KeySet keys = one_key("k1", key_a());
  const std::string claims = claims_at(kNow, kNow + 600);

  SECTION("when the token is unsecured (alg none)") {
    auto r = verify_rs256(assemble(R"({"alg":"none","typ":"JWT"})", claims, ""), keys, at(kNow));
    CHECK(code_of(r) == JwtErrc::WrongAlgorithm);
    CHECK_THAT(r.error().message, Catch::Contains("\"none\""));
  }
  SECTION("when the token is HS256 keyed with the public key (key confusion)") {
    std::string pem = key_a().public_pem();
    std::string input = base64url_encode(R"({"alg":"HS256","kid":"k1","typ":"JWT"})") + "." +
                        base64url_encode(claims);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    REQUIRE(HMAC(EVP_sha256(), pem.data(), static_cast<int>(pem.size()),
                 reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
                 &mac_len) != nullptr);
    std::string token =
        input + "." + base64url_encode({reinterpret_cast<const char*>(mac), mac_len});
    CHECK(code_of(verify_rs256(token, keys, at(kNow))) == JwtErrc::WrongAlgorithm);
  }
  SECTION("when the algorithm is another RSA one or not a string") {
    auto sig = key_a().sign_sha256("x").value();
    CHECK(code_of(verify_rs256(assemble(R"({"alg":"RS512"})", claims, sig), keys, at(kNow))) ==
          JwtErrc::WrongAlgorithm);
    CHECK(code_of(verify_rs256(assemble(R"({"alg":"rs256"})", claims, sig), keys, at(kNow))) ==
          JwtErrc::WrongAlgorithm);
    CHECK(code_of(verify_rs256(assemble(R"({"alg":256})", claims, sig), keys, at(kNow))) ==
          JwtErrc::Malformed);
    CHECK(code_of(verify_rs256(assemble(R"({"typ":"JWT"})", claims, sig), keys, at(kNow))) ==
          JwtErrc::Malformed);
  }
  SECTION("when the header marks an extension critical") {
    std::string header = R"({"alg":"RS256","crit":["exp"],"exp":1})";
    std::string input = base64url_encode(header) + "." + base64url_encode(claims);
    std::string token = input + "." + base64url_encode(key_a().sign_sha256(input).value());
    CHECK(code_of(verify_rs256(token, keys, at(kNow))) == JwtErrc::Malformed);
  }
}

TEST_CASE("token lifetimes are checked against the caller's now") {
  const KeySet keys = one_key("k1", key_a());
  const VerifyOptions strict{.leeway = 0s};

  SECTION("when now reaches exp") {
    std::string token = sign(claims_at(kNow, kNow + 600));
    CHECK(verify_rs256(token, keys, at(kNow + 599), strict).ok());
    auto r = verify_rs256(token, keys, at(kNow + 600), strict);
    CHECK(code_of(r) == JwtErrc::Expired);
    CHECK(r.error().message == "token expired");
  }
  SECTION("when now is past exp but within the leeway") {
    std::string token = sign(claims_at(kNow, kNow + 600));
    CHECK(verify_rs256(token, keys, at(kNow + 629)).ok());
    CHECK(code_of(verify_rs256(token, keys, at(kNow + 630))) == JwtErrc::Expired);
  }
  SECTION("when nbf is in the future") {
    std::string token = sign(R"({"nbf":1700000060,"exp":1700000600})");
    CHECK(code_of(verify_rs256(token, keys, at(kNow))) == JwtErrc::NotYetValid);
    CHECK(verify_rs256(token, keys, at(kNow + 30)).ok());
  }
  SECTION("when iat is in the future beyond the leeway") {
    std::string token = sign(claims_at(kNow + 3600, kNow + 7200));
    auto r = verify_rs256(token, keys, at(kNow));
    CHECK(code_of(r) == JwtErrc::NotYetValid);
    CHECK_THAT(r.error().message, Catch::Contains("issued in the future"));
    CHECK(verify_rs256(sign(claims_at(kNow + 20, kNow + 600)), keys, at(kNow)).ok());
  }
  SECTION("when exp is missing") {
    std::string token = sign(R"({"sub":"user-1"})");
    CHECK(code_of(verify_rs256(token, keys, at(kNow))) == JwtErrc::Malformed);
    CHECK(verify_rs256(token, keys, at(kNow), {.require_exp = false}).ok());
  }
  SECTION("when exp is extreme") {
    CHECK(code_of(verify_rs256(sign(R"({"exp":-9223372036854775808})"), keys, at(kNow))) ==
          JwtErrc::Expired);
    CHECK(verify_rs256(sign(R"({"exp":9223372036854775807})"), keys, at(kNow)).ok());
  }
}

TEST_CASE("the verification key is chosen by kid") {
  KeySet keys;
  REQUIRE(keys.add("old", key_a()).ok());
  REQUIRE(keys.add("new", key_b()).ok());
  const std::string claims = claims_at(kNow, kNow + 600);

  SECTION("when each key signs under its own kid") {
    CHECK(verify_rs256(sign(claims, key_a(), "old"), keys, at(kNow)).ok());
    CHECK(verify_rs256(sign(claims, key_b(), "new"), keys, at(kNow)).ok());
  }
  SECTION("when a token names another key's kid") {
    CHECK(code_of(verify_rs256(sign(claims, key_b(), "old"), keys, at(kNow))) ==
          JwtErrc::BadSignature);
  }
  SECTION("when no key has the kid") {
    auto r = verify_rs256(sign(claims, key_a(), "retired"), keys, at(kNow));
    CHECK(code_of(r) == JwtErrc::UnknownKey);
    CHECK_THAT(r.error().message, Catch::Contains("\"retired\""));
  }
  SECTION("when the token has no kid") {
    std::string token = sign(claims, key_b(), "");
    CHECK(code_of(verify_rs256(token, keys, at(kNow))) == JwtErrc::UnknownKey);
    CHECK(verify_rs256(token, one_key("only", key_b()), at(kNow)).ok());
    CHECK(code_of(verify_rs256(token, KeySet{}, at(kNow))) == JwtErrc::UnknownKey);
  }
}

TEST_CASE("malformed tokens are refused before any key is used") {
  const KeySet keys = one_key("k1", key_a());
  for (std::string_view token : {"", "abc", "a.b", "a.b.c.d", "!!.e30.AA", "e30.e30.AA"}) {
    INFO(token);
    CHECK(code_of(verify_rs256(token, keys, at(kNow))) == JwtErrc::Malformed);
  }
  SECTION("when the token is longer than the limit") {
    std::string claims =
        R"({"exp":1700000600,"pad":")" + std::string(std::size_t{16} * 1024, 'x') + "\"}";
    auto r = verify_rs256(sign(claims), keys, at(kNow));
    CHECK(code_of(r) == JwtErrc::Malformed);
    CHECK_THAT(r.error().message, Catch::Contains("exceeds the limit"));
  }
  SECTION("when the claims nest deeper than the limit") {
    std::string token = sign(R"({"exp":1700000600,"a":[[[[[1]]]]]})");
    CHECK(verify_rs256(token, keys, at(kNow)).ok());
    CHECK(code_of(verify_rs256(token, keys, at(kNow), {.max_json_depth = 4})) ==
          JwtErrc::Malformed);
  }
  SECTION("when signed claims are not an object of well-typed claims") {
    CHECK(code_of(verify_rs256(sign(R"({"exp":"tomorrow"})"), keys, at(kNow))) ==
          JwtErrc::Malformed);
  }
}
