#include "filters/thread_limit.h"

#include <itkMultiThreaderBase.h>

namespace leptoscan::filters {

ThreadLimit::ThreadLimit(unsigned threads) {
  if (threads == 0) return;
  tbb_ = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, threads);
  itk_before_ = itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads();
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(threads);
}

ThreadLimit::~ThreadLimit() {
  if (itk_before_ > 0) itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(itk_before_);
}

}  // namespace leptoscan::filters
