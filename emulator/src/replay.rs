//! Signature nonces seen recently, so a replayed request gets `SignatureNonceUsed`.
//!
//! A nonce only needs remembering while its request's `x-acs-date` could still be accepted
//! (15 minutes either side), so entries older than that are dropped; a hard cap bounds
//! memory even under a flood of fresh nonces.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a nonce is remembered: the accepted clock skew, both ways.
pub const WINDOW: Duration = Duration::from_secs(30 * 60);
const CAPACITY: usize = 100_000;

/// Recently seen nonces.
#[derive(Debug, Default)]
pub struct NonceStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    order: VecDeque<(Instant, String)>,
    seen: HashSet<String>,
}

impl NonceStore {
    /// Records `nonce`; false when it was already seen within the window.
    pub fn first_use(&self, nonce: &str, now: Instant) -> bool {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        while let Some((at, _)) = inner.order.front() {
            let expired = now.saturating_duration_since(*at) > WINDOW;
            if !expired && inner.order.len() < CAPACITY {
                break;
            }
            if let Some((_, old)) = inner.order.pop_front() {
                inner.seen.remove(&old);
            }
        }
        if !inner.seen.insert(nonce.to_owned()) {
            return false;
        }
        inner.order.push_back((now, nonce.to_owned()));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_accepted_once_within_the_window() {
        let store = NonceStore::default();
        let t0 = Instant::now();
        assert!(store.first_use("a", t0));
        assert!(!store.first_use("a", t0 + Duration::from_secs(60)));
        assert!(store.first_use("b", t0));
        // After the window the old entry is forgotten.
        assert!(store.first_use("a", t0 + WINDOW + Duration::from_secs(1)));
    }

    #[test]
    fn memory_is_bounded() {
        let store = NonceStore::default();
        let now = Instant::now();
        for i in 0..CAPACITY + 10 {
            assert!(store.first_use(&i.to_string(), now));
        }
        let inner = store.inner.lock().unwrap();
        assert_eq!(inner.order.len(), CAPACITY);
        assert_eq!(inner.seen.len(), CAPACITY);
    }
}
