#include "cloud_controller/src/db/settings_db.h"

#include <algorithm>

#include "cloud_controller/src/db/sql_support.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

using namespace sql;

const std::string kFlagRow = "f.name, f.enabled, f.error_message, " + ts("f.updated_at");
const std::string kGroupRow = "g.name, g.environment_json::text, " + ts("g.updated_at");

FeatureFlag read_flag(Reader& r) {
  FeatureFlag f;
  f.name = r.text(0);
  f.enabled = r.boolean(1);
  if (auto m = r.row.optional_text(2); m && *m) f.custom_error_message = **m;
  f.updated_at = r.text(3);
  return f;
}

EnvironmentGroup read_group(Reader& r) {
  EnvironmentGroup g;
  g.name = r.text(0);
  g.var_json = r.text(1);
  g.updated_at = r.text(2);
  return g;
}

}  // namespace

std::optional<bool> feature_flag_default(std::string_view name) {
  for (const auto& d : kFeatureFlagDefaults) {
    if (d.name == name) return d.enabled;
  }
  return std::nullopt;
}

asio::awaitable<Result<std::vector<FeatureFlag>>> SettingsDb::feature_flags() {
  auto rows = co_await pool_.query("SELECT " + kFlagRow + " FROM feature_flags f");
  if (!rows) co_return std::move(rows).error();
  auto stored = read_page<FeatureFlag>(*rows, -1, read_flag);
  if (!stored) co_return std::move(stored).error();
  std::vector<FeatureFlag> out;
  for (const auto& d : kFeatureFlagDefaults) {
    auto set = std::find_if(stored->resources.begin(), stored->resources.end(),
                            [&](const FeatureFlag& f) { return f.name == d.name; });
    if (set != stored->resources.end()) {
      out.push_back(*set);
    } else {
      out.push_back(FeatureFlag{std::string(d.name), d.enabled, std::nullopt, std::nullopt});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const FeatureFlag& a, const FeatureFlag& b) { return a.name < b.name; });
  co_return out;
}

asio::awaitable<Result<std::optional<FeatureFlag>>> SettingsDb::feature_flag(std::string name) {
  auto fallback = feature_flag_default(name);
  if (!fallback) co_return std::optional<FeatureFlag>();
  auto rows =
      co_await pool_.query("SELECT " + kFlagRow + " FROM feature_flags f WHERE f.name = $1", name);
  if (!rows) co_return std::move(rows).error();
  auto stored = first_of(read_page<FeatureFlag>(*rows, -1, read_flag));
  if (!stored) co_return std::move(stored).error();
  if (*stored) co_return std::move(*stored);
  co_return std::optional<FeatureFlag>(FeatureFlag{name, *fallback, std::nullopt, std::nullopt});
}

asio::awaitable<Result<FeatureFlag>> SettingsDb::update_feature_flag(std::string name,
                                                                     FeatureFlagChange change) {
  auto fallback = feature_flag_default(name);
  if (!fallback) co_return make_error(Errc::NotFound, "no feature flag named " + name);
  // The first change of a flag starts from its default; later ones from what is stored.
  bool enabled = change.enabled.value_or(*fallback);
  std::optional<std::string> message;
  if (change.custom_error_message) message = *change.custom_error_message;
  bool set_enabled = change.enabled.has_value();
  bool set_message = change.custom_error_message.has_value();
  auto rows = co_await pool_.query(
      "INSERT INTO feature_flags AS f (name, enabled, error_message) VALUES ($1, $2, $3) "
      "ON CONFLICT (name) DO UPDATE SET "
      "enabled = CASE WHEN $4::boolean THEN EXCLUDED.enabled ELSE f.enabled END, "
      "error_message = CASE WHEN $5::boolean THEN EXCLUDED.error_message ELSE f.error_message "
      "END, updated_at = now() RETURNING " +
          kFlagRow,
      name, enabled, message, set_enabled, set_message);
  if (!rows) co_return std::move(rows).error();
  auto page = read_page<FeatureFlag>(*rows, -1, read_flag);
  if (!page) co_return std::move(page).error();
  co_return std::move(page->resources.front());
}

asio::awaitable<Result<std::optional<EnvironmentGroup>>> SettingsDb::environment_group(
    std::string name) {
  auto rows = co_await pool_.query(
      "SELECT " + kGroupRow + " FROM environment_variable_groups g WHERE g.name = $1", name);
  if (!rows) co_return std::move(rows).error();
  co_return first_of(read_page<EnvironmentGroup>(*rows, -1, read_group));
}

asio::awaitable<Result<std::optional<EnvironmentGroup>>> SettingsDb::update_environment_group(
    std::string name, std::string changes_json) {
  // The values are strings, so stripping nulls removes exactly the variables set to null.
  auto rows = co_await pool_.query(
      "UPDATE environment_variable_groups AS g SET environment_json = "
      "jsonb_strip_nulls(g.environment_json || $2::jsonb), updated_at = now() "
      "WHERE g.name = $1 RETURNING " +
          kGroupRow,
      name, changes_json);
  if (!rows) co_return std::move(rows).error();
  co_return first_of(read_page<EnvironmentGroup>(*rows, -1, read_group));
}

}  // namespace cupola::cc
