// Deterministic randomness for the phantom: the same seed gives the same subjects and the same noise
// on any machine and thread count. SplitMix64 is used both as a stream (scenario draws) and keyed by
// position (noise), instead of <random> distributions whose output the standard leaves open.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

namespace leptoscan::phantom {

inline std::uint64_t Mix(std::uint64_t seed, std::uint64_t key) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (key + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Uniform in [0, 1), 53 bits.
inline double UniformFromKey(std::uint64_t seed, std::uint64_t key) {
  return static_cast<double>(Mix(seed, key) >> 11) * (1.0 / 9007199254740992.0);
}

// Two independent standard normal values (Box-Muller) for one key.
inline std::pair<double, double> GaussianPairFromKey(std::uint64_t seed, std::uint64_t key) {
  const double u1 = 1.0 - UniformFromKey(seed, 2 * key);  // (0, 1]
  const double u2 = UniformFromKey(seed, 2 * key + 1);
  const double r = std::sqrt(-2.0 * std::log(u1));
  return {r * std::cos(2 * M_PI * u2), r * std::sin(2 * M_PI * u2)};
}

// FNV-1a: a string hash that, unlike std::hash, is the same on every platform.
inline std::uint64_t HashText(const std::string& text) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : text)
    h = (h ^ c) * 0x100000001B3ull;
  return h;
}

class Random {
 public:
  explicit Random(std::uint64_t seed) : seed_(seed) {}
  double Uniform(double lo, double hi) { return lo + (hi - lo) * UniformFromKey(seed_, counter_++); }
  // An integer in [0, n).
  std::size_t Index(std::size_t n) {
    return static_cast<std::size_t>(Uniform(0, static_cast<double>(n))) % n;
  }
  bool Chance(double p) { return Uniform(0, 1) < p; }
  double Sign() { return Chance(0.5) ? 1.0 : -1.0; }
  std::uint64_t Next() { return Mix(seed_, counter_++); }

 private:
  std::uint64_t seed_;
  std::uint64_t counter_ = 0;
};

}  // namespace leptoscan::phantom
