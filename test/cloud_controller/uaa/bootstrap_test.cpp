// ensure_admin, the signing key file and the configuration.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include "cloud_controller/src/uaa/config.h"
#include "cloud_controller/src/uaa/signing_key.h"
#include "common/config/config.h"
#include "common/testing/temp_dir.h"
#include "test/cloud_controller/uaa/harness.h"

using namespace cupola;
using namespace cupola::cc::uaa;
using namespace cupola::cc::uaa::test;

TEST_CASE("ensure_admin makes a usable administrator", "[bootstrap]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());
  auto& store = h.backend->users();
  auto ensure = [&h, &store](const char* password) {
    auto r = h.run(ensure_admin(store, h.hasher, h.guids, h.clock, "admin", password));
    INFO((r ? "" : r.error().describe()));
    REQUIRE(r);
    return std::move(*r);
  };

  User first = ensure("pw");
  CHECK(first.admin);
  CHECK(first.active);
  CHECK(first.email == "admin");
  auto pair = h.login("admin", "pw");
  CHECK(decode_claims(pair.access).has_scope("cloud_controller.admin"));

  SECTION("running it again with the same password changes nothing") {
    User again = ensure("pw");
    CHECK(again.version == first.version);
    CHECK(again.password_hash == first.password_hash);
    auto refreshed = h.token("grant_type=refresh_token&refresh_token=" + pair.refresh);
    CHECK(refreshed.result_int() == 200);
  }
  SECTION("a new password replaces the old and revokes refresh tokens") {
    User changed = ensure("pw2");
    CHECK(changed.revocation_salt != first.revocation_salt);
    CHECK(h.token("grant_type=password&username=admin&password=pw").result_int() == 401);
    CHECK(h.token("grant_type=password&username=admin&password=pw2").result_int() == 200);
    CHECK(h.token("grant_type=refresh_token&refresh_token=" + pair.refresh).result_int() == 401);
  }
  SECTION("a locked, deactivated or demoted account is restored") {
    for (int i = 0; i < 5; ++i) {
      h.token("grant_type=password&username=admin&password=wrong");
    }
    User u = *h.run(store.get(first.guid));
    REQUIRE(is_locked(u, h.clock.now()));
    u.active = false;
    u.admin = false;
    REQUIRE(h.run(store.save(u, h.clock.now())));
    User restored = ensure("pw");
    CHECK(restored.admin);
    CHECK(restored.active);
    CHECK_FALSE(is_locked(*h.run(store.get(first.guid)), h.clock.now()));
    CHECK(h.token("grant_type=password&username=admin&password=pw").result_int() == 200);
  }
}

TEST_CASE("A password hash weaker than configured is replaced at the next login", "[bootstrap]") {
  Harness h(make_fake_backend());
  User bob = h.add_user("bob", "s3cret");
  auto weak = hash_password("s3cret", PasswordHashOptions{10});
  REQUIRE(weak);
  bob.password_hash = *weak;
  REQUIRE(h.run(h.backend->users().save(bob, h.clock.now())));
  h.login("bob", "s3cret");
  auto stored = h.run(h.backend->users().get(bob.guid));
  CHECK(parse_password_hash(stored->password_hash)->iterations == kTestIterations);
  CHECK(stored->revocation_salt == bob.revocation_salt);
  h.login("bob", "s3cret");
}

TEST_CASE("The signing key is generated once and kept owner-only", "[bootstrap]") {
  testing::TempDir dir;
  auto path = dir.path() / "token_key.pem";
  auto first = load_or_create_signing_key(path);
  REQUIRE(first);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(first->kid.starts_with("key-"));
  CHECK(first->kid == key_id_for(first->key));

  auto second = load_or_create_signing_key(path);
  REQUIRE(second);
  CHECK(second->kid == first->kid);
  CHECK(second->key.same_public_key(first->key));
  CHECK(second->key.has_private_key());

  SECTION("a file that holds no key is refused") {
    std::ofstream(dir.path() / "bad.pem") << "not a key";
    CHECK_FALSE(load_or_create_signing_key(dir.path() / "bad.pem"));
  }
  SECTION("an unwritable place is an error") {
    CHECK_FALSE(load_or_create_signing_key(dir.path() / "missing" / "key.pem"));
  }
}

TEST_CASE("UaaConfig reads its object and reports every problem", "[bootstrap]") {
  auto doc = json::parse(R"({"uaa_url":"https://uaa.localhost","signing_key_path":"/k.pem",
    "access_token_lifetime":"10m","password_hash_iterations":300000,
    "lockout":{"max_failures":3,"count_within":"1m","lockout":"2m"},
    "admin":{"username":"admin","password":"pw"},
    "clients":[{"id":"logstore","secret":"s","scopes":["uaa.resource"]}]})");
  REQUIRE(doc);
  auto c = config::from_document<UaaConfig>(*doc, "uaa");
  INFO((c ? "" : c.error().message));
  REQUIRE(c);
  CHECK(c->access_token_lifetime == std::chrono::minutes(10));
  CHECK(c->refresh_token_lifetime == std::chrono::hours(24 * 30));
  CHECK(c->password_hash_iterations == 300000);
  CHECK(c->lockout.max_failures == 3);
  CHECK(c->lockout.lockout == std::chrono::minutes(2));
  CHECK(c->effective_login_url() == "https://uaa.localhost");
  REQUIRE(c->clients.size() == 1);
  CHECK(c->clients[0].grant_types == std::vector<std::string>{"client_credentials"});

  auto bad = json::parse(R"({"uaa_url":"uaa.localhost","password_hash_iterations":1000,
    "admin":{"username":"admin"},
    "clients":[{"id":"a"},{"id":"a","secret":"s","grant_types":["implicit"]}]})");
  REQUIRE(bad);
  auto refused = config::from_document<UaaConfig>(*bad, "uaa");
  REQUIRE_FALSE(refused);
  for (const char* problem : {"uaa.uaa_url", "uaa.signing_key_path", "uaa.password_hash_iterations",
                              "uaa.admin", "a client_credentials client needs a secret",
                              "the id is used twice", "unsupported grant type implicit"}) {
    INFO(problem);
    CHECK_THAT(refused.error().message, Catch::Contains(problem));
  }
}
