#include "diego/rep/src/instance_env.h"

#include <catch2/catch.hpp>
#include <map>

using namespace cupola;
using namespace cupola::rep;

TEST_CASE("an instance gets Cloud Foundry's instance variables, which win over desired ones") {
  auto env = instance_env({{"PORT", "8080"}, {"VCAP_APPLICATION", "{}"}, {"USER_VAR", "x"}},
                          {2, "guid-1", "10.0.0.5", {{8080, 61005}, {9000, 61006}}});
  std::map<std::string, std::string> m(env.begin(), env.end());
  CHECK(m.size() == env.size());
  CHECK(env.front() == garden::EnvVar{"PORT", "61005"});  // keeps its place, takes the value
  CHECK(m["VCAP_APPLICATION"] == "{}");
  CHECK(m["USER_VAR"] == "x");
  CHECK(m["CF_INSTANCE_INDEX"] == "2");
  CHECK(m["CF_INSTANCE_GUID"] == "guid-1");
  CHECK(m["CF_INSTANCE_IP"] == "10.0.0.5");
  CHECK(m["CF_INSTANCE_INTERNAL_IP"] == "10.0.0.5");
  CHECK(m["CF_INSTANCE_PORT"] == "61005");
  CHECK(m["CF_INSTANCE_ADDR"] == "10.0.0.5:61005");
  CHECK(m["VCAP_APP_HOST"] == "0.0.0.0");
  CHECK(m["VCAP_APP_PORT"] == "61005");
  CHECK(m["CF_INSTANCE_PORTS"] ==
        R"([{"external":61005,"internal":61005},{"external":61006,"internal":61006}])");
}

TEST_CASE("an instance without ports has an empty address and port list") {
  auto env = instance_env({}, {0, "g", "127.0.0.1", {}});
  std::map<std::string, std::string> m(env.begin(), env.end());
  CHECK(m["CF_INSTANCE_PORTS"] == "[]");
  CHECK(m["CF_INSTANCE_ADDR"].empty());
  CHECK_FALSE(m.contains("PORT"));
}
