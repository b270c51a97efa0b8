#include "llm/gguf_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

#include <fmt/format.h>

#include "core/error.h"

namespace specgap::llm {

namespace {

constexpr uint32_t kMagic = 0x46554747;  // "GGUF" read as a little-endian uint32
constexpr uint32_t kValueTypeCount = 13;

// Each record's smallest encoding, to bound counts by the bytes left before anything is allocated.
constexpr uint64_t kMinKvBytes = 8 + 1 + 4 + 1;              // key length, 1-byte key, type, u8 value
constexpr uint64_t kMinTensorInfoBytes = 8 + 1 + 4 + 8 + 4 + 8;  // name length, name, n_dims, 1 dim, type, offset

std::string printable(std::string_view s, size_t max = 64) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\') out += fmt::format("\\x{:02x}", c);
    else out += char(c);
  }
  if (s.size() > max) out += "...";
  return out;
}

// Reads the file front to back; knows how many bytes are left and fails with one line when a read
// would pass the end.
class Cursor {
 public:
  Cursor(const std::byte* base, uint64_t size, const std::string& label) : base_(base), size_(size), label_(label) {}

  uint64_t pos() const { return pos_; }
  uint64_t left() const { return size_ - pos_; }
  const std::byte* here() const { return base_ + pos_; }

  [[noreturn]] void fail(const std::string& subject, const std::string& problem) const {
    throw Error(fmt::format("gguf: {}: {}: {}", label_, subject, problem));
  }

  void need(uint64_t n, const std::string& subject, std::string_view field) const {
    if (n > left())
      fail(subject, fmt::format("{} needs {} bytes at byte {}, but the file ends {} bytes later (truncated file)",
                                field, n, pos_, left()));
  }

  template <class T> T read(const std::string& subject, std::string_view field) {
    need(sizeof(T), subject, field);
    T v;
    std::memcpy(&v, here(), sizeof(T));
    pos_ += sizeof(T);
    return v;
  }

  // A gguf string: uint64 length, then the bytes. `limit` caps the length before it is trusted.
  std::string_view read_string(const std::string& subject, std::string_view field, uint64_t limit) {
    const uint64_t at = pos_;
    const auto n = read<uint64_t>(subject, std::string(field) + " length");
    if (n > limit) fail(subject, fmt::format("{} length {} at byte {} is over the {}-byte limit", field, n, at, limit));
    if (n > left())
      fail(subject, fmt::format("{} length {} at byte {} runs past the end of the file ({} bytes left; truncated file)",
                                field, n, at, left()));
    std::string_view s(reinterpret_cast<const char*>(here()), n);
    pos_ += n;
    return s;
  }

  void skip(uint64_t n) { pos_ += n; }  // callers checked n <= left()

 private:
  const std::byte* base_;
  uint64_t size_;
  const std::string& label_;
  uint64_t pos_ = 0;
};

std::string subject_at(std::string_view what, uint64_t at) { return fmt::format("{} (at byte {})", what, at); }

std::optional<GgufValueType> value_type(uint32_t id) {
  if (id >= kValueTypeCount) return std::nullopt;
  return static_cast<GgufValueType>(id);
}

void check_bool(Cursor& c, const std::byte* p, const std::string& subject, uint64_t at) {
  const auto b = static_cast<unsigned>(*p);
  if (b > 1) c.fail(subject, fmt::format("bool at byte {} is {}, must be 0 or 1", at, b));
}

}  // namespace

std::string_view to_string(GgufValueType t) {
  static constexpr std::string_view names[kValueTypeCount] = {"u8",  "i8",   "u16",    "i16",   "u32", "i32", "f32",
                                                               "bool", "string", "array", "u64", "i64", "f64"};
  const auto id = static_cast<uint32_t>(t);
  return id < kValueTypeCount ? names[id] : "invalid";
}

uint32_t gguf_value_size(GgufValueType t) {
  switch (t) {
    case GgufValueType::u8: case GgufValueType::i8: case GgufValueType::boolean: return 1;
    case GgufValueType::u16: case GgufValueType::i16: return 2;
    case GgufValueType::u32: case GgufValueType::i32: case GgufValueType::f32: return 4;
    case GgufValueType::u64: case GgufValueType::i64: case GgufValueType::f64: return 8;
    case GgufValueType::string: case GgufValueType::array: return 0;
  }
  return 0;
}

// ---- GgufScalar -------------------------------------------------------------------------------

