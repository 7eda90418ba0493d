//! Faults a user asks for (a documented error, throttling, or a transport mishap on the
//! next N calls) and the log of calls served, shared by the library API and the HTTP
//! control endpoints.
//!
//! Throttling is a gateway decision, so it is applied right after the signature is
//! verified and before parameters are checked. A documented error is a business outcome, so
//! it is applied only to a request that passed validation: a test that asks for
//! `IncorrectDBInstanceState` gets it for a call the real service would have accepted.
//! A transport [`Mishap`] happens on the way back, so it is taken by the server before the
//! call is served and applied to the answer afterwards; the call's log entry says so.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;

use crate::api_error::ApiError;
use crate::mishap::Mishap;
use crate::validate::Place;

/// Which calls a fault applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    /// `None`: any action.
    action: Option<String>,
    /// `None`: any version.
    version: Option<String>,
}

impl Target {
    fn matches(&self, action: &str, version: &str) -> bool {
        self.action.as_deref().is_none_or(|a| a == action)
            && self.version.as_deref().is_none_or(|v| v == version)
    }
}

/// What to do to the next `remaining` calls matching `target`.
#[derive(Debug, Clone)]
struct Fault<T> {
    target: Target,
    what: T,
    remaining: u32,
}

/// One call as the emulator saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Call {
    /// `x-acs-action` (empty when absent).
    pub action: String,
    /// `x-acs-version` (empty when absent).
    pub version: String,
    /// HTTP status of the emulator's answer. When [`mishap`](Self::mishap) is set, the
    /// client received what the mishap made of it instead (nothing at all for a reset).
    pub status: u16,
    /// Error code of the emulator's answer, `None` for a success.
    pub code: Option<String>,
    /// The RequestId of the emulator's answer.
    pub request_id: String,
    /// The transport mishap that replaced or delayed the answer on the wire, if any
    /// (`"reset"`, `"delay 2000 ms"`, `"html"`, `"truncated"`, `"empty"` in JSON).
    pub mishap: Option<Mishap>,
    /// The request's parameters in arrival order; values of parameters the spec marks
    /// sensitive are replaced by `<redacted>`.
    pub params: Vec<CallParam>,
    /// Parameters the spec does not know (tolerated, as Alibaba does).
    pub unknown: Vec<String>,
}

/// One received parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallParam {
    /// Wire key (`Tag.1.Key`).
    pub name: String,
    /// Where it arrived.
    pub place: Place,
    /// Its value, or `<redacted>`.
    pub value: String,
}

impl Call {
    /// The value of parameter `name`, if it was sent.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.as_str())
    }
}

/// How many calls the log keeps, so a long-running emulator does not grow without bound.
const CALL_LOG_LIMIT: usize = 10_000;

/// Faults drawn at random for every call, after the queued ones: the weather of a soak
/// test. Each chance is rolled independently per call, at the point where the queued fault
/// of that kind would apply: throttling before validation (the call is refused, not
/// served), a server error after validation (not served), a transport mishap after the
/// call was served (it was applied; the client cannot tell).
#[derive(Debug, Clone, PartialEq)]
pub struct RandomFaults {
    /// Chance of a `Throttling.User` answer (HTTP 400).
    pub throttle: f64,
    /// Chance of a `ServiceUnavailable` answer (HTTP 503) instead of serving a valid call.
    pub server_error: f64,
    /// Chance of a transport mishap, one of [`RandomFaults::mishaps`] chosen uniformly.
    pub mishap: f64,
    /// The mishaps to choose from.
    pub mishaps: Vec<Mishap>,
    /// Seed of the draws, so a failing run can be repeated (as far as concurrent arrival
    /// order allows).
    pub seed: u64,
}

/// Random faults and the state of their draws.
#[derive(Debug)]
struct Weather {
    faults: RandomFaults,
    state: u64,
}

impl Weather {
    /// A uniform sample in `[0, 1)` (splitmix64).
    fn sample(&mut self) -> f64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Faults and the call log, behind one lock each (calls are short; contention is nil).
#[derive(Debug, Default)]
pub struct Control {
    throttles: Mutex<Vec<Fault<ApiError>>>,
    failures: Mutex<Vec<Fault<ApiError>>>,
    mishaps: Mutex<Vec<Fault<Mishap>>>,
    weather: Mutex<Option<Weather>>,
    calls: Mutex<VecDeque<Call>>,
}

impl Control {
    /// Throttle the next `times` calls (of `action`, when given).
    pub fn throttle_next(&self, action: Option<&str>, times: u32, retry_after_ms: Option<u64>) {
        push(
            &self.throttles,
            Fault {
                target: Target {
                    action: action.map(str::to_owned),
                    version: None,
                },
                what: ApiError::throttled(retry_after_ms),
                remaining: times,
            },
        );
    }

