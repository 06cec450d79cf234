#include "service_broker/src/errors.h"

namespace cupola::pg_broker {
namespace {

class BrokerCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "pg-broker"; }
  std::string message(int ev) const override {
    switch (static_cast<BrokerErrc>(ev)) {
      case BrokerErrc::BadRequest:
        return "bad request";
      case BrokerErrc::NotFound:
        return "not found";
      case BrokerErrc::Conflict:
        return "conflict";
      case BrokerErrc::Gone:
        return "gone";
      case BrokerErrc::AsyncRequired:
        return "asynchronous operation required";
      case BrokerErrc::ConcurrencyError:
        return "another operation is in progress";
      case BrokerErrc::InstanceNotUsable:
        return "instance not usable";
      case BrokerErrc::TargetFailed:
        return "database server failed";
    }
    return "unknown error";
  }
};

}  // namespace

const std::error_category& broker_category() noexcept {
  static const BrokerCategory category;
  return category;
}

}  // namespace cupola::pg_broker
