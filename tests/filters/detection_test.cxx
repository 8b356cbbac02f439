// The detection steps on volumes with a known answer: the enhancement map under a gain and coil-field
// change between scans, surface areas and grouping of enhancing voxels, and the analytic template.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "filters/binary_masks.h"
#include "filters/cranial_nerves.h"
#include "filters/enhancement.h"
#include "filters/enhancing_regions.h"
#include "filters/falx.h"
#include "filters/nodules.h"
#include "filters/normal_enhancement.h"
#include "filters/surface_distance.h"
#include "filters/template_priors.h"
#include "io/errors.h"
#include "testdata/phantom/analytic_head.h"
#include "testdata/phantom/head_template.h"

namespace leptoscan::filters {
namespace {

io::VolumeGeometry Grid(std::size_t n, double spacing_mm) {
  io::VolumeGeometry g;
  g.size = {n, n, n};
  g.spacing_mm = {spacing_mm, spacing_mm, spacing_mm};
  const double origin = -0.5 * (n - 1) * spacing_mm;
  g.origin_mm = {origin, origin, origin};
  return g;
}

template <typename Value>
io::Volume Fill(const io::VolumeGeometry& g, Value value) {
  io::Volume out;
  out.geometry = g;
  out.voxels.resize(g.VoxelCount());
  for (std::size_t k = 0, v = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i, ++v)
        out.voxels[v] = static_cast<float>(value(g.IndexToPoint(i, j, k)));
  return out;
}

double Norm(const std::array<double, 3>& p) {
  return std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
}

// A ball of "brain": white matter inside 25 mm, grey matter to 35 mm, CSF beyond; a nodule of 8 mm
// enhances by 0.8 of white matter after contrast.
struct Pair {
  io::Volume pre, post, brain;
};

Pair ScanPair() {
  const auto g = Grid(96, 1.0);
  const auto tissue = [](const std::array<double, 3>& p) {
    const double r = Norm(p);
    return r < 25 ? 700.0 : r < 35 ? 450.0 : 120.0;
  };
  const std::array<double, 3> nodule{12, -8, 5};
  Pair pair;
  pair.pre = Fill(g, tissue);
  // The post scan: another gain and a coil field that tilts by 20% across the ball.
  pair.post = Fill(g, [&](const std::array<double, 3>& p) {
    const double d = Norm({p[0] - nodule[0], p[1] - nodule[1], p[2] - nodule[2]});
    const double field = 1.4 * std::exp(0.004 * p[0] - 0.00005 * p[2] * p[2]);
    return field * (tissue(p) + (d < 4 ? 560.0 : 0.0));
  });
  pair.brain = Fill(g, [](const std::array<double, 3>& p) { return Norm(p) < 35 ? 1.0 : 0.0; });
  return pair;
}

TEST(EnhancementMap, RemovesGainAndCoilFieldChangesAndKeepsTheEnhancement) {
  const Pair pair = ScanPair();
  const io::Volume enhancement = EnhancementMap(pair.post, pair.pre, pair.brain);
  const auto& g = enhancement.geometry;
  double worst_background = 0, nodule_sum = 0;
  int nodule_voxels = 0;
  for (std::size_t k = 0, v = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i, ++v) {
        const auto p = g.IndexToPoint(i, j, k);
        const double d = Norm({p[0] - 12, p[1] + 8, p[2] - 5});
        if (d < 3) {
          nodule_sum += enhancement.voxels[v];
          ++nodule_voxels;
        } else if (d > 5 && Norm(p) < 35) {
          worst_background = std::max(worst_background, std::abs(double(enhancement.voxels[v])));
        }
      }
  // 560 over white matter 700 is 0.8 of white matter.
  EXPECT_NEAR(nodule_sum / nodule_voxels, 0.8, 0.03);
  EXPECT_LT(worst_background, 0.02);
}

TEST(EnhancementMap, RefusesVolumesOnDifferentGrids) {
  Pair pair = ScanPair();
  pair.pre.geometry.spacing_mm[0] = 1.2;
  EXPECT_THROW(EnhancementMap(pair.post, pair.pre, pair.brain), std::invalid_argument);
}

TEST(BoundaryArea, OfABallIsItsSurfaceWhateverTheStaircase) {
  const auto g = Grid(64, 0.5);
  const io::Volume ball = Fill(g, [](const std::array<double, 3>& p) { return Norm(p) < 10 ? 1.0 : 0.0; });
  std::vector<std::size_t> voxels;
  for (std::size_t v = 0; v < ball.voxels.size(); ++v)
    if (ball.voxels[v] > 0) voxels.push_back(v);
  EXPECT_NEAR(BoundaryAreaMm2(g, voxels), 4 * M_PI * 100, 0.04 * 4 * M_PI * 100);
}

// A box grown by a margin in mm on a grid of 1 x 2 x 3 mm voxels, clipped at the grid's edge; the cropped
// volume holds the same values at the same points.
TEST(MaskBox, GrowsByTheMarginInMillimetresAndCropsTheSamePoints) {
  io::VolumeGeometry g;
  g.size = {20, 12, 8};
  g.spacing_mm = {1, 2, 3};
  g.origin_mm = {-5, 7, 11};
  io::Volume volume =
      Fill(g, [](const std::array<double, 3>& p) { return p[0] + 100 * p[1] + 10000 * p[2]; });
  io::Volume mask = MaskWhere(g, [](std::size_t) { return false; });
  EXPECT_FALSE(MaskBox(mask, 4).has_value());
  mask.voxels[(2 * g.size[1] + 5) * g.size[0] + 10] = 1;  // (10, 5, 2)
  mask.voxels[(3 * g.size[1] + 6) * g.size[0] + 18] = 1;  // (18, 6, 3)
  const auto box = MaskBox(mask, 4);
  ASSERT_TRUE(box.has_value());
  EXPECT_EQ(box->lo, (std::array<std::size_t, 3>{6, 3, 0}));
  EXPECT_EQ(box->hi, (std::array<std::size_t, 3>{19, 8, 5}));
  const io::Volume part = Crop(volume, *box);
  ASSERT_EQ(part.voxels.size(), 14u * 6u * 6u);
  for (std::size_t b = 0; b < part.voxels.size(); ++b) {
    const std::size_t v = box->GridVoxel(g, b);
    ASSERT_EQ(part.voxels[b], volume.voxels[v]);
    ASSERT_EQ(box->BoxVoxel(g, v), b);
    const auto p = part.geometry.VoxelCentre(b), q = g.VoxelCentre(v);
    for (int a = 0; a < 3; ++a)
      ASSERT_NEAR(p[a], q[a], 1e-9);
  }
}

TEST(GroupEnhancingRegions, JoinsNearbyVoxelsOfARegionAndDropsNoise) {
  const auto g = Grid(60, 1.0);
  std::vector<int> region_of(g.VoxelCount(), -1);
  const io::Volume blobs = Fill(g, [](const std::array<double, 3>& p) {
    const double a = Norm({p[0] + 10, p[1], p[2]}), b = Norm({p[0] - 2, p[1], p[2]}),
                 far = Norm({p[0] - 20, p[1] - 15, p[2]}), speck = Norm({p[0], p[1] + 20, p[2]});
    return a < 4 ? 1 : b < 4 ? 1 : far < 4 ? 2 : speck < 0.8 ? 2 : 0;
  });
  for (std::size_t v = 0; v < region_of.size(); ++v)
    region_of[v] = static_cast<int>(blobs.voxels[v]) - 1;
  // Blobs 0 and 1 are 4 mm apart (edge to edge): one lesion at a merge distance of 5 mm.
  RegionGrouping grouping;
  grouping.merge_mm = 5;
  const auto groups = GroupEnhancingRegions(g, region_of, {"a", "b"}, grouping);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].region, "a");
  EXPECT_NEAR(groups[0].center_mm[0], -4, 0.1);
  EXPECT_EQ(groups[1].region, "b");
  EXPECT_NEAR(groups[1].center_mm[0], 20, 0.1);
  grouping.merge_mm = 2;
  EXPECT_EQ(GroupEnhancingRegions(g, region_of, {"a", "b"}, grouping).size(), 3u);
}

