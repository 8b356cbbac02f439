#include "io/series_index.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "io/dicom_header.h"
#include "io/errors.h"

namespace leptoscan::io {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> ListFiles(const fs::path& root) {
  std::error_code error;
  const auto status = fs::status(root, error);
  if (error || !fs::exists(status)) throw InputError(root, "no such file or folder");
  if (fs::is_regular_file(status)) return {root};
  std::vector<fs::path> files;
  // Directory symlinks are not followed, so a link loop cannot make the walk endless.
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error), end;
  if (error) throw InputError(root, "cannot list folder: " + error.message());
  for (; it != end; it.increment(error)) {
    if (error) break;
    std::error_code type_error;
    if (it->is_regular_file(type_error)) files.push_back(it->path());
  }
  return files;
}

// Files without a SeriesInstanceUID still need a series: one per folder and description.
std::string SeriesKey(const DicomFileHeader& h) {
  if (!h.series_uid.empty()) return h.series_uid;
  return "(no SeriesInstanceUID) " + h.path.parent_path().string() + " " + h.series_description;
}

std::string OrientationLabel(const std::array<double, 6>& o) {
  const std::array<double, 3> normal{o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5],
                                     o[0] * o[4] - o[1] * o[3]};
  const auto axis = std::distance(
      normal.begin(), std::max_element(normal.begin(), normal.end(),
                                       [](double a, double b) { return std::abs(a) < std::abs(b); }));
  // Within 30 degrees of a cardinal plane counts as that plane: brain scans are often angled to AC-PC.
  if (std::abs(normal[axis]) < std::cos(30.0 * M_PI / 180.0)) return "oblique";
  static const char* const kPlanes[3] = {"sagittal", "coronal", "axial"};
  return kPlanes[axis];
}

SeriesRecord MakeSeries(std::vector<const DicomFileHeader*> headers) {
  std::sort(headers.begin(), headers.end(),
            [](const DicomFileHeader* a, const DicomFileHeader* b) { return a->path < b->path; });
  const DicomFileHeader& h = *headers.front();
  SeriesRecord s;
  s.patient_id = h.patient_id;
  s.study_uid = h.study_uid;
  s.series_uid = h.series_uid;
  s.series_number = h.series_number;
  s.series_date = h.series_date;
  s.series_time = h.series_time.empty() ? h.acquisition_time : h.series_time;
  s.description = h.series_description;
  s.protocol = h.protocol_name;
  s.modality = h.modality;
  s.manufacturer = h.manufacturer;
  s.model = h.model;
  s.body_part = h.body_part;
  s.field_strength_t = h.field_strength_t;
  s.mr_acquisition_type = h.mr_acquisition_type;
  s.scanning_sequence = h.scanning_sequence;
  s.sequence_variant = h.sequence_variant;
  s.sequence_name = h.sequence_name;
  s.image_type = h.image_type;
  s.repetition_time_ms = h.repetition_time_ms;
  s.echo_time_ms = h.echo_time_ms;
  s.inversion_time_ms = h.inversion_time_ms;
  s.flip_angle_deg = h.flip_angle_deg;
  s.slice_thickness_mm = h.slice_thickness_mm;
  s.transfer_syntax_uid = h.transfer_syntax_uid;
  s.columns = h.columns;
  s.rows = h.rows;

  std::set<std::array<long, 6>> orientations;
  std::optional<std::array<double, 6>> orientation;
  std::vector<double> positions;
  for (const DicomFileHeader* file : headers) {
    s.files.push_back(file->path);
    if (s.contrast_agent.empty()) s.contrast_agent = file->contrast_agent;
    if (!s.diffusion_b_value ||
        (file->diffusion_b_value && *file->diffusion_b_value > *s.diffusion_b_value)) {
      s.diffusion_b_value = file->diffusion_b_value;
    }
    for (const FrameHeader& frame : file->frames) {
      ++s.frames;
      if (!frame.orientation) continue;
      std::array<long, 6> rounded;
      for (int i = 0; i < 6; ++i)
        rounded[i] = std::lround((*frame.orientation)[i] * 1e3);
      orientations.insert(rounded);
      if (!orientation) orientation = frame.orientation;
      if (frame.pixel_spacing_mm && !s.pixel_spacing_row_mm) {
        s.pixel_spacing_row_mm = (*frame.pixel_spacing_mm)[0];
        s.pixel_spacing_column_mm = (*frame.pixel_spacing_mm)[1];
      }
      if (frame.position_mm && orientations.size() == 1) {
        const auto& o = *orientation;
        const double n[3] = {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
        const auto& p = *frame.position_mm;
        positions.push_back(n[0] * p[0] + n[1] * p[1] + n[2] * p[2]);
      }
    }
  }
  s.orientation = orientations.empty()      ? "unknown"
                  : orientations.size() > 1 ? "mixed"
                                            : OrientationLabel(*orientation);
  std::sort(positions.begin(), positions.end());
  positions.erase(
      std::unique(positions.begin(), positions.end(), [](double a, double b) { return b - a < 1e-2; }),
      positions.end());
  s.slices = positions.size();
  if (positions.size() > 1) {
    std::vector<double> steps;
    for (std::size_t i = 1; i < positions.size(); ++i)
      steps.push_back(positions[i] - positions[i - 1]);
    std::nth_element(steps.begin(), steps.begin() + steps.size() / 2, steps.end());
    s.slice_spacing_mm = steps[steps.size() / 2];
  }
  return s;
}

std::string StudyKey(const DicomFileHeader& h) {
  return h.patient_id + '\n' + h.study_uid;
}

}  // namespace

