#pragma once

// Quoting as Go's strconv.Quote does it, which is how gorouter writes every string value of
// an access log line: the result is a double-quoted string in which `"` and `\` are escaped,
// control characters become \a \b \f \n \r \t \v or \xNN, invalid UTF-8 bytes become \xNN,
// and code points that are not printable become \uNNNN or \UNNNNNNNN. Printable UTF-8 stays
// as it is. No raw control character survives.

#include <string>
#include <string_view>

namespace cupola::router::rules {

std::string go_quote(std::string_view s);

// Appends go_quote(s) to `out`.
void append_go_quoted(std::string& out, std::string_view s);

// Whether Go's unicode.IsPrint holds for `cp` (letters, marks, numbers, punctuation, symbols
// and the ASCII space). Beyond ASCII this recognises controls, separators, format characters,
// private use and noncharacters as not printable; unassigned code points count as printable.
bool is_printable(char32_t cp) noexcept;

}  // namespace cupola::router::rules
