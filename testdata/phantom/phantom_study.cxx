#include "testdata/phantom/phantom_study.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "io/atomic_file.h"
#include "io/dicom_writer.h"
#include "io/errors.h"
#include "io/nifti.h"
#include "scoring/calendar.h"

namespace leptoscan::phantom {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr double kEvansHydrocephalus = 0.3;  // domain.md: > 0.3 is enlarged

std::string FolderName(int number, const std::string& description) {
  std::string name = fmt::format("{:02d}_{}", number, description);
  std::replace_if(
      name.begin(), name.end(),
      [](char c) { return !std::isalnum(static_cast<unsigned char>(c)) && c != '-'; }, '_');
  return name;
}

// Divides by a whole number so the result is the double nearest the decimal (1346.3, not 1346.3000000000002).
double Round(double value, double step) {
  return std::round(value / step) / std::round(1 / step);
}

Json Point(const Vec3& p) {
  return Json::array({Round(p.x, 0.01), Round(p.y, 0.01), Round(p.z, 0.01)});
}

Json Status(bool present) {
  return Json{{"status", present ? "present" : "absent"}};
}

io::DicomSeriesTags SeriesTags(const SubjectPlan& plan, const VisitPlan& visit, const SeriesPlan& series) {
  const VendorStyle& v = plan.vendor;
  const std::string visit_key = plan.study_uid_key + "/" + visit.name;
  io::DicomSeriesTags t;
  t.patient_id = plan.id;
  t.patient_name = "PHANTOM^" + plan.id;
  t.patient_sex = "O";
  t.study_uid = io::UidFromKey(visit_key + "/study");
  t.study_date = visit.date;
  t.study_time = "120000";
  t.study_description = "MRI BRAIN WITH AND WITHOUT CONTRAST";
  t.accession_number =
      fmt::format("{}V{}", plan.id, visit.name == "baseline" ? 0 : std::stoi(visit.name.substr(8)));
  t.frame_of_reference_uid = io::UidFromKey(visit_key + "/frame");
  t.series_uid = io::UidFromKey(fmt::format("{}/series{}", visit_key, series.number));
  t.series_number = series.number;
  t.series_time = series.time;
  t.series_description = series.description;
  t.protocol_name = series.description;
  t.body_part = "HEAD";
  t.manufacturer = v.manufacturer;
  t.model = v.model;
  t.field_strength_t = v.field_strength_t;
  t.mr_acquisition_type = "3D";
  if (series.sequence == Sequence::kFlairPost) {
    t.scanning_sequence = "SE\\IR";
    t.sequence_variant = "SK\\SP\\MP";
    t.sequence_name = "spcir3d";
    t.repetition_time_ms = 5000, t.echo_time_ms = 390, t.inversion_time_ms = 1800, t.flip_angle_deg = 120;
  } else {
    t.scanning_sequence = v.t1_ti_ms > 0 ? "GR\\IR" : "GR";
    t.sequence_variant = v.t1_ti_ms > 0 ? "SK\\SP\\MP" : "SK\\SP";
    t.sequence_name = v.t1_sequence_name;
    t.repetition_time_ms = v.t1_tr_ms, t.echo_time_ms = v.t1_te_ms, t.flip_angle_deg = v.t1_flip_deg;
    if (v.t1_ti_ms > 0) t.inversion_time_ms = v.t1_ti_ms;
  }
  if (series.sequence != Sequence::kT1Pre) t.contrast_agent = v.contrast_agent;
  return t;
}

}  // namespace

const LabelMap& AnatomyCache::Get(const Anatomy& head) {
  auto& slot = maps_[head.shape().ventricle_scale];
  if (!slot) slot = std::make_unique<LabelMap>(RasterizeHead(head, 0.5));
  return *slot;
}

