#include "diego/rep/src/ledger.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::rep;

TEST_CASE("the ledger never over-commits the cell") {
  Ledger ledger({1024, 4096, 2});
  CHECK(ledger.reserve("a", 512, 1024));
  CHECK(ledger.available() == auction::Resources{512, 3072, 1});
  CHECK_FALSE(ledger.reserve("b", 513, 10));
  CHECK(ledger.shortfall(513, 10) == "insufficient resources: memory");
  CHECK(ledger.reserve("b", 512, 10));
  CHECK(ledger.shortfall(0, 0) == "insufficient resources: containers");
  CHECK_FALSE(ledger.reserve("c", 0, 0));
  ledger.release("a");
  CHECK(ledger.available() == auction::Resources{512, 4086, 1});
  CHECK(ledger.shortfall(600, 5000) == "insufficient resources: memory, disk");
}

TEST_CASE("a key is held once; releasing an unknown key changes nothing") {
  Ledger ledger({1024, 1024, 10});
  CHECK(ledger.reserve("a", 1, 1));
  CHECK_FALSE(ledger.reserve("a", 1, 1));
  CHECK(ledger.holds("a"));
  ledger.release("zzz");
  CHECK(ledger.available() == auction::Resources{1023, 1023, 9});
}
