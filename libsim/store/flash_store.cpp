#include "libsim/store/flash_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace simdev::store {
namespace {

namespace fs = std::filesystem;

std::string errno_text(const std::string& what, const fs::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

// Writes everything or throws; a short write on a regular file means the disk is full.
void write_all(int fd, const std::string& text, const fs::path& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(errno_text("cannot write flash temp file", path));
    }
    done += static_cast<std::size_t>(n);
  }
}

void fsync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the rename already happened; durability of the entry is best effort
  ::fsync(fd);
  ::close(fd);
}

fs::path temp_path_for(const fs::path& path) {
  static std::atomic<unsigned> counter{0};
  return fs::path(path.string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

// Why a file cannot be used, or empty when it can.
std::string check_envelope(const nlohmann::json& file, const std::string& schema, int version) {
  if (!file.is_object()) return "not a JSON object";
  const auto s = file.find("schema");
  if (s == file.end() || !s->is_string()) return "no \"schema\" field";
  if (*s != schema) return "schema \"" + s->get<std::string>() + "\" is not \"" + schema + "\"";
  const auto v = file.find("version");
  if (v == file.end() || !v->is_number_integer()) return "no \"version\" field";
  if (*v != version) return "version " + v->dump() + " is not " + std::to_string(version);
  const auto d = file.find("data");
  if (d == file.end() || !d->is_object()) return "no \"data\" object";
  return {};
}

}  // namespace

FlashStore::FlashStore(FlashOptions options, std::string schema, int version, std::shared_ptr<spdlog::logger> log)
    : options_(std::move(options)), schema_(std::move(schema)), version_(version), log_(std::move(log)) {}

void FlashStore::warn(const std::string& message) const {
  if (log_) {
    log_->warn("{}", message);
  } else {
    std::fprintf(stderr, "warning: %s\n", message.c_str());
  }
}

std::optional<nlohmann::json> FlashStore::load() {
  if (options_.path.empty() || options_.reset) return std::nullopt;

  std::ifstream in(options_.path, std::ios::binary);
  if (!in) {
    if (errno != ENOENT) warn(errno_text("cannot read flash file", options_.path) + "; using factory defaults");
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();

  std::string problem;
  nlohmann::json file = nlohmann::json::parse(text.str(), nullptr, false);
  if (file.is_discarded()) {
    problem = "not valid JSON (corrupt or truncated)";
  } else {
    problem = check_envelope(file, schema_, version_);
  }
  if (problem.empty()) return std::move(file["data"]);

  if (options_.readonly) {
    warn("flash file " + options_.path.string() + ": " + problem + "; using factory defaults (read-only: left in place)");
    return std::nullopt;
  }
  move_aside(problem);
  return std::nullopt;
}

void FlashStore::move_aside(const std::string& problem) {
  const std::string base = options_.path.string() + ".corrupt-" + utc_timestamp();
  fs::path target = base;
  for (int n = 1; fs::exists(target); ++n) target = base + "." + std::to_string(n);

  std::error_code ec;
  fs::rename(options_.path, target, ec);
  if (ec) {
    warn("flash file " + options_.path.string() + ": " + problem + "; could not move it aside (" + ec.message() +
         "); using factory defaults");
    return;
  }
  moved_aside_ = target;
  warn("flash file " + options_.path.string() + ": " + problem + "; moved to " + target.string() +
       ", using factory defaults");
}

void FlashStore::save(const nlohmann::json& data) {
  if (options_.path.empty() || options_.readonly) return;

  const nlohmann::json file{{"schema", schema_}, {"version", version_}, {"data", data}};
  const std::string text = file.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";

  fs::path dir = options_.path.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::create_directories(dir, ec);

  const fs::path temp = temp_path_for(options_.path);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(errno_text("cannot create flash temp file", temp));
  try {
    write_all(fd, text, temp);
    if (::fsync(fd) != 0) throw std::runtime_error(errno_text("cannot fsync flash temp file", temp));
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(temp.c_str(), options_.path.c_str()) != 0) {
    const std::string message = errno_text("cannot replace flash file", options_.path);
    ::unlink(temp.c_str());
    throw std::runtime_error(message);
  }
  fsync_directory(dir);
  ++writes_;
}

}  // namespace simdev::store
