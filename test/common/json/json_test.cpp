#include "common/json/json.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace std::chrono_literals;

TEST_CASE("json::parse enforces limits and reports errors") {
  SECTION("valid documents parse") {
    auto d = json::parse(R"({"a": [1, 2, {"b": "c"}]})");
    REQUIRE(d.ok());
    CHECK((*d)["a"].Size() == 3);
  }
  SECTION("syntax errors name the offset") {
    auto d = json::parse(R"({"a": 1 "b": 2})");
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().code == Errc::InvalidArgument);
    CHECK(d.error().message.find("offset 8") != std::string::npos);
  }
  SECTION("trailing garbage is rejected") { CHECK_FALSE(json::parse("{} {}").ok()); }
  SECTION("oversize documents are rejected") {
    auto d = json::parse(std::string(100, ' ') + "{}", {.max_bytes = 50});
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().code == Errc::LimitExceeded);
  }
  SECTION("deep nesting is rejected") {
    std::string deep(100, '[');
    deep += std::string(100, ']');
    auto d = json::parse(deep, {.max_depth = 64});
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().code == Errc::LimitExceeded);
    CHECK(json::parse(deep, {.max_depth = 100}).ok());
  }
  SECTION("brackets inside strings do not count as nesting") {
    CHECK(json::parse(R"({"s": "[[[[[[[[[[[[\"[[[["})", {.max_depth = 2}).ok());
  }
}

TEST_CASE("ObjectReader reads typed fields and names every problem") {
  auto doc = json::parse(R"({
    "name": "web", "instances": 3, "healthy": true, "ratio": 0.5,
    "timeout": "30s", "ports": [8080, 9090], "env": {"A": "1"},
    "nested": {"port": "eighty"}, "bad_duration": "30", "neg": -1
  })");
  REQUIRE(doc.ok());

  SECTION("when every field is well-typed") {
    json::ObjectReader r(*doc);
    std::string name;
    int instances = 0;
    bool healthy = false;
    double ratio = 0;
    std::chrono::milliseconds timeout{};
    std::vector<int> ports;
    std::map<std::string, std::string> env;
    std::optional<std::string> missing;
    int dflt = 42;
    r.required("name", name);
    r.required("instances", instances);
    r.required("healthy", healthy);
    r.required("ratio", ratio);
    r.required("timeout", timeout);
    r.required("ports", ports);
    r.required("env", env);
    r.optional("missing", missing);
    r.optional("also_missing", dflt);
    CHECK(r.ok());
    CHECK(name == "web");
    CHECK(instances == 3);
    CHECK(healthy);
    CHECK(ratio == 0.5);
    CHECK(timeout == 30s);
    CHECK(ports == std::vector<int>{8080, 9090});
    CHECK(env.at("A") == "1");
    CHECK_FALSE(missing.has_value());
    CHECK(dflt == 42);
  }

  SECTION("when fields are missing or mistyped") {
    json::ObjectReader r(*doc);
    int name = 0;
    std::string absent;
    std::chrono::seconds d{};
    unsigned neg = 0;
    r.required("name", name);
    r.required("absent", absent);
    r.optional("bad_duration", d);
    r.optional("neg", neg);
    auto nested = r.object("nested");
    int port = 0;
    nested.required("port", port);
    auto& p = r.problems();
    REQUIRE(p.size() == 5);
    CHECK(p[0] == "name: expected an integer, got a string");
    CHECK(p[1] == "absent: is required");
    CHECK(p[2].find("bad_duration: invalid duration \"30\": missing unit") == 0);
    CHECK(p[3] == "neg: expected a non-negative integer, got a number");
    CHECK(p[4] == "nested.port: expected an integer, got a string");
    auto s = r.status("request body");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message.find("request body has 5 problems:") == 0);
  }

  SECTION("array elements are named by index") {
    auto d2 = json::parse(R"({"ports": [1, "two", 3]})");
    json::ObjectReader r(*d2);
    std::vector<int> ports;
    r.required("ports", ports);
    REQUIRE(r.problems().size() == 1);
    CHECK(r.problems()[0] == "ports[1]: expected an integer, got a string");
  }

  SECTION("a non-object document is a problem") {
    auto d3 = json::parse("[1]");
    json::ObjectReader r(*d3);
    CHECK(r.problems() == std::vector<std::string>{"document: expected an object, got an array"});
  }
}

TEST_CASE("Writer produces compact JSON") {
  json::Writer w;
  w.start_object()
      .field("s", "a\"b")
      .field("i", -3)
      .field("u", 7u)
      .field("b", true)
      .field("n", nullptr)
      .key("arr")
      .start_array()
      .value(1)
      .value("x")
      .end_array()
      .key("raw")
      .raw(R"({"k":1})")
      .end_object();
  CHECK(w.complete());
  CHECK(w.str() == R"({"s":"a\"b","i":-3,"u":7,"b":true,"n":null,"arr":[1,"x"],"raw":{"k":1}})");
  auto back = json::parse(w.view());
  REQUIRE(back.ok());
  CHECK(json::to_string(*back) == w.str());
}
