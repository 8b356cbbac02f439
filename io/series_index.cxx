#include "io/series_index.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

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
    // A link to nothing is listed, so that the index reports it as unreadable rather than skip it.
    const bool dangling = it->is_symlink(type_error) && !fs::exists(it->path(), type_error);
    if (it->is_regular_file(type_error) || dangling) files.push_back(it->path());
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
  s.acquisition = h.acquisition;
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

// One column of the inventory, with the same name in the JSON documents and the TSV header; units
// are part of the name.
template <typename Record>
struct Column {
  const char* name;
  Json (*value)(const Record&);
};

const Column<StudyRecord> kStudyColumns[] = {
    {"patient_id", [](const StudyRecord& s) -> Json { return s.patient_id; }},
    {"study_uid", [](const StudyRecord& s) -> Json { return s.study_uid; }},
    {"study_date", [](const StudyRecord& s) -> Json { return s.date; }},
    {"study_time", [](const StudyRecord& s) -> Json { return s.time; }},
    {"study_description", [](const StudyRecord& s) -> Json { return s.description; }},
};

const Column<SeriesRecord> kSeriesColumns[] = {
    {"series_uid", [](const SeriesRecord& s) -> Json { return s.series_uid; }},
    {"series_number", [](const SeriesRecord& s) { return OrNull(s.series_number); }},
    {"series_date", [](const SeriesRecord& s) -> Json { return s.series_date; }},
    {"series_time", [](const SeriesRecord& s) -> Json { return s.series_time; }},
    {"series_description", [](const SeriesRecord& s) -> Json { return s.description; }},
    {"protocol", [](const SeriesRecord& s) -> Json { return s.protocol; }},
    {"modality", [](const SeriesRecord& s) -> Json { return s.acquisition.modality; }},
    {"manufacturer", [](const SeriesRecord& s) -> Json { return s.acquisition.manufacturer; }},
    {"model", [](const SeriesRecord& s) -> Json { return s.acquisition.model; }},
    {"field_strength_T", [](const SeriesRecord& s) { return OrNull(s.acquisition.field_strength_t); }},
    {"body_part", [](const SeriesRecord& s) -> Json { return s.acquisition.body_part; }},
    {"mr_acquisition_type", [](const SeriesRecord& s) -> Json { return s.acquisition.mr_acquisition_type; }},
    {"scanning_sequence", [](const SeriesRecord& s) -> Json { return s.acquisition.scanning_sequence; }},
    {"sequence_variant", [](const SeriesRecord& s) -> Json { return s.acquisition.sequence_variant; }},
    {"sequence_name", [](const SeriesRecord& s) -> Json { return s.acquisition.sequence_name; }},
    {"image_type", [](const SeriesRecord& s) -> Json { return s.acquisition.image_type; }},
    {"contrast_agent", [](const SeriesRecord& s) -> Json { return s.contrast_agent; }},
    {"repetition_time_ms", [](const SeriesRecord& s) { return OrNull(s.acquisition.repetition_time_ms); }},
    {"echo_time_ms", [](const SeriesRecord& s) { return OrNull(s.acquisition.echo_time_ms); }},
    {"inversion_time_ms", [](const SeriesRecord& s) { return OrNull(s.acquisition.inversion_time_ms); }},
    {"flip_angle_deg", [](const SeriesRecord& s) { return OrNull(s.acquisition.flip_angle_deg); }},
    {"diffusion_b_value_s_per_mm2", [](const SeriesRecord& s) { return OrNull(s.diffusion_b_value); }},
    {"orientation", [](const SeriesRecord& s) -> Json { return s.orientation; }},
    {"columns", [](const SeriesRecord& s) -> Json { return s.columns; }},
    {"rows", [](const SeriesRecord& s) -> Json { return s.rows; }},
    {"slices", [](const SeriesRecord& s) -> Json { return s.slices; }},
    {"frames", [](const SeriesRecord& s) -> Json { return s.frames; }},
    {"spacing_column_mm", [](const SeriesRecord& s) { return OrNull(s.pixel_spacing_column_mm); }},
    {"spacing_row_mm", [](const SeriesRecord& s) { return OrNull(s.pixel_spacing_row_mm); }},
    {"slice_spacing_mm", [](const SeriesRecord& s) { return OrNull(s.slice_spacing_mm); }},
    {"slice_thickness_mm", [](const SeriesRecord& s) { return OrNull(s.acquisition.slice_thickness_mm); }},
    {"transfer_syntax_uid", [](const SeriesRecord& s) -> Json { return s.transfer_syntax_uid; }},
    {"file_count", [](const SeriesRecord& s) -> Json { return s.files.size(); }},
    {"role", [](const SeriesRecord& s) -> Json { return RoleName(s.role); }},
    {"role_reason", [](const SeriesRecord& s) -> Json { return s.role_reason; }},
    {"folder", [](const SeriesRecord& s) -> Json { return SeriesFolder(s); }},
};

template <typename Record, std::size_t N>
Json ColumnsJson(const Column<Record> (&columns)[N], const Record& record) {
  Json object = Json::object();
  for (const auto& column : columns)
    object[column.name] = column.value(record);
  return object;
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
      Json record = ColumnsJson(kStudyColumns, study);
      record.erase("patient_id");
      Json series = Json::array();
      for (const auto& s : study.series)
        series.push_back(ColumnsJson(kSeriesColumns, s));
      record["series"] = std::move(series);
      studies.push_back(std::move(record));
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

// A JSON value as a TSV cell: text without tabs or line breaks, numbers as written, null as empty.
std::string Cell(const Json& value) {
  if (value.is_null()) return {};
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
  return text;
}

}  // namespace

std::string IndexToTsv(const DicomIndex& index) {
  std::string out;
  for (const auto& column : kStudyColumns)
    out += std::string(column.name) + '\t';
  for (const auto& column : kSeriesColumns)
    out += std::string(column.name) + '\t';
  out.back() = '\n';
  for (const auto& patient : index.patients) {
    for (const auto& study : patient.studies) {
      std::string prefix;
      for (const auto& column : kStudyColumns)
        prefix += Cell(column.value(study)) + '\t';
      for (const auto& s : study.series) {
        out += prefix;
        for (const auto& column : kSeriesColumns)
          out += Cell(column.value(s)) + '\t';
        out.back() = '\n';
      }
    }
  }
  return out;
}

}  // namespace leptoscan::io
