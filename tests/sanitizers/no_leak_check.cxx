// Linked only into the executables that draw through OpenGL in a LEPTOSCAN_SANITIZE build (leptoscan-view,
// viewer_window_tests): VTK's render window loads Mesa's drivers, whose allocations outlive the window and
// whose stacks LeakSanitizer cannot attribute once the drivers are unloaded ("<unknown module>"), so no
// suppression can name them. Memory errors and undefined behaviour are still checked in these programs, and
// the viewer's code is leak-checked in viewer_tests, which draws without OpenGL.
extern "C" int __lsan_is_turned_off() {
  return 1;
}
