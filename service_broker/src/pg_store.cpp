#include "service_broker/src/pg_store.h"

#include <algorithm>

#include "common/pg/transaction.h"

namespace cupola::pg_broker {
namespace asio = boost::asio;

namespace {

constexpr const char* kInstanceColumns =
    "instance_id, service_id, plan_id, organization_guid, space_guid, parameters, context, "
    "state, created_at, updated_at";
constexpr const char* kOperationColumns =
    "id, instance_id, kind, state, description, plan_id, parameters, created_at, updated_at";
constexpr const char* kBindingColumns =
    "instance_id, binding_id, service_id, plan_id, app_guid, parameters, state, username, "
    "password, created_at";

// Reads columns by position and keeps the first error.
class Reader {
 public:
  explicit Reader(const pg::Row& row) : row_(row) {}
  std::string text(int i) { return take(row_.text(i), std::string()); }
  std::int64_t int64(int i) { return take(row_.int64(i), std::int64_t{0}); }
  template <class E>
  E parse(int i, std::optional<E> (*parser)(std::string_view), E fallback) {
    std::string t = text(i);
    if (auto v = parser(t)) return *v;
    fail(make_error(Errc::Internal, "unexpected value \"" + t + "\" in the broker database"));
    return fallback;
  }
  void fail(Error e) {
    if (!error_) error_ = std::move(e);
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  template <class T>
  T take(Result<T> r, T fallback) {
    if (r) return std::move(r).value();
    fail(std::move(r).error());
    return fallback;
  }
  const pg::Row& row_;
  std::optional<Error> error_;
};

Result<Instance> read_instance(const pg::Row& row) {
  Reader r(row);
  Instance i;
  i.id = r.text(0);
  i.attributes.service_id = r.text(1);
  i.attributes.plan_id = r.text(2);
  i.attributes.organization_guid = r.text(3);
  i.attributes.space_guid = r.text(4);
  i.attributes.parameters = r.text(5);
  i.context = r.text(6);
  i.state = r.parse(7, parse_instance_state, InstanceState::Deleted);
  i.created_at = r.int64(8);
  i.updated_at = r.int64(9);
  if (r.error()) return *r.error();
  return i;
}

Result<Operation> read_operation(const pg::Row& row) {
  Reader r(row);
  Operation o;
  o.id = r.int64(0);
  o.instance_id = r.text(1);
  o.kind = r.parse(2, parse_operation_kind, OperationKind::Provision);
  o.state = r.parse(3, parse_operation_state, OperationState::Failed);
  o.description = r.text(4);
  o.plan_id = r.text(5);
  o.parameters = r.text(6);
  o.created_at = r.int64(7);
  o.updated_at = r.int64(8);
  if (r.error()) return *r.error();
  return o;
}

Result<Binding> read_binding(const pg::Row& row) {
  Reader r(row);
  Binding b;
  b.instance_id = r.text(0);
  b.binding_id = r.text(1);
  b.attributes.service_id = r.text(2);
  b.attributes.plan_id = r.text(3);
  b.attributes.app_guid = r.text(4);
  b.attributes.parameters = r.text(5);
  b.state = r.parse(6, parse_binding_state, BindingState::Creating);
  b.username = r.text(7);
  b.password = r.text(8);
  b.created_at = r.int64(9);
  if (r.error()) return *r.error();
  return b;
}

template <class T>
Result<std::vector<T>> read_all(const pg::Rows& rows, Result<T> (*read)(const pg::Row&)) {
  std::vector<T> out;
  for (auto row : rows) {
    auto v = read(row);
    if (!v) return std::move(v).error();
    out.push_back(std::move(v).value());
  }
  return out;
}

asio::awaitable<Result<Operation>> insert_operation(pg::Connection& conn, Operation op) {
  std::string sql =
      "INSERT INTO operations (instance_id, kind, state, description, plan_id, "
      "parameters, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) "
      "RETURNING id";
  auto rows =
      co_await conn.query(std::move(sql), op.instance_id, to_string(op.kind), to_string(op.state),
                          op.description, op.plan_id, op.parameters, op.created_at);
  if (!rows) co_return std::move(rows).error();
  auto id = (*rows)[0].int64(0);
  if (!id) co_return std::move(id).error();
  op.id = *id;
  op.updated_at = op.created_at;
  co_return op;
}

Error conflict(const std::string& what) { return make_error(Errc::Conflict, what); }

}  // namespace

asio::awaitable<Result<std::optional<Instance>>> PgBrokerStore::get_instance(
    std::string instance_id) {
  auto rows = co_await pool_.query(
      std::string("SELECT ") + kInstanceColumns + " FROM service_instances WHERE instance_id = $1",
      instance_id);
  if (!rows) co_return std::move(rows).error();
  if (rows->empty()) co_return std::optional<Instance>{};
  auto i = read_instance((*rows)[0]);
  if (!i) co_return std::move(i).error();
  co_return std::optional<Instance>(std::move(i).value());
}

asio::awaitable<Result<Operation>> PgBrokerStore::create_instance(Instance instance, Operation op) {
  const std::int64_t t = now();
  op.created_at = t;
  co_return co_await pg::transaction(
      pool_, [&](pg::Connection& conn) -> asio::awaitable<Result<Operation>> {
        auto rows = co_await conn.query(
            "SELECT state FROM service_instances WHERE instance_id = $1 FOR UPDATE", instance.id);
        if (!rows) co_return std::move(rows).error();
        const auto& a = instance.attributes;
        if (!rows->empty()) {
          auto state = (*rows)[0].text(0);
          if (!state) co_return std::move(state).error();
          if (*state != to_string(InstanceState::Deleted) &&
              *state != to_string(InstanceState::ProvisionFailed)) {
            co_return conflict("service instance " + instance.id + " exists");
          }
          auto done = co_await conn.query(
              "UPDATE service_instances SET service_id = $2, plan_id = $3, organization_guid = $4, "
              "space_guid = $5, parameters = $6, context = $7, state = $8, created_at = $9, "
              "updated_at = $9 WHERE instance_id = $1",
              instance.id, a.service_id, a.plan_id, a.organization_guid, a.space_guid, a.parameters,
              instance.context, to_string(InstanceState::Provisioning), t);
          if (!done) co_return std::move(done).error();
        } else {
          auto done = co_await conn.query(
              "INSERT INTO service_instances (instance_id, service_id, plan_id, organization_guid, "
              "space_guid, parameters, context, state, created_at, updated_at) VALUES ($1, $2, $3, "
              "$4, $5, $6, $7, $8, $9, $9) ON CONFLICT (instance_id) DO NOTHING",
              instance.id, a.service_id, a.plan_id, a.organization_guid, a.space_guid, a.parameters,
              instance.context, to_string(InstanceState::Provisioning), t);
          if (!done) co_return std::move(done).error();
          if (done->affected() == 0)
            co_return conflict("service instance " + instance.id + " exists");
        }
        co_return co_await insert_operation(conn, op);
      });
}

asio::awaitable<Result<Operation>> PgBrokerStore::start_operation(std::string instance_id,
                                                                  std::vector<InstanceState> from,
                                                                  InstanceState to, Operation op) {
  const std::int64_t t = now();
  op.created_at = t;
  co_return co_await pg::transaction(
      pool_, [&](pg::Connection& conn) -> asio::awaitable<Result<Operation>> {
        auto rows = co_await conn.query(
            "SELECT state FROM service_instances WHERE instance_id = $1 FOR UPDATE", instance_id);
        if (!rows) co_return std::move(rows).error();
        if (rows->empty()) {
          co_return make_error(Errc::NotFound, "service instance " + instance_id + " not found");
        }
        auto state = (*rows)[0].text(0);
        if (!state) co_return std::move(state).error();
        auto current = parse_instance_state(*state);
        if (!current || std::find(from.begin(), from.end(), *current) == from.end()) {
          co_return conflict("service instance " + instance_id + " is " + *state);
        }
        auto done = co_await conn.query(
            "UPDATE service_instances SET state = $2, updated_at = $3 WHERE instance_id = $1",
            instance_id, to_string(to), t);
        if (!done) co_return std::move(done).error();
        co_return co_await insert_operation(conn, op);
      });
}

asio::awaitable<Status> PgBrokerStore::finish_operation(Operation op, OperationState state,
                                                        std::string description,
                                                        InstanceState instance_state) {
  const std::int64_t t = now();
  auto done =
      co_await pg::transaction(pool_, [&](pg::Connection& conn) -> asio::awaitable<Result<bool>> {
        auto r = co_await conn.query(
            "UPDATE operations SET state = $2, description = $3, updated_at = $4 WHERE id = $1",
            op.id, to_string(state), description, t);
        if (!r) co_return std::move(r).error();
        if (op.kind == OperationKind::Update && state == OperationState::Succeeded) {
          r = co_await conn.query(
              "UPDATE service_instances SET state = $2, plan_id = $3, parameters = $4, "
              "updated_at = $5 WHERE instance_id = $1",
              op.instance_id, to_string(instance_state), op.plan_id, op.parameters, t);
        } else {
          r = co_await conn.query(
              "UPDATE service_instances SET state = $2, updated_at = $3 WHERE instance_id = $1",
              op.instance_id, to_string(instance_state), t);
        }
        if (!r) co_return std::move(r).error();
        if (instance_state == InstanceState::Deleted) {
          r = co_await conn.query("DELETE FROM service_bindings WHERE instance_id = $1",
                                  op.instance_id);
          if (!r) co_return std::move(r).error();
        }
        co_return true;
      });
  if (!done) co_return std::move(done).error();
  co_return Status{};
}

asio::awaitable<Result<std::optional<Operation>>> PgBrokerStore::latest_operation(
    std::string instance_id, std::optional<OperationKind> kind) {
  std::optional<std::string> kind_text;
  if (kind) kind_text = std::string(to_string(*kind));
  auto rows = co_await pool_.query(std::string("SELECT ") + kOperationColumns +
                                       " FROM operations WHERE instance_id = $1 AND ($2::text IS "
                                       "NULL OR kind = $2) ORDER BY id DESC LIMIT 1",
                                   instance_id, kind_text);
  if (!rows) co_return std::move(rows).error();
  if (rows->empty()) co_return std::optional<Operation>{};
  auto op = read_operation((*rows)[0]);
  if (!op) co_return std::move(op).error();
  co_return std::optional<Operation>(std::move(op).value());
}

asio::awaitable<Result<std::vector<Operation>>> PgBrokerStore::operations_in_progress() {
  auto rows = co_await pool_.query(
      std::string("SELECT ") + kOperationColumns + " FROM operations WHERE state = $1 ORDER BY id",
      to_string(OperationState::InProgress));
  if (!rows) co_return std::move(rows).error();
  co_return read_all(*rows, read_operation);
}

asio::awaitable<Result<std::optional<Binding>>> PgBrokerStore::get_binding(std::string instance_id,
                                                                           std::string binding_id) {
  auto rows = co_await pool_.query(std::string("SELECT ") + kBindingColumns +
                                       " FROM service_bindings WHERE instance_id = $1 AND "
                                       "binding_id = $2",
                                   instance_id, binding_id);
  if (!rows) co_return std::move(rows).error();
  if (rows->empty()) co_return std::optional<Binding>{};
  auto b = read_binding((*rows)[0]);
  if (!b) co_return std::move(b).error();
  co_return std::optional<Binding>(std::move(b).value());
}

asio::awaitable<Status> PgBrokerStore::create_binding(Binding b) {
  const auto& a = b.attributes;
  auto rows = co_await pool_.query(
      "INSERT INTO service_bindings (instance_id, binding_id, service_id, plan_id, app_guid, "
      "parameters, state, username, password, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
      "$8, $9, $10) ON CONFLICT DO NOTHING",
      b.instance_id, b.binding_id, a.service_id, a.plan_id, a.app_guid, a.parameters,
      to_string(b.state), b.username, b.password, now());
  if (!rows) co_return std::move(rows).error();
  if (rows->affected() == 0) co_return conflict("service binding " + b.binding_id + " exists");
  co_return Status{};
}

asio::awaitable<Status> PgBrokerStore::set_binding_state(std::string instance_id,
                                                         std::string binding_id,
                                                         BindingState state) {
  auto rows = co_await pool_.query(
      "UPDATE service_bindings SET state = $3 WHERE instance_id = $1 AND binding_id = $2",
      instance_id, binding_id, to_string(state));
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Status> PgBrokerStore::delete_binding(std::string instance_id,
                                                      std::string binding_id) {
  auto rows = co_await pool_.query(
      "DELETE FROM service_bindings WHERE instance_id = $1 AND binding_id = $2", instance_id,
      binding_id);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Result<std::vector<Binding>>> PgBrokerStore::list_bindings(
    std::string instance_id, std::optional<BindingState> state) {
  std::optional<std::string> state_text;
  if (state) state_text = std::string(to_string(*state));
  auto rows = co_await pool_.query(std::string("SELECT ") + kBindingColumns +
                                       " FROM service_bindings WHERE ($1 = '' OR instance_id = "
                                       "$1) AND ($2::text IS NULL OR state = $2) ORDER BY "
                                       "created_at",
                                   instance_id, state_text);
  if (!rows) co_return std::move(rows).error();
  co_return read_all(*rows, read_binding);
}

}  // namespace cupola::pg_broker
