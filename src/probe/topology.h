#pragma once
// Sockets, cores, logical CPUs, caches and NUMA nodes, as hwloc sees them.
#include <string>
#include <vector>

#include "probe/machine.h"

namespace specgap {

struct Topology {
  int sockets = 0;  // 0: unknown
  int cores = 0;
  int threads = 0;
  bool smt = false;
  std::vector<int> core_pus;  // first PU (OS index) of each core, in hwloc's core order
  std::vector<int> pu_core;   // the core (index into core_pus) of each PU, indexed by OS CPU number; -1: none
  std::vector<CacheLevel> caches;
  int numa_nodes = 0;         // 0: unknown
  std::string source;         // "hwloc", or the fallback and why it was taken
};

// hwloc's view, reported as hwloc gives it (a VM may expose odd cache sizes; they are not
// corrected here). Falls back to topology_from_cpu_count(sysconf(_SC_NPROCESSORS_ONLN)) when hwloc
// cannot load a topology.
Topology read_topology();

// What can be said from a count of online CPUs alone: each is taken as a core, CPUs 0..n-1, no
// caches, sockets and NUMA nodes unknown. A count below 1 is taken as 1.
Topology topology_from_cpu_count(long online_cpus);

}  // namespace specgap