// Brain below z = 0 (pial distance -z), no ventricle near; enhancing: a 2 mm LM sheet over the pia, a
// nodule of 8 mm sitting on it, a metastasis of 7 mm deep in the brain and a blob 12 mm out (a sinus).
struct NoduleScene {
  io::Volume candidates, enhancement, pial, ependymal;
};

NoduleScene Scene() {
  const auto g = Grid(64, 1.0);
  const auto in_ball = [](const std::array<double, 3>& p, std::array<double, 3> c, double r) {
    return Norm({p[0] - c[0], p[1] - c[1], p[2] - c[2]}) < r;
  };
  NoduleScene scene;
  scene.enhancement = Fill(g, [&](const std::array<double, 3>& p) {
    const bool sheet = p[2] > 0 && p[2] < 2.5 && std::abs(p[0]) < 25 && std::abs(p[1]) < 25;
    const bool lesion = sheet || in_ball(p, {8, 5, 5}, 4) || in_ball(p, {-10, -10, -14}, 3.5) ||
                        in_ball(p, {-12, 12, 18}, 3.5);
    return lesion ? 0.8 : 0.0;
  });
  scene.candidates = MaskWhere(g, [&](std::size_t v) { return scene.enhancement.voxels[v] > 0.3f; });
  scene.pial = Fill(g, [](const std::array<double, 3>& p) { return -p[2]; });
  scene.ependymal = Fill(g, [](const std::array<double, 3>&) { return 100.0; });
  return scene;
}

TEST(DetectNodules, SeparatesANoduleFromTheLayerItSitsOnAndRoutesByTheTwoMillimetreRule) {
  const NoduleScene scene = Scene();
  const NoduleDetection found =
      DetectNodules(scene.candidates, scene.enhancement, scene.pial, scene.ependymal);
  ASSERT_EQ(found.nodules.size(), 2u);                   // the far blob is no nodule
  const DetectedNodule& parenchymal = found.nodules[0];  // raster order: lowest z first
  const DetectedNodule& subarachnoid = found.nodules[1];
  EXPECT_EQ(parenchymal.location, "parenchymal");
  EXPECT_NEAR(parenchymal.distance_to_leptomeninges_mm, 14 - 3.5, 1.0);
  EXPECT_EQ(subarachnoid.location, "subarachnoid");
  EXPECT_EQ(subarachnoid.distance_to_leptomeninges_mm, 0);
  EXPECT_NEAR(subarachnoid.measures.center_mm[0], 8, 0.5);
  EXPECT_NEAR(subarachnoid.measures.diameters_mm[0], 8, 1.0);
  EXPECT_NEAR(subarachnoid.measures.diameters_mm[1], 8, 1.0);
  // The layer stays for the linear detectors, without the nodule.
  const auto& g = scene.candidates.geometry;
  const auto at = [&](double x, double y, double z) {
    const auto i = g.PointToIndex({x, y, z});
    return found.remainder
        .voxels[(std::lround(i[2]) * g.size[1] + std::lround(i[1])) * g.size[0] + std::lround(i[0])];
  };
  EXPECT_EQ(at(-15, -15, 1), 1.0f);
  EXPECT_EQ(at(8, 5, 6), 0.0f);
}

