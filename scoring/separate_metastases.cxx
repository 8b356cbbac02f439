#include "scoring/separate_metastases.h"

#include <algorithm>

namespace leptoscan::scoring {

std::vector<SeparateMetastases> ReportSeparateMetastases(const Findings& baseline, const Findings& followup,
                                                         const LesionMatching& matching) {
  std::vector<SeparateMetastases> reports;
  for (const char* location : {"parenchymal", "intramedullary"}) {
    SeparateMetastases report;
    report.location = location;
    for (const Lesion& lesion : baseline.lesions)
      if (lesion.kind == LesionKind::kNodule && lesion.location == location) {
        ++report.baseline_count;
        report.baseline_mm2 += lesion.SizeMm2();
      }
    for (const Lesion& lesion : followup.lesions)
      if (lesion.kind == LesionKind::kNodule && lesion.location == location) {
        ++report.followup_count;
        report.followup_mm2 += lesion.SizeMm2();
        if (matching.IsNew(lesion.id)) report.new_ids.push_back(lesion.id);
      }
    std::sort(report.new_ids.begin(), report.new_ids.end());
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace leptoscan::scoring