bool GgufScalar::is_integer() const {
  switch (type) {
    case GgufValueType::u8: case GgufValueType::i8: case GgufValueType::u16: case GgufValueType::i16:
    case GgufValueType::u32: case GgufValueType::i32: case GgufValueType::u64: case GgufValueType::i64:
      return true;
    default:
      return false;
  }
}

std::optional<int64_t> GgufScalar::to_int() const {
  switch (type) {
    case GgufValueType::u8: case GgufValueType::u16: case GgufValueType::u32: return int64_t(bits);
    case GgufValueType::i8: return int8_t(uint8_t(bits));
    case GgufValueType::i16: return int16_t(uint16_t(bits));
    case GgufValueType::i32: return int32_t(uint32_t(bits));
    case GgufValueType::i64: return int64_t(bits);
    case GgufValueType::u64: if (bits > uint64_t(INT64_MAX)) return std::nullopt; return int64_t(bits);
    default: return std::nullopt;
  }
}

std::optional<uint64_t> GgufScalar::to_uint() const {
  if (type == GgufValueType::u64) return bits;
  const auto v = to_int();
  if (!v || *v < 0) return std::nullopt;
  return uint64_t(*v);
}

std::optional<double> GgufScalar::to_double() const {
  if (type == GgufValueType::f32) {
    float f;
    const auto b = uint32_t(bits);
    std::memcpy(&f, &b, 4);
    return double(f);
  }
  if (type == GgufValueType::f64) {
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  if (type == GgufValueType::u64) return double(bits);
  if (const auto v = to_int()) return double(*v);
  return std::nullopt;
}

std::optional<bool> GgufScalar::to_bool() const {
  if (type != GgufValueType::boolean) return std::nullopt;
  return bits != 0;
}

// ---- GgufArray --------------------------------------------------------------------------------

GgufScalar GgufArray::element(uint64_t i) const {
  const uint32_t size = gguf_value_size(type);
  if (size == 0) throw std::out_of_range("GgufArray::element on an array of " + std::string(to_string(type)));
  if (i >= count) throw std::out_of_range("GgufArray::element index past the end");
  GgufScalar s{type, 0};
  std::memcpy(&s.bits, data + i * size, size);
  return s;
}

std::string_view GgufArray::string_at(uint64_t i) const {
  if (type != GgufValueType::string) throw std::out_of_range("GgufArray::string_at on a non-string array");
  if (i >= string_offsets.size()) throw std::out_of_range("GgufArray::string_at index past the end");
  uint64_t n;
  std::memcpy(&n, data + string_offsets[i], 8);  // checked when the file was opened
  return {reinterpret_cast<const char*>(data + string_offsets[i] + 8), n};
}

// ---- GgufFile ---------------------------------------------------------------------------------

struct GgufFile::Mapping {
  void* addr = nullptr;  // from mmap (open)
  size_t length = 0;
  std::vector<std::byte> bytes;  // or owned bytes (from_bytes)
  ~Mapping() {
    if (addr) munmap(addr, length);
  }
};

GgufFile::GgufFile(GgufFile&&) noexcept = default;
GgufFile& GgufFile::operator=(GgufFile&&) noexcept = default;
GgufFile::~GgufFile() = default;

GgufFile GgufFile::open(const std::string& path) {
  GgufFile f;
  f.label_ = path;
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below as not a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw Error(fmt::format("gguf: {}: cannot open ({})", path, std::strerror(errno)));
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    throw Error(fmt::format("gguf: {}: cannot stat ({})", path, std::strerror(e)));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw Error(fmt::format("gguf: {}: is a directory, not a GGUF file", path));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(fmt::format("gguf: {}: not a regular file", path));
  }
  f.map_ = std::make_unique<Mapping>();
  f.size_ = uint64_t(st.st_size);
  if (f.size_ > 0) {
    // A file that shrinks while mapped raises SIGBUS on access; model files are not edited in place.
    void* addr = mmap(nullptr, size_t(f.size_), PROT_READ, MAP_PRIVATE, fd, 0);
    if (addr == MAP_FAILED) {
      const int e = errno;
      ::close(fd);
      throw Error(fmt::format("gguf: {}: cannot map {} bytes ({})", path, f.size_, std::strerror(e)));
    }
    f.map_->addr = addr;
    f.map_->length = size_t(f.size_);
    f.base_ = static_cast<const std::byte*>(addr);
  }
  ::close(fd);
  f.parse();
  return f;
}

