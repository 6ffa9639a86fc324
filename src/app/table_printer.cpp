#include "app/table_printer.hpp"

#include <algorithm>
#include <ostream>
#include <utility>

namespace voxgate::app {
namespace {

constexpr std::string_view kEllipsis = "...";
constexpr std::string_view kGap = "  ";

bool is_continuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

bool is_control(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20U || byte == 0x7FU;
}

}  // namespace

std::size_t display_width(std::string_view text) noexcept {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation(c); }));
}

std::string fit_cell(std::string_view text, std::size_t max_width) {
  std::string cell;
  cell.reserve(text.size());
  for (const char c : text) cell += is_control(c) ? '?' : c;
  if (max_width == 0 || display_width(cell) <= max_width) return cell;
  if (max_width <= kEllipsis.size()) return std::string(kEllipsis.substr(0, max_width));
  // Keep max_width - 3 code points: cut before the first byte of the next one.
  const std::size_t keep = max_width - kEllipsis.size();
  std::size_t points = 0;
  std::size_t cut = 0;
  for (; cut < cell.size(); ++cut) {
    if (is_continuation(cell[cut])) continue;
    if (points == keep) break;
    ++points;
  }
  cell.resize(cut);
  cell += kEllipsis;
  return cell;
}

TablePrinter::TablePrinter(std::vector<TableColumn> columns) : columns_(std::move(columns)) {}

void TablePrinter::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (std::size_t i = 0; i < cells.size(); ++i) cells[i] = fit_cell(cells[i], columns_[i].max_width);
  rows_.push_back(std::move(cells));
}

void TablePrinter::print(std::ostream& out) const {
  std::vector<std::string> headers;
  std::vector<std::size_t> widths;
  for (const TableColumn& column : columns_) {
    headers.push_back(fit_cell(column.header, column.max_width));
    widths.push_back(display_width(headers.back()));
  }
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  const auto print_row = [&](const std::vector<std::string>& cells) {
    // The last non-empty cell ends the line: no trailing blanks.
    std::size_t last = cells.size();
    while (last > 0 && cells[last - 1].empty()) --last;
    for (std::size_t i = 0; i < last; ++i) {
      out << cells[i];
      if (i + 1 < last) out << std::string(widths[i] - display_width(cells[i]), ' ') << kGap;
    }
    out << '\n';
  };
  print_row(headers);
  for (const auto& row : rows_) print_row(row);
}

}  // namespace voxgate::app
