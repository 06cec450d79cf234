#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/json/json.h"

namespace cupola::jwt {

// The claims set of a JWT (RFC 7519 §4) with typed access to the registered claims and to
// the ones UAA puts in its access and refresh tokens, and raw access to everything else.
// Immutable; copies share the parsed document.
class Claims {
 public:
  // Parses a claims set. JwtErrc::Malformed when the text is not a JSON object within
  // `limits`, or when any claim read below has the wrong type; the message names every such
  // claim. Unknown claims are kept as they are.
  static Result<Claims> parse(std::string_view json, const json::ParseLimits& limits = {});

  // Registered claims. Dates are NumericDate seconds since the epoch (a fractional value is
  // rounded down). "aud" may be a string or an array of strings; both read as a list.
  const std::optional<std::string>& jti() const { return jti_; }
  const std::optional<std::string>& sub() const { return sub_; }
  const std::optional<std::string>& iss() const { return iss_; }
  const std::vector<std::string>& aud() const { return aud_; }
  std::optional<std::int64_t> exp() const { return exp_; }
  std::optional<std::int64_t> iat() const { return iat_; }
  std::optional<std::int64_t> nbf() const { return nbf_; }

  // UAA's claims. "scope" is an array of strings (UAA's form) or one space-separated string
  // (RFC 8693's form); both read as a list.
  const std::vector<std::string>& scope() const { return scope_; }
  const std::optional<std::string>& client_id() const { return client_id_; }
  const std::optional<std::string>& cid() const { return cid_; }
  const std::optional<std::string>& user_id() const { return user_id_; }
  const std::optional<std::string>& user_name() const { return user_name_; }
  const std::optional<std::string>& email() const { return email_; }
  const std::optional<std::string>& grant_type() const { return grant_type_; }
  const std::optional<std::string>& zid() const { return zid_; }
  const std::optional<std::string>& origin() const { return origin_; }

  bool has_scope(std::string_view name) const;
  bool has_audience(std::string_view name) const;

  // The whole claims object, and one claim of it (nullptr when absent).
  const json::Value& raw() const { return *doc_; }
  const json::Value* find(std::string_view name) const;
  // The claims object as compact JSON.
  std::string to_json() const;

 private:
  explicit Claims(std::shared_ptr<const json::Document> doc) : doc_(std::move(doc)) {}

  std::shared_ptr<const json::Document> doc_;
  std::optional<std::string> jti_, sub_, iss_;
  std::vector<std::string> aud_;
  std::optional<std::int64_t> exp_, iat_, nbf_;
  std::vector<std::string> scope_;
  std::optional<std::string> client_id_, cid_, user_id_, user_name_, email_, grant_type_, zid_,
      origin_;
};

}  // namespace cupola::jwt