HeaderScan ScanDicomHeaders(const std::vector<fs::path>& roots,
                            const std::function<void(std::size_t, std::size_t)>& progress) {
  HeaderScan scan;
  scan.roots = roots;
  std::vector<fs::path> files;
  for (const fs::path& root : roots) {
    auto found = ListFiles(root);
    files.insert(files.end(), found.begin(), found.end());
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());

  enum class Outcome { kDicom, kNotDicom, kUnreadable };
  std::vector<std::optional<DicomFileHeader>> headers(files.size());
  std::vector<Outcome> outcomes(files.size(), Outcome::kDicom);
  std::vector<std::string> reasons(files.size());
  std::atomic<std::size_t> done{0};
  tbb::parallel_for(std::size_t{0}, files.size(), [&](std::size_t i) {
    try {
      if (!LooksLikeDicom(files[i])) {
        outcomes[i] = Outcome::kNotDicom;
        reasons[i] = "no DICOM signature";
      } else {
        headers[i] = ReadDicomHeader(files[i]);
        if (headers[i]->rows == 0 || headers[i]->columns == 0) {
          outcomes[i] = Outcome::kNotDicom;
          reasons[i] = "DICOM without an image (" + headers[i]->sop_class_uid + ")";
          headers[i].reset();
        }
      }
    } catch (const std::exception& e) {
      outcomes[i] = Outcome::kUnreadable;
      reasons[i] = e.what();
    }
    const std::size_t count = ++done;
    if (progress) progress(count, files.size());
  });
  for (std::size_t i = 0; i < files.size(); ++i) {
    switch (outcomes[i]) {
      case Outcome::kDicom:
        scan.headers.push_back(std::move(*headers[i]));
        break;
      case Outcome::kNotDicom:
        scan.not_dicom.push_back({files[i], reasons[i]});
        break;
      case Outcome::kUnreadable:
        scan.unreadable.push_back({files[i], reasons[i]});
        break;
    }
  }
  return scan;
}

DicomIndex IndexFolders(const std::vector<fs::path>& roots, const IndexOptions& options) {
  return BuildIndex(ScanDicomHeaders(roots, options.progress), options.overrides);
}