std::string RigidTransformFile(const RigidMotion& fixed, const RigidMotion& moving) {
  const auto map = [&](const Vec3& p) { return moving.Apply(fixed.Inverse(p)); };
  const Vec3 offset = map({0, 0, 0});
  const Vec3 columns[3] = {map({1, 0, 0}) - offset, map({0, 1, 0}) - offset, map({0, 0, 1}) - offset};
  std::string parameters;
  for (int row = 0; row < 3; ++row) {
    for (const Vec3& column : columns)
      parameters += fmt::format("{:.12g} ", column.ToArray()[row]);
  }
  return fmt::format(
      "#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\n"
      "Parameters: {}{:.12g} {:.12g} {:.12g}\nFixedParameters: 0 0 0\n",
      parameters, offset.x, offset.y, offset.z);
}

std::string TruthDocument(const SubjectPlan& plan, const VisitPlan& visit,
                          const std::vector<PaintedLesion>& lesions, double evans_index,
                          const RigidMotion& post_contrast_motion) {
  bool nodules = false, ependymal = false;
  double linear_mm2 = 0, ependymal_mm2 = 0;
  std::set<std::string> subregions, nerves;
  Json lesion_list = Json::array(), truth_labels = Json::object();
  for (std::size_t n = 0; n < lesions.size(); ++n) {
    const PaintedLesion& l = lesions[n];
    const LesionSpec& s = l.spec;
    truth_labels[s.id] = n + 1;
    Json item{{"id", s.id}};
    const Vec3 centre = post_contrast_motion.Apply(l.centroid);
    if (s.kind == LesionKind::kNodule || s.kind == LesionKind::kParenchymal) {
      nodules = nodules || s.kind == LesionKind::kNodule;
      const double d1 = std::max(s.diameters_mm[0], s.diameters_mm[1]),
                   d2 = std::min(s.diameters_mm[0], s.diameters_mm[1]);
      item.update(
          {{"kind", "nodule"},
           {"compartment", "brain"},
           {"location", l.location},
           {"center_mm", Point(post_contrast_motion.Apply(s.centre))},
           {"diameters_mm", {Round(d1, 0.01), Round(d2, 0.01)}},
           {"craniocaudal_mm", Round(s.diameters_mm[2], 0.01)},
           {"volume_ml",
            Round(M_PI / 6 * s.diameters_mm[0] * s.diameters_mm[1] * s.diameters_mm[2] / 1000, 0.001)},
           {"distance_to_leptomeninges_mm", Round(l.edge_to_pia_mm, 0.01)}});
    } else {
      const bool nerve = s.kind == LesionKind::kCranialNerve;
      item.update({{"kind", nerve ? "cranial_nerve" : "linear"},
                   {"compartment", "brain"},
                   {"location", l.location},
                   {"center_mm", Point(centre)},
                   {"extent_mm2", Round(l.extent_mm2, 0.1)}});
      if (nerve) {
        nerves.insert(l.location);
      } else if (s.kind == LesionKind::kEpendymal) {
        ependymal = true, ependymal_mm2 += l.extent_mm2;
      } else {
        subregions.insert(l.location), linear_mm2 += l.extent_mm2;
      }
    }
    lesion_list.push_back(std::move(item));
  }
  Json brain_linear = Status(!subregions.empty());
  if (!subregions.empty())
    brain_linear.update({{"extent_mm2", Round(linear_mm2, 0.1)}, {"subregions", subregions}});
  Json ependymal_item = Status(ependymal);
  if (ependymal) ependymal_item["extent_mm2"] = Round(ependymal_mm2, 0.1);
  Json nerve_item = Status(!nerves.empty());
  if (!nerves.empty()) nerve_item["nerves"] = nerves;
  Json hydrocephalus = Status(evans_index > kEvansHydrocephalus);
  hydrocephalus["evans_index"] = Round(evans_index, 0.001);
  const Json document{{"schema", "leptoscan.findings/1"},
                      {"subject", plan.id},
                      {"timepoint", visit.name},
                      {"date", scoring::DicomDateToIso(visit.date)},
                      {"source", "phantom"},
                      {"imaged", {{"brain", true}, {"spine", false}}},
                      {"items",
                       {{"brain_nodules", Status(nodules)},
                        {"brain_linear", brain_linear},
                        {"ependymal", ependymal_item},
                        {"cranial_nerves", nerve_item},
                        {"hydrocephalus", hydrocephalus},
                        {"spine_nodules", {{"status", "ne"}}},
                        {"spine_linear", {{"status", "ne"}}},
                        {"spinal_nerve_roots", {{"status", "ne"}}}}},
                      {"lesions", lesion_list},
                      {"truth_labels", truth_labels},
                      {"look_alike_labels",
                       {{"dura", kTruthDura},
                        {"vessel", kTruthVessel},
                        {"choroid_plexus", kTruthChoroidPlexus},
                        {"pituitary", kTruthPituitary}}},
                      {"preset", plan.preset}};
  return document.dump(2) + "\n";
}