// A ventricular nodule of 6.5 x 5.5 x 4.5 mm is four voxels thick at 1 mm, too thin for the opening but a
// blob; a patch of ependymal layer (10 x 10 x 2 mm), a coat of 2 mm around a 12 mm stem and a coated
// ventricle horn are not.
TEST(DetectNodules, FindsASmallNoduleTooThinForTheOpeningButNoPatchOrCoatOfLayer) {
  const auto g = Grid(64, 1.0);
  const std::array<double, 3> centre{-8, 6, 0.3};
  const auto nodule = [&](const std::array<double, 3>& p) {
    const double x = (p[0] - centre[0]) / 3.25, y = (p[1] - centre[1]) / 2.75, z = (p[2] - centre[2]) / 2.25;
    return x * x + y * y + z * z < 1;
  };
  const auto patch = [](const std::array<double, 3>& p) {
    return std::abs(p[0] - 12) < 5 && std::abs(p[1] + 12) < 5 && std::abs(p[2] - 0.5) < 1.0;
  };
  const auto coat = [](const std::array<double, 3>& p) {
    const double r = std::hypot(p[0] + 10, p[1] + 14);
    return r > 6 && r < 8 && std::abs(p[2] - 14) < 10;
  };
  // A layer coating a small ventricle horn (4 mm across inside) is as compact as a nodule, but hollow.
  const auto horn = [](const std::array<double, 3>& p) {
    const double r = std::hypot(p[0] - 14, p[1] - 14);
    return r > 2 && r < 4 && std::abs(p[2] + 14) < 4;
  };
  NoduleScene scene;
  scene.enhancement = Fill(g, [&](const std::array<double, 3>& p) {
    return nodule(p) || patch(p) || coat(p) || horn(p) ? 0.8 : 0.0;
  });
  scene.candidates = MaskWhere(g, [&](std::size_t v) { return scene.enhancement.voxels[v] > 0.3f; });
  // All of it in the ventricles or on the pia.
  scene.pial = Fill(g, [](const std::array<double, 3>&) { return 0.0; });
  scene.ependymal = Fill(g, [](const std::array<double, 3>&) { return -1.0; });
  const NoduleDetection found =
      DetectNodules(scene.candidates, scene.enhancement, scene.pial, scene.ependymal);
  ASSERT_EQ(found.nodules.size(), 1u);
  EXPECT_NEAR(found.nodules[0].measures.center_mm[0], centre[0], 0.5);
  EXPECT_NEAR(found.nodules[0].measures.diameters_mm[0], 6.5, 1.0);
  EXPECT_EQ(found.nodules[0].location, "ventricular");
}

// A sulcus filled with enhancement: a 2.5 mm sheet that thickens to 6 mm over 14 mm in its middle. The
// thickening passes the opening and is as compact as a flattened nodule, but the sheet surrounds it: it is
// part of the layer and stays for the linear detectors. The nodule on a sheet of the first test stands out
// of its sheet, which lies to one side of it.
TEST(DetectNodules, LeavesTheThickeningOfAFilledSulcusToTheLayer) {
  const auto g = Grid(64, 1.0);
  NoduleScene scene;
  scene.enhancement = Fill(g, [&](const std::array<double, 3>& p) {
    const double x = p[0] / 7, y = p[1] / 7, z = p[2] / 3;
    const bool sheet = std::abs(p[2]) < 1.25 && std::abs(p[0]) < 20 && std::abs(p[1]) < 20;
    return sheet || x * x + y * y + z * z < 1 ? 0.8 : 0.0;
  });
  scene.candidates = MaskWhere(g, [&](std::size_t v) { return scene.enhancement.voxels[v] > 0.3f; });
  scene.pial = Fill(g, [](const std::array<double, 3>&) { return 0.0; });
  scene.ependymal = Fill(g, [](const std::array<double, 3>&) { return 100.0; });
  const NoduleDetection found =
      DetectNodules(scene.candidates, scene.enhancement, scene.pial, scene.ependymal);
  EXPECT_TRUE(found.nodules.empty());
  EXPECT_EQ(found.remainder.voxels, scene.candidates.voxels);
  // Without the rule the thickening is a nodule: the scene does test it.
  NoduleOptions without;
  without.max_surrounding_share = 1;
  EXPECT_EQ(
      DetectNodules(scene.candidates, scene.enhancement, scene.pial, scene.ependymal, without).nodules.size(),
      1u);
  // The nodule on a sheet of the first test stands out only by lying to one side of its sheet: judged by
  // the share alone, it would be lost and only the parenchymal metastasis found.
  const NoduleScene on_sheet = Scene();
  NoduleOptions share_alone;
  share_alone.min_one_sidedness = 1.01;
  const auto share_alone_found = DetectNodules(on_sheet.candidates, on_sheet.enhancement, on_sheet.pial,
                                               on_sheet.ependymal, share_alone);
  ASSERT_EQ(share_alone_found.nodules.size(), 1u);
  EXPECT_EQ(share_alone_found.nodules[0].location, "parenchymal");
}

