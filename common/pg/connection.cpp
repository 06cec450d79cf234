#include "common/pg/connection.h"

#include <libpq-fe.h>

#include <cassert>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/pg/conninfo.h"
#include "common/pg/error.h"

namespace cupola::pg {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using WaitType = asio::posix::stream_descriptor::wait_type;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Server messages are otherwise printed on stderr by libpq, where they would break the
// one-JSON-object-per-line log contract.
void ignore_notice(void*, const char*) {}

Error error_from_result(const PGresult* res, bool connection_bad) {
  const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  std::string message = "postgres: " + trimmed(primary ? primary : PQresultErrorMessage(res));
  if (const char* constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME)) {
    message += std::string(" (constraint ") + constraint + ")";
  }
  std::error_code code = state ? sqlstate_code(state) : std::error_code();
  if (!code) code = connection_bad ? Errc::Unavailable : Errc::Internal;
  return make_error(code, std::move(message));
}

}  // namespace

Connection::Connection(asio::any_io_executor ex, pg_conn* conn)
    : conn_(conn), socket_(std::move(ex)) {
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
}

Connection::~Connection() {
  // libpq owns the descriptor and closes it in PQfinish.
  if (socket_.is_open()) socket_.release();
  PQfinish(conn_);
}

asio::awaitable<Result<std::unique_ptr<Connection>>> Connection::connect(asio::any_io_executor ex,
                                                                         std::string conninfo,
                                                                         Deadline deadline) {
  std::string target = safe_conninfo(conninfo);
  PGconn* raw = PQconnectStart(conninfo.c_str());
  if (!raw) co_return make_error(Errc::Internal, "postgres: out of memory");
  std::unique_ptr<Connection> c(new Connection(ex, raw));
  if (PQstatus(raw) == CONNECTION_BAD) {
    co_return make_error(Errc::Unavailable, "cannot connect to postgres (" + target +
                                                "): " + trimmed(PQerrorMessage(raw)));
  }
  auto poll = PGRES_POLLING_WRITING;
  while (poll != PGRES_POLLING_OK) {
    if (poll == PGRES_POLLING_FAILED) {
      co_return make_error(Errc::Unavailable, "cannot connect to postgres (" + target +
                                                  "): " + trimmed(PQerrorMessage(raw)));
    }
    // libpq may open a new socket between steps (another address, SSL fallback).
    c->assign_socket();
    auto ec = co_await c->wait(
        poll == PGRES_POLLING_READING ? WaitType::wait_read : WaitType::wait_write, deadline);
    if (ec == asio::error::timed_out) {
      co_return make_error(Errc::Timeout, "connecting to postgres (" + target + ") timed out");
    }
    if (ec) {
      co_return make_error(Errc::Unavailable,
                           "cannot connect to postgres (" + target + "): " + ec.message());
    }
    poll = PQconnectPoll(raw);
  }
  if (PQsetnonblocking(raw, 1) != 0) {
    co_return make_error(Errc::Internal, "postgres: cannot switch to non-blocking mode");
  }
  c->assign_socket();
  co_return c;
}

void Connection::assign_socket() {
  if (socket_.is_open()) socket_.release();
  int fd = PQsocket(conn_);
  if (fd >= 0) socket_.assign(fd);
}

asio::awaitable<boost::system::error_code> Connection::wait(WaitType type, Deadline deadline) {
  if (!socket_.is_open()) co_return asio::error::bad_descriptor;
  if (deadline == Deadline::max()) {
    auto [ec] = co_await socket_.async_wait(type, kTuple);
    co_return ec;
  }
  asio::steady_timer timer(socket_.get_executor(), deadline);
  auto r = co_await (socket_.async_wait(type, kTuple) || timer.async_wait(kTuple));
  if (r.index() == 1) co_return asio::error::timed_out;
  co_return std::get<0>(std::get<0>(r));
}

Error Connection::lost(std::string_view what) {
  broken_ = true;
  return make_error(Errc::Unavailable, "postgres connection lost " + std::string(what) + ": " +
                                           trimmed(PQerrorMessage(conn_)));
}

