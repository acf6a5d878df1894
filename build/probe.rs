//! Compiles probe/*.bpf.c with clang (CO-RE) when available.
pub fn build() {}