DicomIndex BuildIndex(const HeaderScan& scan, const RoleOverrides& overrides) {
  DicomIndex index;
  index.roots = scan.roots;
  index.dicom_files = scan.headers.size();
  index.not_dicom = scan.not_dicom;
  index.unreadable = scan.unreadable;
  std::map<std::string, std::vector<const DicomFileHeader*>> by_series;
  for (const DicomFileHeader& header : scan.headers) {
    by_series[StudyKey(header) + '\n' + SeriesKey(header)].push_back(&header);
  }

  std::map<std::string, StudyRecord> studies;
  for (auto& [key, series_headers] : by_series) {
    const DicomFileHeader& first = *series_headers.front();
    StudyRecord& study = studies[StudyKey(first)];
    if (study.series.empty()) {
      study.patient_id = first.patient_id;
      study.study_uid = first.study_uid;
      study.date = first.study_date;
      study.time = first.study_time;
      study.description = first.study_description;
    }
    study.series.push_back(MakeSeries(series_headers));
  }
  std::map<std::string, PatientRecord> patients;
  for (auto& [key, study] : studies) {
    std::sort(study.series.begin(), study.series.end(), [](const SeriesRecord& a, const SeriesRecord& b) {
      return std::tie(a.series_number, a.series_uid) < std::tie(b.series_number, b.series_uid);
    });
    ClassifyStudy(study, overrides);
    PatientRecord& patient = patients[study.patient_id];
    patient.patient_id = study.patient_id;
    patient.studies.push_back(std::move(study));
  }
  for (auto& [id, patient] : patients) {
    std::sort(patient.studies.begin(), patient.studies.end(), [](const StudyRecord& a, const StudyRecord& b) {
      return std::tie(a.date, a.time, a.study_uid) < std::tie(b.date, b.time, b.study_uid);
    });
    index.patients.push_back(std::move(patient));
  }
  return index;
}

std::vector<const SeriesRecord*> DicomIndex::AllSeries() const {
  std::vector<const SeriesRecord*> all;
  for (const auto& patient : patients) {
    for (const auto& study : patient.studies) {
      for (const auto& series : study.series)
        all.push_back(&series);
    }
  }
  return all;
}

std::size_t DicomIndex::SeriesCount() const {
  return AllSeries().size();
}

const SeriesRecord* DicomIndex::FindSeries(const std::string& series_uid) const {
  for (const SeriesRecord* series : AllSeries()) {
    if (series->series_uid == series_uid) return series;
  }
  return nullptr;
}

