#include "gorouter/route/registry_message.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::router;

namespace {

bool mentions(const Error& e, std::string_view text) {
  return e.message.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("decoding router.register messages") {
  SECTION("when every field is present, each is read as gorouter reads it") {
    auto m = decode_registry_message(R"({
      "host": "10.0.16.4", "port": 61001, "tls_port": 61443,
      "uris": ["dora.apps.example.com", "dora.apps.example.com/api"],
      "app": "5e0d3a4f-1c2b-4d6e-8f90-a1b2c3d4e5f6",
      "private_instance_id": "6dc000c9-3d6a-47fa-717f-6101",
      "private_instance_index": "2",
      "tags": {"component": "route-emitter", "process_type": "web"},
      "stale_threshold_in_seconds": 60,
      "route_service_url": "https://rs.example.com",
      "server_cert_domain_san": "6dc000c9-3d6a-47fa-717f-6101",
      "isolation_segment": "is1",
      "endpoint_updated_at_ns": 1700000000123456789,
      "protocol": "http2",
      "availability_zone": "z1",
      "options": {"loadbalancing": "least-connection"},
      "some_future_field": [1, 2]
    })");
    REQUIRE(m.ok());
    CHECK(m->host == "10.0.16.4");
    CHECK(m->port == 61001);
    CHECK(m->tls_port == 61443);
    CHECK(m->uris ==
          std::vector<std::string>{"dora.apps.example.com", "dora.apps.example.com/api"});
    CHECK(m->app == "5e0d3a4f-1c2b-4d6e-8f90-a1b2c3d4e5f6");
    CHECK(m->private_instance_id == "6dc000c9-3d6a-47fa-717f-6101");
    CHECK(m->private_instance_index == "2");
    REQUIRE(m->tags.has_value());
    CHECK(m->tags->at("component") == "route-emitter");
    CHECK(m->stale_threshold_in_seconds == 60);
    CHECK(m->route_service_url == "https://rs.example.com");
    CHECK(m->server_cert_domain_san == "6dc000c9-3d6a-47fa-717f-6101");
    CHECK(m->isolation_segment == "is1");
    CHECK(m->endpoint_updated_at_ns == 1700000000123456789);
    CHECK(m->protocol == "http2");
    CHECK(m->availability_zone == "z1");
    CHECK(m->load_balancing == "least-connection");
  }
  SECTION("when only the essentials are sent, the rest keeps its defaults") {
    auto m = decode_registry_message(R"({"host":"10.0.0.1","port":8080,"uris":["a.example.com"]})");
    REQUIRE(m.ok());
    CHECK(m->tls_port == 0);
    CHECK_FALSE(m->tags.has_value());
    CHECK(m->stale_threshold_in_seconds == 0);
    CHECK(m->protocol.empty());
  }
  SECTION("when the index comes as a number, it reads as its decimal string") {
    auto m = decode_registry_message(
        R"({"host":"10.0.0.1","port":8080,"uris":["a.example.com"],"private_instance_index":3})");
    REQUIRE(m.ok());
    CHECK(m->private_instance_index == "3");
  }
  SECTION("when a message is encoded, it decodes to the same message") {
    RegistryMessage in;
    in.host = "10.0.0.9";
    in.port = 8080;
    in.tls_port = 8443;
    in.uris = {"x.example.com/p"};
    in.app = "app";
    in.private_instance_id = "iid";
    in.private_instance_index = "1";
    in.tags = std::map<std::string, std::string>{{"k", "v"}};
    in.stale_threshold_in_seconds = 30;
    in.route_service_url = "https://rs";
    in.server_cert_domain_san = "san";
    in.isolation_segment = "seg";
    in.endpoint_updated_at_ns = 42;
    in.protocol = "http1";
    in.availability_zone = "z2";
    in.load_balancing = "round-robin";
    auto out = decode_registry_message(encode_registry_message(in));
    REQUIRE(out.ok());
    CHECK(out->host == in.host);
    CHECK(out->port == in.port);
    CHECK(out->tls_port == in.tls_port);
    CHECK(out->uris == in.uris);
    CHECK(out->app == in.app);
    CHECK(out->private_instance_id == in.private_instance_id);
    CHECK(out->private_instance_index == in.private_instance_index);
    CHECK(out->tags == in.tags);
    CHECK(out->stale_threshold_in_seconds == in.stale_threshold_in_seconds);
    CHECK(out->route_service_url == in.route_service_url);
    CHECK(out->server_cert_domain_san == in.server_cert_domain_san);
    CHECK(out->isolation_segment == in.isolation_segment);
    CHECK(out->endpoint_updated_at_ns == in.endpoint_updated_at_ns);
    CHECK(out->protocol == in.protocol);
    CHECK(out->availability_zone == in.availability_zone);
    CHECK(out->load_balancing == in.load_balancing);
  }
}

TEST_CASE("refusing malformed router.register messages") {
  auto refused = [](std::string_view json) {
    auto m = decode_registry_message(json);
    REQUIRE_FALSE(m.ok());
    return m.error();
  };

  SECTION("when the host is missing, the error names it") {
    auto e = refused(R"({"port":8080,"uris":["a.example.com"]})");
    CHECK(e.code == Errc::InvalidArgument);
    CHECK(mentions(e, "host: is required"));
  }
  SECTION("when neither port nor tls_port is set, the error names port") {
    CHECK(
        mentions(refused(R"({"host":"10.0.0.1","uris":["a.example.com"]})"), "port: is required"));
    CHECK(mentions(refused(R"({"host":"10.0.0.1","port":0,"uris":["a.example.com"]})"),
                   "port: is required"));
  }
  SECTION("when only tls_port is set, the message is accepted") {
    CHECK(decode_registry_message(R"({"host":"10.0.0.1","tls_port":8443,"uris":["a.b"]})").ok());
  }
  SECTION("when the port is out of range or the wrong type, the error says so") {
    CHECK(mentions(refused(R"({"host":"h","port":70000,"uris":["a.b"]})"), "70000 is not a port"));
    CHECK(mentions(refused(R"({"host":"h","port":"80","uris":["a.b"]})"),
                   "port: expected a non-negative integer, got a string"));
  }
  SECTION("when uris is missing or empty, the error names uris") {
    CHECK(mentions(refused(R"({"host":"h","port":1})"), "uris: is required"));
    CHECK(mentions(refused(R"({"host":"h","port":1,"uris":[]})"), "uris: must name at least one"));
  }
  SECTION("when a uri is malformed, the error points at it") {
    auto e = refused(R"({"host":"h","port":1,"uris":["ok.example.com","bad host.com"]})");
    CHECK(mentions(e, "uris[1]"));
    CHECK(mentions(refused(R"({"host":"h","port":1,"uris":["a.com:8080"]})"), "no port"));
    CHECK(mentions(refused(R"({"host":"h","port":1,"uris":["a.*.com"]})"), "wildcard"));
    CHECK(mentions(refused(R"({"host":"h","port":1,"uris":["a.com/x%zz"]})"), "two hex digits"));
  }
  SECTION("when several things are wrong, every problem is listed") {
    auto e = refused(R"({"port":1,"uris":[],"route_service_url":"http://rs","protocol":"spdy"})");
    CHECK(mentions(e, "4 problems"));
    CHECK(mentions(e, "host: is required"));
    CHECK(mentions(e, "route_service_url: must be an https URL"));
    CHECK(mentions(e, "protocol: \"spdy\""));
  }
  SECTION("when the stale threshold is negative, it is refused") {
    CHECK(
        mentions(refused(R"({"host":"h","port":1,"uris":["a.b"],"stale_threshold_in_seconds":-5})"),
                 "stale_threshold_in_seconds: is negative"));
  }
  SECTION("when tags are not strings, the tag is named") {
    CHECK(mentions(refused(R"({"host":"h","port":1,"uris":["a.b"],"tags":{"n":1}})"), "tags.n"));
  }
  SECTION("when limits are exceeded, the message is refused") {
    MessageLimits limits;
    limits.max_uris = 2;
    limits.max_tags = 1;
    auto m = decode_registry_message(
        R"({"host":"h","port":1,"uris":["a.b","c.d","e.f"],"tags":{"a":"1","b":"2"}})", limits);
    REQUIRE_FALSE(m.ok());
    CHECK(mentions(m.error(), "uris: has 3 routes, more than 2"));
    CHECK(mentions(m.error(), "tags: has 2 entries, more than 1"));

    std::string big =
        R"({"host":"h","port":1,"uris":["a.b"],"app":")" + std::string(2000, 'x') + R"("})";
    CHECK(mentions(refused(big), "app: is longer than 1024 bytes"));

    limits = {};
    limits.max_bytes = 64;
    auto large = decode_registry_message(big, limits);
    REQUIRE_FALSE(large.ok());
    CHECK(large.error().code == Errc::LimitExceeded);
  }
  SECTION("when raised limits would let an endpoint outgrow its storage, it is refused") {
    MessageLimits generous;
    generous.max_tag_value_bytes = 1 << 20;
    generous.max_tags_bytes = 1 << 20;
    std::string json = R"({"host":"h","port":1,"uris":["a.b"],"tags":{"a":")" +
                       std::string(40000, 'x') + R"(","b":")" + std::string(40000, 'y') + R"("}})";
    auto m = decode_registry_message(json, generous);
    REQUIRE_FALSE(m.ok());
    CHECK(mentions(m.error(), "more than 61440"));
  }
  SECTION("when the document is not JSON or not an object, it is refused") {
    CHECK(refused("{").code == Errc::InvalidArgument);
    CHECK(mentions(refused("[1]"), "expected an object"));
  }
}

TEST_CASE("router.start and router.greet replies") {
  SECTION("when encoded, the field names are gorouter's") {
    RouterStart s{.id = "0-abc",
                  .hosts = {"10.0.0.5"},
                  .minimum_register_interval_in_seconds = 20,
                  .prune_threshold_in_seconds = 120};
    CHECK(
        encode_router_start(s) ==
        R"({"id":"0-abc","hosts":["10.0.0.5"],"minimumRegisterIntervalInSeconds":20,"pruneThresholdInSeconds":120})");
  }
  SECTION("when decoded, absent fields keep their defaults") {
    auto s = decode_router_start(R"({"id":"x","minimumRegisterIntervalInSeconds":5})");
    REQUIRE(s.ok());
    CHECK(s->id == "x");
    CHECK(s->minimum_register_interval_in_seconds == 5);
    CHECK(s->prune_threshold_in_seconds == 120);
  }
  SECTION("when an interval is negative or mistyped, it is refused") {
    CHECK_FALSE(decode_router_start(R"({"pruneThresholdInSeconds":-1})").ok());
    CHECK_FALSE(decode_router_start(R"({"hosts":"10.0.0.1"})").ok());
  }
}
