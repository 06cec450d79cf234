#include "test/bbs/fakes/fake_desired_lrp_db.h"

#include <algorithm>

#include "bbs/api/models/errors.h"

namespace cupola::bbs::fakes {
namespace asio = boost::asio;

namespace {

Error not_found(const std::string& process_guid) {
  return bbs_error(ErrorType::ResourceNotFound, "desired LRP " + process_guid + " not found");
}

bool matches(const DesiredLrpFilter& f, const DesiredLrp& lrp) {
  if (f.domain && lrp.domain != *f.domain) return false;
  if (!f.process_guids.empty() && std::find(f.process_guids.begin(), f.process_guids.end(),
                                            lrp.process_guid) == f.process_guids.end()) {
    return false;
  }
  return true;
}

}  // namespace

asio::awaitable<Result<std::vector<DesiredLrp>>> FakeDesiredLrpDb::list(DesiredLrpFilter filter) {
  list_calls.push_back(filter);
  if (auto e = enter("list")) co_return std::move(*e);
  std::vector<DesiredLrp> out;
  for (const auto& [guid, lrp] : records_) {
    if (matches(filter, lrp)) out.push_back(filter.scheduling_only ? scheduling_info(lrp) : lrp);
  }
  co_return out;
}

asio::awaitable<Result<DesiredLrp>> FakeDesiredLrpDb::get(std::string process_guid) {
  get_calls.push_back(process_guid);
  if (auto e = enter("get")) co_return std::move(*e);
  auto it = records_.find(process_guid);
  if (it == records_.end()) co_return not_found(process_guid);
  co_return it->second;
}

asio::awaitable<Status> FakeDesiredLrpDb::desire(DesiredLrp lrp, std::vector<ActualLrp> actuals) {
  desire_calls.push_back(lrp);
  if (auto e = enter("desire")) co_return std::move(*e);
  if (records_.contains(lrp.process_guid)) {
    co_return bbs_error(ErrorType::ResourceExists,
                        "desired LRP " + lrp.process_guid + " already exists");
  }
  if (auto s = actuals_.insert_all(actuals); !s) co_return s;
  records_.emplace(lrp.process_guid, std::move(lrp));
  co_return Status{};
}

asio::awaitable<Result<std::pair<DesiredLrp, DesiredLrp>>> FakeDesiredLrpDb::update(
    std::string process_guid, std::function<Result<DesiredLrp>(const DesiredLrp&)> decide) {
  update_calls.push_back(process_guid);
  if (auto e = enter("update")) co_return std::move(*e);
  auto it = records_.find(process_guid);
  if (it == records_.end()) co_return not_found(process_guid);
  auto after = decide(it->second);
  if (!after) co_return std::move(after).error();
  after->process_guid = process_guid;
  after->modification_tag = it->second.modification_tag.incremented();
  std::pair<DesiredLrp, DesiredLrp> change(it->second, *after);
  it->second = std::move(after).value();
  co_return change;
}

asio::awaitable<Result<DesiredLrp>> FakeDesiredLrpDb::remove(std::string process_guid) {
  remove_calls.push_back(process_guid);
  if (auto e = enter("remove")) co_return std::move(*e);
  auto it = records_.find(process_guid);
  if (it == records_.end()) co_return not_found(process_guid);
  DesiredLrp removed = std::move(it->second);
  records_.erase(it);
  co_return removed;
}

void FakeDesiredLrpDb::put(DesiredLrp lrp) {
  auto guid = lrp.process_guid;
  records_[guid] = std::move(lrp);
}

std::vector<DesiredLrp> FakeDesiredLrpDb::records() const {
  std::vector<DesiredLrp> out;
  for (const auto& [guid, lrp] : records_) out.push_back(lrp);
  return out;
}

}  // namespace cupola::bbs::fakes
