#include "app/table_printer.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace voxgate::app {
namespace {

std::string printed(const TablePrinter& table) {
  std::ostringstream out;
  table.print(out);
  return out.str();
}

TEST(TablePrinter, PadsEachColumnToItsWidestCellTwoSpacesApart) {
  TablePrinter table({{"ID"}, {"STATE"}, {"FROM"}});
  table.add_row({"7", "connected", "sip:a@x"});
  table.add_row({"1234", "ringing", "sip:bob@example.com"});
  EXPECT_EQ(printed(table),
            "ID    STATE      FROM\n"
            "7     connected  sip:a@x\n"
            "1234  ringing    sip:bob@example.com\n");
  EXPECT_EQ(table.rows(), 2U);
}

TEST(TablePrinter, AHeaderWiderThanItsCellsSetsTheWidth) {
  TablePrinter table({{"DIRECTION"}, {"X"}});
  table.add_row({"in", "1"});
  EXPECT_EQ(printed(table), "DIRECTION  X\nin         1\n");
}

TEST(TablePrinter, NoTrailingBlanksWhenTheLastCellsAreEmpty) {
  TablePrinter table({{"A"}, {"B"}, {"METADATA"}});
  table.add_row({"1", "2", ""});
  table.add_row({"1"});  // missing cells print empty
  EXPECT_EQ(printed(table), "A  B  METADATA\n1  2\n1\n");
}

TEST(TablePrinter, CutsCellsLongerThanTheColumnsMaximumWithAnEllipsis) {
  TablePrinter table({{"TO", 10}, {"N"}});
  table.add_row({"sip:someone@example.com", "1"});
  table.add_row({"sip:bob@x", "2"});
  EXPECT_EQ(printed(table),
            "TO          N\n"
            "sip:som...  1\n"
            "sip:bob@x   2\n");
}

TEST(TablePrinter, ExtraCellsAreDropped) {
  TablePrinter table({{"A"}});
  table.add_row({"1", "surplus"});
  EXPECT_EQ(printed(table), "A\n1\n");
}

TEST(FitCell, CountsAndCutsUtf8CodePointsNotBytes) {
  EXPECT_EQ(display_width("h\xC3\xA9llo"), 5U);  // héllo
  EXPECT_EQ(fit_cell("h\xC3\xA9llo", 5), "h\xC3\xA9llo");
  EXPECT_EQ(fit_cell("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 4), "\xC3\xA9...");  // never half a character
  TablePrinter table({{"NAME"}, {"N"}});
  table.add_row({"J\xC3\xBCrgen", "1"});
  table.add_row({"Bob", "2"});
  EXPECT_EQ(printed(table), "NAME    N\nJ\xC3\xBCrgen  1\nBob     2\n");
}

TEST(FitCell, ControlCharactersKeepARowOnOneLine) {
  EXPECT_EQ(fit_cell("a\nb\tc\x7f", 0), "a?b?c?");
}

TEST(FitCell, AMaximumTooNarrowForTheEllipsisKeepsWhatFits) {
  EXPECT_EQ(fit_cell("abcdef", 3), "...");
  EXPECT_EQ(fit_cell("abcdef", 2), "..");
  EXPECT_EQ(fit_cell("abc", 3), "abc");
  EXPECT_EQ(fit_cell("abcd", 4), "abcd");
  EXPECT_EQ(fit_cell("abcde", 4), "a...");
}

}  // namespace
}  // namespace voxgate::app
