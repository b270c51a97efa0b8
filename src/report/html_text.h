#pragma once
// The pieces every section of the HTML report is written with: escaping (every string that came from
// a run, a model file or the catalog goes through html_escape before it reaches the page), a Table
// drawn as an HTML table, and the frame of a section.
#include <string>
#include <string_view>

#include "report/table.h"

namespace specgap::report {

// Text safe inside an element or a quoted attribute: & < > " ' escaped, and control characters other
// than tab and newline (which HTML forbids) replaced by U+FFFD.
std::string html_escape(std::string_view text);

// A Table as <table>, its title as <caption> and its notes as small paragraphs under it.
std::string html_table(const Table& t);

// <section id="..."><h2>title</h2>body</section>; `body` is HTML already.
std::string html_section(const std::string& id, const std::string& title, const std::string& body);

// The line a section shows in place of a chart or table it has nothing for.
std::string html_empty(const std::string& why);

}  // namespace specgap::report
