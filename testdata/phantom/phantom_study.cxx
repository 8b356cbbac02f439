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
#include "testdata/phantom/spine_lesions.h"

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

// Every series is described in the words of the subject's vendor (a cohort rotates the vendors after
// planning, so the description is looked up when the series is written, with the manufacturer).
std::string Description(const SubjectPlan& plan, const SeriesPlan& series) {
  const VendorStyle& v = plan.vendor;
  if (series.spine) return series.sequence == Sequence::kT1Pre ? v.spine_t1_pre : v.spine_t1_post;
  switch (series.sequence) {
    case Sequence::kT1Pre:
      return v.t1_pre;
    case Sequence::kT1Post:
      return v.t1_post;
    case Sequence::kFlairPost:
      return v.flair_post;
  }
  throw std::logic_error("phantom: a series with no description");
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
  t.series_description = Description(plan, series);
  t.protocol_name = t.series_description;
  t.body_part = "HEAD";
  t.manufacturer = v.manufacturer;
  t.model = v.model;
  t.field_strength_t = v.field_strength_t;
  t.mr_acquisition_type = "3D";
  if (series.spine) {
    // The brain exam's study, on the spine coil: 2-D turbo spin echo.
    t.body_part = "SPINE";
    t.mr_acquisition_type = "2D";
    t.scanning_sequence = "SE";
    t.sequence_variant = "SK\\SP\\OSP";
    t.sequence_name = v.spine_sequence_name;
    t.repetition_time_ms = v.spine_tr_ms, t.echo_time_ms = v.spine_te_ms, t.flip_angle_deg = v.spine_flip_deg;
  } else if (series.sequence == Sequence::kFlairPost) {
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

const LabelMap& AnatomyCache::Spine(const SpineAnatomy& spine) {
  auto& slot = spine_maps_[spine.shape().conus_shift_mm];
  if (!slot) slot = std::make_unique<LabelMap>(RasterizeSpine(spine, 0.5));
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

namespace {

// A nodule's truth: diameters in its largest cross-section (longest first) and the third extent.
Json NoduleItem(const PaintedLesion& l, const char* compartment, const Vec3& centre, double d1, double d2,
                double third) {
  const LesionSpec& s = l.spec;
  return {{"kind", "nodule"},
          {"compartment", compartment},
          {"location", l.location},
          {"center_mm", Point(centre)},
          {"diameters_mm", {Round(d1, 0.01), Round(d2, 0.01)}},
          {"craniocaudal_mm", Round(third, 0.01)},
          {"volume_ml",
           Round(M_PI / 6 * s.diameters_mm[0] * s.diameters_mm[1] * s.diameters_mm[2] / 1000, 0.001)},
          {"distance_to_leptomeninges_mm", Round(l.edge_to_pia_mm, 0.01)}};
}

Json ExtentItem(bool present, double extent_mm2) {
  Json item = Status(present);
  if (present) item["extent_mm2"] = Round(extent_mm2, 0.1);
  return item;
}

}  // namespace

std::string TruthDocument(const SubjectPlan& plan, const VisitPlan& visit,
                          const std::vector<PaintedLesion>& lesions, double evans_index,
                          const RigidMotion& post_contrast_motion,
                          const std::vector<PaintedLesion>& spine_lesions) {
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
      item.update(NoduleItem(l, "brain", post_contrast_motion.Apply(s.centre),
                             std::max(s.diameters_mm[0], s.diameters_mm[1]),
                             std::min(s.diameters_mm[0], s.diameters_mm[1]), s.diameters_mm[2]));
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
  // Spine lesions, in the post-contrast spine series' coordinates (the post-contrast T1's motion too).
  bool spine_nodules = false;
  double spine_linear_mm2 = 0, roots_mm2 = 0;
  const RigidMotion& spine_motion = plan.spine ? visit.spine_series.at(1).motion : post_contrast_motion;
  for (std::size_t n = 0; n < spine_lesions.size(); ++n) {
    const PaintedLesion& l = spine_lesions[n];
    const LesionSpec& s = l.spec;
    truth_labels[s.id] = lesions.size() + n + 1;
    Json item{{"id", s.id}};
    if (s.kind == LesionKind::kSpinalNodule) {
      spine_nodules = true;
      std::array<double, 3> d = s.diameters_mm;
      std::sort(d.begin(), d.end(), std::greater<>());
      item.update(NoduleItem(l, "spine", spine_motion.Apply(s.centre), d[0], d[1], d[2]));
    } else {
      const bool roots = s.kind == LesionKind::kNerveRoots;
      (roots ? roots_mm2 : spine_linear_mm2) += l.extent_mm2;
      item.update({{"kind", roots ? "nerve_root" : "linear"},
                   {"compartment", "spine"},
                   {"location", l.location},
                   {"center_mm", Point(spine_motion.Apply(l.centroid))},
                   {"extent_mm2", Round(l.extent_mm2, 0.1)}});
    }
    item["site"] = s.site;
    lesion_list.push_back(std::move(item));
  }
  Json brain_linear = Status(!subregions.empty());
  if (!subregions.empty())
    brain_linear.update({{"extent_mm2", Round(linear_mm2, 0.1)}, {"subregions", subregions}});
  Json nerve_item = Status(!nerves.empty());
  if (!nerves.empty()) nerve_item["nerves"] = nerves;
  Json hydrocephalus = Status(evans_index > kEvansHydrocephalus);
  hydrocephalus["evans_index"] = Round(evans_index, 0.001);
  const Json not_imaged{{"status", "ne"}};
  Json document{
      {"schema", "leptoscan.findings/1"},
      {"subject", plan.id},
      {"timepoint", visit.name},
      {"date", scoring::DicomDateToIso(visit.date)},
      {"source", "phantom"},
      {"imaged", {{"brain", true}, {"spine", plan.spine}}},
      {"items",
       {{"brain_nodules", Status(nodules)},
        {"brain_linear", brain_linear},
        {"ependymal", ExtentItem(ependymal, ependymal_mm2)},
        {"cranial_nerves", nerve_item},
        {"hydrocephalus", hydrocephalus},
        {"spine_nodules", plan.spine ? Status(spine_nodules) : not_imaged},
        {"spine_linear", plan.spine ? ExtentItem(spine_linear_mm2 > 0, spine_linear_mm2) : not_imaged},
        {"spinal_nerve_roots", plan.spine ? ExtentItem(roots_mm2 > 0, roots_mm2) : not_imaged}}},
      {"lesions", lesion_list},
      {"truth_labels", truth_labels},
      {"look_alike_labels",
       {{"dura", kTruthDura},
        {"vessel", kTruthVessel},
        {"choroid_plexus", kTruthChoroidPlexus},
        {"pituitary", kTruthPituitary}}},
      {"preset", plan.Label()}};
  if (plan.spine) document["label_maps"] = {{"brain", "labels.nii.gz"}, {"spine", "spine_labels.nii.gz"}};
  return document.dump(2) + "\n";
}

namespace {

// Renders a series of a visit on `base` settings (grid, noise, gain, bias) and writes it as DICOM; the
// post-contrast T1s come with their truth labels.
RenderedSeries WriteSeries(const SubjectPlan& plan, const VisitPlan& visit, const SeriesPlan& series,
                           const LabelMap& map, const std::vector<LesionSignal>& signals, RenderSettings base,
                           const fs::path& visit_folder) {
  base.sequence = series.sequence;
  base.head_to_scanner = series.motion;
  base.seed = series.seed;
  RenderedSeries rendered = RenderSeries(map, signals, base, series.sequence == Sequence::kT1Post);
  io::WriteDicomSeries(rendered.image, SeriesTags(plan, visit, series),
                       visit_folder / FolderName(series.number, Description(plan, series)));
  return rendered;
}

}  // namespace

WrittenSubject WriteSubject(const SubjectPlan& plan, const PhantomOptions& options, const Anatomy& anatomy,
                            const fs::path& out, AnatomyCache& cache) {
  const fs::path final_folder = out / plan.id;
  if (fs::exists(final_folder))
    throw io::InputError(final_folder, "already exists; choose another output folder");
  io::AtomicFolder partial(final_folder);
  const fs::path& folder = partial.path();
  WrittenSubject written;
  Json followups = Json::array();
  const SpineAnatomy spine;
  for (std::size_t v = 0; v < plan.visits.size(); ++v) {
    const VisitPlan& visit = plan.visits[v];
    const std::unique_ptr<Anatomy> head = anatomy.WithShape(visit.shape);
    LabelMap map = cache.Get(*head);
    const std::vector<PaintedLesion> lesions = PaintLesions(*head, visit.lesions, map);
    std::vector<LesionSignal> signals;
    for (const auto& l : lesions)
      signals.push_back(l.signal);
    // The spine's lesions are numbered after the brain's, in one truth document.
    LabelMap spine_map;
    std::vector<PaintedLesion> spine_lesions;
    if (plan.spine) {
      spine_map = cache.Spine(spine);
      spine_lesions = PaintSpineLesions(spine, visit.spine_lesions, lesions.size(), spine_map);
    }
    written.lesions += lesions.size() + spine_lesions.size();
    RenderSettings base;
    base.grid = ScannerGrid(plan.vendor.orientation, options.spacing_mm, anatomy.landmarks().head);
    base.snr = options.snr;
    base.intensity_scale = visit.intensity_scale;
    const fs::path truth_folder = folder / "truth" / visit.date;
    fs::create_directories(truth_folder);
    for (const SeriesPlan& series : visit.series) {
      const RenderedSeries rendered =
          WriteSeries(plan, visit, series, map, signals, base, folder / visit.date);
      ++written.series;
      if (series.sequence != Sequence::kT1Post) continue;
      io::WriteNifti(rendered.truth, truth_folder / "labels.nii.gz");
      io::WriteFileAtomically(
          truth_folder / "truth.json",
          TruthDocument(plan, visit, lesions, MeasureEvansIndex(map), series.motion, spine_lesions));
    }
    const SeriesPlan& pre = visit.series.front();
    const SeriesPlan& post = visit.series[1];
    io::WriteFileAtomically(truth_folder / "t1_post_to_t1_pre.tfm",
                            RigidTransformFile(post.motion, pre.motion));
    if (plan.spine) {
      // Sagittal slices planned on the spine: the field of view in body coordinates, as the technologist
      // placed it at this visit, seen through the post-contrast motion; the bias field spans it.
      const Box view = spine.field_of_view();
      RenderSettings spine_base = base;
      spine_base.grid = MovedGrid(
          MovedGrid(ScannerGrid(SliceOrientation::kSagittal, {1, 1, 3}, view), visit.spine_planning),
          post.motion);
      spine_base.intensity_scale = visit.spine_intensity_scale;
      spine_base.bias_centre = post.motion.Apply(visit.spine_planning.Apply((view.lo + view.hi) * 0.5));
      spine_base.bias_radius = (view.hi - view.lo) * 0.5;
      std::vector<LesionSignal> all_signals = signals;
      for (const auto& l : spine_lesions)
        all_signals.push_back(l.signal);
      for (const SeriesPlan& series : visit.spine_series) {
        spine_base.fat_suppressed =
            series.sequence == Sequence::kT1Post && plan.vendor.spine_post_fat_suppressed;
        const RenderedSeries rendered =
            WriteSeries(plan, visit, series, spine_map, all_signals, spine_base, folder / visit.date);
        ++written.series;
        if (series.sequence == Sequence::kT1Post)
          io::WriteNifti(rendered.truth, truth_folder / "spine_labels.nii.gz");
      }
      io::WriteFileAtomically(truth_folder / "spine_t1_post_to_t1_pre.tfm",
                              RigidTransformFile(visit.spine_series[1].motion, visit.spine_series[0].motion));
    }
    if (v > 0) {
      io::WriteFileAtomically(truth_folder / "baseline_to_visit.tfm",
                              RigidTransformFile(plan.visits.front().series[1].motion, post.motion));
      followups.push_back({{"timepoint", visit.name},
                           {"date", scoring::DicomDateToIso(visit.date)},
                           {"expected_response", plan.expected_responses[v - 1]}});
    }
  }
  const Json expected{{"subject", plan.id},
                      {"preset", plan.Label()},
                      {"anatomy", anatomy.Name()},
                      {"baseline_date", scoring::DicomDateToIso(plan.visits.front().date)},
                      {"followups", followups}};
  io::WriteFileAtomically(folder / "truth" / "expected.json", expected.dump(2) + "\n");
  partial.Commit();
  written.folder = final_folder;
  return written;
}

}  // namespace leptoscan::phantom
