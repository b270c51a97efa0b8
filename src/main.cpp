#include "cli/app.h"

int main(int argc, char** argv) { return specgap::cli::run(argc, argv); }
