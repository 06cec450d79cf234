#include "common/jwt/jws.h"

#include <cstdint>
#include <optional>

#include <fmt/format.h>

#include "common/jwt/base64url.h"
#include "common/jwt/errors.h"

namespace cupola::jwt {
namespace {

constexpr std::string_view kAlgorithm = "RS256";
// Small documents written by this process; the limits only catch mistakes.
constexpr json::ParseLimits kSignLimits{.max_bytes = std::size_t{64} * 1024, .max_depth = 16};

std::string_view view(const json::Value& v) { return {v.GetString(), v.GetStringLength()}; }

Error malformed(std::string message) { return jwt_error(JwtErrc::Malformed, std::move(message)); }

// A JSON object parsed from `text`, with `what` naming it in errors.
Result<json::Document> parse_object(std::string_view text, const json::ParseLimits& limits,
                                    std::string_view what) {
  auto doc = json::parse(text, limits);
  if (!doc) return Error{doc.error().code, fmt::format("{}: {}", what, doc.error().message)};
  if (!doc->IsObject()) {
    return make_error(Errc::InvalidArgument,
                      fmt::format("{} must be a JSON object, got {}", what, json::type_name(*doc)));
  }
  return doc;
}

struct Parts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // "<header>.<payload>"
};

std::optional<Parts> split(std::string_view token) {
  auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return Parts{token.substr(0, first), token.substr(first + 1, second - first - 1),
               token.substr(second + 1), token.substr(0, second)};
}

// The verification key the header asks for.
Result<const RsaKey*> select_key(const json::Document& header, const KeySet& keys) {
  auto kid = header.FindMember("kid");
  if (kid == header.MemberEnd()) {
    if (keys.size() == 1) return &keys.entries().front().key;
    return jwt_error(
        JwtErrc::UnknownKey,
        fmt::format("token has no kid and there are {} verification keys", keys.size()));
  }
  if (!kid->value.IsString()) return malformed("token header kid must be a string");
  const RsaKey* key = keys.find(view(kid->value));
  if (!key) {
    return jwt_error(JwtErrc::UnknownKey,
                     fmt::format("no verification key has kid \"{}\"", view(kid->value)));
  }
  return key;
}

Status check_times(const Claims& claims, TimePoint now, const VerifyOptions& options) {
  const std::int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::int64_t leeway = options.leeway.count();
  if (!claims.exp()) {
    if (options.require_exp) return malformed("token has no exp claim");
  } else if (now_s - leeway >= *claims.exp()) {
    return jwt_error(JwtErrc::Expired, "token expired");
  }
  // Written as now + leeway < t so that no claim value can overflow the arithmetic.
  if (claims.nbf() && now_s + leeway < *claims.nbf()) {
    return jwt_error(JwtErrc::NotYetValid, fmt::format("token not valid before {}", *claims.nbf()));
  }
  if (claims.iat() && now_s + leeway < *claims.iat()) {
    return jwt_error(JwtErrc::NotYetValid,
                     fmt::format("token issued in the future, at {}", *claims.iat()));
  }
  return {};
}

}  // namespace

Result<std::string> sign_rs256(std::string_view header_json_fields, std::string_view claims_json,
                               const RsaKey& key, std::string_view kid) {
  json::Document extra;
  if (!header_json_fields.empty()) {
    auto parsed = parse_object(header_json_fields, kSignLimits, "extra JWT header fields");
    if (!parsed) return make_error(Errc::InvalidArgument, std::move(parsed).error().message);
    extra = std::move(*parsed);
    for (const char* reserved : {"alg", "kid", "typ", "crit"}) {
      if (extra.HasMember(reserved)) {
        return make_error(Errc::InvalidArgument,
                          fmt::format("extra JWT header fields must not set \"{}\"", reserved));
      }
    }
  }
  if (auto claims = parse_object(claims_json, kSignLimits, "JWT claims"); !claims) {
    return make_error(Errc::InvalidArgument, std::move(claims).error().message);
  }

  json::Writer header;
  header.start_object();
  header.field("alg", kAlgorithm);
  if (const json::Value& fields = extra; fields.IsObject()) {
    for (const auto& m : fields.GetObject()) header.key(view(m.name)).value(m.value);
  }
  if (!kid.empty()) header.field("kid", kid);
  header.field("typ", "JWT");
  header.end_object();

  std::string token = base64url_encode(header.view());
  token += '.';
  token += base64url_encode(claims_json);
  auto signature = key.sign_sha256(token);
  if (!signature) return std::move(signature).error();
  token += '.';
  token += base64url_encode(*signature);
  return token;
}

Result<Claims> verify_rs256(std::string_view token, const KeySet& keys, TimePoint now,
                            const VerifyOptions& options) {
  if (token.size() > options.max_token_bytes) {
    return malformed(fmt::format("token of {} bytes exceeds the limit of {} bytes", token.size(),
                                 options.max_token_bytes));
  }
  auto parts = split(token);
  if (!parts) return malformed("a JWT has three parts separated by dots");

  auto header_text = base64url_decode(parts->header);
  if (!header_text) return malformed("token header is not base64url");
  const json::ParseLimits limits{.max_bytes = options.max_token_bytes,
                                 .max_depth = options.max_json_depth};
  auto parsed_header = parse_object(*header_text, limits, "token header");
  if (!parsed_header) return malformed(std::move(parsed_header).error().message);
  const json::Document& header = *parsed_header;

  auto alg = header.FindMember("alg");
  if (alg == header.MemberEnd() || !alg->value.IsString()) {
    return malformed("token header has no alg string");
  }
  if (view(alg->value) != kAlgorithm) {
    return jwt_error(
        JwtErrc::WrongAlgorithm,
        fmt::format("token algorithm \"{}\" is not accepted; only RS256 is", view(alg->value)));
  }
  // RFC 7515 §4.1.11: extensions marked critical must be understood; none are.
  if (header.HasMember("crit")) return malformed("token header has critical extensions (crit)");

  auto key = select_key(header, keys);
  if (!key) return std::move(key).error();

  auto signature = base64url_decode(parts->signature);
  if (!signature) return malformed("token signature is not base64url");
  if (!(*key)->verify_sha256(parts->signing_input, *signature)) {
    return jwt_error(JwtErrc::BadSignature, "token signature does not verify");
  }

  auto payload = base64url_decode(parts->payload);
  if (!payload) return malformed("token claims are not base64url");
  auto claims = Claims::parse(*payload, limits);
  if (!claims) return std::move(claims).error();
  if (auto times = check_times(*claims, now, options); !times) return std::move(times).error();
  return claims;
}

}  // namespace cupola::jwt
