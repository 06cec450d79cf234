#include "bbs/api/codec/action_codec.h"

#include <string>

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::bbs;

namespace {

bool mentions(const Error& e, std::string_view text) {
  return e.message.find(text) != std::string::npos;
}

// What the stager and nsync write: a staging task and an app's setup, action and monitor.
constexpr std::string_view kStaging = R"({"serial":{"actions":[
  {"emit_progress":{"action":{"download":{"artifact":"app package",
      "from":"http://cc/packages/p1","to":"/tmp/app","cache_key":"","user":"vcap"}},
    "start_message":"","success_message":"","failure_message_prefix":"Failed to download app package"}},
  {"parallel":{"actions":[
    {"try":{"action":{"download":{"artifact":"build artifacts cache","from":"http://cc/cache",
        "to":"/tmp/cache","user":"vcap"}}}},
    {"download":{"artifact":"ruby","from":"http://cc/bp/ruby.zip","to":"/tmp/buildpacks/ruby",
        "cache_key":"ruby-bp","user":"vcap","checksum_algorithm":"sha256","checksum_value":"ab12"}}
  ],"log_source":"STG"}},
  {"run":{"path":"/tmp/lifecycle/builder","args":["-buildpackOrder=ruby"],
    "env":[{"name":"VCAP_APPLICATION","value":"{}"},{"name":"EMPTY"}],"dir":"/tmp",
    "user":"vcap","resource_limits":{"nofile":1024},"log_source":"STG",
    "suppress_log_output":false}},
  {"upload":{"artifact":"droplet","from":"/tmp/droplet","to":"http://cc/droplets/d1",
    "user":"vcap"}}
]}})";

}  // namespace

TEST_CASE("action trees decode from Diego's JSON and encode back") {
  auto tree = parse_action(kStaging);
  REQUIRE(tree.ok());
  const auto& serial = std::get<SerialAction>(tree->value);
  REQUIRE(serial.actions.size() == 4);

  const auto& progress = std::get<EmitProgressAction>(serial.actions[0].value);
  CHECK(progress.failure_message_prefix == "Failed to download app package");
  const auto& package = std::get<DownloadAction>(progress.action->value);
  CHECK(package.artifact == "app package");
  CHECK(package.to == "/tmp/app");

  const auto& parallel = std::get<ParallelAction>(serial.actions[1].value);
  CHECK(parallel.log_source == "STG");
  const auto& buildpack = std::get<DownloadAction>(parallel.actions[1].value);
  CHECK(buildpack.cache_key == "ruby-bp");
  CHECK(buildpack.checksum_algorithm == "sha256");
  CHECK(action_kind(parallel.actions[0]) == "try");

  const auto& run = std::get<RunAction>(serial.actions[2].value);
  CHECK(run.args == std::vector<std::string>{"-buildpackOrder=ruby"});
  CHECK(run.env == std::vector<EnvironmentVariable>{{"VCAP_APPLICATION", "{}"}, {"EMPTY", ""}});
  CHECK(run.resource_limits.nofile == std::optional<std::uint64_t>(1024));
  CHECK(run.dir == "/tmp");
  CHECK(run.log_source == "STG");

  CHECK(std::get<UploadAction>(serial.actions[3].value).to == "http://cc/droplets/d1");

  auto text = encode_action(*tree);
  auto again = parse_action(text);
  REQUIRE(again.ok());
  CHECK(*again == *tree);
  CHECK(encode_action(*again) == text);

  SECTION("timeouts keep their milliseconds and try its nested action") {
    auto t = parse_action(
        R"({"timeout":{"action":{"try":{"action":{"run":{"path":"/bin/true","user":"root"}}}},"timeout_ms":5000,"log_source":"HEALTH"}})");
    REQUIRE(t.ok());
    const auto& timeout = std::get<TimeoutAction>(t->value);
    CHECK(timeout.timeout_ms == 5000);
    CHECK(timeout.log_source == "HEALTH");
    const auto& inner =
        std::get<RunAction>(std::get<TryAction>(timeout.action->value).action->value);
    CHECK(inner.user == "root");
    CHECK(inner.resource_limits.nofile == std::nullopt);
    auto round = decode_action(encode_action(*t));
    REQUIRE(round.ok());
    CHECK(*round == *t);
  }
}

