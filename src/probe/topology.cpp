// read_topology: hwloc's tree flattened to counts, pinning order and cache levels.
#include "probe/topology.h"

#include <hwloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <memory>

namespace specgap {
namespace {

using TopologyPtr = std::unique_ptr<hwloc_topology, decltype(&hwloc_topology_destroy)>;

// Cache object types from the closest to the core outwards; instruction caches included on purpose
// (hwloc drops them unless asked, see the filter in read_topology).
constexpr hwloc_obj_type_t kCacheTypes[] = {HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L1ICACHE, HWLOC_OBJ_L2CACHE,
                                            HWLOC_OBJ_L2ICACHE, HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L3ICACHE,
                                            HWLOC_OBJ_L4CACHE, HWLOC_OBJ_L5CACHE};

const char* cache_type_name(hwloc_obj_cache_type_t t) {
  switch (t) {
    case HWLOC_OBJ_CACHE_DATA: return "data";
    case HWLOC_OBJ_CACHE_INSTRUCTION: return "instruction";
    case HWLOC_OBJ_CACHE_UNIFIED: return "unified";
  }
  return "unified";
}

// One CacheLevel per distinct (size, sharing) at each cache depth, so a hybrid CPU's P-core and
// E-core L2s stay apart instead of being averaged. Entries keep hwloc's order: CPU 0's first.
void add_caches(hwloc_topology_t topo, std::vector<CacheLevel>& out) {
  for (hwloc_obj_type_t type : kCacheTypes) {
    const int n = hwloc_get_nbobjs_by_type(topo, type);
    const auto first_of_type = std::ptrdiff_t(out.size());
    for (int i = 0; i < n; ++i) {
      const hwloc_obj_t obj = hwloc_get_obj_by_type(topo, type, unsigned(i));
      CacheLevel c;
      c.level = int(obj->attr->cache.depth);
      c.type = cache_type_name(obj->attr->cache.type);
      c.size_bytes = obj->attr->cache.size;
      c.pus_per_instance = hwloc_bitmap_weight(obj->cpuset);
      const auto same = std::find_if(out.begin() + first_of_type, out.end(), [&](const CacheLevel& seen) {
        return seen.size_bytes == c.size_bytes && seen.pus_per_instance == c.pus_per_instance;
      });
      if (same != out.end()) {
        ++same->instances;
      } else {
        c.instances = 1;
        out.push_back(c);
      }
    }
  }
}

}  // namespace

Topology topology_from_cpu_count(long online_cpus) {
  Topology t;
  const int n = online_cpus < 1 ? 1 : int(online_cpus);
  t.cores = n;
  t.threads = n;
  for (int i = 0; i < n; ++i) t.core_pus.push_back(i);
  t.pu_core = t.core_pus;
  t.source = "sysconf (hwloc could not load a topology)";
  return t;
}

Topology read_topology() {
  hwloc_topology_t raw = nullptr;
  if (hwloc_topology_init(&raw) != 0) return topology_from_cpu_count(sysconf(_SC_NPROCESSORS_ONLN));
  TopologyPtr topo(raw, &hwloc_topology_destroy);
  hwloc_topology_set_icache_types_filter(raw, HWLOC_TYPE_FILTER_KEEP_ALL);
  if (hwloc_topology_load(raw) != 0) return topology_from_cpu_count(sysconf(_SC_NPROCESSORS_ONLN));

  Topology t;
  t.source = "hwloc";
  t.sockets = hwloc_get_nbobjs_by_type(raw, HWLOC_OBJ_PACKAGE);
  t.threads = hwloc_get_nbobjs_by_type(raw, HWLOC_OBJ_PU);
  t.numa_nodes = hwloc_get_nbobjs_by_type(raw, HWLOC_OBJ_NUMANODE);
  // Some platforms expose no core objects; each PU then stands for a core.
  const hwloc_obj_type_t core_type =
      hwloc_get_nbobjs_by_type(raw, HWLOC_OBJ_CORE) > 0 ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
  t.cores = hwloc_get_nbobjs_by_type(raw, core_type);
  for (int i = 0; i < t.cores; ++i) {
    const hwloc_obj_t core = hwloc_get_obj_by_type(raw, core_type, unsigned(i));
    // Cpusets are indexed by OS CPU number, so the first bit is the PU to pin to.
    t.core_pus.push_back(hwloc_bitmap_first(core->cpuset));
    // SMT siblings share the core's execution units: the peak formula counts the core once.
    for (int pu = hwloc_bitmap_first(core->cpuset); pu >= 0; pu = hwloc_bitmap_next(core->cpuset, pu)) {
      if (size_t(pu) >= t.pu_core.size()) t.pu_core.resize(size_t(pu) + 1, -1);
      t.pu_core[size_t(pu)] = i;
    }
  }
  t.smt = t.threads > t.cores;
  add_caches(raw, t.caches);
  if (t.threads < 1) return topology_from_cpu_count(sysconf(_SC_NPROCESSORS_ONLN));
  return t;
}

}  // namespace specgap
