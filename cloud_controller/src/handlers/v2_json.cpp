#include "cloud_controller/src/handlers/v2_json.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "common/http/message.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

CcError bad_parameter(const std::string& what) {
  return v2_failure(http::StatusCode::bad_request, 10005, "BadQueryParameter",
                    "The query parameter is invalid: " + what);
}

// A query component as a form sends it: '+' is a space, then %XX escapes.
std::string form_decode(std::string_view s, bool& ok) {
  std::string plus(s);
  std::replace(plus.begin(), plus.end(), '+', ' ');
  return http::percent_decode(plus, ok);
}

bool whole_number(const std::string& s, std::int64_t& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::vector<std::string> split(const std::string& s, char by) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto at = s.find(by, start);
    out.push_back(s.substr(start, at == std::string::npos ? at : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

// One filter, "attribute:value" or "attribute IN a,b", into `q` (filters on one attribute
// narrow each other, as Cloud Foundry ANDs them).
std::optional<CcError> add_filter(V2Query& q, const std::string& text,
                                  const std::vector<std::string>& attributes) {
  std::size_t end = 0;
  while (end < text.size() &&
         (std::islower(static_cast<unsigned char>(text[end])) || text[end] == '_')) {
    ++end;
  }
  std::string attribute = text.substr(0, end);
  std::vector<std::string> values;
  if (end < text.size() && text[end] == ':') {
    values.push_back(text.substr(end + 1));
  } else if (text.compare(end, 4, " IN ") == 0) {
    values = split(text.substr(end + 4), ',');
  } else {
    return bad_parameter("q (" + text + ")");
  }
  if (std::find(attributes.begin(), attributes.end(), attribute) == attributes.end()) {
    return bad_parameter(attribute);
  }
  auto [it, fresh] = q.filters.emplace(attribute, values);
  if (!fresh) {
    std::erase_if(it->second, [&](const std::string& v) {
      return std::find(values.begin(), values.end(), v) == values.end();
    });
  }
  return std::nullopt;
}

std::string page_path(const V2Query& q, const std::string& path, std::int64_t page) {
  std::string s = path + "?";
  if (!q.rest.empty()) s += q.rest + "&";
  return s + "page=" + std::to_string(page) + "&results-per-page=" + std::to_string(q.per_page);
}

}  // namespace

http::Response v2_error(const CcError& e) {
  json::Writer w;
  w.start_object().field("code", e.code).field("description", e.detail);
  w.field("error_code", e.title).end_object();
  return http::json_response(e.status, std::string(w.view()));
}

http::Response v2_answer(http::Response res) {
  if (static_cast<int>(res.result()) < 400) return res;
  auto doc = json::parse(res.body());
  if (!doc || !doc->IsObject()) return res;
  auto errors = doc->FindMember("errors");
  if (errors == doc->MemberEnd() || !errors->value.IsArray() || errors->value.Empty()) return res;
  const auto& first = errors->value[0];
  if (!first.IsObject()) return res;
  CcError e;
  e.status = res.result();
  if (auto c = first.FindMember("code"); c != first.MemberEnd() && c->value.IsInt()) {
    e.code = c->value.GetInt();
  }
  if (auto t = first.FindMember("title"); t != first.MemberEnd() && t->value.IsString()) {
    e.title = t->value.GetString();
  }
  if (auto d = first.FindMember("detail"); d != first.MemberEnd() && d->value.IsString()) {
    e.detail = d->value.GetString();
  }
  auto out = v2_error(e);
  for (const auto& field : res) {
    if (field.name() != http::bhttp::field::content_type &&
        field.name() != http::bhttp::field::content_length) {
      out.set(field.name_string(), field.value());
    }
  }
  return out;
}

CcError v2_failure(http::StatusCode status, int code, std::string_view name,
                   std::string description) {
  return {status, code, "CF-" + std::string(name), std::move(description)};
}

CcError service_instance_not_found(std::string_view guid) {
  return v2_failure(http::StatusCode::not_found, 60004, "ServiceInstanceNotFound",
                    "The service instance could not be found: " + std::string(guid));
}
CcError space_not_found(std::string_view guid) {
  return v2_failure(http::StatusCode::not_found, 40004, "SpaceNotFound",
                    "The app space could not be found: " + std::string(guid));
}
CcError app_not_found(std::string_view guid) {
  return v2_failure(http::StatusCode::not_found, 100004, "AppNotFound",
                    "The app could not be found: " + std::string(guid));
}
CcError binding_not_found(std::string_view guid) {
  return v2_failure(http::StatusCode::not_found, 90004, "ServiceBindingNotFound",
                    "The service binding could not be found: " + std::string(guid));
}
CcError key_not_found(std::string_view guid) {
  return v2_failure(http::StatusCode::not_found, 360003, "ServiceKeyNotFound",
                    "The service key could not be found: " + std::string(guid));
}
CcError plan_not_found(std::string_view guid) {
  return v2_failure(http::StatusCode::not_found, 110003, "ServicePlanNotFound",
                    "The service plan could not be found: " + std::string(guid));
}
CcError service_not_found(std::string_view guid) {
  return v2_failure(http::StatusCode::not_found, 120003, "ServiceNotFound",
                    "The service could not be found: " + std::string(guid));
}
CcError broker_failed(std::string description) {
  return v2_failure(http::StatusCode::bad_gateway, 10001, "ServiceBrokerBadResponse",
                    std::move(description));
}

const std::vector<std::string>* V2Query::filter(std::string_view attribute) const {
  auto it = filters.find(std::string(attribute));
  return it == filters.end() ? nullptr : &it->second;
}

std::variant<V2Query, CcError> parse_v2_query(std::string_view query,
                                              const std::vector<std::string>& attributes) {
  V2Query q;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    bool ok = true;
    std::string key = form_decode(pair.substr(0, eq), ok);
    std::string value = eq == std::string_view::npos ? "" : form_decode(pair.substr(eq + 1), ok);
    if (!ok) return bad_parameter(key);
    std::int64_t n = 0;
    if (key == "page" || key == "results-per-page") {
      if (!whole_number(value, n) || n < 1 || (key == "results-per-page" && n > 100)) {
        return bad_parameter(key);
      }
      (key == "page" ? q.page : q.per_page) = n;
      continue;
    }
    q.rest += (q.rest.empty() ? "" : "&") + std::string(pair);
    if (key == "q") {
      for (const auto& part : split(value, ';')) {
        if (auto e = add_filter(q, part, attributes)) return *e;
      }
    } else if (key == "order-direction") {
      if (value != "asc" && value != "desc") return bad_parameter(key);
      q.descending = value == "desc";
    } else if (key == "order-by") {
      if (value != "name" && value != "id" && value != "created_at") return bad_parameter(key);
      q.order_by = value == "name" ? "name" : "";
    } else if (key == "inline-relations-depth") {
      if (!whole_number(value, n) || n < 0) return bad_parameter(key);
      q.inline_relations = n >= 1;
    }
  }
  return q;
}

ListQuery store_query(const V2Query& q) {
  ListQuery out;
  out.page = q.page;
  out.per_page = q.per_page;
  out.order_by = q.order_by.empty() ? "created_at" : q.order_by;
  out.descending = q.descending;
  return out;
}

void write_v2_metadata(json::Writer& w, const std::string& guid, const std::string& url,
                       const std::string& created_at, const std::string& updated_at) {
  w.key("metadata").start_object().field("guid", guid).field("url", url);
  w.field("created_at", created_at).field("updated_at", updated_at).end_object();
}

void write_v2_page(json::Writer& w, const V2Query& q, std::int64_t total, const std::string& path) {
  std::int64_t pages = (total + q.per_page - 1) / q.per_page;
  w.field("total_results", total).field("total_pages", pages);
  w.key("prev_url");
  if (q.page > 1) {
    w.value(page_path(q, path, std::min(q.page - 1, std::max<std::int64_t>(pages, 1))));
  } else {
    w.value(nullptr);
  }
  w.key("next_url");
  if (q.page < pages) {
    w.value(page_path(q, path, q.page + 1));
  } else {
    w.value(nullptr);
  }
}

asio::awaitable<http::Response> answer_v2_list(ApiContext& api, http::RequestContext& ctx,
                                               std::vector<std::string> attributes,
                                               std::string path, V2ListWriter write) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return v2_answer(std::move(*refusal));
  auto q = parse_v2_query(ctx.query(), attributes);
  if (auto* e = std::get_if<CcError>(&q)) co_return v2_error(*e);
  const V2Query& query = std::get<V2Query>(q);
  json::Writer w;
  w.start_object();
  auto total = co_await write(std::get<Caller>(who), query, w);
  if (auto* refusal = std::get_if<http::Response>(&total)) {
    co_return v2_answer(std::move(*refusal));
  }
  write_v2_page(w, query, std::get<std::int64_t>(total), path);
  w.end_object();
  co_return respond(http::StatusCode::ok, w);
}

}  // namespace cupola::cc