TEST_CASE("decoding names the path of every problem") {
  SECTION("wrong types and missing fields deep in the tree") {
    auto bad = decode_action(
        R"({"serial":{"actions":[{"run":{"path":7,"user":"vcap"}},
            {"codependent":{"actions":[{"download":{"to":"/x","user":"vcap"}}]}},
            {"timeout":{"timeout_ms":"soon"}}]}})",
        "setup");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == make_error_code(Errc::InvalidArgument));
    CHECK(
        mentions(bad.error(), "setup.serial.actions[0].run.path: expected a string, got a number"));
    CHECK(mentions(bad.error(),
                   "setup.serial.actions[1].codependent.actions[0].download.from: is required"));
    CHECK(mentions(bad.error(), "setup.serial.actions[2].timeout.action: is required"));
    CHECK(
        mentions(bad.error(),
                 "setup.serial.actions[2].timeout.timeout_ms: expected an integer, got a string"));
  }
  SECTION("an action must have exactly one known kind") {
    auto two = decode_action(R"({"run":{"path":"/a"},"download":{"from":"u","to":"/t"}})");
    REQUIRE_FALSE(two.ok());
    CHECK(mentions(two.error(), "action: expected exactly one action, got 2 (run, download)"));

    auto none = decode_action(R"({"parallel":{"actions":[{}]}})");
    REQUIRE_FALSE(none.ok());
    CHECK(mentions(none.error(),
                   "action.parallel.actions[0]: expected exactly one action, got none"));

    auto unknown = decode_action(R"({"try":{"action":{"sleep":{"seconds":1}}}})");
    REQUIRE_FALSE(unknown.ok());
    CHECK(mentions(unknown.error(), "action.try.action: unknown action \"sleep\""));

    auto not_object = decode_action(R"({"serial":{"actions":["run"]}})");
    REQUIRE_FALSE(not_object.ok());
    CHECK(mentions(not_object.error(),
                   "action.serial.actions[0]: expected an action object, got a string"));

    auto list_not_array = decode_action(R"({"serial":{"actions":{"run":{}}}})");
    REQUIRE_FALSE(list_not_array.ok());
    CHECK(mentions(list_not_array.error(),
                   "action.serial.actions: expected an array, got an object"));
  }
  SECTION("malformed JSON is an error, not a tree") {
    auto broken = decode_action(R"({"run":)");
    REQUIRE_FALSE(broken.ok());
    CHECK(mentions(broken.error(), "invalid JSON"));
  }
  SECTION("read_action reports under its parent's path") {
    auto doc = json::parse(R"({"monitor":{"run":{"user":"vcap"}}})");
    REQUIRE(doc.ok());
    json::ObjectReader r(*doc, "desired_lrp");
    Action a;
    read_action(r, "monitor", a);
    CHECK(r.problems() == std::vector<std::string>{"desired_lrp.monitor.run.path: is required"});
  }
}

TEST_CASE("decoding bounds the depth and size of a tree") {
  auto nest = [](int levels) {
    std::string text = R"({"run":{"path":"/bin/true","user":"vcap"}})";
    for (int i = 1; i < levels; ++i) text = R"({"try":{"action":)" + text + "}}";
    return text;
  };
  CHECK(decode_action(nest(16)).ok());
  auto deep = decode_action(nest(17));
  REQUIRE_FALSE(deep.ok());
  CHECK(mentions(deep.error(), "actions are nested deeper than 16 levels"));

  std::string wide = R"({"parallel":{"actions":[)";
  for (int i = 0; i < 20; ++i) {
    wide += std::string(i ? "," : "") + R"({"run":{"path":"/bin/true","user":"vcap"}})";
  }
  wide += "]}}";
  CHECK(decode_action(wide, "action", ActionLimits{.max_depth = 16, .max_actions = 21}).ok());
  auto too_many = decode_action(wide, "action", ActionLimits{.max_depth = 16, .max_actions = 20});
  REQUIRE_FALSE(too_many.ok());
  CHECK(
      mentions(too_many.error(), "action.parallel.actions[19]: the tree has more than 20 actions"));
  CHECK(too_many.error().message.find("more than 20",
                                      too_many.error().message.find("more than 20") + 1) ==
        std::string::npos);
}

TEST_CASE("validation applies Diego's rules") {
  Action tree{
      SerialAction{.actions = {
                       Action{DownloadAction{.from = "http://x", .to = "/t", .user = ""}},
                       Action{RunAction{.path = "", .user = "vcap"}},
                       Action{TimeoutAction{
                           .action = Action{UploadAction{.from = "/f", .to = "", .user = "vcap"}},
                           .timeout_ms = 0}},
                       Action{ParallelAction{}},
                       Action{DownloadAction{.from = "http://x",
                                             .to = "/t",
                                             .user = "vcap",
                                             .checksum_algorithm = "crc32",
                                             .checksum_value = "00"}},
                       Action{DownloadAction{
                           .from = "http://x", .to = "/t", .user = "vcap", .checksum_value = "00"}},
                   }}};
  CHECK(validate(tree) == std::vector<std::string>{
                              "Invalid field: action.serial.actions[0].download.user",
                              "Invalid field: action.serial.actions[1].run.path",
                              "Invalid field: action.serial.actions[2].timeout.action.upload.to",
                              "Invalid field: action.serial.actions[2].timeout.timeout_ms",
                              "Invalid field: action.serial.actions[3].parallel.actions",
                              "Invalid field: action.serial.actions[4].download.checksum_algorithm",
                              "Invalid field: action.serial.actions[5].download.checksum_algorithm",
                          });

  SECTION("parse_action reports them as one error") {
    auto parsed = parse_action(R"({"run":{"path":"/bin/app"}})", "action");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message == "action has 1 problem:\n  - Invalid field: action.run.user");
  }
  SECTION("a complete tree has no problems") {
    Action ok{EmitProgressAction{.action = Action{RunAction{.path = "/bin/true", .user = "vcap"}},
                                 .start_message = "Starting"}};
    CHECK(validate(ok).empty());
    CHECK(validate(ok, "").empty());
    Action broken{TryAction{.action = Action{RunAction{.path = "/bin/true"}}}};
    CHECK(validate(broken, "") == std::vector<std::string>{"Invalid field: try.action.run.user"});
  }
}