GgufFile GgufFile::from_bytes(std::vector<std::byte> bytes, std::string label) {
  GgufFile f;
  f.label_ = std::move(label);
  f.map_ = std::make_unique<Mapping>();
  f.map_->bytes = std::move(bytes);
  f.base_ = f.map_->bytes.data();
  f.size_ = f.map_->bytes.size();
  f.parse();
  return f;
}

void GgufFile::parse() {
  Cursor c(base_, size_, label_);

  // Header.
  if (size_ < 4) throw Error(fmt::format("gguf: {}: not a GGUF file (magic missing: the file has {} bytes)", label_, size_));
  const auto magic = c.read<uint32_t>("magic", "magic");
  if (magic != kMagic) {
    std::string text;
    for (int i = 0; i < 4; ++i) {
      const auto ch = static_cast<unsigned char>(base_[i]);
      text += (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') ? std::string(1, char(ch)) : fmt::format("\\x{:02x}", ch);
    }
    throw Error(fmt::format("gguf: {}: not a GGUF file (magic \"{}\" at byte 0, expected \"GGUF\")", label_, text));
  }
  const std::string version_subject = "header";
  version_ = c.read<uint32_t>(version_subject, "version");
  // ggml's hint: a version with its low 16 bits zero is a small number written big-endian.
  if (version_ != 0 && (version_ & 0xffff) == 0)
    c.fail(version_subject, fmt::format("version 0x{:08x} at byte 4 looks like a big-endian GGUF file, which is not "
                                        "supported", version_));
  if (version_ == 1) c.fail(version_subject, "GGUF version 1 is not supported (re-convert the file)");
  if (version_ != 2 && version_ != 3)
    c.fail(version_subject, fmt::format("GGUF version {} at byte 4 is not supported (only 2 and 3)", version_));

  const uint64_t n_tensors_at = c.pos();
  const auto n_tensors = c.read<uint64_t>("header", "tensor count");
  const uint64_t n_kv_at = c.pos();
  const auto n_kv = c.read<uint64_t>("header", "kv count");
  if (n_tensors > GgufLimits::max_tensor_count)
    c.fail("header", fmt::format("tensor count {} at byte {} is over the limit of {}", n_tensors, n_tensors_at,
                                 GgufLimits::max_tensor_count));
  if (n_kv > GgufLimits::max_kv_count)
    c.fail("header", fmt::format("kv count {} at byte {} is over the limit of {}", n_kv, n_kv_at,
                                 GgufLimits::max_kv_count));
  // Both counts are at most 2^20, so these products cannot overflow.
  if (n_kv * kMinKvBytes > c.left())
    c.fail("header", fmt::format("kv count {} at byte {} needs at least {} bytes, the file has {} left", n_kv,
                                 n_kv_at, n_kv * kMinKvBytes, c.left()));
  if (n_kv * kMinKvBytes + n_tensors * kMinTensorInfoBytes > c.left())
    c.fail("header", fmt::format("tensor count {} at byte {} needs at least {} bytes after the metadata, the file "
                                 "has {} left", n_tensors, n_tensors_at, n_tensors * kMinTensorInfoBytes,
                                 c.left() - n_kv * kMinKvBytes));

  // Metadata.
  for (uint64_t i = 0; i < n_kv; ++i) {
    GgufKv kv;
    kv.offset = c.pos();
    const std::string key_subject = subject_at(fmt::format("kv {} key", i), kv.offset);
    const auto key = c.read_string(key_subject, "key", GgufLimits::max_key_bytes);
    if (key.empty()) c.fail(key_subject, "empty key");
    if (const auto it = kv_index_.find(key); it != kv_index_.end())
      c.fail(subject_at(fmt::format("kv '{}'", printable(key)), kv.offset),
             fmt::format("duplicate key (first at byte {})", kvs_[it->second].offset));
    kv.key = std::string(key);
    const std::string subject = subject_at(fmt::format("kv '{}'", printable(key)), kv.offset);

    const uint64_t type_at = c.pos();
    const auto type_id = c.read<uint32_t>(subject, "value type");
    const auto type = value_type(type_id);
    if (!type) c.fail(subject, fmt::format("value type {} at byte {} is not a GGUF type (0..12)", type_id, type_at));
    kv.type = *type;

    if (kv.type == GgufValueType::string) {
      kv.string = c.read_string(subject, "string", GgufLimits::max_string_bytes);
    } else if (kv.type == GgufValueType::array) {
      const uint64_t elem_at = c.pos();
      const auto elem_id = c.read<uint32_t>(subject, "array element type");
      const auto elem = value_type(elem_id);
      if (!elem)
        c.fail(subject, fmt::format("array element type {} at byte {} is not a GGUF type (0..12)", elem_id, elem_at));
      if (*elem == GgufValueType::array)
        c.fail(subject, fmt::format("array of arrays at byte {}: nested arrays are not supported", elem_at));
      const uint64_t count_at = c.pos();
      const auto count = c.read<uint64_t>(subject, "array count");
      if (count > GgufLimits::max_array_count)
        c.fail(subject, fmt::format("array count {} at byte {} is over the limit of {}", count, count_at,
                                    GgufLimits::max_array_count));
      GgufArray& a = kv.array;
      a.type = *elem;
      a.count = count;
      a.data = c.here();
      if (a.type == GgufValueType::string) {
        // Each element is at least its 8-byte length: bound the count before reserving.
        if (count > c.left() / 8)
          c.fail(subject, fmt::format("array of {} strings at byte {} needs at least {} bytes, the file has {} left",
                                      count, count_at, count * 8, c.left()));
        a.string_offsets.reserve(count);
        const uint64_t start = c.pos();
        for (uint64_t j = 0; j < count; ++j) {
          a.string_offsets.push_back(c.pos() - start);
          // The common case without building a message: a 128k-token vocabulary is one quick pass.
          uint64_t n = 0;
          if (c.left() >= 8) std::memcpy(&n, c.here(), 8);
          if (c.left() >= 8 && n <= GgufLimits::max_string_bytes && n <= c.left() - 8) {
            c.skip(8 + n);
          } else {
            (void)c.read_string(subject, fmt::format("element {} string", j), GgufLimits::max_string_bytes);
          }
        }
        a.bytes = c.pos() - start;
      } else {
        const uint64_t size = gguf_value_size(a.type);
        uint64_t bytes = 0;
        if (__builtin_mul_overflow(count, size, &bytes) || bytes > c.left())
          c.fail(subject, fmt::format("array of {} {} at byte {} runs past the end of the file ({} bytes left; "
                                      "truncated file)", count, to_string(a.type), count_at, c.left()));
        if (a.type == GgufValueType::boolean)
          for (uint64_t j = 0; j < count; ++j) check_bool(c, c.here() + j, subject, c.pos() + j);
        a.bytes = bytes;
        c.skip(bytes);
      }
    } else {
      const uint32_t size = gguf_value_size(kv.type);
      c.need(size, subject, fmt::format("{} value", to_string(kv.type)));
      if (kv.type == GgufValueType::boolean) check_bool(c, c.here(), subject, c.pos());
      kv.scalar.type = kv.type;
      std::memcpy(&kv.scalar.bits, c.here(), size);
      c.skip(size);
    }
    kv_index_.emplace(kv.key, kvs_.size());
    kvs_.push_back(std::move(kv));
  }

  // general.alignment: u32, a power of two, at most 1 MiB (ggml has no upper bound; 1 MiB is far
  // above any real file and keeps the padding arithmetic small).
  if (const GgufKv* a = find("general.alignment")) {
    const std::string subject = subject_at("kv 'general.alignment'", a->offset);
    if (a->type != GgufValueType::u32) c.fail(subject, fmt::format("type is {}, must be u32", to_string(a->type)));
    const uint64_t v = a->scalar.bits;
    if (v == 0 || (v & (v - 1)) != 0) c.fail(subject, fmt::format("{} is not a power of two", v));
    if (v > GgufLimits::max_alignment)
      c.fail(subject, fmt::format("{} is over the limit of {}", v, GgufLimits::max_alignment));
    alignment_ = v;
  }

  // Tensor infos.
  struct Placed {
    uint64_t start, end;
    size_t index;
  };
  std::vector<Placed> placed;
  std::vector<uint64_t> offsets;
  for (uint64_t i = 0; i < n_tensors; ++i) {
    const uint64_t info_at = c.pos();
    const std::string name_subject = subject_at(fmt::format("tensor {} name", i), info_at);
    // Read the name under the 63-byte limit only after it is known to be in the file, so a huge
    // length reads as what it is.
    const auto name = c.read_string(name_subject, "name", UINT64_MAX);
    if (name.empty()) c.fail(name_subject, "empty name");
    if (name.size() > GgufLimits::max_tensor_name_bytes)
      c.fail(name_subject, fmt::format("'{}' is {} bytes, over ggml's limit of {}", printable(name), name.size(),
                                       GgufLimits::max_tensor_name_bytes));
    const std::string subject = fmt::format("tensor '{}' (info at byte {})", printable(name), info_at);
    if (const auto it = tensor_index_.find(name); it != tensor_index_.end())
      c.fail(subject, fmt::format("duplicate tensor name (first at byte {})", tensor_info_offsets_[it->second]));

    TensorView t;
    t.name = std::string(name);
    const auto n_dims = c.read<uint32_t>(subject, "n_dims");
    if (n_dims < 1 || n_dims > 4) c.fail(subject, fmt::format("n_dims {} is outside 1..4", n_dims));
    t.n_dims = n_dims;
    uint64_t elements = 1;
    for (uint32_t d = 0; d < n_dims; ++d) {
      t.ne[d] = c.read<uint64_t>(subject, fmt::format("dimension {}", d));
      if (t.ne[d] == 0) c.fail(subject, fmt::format("dimension {} is 0", d));
      if (t.ne[d] > uint64_t(INT64_MAX) || __builtin_mul_overflow(elements, t.ne[d], &elements) ||
          elements > uint64_t(INT64_MAX))
        c.fail(subject, fmt::format("dimensions {} hold more than 2^63 elements", shape_string(t)));
    }
    const uint64_t type_at = c.pos();
    const auto type_id = c.read<uint32_t>(subject, "type");
    const auto traits = ggml_type_traits(type_id);
    if (!traits)
      c.fail(subject, fmt::format("type {} at byte {} is not a ggml type that files hold (unknown or removed)",
                                  type_id, type_at));
    t.type = traits->type;
    const auto row = ggml_row_bytes(t.type, t.ne[0]);
    if (!row)
      c.fail(subject, fmt::format("ne[0] {} is not a whole number of {} blocks ({} elements)", t.ne[0],
                                  traits->name, traits->block_elems));
    if (__builtin_mul_overflow(*row, t.ne[1] * t.ne[2] * t.ne[3], &t.bytes))  // rows < elements: no overflow
      c.fail(subject, fmt::format("{} rows of {} bytes ({}) overflow 64 bits", t.rows(), *row, traits->name));
    const uint64_t offset_at = c.pos();
    const auto offset = c.read<uint64_t>(subject, "offset");
    if (offset % alignment_ != 0)
      c.fail(subject, fmt::format("offset {} at byte {} is not a multiple of the alignment {}", offset, offset_at,
                                  alignment_));
    tensor_index_.emplace(t.name, tensors_.size());
    tensor_info_offsets_.push_back(info_at);
    offsets.push_back(offset);
    tensors_.push_back(std::move(t));
  }

  // The data section starts at the aligned end of the infos; with no tensors nothing is padded.
  data_offset_ = c.pos();
  if (n_tensors > 0) {
    const uint64_t rem = data_offset_ % alignment_;
    if (rem) data_offset_ += alignment_ - rem;  // cannot overflow: pos <= size < 2^63, alignment <= 1 MiB
  }

  // Each tensor inside the file, none overlapping another.
  for (size_t i = 0; i < tensors_.size(); ++i) {
    TensorView& t = tensors_[i];
    const std::string subject =
        fmt::format("tensor '{}' (info at byte {})", printable(t.name), tensor_info_offsets_[i]);
    uint64_t start = 0, end = 0;
    if (__builtin_add_overflow(data_offset_, offsets[i], &start) || start >= size_)
      c.fail(subject, fmt::format("offset {} from the data section at byte {} is past the end of the file ({} bytes)",
                                  offsets[i], data_offset_, size_));
    if (__builtin_add_overflow(start, t.bytes, &end))
      c.fail(subject, fmt::format("{} bytes of data from byte {} run past the end of the file ({} bytes)", t.bytes,
                                  start, size_));
    if (end > size_)
      c.fail(subject, fmt::format("data ends at byte {}, past the end of the file ({} bytes)", end, size_));
    t.data = base_ + start;
    placed.push_back({start, end, i});
  }
  std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
    return a.start != b.start ? a.start < b.start : a.index < b.index;
  });
  for (size_t k = 1; k < placed.size(); ++k) {
    const Placed& prev = placed[k - 1];
    const Placed& cur = placed[k];
    if (cur.start < prev.end) {
      const Placed& later = cur.index > prev.index ? cur : prev;
      const Placed& other = cur.index > prev.index ? prev : cur;
      c.fail(fmt::format("tensor '{}' (info at byte {})", printable(tensors_[later.index].name),
                         tensor_info_offsets_[later.index]),
             fmt::format("data [{}, {}) overlaps tensor '{}' [{}, {})", later.start, later.end,
                         printable(tensors_[other.index].name), other.start, other.end));
    }
  }
}

