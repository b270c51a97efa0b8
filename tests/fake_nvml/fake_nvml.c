/* A stand-in for libnvidia-ml.so.1 with the entry points specgap calls, so that tests exercise the
 * NVML paths on machines without a GPU. Behaviour comes from the environment:
 *   FAKE_NVML_GPUS            number of GPUs (default 1; 0: NVML present, no GPU)
 *   FAKE_NVML_INIT_FAIL       set: nvmlInit_v2 fails
 *   FAKE_NVML_NAME            every GPU's name (default "Fake H100 80GB HBM3", which no catalog system has)
 *   FAKE_NVML_THROTTLE_AFTER  seconds after nvmlInit_v2 at which GPU 0 starts throttling: its SM clock
 *                             falls from 1980 to 1100 MHz, its temperature reaches its 87 C slowdown
 *                             threshold, and it reports sw and hw thermal slowdown (0x20 | 0x40). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int nvmlReturn_t;
typedef struct nvmlDevice_st* nvmlDevice_t;
enum { OK = 0, ERROR_UNINITIALIZED = 1, ERROR_INVALID_ARGUMENT = 2, ERROR_UNKNOWN = 999 };

static struct timespec started;
static int devices[8];

static double since_init(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - started.tv_sec) + (double)(now.tv_nsec - started.tv_nsec) * 1e-9;
}
static unsigned gpu_count(void) {
  const char* n = getenv("FAKE_NVML_GPUS");
  unsigned c = n ? (unsigned)atoi(n) : 1;
  return c > 8 ? 8 : c;
}
static int index_of(nvmlDevice_t d) { return (int)((int*)d - devices); }
static int throttling(nvmlDevice_t d) {
  const char* after = getenv("FAKE_NVML_THROTTLE_AFTER");
  return index_of(d) == 0 && after && since_init() >= atof(after);
}

nvmlReturn_t nvmlInit_v2(void) {
  if (getenv("FAKE_NVML_INIT_FAIL")) return ERROR_UNKNOWN;
  clock_gettime(CLOCK_MONOTONIC, &started);
  return OK;
}
nvmlReturn_t nvmlShutdown(void) { return OK; }
const char* nvmlErrorString(nvmlReturn_t rc) { return rc == OK ? "Success" : "Unknown Error"; }
nvmlReturn_t nvmlSystemGetDriverVersion(char* v, unsigned n) {
  strncpy(v, "580.00-fake", n);
  return OK;
}
nvmlReturn_t nvmlDeviceGetCount_v2(unsigned* count) {
  *count = gpu_count();
  return OK;
}
nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned i, nvmlDevice_t* d) {
  if (i >= gpu_count()) return ERROR_INVALID_ARGUMENT;
  *d = (nvmlDevice_t)&devices[i];
  return OK;
}
nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char* name, unsigned n) {
  const char* chosen = getenv("FAKE_NVML_NAME");
  (void)d;
  strncpy(name, chosen ? chosen : "Fake H100 80GB HBM3", n);
  return OK;
}
nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char* uuid, unsigned n) {
  strncpy(uuid, index_of(d) ? "GPU-fake-0001" : "GPU-fake-0000", n);
  return OK;
}
typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t* m) {
  (void)d;
  m->total = 85899345920ULL;
  m->used = 1073741824ULL;
  m->free = m->total - m->used;
  return OK;
}
typedef struct {
  char busIdLegacy[16];
  unsigned domain, bus, device, pciDeviceId, pciSubSystemId;
  char busId[32];
} nvmlPciInfo_t;
nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t* p) {
  memset(p, 0, sizeof *p);
  strcpy(p->busId, index_of(d) ? "00000000:3C:00.0" : "00000000:3B:00.0");
  return OK;
}
nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t d, int type, unsigned* mhz) {
  *mhz = type == 2 ? 2619 : (throttling(d) ? 1100 : 1980);
  return OK;
}
nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned* c) {
  (void)sensor;
  *c = throttling(d) ? 87 : 64;
  return OK;
}
nvmlReturn_t nvmlDeviceGetTemperatureThreshold(nvmlDevice_t d, int which, unsigned* c) {
  (void)d;
  if (which != 1) return ERROR_INVALID_ARGUMENT;
  *c = 87;
  return OK;
}
nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned* mw) {
  *mw = throttling(d) ? 452000 : 698000;
  return OK;
}
nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t d, unsigned* mw) {
  (void)d;
  *mw = 700000;
  return OK;
}
nvmlReturn_t nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t d, unsigned long long* mask) {
  *mask = throttling(d) ? 0x60ULL : 0ULL;
  return OK;
}
typedef struct { unsigned gpu, memory; } nvmlUtilization_t;
nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t* u) {
  (void)d;
  u->gpu = 0;
  u->memory = 0;
  return OK;
}
nvmlReturn_t nvmlDeviceGetCurrPcieLinkGeneration(nvmlDevice_t d, unsigned* g) {
  (void)d;
  *g = 5;
  return OK;
}
nvmlReturn_t nvmlDeviceGetCurrPcieLinkWidth(nvmlDevice_t d, unsigned* w) {
  (void)d;
  *w = 16;
  return OK;
}
