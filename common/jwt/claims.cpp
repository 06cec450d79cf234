#include "common/jwt/claims.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/jwt/errors.h"

namespace cupola::jwt {
namespace {

std::string_view view(const json::Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Reads the claims of one object, collecting a problem per claim of the wrong type.
class ClaimReader {
 public:
  explicit ClaimReader(const json::Value& obj) : obj_(obj) {}

  void string(const char* name, std::optional<std::string>& out) {
    const json::Value* v = find(name);
    if (!v) return;
    if (!v->IsString()) return problem(name, "a string", *v);
    out = std::string(view(*v));
  }

  // NumericDate (RFC 7519 §2): any JSON number.
  void date(const char* name, std::optional<std::int64_t>& out) {
    const json::Value* v = find(name);
    if (!v) return;
    if (v->IsInt64()) {
      out = v->GetInt64();
      return;
    }
    // 2^63 as a double; anything at or beyond it does not fit an int64.
    constexpr double kLimit = 9223372036854775808.0;
    if (v->IsNumber() && std::isfinite(v->GetDouble()) && std::fabs(v->GetDouble()) < kLimit) {
      out = static_cast<std::int64_t>(std::floor(v->GetDouble()));
      return;
    }
    problem(name, "a number of seconds since the epoch", *v);
  }

  // A string or an array of strings; `split` also splits a string at spaces.
  void list(const char* name, std::vector<std::string>& out, bool split) {
    const json::Value* v = find(name);
    if (!v) return;
    if (v->IsString()) {
      std::string_view s = view(*v);
      if (!split) {
        out.emplace_back(s);
        return;
      }
      while (!s.empty()) {
        auto end = s.find(' ');
        if (end != 0) out.emplace_back(s.substr(0, end));
        if (end == std::string_view::npos) break;
        s.remove_prefix(end + 1);
      }
      return;
    }
    if (v->IsArray()) {
      for (const auto& item : v->GetArray()) {
        if (!item.IsString()) return problem(name, "a string or an array of strings", item);
        out.emplace_back(view(item));
      }
      return;
    }
    problem(name, "a string or an array of strings", *v);
  }

  Status status() const {
    if (problems_.empty()) return {};
    std::string msg = "malformed token claims: " + problems_.front();
    for (std::size_t i = 1; i < problems_.size(); ++i) msg += "; " + problems_[i];
    return jwt_error(JwtErrc::Malformed, std::move(msg));
  }

 private:
  const json::Value* find(const char* name) const {
    auto it = obj_.FindMember(name);
    if (it == obj_.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
  }
  void problem(const char* name, std::string_view expected, const json::Value& got) {
    problems_.push_back(
        fmt::format("\"{}\" must be {}, got {}", name, expected, json::type_name(got)));
  }

  const json::Value& obj_;
  std::vector<std::string> problems_;
};

}  // namespace

Result<Claims> Claims::parse(std::string_view text, const json::ParseLimits& limits) {
  auto doc = json::parse(text, limits);
  if (!doc) return jwt_error(JwtErrc::Malformed, "token claims: " + doc.error().message);
  if (!doc->IsObject()) {
    return jwt_error(JwtErrc::Malformed, fmt::format("token claims must be a JSON object, got {}",
                                                     json::type_name(*doc)));
  }
  Claims c(std::make_shared<const json::Document>(std::move(*doc)));
  ClaimReader r(*c.doc_);
  r.string("jti", c.jti_);
  r.string("sub", c.sub_);
  r.string("iss", c.iss_);
  r.list("aud", c.aud_, false);
  r.date("exp", c.exp_);
  r.date("iat", c.iat_);
  r.date("nbf", c.nbf_);
  r.list("scope", c.scope_, true);
  r.string("client_id", c.client_id_);
  r.string("cid", c.cid_);
  r.string("user_id", c.user_id_);
  r.string("user_name", c.user_name_);
  r.string("email", c.email_);
  r.string("grant_type", c.grant_type_);
  r.string("zid", c.zid_);
  r.string("origin", c.origin_);
  if (auto st = r.status(); !st) return std::move(st).error();
  return c;
}

bool Claims::has_scope(std::string_view name) const {
  return std::find(scope_.begin(), scope_.end(), name) != scope_.end();
}

bool Claims::has_audience(std::string_view name) const {
  return std::find(aud_.begin(), aud_.end(), name) != aud_.end();
}

const json::Value* Claims::find(std::string_view name) const {
  auto it = doc_->FindMember(json::Value(
      rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  return it == doc_->MemberEnd() ? nullptr : &it->value;
}

std::string Claims::to_json() const { return json::to_string(*doc_); }

}  // namespace cupola::jwt
