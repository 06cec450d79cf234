#include "cloud_controller/src/uaa/scim.h"

#include <cctype>

#include "cloud_controller/src/uaa/errors.h"
#include "cloud_controller/src/uaa/scopes.h"
#include "cloud_controller/src/uaa/token_issuer.h"
#include "common/core/time.h"

namespace cupola::cc::uaa {

namespace {

constexpr const char* kSchema = "urn:scim:schemas:core:1.0";

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Error invalid_filter(std::string_view filter) {
  return uaa_error(UaaErrc::InvalidFilter,
                   "Invalid filter expression: [" + std::string(filter) + "]");
}

// A cursor over the filter text.
class FilterLexer {
 public:
  explicit FilterLexer(std::string_view text) : text_(text) {}

  void skip_spaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  bool done() {
    skip_spaces();
    return pos_ >= text_.size();
  }
  // A run of letters.
  std::string word() {
    skip_spaces();
    std::size_t start = pos_;
    while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    return lower(text_.substr(start, pos_ - start));
  }
  // A double-quoted string with backslash escapes.
  std::optional<std::string> quoted() {
    skip_spaces();
    if (pos_ >= text_.size() || text_[pos_] != '"') return std::nullopt;
    std::string out;
    for (++pos_; pos_ < text_.size(); ++pos_) {
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c == '\\') {
        if (++pos_ >= text_.size()) return std::nullopt;
        c = text_[pos_];
      }
      out += c;
    }
    return std::nullopt;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

void write_scim_user(json::Writer& w, const User& user) {
  w.start_object();
  w.field("id", user.guid).field("externalId", "");
  w.key("meta").start_object();
  w.field("version", user.version);
  w.field("created", format_rfc3339(user.created_at));
  w.field("lastModified", format_rfc3339(user.updated_at));
  w.end_object();
  w.field("userName", user.username);
  w.key("name").start_object();
  w.field("familyName", user.family_name).field("givenName", user.given_name);
  w.end_object();
  w.key("emails").start_array();
  if (!user.email.empty()) {
    w.start_object().field("value", user.email).field("primary", false).end_object();
  }
  w.end_array();
  w.key("groups").start_array();
  for (const auto& scope : user_scopes(user.admin)) {
    w.start_object().field("value", scope).field("display", scope).field("type", "DIRECT");
    w.end_object();
  }
  w.end_array();
  w.key("approvals").start_array().end_array();
  w.key("phoneNumbers").start_array().end_array();
  w.field("active", user.active).field("verified", true);
  w.field("origin", user.origin).field("zoneId", kZoneId);
  w.field("passwordLastModified", format_rfc3339(user.password_changed_at));
  w.key("schemas").start_array().value(kSchema).end_array();
  w.end_object();
}

std::string scim_user_json(const User& user) {
  json::Writer w;
  write_scim_user(w, user);
  return w.str();
}

std::string scim_list_json(const UserPage& page, std::size_t start_index,
                           std::size_t items_per_page) {
  json::Writer w;
  w.start_object().key("resources").start_array();
  for (const auto& u : page.users) write_scim_user(w, u);
  w.end_array();
  w.field("startIndex", start_index).field("itemsPerPage", items_per_page);
  w.field("totalResults", page.total);
  w.key("schemas").start_array().value(kSchema).end_array();
  w.end_object();
  return w.str();
}

Result<NewUser> parse_new_user(std::string_view body) {
  auto doc =
      json::parse(body, json::ParseLimits{.max_bytes = std::size_t{64} * 1024, .max_depth = 8});
  if (!doc) return uaa_error(UaaErrc::InvalidScimResource, doc.error().message);
  NewUser u;
  json::ObjectReader r(*doc);
  r.optional("userName", u.username);
  r.optional("password", u.password);
  r.optional("origin", u.origin);
  r.optional("active", u.active);
  auto name = r.object("name");
  name.optional("givenName", u.given_name);
  name.optional("familyName", u.family_name);
  if (!r.ok()) {
    std::string msg;
    for (const auto& p : r.problems()) msg += (msg.empty() ? "" : "; ") + p;
    return uaa_error(UaaErrc::InvalidScimResource, msg);
  }
  if (u.username.empty())
    return uaa_error(UaaErrc::InvalidScimResource, "A username must be provided.");
  const json::Value* emails = r.find("emails");
  if (!emails || !emails->IsArray() || emails->Size() != 1) {
    return uaa_error(UaaErrc::InvalidScimResource, "Exactly one email must be provided.");
  }
  const json::Value& email = (*emails)[0];
  if (!email.IsObject() || !email.HasMember("value") || !email["value"].IsString() ||
      email["value"].GetStringLength() == 0) {
    return uaa_error(UaaErrc::InvalidScimResource, "An email must be provided.");
  }
  u.email.assign(email["value"].GetString(), email["value"].GetStringLength());
  return u;
}

Result<UserFilter> parse_user_filter(std::string_view filter) {
  UserFilter out;
  FilterLexer lex(filter);
  if (lex.done()) return invalid_filter(filter);
  while (true) {
    std::string attribute = lex.word();
    std::string op = lex.word();
    auto value = lex.quoted();
    if (op != "eq" || !value) return invalid_filter(filter);
    if (attribute == "username") {
      out.username = std::move(*value);
    } else if (attribute == "origin") {
      out.origin = std::move(*value);
    } else if (attribute == "id") {
      out.id = std::move(*value);
    } else {
      return invalid_filter(filter);
    }
    if (lex.done()) return out;
    if (lex.word() != "and") return invalid_filter(filter);
  }
}

}  // namespace cupola::cc::uaa