// A brain ball of 40 mm in a skull of 44 mm with a falx: a 1.2 mm enhancing sheet on a plane tilted 6 and
// 4 degrees from the sagittal, 3 mm off the centre, over the upper brain. The fissure is narrower than the
// voxels, so the brain mask closes over it: the falx lies on the mask's surface (pial distance 0.5 mm),
// as sulcal LM does, here a 1.5 mm layer in a sulcus 22 mm to the left.
struct FalxScene {
  io::Volume enhancement, pial, inner_skull, ependymal;
  SubjectPriors priors;
  std::array<double, 3> normal;
  double offset = 3;
  bool Falx(const std::array<double, 3>& p) const {
    return std::abs(Plane(p)) < 0.6 && p[2] > 5 && Norm(p) < 41;
  }
  static bool Sulcal(const std::array<double, 3>& p) {
    return std::abs(p[0] - 22) < 0.75 && std::abs(p[1]) < 15 && p[2] > 0 && p[2] < 25 && Norm(p) < 40;
  }
  double Plane(const std::array<double, 3>& p) const {
    return normal[0] * p[0] + normal[1] * p[1] + normal[2] * p[2] - offset;
  }
  EnhancementAnatomy Anatomy() const {
    EnhancementAnatomy anatomy;
    anatomy.pial_distance = &pial;
    anatomy.inner_skull_distance = &inner_skull;
    anatomy.ependymal_distance = &ependymal;
    anatomy.priors = &priors;
    return anatomy;
  }
};

// Of the voxels whose centres a region holds: how many, and how many of them are of a class.
struct ClassCount {
  std::size_t voxels = 0, of_class = 0;
};
template <typename Region>
ClassCount CountClass(const io::Volume& classes, Region in_region, EnhancementClass expected) {
  ClassCount count;
  for (std::size_t v = 0; v < classes.voxels.size(); ++v) {
    if (!in_region(classes.geometry.VoxelCentre(v))) continue;
    ++count.voxels;
    count.of_class += classes.voxels[v] == expected;
  }
  return count;
}

FalxScene MakeFalxScene(bool with_falx) {
  const auto g = Grid(96, 1.0);
  FalxScene scene;
  const double n[3] = {1, std::tan(6 * M_PI / 180), std::tan(-4 * M_PI / 180)};
  const double length = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
  scene.normal = {n[0] / length, n[1] / length, n[2] / length};
  scene.enhancement = Fill(g, [&](const std::array<double, 3>& p) {
    return (with_falx && scene.Falx(p)) || FalxScene::Sulcal(p) ? 0.6 : 0.0;
  });
  scene.pial = Fill(g, [&](const std::array<double, 3>& p) {
    double pial = 40 - Norm(p);
    if (p[2] > 5) pial = std::min(pial, std::max(std::abs(scene.Plane(p)), 0.5));
    if (std::abs(p[1]) < 15 && p[2] > 0 && p[2] < 25)
      pial = std::min(pial, std::max(std::abs(p[0] - 22), 0.5));
    return pial;
  });
  scene.inner_skull = Fill(g, [](const std::array<double, 3>& p) { return Norm(p) - 44; });
  scene.ependymal = Fill(g, [](const std::array<double, 3>&) { return 100.0; });
  scene.priors.regions = Fill(g, [](const std::array<double, 3>&) { return 0.0; });
  return scene;
}

TEST(FindFalxPlane, FindsTheTiltedSheetAndNothingWithoutOne) {
  const FalxScene scene = MakeFalxScene(true);
  const auto plane = FindFalxPlane(scene.enhancement, scene.pial, scene.inner_skull, scene.ependymal);
  ASSERT_TRUE(plane.has_value());
  const double cosine = plane->normal[0] * scene.normal[0] + plane->normal[1] * scene.normal[1] +
                        plane->normal[2] * scene.normal[2];
  EXPECT_GT(cosine, std::cos(1 * M_PI / 180));
  EXPECT_NEAR(plane->offset_mm, scene.offset, 0.5);
  EXPECT_GT(plane->support_mm2, 1000);
  // The sulcal layer alone is too small a sheet to be a falx.
  const FalxScene bare = MakeFalxScene(false);
  EXPECT_FALSE(FindFalxPlane(bare.enhancement, bare.pial, bare.inner_skull, bare.ependymal).has_value());
}

