// bias_correct: LeptoScan's bias field correction (filters/bias_correction.h, ITK N4 with the pipeline's
// defaults) on a NIfTI file, for the comparison with `cmtk mrbias` in bench/run-bias-benchmark.sh.
// Usage: bias_correct <in.nii[.gz]> <out.nii[.gz]> [mask.nii[.gz]]
#include <exception>
#include <iostream>

#include "filters/bias_correction.h"
#include "io/nifti.h"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::cerr << "usage: bias_correct <in.nii[.gz]> <out.nii[.gz]> [mask.nii[.gz]]\n";
    return 2;
  }
  try {
    const leptoscan::io::Volume image = leptoscan::io::ReadNifti(argv[1]);
    const leptoscan::io::Volume mask =
        argc == 4 ? leptoscan::io::ReadNifti(argv[3]) : leptoscan::io::Volume{};
    const auto result = leptoscan::filters::CorrectBiasField(image, argc == 4 ? &mask : nullptr);
    leptoscan::io::WriteNifti(result.corrected, argv[2]);
  } catch (const std::exception& error) {
    std::cerr << "bias_correct: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
