#include "cloud_controller/src/api/list_query.h"

#include <charconv>

#include "common/http/message.h"

namespace cupola::cc {
namespace {

Error bad(std::string detail) { return make_error(Errc::InvalidArgument, std::move(detail)); }

std::vector<std::string> split_values(const std::string& decoded) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto comma = decoded.find(',', start);
    std::string part = decoded.substr(start, comma == std::string::npos ? comma : comma - start);
    for (auto at = part.find("%2C"); at != std::string::npos; at = part.find("%2C", at + 1)) {
      part.replace(at, 3, ",");
    }
    out.push_back(std::move(part));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string valid_parameters(const ListSpec& spec) {
  std::vector<std::string> names{"page", "per_page"};
  if (!spec.order_by.empty()) names.push_back("order_by");
  if (!spec.includes.empty()) names.push_back("include");
  names.insert(names.end(), spec.filters.begin(), spec.filters.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out;
}

std::string query_string(const ListQuery& q, std::int64_t page) {
  std::string s = "?page=" + std::to_string(page) + "&per_page=" + std::to_string(q.per_page);
  if (q.order_by != "created_at" || q.descending) {
    s += "&order_by=" + std::string(q.descending ? "-" : "") + q.order_by;
  }
  for (const auto& [name, values] : q.filters) {
    std::string joined;
    for (std::size_t i = 0; i < values.size(); ++i) {
      std::string v = values[i];
      for (auto at = v.find(','); at != std::string::npos; at = v.find(',', at + 3)) {
        v.replace(at, 1, "%2C");
      }
      joined += (i ? "," : "") + v;
    }
    s += "&" + name + "=" + http::percent_encode(joined);
  }
  return s;
}

}  // namespace

const std::vector<std::string>* ListQuery::filter(std::string_view name) const {
  auto it = filters.find(std::string(name));
  return it == filters.end() ? nullptr : &it->second;
}

Result<ListQuery> parse_list_query(std::string_view query, const ListSpec& spec) {
  ListQuery q;
  std::vector<std::string> unknown;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    bool ok = true;
    std::string key = http::percent_decode(pair.substr(0, eq), ok);
    std::string value =
        eq == std::string_view::npos ? "" : http::percent_decode(pair.substr(eq + 1), ok);
    if (!ok) return bad("The query parameter '" + key + "' is not properly encoded");
    if (key == "page" || key == "per_page") {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      bool number = ec == std::errc() && end == value.data() + value.size() && !value.empty();
      if (key == "page") {
        if (!number || n < 1) return bad("Page must be a positive integer");
        q.page = n;
      } else {
        if (!number || n < 1) return bad("Per page must be a positive integer");
        if (n > kMaxPerPage) {
          return bad("Per page must be between 1 and " + std::to_string(kMaxPerPage));
        }
        q.per_page = n;
      }
    } else if (key == "order_by" && !spec.order_by.empty()) {
      bool desc = value.starts_with('-');
      std::string field = desc || value.starts_with('+') ? value.substr(1) : value;
      if (!spec.order_by.contains(field)) {
        std::string allowed;
        for (const auto& f : spec.order_by) allowed += (allowed.empty() ? "'" : ", '") + f + "'";
        return bad("Order by can only be: " + allowed);
      }
      q.order_by = field;
      q.descending = desc;
    } else if (key == "include" && !spec.includes.empty()) {
      for (auto& inc : split_values(value)) {
        if (!spec.includes.contains(inc)) return bad("Invalid included resource: '" + inc + "'");
        q.includes.insert(std::move(inc));
      }
    } else if (spec.filters.contains(key)) {
      q.filters[key] = split_values(value);
    } else {
      unknown.push_back(key);
    }
  }
  if (!unknown.empty()) {
    std::string names;
    for (const auto& u : unknown) names += (names.empty() ? "'" : "', '") + u;
    return bad("Unknown query parameter(s): " + names +
               "'. Valid parameters are: " + valid_parameters(spec));
  }
  return q;
}

void write_pagination(json::Writer& w, const ListQuery& q, std::int64_t total,
                      const std::string& base_url) {
  std::int64_t pages = total == 0 ? 1 : (total + q.per_page - 1) / q.per_page;
  auto link = [&](std::int64_t page) {
    w.start_object().field("href", base_url + query_string(q, page)).end_object();
  };
  w.key("pagination").start_object();
  w.field("total_results", total).field("total_pages", pages);
  w.key("first");
  link(1);
  w.key("last");
  link(pages);
  w.key("next");
  if (q.page < pages) {
    link(q.page + 1);
  } else {
    w.value(nullptr);
  }
  w.key("previous");
  if (q.page > 1 && q.page - 1 <= pages) {
    link(q.page - 1);
  } else {
    w.value(nullptr);
  }
  w.end_object();
}

}  // namespace cupola::cc
