// Writes the anatomy template of a phantom head to a folder, as `leptoscan phantom --template` does, without
// the rest of leptoscan: the build runs it to make the Colin27 template every run uses by default.
// Usage: write_template colin27|analytic <folder>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include "filters/template_priors.h"
#include "testdata/phantom/analytic_head.h"
#include "testdata/phantom/colin27_head.h"
#include "testdata/phantom/head_template.h"

int main(int argc, char** argv) {
  using namespace leptoscan;
  const std::string anatomy = argc == 3 ? argv[1] : "";
  if (anatomy != "colin27" && anatomy != "analytic") {
    std::fprintf(stderr, "usage: write_template colin27|analytic <folder>\n");
    return 2;
  }
  try {
    std::unique_ptr<phantom::Anatomy> head;
    if (anatomy == "colin27") {
      head = std::make_unique<phantom::Colin27Head>();
    } else {
      head = std::make_unique<phantom::AnalyticHead>();
    }
    filters::WriteTemplate(phantom::HeadTemplate(*head), argv[2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "write_template: %s\n", e.what());
    return 1;
  }
  return 0;
}