TEST(ClassifyEnhancement, CallsTheFalxInsideTheBrainMaskDuraAndKeepsSulcalLayers) {
  const FalxScene scene = MakeFalxScene(true);
  const io::Volume classes = ClassifyEnhancement(scene.enhancement, scene.Anatomy());
  const ClassCount falx = CountClass(
      classes, [&](const std::array<double, 3>& p) { return scene.Falx(p); }, kDuralEnhancement);
  const ClassCount sulcal = CountClass(
      classes, [&](const std::array<double, 3>& p) { return !scene.Falx(p) && FalxScene::Sulcal(p); },
      kCandidate);
  ASSERT_GT(falx.voxels, 1000u);
  ASSERT_GT(sulcal.voxels, 500u);
  EXPECT_EQ(falx.of_class, falx.voxels);
  EXPECT_EQ(sulcal.of_class, sulcal.voxels);
}

// The choroid plexus is paired: a glomus of 3 mm radius 15 mm either side of the falx's plane in a
// ventricle, with the plexus prior 4 mm wider; on the left a nodule of 3.5 mm lies against the glomus.
TEST(ClassifyEnhancement, TellsANoduleAgainstThePlexusFromThePairedPlexus) {
  FalxScene scene = MakeFalxScene(true);
  const auto& g = scene.enhancement.geometry;
  const phantom::Vec3 n{scene.normal[0], scene.normal[1], scene.normal[2]};
  const phantom::Vec3 on_plane = n * scene.offset + phantom::Vec3{0, 4, -14} - n * n.Dot({0, 4, -14});
  const phantom::Vec3 left = on_plane + n * 15, right = on_plane - n * 15;
  const phantom::Vec3 along = (phantom::Vec3{0, 1, 0} - n * n.Dot({0, 1, 0})).Unit();
  const phantom::Vec3 nodule = left + along * 6.5;
  for (std::size_t v = 0; v < g.VoxelCount(); ++v) {
    const auto c = g.VoxelCentre(v);
    const phantom::Vec3 p{c[0], c[1], c[2]};
    const double to_glomus = std::min((p - left).Norm(), (p - right).Norm());
    if (to_glomus < 3 || (p - nodule).Norm() < 3.5) scene.enhancement.voxels[v] = 0.8f;
    if (to_glomus < 7)
      scene.priors.regions.voxels[v] = static_cast<float>(PriorBit(PriorRegion::kChoroidPlexus));
    if (to_glomus < 12) scene.ependymal.voxels[v] = -5;
  }
  const io::Volume classes = ClassifyEnhancement(scene.enhancement, scene.Anatomy());
  const auto to_glomus = [&](const std::array<double, 3>& c) {
    const phantom::Vec3 p{c[0], c[1], c[2]};
    return std::min((p - left).Norm(), (p - right).Norm());
  };
  const auto to_nodule = [&](const std::array<double, 3>& c) {
    return (phantom::Vec3{c[0], c[1], c[2]} - nodule).Norm();
  };
  const ClassCount glomus = CountClass(
      classes, [&](const std::array<double, 3>& p) { return to_glomus(p) < 3 && to_nodule(p) > 3.5; },
      kChoroidPlexusEnhancement);
  // The nodule, clear of the glomus's mirror image, inside the plexus prior.
  const ClassCount apart = CountClass(
      classes,
      [&](const std::array<double, 3>& p) {
        return to_nodule(p) < 3.5 && to_glomus(p) > 5 && to_glomus(p) < 7;
      },
      kUnpairedPlexusEnhancement);
  ASSERT_GT(glomus.voxels, 150u);
  ASSERT_GT(apart.voxels, 30u);
  EXPECT_EQ(glomus.of_class, glomus.voxels);
  EXPECT_EQ(apart.of_class, apart.voxels);
}

// The fourth ventricle's plexus is single and lies off the falx's plane's fitted part, in a ventricle the
// ventricle mask misses (ependymal distance far): in the posterior fossa, plexus-prior enhancement is plexus.
TEST(ClassifyEnhancement, CallsTheFourthVentriclesPlexusPlexus) {
  FalxScene scene = MakeFalxScene(true);
  const auto& g = scene.enhancement.geometry;
  const phantom::Vec3 fourth{2, 20, -25};  // 2 mm off the plane, below the tentorium
  for (std::size_t v = 0; v < g.VoxelCount(); ++v) {
    const auto c = g.VoxelCentre(v);
    const double to_plexus = (phantom::Vec3{c[0], c[1], c[2]} - fourth).Norm();
    if (to_plexus < 2.5) scene.enhancement.voxels[v] = 0.8f;
    if (to_plexus < 6) {
      scene.priors.regions.voxels[v] =
          static_cast<float>(PriorBit(PriorRegion::kChoroidPlexus) | PriorBit(PriorRegion::kInfratentorial));
    }
  }
  const io::Volume classes = ClassifyEnhancement(scene.enhancement, scene.Anatomy());
  const ClassCount plexus = CountClass(
      classes,
      [&](const std::array<double, 3>& c) {
        return (phantom::Vec3{c[0], c[1], c[2]} - fourth).Norm() < 2.5;
      },
      kChoroidPlexusEnhancement);
  ASSERT_GT(plexus.voxels, 40u);
  EXPECT_EQ(plexus.of_class, plexus.voxels);
}