WrittenSubject WriteSubject(const SubjectPlan& plan, const PhantomOptions& options, const Anatomy& anatomy,
                            const fs::path& out, AnatomyCache& cache) {
  const fs::path final_folder = out / plan.id;
  if (fs::exists(final_folder))
    throw io::InputError(final_folder, "already exists; choose another output folder");
  io::AtomicFolder partial(final_folder);
  const fs::path& folder = partial.path();
  WrittenSubject written;
  Json followups = Json::array();
  for (std::size_t v = 0; v < plan.visits.size(); ++v) {
    const VisitPlan& visit = plan.visits[v];
    const std::unique_ptr<Anatomy> head = anatomy.WithShape(visit.shape);
    LabelMap map = cache.Get(*head);
    const std::vector<PaintedLesion> lesions = PaintLesions(*head, visit.lesions, map);
    written.lesions += lesions.size();
    std::vector<LesionSignal> signals;
    for (const auto& l : lesions)
      signals.push_back(l.signal);
    const io::VolumeGeometry grid =
        ScannerGrid(plan.vendor.orientation, options.spacing_mm, anatomy.landmarks().head);
    const fs::path truth_folder = folder / "truth" / visit.date;
    fs::create_directories(truth_folder);
    for (const SeriesPlan& series : visit.series) {
      RenderSettings settings;
      settings.sequence = series.sequence;
      settings.grid = grid;
      settings.head_to_scanner = series.motion;
      settings.snr = options.snr;
      settings.intensity_scale = visit.intensity_scale;
      settings.seed = series.seed;
      const bool post_t1 = series.sequence == Sequence::kT1Post;
      const RenderedSeries rendered = RenderSeries(map, signals, settings, post_t1);
      io::WriteDicomSeries(rendered.image, SeriesTags(plan, visit, series),
                           folder / visit.date / FolderName(series.number, series.description));
      ++written.series;
      if (!post_t1) continue;
      io::WriteNifti(rendered.truth, truth_folder / "labels.nii.gz");
      io::WriteFileAtomically(truth_folder / "truth.json",
                              TruthDocument(plan, visit, lesions, MeasureEvansIndex(map), series.motion));
    }
    const SeriesPlan& pre = visit.series.front();
    const SeriesPlan& post = visit.series[1];
    io::WriteFileAtomically(truth_folder / "t1_post_to_t1_pre.tfm",
                            RigidTransformFile(post.motion, pre.motion));
    if (v > 0) {
      io::WriteFileAtomically(truth_folder / "baseline_to_visit.tfm",
                              RigidTransformFile(plan.visits.front().series[1].motion, post.motion));
      followups.push_back({{"timepoint", visit.name},
                           {"date", scoring::DicomDateToIso(visit.date)},
                           {"expected_response", plan.expected_responses[v - 1]}});
    }
  }
  const Json expected{{"subject", plan.id},
                      {"preset", plan.preset},
                      {"baseline_date", scoring::DicomDateToIso(plan.visits.front().date)},
                      {"followups", followups}};
  io::WriteFileAtomically(folder / "truth" / "expected.json", expected.dump(2) + "\n");
  partial.Commit();
  written.folder = final_folder;
  return written;
}

}  // namespace leptoscan::phantom