asio::awaitable<Result<Rows>> Connection::query_params(std::string sql, Params params) {
  if (broken_) co_return make_error(Errc::Unavailable, "postgres connection is broken");
  assert(!busy_ && "one statement at a time per connection");
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  if (!PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                         values.data(), nullptr, nullptr, 0)) {
    co_return lost("sending a query");
  }
  co_return co_await collect();
}

asio::awaitable<Status> Connection::execute_script(std::string sql) {
  if (broken_) co_return make_error(Errc::Unavailable, "postgres connection is broken");
  assert(!busy_ && "one statement at a time per connection");
  if (!PQsendQuery(conn_, sql.c_str())) co_return lost("sending a script");
  auto r = co_await collect();
  if (!r) co_return std::move(r).error();
  co_return Status{};
}

asio::awaitable<Result<Rows>> Connection::collect() {
  busy_ = true;
  // Leaving mid-protocol (an error, or cancellation) leaves broken_ set.
  broken_ = true;
  int flushed;
  while ((flushed = PQflush(conn_)) == 1) {
    if (auto ec = co_await wait(WaitType::wait_write, Deadline::max())) {
      co_return make_error(Errc::Unavailable, "postgres: waiting to send: " + ec.message());
    }
    if (!PQconsumeInput(conn_)) co_return lost("while sending");
  }
  if (flushed < 0) co_return lost("while sending");
  std::optional<Rows> last;
  std::optional<Error> first_error;
  while (true) {
    while (!PQisBusy(conn_)) {
      PGresult* res = PQgetResult(conn_);
      if (!res) {
        busy_ = false;
        broken_ = PQstatus(conn_) != CONNECTION_OK;
        drain_notifications();
        if (first_error) co_return std::move(*first_error);
        if (!last) co_return make_error(Errc::Internal, "postgres: statement returned no result");
        co_return std::move(*last);
      }
      switch (PQresultStatus(res)) {
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
        case PGRES_EMPTY_QUERY:
          last.emplace(res);
          break;
        case PGRES_COPY_IN:
        case PGRES_COPY_OUT:
        case PGRES_COPY_BOTH:
          PQclear(res);
          co_return make_error(Errc::InvalidArgument, "postgres: COPY is not supported");
        default:
          if (!first_error) first_error = error_from_result(res, PQstatus(conn_) == CONNECTION_BAD);
          PQclear(res);
      }
    }
    if (auto ec = co_await wait(WaitType::wait_read, Deadline::max())) {
      co_return make_error(
          ec == asio::error::operation_aborted ? Errc::Cancelled : Errc::Unavailable,
          "postgres: waiting for a result: " + ec.message());
    }
    if (!PQconsumeInput(conn_)) co_return lost("while waiting for a result");
  }
}

asio::awaitable<Status> Connection::wait_for_input() {
  if (broken_) co_return make_error(Errc::Unavailable, "postgres connection is broken");
  if (!PQconsumeInput(conn_)) co_return lost("while idle");
  drain_notifications();
  if (!notifications_.empty()) co_return Status{};
  auto ec = co_await wait(WaitType::wait_read, Deadline::max());
  if (ec == asio::error::operation_aborted) {
    co_return make_error(Errc::Cancelled, "postgres: wait cancelled");
  }
  if (ec) co_return lost("while idle");
  if (!PQconsumeInput(conn_)) co_return lost("while idle");
  drain_notifications();
  co_return Status{};
}

void Connection::drain_notifications() {
  while (PGnotify* n = PQnotifies(conn_)) {
    notifications_.push_back(Notification{n->relname, n->extra ? n->extra : "", n->be_pid});
    PQfreemem(n);
  }
}

std::vector<Notification> Connection::take_notifications() {
  std::vector<Notification> out(notifications_.begin(), notifications_.end());
  notifications_.clear();
  return out;
}

bool Connection::check_alive() {
  if (broken_) return false;
  // A server that shut down leaves a termination message and then end-of-file; the
  // second read is the one that sees the end.
  for (int i = 0; i < 2; ++i) {
    if (!PQconsumeInput(conn_) || PQstatus(conn_) != CONNECTION_OK) {
      broken_ = true;
      return false;
    }
  }
  drain_notifications();
  return true;
}

bool Connection::in_transaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

int Connection::backend_pid() const { return PQbackendPID(conn_); }

}  // namespace cupola::pg
