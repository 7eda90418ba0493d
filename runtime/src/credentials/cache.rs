//! Credentials asked at call time, cached until shortly before they expire.
//!
//! The first provider that answers is remembered and asked again on refresh, as the
//! official chain does ("once one provider succeeds, later calls reuse it").

use super::{Credentials, CredentialsError, ProvideCredentials, ProviderAttempt};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// Refresh when this little validity remains (credentials-go uses 180 s).
pub const REFRESH_MARGIN: Duration = Duration::from_secs(180);

#[derive(Default)]
struct State {
    chosen: Option<usize>,
    cached: Option<Arc<Credentials>>,
}

/// A list of call-time providers tried in order, with the answer cached.
pub struct CredentialsCache {
    providers: Vec<Arc<dyn ProvideCredentials>>,
    /// Places the build-time part of the chain already looked, kept for the final error.
    earlier: Vec<ProviderAttempt>,
    /// Places after these providers in chain order that were not configured.
    later: Vec<ProviderAttempt>,
    state: Mutex<State>,
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field(
                "providers",
                &self.providers.iter().map(|p| p.name()).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

fn expires_within(c: &Credentials, margin: Duration) -> bool {
    match c.expires_at() {
        None => false,
        Some(at) => at
            .duration_since(SystemTime::now())
            .map_or(true, |left| left <= margin),
    }
}

impl CredentialsCache {
    /// Tries `providers` in order at call time; `earlier` lists places already looked.
    pub fn new(providers: Vec<Arc<dyn ProvideCredentials>>, earlier: Vec<ProviderAttempt>) -> Self {
        CredentialsCache {
            providers,
            earlier,
            later: Vec::new(),
            state: Mutex::new(State::default()),
        }
    }

    /// Also names places after these providers in chain order, so the final error lists
    /// every place in that order.
    pub fn with_later(mut self, later: Vec<ProviderAttempt>) -> Self {
        self.later = later;
        self
    }

    fn snapshot(&self) -> (Option<usize>, Option<Arc<Credentials>>) {
        // A poisoned lock only means another thread panicked mid-update of plain data.
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        (state.chosen, state.cached.clone())
    }

    fn store(&self, index: usize, credentials: Credentials) -> Arc<Credentials> {
        let credentials = Arc::new(credentials);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.chosen = Some(index);
        state.cached = Some(credentials.clone());
        credentials
    }

    /// Cached credentials, or fresh ones from the providers.
    pub async fn get(&self) -> Result<Arc<Credentials>, CredentialsError> {
        let (chosen, cached) = self.snapshot();
        if let Some(c) = &cached
            && !expires_within(c, REFRESH_MARGIN)
        {
            return Ok(c.clone());
        }
        if let Some(index) = chosen {
            return match self.providers[index].provide().await {
                Ok(c) => Ok(self.store(index, c)),
                Err(e) => match cached {
                    // Still valid, just inside the refresh margin: keep using it.
                    Some(c) if !expires_within(&c, Duration::ZERO) => Ok(c),
                    _ => Err(e),
                },
            };
        }
        let mut attempts = self.earlier.clone();
        for (index, provider) in self.providers.iter().enumerate() {
            match provider.provide().await {
                Ok(c) => return Ok(self.store(index, c)),
                Err(e) => attempts.push(e.into_attempt()),
            }
        }
        attempts.extend(self.later.iter().cloned());
        Err(CredentialsError::NotFound { attempts })
    }
}
