#pragma once
// Quarter k of a Q6_K step from its three packed vectors X, Y, Z (quant_layout.h): the 6-bit quants
// 0..63 of 4 columns per row. One template for the AVX2 and AVX-512 kernels; the ISA file's `Ops`
// supplies its vector type V and and_, or_, the 16-bit right shift srl16<n> and splat (a byte in
// every lane). The 16-bit shifts pull a neighbour byte's bits into the top of each byte; the masks
// drop them.
namespace specgap::cpu {

template <class Ops>
inline typename Ops::V q6_k_quarter(typename Ops::V x, typename Ops::V y, typename Ops::V z, int k) {
  const auto six = Ops::splat(0x3F), nibble = Ops::splat(0x0F), top = Ops::splat(0x30);
  switch (k) {
    case 0: return Ops::and_(x, six);
    case 1: return Ops::and_(y, six);
    case 2: return Ops::or_(Ops::and_(z, nibble), Ops::and_(Ops::template srl16<2>(x), top));
    default: return Ops::or_(Ops::and_(Ops::template srl16<4>(z), nibble), Ops::and_(Ops::template srl16<2>(y), top));
  }
}

}  // namespace specgap::cpu
