#include "diego/garden/process/process_backend.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "diego/garden/child_process.h"
#include "diego/garden/container_record.h"
#include "diego/garden/fs_util.h"

namespace fs = std::filesystem;

namespace cupola::garden {
namespace {

Error internal(std::string message) {
  return make_error(make_error_code(Errc::Internal), std::move(message));
}

class HostProcess final : public Process {
 public:
  HostProcess(std::string id, std::unique_ptr<ChildProcess> child)
      : id_(std::move(id)), child_(std::move(child)) {}
  ~HostProcess() override {
    if (!child_->exit_status()) kill_group(SIGKILL);
  }
  const std::string& id() const override { return id_; }
  void signal(int signo) override { child_->signal(signo); }
  int wait() override { return child_->wait(); }
  void on_exit(std::function<void(int)> done) override { child_->on_exit(std::move(done)); }

  bool running() const { return !child_->exit_status(); }
  pid_t pid() const { return child_->pid(); }
  // The process leads its own group: this reaches what it started too.
  void kill_group(int signo) const {
    if (!child_->exit_status()) ::kill(-child_->pid(), signo);
  }

 private:
  std::string id_;
  std::unique_ptr<ChildProcess> child_;
};

class HostContainer final : public Container {
 public:
  HostContainer(ContainerSpec spec, std::string root, std::vector<BindMount> mounts)
      : spec_(std::move(spec)), root_(std::move(root)), mounts_(std::move(mounts)) {}
  ~HostContainer() override { kill_all(); }

  // Container:
  const std::string& handle() const override { return spec_.handle; }
  const std::map<std::string, std::string>& properties() const override { return spec_.properties; }

  Result<std::shared_ptr<Process>> run(const ProcessSpec& spec, ProcessIO io) override {
    auto uid = uid_for_user(spec.user);
    if (!uid) {
      return make_error(make_error_code(Errc::InvalidArgument),
                        "unknown user '" + spec.user + "': use vcap or root");
    }
    ChildSpec child;
    child.argv.push_back(map(spec.path));
    for (const auto& a : spec.args) child.argv.push_back(map_within(map(a)));
    std::map<std::string, std::size_t> at;
    auto put = [&](const std::string& name, const std::string& value) {
      std::string entry = name + "=" + map_within(map(value));
      if (auto it = at.find(name); it != at.end()) {
        child.env[it->second] = entry;
      } else {
        at.emplace(name, child.env.size());
        child.env.push_back(entry);
      }
    };
    put("PATH", "/usr/local/bin:/usr/bin:/bin");
    put("HOME", "/home/vcap");
    put("USER", spec.user);
    for (const auto& [k, v] : spec_.env) put(k, v);
    for (const auto& [k, v] : spec.env) put(k, v);
    child.dir = map(spec.dir.empty() ? "/home/vcap" : spec.dir);
    child.stdin_file = spec.stdin_file;
    child.new_process_group = true;
    auto started = ChildProcess::start(child, std::move(io));
    if (!started) return std::move(started).error();
    auto process = std::make_shared<HostProcess>(
        "p" + std::to_string(++next_id_) + "-" + std::to_string((*started)->pid()),
        std::move(*started));
    std::lock_guard lock(mu_);
    std::erase_if(processes_, [](const auto& p) { return !p->running(); });
    processes_.push_back(process);
    return std::shared_ptr<Process>(process);
  }

  Status stream_in(const std::string& tar_file, const std::string& dir,
                   const std::string& user) override {
    std::string host_dir = map(dir);
    std::error_code ec;
    fs::create_directories(host_dir, ec);
    if (ec) return internal("cannot create " + host_dir + ": " + ec.message());
    ChildSpec tar;
    tar.argv = {find_program("tar"), "-x", "--no-same-owner", "-f", tar_file, "-C", host_dir};
    tar.env = {"PATH=/usr/bin:/bin"};
    if (!uid_for_user(user)) {
      return make_error(make_error_code(Errc::InvalidArgument),
                        "unknown user '" + user + "': use vcap or root");
    }
    auto r = run_command(tar);
    if (!r) return std::move(r).error();
    if (r->status != 0) {
      return internal("unpacking into " + dir + " failed (exit status " +
                      std::to_string(r->status) + "): " + r->output);
    }
    return {};
  }

  Status copy_out(const std::string& container_file, const std::string& host_file) override {
    std::error_code ec;
    fs::copy_file(map(container_file), host_file, fs::copy_options::overwrite_existing, ec);
    if (ec) return internal("copying " + container_file + " out failed: " + ec.message());
    return {};
  }

