#pragma once
// A directory of a test's own for the files it writes, removed with them
// when the test ends.

#include <stdlib.h>  // NOLINT(modernize-deprecated-headers): mkdtemp is POSIX, <cstdlib> need not declare it

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace voxgate::test {

class TempDir {
 public:
  explicit TempDir(const char* prefix = "voxgate-test") {
    std::string name = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = name;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&&) = delete;
  TempDir& operator=(TempDir&&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const char* name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace voxgate::test
