// The UserStore and RevocationStore contract, run against every backend of the binary.

#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>

#include "cloud_controller/src/uaa/errors.h"
#include "test/cloud_controller/uaa/backend.h"

using namespace cupola;
using namespace cupola::cc::uaa;
using namespace cupola::cc::uaa::test;
using namespace std::chrono_literals;

namespace {

const TimePoint kT0{std::chrono::seconds{1'700'000'000}};

User user(std::string guid, std::string name) {
  User u;
  u.guid = std::move(guid);
  u.username = std::move(name);
  u.password_hash = "pbkdf2-sha256$1$c2FsdA==$" + std::string(44, 'A');
  u.email = u.username + "@example.com";
  u.given_name = "Given";
  u.family_name = "Family";
  u.revocation_salt = "salt-" + u.guid;
  u.created_at = u.updated_at = u.password_changed_at = kT0;
  return u;
}

}  // namespace

TEST_CASE("UserStore creates, finds and lists users", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& store = b.users();

  auto created = b.run(store.create(user("g-bob", "Bob")));
  REQUIRE(created);
  CHECK(created->username == "Bob");
  CHECK(created->created_at == kT0);
  REQUIRE(b.run(store.create(user("g-amy", "amy"))));

  SECTION("get returns every field as stored") {
    auto got = b.run(store.get("g-bob"));
    REQUIRE(got);
    CHECK(got->email == "Bob@example.com");
    CHECK(got->given_name == "Given");
    CHECK(got->family_name == "Family");
    CHECK(got->origin == "uaa");
    CHECK(got->active);
    CHECK_FALSE(got->admin);
    CHECK(got->revocation_salt == "salt-g-bob");
    CHECK(got->password_changed_at == kT0);
    CHECK(got->failed_logins == 0);
    CHECK_FALSE(got->locked_until);
  }
  SECTION("an unknown guid is UserNotFound") {
    auto got = b.run(store.get("g-nobody"));
    REQUIRE_FALSE(got);
    CHECK(has_code(got.error(), UaaErrc::UserNotFound));
    CHECK(got.error().message == "User g-nobody does not exist");
  }
  SECTION("usernames are found in any letter case") {
    auto found = b.run(store.find_by_username("bOB"));
    REQUIRE(found);
    REQUIRE(*found);
    CHECK((*found)->guid == "g-bob");
    auto missing = b.run(store.find_by_username("carol"));
    REQUIRE(missing);
    CHECK_FALSE(*missing);
  }
  SECTION("a username taken in another case is refused") {
    auto dup = b.run(store.create(user("g-bob2", "BOB")));
    REQUIRE_FALSE(dup);
    CHECK(has_code(dup.error(), UaaErrc::UsernameTaken));
    CHECK(dup.error().message == "Username already in use: BOB");
  }
  SECTION("list orders by username and pages") {
    REQUIRE(b.run(store.create(user("g-cat", "Cat"))));
    auto page = b.run(store.list(0, 2));
    REQUIRE(page);
    CHECK(page->total == 3);
    REQUIRE(page->users.size() == 2);
    CHECK(page->users[0].username == "amy");
    CHECK(page->users[1].username == "Bob");
    auto rest = b.run(store.list(2, 10));
    REQUIRE(rest);
    REQUIRE(rest->users.size() == 1);
    CHECK(rest->users[0].username == "Cat");
  }
}

TEST_CASE("UserStore saves and removes users", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& store = b.users();
  REQUIRE(b.run(store.create(user("g-bob", "bob"))));
  REQUIRE(b.run(store.create(user("g-amy", "amy"))));

  SECTION("save replaces the fields, keeps created_at and bumps the version") {
    User u = *b.run(store.get("g-bob"));
    u.admin = true;
    u.active = false;
    u.password_hash = "new-hash";
    u.revocation_salt = "new-salt";
    u.created_at = kT0 + 99s;  // ignored
    auto saved = b.run(store.save(u, kT0 + 10s));
    REQUIRE(saved);
    CHECK(saved->admin);
    CHECK_FALSE(saved->active);
    CHECK(saved->password_hash == "new-hash");
    CHECK(saved->revocation_salt == "new-salt");
    CHECK(saved->created_at == kT0);
    CHECK(saved->updated_at == kT0 + 10s);
    CHECK(saved->version == 1);
    CHECK(b.run(store.get("g-bob"))->version == 1);
  }
  SECTION("save refuses a username another user has") {
    User u = *b.run(store.get("g-bob"));
    u.username = "AMY";
    auto saved = b.run(store.save(u, kT0));
    REQUIRE_FALSE(saved);
    CHECK(has_code(saved.error(), UaaErrc::UsernameTaken));
  }
  SECTION("save of an unknown user is UserNotFound") {
    auto saved = b.run(store.save(user("g-x", "x"), kT0));
    REQUIRE_FALSE(saved);
    CHECK(has_code(saved.error(), UaaErrc::UserNotFound));
  }
  SECTION("remove returns the user and forgets it") {
    auto removed = b.run(store.remove("g-bob"));
    REQUIRE(removed);
    CHECK(removed->username == "bob");
    CHECK(has_code(b.run(store.get("g-bob")).error(), UaaErrc::UserNotFound));
    CHECK(has_code(b.run(store.remove("g-bob")).error(), UaaErrc::UserNotFound));
    // The name is free again.
    CHECK(b.run(store.create(user("g-bob-2", "Bob"))));
  }
}

TEST_CASE("UserStore counts failed logins and locks accounts", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& store = b.users();
  REQUIRE(b.run(store.create(user("g-bob", "bob"))));
  LockoutPolicy policy;  // 5 within 20 minutes lock for 5 minutes

  SECTION("the fifth failure within the window locks the account") {
    for (int i = 1; i <= 4; ++i) {
      auto u = b.run(store.record_failed_login("g-bob", policy, kT0 + i * 1s));
      REQUIRE(u);
      CHECK(u->failed_logins == i);
      CHECK(u->failures_since == kT0 + 1s);
      CHECK_FALSE(is_locked(*u, kT0 + i * 1s));
    }
    auto locked = b.run(store.record_failed_login("g-bob", policy, kT0 + 5s));
    REQUIRE(locked);
    REQUIRE(locked->locked_until);
    CHECK(*locked->locked_until == kT0 + 5s + 300s);
    CHECK(is_locked(*locked, kT0 + 304s));
    CHECK_FALSE(is_locked(*locked, kT0 + 305s));
    CHECK(locked->failed_logins == 0);
  }
  SECTION("failures older than the window start a new count") {
    for (int i = 0; i < 4; ++i) REQUIRE(b.run(store.record_failed_login("g-bob", policy, kT0)));
    auto u = b.run(store.record_failed_login("g-bob", policy, kT0 + 1200s));
    REQUIRE(u);
    CHECK(u->failed_logins == 1);
    CHECK(u->failures_since == kT0 + 1200s);
    CHECK_FALSE(u->locked_until);
  }
  SECTION("a successful login clears failures and the lock") {
    for (int i = 0; i < 5; ++i) REQUIRE(b.run(store.record_failed_login("g-bob", policy, kT0)));
    REQUIRE(b.run(store.get("g-bob"))->locked_until);
    REQUIRE(b.run(store.record_successful_login("g-bob")));
    auto u = b.run(store.get("g-bob"));
    CHECK(u->failed_logins == 0);
    CHECK_FALSE(u->failures_since);
    CHECK_FALSE(u->locked_until);
  }
  SECTION("concurrent failures are each counted") {
    int done = 0;
    for (int i = 0; i < 5; ++i) {
      boost::asio::co_spawn(b.io(), store.record_failed_login("g-bob", policy, kT0),
                            [&done](std::exception_ptr, Result<User>) { ++done; });
    }
    b.io().restart();
    while (done < 5) b.io().run_one();
    auto u = b.run(store.get("g-bob"));
    REQUIRE(u);
    CHECK(is_locked(*u, kT0));
  }
  SECTION("unknown users are UserNotFound") {
    auto r = b.run(store.record_failed_login("g-x", policy, kT0));
    REQUIRE_FALSE(r);
    CHECK(has_code(r.error(), UaaErrc::UserNotFound));
    auto s = b.run(store.record_successful_login("g-x"));
    REQUIRE_FALSE(s);
    CHECK(has_code(s.error(), UaaErrc::UserNotFound));
  }
}

TEST_CASE("RevocationStore lists revoked token ids until they expire", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& store = b.revocations();

  REQUIRE(b.run(store.revoke(RevokedToken{"jti-1", "u1", "cf", kT0 + 100s})));
  REQUIRE(b.run(store.revoke(RevokedToken{"jti-2", "", "", kT0 + 10s})));
  CHECK(*b.run(store.is_revoked("jti-1")));
  CHECK_FALSE(*b.run(store.is_revoked("jti-3")));

  SECTION("list_active leaves out what has expired") {
    auto active = b.run(store.list_active(kT0 + 10s));
    REQUIRE(active);
    REQUIRE(active->size() == 1);
    CHECK((*active)[0].jti == "jti-1");
    CHECK((*active)[0].user_id == "u1");
    CHECK((*active)[0].client_id == "cf");
    CHECK((*active)[0].expires_at == kT0 + 100s);
  }
  SECTION("revoking again keeps the later expiry") {
    REQUIRE(b.run(store.revoke(RevokedToken{"jti-1", "u1", "cf", kT0 + 50s})));
    REQUIRE(b.run(store.revoke(RevokedToken{"jti-2", "", "", kT0 + 500s})));
    auto active = b.run(store.list_active(kT0 + 200s));
    REQUIRE(active);
    REQUIRE(active->size() == 1);
    CHECK((*active)[0].jti == "jti-2");
  }
  SECTION("prune deletes expired entries") {
    auto pruned = b.run(store.prune(kT0 + 10s));
    REQUIRE(pruned);
    CHECK(*pruned == 1);
    CHECK_FALSE(*b.run(store.is_revoked("jti-2")));
    CHECK(*b.run(store.is_revoked("jti-1")));
  }
}
