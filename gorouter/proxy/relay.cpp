#include <boost/asio/ssl/stream.hpp>

#include "gorouter/proxy/session.h"
#include "gorouter/rules/response_rules.h"

namespace cupola::router::detail {

template <class ClientStream>
asio::awaitable<Relayed> Session<ClientStream>::relay(
    tcp::socket& backend, bool reused, std::string_view address, const http::RequestHead& req,
    const std::string& method, bool client_keep, bool websocket, bool expect_continue,
    const rules::HeaderList& sent_headers, const rules::Endpoint& ep, const std::string& sticky_id,
    std::string_view route_path) {
  auto fail = [&](rules::BackendFailure kind, std::string detail) {
    return answer(rules::endpoint_failure({kind, true, std::move(detail)}, address), false);
  };
  // The request body, streamed: chunked bodies are decoded strictly and encoded again.
  http::BodyReader request_body(req.body, http::Side::Request);
  bool chunked_out = req.body.kind == http::BodyKind::Chunked;
  // The router tells a client that waits for "100 Continue" to go on itself (Expect is not
  // forwarded), then streams the body.
  if (expect_continue && req.body.kind != http::BodyKind::None) {
    dog->set(Phase::ClientWrite, ctx.options.request_head_timeout);
    if (!co_await write_all(client, "HTTP/1.1 100 Continue\r\n\r\n")) co_return Relayed::Close;
  }
  if (!websocket) {
    while (!request_body.done()) {
      auto r = request_body.feed(in);
      if (r.state == http::BodyState::Error) {
        co_await answer(parse_error(r.error.status, r.error.reason), false);
        co_return Relayed::Close;
      }
      if (!r.data.empty()) {
        record.request_bytes_received += static_cast<std::int64_t>(r.data.size());
        dog->set(Phase::Backend, ctx.options.endpoint_timeout);
        bool ok = chunked_out
                      ? co_await write_all(backend, hex(r.data.size()) + "\r\n", r.data, "\r\n")
                      : co_await write_all(backend, r.data);
        if (!ok) {
          co_await fail(rules::BackendFailure::WriteFailed, "write to the backend failed");
          co_return Relayed::Close;
        }
      }
      in.erase(0, r.consumed);
      if (r.state == http::BodyState::Done) break;
      dog->set(Phase::ClientBody, ctx.options.request_head_timeout);
      if (co_await read_more(client, in) == 0) {
        // A client that stops sending its body in the middle is told so.
        if (dog->expired() == Phase::ClientBody) {
          dog->clear();
          co_await answer(rules::request_timeout(), false);
        }
        co_return Relayed::Close;
      }
    }
    if (chunked_out && !co_await write_all(backend, "0\r\n\r\n")) {
      co_await fail(rules::BackendFailure::WriteFailed, "write to the backend failed");
      co_return Relayed::Close;
    }
  }

  // The response head; interim 1xx answers are relayed as they come.
  bin.erase(0, bin.size());
  rparser.reset(method);
  http::HeadResult rr;
  dog->set(Phase::Backend, ctx.options.endpoint_timeout);
  for (;;) {
    rr = rparser.feed(bin);
    if (rr.state == http::HeadState::Complete && rparser.head().status < 200 &&
        rparser.head().status != 101) {
      std::string interim = "HTTP/1.1 " + std::to_string(rparser.head().status) + " " +
                            std::string(rparser.head().reason) + "\r\n\r\n";
      dog->set(Phase::ClientWrite, ctx.options.endpoint_timeout);
      if (!co_await write_all(client, interim)) co_return Relayed::Close;
      dog->set(Phase::Backend, ctx.options.endpoint_timeout);
      bin.erase(0, rr.consumed);
      rparser.reset(method);
      continue;
    }
    if (rr.state != http::HeadState::NeedMore) break;
    if (co_await read_more(backend, bin) == 0) {
      if (dog->expired()) {
        dog->clear();
        co_await fail(rules::BackendFailure::ResponseTimeout, "");
        co_return Relayed::Close;
      }
      if (bin.empty() && reused && req.body.kind == http::BodyKind::None && !websocket) {
        co_return Relayed::RetryFresh;
      }
      co_await fail(bin.empty() ? rules::BackendFailure::ConnectionClosed
                                : rules::BackendFailure::ConnectionResetOnRead,
                    "");
      co_return Relayed::Close;
    }
  }
  if (rr.state == http::HeadState::Error) {
    co_await fail(rules::BackendFailure::ConnectionResetOnRead, std::string(rr.error.reason));
    co_return Relayed::Close;
  }
  const auto& res = rparser.head();
  int status = res.status;
  ctx.stats.count_status(status);
  record.status = status;
  record.app_request_finished_at = SystemClock{}.now();

  rules::BackendResponse backend_response;
  backend_response.status = status;
  backend_response.headers.reserve(res.headers.size() + 4);
  for (const auto& f : res.headers) {
    backend_response.headers.push_back({std::string(f.name), std::string(f.value)});
  }
  rules::ResponseRuleInput input{sent_headers, ep, sticky_id, route_path};
  static const rules::ResponseRuleOptions response_options;
  auto headers =
      rules::client_response_headers(std::move(backend_response), input, response_options);

  // The response head to the client.
  bool client_http11 = req.version == http::Version::Http11;
  http::BodyFraming framing = res.body;
  bool rechunk = client_http11 && (framing.kind == http::BodyKind::Chunked ||
                                   framing.kind == http::BodyKind::UntilClose);
  if (!client_http11 &&
      (framing.kind == http::BodyKind::UntilClose || framing.kind == http::BodyKind::Chunked)) {
    client_keep = false;
  }
  bool tunnel = status == 101 && websocket;
  out.clear();
  out.append(client_http11 ? "HTTP/1.1 " : "HTTP/1.0 ")
      .append(std::to_string(status))
      .append(" ")
      .append(res.reason)
      .append("\r\n");
  for (const auto& f : headers) {
    if (!tunnel && iequals(f.name, "Connection")) continue;
    if (framing_header(f.name) &&
        (tunnel || framing.kind != http::BodyKind::None || iequals(f.name, "Transfer-Encoding"))) {
      continue;
    }
    out.append(f.name).append(": ").append(f.value).append("\r\n");
  }
  if (!tunnel) {
    if (framing.kind == http::BodyKind::ContentLength) {
      out.append("Content-Length: ").append(std::to_string(framing.length)).append("\r\n");
    } else if (rechunk) {
      out.append("Transfer-Encoding: chunked\r\n");
    }
    if (!client_keep) out.append("Connection: close\r\n");
  }
  out.append("\r\n");
  bin.erase(0, rr.consumed);
  // The head goes out with the first body bytes, in one write.
  bool head_sent = false;
  if (tunnel || framing.kind == http::BodyKind::None) {
    dog->set(Phase::ClientWrite, ctx.options.endpoint_timeout);
    if (!co_await write_all(client, out)) co_return Relayed::Close;
    head_sent = true;
  }

  if (tunnel) {
    ++ctx.stats.websocket_upgrades;
    // Bytes either side sent early go first, then both directions run until one closes.
    dog->never();
    if (!in.empty() && !co_await write_all(backend, in)) co_return Relayed::Close;
    if (!bin.empty() && !co_await write_all(client, bin)) co_return Relayed::Close;
    co_await splice(client, backend);
    co_return Relayed::Close;
  }

  // The response body, streamed.
  http::BodyReader response_body(framing, http::Side::Response);
  bool backend_clean = true;
  while (!response_body.done()) {
    auto r = response_body.feed(bin);
    if (r.state == http::BodyState::Error) {
      backend_clean = false;
      client_keep = false;
      break;
    }
    bool last = r.state == http::BodyState::Done;
    if (!r.data.empty() || (last && !head_sent)) {
      dog->set(Phase::ClientWrite, ctx.options.endpoint_timeout);
      std::string_view head = head_sent ? std::string_view() : std::string_view(out);
      bool ok;
      if (rechunk) {
        std::string size = r.data.empty() ? "" : hex(r.data.size()) + "\r\n";
        // The last chunk rides along with the body's end.
        ok = co_await write_all(
            client, head, size, r.data,
            r.data.empty() ? (last ? "0\r\n\r\n" : "") : (last ? "\r\n0\r\n\r\n" : "\r\n"));
        if (last) rechunk = false;
      } else {
        ok = co_await write_all(client, head, r.data);
      }
      if (!ok) co_return Relayed::Close;
      head_sent = true;
      record.body_bytes_sent += static_cast<std::int64_t>(r.data.size());
    }
    bin.erase(0, r.consumed);
    if (last) break;
    dog->set(Phase::Backend, ctx.options.endpoint_timeout);
    if (co_await read_more(backend, bin) == 0) {
      auto fin = response_body.finish();
      backend_clean = false;
      // A body cut short reaches the client as a closed connection.
      if (fin.state != http::BodyState::Done) co_return Relayed::Close;
      break;
    }
  }
  if (!head_sent && !co_await write_all(client, out)) co_return Relayed::Close;
  if (rechunk && !co_await write_all(client, "0\r\n\r\n")) co_return Relayed::Close;
  if (backend_clean && bin.empty() && http::keep_alive(res) &&
      framing.kind != http::BodyKind::UntilClose) {
    pool.release(address, std::move(backend));
  }
  co_return client_keep ? Relayed::KeepAlive : Relayed::Close;
}

// The sessions proxy_session.cpp makes.
#define CUPOLA_INSTANTIATE_RELAY(Stream)                                                        \
  template asio::awaitable<Relayed> Session<Stream>::relay(                                     \
      tcp::socket&, bool, std::string_view, const http::RequestHead&, const std::string&, bool, \
      bool, bool, const rules::HeaderList&, const rules::Endpoint&, const std::string&,         \
      std::string_view);
CUPOLA_INSTANTIATE_RELAY(tcp::socket)
CUPOLA_INSTANTIATE_RELAY(asio::ssl::stream<tcp::socket>)
#undef CUPOLA_INSTANTIATE_RELAY

}  // namespace cupola::router::detail
