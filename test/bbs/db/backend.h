#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "bbs/src/db/actual_lrp_db.h"
#include "bbs/src/db/cell_db.h"
#include "bbs/src/db/desired_lrp_db.h"
#include "bbs/src/db/task_db.h"
#include "test/common/pg/pg_test_support.h"

namespace cupola::bbs::contract {

// One implementation of every BBS store, empty, on its own io_context. The contract tests
// run once per backend a test binary is built with.
class Backend {
 public:
  virtual ~Backend() = default;

  virtual std::string name() const = 0;
  virtual ActualLrpDb& actual_lrps() = 0;
  virtual DesiredLrpDb& desired_lrps() = 0;
  virtual TaskDb& tasks() = 0;
  virtual CellDb& cells() = 0;
  virtual DomainDb& domains() = 0;
  virtual LockDb& locks() = 0;

  boost::asio::io_context& io() { return io_; }
  // Runs one store call to completion on io().
  template <class T>
  T run(boost::asio::awaitable<T> op) {
    return pg::test::run(io_, std::move(op));
  }

 protected:
  boost::asio::io_context io_;
};

// The backends this binary was built with ("fake", and "pg" for the integration build).
std::vector<std::string> backend_names();
// A new, empty backend (for "pg": a fresh database with the schema applied).
std::unique_ptr<Backend> make_backend(const std::string& name);

std::unique_ptr<Backend> make_fake_backend();
std::unique_ptr<Backend> make_pg_backend();

}  // namespace cupola::bbs::contract