// Vesselness reads an elongated nodule (16 x 7.6 x 7.6 mm) as a thick tube; cortical veins are thinner.
TEST(ClassifyEnhancement, KeepsEnhancementThickerThanAVeinFromTheVesselClass) {
  const auto g = Grid(64, 1.0);
  const auto nodule = [](const std::array<double, 3>& p) {
    const double x = (p[0] - 6) / 8, y = (p[1] + 10) / 3.8, z = p[2] / 3.8;
    return x * x + y * y + z * z < 1;
  };
  const auto vein = [](const std::array<double, 3>& p) { return std::hypot(p[1] - 12, p[2] - 3) < 1.0; };
  FalxScene scene;  // no falx here
  scene.enhancement =
      Fill(g, [&](const std::array<double, 3>& p) { return nodule(p) || vein(p) ? 0.8 : 0.0; });
  const io::Volume vesselness =
      Fill(g, [&](const std::array<double, 3>& p) { return nodule(p) || vein(p) ? 0.5 : 0.0; });
  scene.pial = Fill(g, [](const std::array<double, 3>&) { return 1.0; });
  scene.inner_skull = Fill(g, [](const std::array<double, 3>&) { return -20.0; });
  scene.ependymal = Fill(g, [](const std::array<double, 3>&) { return 100.0; });
  scene.priors.regions = Fill(g, [](const std::array<double, 3>&) { return 0.0; });
  EnhancementAnatomy anatomy = scene.Anatomy();
  anatomy.vesselness = &vesselness;
  const io::Volume classes = ClassifyEnhancement(scene.enhancement, anatomy);
  // All of the nodule but its ends, which taper as thin as a vein.
  const ClassCount thick = CountClass(
      classes, [&](const std::array<double, 3>& p) { return nodule(p) && std::abs(p[0] - 6) < 6; },
      kCandidate);
  const ClassCount thin = CountClass(
      classes, [&](const std::array<double, 3>& p) { return vein(p) && !nodule(p); }, kVesselEnhancement);
  ASSERT_GT(thick.voxels, 300u);
  ASSERT_GT(thin.voxels, 100u);
  EXPECT_EQ(thick.of_class, thick.voxels);
  EXPECT_EQ(thin.of_class, thin.voxels);
}

// A strip along a dural sheet touches it with every voxel; a sulcal layer reaching the sheet with one edge
// touches it with that edge only.
TEST(ShareTouchingClass, IsTheShareOfARegionsVoxelsBesideTheClass) {
  const auto g = Grid(20, 1.0);
  io::Volume classes =
      Fill(g, [](const std::array<double, 3>& p) { return p[2] > 7 ? kDuralEnhancement : 0; });
  const auto index = [&](std::size_t i, std::size_t j, std::size_t k) { return (k * 20 + j) * 20 + i; };
  EnhancingRegion strip, layer;
  for (std::size_t i = 0; i < 20; ++i) {
    strip.voxels.push_back(index(i, 10, 16));  // z = 6.5: beside the sheet (z > 7)
    for (std::size_t k = 8; k < 17; ++k)
      layer.voxels.push_back(index(i, 4, k));  // z from -1.5 to 6.5: only its top row is beside it
  }
  EXPECT_DOUBLE_EQ(ShareTouchingClass(strip, classes, kDuralEnhancement), 1.0);
  EXPECT_DOUBLE_EQ(ShareTouchingClass(layer, classes, kDuralEnhancement), 1.0 / 9);
  EXPECT_DOUBLE_EQ(ShareTouchingClass(layer, classes, kVesselEnhancement), 0.0);
  EXPECT_DOUBLE_EQ(ShareTouchingClass(EnhancingRegion{}, classes, kDuralEnhancement), 0.0);
}

// A region's pieces are its 26-connected parts: two voxels touching at a corner are one piece, a voxel two
// steps away another. On 0.5 x 1 x 2 mm voxels a piece of three voxels has 3 mm3.
TEST(RegionPieces, AreTheRegionsConnectedPartsAndTheLargestHasItsVolume) {
  io::VolumeGeometry g;
  g.size = {10, 8, 6};
  g.spacing_mm = {0.5, 1, 2};
  const auto index = [&](std::size_t i, std::size_t j, std::size_t k) { return (k * 8 + j) * 10 + i; };
  EnhancingRegion region;
  region.voxels = {index(2, 2, 1), index(3, 3, 2), index(4, 4, 3), index(7, 2, 1), index(9, 7, 5)};
  std::sort(region.voxels.begin(), region.voxels.end());
  const auto pieces = RegionPieces(g, region);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0], (std::vector<std::size_t>{index(2, 2, 1), index(3, 3, 2), index(4, 4, 3)}));
  EXPECT_EQ(pieces[1], (std::vector<std::size_t>{index(7, 2, 1)}));
  EXPECT_EQ(pieces[2], (std::vector<std::size_t>{index(9, 7, 5)}));
  EXPECT_DOUBLE_EQ(LargestPieceMm3(g, region), 3.0);
  EXPECT_TRUE(RegionPieces(g, EnhancingRegion{}).empty());
  EXPECT_DOUBLE_EQ(LargestPieceMm3(g, EnhancingRegion{}), 0.0);
}