const GgufKv* GgufFile::find(std::string_view key) const {
  const auto it = kv_index_.find(key);
  return it == kv_index_.end() ? nullptr : &kvs_[it->second];
}

namespace {
[[noreturn]] void type_error(const std::string& label, const GgufKv& kv, std::string_view wanted) {
  throw Error(fmt::format("gguf: {}: kv '{}' (at byte {}): is {}, expected {}", label, printable(kv.key), kv.offset,
                          kv.type == GgufValueType::array
                              ? fmt::format("an array of {}", to_string(kv.array.type))
                              : std::string(to_string(kv.type)),
                          wanted));
}
}  // namespace

std::optional<uint64_t> GgufFile::get_uint(std::string_view key) const {
  const GgufKv* kv = find(key);
  if (!kv) return std::nullopt;
  if (!kv->scalar.is_integer() || kv->type != kv->scalar.type) type_error(label_, *kv, "an integer");
  const auto v = kv->scalar.to_uint();
  if (!v)
    throw Error(fmt::format("gguf: {}: kv '{}' (at byte {}): {} is negative", label_, printable(kv->key), kv->offset,
                            *kv->scalar.to_int()));
  return v;
}

std::optional<double> GgufFile::get_float(std::string_view key) const {
  const GgufKv* kv = find(key);
  if (!kv) return std::nullopt;
  if (kv->type == GgufValueType::boolean || kv->type == GgufValueType::string || kv->type == GgufValueType::array)
    type_error(label_, *kv, "a number");
  return kv->scalar.to_double();
}

