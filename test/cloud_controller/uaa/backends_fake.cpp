#include "test/cloud_controller/uaa/backend.h"
#include "test/cloud_controller/uaa/fake_stores.h"

namespace cupola::cc::uaa::test {

namespace {

class FakeBackend final : public Backend {
 public:
  std::string name() const override { return "fake"; }
  UserStore& users() override { return users_; }
  RevocationStore& revocations() override { return revocations_; }

 private:
  FakeUserStore users_;
  FakeRevocationStore revocations_;
};

}  // namespace

std::unique_ptr<Backend> make_fake_backend() { return std::make_unique<FakeBackend>(); }

}  // namespace cupola::cc::uaa::test
