// A synthetic adult spine for sagittal spine studies, from the top of C1 to the sacrum: vertebral bodies
// (marrow in a cortical shell) and posterior arches with spinous processes, discs, the spinal canal with
// epidural fat and the anterior epidural venous plexus, the thecal sac (dura, CSF) ending at S2, the cord
// with its cervical and lumbar enlargements ending in the conus medullaris near L1-L2, the filum
// terminale and the cauda equina roots, which leave the sac through the neural foramina of L1 to S2,
// paraspinal muscle and subcutaneous fat. It hangs below the head in the head's LPS millimetres, curved
// as a spine is (cervical lordosis, thoracic kyphosis, lumbar lordosis, sacrum sloping back).
//
// Positions are given in the canal's frame: `s` mm along the canal from the top of C1 (caudal
// positive), `u` mm to the left and `v` mm posterior of the canal's centre line, across the canal.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "testdata/phantom/anatomy.h"
#include "testdata/phantom/label_map.h"

namespace leptoscan::phantom {

// Parameters that change between subjects.
struct SpineShape {
  double conus_shift_mm = 0;  // the conus tip's offset (caudal positive) from the L1-L2 disc
};

struct Vertebra {
  std::string name;            // C1 ... L5, S1 ... S5
  double top = 0, bottom = 0;  // s of the body's upper and lower endplates
  double disc_below = 0;       // height of the disc under it (0 for the fused sacrum)
};

struct CanalPoint {
  double s = 0, u = 0, v = 0;
};

// One cauda equina root: from the conus down the thecal sac to its foramen, as a polyline in body
// coordinates.
struct NerveRoot {
  std::string name;  // e.g. "L4_L_dorsal"
  std::vector<Vec3> path;
  double radius_mm = 0.7;
  double top = 0, bottom = 0;  // the s range it spans
  double exit = 0;             // s where it pierces the dura
};

class SpineAnatomy {
 public:
  explicit SpineAnatomy(SpineShape shape = {});

  Label LabelAt(const Vec3& p) const;

  CanalPoint Frame(const Vec3& p) const;
  Vec3 PointAt(double s, double u, double v) const;
  Vec3 Tangent(double s) const;    // unit, caudal
  Vec3 Posterior(double s) const;  // unit, across the canal

  // Signed distances (mm, negative inside) across the canal at p's level: to the cord's surface (the
  // pia; beyond the conus tip, to the tip), to the inner surface of the dura (the thecal sac's CSF
  // space), and to the surface of the nearest cauda equina root (or filum terminale).
  double CordDistance(const Vec3& p) const;
  double SacDistance(const Vec3& p) const;
  double RootDistance(const Vec3& p) const;

  // Half-axes (u, v) of the cord and of the sac's CSF space at level s, and the v of their centres.
  struct Section {
    double a = 0, b = 0, centre_v = 0;
  };
  Section Cord(double s) const;
  Section SacInside(double s) const;

  const std::vector<Vertebra>& vertebrae() const { return vertebrae_; }
  const Vertebra& VertebraNamed(const std::string& name) const;
  const std::vector<NerveRoot>& roots() const { return roots_; }
  double conus_tip() const { return conus_tip_; }
  double sac_end() const { return sac_end_; }
  // s of the top and bottom of the sagittal field of view.
  static constexpr double kFieldTop = -8, kFieldBottom = 642;
  // The body box a sagittal series covers: 15 slices of 3 mm across, the back to the prevertebral
  // tissue front to back, C1 to S3 top to bottom.
  Box field_of_view() const;
  // A box holding the canal's content (cord, sac and roots) from s0 to s1, in body coordinates.
  Box CanalBox(double s0, double s1, double margin_mm) const;
  const SpineShape& shape() const { return shape_; }

 private:
  // Sizes at one level (mm), in the order of the table in spine_anatomy.cxx; then the centre line's
  // offset and slope in s.
  struct Profile {
    double canal_a, canal_b, sac_gap_a, sac_gap_b, cord_a, cord_b, body_a, body_depth, arch, spinous,
        spinous_slope, spinous_height, muscle_behind, fat, front;
    double curve_y, curve_dy;
  };
  const Profile& ProfileAt(double s) const;          // from a table every 0.25 mm
  std::pair<double, double> Centre(double z) const;  // the centre line's y at height z, and dy/dz
  double RootDistanceAt(const Vec3& p, double s) const;

  SpineShape shape_;
  double z_top_ = -95, y_top_ = 15;  // the top of C1's canal, just below the analytic head's box
  std::vector<Profile> profiles_;
  std::vector<Vertebra> vertebrae_;
  std::vector<NerveRoot> roots_;
  double conus_tip_ = 0, sac_end_ = 0;
};

// Rasterises the spine's field of view (with a margin for motion) at the given voxel size, in parallel.
LabelMap RasterizeSpine(const SpineAnatomy& spine, double spacing_mm);

}  // namespace leptoscan::phantom
