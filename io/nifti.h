// NIfTI-1 reading and writing (through ITK's NIfTI IO: qform and sform both set, LPS <-> RAS handled).
#pragma once

#include <filesystem>

#include "io/volume.h"

namespace leptoscan::io {

enum class NiftiDataType {
  kAuto,  // int16 when every voxel is a whole number in range, else float32
  kFloat32,
  kInt16,
};

// Writes to a temporary name beside `path` and renames, so the file appears whole or not at all.
// `.nii.gz` is compressed. Throws InputError naming the path on failure.
void WriteNifti(const Volume& volume, const std::filesystem::path& path,
                NiftiDataType type = NiftiDataType::kAuto);

Volume ReadNifti(const std::filesystem::path& path);

}  // namespace leptoscan::io