  Result<Metrics> metrics() override {
    Metrics m;
    std::lock_guard lock(mu_);
    long page = ::sysconf(_SC_PAGESIZE);
    long tick = ::sysconf(_SC_CLK_TCK);
    for (const auto& p : processes_) {
      if (!p->running()) continue;
      std::ifstream statm("/proc/" + std::to_string(p->pid()) + "/statm");
      std::uint64_t size = 0, resident = 0;
      if (statm >> size >> resident) m.memory_bytes += resident * static_cast<std::uint64_t>(page);
      std::ifstream stat("/proc/" + std::to_string(p->pid()) + "/stat");
      std::string field;
      std::uint64_t utime = 0, stime = 0;
      for (int i = 1; i <= 15 && stat >> field; ++i) {
        if (i == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
        if (i == 15) stime = std::strtoull(field.c_str(), nullptr, 10);
      }
      m.cpu_ns += (utime + stime) * 1'000'000'000ull / static_cast<std::uint64_t>(tick);
    }
    m.memory_limit_bytes = spec_.limits.memory_bytes;
    m.disk_limit_bytes = spec_.limits.disk_bytes;
    return m;
  }

  void kill_all() {
    std::lock_guard lock(mu_);
    for (const auto& p : processes_) p->kill_group(SIGKILL);
  }

 private:
  // A container path to the host path it stands for.
  std::string map(const std::string& path) const {
    for (const auto& m : mounts_) {
      if (path == m.container_path || path.starts_with(m.container_path + "/")) {
        return m.host_path + path.substr(m.container_path.size());
      }
    }
    for (const char* prefix : {"/home/vcap", "/tmp"}) {
      std::string p(prefix);
      if (path == p || path.starts_with(p + "/")) return root_ + path;
    }
    return path;
  }

  // Replaces the bind mounts' container paths and /home/vcap wherever they appear as a whole
  // path in a string (a shell command line, say) with the host paths they stand for.
  std::string map_within(const std::string& text) const {
    auto path_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' ||
             c == '/';
    };
    std::vector<std::pair<std::string, std::string>> maps;
    for (const auto& m : mounts_) maps.emplace_back(m.container_path, m.host_path);
    maps.emplace_back("/home/vcap", root_ + "/home/vcap");
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      bool replaced = false;
      if (i == 0 || !path_char(text[i - 1])) {
        for (const auto& [from, to] : maps) {
          if (from.empty() || text.compare(i, from.size(), from) != 0) continue;
          std::size_t end = i + from.size();
          if (end < text.size() && path_char(text[end]) && text[end] != '/') continue;
          out += to;
          i = end;
          replaced = true;
          break;
        }
      }
      if (!replaced) out += text[i++];
    }
    return out;
  }

  ContainerSpec spec_;
  std::string root_;
  std::vector<BindMount> mounts_;
  std::mutex mu_;
  std::vector<std::shared_ptr<HostProcess>> processes_;
  unsigned next_id_ = 0;
};

}  // namespace

Result<std::unique_ptr<ProcessBackend>> ProcessBackend::open(ProcessBackendOptions options,
                                                             log::Logger log) {
  std::error_code ec;
  fs::create_directories(options.depot_dir, ec);
  if (ec) return internal("cannot create " + options.depot_dir + ": " + ec.message());
  return std::unique_ptr<ProcessBackend>(new ProcessBackend(std::move(options), std::move(log)));
}

ProcessBackend::ProcessBackend(ProcessBackendOptions options, log::Logger log)
    : options_(std::move(options)), log_(std::move(log)) {}

Result<std::shared_ptr<Container>> ProcessBackend::create(const ContainerSpec& spec) {
  if (auto st = validate_handle(spec.handle); !st) return std::move(st).error();
  std::string dir = options_.depot_dir + "/" + spec.handle;
  {
    std::lock_guard lock(mu_);
    if (::mkdir(dir.c_str(), 0755) != 0) {
      if (errno == EEXIST) {
        return make_error(make_error_code(Errc::Conflict),
                          "container " + spec.handle + " already exists");
      }
      return internal("cannot create " + dir + ": " + std::strerror(errno));
    }
  }
  std::error_code ec;
  for (const char* sub : {"/root/home/vcap/app", "/root/home/vcap/tmp", "/root/tmp"}) {
    fs::create_directories(dir + sub, ec);
  }
  if (!ec) {
    if (auto st = write_file_atomic(dir + "/container.json", record_json(spec)); !st) {
      fs::remove_all(dir, ec);
      return std::move(st).error();
    }
  }
  if (ec) {
    fs::remove_all(dir, ec);
    return internal("cannot create container " + spec.handle + ": " + ec.message());
  }
  log_.info("created", {{"handle", spec.handle}});
  return load(spec.handle, spec.bind_mounts);
}

Result<std::shared_ptr<Container>> ProcessBackend::lookup(const std::string& handle) {
  if (auto st = validate_handle(handle); !st) return std::move(st).error();
  {
    std::lock_guard lock(mu_);
    if (auto it = containers_.find(handle); it != containers_.end()) return it->second;
  }
  return load(handle, {});
}

Result<std::shared_ptr<Container>> ProcessBackend::load(const std::string& handle,
                                                        std::vector<BindMount> mounts) {
  std::string dir = options_.depot_dir + "/" + handle;
  auto text = read_file(dir + "/container.json");
  if (!text) {
    return make_error(make_error_code(Errc::NotFound), "container " + handle + " not found");
  }
  auto spec = parse_record(*text);
  if (!spec) return std::move(spec).error();
  std::lock_guard lock(mu_);
  auto [it, inserted] = containers_.emplace(
      handle, std::make_shared<HostContainer>(std::move(*spec), dir + "/root", std::move(mounts)));
  return it->second;
}

Result<std::vector<std::string>> ProcessBackend::list() {
  std::vector<std::string> handles;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(options_.depot_dir, ec)) {
    if (fs::exists(entry.path() / "container.json")) {
      handles.push_back(entry.path().filename().string());
    }
  }
  if (ec) return internal("cannot list " + options_.depot_dir + ": " + ec.message());
  std::sort(handles.begin(), handles.end());
  return handles;
}

Status ProcessBackend::destroy(const std::string& handle) {
  if (auto st = validate_handle(handle); !st) return st;
  std::string dir = options_.depot_dir + "/" + handle;
  if (!fs::exists(dir + "/container.json") && !fs::exists(dir)) {
    return make_error(make_error_code(Errc::NotFound), "container " + handle + " not found");
  }
  std::shared_ptr<Container> container;
  {
    std::lock_guard lock(mu_);
    if (auto it = containers_.find(handle); it != containers_.end()) {
      container = it->second;
      containers_.erase(it);
    }
  }
  if (container) static_cast<HostContainer&>(*container).kill_all();
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) return internal("cannot remove " + dir + ": " + ec.message());
  log_.info("destroyed", {{"handle", handle}});
  return {};
}

}  // namespace cupola::garden
