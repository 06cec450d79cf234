#include "gorouter/proxy/proxy_session.h"

#include <algorithm>

#include "gorouter/proxy/session.h"
#include "gorouter/route/endpoint_iterator.h"
#include "gorouter/rules/instance_target.h"
#include "gorouter/rules/proxy_headers.h"
#include "gorouter/rules/request_rules.h"
#include "gorouter/rules/sticky_session.h"

namespace cupola::router {
namespace detail {

template <class ClientStream>
asio::awaitable<void> Session<ClientStream>::run() {
  boost::system::error_code ec;
  auto remote = lowest().remote_endpoint(ec);
  client_ip = ec ? "" : remote.address().to_string();
  client_addr = ec ? ""
                   : (remote.address().is_v6() ? "[" + client_ip + "]" : client_ip) + ":" +
                         std::to_string(remote.port());
  lowest().set_option(tcp::no_delay(true), ec);
  http::Limits limits;
  limits.max_head_bytes = ctx.options.max_header_bytes;
  http::RequestParser parser(limits);
  bool first = true;
  for (;;) {
    parser.reset();
    http::HeadResult hr;
    // A kept-alive connection waits up to the idle timeout for the next request; a head that
    // does not come whole in one read must then finish within the head timeout.
    if (first) {
      dog->set(Phase::ClientHead, ctx.options.request_head_timeout);
    } else {
      dog->set(Phase::ClientIdle, ctx.options.client_idle_timeout);
    }
    bool waited = false;
    for (;;) {
      hr = parser.feed(in);
      if (hr.state != http::HeadState::NeedMore) break;
      if (waited && !first && !in.empty()) {
        dog->set(Phase::ClientHead, ctx.options.request_head_timeout);
      }
      if (co_await read_more(client, in) == 0) co_return;
      waited = true;
    }
    first = false;
    if (hr.state == http::HeadState::Error) {
      ++ctx.stats.bad_requests;
      co_await answer(parse_error(hr.error.status, hr.error.reason), false);
      co_return;
    }
    ++ctx.stats.requests;
    record = rules::AccessLogRecord{};
    record.received_at = SystemClock{}.now();
    record.remote_addr = client_addr;
    bool keep = co_await proxy(parser.head(), hr.consumed);
    if (ctx.access_log || ctx.app_log) {
      record.finished_at = SystemClock{}.now();
      if (ctx.access_log) ctx.access_log(rules::format_access_log(record, access_log_options()));
      if (ctx.app_log && record.endpoint && !record.endpoint->app_id.empty()) {
        ctx.app_log(record.endpoint->app_id, record.endpoint->instance_index,
                    rules::format_access_log(record, access_log_options(), true));
      }
    }
    if (!keep || ctx.draining.load(std::memory_order_relaxed)) co_return;
  }
}

template <class ClientStream>
asio::awaitable<bool> Session<ClientStream>::proxy(const http::RequestHead& head,
                                                   std::size_t head_size) {
  auto start = std::chrono::system_clock::now();
  auto start_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count();
  bool client_keep = http::keep_alive(head) && !ctx.draining.load(std::memory_order_relaxed);
  bool has_body = head.body.kind != http::BodyKind::None;
  // A refusal leaves a request body unread: the connection closes after answering.
  bool head_consumed = false;  // `in` no longer holds the head (a backend took the request)
  auto refuse = [&](rules::ErrorResponse e) {
    if (!head_consumed) in.erase(0, head_size);
    head_consumed = true;
    return answer(std::move(e), client_keep && !has_body);
  };
  auto host_header = head.headers.value("host");
  if (!host_header || host_header->empty()) co_return co_await refuse(rules::empty_host());
  std::string host = host_only(*host_header);
  std::string target(head.target);
  std::string method(head.method);
  bool websocket = http::is_websocket_upgrade(head);
  bool expect_continue = http::expects_continue(head);

  rules::ClientRequest client_request;
  client_request.headers.reserve(head.headers.size());
  for (const auto& f : head.headers) {
    client_request.headers.push_back({std::string(f.name), std::string(f.value)});
  }
  if (ctx.access_log || ctx.app_log) {
    record.host = std::string(*host_header);
    record.method = method;
    record.request_uri = target;
    record.protocol = head.version == http::Version::Http11 ? "HTTP/1.1" : "HTTP/1.0";
    record.headers = client_request.headers;
  }
  client_request.remote_addr = client_addr;
  client_request.tls = tls;
  client_request.start_ms = start_ms;

  // The snapshot stays alive for the request: the pool and its endpoints are its parts.
  std::shared_ptr<const RouteTable> table = routes.shared();
  auto route = table->lookup(*host_header, target);
  if (!route) co_return co_await refuse(rules::unknown_route(host));
  if (route->empty()) co_return co_await refuse(rules::no_endpoints(host));

  SelectOptions select;
  static const rules::StickySessionOptions sticky_options;  // gorouter's defaults
  auto instance = rules::instance_target(client_request.headers);
  if (!instance) co_return co_await refuse(rules::invalid_app_instance_header());
  if (*instance) {
    const auto& t = **instance;
    auto ep = route->find_app_instance(t.guid, t.index);
    if (!ep) co_return co_await refuse(rules::unknown_app_instance(host, t.guid, t.index));
    select.sticky_instance_id = std::string(ep->private_instance_id());
    select.must_be_sticky = true;
  } else if (auto sticky = rules::sticky_target(client_request.headers, sticky_options)) {
    select.sticky_instance_id = sticky->endpoint_id;
    select.must_be_sticky = sticky->must_be_sticky;
  }
  EndpointIterator endpoints(*route, select);

  rules::FreshIds ids{loop.next_guid(), loop.next_span_id()};
  static const rules::RequestRuleOptions request_options;
  auto prepared = rules::prepare_request(client_request, ids, request_options);
  if (ctx.access_log || ctx.app_log) record.headers = prepared.headers;

  // Attempts: only failures before the request reached a backend are tried again
  // elsewhere, at most max_attempts and never more than the route's endpoints.
  int attempts =
      std::max(1, std::min<int>(ctx.options.max_attempts, static_cast<int>(route->size())));
  std::optional<BackendPool::Connection> conn;
  std::shared_ptr<Endpoint> ep;
  rules::HeaderList sent_headers = std::move(prepared.headers);
  rules::AttemptFailure failure{rules::BackendFailure::NoEndpointsAvailable, false, ""};
  std::string failed_address;
  // An idle connection is checked for a close before a request with a body goes on it; one
  // without a body goes at once, and again on a fresh connection if the idle one was closed.
  bool check_idle = has_body || websocket;
  dog->set(Phase::Backend, ctx.options.endpoint_timeout);
  // Writes the head on a connection to `ep`, a kept-alive one when `reuse`.
  auto send_head = [&](bool reuse) -> asio::awaitable<bool> {
    // A kept-alive connection that fails the write was closed while idle: a fresh one at once.
    for (;; reuse = false) {
      conn.reset();
      if (reuse) conn = pool.take_idle(ep->address(), check_idle);
      if (!conn) {
        auto got = co_await pool.connect(std::string(ep->host()), ep->port(),
                                         ctx.options.endpoint_dial_timeout);
        if (!got) {
          failure = {got.error().code == make_error_code(Errc::Timeout)
                         ? rules::BackendFailure::ConnectTimeout
                         : rules::BackendFailure::ConnectRefused,
                     false, got.error().message};
          failed_address = std::string(ep->address());
          ep->mark_failed(SystemClock{}.now() + ctx.options.failed_endpoint_timeout);
          co_return false;
        }
        conn.emplace(std::move(*got));
      }
      dog->watch_backend(&conn->socket);
      auto [ec, n] = co_await asio::async_write(
          conn->socket, asio::buffer(head_bytes.data(), head_bytes.size()), kAwait);
      if (!ec) co_return true;
      dog->watch_backend(nullptr);
      bool reused = conn->reused;
      conn.reset();
      failure = {rules::BackendFailure::WriteFailed, false, ec.message()};
      failed_address = std::string(ep->address());
      if (!reused) break;
    }
    ep->mark_failed(SystemClock{}.now() + ctx.options.failed_endpoint_timeout);
    co_return false;
  };
  http::RequestHead req = head;  // framing and version only: its views die with `in` below
  std::string_view route_path = route->path().empty() ? "/" : route->path();
  for (int attempt = 0; attempt < attempts; ++attempt) {
    ep = endpoints.next(SystemClock{}.now());
    if (!ep) break;
    if (attempt > 0) ++ctx.stats.backend_retries;
    // The endpoint's identity replaces the previous attempt's: the list is reused.
    rules::Endpoint identity = rules_endpoint(*ep);
    rules::apply_endpoint_identity(sent_headers, identity);
    backend_request_head(head_bytes, method, target, sent_headers, req.body);
    for (bool reuse = true; co_await send_head(reuse); reuse = false) {
      if (!head_consumed) {
        in.erase(0, head_size);
        head_consumed = true;
      }
      ep->begin_request();
      if (ctx.access_log || ctx.app_log) record.endpoint = identity;
      record.app_request_started_at = SystemClock{}.now();
      struct EndRequest {
        Endpoint& e;
        Watchdog& dog;
        ~EndRequest() {
          e.end_request();
          dog.watch_backend(nullptr);
        }
      } end_request{*ep, *dog};
      auto relayed = co_await relay(conn->socket, conn->reused, ep->address(), req, method,
                                    client_keep, websocket, expect_continue, sent_headers, identity,
                                    select.sticky_instance_id, route_path);
      if (relayed != Relayed::RetryFresh) co_return relayed == Relayed::KeepAlive;
      ++ctx.stats.backend_retries;
    }
  }
  if (dog->expired()) failure = {rules::BackendFailure::ConnectTimeout, false, ""};
  if (failure.kind == rules::BackendFailure::NoEndpointsAvailable) {
    co_return co_await refuse(rules::no_endpoints(host));
  }
  co_return co_await refuse(rules::endpoint_failure(failure, failed_address));
}

}  // namespace detail

using detail::Phase;
using detail::Session;
namespace asio = boost::asio;
using asio::ip::tcp;

std::string LoopState::next_span_id() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t v = rng();
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kHex[v & 0xF];
  return out;
}

asio::awaitable<void> serve_client(tcp::socket socket, ProxyContext& ctx, LoopState& loop) {
  ++ctx.stats.open_connections;
  auto dog = Watchdog::start(socket.get_executor());
  try {
    Session<tcp::socket> session(std::move(socket), ctx, loop, false, dog);
    co_await session.run();
  } catch (const std::exception&) {
    // A session never takes the loop down with it.
  }
  dog->stop();
  --ctx.stats.open_connections;
}

asio::awaitable<void> serve_tls_client(tcp::socket socket, asio::ssl::context& tls_context,
                                       ProxyContext& ctx, LoopState& loop) {
  ++ctx.stats.open_connections;
  auto dog = Watchdog::start(socket.get_executor());
  try {
    asio::ssl::stream<tcp::socket> stream(std::move(socket), tls_context);
    dog->watch_client(&stream.next_layer());
    dog->set(Phase::ClientHead, ctx.options.request_head_timeout);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kAwait);
    if (!ec) {
      Session<asio::ssl::stream<tcp::socket>> session(std::move(stream), ctx, loop, true, dog);
      co_await session.run();
    }
  } catch (const std::exception&) {
  }
  dog->stop();
  --ctx.stats.open_connections;
}

}  // namespace cupola::router
