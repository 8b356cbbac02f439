// The Colin27 head (mricron-data): its derived anatomy against ch2bet, the AAL atlas and known anatomy,
// every lesion kind on the real structure it claims, and determinism. Checks use the label map itself
// (neighbourhood searches) besides the head's own distance maps.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <map>

#include "io/nifti.h"
#include "testdata/phantom/colin27_head.h"
#include "testdata/phantom/label_map.h"
#include "testdata/phantom/lesions.h"
#include "testdata/phantom/scenario.h"
#include "tests/phantom/painted_voxels.h"

namespace leptoscan::phantom {
namespace {

// Deriving the head and rasterising it take seconds: once per test process.
const Colin27Head& Head() {
  static const Colin27Head head;
  return head;
}
const LabelMap& Anatomy() {
  static const LabelMap map = RasterizeHead(Head(), 0.5);
  return map;
}

const io::Volume& Template(const char* name) {
  static std::map<std::string, io::Volume> volumes;
  auto& volume = volumes[name];
  if (volume.voxels.empty()) volume = io::ReadNifti(Colin27Head::DefaultFolder() / name);
  return volume;
}

// The value of a template volume (ch2bet, aal) at a head point, nearest voxel.
int TemplateAt(const io::Volume& volume, const Vec3& p) {
  const auto index = volume.geometry.PointToIndex({p.x, p.y, p.z});
  const auto& n = volume.geometry.size;
  std::size_t ijk[3];
  for (int a = 0; a < 3; ++a) {
    const long v = std::lround(index[a]);
    if (v < 0 || v >= static_cast<long>(n[a])) return 0;
    ijk[a] = static_cast<std::size_t>(v);
  }
  return static_cast<int>(std::lround(volume.voxels[(ijk[2] * n[1] + ijk[1]) * n[0] + ijk[0]]));
}

bool IsBrain(Label l) {
  return l == kGreyMatter || l == kWhiteMatter || l == kCerebellarGrey || l == kCerebellarWhite ||
         l == kBrainstem || l == kVentricleCsf || l == kChoroidPlexus;
}

TEST(Colin27Anatomy, BrainMaskMatchesCh2bet) {
  const io::Volume& bet = Template("ch2bet.nii.gz");
  std::size_t both = 0, derived = 0, reference = 0;
  for (std::size_t v = 0; v < bet.voxels.size(); ++v) {
    const auto c = bet.geometry.VoxelCentre(v);
    const bool in_bet = bet.voxels[v] > 0, in_derived = IsBrain(Anatomy().At({c[0], c[1], c[2]}));
    both += in_bet && in_derived, derived += in_derived, reference += in_bet;
  }
  const double dice = 2.0 * both / (derived + reference);
  RecordProperty("dice", std::to_string(dice));
  std::printf("derived brain mask vs ch2bet: Dice %.3f\n", dice);
  EXPECT_GT(dice, 0.9);
}

TEST(Colin27Anatomy, EveryStructureIsPresent) {
  std::map<Label, std::size_t> counts;
  for (Label l : Anatomy().labels)
    ++counts[l];
  for (Label s = kScalp; s < kHeadStructureCount; ++s)
    EXPECT_GT(counts.count(s) ? counts.at(s) : 0, 100u) << "label " << s;
  const double ml = 0.125 / 1000;
  EXPECT_GT((counts[kGreyMatter] + counts[kCerebellarGrey]) * ml, 500);  // adult cortex 400-700 ml
  EXPECT_GT(counts[kWhiteMatter] * ml, 400);
}

TEST(Colin27Anatomy, VentriclesLieWhereTheyShould) {
  const LabelMap& map = Anatomy();
  // The bodies of both lateral ventricles (MNI x = -8 and 8, y = 0, z = 20; head coordinates are LPS), and
  // white matter lateral to them.
  EXPECT_EQ(map.At({8, 0, 20}), kVentricleCsf);
  EXPECT_EQ(map.At({-8, 0, 20}), kVentricleCsf);
  EXPECT_EQ(map.At({30, 0, 20}), kWhiteMatter);
  std::size_t left = 0, right = 0;
  Vec3 sum;
  for (std::size_t index = 0; index < map.labels.size(); ++index) {
    if (map.labels[index] != kVentricleCsf && map.labels[index] != kChoroidPlexus) continue;
    const auto& g = map.geometry;
    const Vec3 p =
        map.Centre(index % g.size[0], index / g.size[0] % g.size[1], index / (g.size[0] * g.size[1]));
    (p.x > 0 ? left : right)++;
    sum = sum + p;
    // Inside the brain: under the cortex and above the skull base.
    EXPECT_LT(Head().CerebrumDistance(p), -8);
  }
  const double ml = (left + right) * 0.125 / 1000;
  EXPECT_GT(ml, 10);  // healthy adult lateral ventricles 7-30 ml each side together
  EXPECT_LT(ml, 40);
  EXPECT_NEAR(static_cast<double>(left) / right, 1, 0.3);
  EXPECT_LT(std::abs(sum.x / (left + right)), 3);  // centred on the midline
  EXPECT_NEAR(MeasureEvansIndex(map), 0.25, 0.05);
}

TEST(Colin27Anatomy, HydrocephalusWidensTheFrontalHorns) {
  const auto enlarged = Head().WithShape(HeadShape{1.4});
  const double evans = MeasureEvansIndex(RasterizeHead(*enlarged, 0.5));
  EXPECT_NEAR(evans, Head().landmarks().evans_index * 1.4, 0.03);
  EXPECT_GT(evans, 0.3);
}

struct Painted {
  LabelMap map;
  std::vector<PaintedLesion> lesions;
};

Painted Paint(const std::vector<LesionSpec>& specs) {
  Painted p{Anatomy(), {}};
  p.lesions = PaintLesions(Head(), specs, p.map);
  return p;
}

// Whether any voxel of the unpainted anatomy within `radius_mm` of map voxel `index` satisfies `match`.
bool AnyWithin(std::size_t index, double radius_mm, const std::function<bool(Label)>& match) {
  const auto& g = Anatomy().geometry;
  const long r = static_cast<long>(std::ceil(radius_mm / g.spacing_mm[0]));
  const long i = index % g.size[0], j = index / g.size[0] % g.size[1], k = index / (g.size[0] * g.size[1]);
  for (long c = k - r; c <= k + r; ++c) {
    for (long b = j - r; b <= j + r; ++b) {
      for (long a = i - r; a <= i + r; ++a) {
        if (a < 0 || b < 0 || c < 0 || a >= long(g.size[0]) || b >= long(g.size[1]) || c >= long(g.size[2]))
          continue;
        const double d2 = double((a - i) * (a - i) + (b - j) * (b - j) + (c - k) * (c - k)) *
                          g.spacing_mm[0] * g.spacing_mm[0];
        if (d2 <= radius_mm * radius_mm && match(Anatomy().labels[Anatomy().Index(a, b, c)])) return true;
      }
    }
  }
  return false;
}

TEST(Colin27Lesions, EveryKindLiesOnTheAnatomyItClaims) {
  const Colin27Head& head = Head();
  const LesionSpec sulcal = Linear("L1", LesionKind::kSulcal, Side::kLeft, "central", -0.4, 0.4);
  const LesionSpec folia = Linear("L2", LesionKind::kFolia, Side::kRight, "", -0.3, 0.1);
  const LesionSpec cistern = Linear("L3", LesionKind::kCistern, Side::kLeft, "", -1, 1);
  const LesionSpec ependymal = Linear("L4", LesionKind::kEpendymal, Side::kRight, "", -1, -0.2);
  LesionSpec nerve = Linear("C1", LesionKind::kCranialNerve, Side::kRight, "", -0.5, 0.5);
  nerve.nerve = "V";
  const PhantomOptions options;
  const SubjectPlan plan = PlanSubject(head, "mixed", "PH0100", 5, options);
  const LesionSpec nodule = *std::find_if(plan.visits[0].lesions.begin(), plan.visits[0].lesions.end(),
                                          [](const LesionSpec& s) { return s.kind == LesionKind::kNodule; });
  const LesionSpec parenchymal =
      PlanSubject(head, "parenchymal-only", "PH0101", 5, options).visits[0].lesions[0];
  const Painted p = Paint({sulcal, folia, cistern, ependymal, nerve, nodule, parenchymal});
  for (const PaintedLesion& lesion : p.lesions)
    EXPECT_GT(lesion.voxels, 100u) << lesion.spec.id;

  // Sulcal: subarachnoid CSF along the real central sulcus, lining the pia, mostly down inside it, and
  // between the precentral and postcentral gyri of the AAL atlas.
  const Sulcus& central = *std::find_if(head.sulci().begin(), head.sulci().end(), [](const Sulcus& s) {
    return s.name == "central" && s.side == Side::kLeft;
  });
  const io::Volume& aal = Template("aal.nii.gz");
  std::size_t inside = 0, between_gyri = 0, on_pia = 0;
  const auto sulcal_voxels = VoxelsOf(p.map, Anatomy(), 0);
  for (const auto& v : sulcal_voxels) {
    double along = 0, offset = 0;
    ASSERT_TRUE(head.SulcusFrame(central, v.point, &along, &offset));
    EXPECT_EQ(v.was, kSubarachnoidCsf);
    EXPECT_LT(offset, 6.0);
    EXPECT_GE(along, -0.4);
    EXPECT_LE(along, 0.4);
    EXPECT_GT(v.point.x, 0);  // left
    inside += head.CerebrumDistance(v.point) < 0;
    on_pia += AnyWithin(v.index, 1.0, [](Label l) { return l == kGreyMatter; });
    bool precentral = false, postcentral = false;
    for (double dx = -4; dx <= 4; dx += 2) {
      for (double dy = -4; dy <= 4; dy += 2) {
        for (double dz = -4; dz <= 4; dz += 2) {
          const int label = TemplateAt(aal, v.point + Vec3{dx, dy, dz});
          precentral = precentral || label == 1, postcentral = postcentral || label == 57;  // _L
        }
      }
    }
    between_gyri += precentral && postcentral;
  }
  EXPECT_GT(inside, sulcal_voxels.size() / 3);
  EXPECT_GT(on_pia, sulcal_voxels.size() / 2);
  EXPECT_GT(between_gyri, sulcal_voxels.size() / 2);

  for (const auto& v : VoxelsOf(p.map, Anatomy(), 1)) {  // folia: CSF on the right cerebellum
    EXPECT_EQ(v.was, kSubarachnoidCsf);
    EXPECT_LT(head.CerebellumDistance(v.point), 1.5 + 1e-6);
    EXPECT_LT(v.point.x, 0);
  }
  // Cistern: coating the brainstem. The painter uses the interpolated 1 mm distance map, which can be
  // half a millimetre off the 0.5 mm labels where the surface curves.
  const auto cistern_voxels = VoxelsOf(p.map, Anatomy(), 2);
  std::size_t beside_stem = 0;
  for (const auto& v : cistern_voxels) {
    EXPECT_EQ(v.was, kCisternCsf);
    EXPECT_LT(head.BrainstemDistance(v.point), 1.5 + 1e-6);
    beside_stem += AnyWithin(v.index, 2.0, [](Label l) { return l == kBrainstem; });
  }
  EXPECT_GT(beside_stem, cistern_voxels.size() * 95 / 100);
  for (const auto& v : VoxelsOf(p.map, Anatomy(), 3)) {  // ependymal: the right ventricle's wall
    EXPECT_EQ(v.was, kVentricleCsf);
    EXPECT_LT(v.point.x, 0);
    EXPECT_TRUE(AnyWithin(v.index, 2.0, [](Label l) { return l != kVentricleCsf && l != kChoroidPlexus; }));
  }
  // Nerve: the right trigeminal nerve, thickened within its cistern.
  EXPECT_EQ(p.lesions[4].location, "V_R");
  const NerveSegment& trigeminal = *std::find_if(head.nerves().begin(), head.nerves().end(),
                                                 [](const auto& n) { return n.Name() == "V_R"; });
  std::size_t on_nerve = 0;
  const auto nerve_voxels = VoxelsOf(p.map, Anatomy(), 4);
  for (const auto& v : nerve_voxels) {
    EXPECT_LT(SegmentDistance(v.point, trigeminal.from, trigeminal.to), trigeminal.radius_mm * 1.7 + 1e-6);
    on_nerve += v.was == kCranialNerve;
  }
  EXPECT_GT(on_nerve, nerve_voxels.size() / 4);
  // A subarachnoid nodule crosses the pia: part in the subarachnoid space, part indenting the cortex.
  bool in_csf = false, in_cortex = false;
  for (const auto& v : VoxelsOf(p.map, Anatomy(), 5)) {
    in_csf = in_csf || v.was == kSubarachnoidCsf;
    in_cortex = in_cortex || v.was == kGreyMatter;
  }
  EXPECT_TRUE(in_csf && in_cortex);
  EXPECT_EQ(p.lesions[5].edge_to_pia_mm, 0);
  EXPECT_EQ(p.lesions[5].location, "subarachnoid");
  // A parenchymal metastasis: no CSF of any kind within 2 mm of it.
  for (const auto& v : VoxelsOf(p.map, Anatomy(), 6)) {
    EXPECT_GT(head.PialDistance(v.point), 2.0);
    ASSERT_FALSE(AnyWithin(v.index, 2.0, [](Label l) { return IsCsf(l); })) << v.point.x << " " << v.point.y;
  }
  EXPECT_GT(p.lesions[6].edge_to_pia_mm, 2.0);
  EXPECT_EQ(p.lesions[6].location, "parenchymal");
}

TEST(Colin27Scenario, EveryPresetPlansAndPaints) {
  const PhantomOptions options;
  for (const std::string& preset : PresetNames()) {
    SCOPED_TRACE(preset);
    const SubjectPlan plan = PlanSubject(Head(), preset, "PH0300", 9, options);
    if (preset == "hydrocephalus") {
      EXPECT_GT(plan.visits[0].shape.ventricle_scale * Head().landmarks().evans_index, 0.3);
      continue;
    }
    for (const VisitPlan& visit : plan.visits) {
      LabelMap map = Anatomy();
      EXPECT_NO_THROW(PaintLesions(Head(), visit.lesions, map));
    }
  }
}

TEST(Colin27Scenario, SameSeedSameSubject) {
  const PhantomOptions options;
  const auto a = PlanCohort(Head(), 3, 7, options), b = PlanCohort(Head(), 3, 7, options);
  std::vector<LesionSpec> specs;
  for (std::size_t n = 0; n < a.size(); ++n) {
    ASSERT_EQ(a[n].visits[0].lesions.size(), b[n].visits[0].lesions.size());
    for (std::size_t l = 0; l < a[n].visits[0].lesions.size(); ++l) {
      EXPECT_EQ(a[n].visits[0].lesions[l].centre.x, b[n].visits[0].lesions[l].centre.x);
      EXPECT_EQ(a[n].visits[0].lesions[l].sulcus, b[n].visits[0].lesions[l].sulcus);
    }
    specs.insert(specs.end(), a[n].visits[0].lesions.begin(), a[n].visits[0].lesions.end());
  }
  // The same lesions paint the same voxels on one thread or many, and a second derivation of the head
  // gives the same anatomy.
  const Painted many = Paint(specs);
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  const Painted single = Paint(specs);
  EXPECT_EQ(many.map.labels, single.map.labels);
  const Colin27Head again;
  std::size_t differ = 0;
  const auto& g = Anatomy().geometry;
  for (std::size_t index = 0; index < Anatomy().labels.size(); index += 101) {
    const Vec3 p =
        Anatomy().Centre(index % g.size[0], index / g.size[0] % g.size[1], index / (g.size[0] * g.size[1]));
    differ += again.LabelAt(p) != Anatomy().labels[index];
  }
  EXPECT_EQ(differ, 0u);
}

}  // namespace
}  // namespace leptoscan::phantom
