// What an application sees: a binding's credentials reach a real database, tables are
// shared by the instance's bindings, unbind and deprovision take access away. And what the
// platform sees when the database server is down, and across a broker restart.
#include <sys/socket.h>

#include <netinet/in.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "common/core/guid.h"
#include "service_broker/src/names.h"
#include "test/service_broker/broker_fixture.h"

using namespace cupola;
using namespace cupola::pg_broker;
using namespace cupola::pg_broker::test;
using http::StatusCode;
using http::Verb;

namespace {

std::string path(const std::string& id) { return "/v2/service_instances/" + id; }

// Provisions `id` and waits for it.
void provision(BrokerProcess& b, const std::string& id, const std::string& plan = kSmall) {
  auto res = b.call(Verb::put, path(id) + "?accepts_incomplete=true", provision_body(plan));
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::accepted);
  REQUIRE(state_of(b.poll(id, "provision")) == "succeeded");
}

json::Document make_binding(BrokerProcess& b, const std::string& id, const std::string& binding) {
  auto res = b.call(Verb::put, path(id) + "/service_bindings/" + binding, bind_body());
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::created);
  return body_of(res);
}

std::string uri_of(const json::Document& d) { return d["credentials"]["uri"].GetString(); }

// A TCP port that accepts connections and never answers: a database server that hangs.
class Blackhole {
 public:
  Blackhole() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Blackhole() { ::close(fd_); }
  std::string conninfo() const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=x dbname=postgres";
  }

 private:
  int fd_;
  unsigned short port_ = 0;
};

}  // namespace

TEST_CASE("pg broker end to end: a binding is a working database login") {
  testing::NatsServer nats;
  auto& pg = target_cluster();
  BrokerProcess b(nats, pg.conninfo(pg.fresh_database("broker")), admin_conninfo(pg), true);
  Sql super(pg.conninfo());
  RandomGuidGenerator guids;
  const std::string id = guids.next();
  const std::string db = instance_database(id);

  provision(b, id);
  CHECK(super.value("SELECT datconnlimit FROM pg_database WHERE datname = '" + db + "'") == "10");
  auto first = make_binding(b, id, "b1");
  auto second = make_binding(b, id, "b2");
  CHECK(std::string(first["credentials"]["name"].GetString()) == db);
  CHECK(std::string(first["credentials"]["jdbcUrl"].GetString()).starts_with("jdbc:postgresql://"));

  // The application connects with the uri, makes a table, writes and reads a row.
  Sql app(uri_of(first));
  INFO(app.error());
  REQUIRE(app.connected());
  app.value("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)");
  app.value("INSERT INTO notes (body) VALUES ('hello from a binding')");
  CHECK(app.value("SELECT body FROM notes") == "hello from a binding");
  // What one binding makes, the instance's other bindings use.
  Sql other_app(uri_of(second));
  REQUIRE(other_app.connected());
  other_app.value("INSERT INTO notes (body) VALUES ('and from another')");
  CHECK(app.value("SELECT count(*) FROM notes") == "2");

  SECTION("the password is checked, and another instance's binding cannot connect") {
    std::string wrong = uri_of(first);
    wrong.replace(wrong.find(first["credentials"]["password"].GetString()),
                  first["credentials"]["password"].GetStringLength(), "not-the-password");
    Sql intruder(wrong);
    CHECK(!intruder.connected());
    const std::string other_id = guids.next();
    provision(b, other_id);
    auto stranger = make_binding(b, other_id, "b1");
    std::string cross = uri_of(stranger);
    cross.replace(cross.rfind('/') + 1, std::string::npos, db);
    Sql across(cross);
    CHECK(!across.connected());
    CHECK(across.error().find("permission denied") != std::string::npos);
  }

  SECTION("a plan change changes the connection limit") {
    auto res = b.call(
        Verb::patch, path(id) + "?accepts_incomplete=true",
        R"({"service_id": ")" + std::string(kServiceId) + R"(", "plan_id": ")" + kLarge + R"("})");
    REQUIRE(res.result() == StatusCode::accepted);
    CHECK(state_of(b.poll(id, "update")) == "succeeded");
    CHECK(super.value("SELECT datconnlimit FROM pg_database WHERE datname = '" + db + "'") ==
          "100");
  }

  SECTION("unbind ends the binding's sessions and logins; the data stays; deprovision drops it") {
    const std::string user = first["credentials"]["username"].GetString();
    auto res = b.call(Verb::delete_, path(id) + "/service_bindings/b1?service_id=" +
                                         std::string(kServiceId) + "&plan_id=" + kSmall);
    REQUIRE(res.result() == StatusCode::ok);
    CHECK(!app.run("SELECT 1").ok);
    Sql again(uri_of(first));
    CHECK(!again.connected());
    CHECK(super.value("SELECT count(*) FROM pg_roles WHERE rolname = '" + user + "'") == "0");
    CHECK(other_app.value("SELECT count(*) FROM notes") == "2");

    auto gone = b.call(Verb::delete_, path(id) + "?accepts_incomplete=true&service_id=" +
                                          std::string(kServiceId) + "&plan_id=" + kSmall);
    REQUIRE(gone.result() == StatusCode::accepted);
    CHECK(state_of(b.poll(id, "deprovision")) == "succeeded");
    CHECK(super.value("SELECT count(*) FROM pg_database WHERE datname = '" + db + "'") == "0");
    CHECK(super.value("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'cupola\\_%\\_" +
                      db.substr(9) + "' OR rolname = '" + db + "'") == "0");
    CHECK(super.value("SELECT count(*) FROM pg_roles WHERE rolname = '" +
                      std::string(second["credentials"]["username"].GetString()) + "'") == "0");
    CHECK(!other_app.run("SELECT 1").ok);
  }
}

