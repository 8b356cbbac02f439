// For the browser test of `leptoscan report`: reads a screenshot (PNG) and prints how much of it is not
// page background, then, per colour given as R,G,B, how many pixels are within 60 of it on every channel.
//   screenshot_colours shot.png 255,40,40 255,215,0
//   nonwhite 0.31
//   255,40,40 812
#include <cstdio>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: screenshot_colours <png> [R,G,B ...]\n");
    return 2;
  }
  const cv::Mat image = cv::imread(argv[1], cv::IMREAD_COLOR);
  if (image.empty()) {
    std::fprintf(stderr, "%s: not a readable image\n", argv[1]);
    return 1;
  }
  long nonwhite = 0;
  for (auto it = image.begin<cv::Vec3b>(); it != image.end<cv::Vec3b>(); ++it)
    nonwhite += (*it)[0] < 235 || (*it)[1] < 235 || (*it)[2] < 235;
  std::printf("nonwhite %.3f\n", double(nonwhite) / image.total());
  for (int a = 2; a < argc; ++a) {
    int r = 0, g = 0, b = 0;
    if (std::sscanf(argv[a], "%d,%d,%d", &r, &g, &b) != 3) {
      std::fprintf(stderr, "%s: expected R,G,B\n", argv[a]);
      return 2;
    }
    long count = 0;
    for (auto it = image.begin<cv::Vec3b>(); it != image.end<cv::Vec3b>(); ++it)
      count += std::abs((*it)[2] - r) <= 60 && std::abs((*it)[1] - g) <= 60 && std::abs((*it)[0] - b) <= 60;
    std::printf("%s %ld\n", argv[a], count);
  }
  return 0;
}
