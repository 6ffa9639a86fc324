#pragma once
// Human-readable tables for the operator commands (`voxgate sessions`):
// columns padded to their widest cell, two spaces apart, headers in the
// first row, no trailing blanks.
//
//   TablePrinter table({{"ID"}, {"STATE"}, {"FROM", 24}});
//   table.add_row({"42", "connected", "sip:alice@example.com"});
//   table.print(std::cout);
//
//   ID  STATE      FROM
//   42  connected  sip:alice@example.com
//
// Widths count UTF-8 code points, not bytes. A cell longer than its
// column's max_width is cut and ends in "..."; control characters (a
// newline in metadata) print as '?', so one row stays one line.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace voxgate::app {

struct TableColumn {
  std::string header;
  std::size_t max_width = 0;  // 0: as wide as the widest cell
};

class TablePrinter {
 public:
  explicit TablePrinter(std::vector<TableColumn> columns);

  // Missing cells print empty; cells beyond the columns are dropped.
  void add_row(std::vector<std::string> cells);
  [[nodiscard]] std::size_t rows() const noexcept { return rows_.size(); }
  void print(std::ostream& out) const;

 private:
  std::vector<TableColumn> columns_;
  std::vector<std::vector<std::string>> rows_;  // fitted: cut, sanitised
};

// `text` with control characters as '?', cut to `max_width` code points
// (ending in "...") when longer; 0: no limit.
std::string fit_cell(std::string_view text, std::size_t max_width);
// UTF-8 code points in `text` (continuation bytes not counted).
std::size_t display_width(std::string_view text) noexcept;

}  // namespace voxgate::app