namespace {

using Json = nlohmann::ordered_json;

template <typename T>
Json OrNull(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

std::string SeriesFolder(const SeriesRecord& s) {
  fs::path folder = s.files.front().parent_path();
  for (const auto& file : s.files) {
    while (!folder.empty() && file.parent_path().string().rfind(folder.string(), 0) != 0)
      folder = folder.parent_path();
  }
  return folder.string();
}

Json SeriesJson(const SeriesRecord& s) {
  return Json{
      {"series_uid", s.series_uid},
      {"series_number", OrNull(s.series_number)},
      {"date", s.series_date},
      {"time", s.series_time},
      {"description", s.description},
      {"protocol", s.protocol},
      {"modality", s.modality},
      {"manufacturer", s.manufacturer},
      {"model", s.model},
      {"field_strength_T", OrNull(s.field_strength_t)},
      {"body_part", s.body_part},
      {"mr_acquisition_type", s.mr_acquisition_type},
      {"scanning_sequence", s.scanning_sequence},
      {"sequence_variant", s.sequence_variant},
      {"sequence_name", s.sequence_name},
      {"image_type", s.image_type},
      {"contrast_agent", s.contrast_agent},
      {"repetition_time_ms", OrNull(s.repetition_time_ms)},
      {"echo_time_ms", OrNull(s.echo_time_ms)},
      {"inversion_time_ms", OrNull(s.inversion_time_ms)},
      {"flip_angle_deg", OrNull(s.flip_angle_deg)},
      {"diffusion_b_value_s_per_mm2", OrNull(s.diffusion_b_value)},
      {"orientation", s.orientation},
      {"dimensions", {s.columns, s.rows, s.slices}},
      {"frames", s.frames},
      {"spacing_mm",
       {OrNull(s.pixel_spacing_column_mm), OrNull(s.pixel_spacing_row_mm), OrNull(s.slice_spacing_mm)}},
      {"slice_thickness_mm", OrNull(s.slice_thickness_mm)},
      {"transfer_syntax_uid", s.transfer_syntax_uid},
      {"file_count", s.files.size()},
      {"folder", SeriesFolder(s)},
      {"role", RoleName(s.role)},
      {"role_reason", s.role_reason}};
}

Json SkippedJson(const std::vector<SkippedFile>& files) {
  Json list = Json::array();
  for (const auto& file : files)
    list.push_back({{"path", file.path.string()}, {"reason", file.reason}});
  return list;
}

}  // namespace

std::string IndexToJson(const DicomIndex& index) {
  Json patients = Json::array();
  for (const auto& patient : index.patients) {
    Json studies = Json::array();
    for (const auto& study : patient.studies) {
      Json series = Json::array();
      for (const auto& s : study.series)
        series.push_back(SeriesJson(s));
      studies.push_back({{"study_uid", study.study_uid},
                         {"date", study.date},
                         {"time", study.time},
                         {"description", study.description},
                         {"series", std::move(series)}});
    }
    patients.push_back({{"patient_id", patient.patient_id}, {"studies", std::move(studies)}});
  }
  Json roots = Json::array();
  for (const auto& root : index.roots)
    roots.push_back(root.string());
  const Json document{{"schema", "leptoscan.index/1"},
                      {"source", "leptoscan " LEPTOSCAN_VERSION},
                      {"roots", roots},
                      {"files",
                       {{"dicom", index.dicom_files},
                        {"not_dicom", index.not_dicom.size()},
                        {"unreadable", index.unreadable.size()}}},
                      {"patients", std::move(patients)},
                      {"unreadable", SkippedJson(index.unreadable)}};
  // Text attributes are not always valid UTF-8; replace what is not rather than fail.
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

namespace {

std::string Cell(std::string value) {
  std::replace_if(
      value.begin(), value.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
  return value;
}

template <typename T>
std::string Cell(const std::optional<T>& value) {
  return value ? fmt::format("{}", *value) : std::string();
}

}  // namespace

std::string IndexToTsv(const DicomIndex& index) {
  std::ostringstream out;
  out << "patient_id\tstudy_uid\tstudy_date\tstudy_time\tstudy_description\tseries_uid\tseries_number\t"
         "series_description\tprotocol\tmodality\tmanufacturer\tmodel\tfield_strength_T\tbody_part\t"
         "mr_acquisition_type\tscanning_sequence\tsequence_name\tcontrast_agent\trepetition_time_ms\techo_"
         "time_ms\t"
         "inversion_time_ms\tflip_angle_deg\torientation\tcolumns\trows\tslices\tframes\tspacing_column_mm\t"
         "spacing_row_mm\tslice_spacing_mm\tslice_thickness_mm\tfile_count\trole\trole_reason\tfolder\n";
  for (const auto& patient : index.patients) {
    for (const auto& study : patient.studies) {
      for (const auto& s : study.series) {
        const std::string cells[] = {Cell(s.patient_id),
                                     Cell(s.study_uid),
                                     Cell(study.date),
                                     Cell(study.time),
                                     Cell(study.description),
                                     Cell(s.series_uid),
                                     Cell(s.series_number),
                                     Cell(s.description),
                                     Cell(s.protocol),
                                     Cell(s.modality),
                                     Cell(s.manufacturer),
                                     Cell(s.model),
                                     Cell(s.field_strength_t),
                                     Cell(s.body_part),
                                     Cell(s.mr_acquisition_type),
                                     Cell(s.scanning_sequence),
                                     Cell(s.sequence_name),
                                     Cell(s.contrast_agent),
                                     Cell(s.repetition_time_ms),
                                     Cell(s.echo_time_ms),
                                     Cell(s.inversion_time_ms),
                                     Cell(s.flip_angle_deg),
                                     Cell(s.orientation),
                                     std::to_string(s.columns),
                                     std::to_string(s.rows),
                                     std::to_string(s.slices),
                                     std::to_string(s.frames),
                                     Cell(s.pixel_spacing_column_mm),
                                     Cell(s.pixel_spacing_row_mm),
                                     Cell(s.slice_spacing_mm),
                                     Cell(s.slice_thickness_mm),
                                     std::to_string(s.files.size()),
                                     std::string(RoleName(s.role)),
                                     Cell(s.role_reason),
                                     Cell(SeriesFolder(s))};
        std::string line;
        for (const auto& cell : cells)
          line += (line.empty() ? "" : "\t") + cell;
        out << line << '\n';
      }
    }
  }
  return out.str();
}

}  // namespace leptoscan::io