    /// Answer the next `times` valid calls of `action` (and `version`, when given) with
    /// `error`.
    pub fn fail_next(&self, action: &str, version: Option<&str>, error: ApiError, times: u32) {
        push(
            &self.failures,
            Fault {
                target: Target {
                    action: Some(action.to_owned()),
                    version: version.map(str::to_owned),
                },
                what: error,
                remaining: times,
            },
        );
    }

    /// The next `times` calls (of `action`, when given) suffer `mishap` on the way back.
    pub fn mishap_next(&self, action: Option<&str>, mishap: Mishap, times: u32) {
        push(
            &self.mishaps,
            Fault {
                target: Target {
                    action: action.map(str::to_owned),
                    version: None,
                },
                what: mishap,
                remaining: times,
            },
        );
    }

    /// From now on, every call may suffer one of `faults` (after any queued fault); `None`
    /// stops it.
    pub fn random_faults(&self, faults: Option<RandomFaults>) {
        *lock(&self.weather) = faults.map(|faults| Weather {
            state: faults.seed,
            faults,
        });
    }

    /// With the chance `chance` says, the fault `pick` chooses (given a second uniform
    /// draw); `None` without random faults.
    fn roll<T>(
        &self,
        chance: fn(&RandomFaults) -> f64,
        pick: impl FnOnce(&RandomFaults, f64) -> Option<T>,
    ) -> Option<T> {
        let mut weather = lock(&self.weather);
        let weather = weather.as_mut()?;
        let (roll, choice) = (weather.sample(), weather.sample());
        (roll < chance(&weather.faults))
            .then(|| pick(&weather.faults, choice))
            .flatten()
    }

    /// Consumes one transport mishap matching this call, if any.
    pub fn take_mishap(&self, action: &str, version: &str) -> Option<Mishap> {
        take(&self.mishaps, action, version).or_else(|| {
            self.roll(
                |f| f.mishap,
                |f, choice| {
                    let index = (choice * f.mishaps.len() as f64) as usize;
                    f.mishaps.get(index).copied()
                },
            )
        })
    }

    /// Consumes one throttling fault matching this call, if any.
    pub fn take_throttle(&self, action: &str, version: &str) -> Option<ApiError> {
        take(&self.throttles, action, version)
            .or_else(|| self.roll(|f| f.throttle, |_, _| Some(ApiError::throttled(None))))
    }

    /// Consumes one documented-error fault matching this call, if any.
    pub fn take_failure(&self, action: &str, version: &str) -> Option<ApiError> {
        take(&self.failures, action, version).or_else(|| {
            self.roll(
                |f| f.server_error,
                |_, _| {
                    Some(ApiError::new(
                        503,
                        "ServiceUnavailable",
                        "The request has failed due to a temporary failure of the server.",
                    ))
                },
            )
        })
    }

    /// Forgets every pending fault, the random faults and the call log.
    pub fn reset(&self) {
        lock(&self.throttles).clear();
        lock(&self.failures).clear();
        lock(&self.mishaps).clear();
        *lock(&self.weather) = None;
        lock(&self.calls).clear();
    }

    /// Pending faults: (throttles, documented errors, mishaps), counting remaining calls.
    pub fn pending(&self) -> (u32, u32, u32) {
        (
            remaining(&self.throttles),
            remaining(&self.failures),
            remaining(&self.mishaps),
        )
    }

    /// Appends to the call log (dropping the oldest beyond the limit).
    pub fn record(&self, call: Call) {
        let mut calls = lock(&self.calls);
        if calls.len() == CALL_LOG_LIMIT {
            calls.pop_front();
        }
        calls.push_back(call);
    }

    /// The call log, oldest first.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.calls).iter().cloned().collect()
    }
}

