// leptoscan convert: one DICOM series to NIfTI, with the geometry checks the pipeline relies on.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "io/atomic_file.h"
#include "io/dicom_volume.h"
#include "io/errors.h"
#include "io/nifti.h"
#include "io/series_index.h"
#include "pipeline/commands/command.h"
#include "pipeline/progress.h"

namespace leptoscan::cli {
namespace {

namespace fs = std::filesystem;

// "out.nii.gz" -> ("out", ".nii.gz")
std::pair<std::string, std::string> SplitNiftiName(const fs::path& path) {
  const std::string name = path.string();
  for (const char* extension : {".nii.gz", ".nii"}) {
    const std::string ext = extension;
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
      return {name.substr(0, name.size() - ext.size()), ext};
    }
  }
  throw CLI::ValidationError("output", "must end in .nii or .nii.gz: " + name);
}

class ConvertCommand : public Command {
 public:
  const char* Name() const override { return "convert"; }
  const char* Summary() const override { return "Convert one DICOM series to NIfTI"; }

  void Usage(CLI::App& app) override {
    app.description(
        "Decodes one series (uncompressed, deflate, RLE, JPEG baseline/extended/lossless and JPEG-LS with "
        "DCMTK, "
        "JPEG 2000 with GDCM), applies rescale slope/intercept, orders slices by ImagePositionPatient along "
        "the "
        "slice normal and writes NIfTI with qform and sform. Missing slices, uneven spacing, a "
        "SpacingBetweenSlices "
        "tag that disagrees with the positions, and series holding several volumes (echoes, time points, "
        "stacks) "
        "are reported. Slice-spacing policy: spacing is the distance between the first two slices (as "
        "dcm2niix); "
        "uneven steps are kept as acquired with a warning; a gap of missing slices (a step over 1.5x the "
        "median) "
        "is resampled by linear interpolation onto the median spacing, or refused with --slice-gaps refuse. "
        "A JSON sidecar beside the output records the source series and every warning.");
    app.add_option("input", input_, "Series folder (or a folder holding several series, with --series)")
        ->required()
        ->check(CLI::ExistingPath);
    app.add_option("output", output_, "Output file, .nii or .nii.gz")->required();
    app.add_option("--series", series_uid_,
                   "SeriesInstanceUID of the series to convert when the folder holds several");
    app.add_flag("--split", split_,
                 "Write one file per volume when the series holds several (suffix _echo2, _time3, ...)");
    app.add_option("--slice-gaps", gaps_, "What to do with missing slices")
        ->check(CLI::IsMember({"resample", "refuse"}))
        ->default_str("resample");
    app.add_option("--datatype", datatype_,
                   "Voxel type: auto (int16 for whole numbers, else float32), float32, int16")
        ->check(CLI::IsMember({"auto", "float32", "int16"}))
        ->default_str("auto");
    app.add_option("--max-voxels", max_voxels_,
                   "Refuse a series whose headers claim more voxels than this, before reading any pixel")
        ->default_val(io::LoadOptions{}.max_voxels)
        ->check(CLI::PositiveNumber);
    app.footer(
        "Examples:\n"
        "  leptoscan convert /data/P001/series5 t1_post.nii.gz\n"
        "  leptoscan convert /data/P001 --series 1.2.840.113619.2.1.5 t1_post.nii.gz\n"
        "  leptoscan convert /data/P001/dual_echo pd_t2.nii.gz --split     writes pd_t2_echo1.nii.gz, ...");
  }

  int Run() override {
    const auto [stem, extension] = SplitNiftiName(output_);
    io::HeaderScan scan = ScanHeaders();
    const io::SeriesRecord series = ChooseSeries(io::BuildIndex(scan));
    spdlog::info("converting series {} '{}' ({} files)", series.series_number.value_or(0), series.description,
                 series.files.size());
    io::LoadOptions options;
    options.split = split_;
    options.max_voxels = max_voxels_;
    options.gaps = gaps_ == "refuse" ? io::SliceGapPolicy::kRefuse : io::SliceGapPolicy::kResample;
    std::vector<io::DicomFileHeader> headers;
    for (auto& header : scan.headers) {
      if (std::binary_search(series.files.begin(), series.files.end(), header.path))
        headers.push_back(std::move(header));
    }
    const auto volumes = io::LoadDicomSeries(std::move(headers), options);
    const io::NiftiDataType type = datatype_ == "float32" ? io::NiftiDataType::kFloat32
                                   : datatype_ == "int16" ? io::NiftiDataType::kInt16
                                                          : io::NiftiDataType::kAuto;
    for (const auto& volume : volumes) {
      const std::string base = volume.label.empty() ? stem : stem + "_" + volume.label;
      for (const auto& warning : volume.warnings)
        spdlog::warn("{}: {}", series.files.front().parent_path().string(), warning);
      io::WriteNifti(volume.volume, base + extension, type);
      io::WriteFileAtomically(base + ".json", Sidecar(series, volume));
      const auto& g = volume.volume.geometry;
      spdlog::info("wrote {} ({}x{}x{} voxels of {:.4g}x{:.4g}x{:.4g} mm)", base + extension, g.size[0],
                   g.size[1], g.size[2], g.spacing_mm[0], g.spacing_mm[1], g.spacing_mm[2]);
    }
    return kSuccess;
  }

 private:
  io::HeaderScan ScanHeaders() const {
    Progress progress("reading headers", "files");
    return io::ScanDicomHeaders(
        {input_}, [&progress](std::size_t done, std::size_t total) { progress.Update(done, total); });
  }

  io::SeriesRecord ChooseSeries(const io::DicomIndex& index) const {
    if (!series_uid_.empty()) {
      if (const io::SeriesRecord* found = index.FindSeries(series_uid_)) return *found;
      throw io::InputError(input_, "no series with SeriesInstanceUID " + series_uid_);
    }
    const auto all = index.AllSeries();
    if (all.empty()) {
      throw io::InputError(input_, fmt::format("no DICOM image files ({} other, {} unreadable file(s))",
                                               index.not_dicom.size(), index.unreadable.size()));
    }
    if (all.size() > 1) {
      std::string list;
      for (const auto* s : all)
        list += fmt::format("\n  {}  #{}  {} ({} files)", s->series_uid, s->series_number.value_or(0),
                            s->description, s->files.size());
      throw io::InputError(input_,
                           fmt::format("holds {} series; choose one with --series UID:{}", all.size(), list));
    }
    return *all.front();
  }

  static std::string Sidecar(const io::SeriesRecord& series, const io::LoadedVolume& volume) {
    const auto& g = volume.volume.geometry;
    nlohmann::ordered_json sidecar{
        {"source", "leptoscan " LEPTOSCAN_VERSION},
        {"series_uid", series.series_uid},
        {"series_number", series.series_number ? nlohmann::ordered_json(*series.series_number) : nullptr},
        {"series_description", series.description},
        {"role", io::RoleName(series.role)},
        {"volume", volume.label},
        {"files", series.files.size()},
        {"dimensions", g.size},
        {"spacing_mm", g.spacing_mm},
        {"origin_lps_mm", g.origin_mm},
        {"direction_lps", g.direction},
        {"warnings", volume.warnings}};
    return sidecar.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  }

  fs::path input_;
  fs::path output_;
  std::string series_uid_;
  bool split_ = false;
  std::string gaps_ = "resample";
  std::string datatype_ = "auto";
  std::size_t max_voxels_ = io::LoadOptions{}.max_voxels;
};

}  // namespace

std::unique_ptr<Command> MakeConvertCommand() {
  return std::make_unique<ConvertCommand>();
}

}  // namespace leptoscan::cli
