#include <catch2/catch.hpp>

#include "cloud_controller/src/uaa/errors.h"
#include "cloud_controller/src/uaa/form.h"
#include "cloud_controller/src/uaa/scim.h"

using namespace cupola;
using namespace cupola::cc::uaa;

TEST_CASE("Form bodies decode as browsers and the cf CLI encode them", "[form]") {
  auto form = parse_form("grant_type=password&username=a%40b.c&password=p+w%26%3D&empty=&flag");
  REQUIRE(form);
  CHECK(form->at("grant_type") == "password");
  CHECK(form->at("username") == "a@b.c");
  CHECK(form->at("password") == "p w&=");
  CHECK(form->at("empty").empty());
  CHECK(form->at("flag").empty());
  CHECK(parse_form("a=1&a=2")->at("a") == "1");
  CHECK(parse_form("")->empty());
  CHECK(parse_form("&&a=1&")->size() == 1);
  CHECK_FALSE(parse_form("a=%zz"));
  CHECK_FALSE(parse_form("a=%4"));
}

TEST_CASE("HTTP Basic client credentials", "[form]") {
  auto cf = parse_basic_auth("Basic Y2Y6");  // "cf:"
  REQUIRE(cf);
  CHECK(cf->id == "cf");
  CHECK(cf->secret.empty());
  auto escaped = parse_basic_auth("basic bXklM0FpZDpzJTI1Yw==");  // "my%3Aid:s%25c"
  REQUIRE(escaped);
  CHECK(escaped->id == "my:id");
  CHECK(escaped->secret == "s%c");
  CHECK_FALSE(parse_basic_auth("Bearer Y2Y6"));
  CHECK_FALSE(parse_basic_auth("Basic !!"));
  CHECK_FALSE(parse_basic_auth("Basic bm9jb2xvbg=="));  // "nocolon"
}

TEST_CASE("The cf CLI's login_hint", "[form]") {
  CHECK(login_hint_origin(R"({"origin":"ldap"})") == "ldap");
  CHECK_FALSE(login_hint_origin(""));
  CHECK_FALSE(login_hint_origin("ldap"));
  CHECK_FALSE(login_hint_origin(R"({"origin":1})"));
}

TEST_CASE("SCIM filters on userName, origin and id", "[scim]") {
  auto f = parse_user_filter(R"(userName eq "bob" and origin eq "uaa")");
  REQUIRE(f);
  CHECK(f->username == "bob");
  CHECK(f->origin == "uaa");
  CHECK_FALSE(f->id);
  auto g = parse_user_filter(R"(  ID EQ "x\"y"  )");
  REQUIRE(g);
  CHECK(g->id == "x\"y");
  for (const char* bad :
       {"", R"(userName co "b")", R"(userName eq bob)", R"(email eq "x")",
        R"(userName eq "b" or origin eq "uaa")", R"(userName eq "b)", R"(userName eq "b" and)"}) {
    INFO(bad);
    auto r = parse_user_filter(bad);
    REQUIRE_FALSE(r);
    CHECK(has_code(r.error(), UaaErrc::InvalidFilter));
  }
  CHECK(parse_user_filter("nonsense").error().message == "Invalid filter expression: [nonsense]");
}

TEST_CASE("SCIM user JSON never holds the password", "[scim]") {
  User u;
  u.guid = "g1";
  u.username = "bob";
  u.password_hash = "pbkdf2-sha256$1$AAAA$BBBB";
  u.email = "bob@example.com";
  u.revocation_salt = "salty";
  auto json = scim_user_json(u);
  CHECK(json.find("pbkdf2") == std::string::npos);
  CHECK(json.find("salty") == std::string::npos);
  CHECK(json.find(R"("userName":"bob")") != std::string::npos);
  CHECK(json.find(R"("groups":[{"value":"openid","display":"openid","type":"DIRECT"})") !=
        std::string::npos);
}