// The fringe along a dural sheet stays within a couple of millimetres of it; a layer lining a sulcus
// reaches down from it. A small piece far from the sheet (dura left unclassified) gives the fringe no reach.
TEST(ReachesBeyondClass, NeedsAPieceOfTheMinimumVolumeThatReachesFarEnough) {
  const auto g = Grid(20, 1.0);
  const io::Volume classes =
      Fill(g, [](const std::array<double, 3>& p) { return p[2] > 7 ? kDuralEnhancement : 0; });
  const auto index = [&](std::size_t i, std::size_t j, std::size_t k) { return (k * 20 + j) * 20 + i; };
  EnhancingRegion fringe, sulcus;
  for (std::size_t i = 0; i < 20; ++i) {
    for (std::size_t j = 0; j < 20; ++j) {
      fringe.voxels.push_back(index(i, j, 15));  // z = 5.5: 1.5 mm from the sheet's surface (z = 7)
      fringe.voxels.push_back(index(i, j, 16));
    }
    for (std::size_t k = 8; k < 17; ++k)
      sulcus.voxels.push_back(index(i, 4, k));  // down to z = -1.5: 8.5 mm, 180 voxels of 1 mm3
  }
  EnhancingRegion fringe_and_speck = fringe;
  for (std::size_t k = 2; k < 5; ++k)
    for (std::size_t j = 8; j < 11; ++j)
      for (std::size_t i = 8; i < 11; ++i)
        fringe_and_speck.voxels.push_back(index(i, j, k));  // 27 voxels 12.5-14.5 mm away
  EXPECT_FALSE(ReachesBeyondClass(fringe, classes, kDuralEnhancement, 4.5, 100));
  EXPECT_TRUE(ReachesBeyondClass(sulcus, classes, kDuralEnhancement, 4.5, 100));
  EXPECT_FALSE(ReachesBeyondClass(sulcus, classes, kDuralEnhancement, 9, 100));
  EXPECT_FALSE(ReachesBeyondClass(sulcus, classes, kDuralEnhancement, 4.5, 200));
  EXPECT_FALSE(ReachesBeyondClass(fringe_and_speck, classes, kDuralEnhancement, 4.5, 100));
  EXPECT_TRUE(ReachesBeyondClass(fringe_and_speck, classes, kDuralEnhancement, 4.5, 27));
  EXPECT_TRUE(ReachesBeyondClass(fringe, classes, kVesselEnhancement, 4.5, 100));  // none of that class
  EXPECT_FALSE(ReachesBeyondClass(EnhancingRegion{}, classes, kDuralEnhancement, 4.5, 0));
}

const AnatomyTemplate& Analytic() {
  static const AnatomyTemplate t = phantom::AnalyticTemplate();
  return t;
}

bool HasAt(const AnatomyTemplate& t, const phantom::Vec3& p, PriorRegion region) {
  const auto index = t.priors.geometry.PointToIndex({p.x, p.y, p.z});
  const auto& g = t.priors.geometry;
  const auto i = static_cast<std::size_t>(std::lround(index[0])),
             j = static_cast<std::size_t>(std::lround(index[1])),
             k = static_cast<std::size_t>(std::lround(index[2]));
  const auto bits = static_cast<std::uint32_t>(t.priors.voxels[(k * g.size[1] + j) * g.size[0] + i]);
  return (bits & PriorBit(region)) != 0;
}

// A brainstem (a column of 11 mm radius along z, its axis at x = -14) and the left fifth nerve leaving it
// along x, 3 mm thick: the brain mask holds the nerve, as on Colin27. The nerve's prior reaches 4.5 mm
// around it, from inside the brainstem out to x = 24.
struct NerveScene {
  io::Volume pial, courses;
  SubjectPriors priors;
  static double FromAxis(const std::array<double, 3>& p) { return std::hypot(p[0] + 14, p[1]); }
  static double FromNerve(const std::array<double, 3>& p) { return std::hypot(p[1], p[2]); }
  static bool SwollenNerve(const std::array<double, 3>& p) {
    return p[0] > -3 && p[0] < 20 && FromNerve(p) < 2.5;
  }
  // Enhancement coating the brainstem, 1.5 mm thick, around the nerve's root.
  static bool Coat(const std::array<double, 3>& p) {
    return FromAxis(p) > 11 && FromAxis(p) < 12.5 && std::abs(p[2]) < 6 && p[0] > -14;
  }
};

NerveScene MakeNerveScene() {
  const auto g = Grid(64, 1.0);
  NerveScene scene;
  scene.pial = PialDistanceMap(Fill(g, [](const std::array<double, 3>& p) {
    return NerveScene::FromAxis(p) < 11 || (p[0] < 20 && NerveScene::FromNerve(p) < 1.5);
  }));
  scene.priors.regions = Fill(g, [](const std::array<double, 3>& p) {
    return p[0] > -14 && p[0] < 24 && NerveScene::FromNerve(p) < 4.5 ? PriorBit(PriorRegion::kNerveV_L) : 0;
  });
  scene.courses = CisternalNerveCourses(scene.priors, scene.pial);
  return scene;
}

