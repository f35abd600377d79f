#pragma once
// A fresh directory under $TMPDIR (or /tmp) for one test, removed with everything in it on destruction.
#include <filesystem>
#include <string>

namespace simdev::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Whole contents of a file ("" when it does not exist).
std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace simdev::test