TEST_CASE("pg broker end to end: a database server that hangs, and a broker restart") {
  testing::NatsServer nats;
  auto& pg = target_cluster();
  Blackhole hung;
  const std::string state = pg.conninfo(pg.fresh_database("broker"));
  RandomGuidGenerator guids;
  const std::string id = guids.next();
  const std::string bind_path = path(id) + "/service_bindings/b1";

  SECTION("while a provision is under way other requests wait their turn; then it fails") {
    BrokerProcess b(nats, state, hung.conninfo(), true);
    auto res = b.call(Verb::put, path(id) + "?accepts_incomplete=true", provision_body());
    REQUIRE(res.result() == StatusCode::accepted);
    CHECK(b.call(Verb::put, path(id) + "?accepts_incomplete=true", provision_body()).result() ==
          StatusCode::accepted);
    CHECK(state_of(b.call(Verb::get, path(id) + "/last_operation")) == "in progress");
    auto busy = b.call(Verb::put, bind_path, bind_body());
    CHECK(busy.result() == StatusCode::unprocessable_entity);
    CHECK(std::string(body_of(busy)["error"].GetString()) == "ConcurrencyError");
    CHECK(b.call(Verb::get, path(id)).result() == StatusCode::not_found);
    CHECK(b.call(Verb::delete_, path(id) + "?accepts_incomplete=true&service_id=" +
                                    std::string(kServiceId) + "&plan_id=" + kSmall)
              .result() == StatusCode::unprocessable_entity);

    auto failed = b.poll(id, "provision");
    CHECK(state_of(failed) == "failed");
    CHECK(std::string(body_of(failed)["description"].GetString()).find("Creating the database") !=
          std::string::npos);
    CHECK(b.call(Verb::put, bind_path, bind_body()).result() == StatusCode::unprocessable_entity);
  }

  SECTION("a broker killed mid-provision resumes it when it starts again") {
    {
      BrokerProcess b(nats, state, hung.conninfo(), true);
      REQUIRE(b.call(Verb::put, path(id) + "?accepts_incomplete=true", provision_body()).result() ==
              StatusCode::accepted);
      b.runner().kill();
    }
    // The operator points it at a working server; the provision picks up where it was.
    BrokerProcess b(nats, state, admin_conninfo(pg), true);
    auto done = b.poll(id, "provision");
    CHECK(state_of(done) == "succeeded");
    CHECK(b.runner().process().output().find("pg-broker.operation.resumed") != std::string::npos);
    auto bound = make_binding(b, id, "b1");
    Sql app(uri_of(bound));
    CHECK(app.connected());
    // Stopped cleanly and started again, it still knows the binding and its credentials.
    CHECK(b.runner().stop() == 0);
    b.start();
    auto fetched = b.call(Verb::get, bind_path);
    REQUIRE(fetched.result() == StatusCode::ok);
    CHECK(uri_of(body_of(fetched)) == uri_of(bound));
  }
}
