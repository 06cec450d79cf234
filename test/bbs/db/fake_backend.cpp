#include "test/bbs/db/backend.h"
#include "test/bbs/fakes/fake_actual_lrp_db.h"
#include "test/bbs/fakes/fake_cell_db.h"
#include "test/bbs/fakes/fake_desired_lrp_db.h"
#include "test/bbs/fakes/fake_task_db.h"

namespace cupola::bbs::contract {
namespace {

class FakeBackend final : public Backend {
 public:
  std::string name() const override { return "fake"; }
  ActualLrpDb& actual_lrps() override { return actual_; }
  DesiredLrpDb& desired_lrps() override { return desired_; }
  TaskDb& tasks() override { return tasks_; }
  CellDb& cells() override { return cells_; }
  DomainDb& domains() override { return domains_; }
  LockDb& locks() override { return locks_; }

 private:
  fakes::FakeActualLrpDb actual_;
  fakes::FakeDesiredLrpDb desired_{actual_};
  fakes::FakeTaskDb tasks_;
  fakes::FakeCellDb cells_;
  fakes::FakeDomainDb domains_;
  fakes::FakeLockDb locks_;
};

}  // namespace

std::unique_ptr<Backend> make_fake_backend() { return std::make_unique<FakeBackend>(); }

}  // namespace cupola::bbs::contract
