// brain_extract: the pipeline's brain mask (ExtractBrain, filters/brain_mask.h) of a NIfTI T1, for the
// comparison with `mia-3dbrainextractT1` in bench/run-brain-mask-benchmark.sh.
// Usage: brain_extract <t1.nii[.gz]> <mask.nii[.gz]>
#include <exception>
#include <iostream>

#include "filters/brain_mask.h"
#include "io/nifti.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: brain_extract <t1.nii[.gz]> <mask.nii[.gz]>\n";
    return 2;
  }
  try {
    const leptoscan::filters::BrainMasks masks =
        leptoscan::filters::ExtractBrain(leptoscan::io::ReadNifti(argv[1]));
    leptoscan::io::WriteNifti(masks.brain, argv[2]);
  } catch (const std::exception& error) {
    std::cerr << "brain_extract: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
