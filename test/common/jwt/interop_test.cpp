// Tokens and keys made by the openssl command-line tool, not by this module: the RS256
// wire format must agree with another implementation in both directions.

#include <catch2/catch.hpp>

#include "common/jwt/base64url.h"
#include "common/jwt/errors.h"
#include "common/jwt/jws.h"
#include "common/jwt/key_set.h"
#include "common/jwt/rsa_key.h"
#include "common/testing/process.h"
#include "common/testing/temp_dir.h"
#include "test/common/jwt/test_keys.h"

using namespace cupola;
using namespace cupola::jwt;
using namespace std::chrono_literals;
using cupola::jwt::test::at;
using cupola::jwt::test::key_a;

namespace {

// A fixed token and its public key, made once with the openssl CLI (3.0):
//   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem
//   openssl pkey -in key.pem -pubout -out pub.pem
//   b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
//   h=$(printf '%s' '{"alg":"RS256","kid":"cli-key","typ":"JWT"}' | b64url)
//   p=$(printf '%s' '<the claims below>' | b64url)
//   s=$(printf '%s' "$h.$p" | openssl dgst -sha256 -sign key.pem | b64url)
//   echo "$h.$p.$s"
// The private key was thrown away. Claims: jti "2f0c6a1e-cli", sub and user_id "user-1",
// iss "http://localhost:8080/oauth/token", aud ["cloud_controller","openid"],
// iat 1700000000, exp 1700000600, scope ["cloud_controller.read","openid"], client_id and
// cid "cf", user_name "admin", email "admin@example.com", grant_type "password", zid and
// origin "uaa".
constexpr std::string_view kCliPublicKey =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwoiZwWaHwgqnsaK0Srb5\n"
    "p3fuQGVHFN2ucoJbCpKFOutmx1j+YonjQc8WwUe1SSOvo+sproKaz/CIfTgGvfEu\n"
    "JfTwqx7HNs7Gys1a9c5NvIbeYOJ3To5NZkodPwLcqwAINL4YTrqfrfKirEMwZFLP\n"
    "AMmHKFz7D4S70BPtJ5IagY/gzLKvRCX4bxjzuTG12iA8bH1EmRYajFK5LUWTIH0K\n"
    "LDzsewYzFsAinJFxIeqtTI1l+Suaf6dYWeQmh+bEXlfZOJnTo354rhPG8AxaD777\n"
    "I4mqYDeFDKTp1MXJPeLbEMclfMzaDwwVnJ5FUs8NwajSf3DvvW2XWMe8ys/Ib0Uf\n"
    "AwIDAQAB\n"
    "-----END PUBLIC KEY-----\n";
constexpr std::string_view kCliToken =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImNsaS1rZXkiLCJ0eXAiOiJKV1QifQ.eyJqdGkiOiIyZjBjNmExZS1jbGkiL"
    "CJzdWIiOiJ1c2VyLTEiLCJpc3MiOiJodHRwOi8vbG9jYWxob3N0OjgwODAvb2F1dGgvdG9rZW4iLCJhdWQiOlsiY"
    "2xvdWRfY29udHJvbGxlciIsIm9wZW5pZCJdLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMDYwMCwic2Nvc"
    "GUiOlsiY2xvdWRfY29udHJvbGxlci5yZWFkIiwib3BlbmlkIl0sImNsaWVudF9pZCI6ImNmIiwiY2lkIjoiY2YiL"
    "CJ1c2VyX2lkIjoidXNlci0xIiwidXNlcl9uYW1lIjoiYWRtaW4iLCJlbWFpbCI6ImFkbWluQGV4YW1wbGUuY29tI"
    "iwiZ3JhbnRfdHlwZSI6InBhc3N3b3JkIiwiemlkIjoidWFhIiwib3JpZ2luIjoidWFhIn0.ZcRkiVnDcmMbSkUdP"
    "kA03F3LiCjMG0PhmfHYezyrF8y19CGrmrvLchMzwTqhxiZDZIDQDS7zncq18NADHA01RK4nlHwORhwB2rCMPWq5w"
    "QCQ8X4H_yql8qS1WGQ-aZJDkaJQCm3Lb7-LVgPCa7bpAxYCTGzj4rk7LAB5inmCoUfzB2ZmP03UfT8oU9-1n4EOe"
    "rIpidBFSABKq-mYd0qNkaEmDfPzhlNyiV8IVLRztwqcfdDEtvy8u-f_SFFwu10GPdzijPO9Nlj3LUT01t46iiT_V"
    "R-q6Si3dAl40ua16ESenqGmV_hMD82L6ivvdWLC728MaKtHZUlbvOwVAK97lg";

// Runs the openssl command-line tool (a dependency of the dev setup) and returns its exit
// status; its output is attached to the next failure.
int openssl(std::vector<std::string> args) {
  testing::Process p({.path = "openssl", .args = std::move(args)});
  auto status = p.wait(60s);
  UNSCOPED_INFO("openssl output: " << p.output());
  return status.value_or(-1);
}

std::string from_cli_base64(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '+') {
      out += '-';
    } else if (c == '/') {
      out += '_';
    } else if (c != '=' && c != '\n') {
      out += c;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a token signed by the openssl CLI verifies") {
  auto key = RsaKey::from_public_pem(kCliPublicKey);
  REQUIRE(key.ok());
  KeySet keys;
  REQUIRE(keys.add("cli-key", *key).ok());

  auto claims = verify_rs256(kCliToken, keys, at(1'700'000'100));
  REQUIRE(claims.ok());
  CHECK(claims->jti() == "2f0c6a1e-cli");
  CHECK(claims->user_name() == "admin");
  CHECK(claims->has_scope("cloud_controller.read"));
  CHECK(claims->has_audience("cloud_controller"));
  CHECK(claims->origin() == "uaa");

  CHECK(has_code(verify_rs256(kCliToken, keys, at(1'700'000'700)).error(), JwtErrc::Expired));

  // The same key published as a JWK (n and e only) verifies it too.
  KeySet from_jwk;
  auto jwk = json::parse(key->to_jwk("cli-key")).value();
  jwk.RemoveMember("value");
  REQUIRE(from_jwk.add("cli-key", RsaKey::from_jwk(jwk).value()).ok());
  CHECK(verify_rs256(kCliToken, from_jwk, at(1'700'000'100)).ok());
}

TEST_CASE("tokens and keys cross between this module and the openssl CLI") {
  testing::TempDir dir("jwt-interop");
  auto path = [&](std::string_view name) { return (dir / name).string(); };

  SECTION("when the CLI makes the key and signs, the module verifies") {
    REQUIRE(openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                     path("key.pem")}) == 0);
    REQUIRE(openssl({"pkey", "-in", path("key.pem"), "-pubout", "-out", path("pub.pem")}) == 0);
    dir.write_file("header.json", R"({"alg":"RS256","kid":"k","typ":"JWT"})");
    dir.write_file("claims.json", R"({"sub":"user-1","exp":1700000600})");
    REQUIRE(openssl({"base64", "-A", "-in", path("header.json"), "-out", path("header.b64")}) == 0);
    REQUIRE(openssl({"base64", "-A", "-in", path("claims.json"), "-out", path("claims.b64")}) == 0);
    std::string input = from_cli_base64(testing::read_file(dir / "header.b64")) + "." +
                        from_cli_base64(testing::read_file(dir / "claims.b64"));
    dir.write_file("input.txt", input);
    REQUIRE(openssl({"dgst", "-sha256", "-sign", path("key.pem"), "-out", path("sig.bin"),
                     path("input.txt")}) == 0);
    std::string token = input + "." + base64url_encode(testing::read_file(dir / "sig.bin"));

    KeySet keys;
    REQUIRE(
        keys.add("k", RsaKey::from_public_pem(testing::read_file(dir / "pub.pem")).value()).ok());
    auto claims = verify_rs256(token, keys, at(1'700'000'000));
    REQUIRE(claims.ok());
    CHECK(claims->sub() == "user-1");

    // The CLI's PKCS#8 key and its PKCS#1 ("traditional") form both load and sign tokens
    // the CLI's public key verifies.
    REQUIRE(openssl({"pkey", "-in", path("key.pem"), "-traditional", "-out", path("rsa.pem")}) ==
            0);
    std::string pkcs1 = testing::read_file(dir / "rsa.pem");
    CHECK(pkcs1.rfind("-----BEGIN RSA PRIVATE KEY-----", 0) == 0);
    for (const char* file : {"key.pem", "rsa.pem"}) {
      INFO(file);
      auto loaded = RsaKey::from_private_pem(testing::read_file(dir / file));
      REQUIRE(loaded.ok());
      auto own = sign_rs256("", R"({"exp":1700000600})", *loaded, "k");
      REQUIRE(own.ok());
      CHECK(verify_rs256(*own, keys, at(1'700'000'000)).ok());
    }
  }
  SECTION("when the module signs, the CLI verifies with the exported public key") {
    auto token = sign_rs256("", R"({"sub":"user-1","exp":1700000600})", key_a(), "k");
    REQUIRE(token.ok());
    auto last_dot = token->rfind('.');
    dir.write_file("input.txt", token->substr(0, last_dot));
    dir.write_file("sig.bin", base64url_decode(token->substr(last_dot + 1)).value());
    dir.write_file("pub.pem", key_a().public_pem());
    CHECK(openssl({"dgst", "-sha256", "-verify", path("pub.pem"), "-signature", path("sig.bin"),
                   path("input.txt")}) == 0);
    // A changed byte makes the CLI refuse it: the check above is a real one.
    dir.write_file("input.txt", token->substr(0, last_dot) + "x");
    CHECK(openssl({"dgst", "-sha256", "-verify", path("pub.pem"), "-signature", path("sig.bin"),
                   path("input.txt")}) != 0);
  }
  SECTION("when the CLI's key is encrypted or too small, the module refuses it") {
    REQUIRE(openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                     "-aes-128-cbc", "-pass", "pass:secret", "-out", path("enc.pem")}) == 0);
    auto encrypted = RsaKey::from_private_pem(testing::read_file(dir / "enc.pem"));
    REQUIRE_FALSE(encrypted.ok());
    CHECK(has_code(encrypted.error(), JwtErrc::InvalidKey));

    REQUIRE(openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out",
                     path("small.pem")}) == 0);
    auto small = RsaKey::from_private_pem(testing::read_file(dir / "small.pem"));
    REQUIRE_FALSE(small.ok());
    CHECK_THAT(small.error().message, Catch::Contains("1024 bits"));

    REQUIRE(openssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                     path("ec.pem")}) == 0);
    CHECK(has_code(RsaKey::from_private_pem(testing::read_file(dir / "ec.pem")).error(),
                   JwtErrc::InvalidKey));
  }
}
