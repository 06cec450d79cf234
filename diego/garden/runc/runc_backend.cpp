#include "diego/garden/runc/runc_backend.h"

#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/json/json.h"
#include "diego/garden/child_process.h"
#include "diego/garden/container_record.h"
#include "diego/garden/fs_util.h"
#include "diego/garden/runc/oci_spec.h"
#include "diego/garden/runc/runc_container.h"

namespace fs = std::filesystem;

namespace cupola::garden {

struct RuncBackend::Paths {
  std::string dir, record, image, layer, upper, work, bundle, rootfs, processes;
  explicit Paths(const std::string& depot, const std::string& handle)
      : dir(depot + "/" + handle),
        record(dir + "/container.json"),
        image(dir + "/layer.img"),
        layer(dir + "/layer"),
        upper(layer + "/upper"),
        work(layer + "/work"),
        bundle(dir + "/bundle"),
        rootfs(bundle + "/rootfs"),
        processes(dir + "/processes") {}
};

namespace {

Error internal(std::string message) {
  return make_error(make_error_code(Errc::Internal), std::move(message));
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

Status run_tool(std::vector<std::string> argv, const std::string& what) {
  ChildSpec spec;
  spec.argv = std::move(argv);
  spec.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  auto r = run_command(spec);
  if (!r) return std::move(r).error();
  if (r->status != 0) {
    return internal(what + " failed (exit status " + std::to_string(r->status) +
                    "): " + trimmed(r->output));
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<RuncBackend>> RuncBackend::open(RuncBackendOptions options,
                                                       log::Logger log) {
  auto unavailable = [](std::string m) {
    return make_error(make_error_code(Errc::Unavailable), std::move(m));
  };
  if (::geteuid() != 0) return unavailable("the runc backend needs root; use the process backend");
  std::string runc = find_program(options.runc);
  if (runc.empty()) return unavailable("runc not found (install the runc package)");
  options.runc = runc;
  if (!fs::exists(options.stack_dir + "/etc/cupola-stack")) {
    return unavailable("no cupolafs stack at " + options.stack_dir + " (build it: ./dev stack)");
  }
  if (::access(options.init_path.c_str(), X_OK) != 0) {
    return unavailable("the container init binary " + options.init_path + " is missing");
  }
  // Processes run with `runc exec --detach` are orphaned when runc exits: as a child
  // subreaper this process inherits them and waits for them itself.
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
    return internal("cannot become a child subreaper: " + std::string(std::strerror(errno)));
  }
  std::error_code ec;
  fs::create_directories(options.depot_dir + "/.runc", ec);
  if (ec) return internal("cannot create " + options.depot_dir + ": " + ec.message());
  bool v2 = fs::exists("/sys/fs/cgroup/cgroup.controllers");
  bool swap = !v2 && fs::exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes");
  return std::unique_ptr<RuncBackend>(
      new RuncBackend(std::move(options), std::move(log), v2, swap));
}

RuncBackend::RuncBackend(RuncBackendOptions options, log::Logger log, bool v2, bool swap)
    : options_(std::move(options)), log_(std::move(log)), cgroup_v2_(v2), swap_accounting_(swap) {}

Result<std::shared_ptr<Container>> RuncBackend::create(const ContainerSpec& spec) {
  if (auto st = validate_handle(spec.handle); !st) return std::move(st).error();
  Paths paths(options_.depot_dir, spec.handle);
  {
    std::lock_guard lock(mu_);
    if (containers_.contains(spec.handle) || ::mkdir(paths.dir.c_str(), 0700) != 0) {
      if (errno == EEXIST || containers_.contains(spec.handle)) {
        return make_error(make_error_code(Errc::Conflict),
                          "container " + spec.handle + " already exists");
      }
      return internal("cannot create " + paths.dir + ": " + std::strerror(errno));
    }
  }
  auto log = log_.session("create", {{"handle", spec.handle}});
  if (auto st = build(spec, paths); !st) {
    log.error("failed", st.error().message);
    (void)teardown(spec.handle, paths);
    return std::move(st).error();
  }
  auto container = load(spec.handle);
  if (container) log.info("created");
  return container;
}

Status RuncBackend::build(const ContainerSpec& spec, const Paths& paths) {
  if (auto st = write_file_atomic(paths.record, record_json(spec)); !st) return st;
  std::error_code ec;
  for (const auto& d : {paths.layer, paths.bundle, paths.rootfs, paths.processes}) {
    fs::create_directories(d, ec);
    if (ec) return internal("cannot create " + d + ": " + ec.message());
  }
  // The writable layer: an ext4 image of the disk limit, so a full disk stays inside it.
  if (spec.limits.disk_bytes > 0) {
    if (::truncate(paths.image.c_str(), 0) != 0 && errno != ENOENT) {
      return internal("cannot reset " + paths.image);
    }
    std::FILE* f = std::fopen(paths.image.c_str(), "w");
    if (f == nullptr) return internal("cannot create " + paths.image + ": " + std::strerror(errno));
    std::fclose(f);
    if (::truncate(paths.image.c_str(), static_cast<off_t>(spec.limits.disk_bytes)) != 0) {
      return internal("cannot size " + paths.image + ": " + std::strerror(errno));
    }
    if (auto st = run_tool({"/sbin/mkfs.ext4", "-q", "-F", "-O", "^has_journal", "-m", "0", "-E",
                            "nodiscard,lazy_itable_init=1", paths.image},
                           "making the disk layer");
        !st) {
      return st;
    }
    if (auto st = run_tool({"/bin/mount", "-o", "loop,nosuid,nodev", paths.image, paths.layer},
                           "mounting the disk layer");
        !st) {
      return st;
    }
  }
  for (const auto& d : {paths.upper, paths.work}) {
    fs::create_directories(d, ec);
    if (ec) return internal("cannot create " + d + ": " + ec.message());
  }
  std::string options =
      "lowerdir=" + options_.stack_dir + ",upperdir=" + paths.upper + ",workdir=" + paths.work;
  if (::mount("overlay", paths.rootfs.c_str(), "overlay", MS_NOSUID | MS_NODEV, options.c_str()) !=
      0) {
    return internal("cannot mount the container's root: " + std::string(std::strerror(errno)));
  }

  runc::BundleOptions bundle;
  bundle.rootfs = paths.rootfs;
  bundle.hostname = spec.handle;
  bundle.cgroups_path = "/" + options_.cgroup_parent + "/" + spec.handle;
  bundle.init_path = options_.init_path;
  bundle.limits = spec.limits;
  bundle.bind_mounts = spec.bind_mounts;
  bundle.swap_accounting = swap_accounting_;
  bundle.tmp_bytes = spec.limits.memory_bytes;
  if (auto st = write_file_atomic(paths.bundle + "/config.json", runc::config_json(bundle)); !st) {
    return st;
  }
  return run_tool({options_.runc, "--root", options_.depot_dir + "/.runc", "run", "--detach",
                   "--bundle", paths.bundle, "--pid-file", paths.bundle + "/init.pid", spec.handle},
                  "starting the container");
}

Result<std::shared_ptr<Container>> RuncBackend::lookup(const std::string& handle) {
  if (auto st = validate_handle(handle); !st) return std::move(st).error();
  {
    std::lock_guard lock(mu_);
    if (auto it = containers_.find(handle); it != containers_.end()) return it->second;
  }
  return load(handle);
}

Result<std::shared_ptr<Container>> RuncBackend::load(const std::string& handle) {
  Paths paths(options_.depot_dir, handle);
  auto text = read_file(paths.record);
  if (!text) {
    return make_error(make_error_code(Errc::NotFound), "container " + handle + " not found");
  }
  auto spec = parse_record(*text);
  if (!spec) return std::move(spec).error();
  RuncContainerConfig config;
  config.handle = handle;
  config.properties = spec->properties;
  config.env = spec->env;
  config.limits = spec->limits;
  config.dir = paths.dir;
  config.runc = options_.runc;
  config.runc_root = options_.depot_dir + "/.runc";
  config.cgroup = "/" + options_.cgroup_parent + "/" + handle;
  config.cgroup_v2 = cgroup_v2_;
  if (spec->limits.disk_bytes > 0) config.layer_mount = paths.layer;
  std::lock_guard lock(mu_);
  auto [it, inserted] =
      containers_.emplace(handle, std::make_shared<RuncContainer>(std::move(config)));
  return it->second;
}

Result<std::vector<std::string>> RuncBackend::list() {
  std::vector<std::string> handles;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(options_.depot_dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with(".")) continue;
    if (fs::exists(entry.path() / "container.json")) handles.push_back(name);
  }
  if (ec) return internal("cannot list " + options_.depot_dir + ": " + ec.message());
  std::sort(handles.begin(), handles.end());
  return handles;
}

Status RuncBackend::destroy(const std::string& handle) {
  if (auto st = validate_handle(handle); !st) return st;
  Paths paths(options_.depot_dir, handle);
  if (!fs::exists(paths.dir)) {
    return make_error(make_error_code(Errc::NotFound), "container " + handle + " not found");
  }
  auto st = teardown(handle, paths);
  if (st) log_.info("destroyed", {{"handle", handle}});
  return st;
}

Status RuncBackend::teardown(const std::string& handle, const Paths& paths) {
  {
    std::lock_guard lock(mu_);
    containers_.erase(handle);
  }
  // `delete --force` kills every process and removes the cgroup; a container runc never
  // started is not an error here.
  ChildSpec del;
  del.argv = {options_.runc, "--root", options_.depot_dir + "/.runc", "delete", "--force", handle};
  del.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  auto r = run_command(del);
  if (r && r->status != 0 && r->output.find("does not exist") == std::string::npos &&
      r->output.find("not exist") == std::string::npos) {
    log_.error("runc-delete-failed", trimmed(r->output), {{"handle", handle}});
  }
  // The container's init was reparented to us when `runc run` exited: reap it.
  if (auto pid = read_file(paths.bundle + "/init.pid", 64); pid && !pid->empty()) {
    pid_t init = static_cast<pid_t>(std::atoll(pid->c_str()));
    for (int i = 0; i < 100 && init > 0; ++i) {
      pid_t r = ::waitpid(init, nullptr, WNOHANG);
      if (r == init || (r < 0 && errno == ECHILD)) break;
      ::usleep(10'000);
    }
  }
  for (const auto& m : {paths.rootfs, paths.layer}) {
    if (is_mount_point(m) && ::umount2(m.c_str(), MNT_DETACH) != 0) {
      return internal("cannot unmount " + m + ": " + std::strerror(errno));
    }
  }
  // Never remove through a mount: what is below would be the stack or another disk.
  if (is_mount_point(paths.rootfs) || is_mount_point(paths.layer)) {
    return internal("container " + handle + " is still mounted; not removing it");
  }
  std::error_code ec;
  fs::remove_all(paths.dir, ec);
  if (ec) return internal("cannot remove " + paths.dir + ": " + ec.message());
  return {};
}

}  // namespace cupola::garden
