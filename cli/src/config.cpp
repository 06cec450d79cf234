#include "cli/src/config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "common/core/base64.h"
#include "common/json/json.h"

namespace cupola::cli {
namespace {

namespace fs = std::filesystem;
constexpr std::size_t kMaxConfigBytes = 1 << 20;

std::string member(const json::Value& v, const char* key) {
  return v.IsObject() && v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

Error config_error(const std::string& message) {
  return Error{make_error_code(Errc::InvalidArgument), message};
}

std::optional<json::Document> token_claims(const std::string& token) {
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos) return std::nullopt;
  std::string part = token.substr(first + 1, second - first - 1);
  for (char& c : part) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (part.size() % 4 != 0) part += '=';
  auto decoded = base64_decode(part);
  if (!decoded) return std::nullopt;
  auto doc = json::parse(*decoded);
  if (!doc || !doc->IsObject()) return std::nullopt;
  return std::move(*doc);
}

}  // namespace

void Config::clear_session() {
  access_token.clear();
  refresh_token.clear();
  org_guid.clear();
  org_name.clear();
  space_guid.clear();
  space_name.clear();
}

fs::path config_dir() {
  if (const char* home = std::getenv("CUPOLA_HOME"); home != nullptr && *home != '\0') {
    return fs::path(home) / ".cupola";
  }
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr && *home != '\0' ? home : ".") / ".cupola";
}

Result<Config> load_config(const fs::path& dir) {
  Config c;
  const fs::path file = dir / "config.json";
  std::error_code ec;
  if (!fs::exists(file, ec)) return c;
  auto size = fs::file_size(file, ec);
  if (ec || size > kMaxConfigBytes) {
    return config_error("Cannot read " + file.string() + ": it is missing or larger than 1 MiB");
  }
  std::ifstream in(file, std::ios::binary);
  std::string text(std::istreambuf_iterator<char>(in), {});
  auto doc = json::parse(text);
  if (!doc || !doc->IsObject()) {
    return config_error(
        file.string() +
        " is not valid JSON; delete it and run `cupola api` and `cupola login` again");
  }
  const json::Value& d = *doc;
  c.api = member(d, "api");
  c.api_version = member(d, "api_version");
  c.skip_ssl_validation = d.HasMember("skip_ssl_validation") && d["skip_ssl_validation"].IsBool() &&
                          d["skip_ssl_validation"].GetBool();
  c.token_url = member(d, "token_url");
  c.log_cache_url = member(d, "log_cache_url");
  c.access_token = member(d, "access_token");
  c.refresh_token = member(d, "refresh_token");
  if (d.HasMember("org")) {
    c.org_guid = member(d["org"], "guid");
    c.org_name = member(d["org"], "name");
  }
  if (d.HasMember("space")) {
    c.space_guid = member(d["space"], "guid");
    c.space_name = member(d["space"], "name");
  }
  return c;
}

Result<void> save_config(const fs::path& dir, const Config& c) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return config_error("Cannot create " + dir.string() + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  json::Writer w;
  w.start_object();
  w.key("api").value(c.api);
  w.key("api_version").value(c.api_version);
  w.key("skip_ssl_validation").value(c.skip_ssl_validation);
  w.key("token_url").value(c.token_url);
  w.key("log_cache_url").value(c.log_cache_url);
  w.key("access_token").value(c.access_token);
  w.key("refresh_token").value(c.refresh_token);
  w.key("org")
      .start_object()
      .key("guid")
      .value(c.org_guid)
      .key("name")
      .value(c.org_name)
      .end_object();
  w.key("space")
      .start_object()
      .key("guid")
      .value(c.space_guid)
      .key("name")
      .value(c.space_name)
      .end_object();
  w.end_object();
  std::string text = w.str() + "\n";
  const fs::path tmp = dir / ("config.json.tmp-" + std::to_string(::getpid()));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return config_error("Cannot write " + tmp.string());
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), (dir / "config.json").c_str()) != 0) {
    ::unlink(tmp.c_str());
    return config_error("Cannot write " + (dir / "config.json").string());
  }
  return {};
}

std::string user_of_token(const std::string& access_token) {
  auto claims = token_claims(access_token);
  if (!claims) return "";
  std::string user = member(*claims, "user_name");
  return user.empty() ? member(*claims, "client_id") : user;
}

std::string user_id_of_token(const std::string& access_token) {
  auto claims = token_claims(access_token);
  return claims ? member(*claims, "user_id") : "";
}

long long expiry_of_token(const std::string& access_token) {
  auto claims = token_claims(access_token);
  if (!claims || !claims->HasMember("exp") || !(*claims)["exp"].IsNumber()) return 0;
  return static_cast<long long>((*claims)["exp"].GetDouble());
}

}  // namespace cupola::cli
