#pragma once
// Test data lives in files beside the tests that use it (messages written out
// byte for byte, CRLFs included). These helpers find and read them.

#include <filesystem>
#include <string>
#include <vector>

namespace voxgate::test {

// The repository root, fixed at configure time.
std::filesystem::path source_dir();

// The whole file, bytes as they are.
std::string read_file(const std::filesystem::path& path);

// Every regular file directly under `dir`, sorted by name.
std::vector<std::filesystem::path> list_files(const std::filesystem::path& dir);

}  // namespace voxgate::test
