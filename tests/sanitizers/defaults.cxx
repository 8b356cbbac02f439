// Runtime options every executable of a LEPTOSCAN_SANITIZE build starts with, so that ctest, the command
// lines the CLI tests run and a developer's own runs check alike. Options in ASAN_OPTIONS, UBSAN_OPTIONS and
// LSAN_OPTIONS still take precedence over these.

// Undefined behaviour stops the program (checks are built recoverable only so that a suppression can skip
// one; see ubsan.supp for the third-party code it names).
extern "C" const char* __ubsan_default_options() {
  return "halt_on_error=1:print_stacktrace=1:suppressions=" LEPTOSCAN_UBSAN_SUPPRESSIONS;
}

// Leaks are reported at exit: a test whose program leaks fails.
extern "C" const char* __asan_default_options() {
  return "detect_leaks=1:strict_init_order=1:check_initialization_order=1:detect_stack_use_after_return=1";
}

// Leaks inside third-party libraries, matched by module: libpng's structures, which VTK's PNG writer does
// not free when a write fails (SnapshotTest.AFileThatCannotBeWrittenIsNamed).
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libpng16.so\n";
}
