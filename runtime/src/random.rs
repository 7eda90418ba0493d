//! Unique, unpredictable values (signature nonces, idempotency tokens, jitter) without a
//! system call per value.
//!
//! One 32-byte seed is read from the OS generator (through `uuid`) per process; each value
//! is then SHA-256(seed ‖ counter ‖ time). The counter makes values unique within the
//! process, the seed makes them unpredictable and unique across processes. The official
//! Go and Python cores build their nonces the same way (a digest of process, time, counter
//! and random data). The hashed input is 48 bytes, so each value costs one SHA-256 block.

use ring::digest;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn seed() -> &'static [u8; 32] {
    static SEED: OnceLock<[u8; 32]> = OnceLock::new();
    SEED.get_or_init(|| {
        let mut seed = [0u8; 32];
        seed[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        seed[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        seed
    })
}

/// 32 fresh bytes.
pub fn bytes() -> [u8; 32] {
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    // 64 bits of nanoseconds last until 2554 and keep the input within one SHA-256 block
    // (32 + 8 + 8 bytes, plus padding).
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut input = [0u8; 48];
    input[..32].copy_from_slice(seed());
    input[32..40].copy_from_slice(&count.to_le_bytes());
    input[40..].copy_from_slice(&nanos.to_le_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, &input).as_ref());
    out
}

/// A signature nonce: 32 lowercase hex characters, like the Go and Python cores send.
pub fn nonce() -> String {
    crate::sign::lower_hex(&bytes()[..16])
}

/// A UUID v4 (random-variant) idempotency token.
pub fn uuid_v4() -> uuid::Uuid {
    let b = bytes();
    let mut random = [0u8; 16];
    random.copy_from_slice(&b[..16]);
    uuid::Builder::from_random_bytes(random).into_uuid()
}

/// A uniform sample in `[0, 1)`, for jitter.
pub fn unit_sample() -> f64 {
    let b = bytes();
    let mut word = [0u8; 8];
    word.copy_from_slice(&b[..8]);
    (u64::from_le_bytes(word) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn nonces_are_unique_lowercase_hex() {
        let all: HashSet<String> = (0..10_000).map(|_| nonce()).collect();
        assert_eq!(all.len(), 10_000);
        assert!(all.iter().all(|n| {
            n.len() == 32
                && n.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        }));
    }

    #[test]
    fn tokens_are_version_4() {
        let a = uuid_v4();
        assert_eq!(a.get_version_num(), 4);
        assert_eq!(a.get_variant(), uuid::Variant::RFC4122);
        assert_ne!(a, uuid_v4());
    }

    #[test]
    fn samples_are_in_range_and_vary() {
        let s: Vec<f64> = (0..256).map(|_| unit_sample()).collect();
        assert!(s.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = s.iter().sum::<f64>() / s.len() as f64;
        assert!((0.3..0.7).contains(&mean), "{mean}");
    }
}