TEST(CranialNerves, FindASwollenNerveTheBrainMaskHoldsButNotACoatedBrainstem) {
  const NerveScene scene = MakeNerveScene();
  const auto& g = scene.pial.geometry;
  const auto candidates = [&](bool (*inside)(const std::array<double, 3>&)) {
    return MaskWhere(g, [&](std::size_t v) { return inside(g.VoxelCentre(v)); });
  };
  const auto nerve = DetectCranialNerveEnhancement(candidates(NerveScene::SwollenNerve), scene.courses);
  ASSERT_EQ(nerve.size(), 1u);
  EXPECT_EQ(nerve[0].region, "V_L");
  // The swollen nerve lies no more than 1 mm outside the brain mask, which holds the normal nerve: measured
  // from the mask's surface, none of it would clear the brainstem.
  const auto nerve_voxels = candidates(NerveScene::SwollenNerve);
  for (std::size_t v = 0; v < g.VoxelCount(); ++v)
    if (nerve_voxels.voxels[v] > 0) {
      ASSERT_GT(scene.pial.voxels[v], -1.1);
    }
  const io::Volume coat = candidates(NerveScene::Coat);
  EXPECT_TRUE(DetectCranialNerveEnhancement(coat, scene.courses).empty());
  // Without the clearance the coat is a "nerve": the scene does test it.
  CranialNerveOptions no_clearance;
  no_clearance.clearance_mm = 0;
  EXPECT_EQ(DetectCranialNerveEnhancement(coat, CisternalNerveCourses(scene.priors, scene.pial, no_clearance))
                .size(),
            1u);
}

// An LM layer in the cistern, 1.5 mm thick and 40 mm across, crossing the nerve's course: the piece on the
// course is nerve-sized, but a small part of the layer it belongs to. The swollen nerve touching the
// same layer is still a nerve.
TEST(CranialNerves, LeaveALayerCrossingANerveToTheLayer) {
  const NerveScene scene = MakeNerveScene();
  const auto& g = scene.pial.geometry;
  const auto layer = [](const std::array<double, 3>& p) {
    return p[0] > 12 && p[0] < 13.5 && NerveScene::FromNerve(p) < 20;
  };
  const io::Volume crossing = MaskWhere(g, [&](std::size_t v) { return layer(g.VoxelCentre(v)); });
  EXPECT_TRUE(DetectCranialNerveEnhancement(crossing, scene.courses).empty());
  CranialNerveOptions any_share;
  any_share.min_connected_share = 0;
  EXPECT_EQ(DetectCranialNerveEnhancement(crossing, scene.courses, any_share).size(), 1u);
  const io::Volume nerve_and_layer = MaskWhere(g, [&](std::size_t v) {
    return layer(g.VoxelCentre(v)) || NerveScene::SwollenNerve(g.VoxelCentre(v));
  });
  EXPECT_EQ(DetectCranialNerveEnhancement(nerve_and_layer, scene.courses).size(), 1u);
}

// A nodule found on the swollen nerve is the nerve's enhancement and goes back to the candidates; a nodule
// of 12 mm on the nerve's course is wider than any nerve and stays a nodule.
TEST(CranialNerves, TakeBackASwollenNerveFromTheNodulesButNotANoduleOnTheNerve) {
  const NerveScene scene = MakeNerveScene();
  const auto& g = scene.pial.geometry;
  NoduleDetection found;
  found.remainder = MaskWhere(g, [](std::size_t) { return false; });
  found.nodules.resize(2);
  for (std::size_t v = 0; v < g.VoxelCount(); ++v) {
    const auto p = g.VoxelCentre(v);
    if (NerveScene::SwollenNerve(p) && p[0] > 0 && p[0] < 7) found.nodules[0].voxels.push_back(v);
    if (Norm({p[0] - 14, p[1], p[2]}) < 6) found.nodules[1].voxels.push_back(v);
  }
  const std::vector<std::size_t> lump = found.nodules[1].voxels;
  ReturnNerveEnhancement(found, scene.courses);
  ASSERT_EQ(found.nodules.size(), 1u);
  EXPECT_EQ(found.nodules[0].voxels, lump);
  const auto returned = static_cast<std::size_t>(
      std::count(found.remainder.voxels.begin(), found.remainder.voxels.end(), 1.0f));
  EXPECT_GT(returned, 100u);
  for (std::size_t v : lump)
    EXPECT_EQ(found.remainder.voxels[v], 0.0f);
}

TEST(AnalyticTemplate, PriorsCoverEachNerveOnItsOwnSideOnly) {
  const phantom::AnalyticHead head;
  for (const auto& nerve : head.nerves()) {
    const phantom::Vec3 middle = (nerve.from + nerve.to) * 0.5;
    for (std::size_t n = 0; n < kNerveRegions.size(); ++n) {
      const bool own = PriorRegionName(kNerveRegions[n]) == nerve.Name();
      EXPECT_EQ(HasAt(Analytic(), middle, kNerveRegions[n]), own)
          << nerve.Name() << " in " << PriorRegionName(kNerveRegions[n]);
    }
  }
  EXPECT_FALSE(HasAt(Analytic(), {30, -20, 40}, PriorRegion::kNerveV_L));
}

TEST(AnalyticTemplate, WritesAndReadsBackAndRefusesAnotherRegionList) {
  const auto folder =
      std::filesystem::temp_directory_path() / ("template-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  WriteTemplate(Analytic(), folder);
  const AnatomyTemplate back = ReadTemplate(folder);
  EXPECT_EQ(back.name, "analytic");
  EXPECT_EQ(back.priors.voxels, Analytic().priors.voxels);
  std::ofstream(folder / "template.json") << R"({"name": "x", "regions": ["infratentorial"]})";
  try {
    ReadTemplate(folder);
    ADD_FAILURE() << "a template with other regions was read";
  } catch (const io::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("template.json"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace leptoscan::filters
