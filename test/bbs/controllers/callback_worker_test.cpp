#include "bbs/src/callbacks/callback_worker.h"

#include <catch2/catch.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/json/json.h"
#include "test/bbs/controllers/harness.h"

using namespace cupola;
using namespace cupola::bbs;
using cupola::bbs::test::Harness;
namespace asio = boost::asio;

namespace {

// Answers each POST with the next status of a script; an empty script never answers.
class ScriptedPoster final : public CallbackPoster {
 public:
  explicit ScriptedPoster(asio::io_context& io, std::vector<unsigned> statuses)
      : statuses_(std::move(statuses)), hang_(io, asio::steady_timer::time_point::max()) {}

  asio::awaitable<Result<unsigned>> post_json(std::string url, std::string body) override {
    posts.emplace_back(std::move(url), std::move(body));
    if (posts.size() > statuses_.size()) {
      co_await hang_.async_wait(asio::use_awaitable);  // throws once cancelled
    }
    co_return statuses_[posts.size() - 1];
  }

  std::vector<std::pair<std::string, std::string>> posts;

 private:
  std::vector<unsigned> statuses_;
  asio::steady_timer hang_;
};

Task completed_task(Harness& h) {
  Task t;
  t.task_guid = "stage-1";
  t.domain = "cf-tasks";
  t.definition.root_fs = "preloaded:cupolafs";
  t.definition.action = R"({"run":{"path":"/bin/true"}})";
  t.definition.completion_callback_url = "http://127.0.0.1:9022/staged";
  t.definition.annotation = "build-1";
  REQUIRE(h.run(h.task_ctl.desire(t)).ok());
  REQUIRE(*h.run(h.task_ctl.start("stage-1", "cell-1")));
  REQUIRE(h.run(h.task_ctl.complete("stage-1", {"cell-1", false, "", "droplet-1"})).ok());
  return h.tasks.tasks().at(0);
}

}  // namespace

TEST_CASE("completion callbacks are delivered once and then the task is gone") {
  Harness h;
  auto task = completed_task(h);

  SECTION("the receiver answers: the body carries the result, the task is deleted") {
    ScriptedPoster poster(h.io, {200});
    CallbackWorker worker(h.io.get_executor(), h.task_ctl, poster, h.log);
    worker.task_completed(task);
    h.io.restart();
    h.io.run();
    REQUIRE(poster.posts.size() == 1);
    CHECK(poster.posts[0].first == "http://127.0.0.1:9022/staged");
    auto body = json::parse(poster.posts[0].second);
    REQUIRE(body.ok());
    CHECK(std::string((*body)["task_guid"].GetString()) == "stage-1");
    CHECK(std::string((*body)["result"].GetString()) == "droplet-1");
    CHECK(std::string((*body)["annotation"].GetString()) == "build-1");
    CHECK(h.tasks.tasks().empty());
    CHECK(worker.delivered() == 1);
  }
  SECTION("503 and 504 are retried, up to three attempts") {
    ScriptedPoster poster(h.io, {503, 504, 204});
    CallbackWorker worker(h.io.get_executor(), h.task_ctl, poster, h.log);
    worker.task_completed(task);
    h.io.restart();
    h.io.run();
    CHECK(poster.posts.size() == 3);
    CHECK(h.tasks.tasks().empty());
  }
  SECTION("after three unavailable answers the task stays RESOLVING for convergence") {
    ScriptedPoster poster(h.io, {503, 503, 503});
    CallbackWorker worker(h.io.get_executor(), h.task_ctl, poster, h.log);
    worker.task_completed(task);
    h.io.restart();
    h.io.run();
    CHECK(poster.posts.size() == 3);
    REQUIRE(h.tasks.tasks().size() == 1);
    CHECK(h.tasks.tasks()[0].state == TaskState::Resolving);
  }
  SECTION("a task someone else already claimed is not called back again") {
    REQUIRE(h.run(h.task_ctl.resolving("stage-1")).ok());
    ScriptedPoster poster(h.io, {200});
    CallbackWorker worker(h.io.get_executor(), h.task_ctl, poster, h.log);
    worker.task_completed(task);
    h.io.restart();
    h.io.run();
    CHECK(poster.posts.empty());
  }
  SECTION("stopping cancels a callback that hangs") {
    ScriptedPoster poster(h.io, {});
    CallbackWorker worker(h.io.get_executor(), h.task_ctl, poster, h.log);
    worker.task_completed(task);
    auto ran = asio::co_spawn(h.io, worker.run(), asio::use_future);
    asio::post(h.io, [&] { worker.stop(); });
    h.io.restart();
    h.io.run();
    ran.get();
    CHECK(poster.posts.size() == 1);
    CHECK(worker.in_flight() == 0);
    CHECK(h.tasks.tasks().at(0).state == TaskState::Resolving);
  }
}
