// Runtime options every executable of a LEPTOSCAN_SANITIZE build starts with, so that ctest, the command
// lines the CLI tests run and a developer's own runs check alike. Options in ASAN_OPTIONS, UBSAN_OPTIONS and
// LSAN_OPTIONS still take precedence over these.

// Undefined behaviour stops the program (the checks are built unrecoverable) with the stack that led to it.
extern "C" const char* __ubsan_default_options() {
  return "print_stacktrace=1";
}

// Leaks are reported at exit: a test whose program leaks fails. Stack use after return is left at
// AddressSanitizer's default (off): its fake stack frames took 16% of a pipeline run (63.7 s against
// 53.6 s for one phantom time point; bench/RESULTS.md). ASAN_OPTIONS=detect_stack_use_after_return=1 turns
// it on for a run.
extern "C" const char* __asan_default_options() {
  return "detect_leaks=1:strict_init_order=1:check_initialization_order=1";
}

// Leaks inside third-party libraries, matched by module: libpng's structures, which VTK's PNG writer does
// not free when a write fails (SnapshotTest.AFileThatCannotBeWrittenIsNamed).
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libpng16.so\n";
}