/// A poisoned lock only means another request panicked mid-update of plain data; the data
/// is still usable, and the emulator must keep serving.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn remaining<T>(faults: &Mutex<Vec<Fault<T>>>) -> u32 {
    lock(faults).iter().map(|f| f.remaining).sum()
}

fn push<T>(faults: &Mutex<Vec<Fault<T>>>, fault: Fault<T>) {
    if fault.remaining > 0 {
        lock(faults).push(fault);
    }
}

/// Faults apply in the order they were asked for.
fn take<T: Clone>(faults: &Mutex<Vec<Fault<T>>>, action: &str, version: &str) -> Option<T> {
    let mut faults = lock(faults);
    let index = faults
        .iter()
        .position(|f| f.target.matches(action, version))?;
    let fault = &mut faults[index];
    fault.remaining -= 1;
    let what = fault.what.clone();
    if fault.remaining == 0 {
        faults.remove(index);
    }
    Some(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_consumed_in_order_and_per_target() {
        let control = Control::default();
        control.fail_next("A", None, ApiError::new(400, "First", "m"), 2);
        control.fail_next("A", Some("v2"), ApiError::new(403, "Second", "m"), 1);
        control.fail_next("B", None, ApiError::new(400, "OnlyB", "m"), 1);
        assert_eq!(control.pending(), (0, 4, 0));
        assert_eq!(control.take_failure("C", "v1"), None);
        assert_eq!(control.take_failure("A", "v1").unwrap().code, "First");
        assert_eq!(control.take_failure("A", "v1").unwrap().code, "First");
        assert_eq!(control.take_failure("A", "v1"), None);
        assert_eq!(control.take_failure("A", "v2").unwrap().code, "Second");
        assert_eq!(control.take_failure("B", "v9").unwrap().code, "OnlyB");
        assert_eq!(control.pending(), (0, 0, 0));
    }

    #[test]
    fn mishaps_are_consumed_in_order_for_their_action_only() {
        let control = Control::default();
        let delay = Mishap::Delay(std::time::Duration::from_millis(5));
        control.mishap_next(Some("A"), Mishap::Reset, 2);
        control.mishap_next(None, delay, 1);
        control.mishap_next(None, Mishap::Html, 0);
        assert_eq!(control.pending(), (0, 0, 3));
        assert_eq!(control.take_mishap("B", "v"), Some(delay));
        assert_eq!(control.take_mishap("B", "v"), None);
        assert_eq!(control.take_mishap("A", "v"), Some(Mishap::Reset));
        assert_eq!(control.take_mishap("A", "v2"), Some(Mishap::Reset));
        assert_eq!(control.take_mishap("A", "v"), None);
        control.mishap_next(None, Mishap::Empty, 4);
        control.reset();
        assert_eq!(control.pending(), (0, 0, 0));
    }

    #[test]
    fn throttles_apply_to_any_action_unless_targeted() {
        let control = Control::default();
        control.throttle_next(None, 1, Some(10));
        control.throttle_next(Some("A"), 1, None);
        control.throttle_next(None, 0, None);
        let first = control.take_throttle("B", "v").unwrap();
        assert_eq!(
            (first.code.as_str(), first.retry_after_ms),
            ("Throttling.User", Some(10))
        );
        assert_eq!(control.take_throttle("B", "v"), None);
        assert!(control.take_throttle("A", "v").is_some());
        assert_eq!(control.take_throttle("A", "v"), None);
    }

    #[test]
    fn reset_clears_faults_and_calls() {
        let control = Control::default();
        control.throttle_next(None, 3, None);
        control.record(Call {
            action: "A".into(),
            version: "v".into(),
            status: 200,
            code: None,
            request_id: String::new(),
            mishap: None,
            params: vec![],
            unknown: vec![],
        });
        assert_eq!(control.calls().len(), 1);
        control.reset();
        assert_eq!(control.pending(), (0, 0, 0));
        assert!(control.calls().is_empty());
    }

    #[test]
    fn the_call_log_is_bounded() {
        let control = Control::default();
        for i in 0..CALL_LOG_LIMIT + 5 {
            control.record(Call {
                action: i.to_string(),
                version: String::new(),
                status: 200,
                code: None,
                request_id: String::new(),
                mishap: None,
                params: vec![],
                unknown: vec![],
            });
        }
        let calls = control.calls();
        assert_eq!(calls.len(), CALL_LOG_LIMIT);
        assert_eq!(calls[0].action, "5");
    }
}
