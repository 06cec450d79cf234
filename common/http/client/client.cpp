#include "common/http/client/client.h"

#include <stdexcept>

#include <fmt/format.h>

#include "common/http/client/client_impl.h"
#include "common/http/client/errors.h"
#include "common/http/client/exchange.h"
#include "common/http/client/tls_context.h"

namespace cupola::http {

namespace detail {

ClientImpl::ClientImpl(asio::any_io_executor ex, ClientOptions opts, log::Logger logger,
                       asio::ssl::context tls_context)
    : executor(std::move(ex)),
      options(std::move(opts)),
      log(std::move(logger)),
      tls(std::move(tls_context)),
      pool(options.max_idle_per_host, options.idle_timeout) {}

asio::awaitable<Result<std::unique_ptr<Connection>>> ClientImpl::acquire(
    const Url& url, std::string context, SteadyTime deadline, std::chrono::milliseconds timeout,
    bool fresh) {
  const SteadyTime now = std::chrono::steady_clock::now();
  if (!fresh) {
    // A connection the server closed while it sat idle is dropped here rather than
    // failing the request that would have used it.
    while (auto conn = pool.take(url.origin(), now)) {
      if (conn->stale()) continue;
      conn->mark_reused();
      co_return std::move(conn);
    }
  }
  const bool connect_limited = now + options.connect_timeout < deadline;
  ConnectParams params{url, &tls, options.tls.verify_peer,
                       connect_limited ? now + options.connect_timeout : deadline, deadline};
  auto opened = co_await connect(executor, std::move(params));
  if (auto* err = std::get_if<ConnectError>(&opened)) {
    const auto limit =
        err->connect_deadline_hit && connect_limited ? options.connect_timeout : timeout;
    co_return transport_error(context, err->stage, err->ec, limit);
  }
  log.debug("connected", {{"origin", url.origin()}});
  co_return std::move(std::get<std::unique_ptr<Connection>>(opened));
}

void ClientImpl::release(const Url& url, std::unique_ptr<Connection> conn) {
  conn->tcp().expires_never();
  pool.put(url.origin(), std::move(conn), std::chrono::steady_clock::now());
}

}  // namespace detail

namespace {

boost::asio::ssl::context tls_context_or_throw(const TlsOptions& options) {
  auto ctx = detail::make_tls_context(options);
  if (!ctx) throw std::invalid_argument(ctx.error().message);
  return std::move(ctx).value();
}

}  // namespace

Client::Client(boost::asio::any_io_executor executor, ClientOptions options, log::Logger logger)
    : impl_(std::make_unique<detail::ClientImpl>(executor, options, logger.session("http-client"),
                                                 tls_context_or_throw(options.tls))) {}

Client::~Client() = default;

boost::asio::awaitable<Result<ClientResponse>> Client::request(ClientRequest req) {
  auto url = parse_url(req.url);
  if (!url) co_return std::move(url).error();
  detail::ClientImpl& impl = *impl_;
  const std::string context = fmt::format("{} {}", method_name(req.method), url->str());
  const auto timeout = req.timeout.value_or(impl.options.request_timeout);
  const detail::SteadyTime deadline = std::chrono::steady_clock::now() + timeout;
  const detail::WireRequest wire = detail::to_wire(req, *url, impl.options.user_agent);

  for (int attempt = 0;; ++attempt) {
    auto conn = co_await impl.acquire(*url, context, deadline, timeout, attempt > 0);
    if (!conn) {
      impl.log.error("request-failed", conn.error().message);
      co_return std::move(conn).error();
    }
    (*conn)->tcp().expires_at(deadline);
    detail::Exchange ex =
        co_await detail::exchange(**conn, wire, impl.options.max_body_bytes, req.on_progress);
    if (!ex.ec) {
      if (ex.keep_alive) impl.release(*url, std::move(*conn));
      ClientResponse res = detail::from_wire(std::move(ex.response));
      impl.log.debug(
          "request",
          {{"method", method_name(req.method)}, {"url", url->str()}, {"status", res.status}});
      co_return res;
    }
    if (attempt == 0 && (*conn)->reused() && !ex.got_response_bytes && is_idempotent(req.method) &&
        detail::is_stale_connection_error(ex.ec)) {
      impl.log.debug("retry-on-new-connection", {{"url", url->str()}, {"error", ex.ec.message()}});
      continue;
    }
    Error err =
        detail::transport_error(context, ex.stage, ex.ec, timeout, impl.options.max_body_bytes);
    impl.log.error("request-failed", err.message);
    co_return err;
  }
}

boost::asio::awaitable<Result<ClientResponse>> Client::get(std::string url, Headers headers) {
  return request(ClientRequest{Method::Get, std::move(url), std::move(headers), {}, {}});
}

namespace {

ClientRequest with_body(Method m, std::string url, std::string body, std::string content_type,
                        Headers headers) {
  if (!content_type.empty() && !find_header(headers, "content-type")) {
    headers.push_back(Header{"Content-Type", std::move(content_type)});
  }
  return ClientRequest{m, std::move(url), std::move(headers), std::move(body), {}};
}

}  // namespace

boost::asio::awaitable<Result<ClientResponse>> Client::post(std::string url, std::string body,
                                                            std::string content_type,
                                                            Headers headers) {
  return request(with_body(Method::Post, std::move(url), std::move(body), std::move(content_type),
                           std::move(headers)));
}

boost::asio::awaitable<Result<ClientResponse>> Client::put(std::string url, std::string body,
                                                           std::string content_type,
                                                           Headers headers) {
  return request(with_body(Method::Put, std::move(url), std::move(body), std::move(content_type),
                           std::move(headers)));
}

boost::asio::awaitable<Result<ClientResponse>> Client::patch(std::string url, std::string body,
                                                             std::string content_type,
                                                             Headers headers) {
  return request(with_body(Method::Patch, std::move(url), std::move(body), std::move(content_type),
                           std::move(headers)));
}

boost::asio::awaitable<Result<ClientResponse>> Client::del(std::string url, Headers headers) {
  return request(ClientRequest{Method::Delete, std::move(url), std::move(headers), {}, {}});
}

void Client::close_idle() { impl_->pool.clear(); }

std::size_t Client::idle_connections() {
  impl_->pool.expire(std::chrono::steady_clock::now());
  return impl_->pool.idle_count();
}

const boost::asio::any_io_executor& Client::executor() const { return impl_->executor; }
const ClientOptions& Client::options() const { return impl_->options; }

}  // namespace cupola::http
