#!/usr/bin/env python3
"""Writes a GPT-OSS-shaped GGUF with random weights through llama.cpp's own gguf-py, not specgap's
writer, so that specgap and the peers can be measured on a file no specgap code made. The layout is
ggml-org's (reference/llm.md §3.4): experts MXFP4, every other matrix Q8_0, the router, norms, biases
and sinks F32; gpt-oss-20b's shape by default (11.27 GiB), --layers 36 --experts 128 for the 120b.
The keys are those llama.cpp's converter writes for GPT-OSS, with a synthetic SentencePiece-style
vocabulary (random weights have no real tokens; llama.cpp refuses a file without one).

gguf-py is not installed here: pass the gguf-py folder of a llama.cpp source tree. It needs numpy
(Debian's python3-numpy, for /usr/bin/python3). Run by hand, not in CI:
  /usr/bin/python3 bench/gguf_py_gpt_oss.py --gguf-py ~/llama.cpp/gguf-py gpt-oss-20b-gguf-py.gguf
"""
import argparse
import sys

import numpy as np

N_EMBD, N_HEAD, N_HEAD_KV, HEAD_DIM, N_VOCAB, N_FF = 2880, 64, 8, 64, 201088, 2880


def q8_0(rng, rows, cols, shape):
    """Rows of Q8_0 blocks (an fp16 scale, 32 int8) as bytes, in a numpy shape of `shape` + (row bytes,)."""
    nb = cols // 32
    d = (rng.uniform(0.5, 1.0, (rows, nb, 1)) * 0.02 / 127).astype(np.float16).view(np.uint8)
    q = rng.integers(-127, 128, (rows, nb, 32), dtype=np.int8).view(np.uint8)
    return np.concatenate([d, q], axis=2).reshape(*shape, nb * 34)


def mxfp4(rng, rows, cols, shape):
    """Rows of MXFP4 blocks (an E8M0 exponent, 16 bytes of e2m1 pairs): elements up to about 0.03."""
    nb = cols // 32
    e = rng.integers(118, 121, (rows, nb, 1), dtype=np.uint8)
    q = rng.integers(0, 256, (rows, nb, 16), dtype=np.uint8)
    return np.concatenate([e, q], axis=2).reshape(*shape, nb * 17)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--gguf-py", required=True, help="the gguf-py folder of a llama.cpp source tree")
    p.add_argument("--layers", type=int, default=24)
    p.add_argument("--experts", type=int, default=32)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    sys.path.insert(0, a.gguf_py)
    import gguf  # noqa: E402 (from the path given)

    rng = np.random.default_rng(a.seed)
    Q8, MX = gguf.GGMLQuantizationType.Q8_0, gguf.GGMLQuantizationType.MXFP4
    w = gguf.GGUFWriter(a.out, "gpt-oss")
    w.add_name(f"gpt-oss {a.layers} layers {a.experts} experts (gguf-py random weights)")
    w.add_file_type(gguf.LlamaFileType.MOSTLY_MXFP4_MOE)
    w.add_vocab_size(N_VOCAB)
    w.add_context_length(131072)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(a.layers)
    w.add_feed_forward_length(N_FF)
    w.add_expert_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD_KV)
    w.add_key_length(HEAD_DIM)
    w.add_value_length(HEAD_DIM)
    w.add_rope_dimension_count(HEAD_DIM)
    w.add_rope_freq_base(150000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_expert_count(a.experts)
    w.add_expert_used_count(4)
    w.add_sliding_window(128)
    w.add_rope_scaling_type(gguf.RopeScalingType.YARN)
    w.add_rope_scaling_factor(32.0)
    w.add_rope_scaling_orig_ctx_len(4096)
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    tokens += [f"\u2581t{i}" for i in range(len(tokens), N_VOCAB)]
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores([0.0] * N_VOCAB)
    w.add_token_types([2, 3, 3] + [6] * 256 + [1] * (N_VOCAB - 259))
    w.add_unk_token_id(0)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)

    def f32(*shape, scale=0.02, around=0.0):
        return (around + rng.uniform(-scale, scale, shape)).astype(np.float32)

    q, kv = N_HEAD * HEAD_DIM, N_HEAD_KV * HEAD_DIM
    # numpy shapes are GGUF's dims reversed: attn_q {n_embd, q} is q rows of n_embd.
    w.add_tensor("token_embd.weight", q8_0(rng, N_VOCAB, N_EMBD, (N_VOCAB,)), raw_dtype=Q8)
    w.add_tensor("output_norm.weight", f32(N_EMBD, scale=0.1, around=1.0))
    w.add_tensor("output.weight", q8_0(rng, N_VOCAB, N_EMBD, (N_VOCAB,)), raw_dtype=Q8)
    for i in range(a.layers):
        b = f"blk.{i}."
        w.add_tensor(b + "attn_norm.weight", f32(N_EMBD, scale=0.1, around=1.0))
        w.add_tensor(b + "attn_q.weight", q8_0(rng, q, N_EMBD, (q,)), raw_dtype=Q8)
        w.add_tensor(b + "attn_q.bias", f32(q))
        w.add_tensor(b + "attn_k.weight", q8_0(rng, kv, N_EMBD, (kv,)), raw_dtype=Q8)
        w.add_tensor(b + "attn_k.bias", f32(kv))
        w.add_tensor(b + "attn_v.weight", q8_0(rng, kv, N_EMBD, (kv,)), raw_dtype=Q8)
        w.add_tensor(b + "attn_v.bias", f32(kv))
        w.add_tensor(b + "attn_output.weight", q8_0(rng, N_EMBD, q, (N_EMBD,)), raw_dtype=Q8)
        w.add_tensor(b + "attn_output.bias", f32(N_EMBD))
        w.add_tensor(b + "attn_sinks.weight", f32(N_HEAD))
        w.add_tensor(b + "post_attention_norm.weight", f32(N_EMBD, scale=0.1, around=1.0))
        w.add_tensor(b + "ffn_gate_inp.weight", f32(a.experts, N_EMBD))
        w.add_tensor(b + "ffn_gate_inp.bias", f32(a.experts))
        for name, rows, cols in (("gate", N_FF, N_EMBD), ("up", N_FF, N_EMBD), ("down", N_EMBD, N_FF)):
            w.add_tensor(b + f"ffn_{name}_exps.weight", mxfp4(rng, a.experts * rows, cols, (a.experts, rows)), raw_dtype=MX)
            w.add_tensor(b + f"ffn_{name}_exps.bias", f32(a.experts, rows))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file(progress=False)
    w.close()


if __name__ == "__main__":
    main()
