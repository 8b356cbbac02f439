// summary.html: the cohort page of a batch (or of `leptoscan aggregate`), one self-contained HTML file beside
// results.tsv and summary.json that links every subject's report.html.
#pragma once

#include <string>

#include "pipeline/batch.h"

namespace leptoscan::pipeline {

// The counts (subjects, failed, follow-ups by response, best responses); a waterfall plot of each subject's
// best change of the composite against the baseline (bars coloured by best response, dashed lines at the
// response and progression thresholds); one row per subject: a link to <folder>/report.html, time points,
// baseline EANO-ESMO type, per follow-up date, composite, change, new lesions and response, the best
// response, the time the case took; failed subjects with the stage and the message in place of the scores.
std::string CohortSummaryHtml(const BatchResult& batch);

}  // namespace leptoscan::pipeline