std::optional<std::string_view> GgufFile::get_string(std::string_view key) const {
  const GgufKv* kv = find(key);
  if (!kv) return std::nullopt;
  if (kv->type != GgufValueType::string) type_error(label_, *kv, "a string");
  return kv->string;
}

std::optional<bool> GgufFile::get_bool(std::string_view key) const {
  const GgufKv* kv = find(key);
  if (!kv) return std::nullopt;
  if (kv->type != GgufValueType::boolean) type_error(label_, *kv, "a bool");
  return kv->scalar.bits != 0;
}

std::optional<uint64_t> GgufFile::array_length(std::string_view key) const {
  const GgufKv* kv = find(key);
  if (!kv) return std::nullopt;
  if (kv->type != GgufValueType::array) type_error(label_, *kv, "an array");
  return kv->array.count;
}

const GgufArray* GgufFile::typed_array(std::string_view key, GgufValueType expect) const {
  const GgufKv* kv = find(key);
  if (!kv) return nullptr;
  if (kv->type != GgufValueType::array || kv->array.type != expect)
    type_error(label_, *kv, fmt::format("an array of {}", to_string(expect)));
  return &kv->array;
}

const GgufArray& GgufFile::required_array(std::string_view key, GgufValueType expect, uint64_t index) const {
  const GgufArray* a = typed_array(key, expect);
  if (!a) throw Error(fmt::format("gguf: {}: no key '{}'", label_, printable(key)));
  if (index >= a->count) {
    const GgufKv* kv = find(key);
    throw Error(fmt::format("gguf: {}: kv '{}' (at byte {}): index {} is past the end of its {} elements", label_,
                            printable(key), kv->offset, index, a->count));
  }
  return *a;
}

std::optional<std::vector<std::string_view>> GgufFile::get_string_array(std::string_view key) const {
  const GgufArray* a = typed_array(key, GgufValueType::string);
  if (!a) return std::nullopt;
  std::vector<std::string_view> out;
  out.reserve(a->count);
  for (uint64_t i = 0; i < a->count; ++i) out.push_back(a->string_at(i));
  return out;
}

std::string_view GgufFile::get_string_array_element(std::string_view key, uint64_t index) const {
  return required_array(key, GgufValueType::string, index).string_at(index);
}

const TensorView* GgufFile::find_tensor(std::string_view name) const {
  const auto it = tensor_index_.find(name);
  return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

}  // namespace specgap::llm
